// A canonical text dump of every table of a store (but `sync_status`, the
// sync loops' runtime state, which is not chain state): tables by name, rows in
// ascending order of all their columns, BLOBs in hex. The ledger and the
// account totals are dumped as rows under the names `tst_ledger` and
// `tst_account` (the columns of the tables schemas 2 and 3 had), not as the
// runs and pages that hold them (ledger_run, ledger_chunk, account_page),
// whose layout depends on the batch history. Two stores hold the same
// data exactly when their dumps are equal; the rollback, rederive and crash
// tests compare stores this way.
#pragma once

#include <string>
#include <vector>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

// Reads in one ReadTxn, so the dump is of one consistent snapshot.
[[nodiscard]] Result<std::string> dump_store(Database& db);

// The names dump_store dumps, in its order (`tst_ledger` included).
[[nodiscard]] Result<std::vector<std::string>> dumped_tables(Database& db);

// The dump of one table (same format, any table); an error for an unknown table.
[[nodiscard]] Result<std::string> dump_table(Database& db, std::string_view table);

}  // namespace csd
