// Schema version 6 (store/schema_v6.cpp), a step of schema.cpp's migrations.
#pragma once

#include <string_view>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

extern const std::string_view kSchemaV6;
// Moves the schema-5 open objects into their users' pages (format 2, every
// page rewritten) and drops the schema-5 tables the SQL renamed.
[[nodiscard]] Status open_objects_into_pages(WriteTxn& txn);

}  // namespace csd
