#include "store/ledger_fill.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "decoders/evm_events.hpp"
#include "decoders/hex.hpp"
#include "store/raw_log_lookup.hpp"
#include "store/try.hpp"

namespace csd {
namespace {

std::string row_name(const LedgerRow& row) {
  return "ledger row of " + to_hex(row.address.span()) + " at block " + std::to_string(row.entry.block) +
         ", log " + std::to_string(row.entry.log_index) + " (" +
         std::string(ledger_kind_name(row.entry.type)) + ")";
}

Status complete_from(const RawLogLookup::Found& found, LedgerRow& row) {
  row.entry.tx_hash = found.log->tx_hash;
  row.entry.time = found.block_time;
  if (!ledger_kind_reads_log(row.entry.type)) return {};
  auto transfer = decode_transfer(found.log->topics, found.log->data);
  if (!transfer) {
    return make_error(ErrorCode::kMalformed, "store: " + row_name(row) + ": " + transfer.error().message);
  }
  const bool incoming = row.entry.type == LedgerKind::kTransferIn;
  if ((incoming ? transfer->to : transfer->from) != row.address) {
    return make_error(ErrorCode::kMalformed, "store: " + row_name(row) + ": its raw Transfer is " +
                                                 to_hex(transfer->from.span()) + " -> " +
                                                 to_hex(transfer->to.span()));
  }
  row.entry.amount = transfer->value;
  row.entry.counterparty = incoming ? transfer->from : transfer->to;
  return {};
}

}  // namespace

template <class Txn>
Status complete_ledger_rows(Txn& txn, std::span<LedgerRow> rows) {
  if (rows.empty()) return {};
  // In block order, so each block is read and unpacked once.
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(rows[a].entry.block, rows[a].entry.log_index) <
           std::pair(rows[b].entry.block, rows[b].entry.log_index);
  });
  CSD_TRY(lookup, RawLogLookup::open(txn));
  for (std::size_t i : order) {
    LedgerRow& row = rows[i];
    auto found = lookup.at(row.entry.block, row.entry.log_index);
    if (!found)
      return make_error(found.error().code, "store: " + row_name(row) + ": " + found.error().message);
    if (auto status = complete_from(*found, row); !status) return status;
  }
  return {};
}

template Status complete_ledger_rows(ReadTxn&, std::span<LedgerRow>);
template Status complete_ledger_rows(WriteTxn&, std::span<LedgerRow>);

}  // namespace csd
