// Completes ledger rows from the raw logs they name (schema 9, docs/store.md
// "The ledger as sorted runs"): a format-2 chunk stores a row's key, and its
// amount and counterparty unless it is a transfer; the rest is in the raw log
// at (block, log_index), which the store keeps for re-derivation anyway.
#pragma once

#include <span>

#include "decoders/result.hpp"
#include "store/ledger_chunk.hpp"

namespace csd {

// Fills in each row's tx_hash and time (its block's time), and a transfer's
// amount and counterparty (transfer_in: the sender; transfer_out: the
// recipient), from the raw logs in `txn`. Reads each block once. An error
// naming the row when its raw log is missing or is not the Transfer the row
// says it is (another event, or one between other addresses).
template <class Txn>
[[nodiscard]] Status complete_ledger_rows(Txn& txn, std::span<LedgerRow> rows);

}  // namespace csd
