// What the BSC views read of one address (SPEC 3.1): its TST running totals
// and its open locks, stakes and reservations. The account pages
// (store/account_pages.hpp) keep one of these per address, so a batch updates
// a user's objects in memory and rewrites each page it touched once, instead
// of inserting and updating rows and open-object index entries at random
// places in b-trees (docs/store.md "User state in pages"); the access view
// reads one page. The objects' history (every open and close) is appended to
// tst_lock/tst_stake/tst_reservation and their *_close tables.
//
// Encoding (the body of a format-3 page entry; integers big-endian, amounts as
// pack::put_amount, counts and lengths as LEB128 varints):
//   received | sent | lock count | locks | stake count | stakes | reservation count | reservations
//   lock:        id 32 | block u64 | log_index u32 | tx_hash 32 | amount | locked_until i64 | agreement_id
//   (length, bytes) stake:       id 32 | block u64 | log_index u32 | tx_hash 32 | time i64 | tier u8 | amount
//   | expires_at i64 reservation: id 32 | block u64 | log_index u32 | entity_type u8 | amount | quota_per_day
//   u32 | reserved_until i64 | quota day | units | units of the day before (varints)
// Each list is in ascending (block, log_index) order: the order they opened.
// Format 2 (schema 6) is the same without a reservation's three quota varints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"
#include "store/pack_codec.hpp"

namespace csd::store_derive {

// An address's running totals (both zero and no open object: no entry).
struct AccountTotals {
  U256 received;
  U256 sent;
  friend bool operator==(const AccountTotals&, const AccountTotals&) = default;
};

// Where an object was opened: its TSTLocked/TierStaked/ComputeReserved log.
struct Opened {
  std::uint64_t block = 0;
  std::uint32_t log_index = 0;
  friend auto operator<=>(const Opened&, const Opened&) = default;
};

struct OpenLock {
  Hash32 id;
  Opened opened;
  Hash32 tx_hash;
  U256 amount;
  std::int64_t locked_until = 0;  // lockedUntil, clamped to INT64_MAX
  std::string agreement_id;
  friend bool operator==(const OpenLock&, const OpenLock&) = default;
};

struct OpenStake {
  Hash32 id;
  Opened opened;
  Hash32 tx_hash;
  std::int64_t time = 0;  // of the TierStaked block
  std::uint8_t tier = 0;
  U256 amount;
  std::int64_t expires_at = 0;  // clamped to INT64_MAX
  friend bool operator==(const OpenStake&, const OpenStake&) = default;
};

// The units consumed of a reservation on the UTC day of its latest
// QuotaConsumed and on the day before (SPEC 3.1 used_today), kept with the
// reservation so the views need no index over its uses. Block times do not go
// back, so a day older than that is read from the history (tst_quota_use).
struct QuotaUse {
  std::int64_t day = 0;                // utc_day_number (store/rules.hpp) of the latest use
  std::uint64_t units = 0;             // consumed on `day`
  std::uint64_t units_day_before = 0;  // consumed on `day` − 1
  friend bool operator==(const QuotaUse&, const QuotaUse&) = default;
};
// Adds `units` consumed at `time` (saturating).
void add_quota_use(QuotaUse& quota, std::int64_t time, std::uint64_t units) noexcept;
// The units consumed on UTC day `day`; nullopt when it lies before the two days kept.
[[nodiscard]] std::optional<std::uint64_t> quota_used_on(const QuotaUse& quota, std::int64_t day) noexcept;

struct OpenReservation {
  Hash32 id;
  Opened opened;
  std::uint8_t entity_type = 0;
  U256 amount;
  std::uint32_t quota_per_day = 0;
  std::int64_t reserved_until = 0;  // clamped to INT64_MAX
  QuotaUse quota;
  friend bool operator==(const OpenReservation&, const OpenReservation&) = default;
};

struct UserState {
  AccountTotals totals;
  std::vector<OpenLock> locks;                // ascending by `opened`
  std::vector<OpenStake> stakes;              // ascending by `opened`
  std::vector<OpenReservation> reservations;  // ascending by `opened`
  [[nodiscard]] bool empty() const noexcept {
    return totals.received.is_zero() && totals.sent.is_zero() && locks.empty() && stakes.empty() &&
           reservations.empty();
  }
  friend bool operator==(const UserState&, const UserState&) = default;
};

// The body encodings: format 2 (schema 6, read only) and 3.
inline constexpr std::uint8_t kStateFormatNoQuota = 2;
inline constexpr std::uint8_t kStateFormat = 3;

// Appends the encoded body of `state` (format 3; format 2, which drops the
// quota use, for tests of the migration from schema 6).
void encode_user_state(const UserState& state, Bytes& out, std::uint8_t format = kStateFormat);
// The bytes encode_user_state writes for `state`, and the encoder writing
// them through a Sink with at least that much room.
[[nodiscard]] std::size_t encoded_size(const UserState& state, std::uint8_t format = kStateFormat) noexcept;
void encode_user_state(const UserState& state, pack::Sink& out, std::uint8_t format = kStateFormat) noexcept;
// The state encoded in all of `body` (format 2 or 3); kMalformed naming
// `what` and the offset for a short or overlong body, a bad amount, lists out
// of order.
[[nodiscard]] Result<UserState> decode_user_state(ByteSpan body, std::string_view what,
                                                  std::uint8_t format = kStateFormat);
// Only the totals at the start of a body (the balance views need no more).
[[nodiscard]] Result<AccountTotals> decode_user_totals(ByteSpan body, std::string_view what);

// Inserts `object` into `list` (ascending by `opened`), keeping the order.
template <class Object>
void insert_open(std::vector<Object>& list, Object object) {
  auto at = list.end();
  while (at != list.begin() && object.opened < std::prev(at)->opened) --at;
  list.insert(at, std::move(object));
}

// The object of `list` with this id, or nullptr.
template <class Object>
[[nodiscard]] const Object* find_open(const std::vector<Object>& list, const Hash32& id) noexcept {
  for (const Object& object : list) {
    if (object.id == id) return &object;
  }
  return nullptr;
}
template <class Object>
[[nodiscard]] Object* find_open(std::vector<Object>& list, const Hash32& id) noexcept {
  return const_cast<Object*>(find_open(std::as_const(list), id));
}

// The object of `list` opened at `opened`, or nullptr.
template <class Object>
[[nodiscard]] Object* find_opened_at(std::vector<Object>& list, const Opened& opened) noexcept {
  for (Object& object : list) {
    if (object.opened == opened) return &object;
  }
  return nullptr;
}

// Removes the object with this id; false if there is none.
template <class Object>
bool erase_open(std::vector<Object>& list, const Hash32& id) {
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (it->id == id) {
      list.erase(it);
      return true;
    }
  }
  return false;
}

}  // namespace csd::store_derive
