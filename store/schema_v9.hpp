// Schema version 9 (store/schema_v9.cpp), a step of schema.cpp's migrations.
#pragma once

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

// Rewrites every format-1 ledger chunk in format 2 (store/ledger_chunk.hpp):
// the rows no longer carry what their raw logs hold. Each row's transfer and
// tx hash are first checked against its raw log, so nothing the chunk held is
// lost; a row whose raw log is missing or disagrees fails the migration,
// naming the row. No table changes.
[[nodiscard]] Status ledger_chunks_to_format_2(WriteTxn& txn);

}  // namespace csd
