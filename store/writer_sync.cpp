// Writer::record_sync_status: the sync loops' runtime state (SyncStatus in
// store/writer.hpp), one row per chain, outside the checkpoint's transactions;
// and Writer::record_finalized, the node's finality news between batches.
#include <string>

#include "store/writer.hpp"

namespace csd {

Status Writer::record_sync_status(ChainId chain, const SyncStatus& status) {
  auto txn = db_.begin_write();
  if (!txn) return std::move(txn).error();
  auto st = txn->prepare(
      "INSERT OR REPLACE INTO sync_status(chain, head, rpc_endpoint, last_error, last_error_at, syncing, "
      "last_reconciliation, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain));
  if (status.head) {
    st->bind_uint64_clamped(2, *status.head);
  } else {
    st->bind_null(2);
  }
  st->bind_text(3, status.rpc_endpoint).bind_text(4, status.last_error).bind_int64(5, status.last_error_at);
  st->bind_int64(6, status.syncing ? 1 : 0);
  if (status.last_reconciliation) {
    st->bind_int64(7, *status.last_reconciliation);
  } else {
    st->bind_null(7);
  }
  st->bind_int64(8, clock_());
  if (auto run = st->run(); !run) return run;
  return txn->commit();
}

Status Writer::record_finalized(ChainId chain, std::uint64_t finalized) {
  auto txn = db_.begin_write();
  if (!txn) return std::move(txn).error();
  auto st = txn->prepare(
      "UPDATE checkpoint SET finalized_height = ?2 WHERE chain = ?1 "
      "AND (finalized_height IS NULL OR finalized_height < ?2)");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain)).bind_uint64_clamped(2, finalized);
  if (auto run = st->run(); !run) return run;
  return txn->commit();
}

}  // namespace csd
