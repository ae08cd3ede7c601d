// A user state's parts as history-table columns (store/user_state.hpp): the
// position of an object's opening log, and a reservation's quota use.
#pragma once

#include <cstdint>

#include "store/database.hpp"
#include "store/user_state.hpp"

namespace csd::store_derive {

// (block, log_index) at `column`, `column` + 1.
[[nodiscard]] inline Opened opened_at(const Statement& row, int column) {
  return Opened{static_cast<std::uint64_t>(row.column_int64(column)),
                static_cast<std::uint32_t>(row.column_int64(column + 1))};
}

// (day, units, units of the day before) at `column` .. `column` + 2.
[[nodiscard]] inline QuotaUse quota_at(const Statement& row, int column) {
  return QuotaUse{row.column_int64(column), static_cast<std::uint64_t>(row.column_int64(column + 1)),
                  static_cast<std::uint64_t>(row.column_int64(column + 2))};
}

// Binds `quota` at ?first .. ?first+2 (the units saturate at INT64_MAX: add_quota_use).
// `Binder`: a Statement, or DeferredInserts (store/deferred_inserts.hpp).
template <class Binder>
void bind_quota(Binder& st, int first, const QuotaUse& quota) {
  st.bind_int64(first, quota.day)
      .bind_int64(first + 1, static_cast<std::int64_t>(quota.units))
      .bind_int64(first + 2, static_cast<std::int64_t>(quota.units_day_before));
}

}  // namespace csd::store_derive
