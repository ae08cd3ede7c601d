// The store's schema: the list of forward migrations (step N takes a file
// from user_version N-1 to N; step 1 is the first schema, each later step
// changes it as docs/store.md "Schema" says)
// and the checks that decide whether a file is ours. `PRAGMA application_id`
// = "CSND" marks a chainsyncd file; `PRAGMA user_version` is its schema.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

inline constexpr std::int64_t kApplicationId = 0x43534E44;  // "CSND"

class WriteTxn;

struct Migration {
  std::int64_t version;  // user_version after this step
  std::string_view sql;  // one or more statements
  // What SQL alone cannot do (repacking rows), run after `sql` in the same transaction.
  Status (*convert)(WriteTxn&) = nullptr;
};

// The migrations of this binary, ascending and contiguous from 1.
[[nodiscard]] std::span<const Migration> schema_migrations() noexcept;
// The newest schema this binary knows (the last migration's version).
[[nodiscard]] std::int64_t latest_schema_version() noexcept;

// Reads application_id, user_version and whether the file has tables, and
// decides without writing anything: returns the file's schema version (0 for
// an empty file). Refuses (kUnsupported) a foreign file ("not a chainsyncd
// database") and a file newer than `latest` ("written by a newer chainsyncd
// (schema N, this binary knows M)").
[[nodiscard]] Result<std::int64_t> check_schema(Database& db, std::int64_t latest);

// Applies every step above the file's user_version, each in its own
// transaction that also sets user_version (and application_id on the first).
// REQUIRES: check_schema accepted the file against the last step's version.
[[nodiscard]] Status migrate(Database& db, std::span<const Migration> steps);

}  // namespace csd
