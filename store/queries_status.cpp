// Queries of every chain: the checkpoint as `as_of` (SPEC 3.4: every view
// reports the block it reflects and whether it is final) and the store's part
// of GET /v1/status.
#include <optional>
#include <utility>

#include "store/queries.hpp"

namespace csd {
namespace {

// A single count with an optional ?1; no row counts 0.
Result<std::uint64_t> count_rows(ReadTxn& txn, std::string_view sql, std::optional<std::int64_t> bind) {
  auto st = txn.prepare(sql);
  if (!st) return std::move(st).error();
  if (bind) st->bind_int64(1, *bind);
  auto row = st->step();
  if (!row) return std::move(row).error();
  return *row ? static_cast<std::uint64_t>(st->column_int64(0)) : 0;
}

// Fills the sync loop's part of a chain's status (zero/empty while no row).
Status read_sync_status(ReadTxn& txn, ChainStatusView& view) {
  auto st = txn.prepare(
      "SELECT head, rpc_endpoint, last_error, last_error_at, syncing, last_reconciliation, updated_at "
      "FROM sync_status WHERE chain = ?1");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(view.chain));
  auto row = st->step();
  if (!row) return std::move(row).error();
  if (!*row) return {};
  if (!st->is_null(0)) view.head = static_cast<std::uint64_t>(st->column_int64(0));
  view.rpc_endpoint = st->column_text(1);
  view.last_error = st->column_text(2);
  view.last_error_at = st->column_int64(3);
  view.syncing = st->column_int64(4) != 0;
  if (!st->is_null(5)) view.last_reconciliation = st->column_int64(5);
  view.sync_updated_at = st->column_int64(6);
  return {};
}

}  // namespace

Result<std::optional<AsOf>> Queries::as_of(ChainId chain) {
  auto st = txn_->prepare("SELECT height, hash, time, finalized_height FROM checkpoint WHERE chain = ?1");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain));
  auto row = st->step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<AsOf>();
  auto hash = st->column_bytes<32, Hash32Tag>(1);
  if (!hash) return std::move(hash).error();
  AsOf as_of{chain, static_cast<std::uint64_t>(st->column_int64(0)), *hash, st->column_int64(2),
             std::nullopt};
  if (!st->is_null(3)) as_of.finalized_block = static_cast<std::uint64_t>(st->column_int64(3));
  return std::optional<AsOf>(as_of);
}

Result<StatusView> Queries::status() {
  StatusView view;
  for (ChainId chain : kAllChains) {
    ChainStatusView chain_view;
    chain_view.chain = chain;
    auto st = txn_->prepare(
        "SELECT height, hash, time, finalized_height, updated_at FROM checkpoint WHERE chain = ?1");
    if (!st) return std::move(st).error();
    st->bind_int64(1, static_cast<std::int64_t>(chain));
    auto row = st->step();
    if (!row) return std::move(row).error();
    if (*row) {
      auto hash = st->column_bytes<32, Hash32Tag>(1);
      if (!hash) return std::move(hash).error();
      chain_view.indexed = static_cast<std::uint64_t>(st->column_int64(0));
      chain_view.indexed_hash = *hash;
      chain_view.indexed_time = st->column_int64(2);
      if (!st->is_null(3)) chain_view.finalized = static_cast<std::uint64_t>(st->column_int64(3));
      chain_view.updated_at = st->column_int64(4);
    }
    // row_count: maintained by the schema's triggers, so no count over the rows.
    auto anomalies = count_rows(*txn_, "SELECT n FROM row_count WHERE name = 'anomaly' AND chain = ?1",
                                static_cast<std::int64_t>(chain));
    if (!anomalies) return std::move(anomalies).error();
    chain_view.anomalies = *anomalies;
    if (chain == ChainId::kSolana) {
      auto tracked = count_rows(*txn_, "SELECT n FROM row_count WHERE name = 'solana_stake' AND chain = 2",
                                std::nullopt);
      if (!tracked) return std::move(tracked).error();
      chain_view.accounts_tracked = *tracked;
    }
    if (auto synced = read_sync_status(*txn_, chain_view); !synced) return std::move(synced).error();
    view.chains.push_back(chain_view);
  }
  return view;
}

}  // namespace csd
