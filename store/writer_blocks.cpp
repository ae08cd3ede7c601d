// Writer's block headers: the recent ones for reorg detection, and pruning
// of older headers that no view needs (WriterOptions::max_reorg_depth).
#include <algorithm>
#include <limits>
#include <string_view>

#include "store/derive.hpp"
#include "store/writer.hpp"

namespace csd {

namespace store_derive {
namespace {

// Deletes the chain's headers in [?2, ?3) whose block and the ?4 blocks
// before it carry no logs or TRON receipts.
constexpr std::string_view kPruneHeaders =
    "DELETE FROM block WHERE chain = ?1 AND height >= ?2 AND height < ?3 "
    "AND NOT EXISTS (SELECT 1 FROM raw_block r WHERE r.id BETWEEN ?1 * 72057594037927936 + "
    "max(block.height - ?4, 0) AND ?1 * 72057594037927936 + block.height) "
    "AND NOT (?1 = 3 AND EXISTS (SELECT 1 FROM tron_tx t WHERE t.block BETWEEN block.height - ?4 AND "
    "block.height))";

}  // namespace

Status prune_headers(WriteTxn& txn, ChainId chain, std::uint64_t from, std::uint64_t to,
                     const WriterOptions& options) {
  if (from >= to) return {};
  // TRON: a payout's confirmed_at is the time of the block solid_confirmations
  // − 1 after it (SPEC 3.3), so those headers stay too.
  const std::uint64_t lookback = chain == ChainId::kTron && options.tron_solid_confirmations > 0
                                     ? options.tron_solid_confirmations - 1
                                     : 0;
  auto st = txn.prepare(kPruneHeaders);
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain)).bind_uint64_clamped(2, from).bind_uint64_clamped(3, to);
  st->bind_uint64_clamped(4, lookback);
  return st->run();
}

}  // namespace store_derive

Result<std::vector<BlockHeader>> Writer::recent_blocks(ChainId chain, std::size_t depth) {
  auto st = db_.prepare(
      "SELECT height, hash, parent_hash, time FROM block WHERE chain = ?1 ORDER BY height DESC LIMIT ?2");
  if (!st) return std::move(st).error();
  const auto limit = static_cast<std::int64_t>(
      std::min<std::size_t>(depth, static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())));
  st->bind_int64(1, static_cast<std::int64_t>(chain)).bind_int64(2, limit);
  std::vector<BlockHeader> blocks;
  for (;;) {
    auto row = st->step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    auto hash = st->column_bytes<32, Hash32Tag>(1);
    auto parent = st->column_bytes<32, Hash32Tag>(2);
    if (!hash) return std::move(hash).error();
    if (!parent) return std::move(parent).error();
    blocks.push_back(
        BlockHeader{static_cast<std::uint64_t>(st->column_int64(0)), *hash, *parent, st->column_int64(3)});
  }
  return blocks;
}

Result<std::uint64_t> Writer::prune_blocks(ChainId chain, std::uint64_t keep_depth) {
  auto current = checkpoint(chain);
  if (!current) return std::move(current).error();
  if (!*current || (*current)->height <= keep_depth) return std::uint64_t{0};
  auto txn = db_.begin_write();
  if (!txn) return std::move(txn).error();
  // Headers of blocks with logs or receipts stay: the views read their times.
  if (auto status = store_derive::prune_headers(*txn, chain, 0, (*current)->height - keep_depth, options_);
      !status)
    return std::move(status).error();
  const auto deleted = static_cast<std::uint64_t>(txn->changes());
  if (auto status = txn->commit(); !status) return std::move(status).error();
  return deleted;
}

}  // namespace csd
