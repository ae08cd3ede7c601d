#include "store/schema_v9.hpp"

#include <span>
#include <string>
#include <vector>

#include "decoders/hex.hpp"
#include "store/ledger_chunk.hpp"
#include "store/ledger_fill.hpp"
#include "store/try.hpp"

namespace csd {
namespace {

// What a format-1 row held that format 2 reads from the raw log instead.
Status check_against_raw_log(const LedgerRow& stored, const LedgerRow& from_log, std::string_view chunk) {
  const LedgerEntry& a = stored.entry;
  const LedgerEntry& b = from_log.entry;
  if (a.tx_hash == b.tx_hash && a.amount == b.amount && a.counterparty == b.counterparty) return {};
  return make_error(ErrorCode::kMalformed,
                    "store: " + std::string(chunk) + ": the row of " + to_hex(stored.address.span()) +
                        " at block " + std::to_string(a.block) + ", log " + std::to_string(a.log_index) +
                        " does not match its raw log (tx_hash, amount or counterparty)");
}

Status convert_chunk(WriteTxn& txn, std::int64_t id, ByteSpan packed, Statement& update) {
  const std::string name = "ledger_chunk " + std::to_string(id);
  CSD_TRY(rows, decode_ledger_chunk(packed, name));
  Bytes chunk;
  begin_ledger_chunk(chunk);
  for (const LedgerRow& row : rows) append_ledger_row(row, chunk);
  CSD_TRY(stored, decode_ledger_chunk(chunk, name));
  if (auto status = complete_ledger_rows(txn, std::span<LedgerRow>(stored)); !status) return status;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (auto status = check_against_raw_log(rows[i], stored[i], name); !status) return status;
  }
  update.bind_blob_static(1, chunk).bind_int64(2, id);
  return update.run();
}

}  // namespace

Status ledger_chunks_to_format_2(WriteTxn& txn) {
  CSD_TRY(select, txn.prepare("SELECT id, packed FROM ledger_chunk WHERE substr(packed, 1, 1) = x'01' "
                              "ORDER BY id"));
  CSD_TRY(update, txn.prepare("UPDATE ledger_chunk SET packed = ?1 WHERE id = ?2"));
  // Collected first: the update must not run under the open SELECT's cursor.
  std::vector<std::pair<std::int64_t, Bytes>> chunks;
  for (;;) {
    CSD_TRY(row, select.step());
    if (!row) break;
    const ByteSpan blob = select.column_blob(1);
    chunks.emplace_back(select.column_int64(0), Bytes(blob.begin(), blob.end()));
  }
  for (const auto& [id, packed] : chunks) {
    if (auto status = convert_chunk(txn, id, packed, update); !status) return status;
  }
  return {};
}

}  // namespace csd
