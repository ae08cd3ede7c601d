// Schema version 7 (store/schema_v7.cpp), a step of schema.cpp's migrations.
#pragma once

#include <string_view>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

extern const std::string_view kSchemaV7;
// Replays the schema-6 reservation history (opens, closes, quota uses) to
// give each quota use the reservation it used and the quota use it replaced,
// each close the reservation's quota use at that point, and each open
// reservation its quota use in its user's page (format 3, every page
// rewritten); then drops the schema-6 tst_quota_use the SQL renamed.
[[nodiscard]] Status quota_use_into_states(WriteTxn& txn);

}  // namespace csd
