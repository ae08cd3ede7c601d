// A canonical text dump of every table of a store (but `sync_status`, the
// sync loops' runtime state, which is not chain state): tables by name, rows in
// ascending order of all their columns, BLOBs in hex. Two stores hold the same
// data exactly when their dumps are equal; the rollback, rederive and crash
// tests compare stores this way.
#pragma once

#include <string>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

// Reads in one ReadTxn, so the dump is of one consistent snapshot.
[[nodiscard]] Result<std::string> dump_store(Database& db);

// The dump of one table (same format, any table); an error for an unknown table.
[[nodiscard]] Result<std::string> dump_table(Database& db, std::string_view table);

}  // namespace csd
