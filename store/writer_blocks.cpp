// Writer's block headers: the recent ones for reorg detection, and pruning
// of older headers that no view needs (WriterOptions::max_reorg_depth).
#include <algorithm>
#include <limits>
#include <string_view>
#include <vector>

#include "store/derive.hpp"
#include "store/raw_pack.hpp"
#include "store/writer.hpp"

namespace csd {

namespace store_derive {
namespace {

// Column 0 (an integer) of each row of `st`, appended to `out`.
Status collect_integers(Statement& st, std::vector<std::uint64_t>& out) {
  return for_each_row(st, [&](const Statement& row) -> Status {
    out.push_back(static_cast<std::uint64_t>(row.column_int64(0)));
    return {};
  });
}

// The chain's heights in [low, high) with logs (and, for TRON, receipts), ascending.
Result<std::vector<std::uint64_t>> heights_in_use(WriteTxn& txn, ChainId chain, std::uint64_t low,
                                                  std::uint64_t high) {
  std::vector<std::uint64_t> used;
  auto logs = txn.prepare("SELECT id - ?1 FROM raw_block WHERE id >= ?1 + ?2 AND id < ?1 + ?3 ORDER BY id");
  if (!logs) return std::move(logs).error();
  logs->bind_int64(1, raw_block_id(chain, 0));
  logs->bind_int64(2, static_cast<std::int64_t>(low)).bind_int64(3, static_cast<std::int64_t>(high));
  if (auto status = collect_integers(*logs, used); !status) return std::move(status).error();
  if (chain == ChainId::kTron) {
    auto receipts = txn.prepare("SELECT DISTINCT block FROM tron_tx WHERE block >= ?1 AND block < ?2");
    if (!receipts) return std::move(receipts).error();
    receipts->bind_int64(1, static_cast<std::int64_t>(low)).bind_int64(2, static_cast<std::int64_t>(high));
    if (auto status = collect_integers(*receipts, used); !status) return std::move(status).error();
    std::sort(used.begin(), used.end());
  }
  return used;
}

// prune_headers over [from, to), with the TRON lookback given.
Result<std::uint64_t> prune_window(WriteTxn& txn, ChainId chain, std::uint64_t from, std::uint64_t to,
                                   std::uint64_t lookback) {
  // Range scans joined here: a correlated lookup per header, in SQL, cost several times more.
  auto used = heights_in_use(txn, chain, from > lookback ? from - lookback : 0, to);
  if (!used) return std::move(used).error();
  auto headers = txn.prepare("SELECT height FROM block WHERE chain = ?1 AND height >= ?2 AND height < ?3");
  if (!headers) return std::move(headers).error();
  headers->bind_int64(1, static_cast<std::int64_t>(chain));
  headers->bind_int64(2, static_cast<std::int64_t>(from)).bind_int64(3, static_cast<std::int64_t>(to));
  std::vector<std::uint64_t> stored;
  if (auto status = collect_integers(*headers, stored); !status) return std::move(status).error();
  auto remove = txn.prepare("DELETE FROM block WHERE chain = ?1 AND height = ?2");
  if (!remove) return std::move(remove).error();
  std::uint64_t removed = 0;
  for (const std::uint64_t height : stored) {
    // Kept when a block in [height − lookback, height] has logs or receipts.
    const auto first_use =
        std::lower_bound(used->begin(), used->end(), height > lookback ? height - lookback : 0);
    if (first_use != used->end() && *first_use <= height) continue;
    remove->bind_int64(1, static_cast<std::int64_t>(chain)).bind_int64(2, static_cast<std::int64_t>(height));
    if (auto status = remove->run(); !status) return std::move(status).error();
    ++removed;
  }
  return removed;
}

}  // namespace

Result<std::uint64_t> prune_headers(WriteTxn& txn, ChainId chain, std::uint64_t from, std::uint64_t to,
                                    const WriterOptions& options) {
  to = std::min(to, kMaxStoredHeight + 1);  // no stored height is above it (Writer::apply)
  if (from >= to) return std::uint64_t{0};
  if (chain != ChainId::kTron) {
    // A block with logs keeps its hash and time in its raw_block row (schema 5).
    auto remove = txn.prepare("DELETE FROM block WHERE chain = ?1 AND height >= ?2 AND height < ?3");
    if (!remove) return std::move(remove).error();
    remove->bind_int64(1, static_cast<std::int64_t>(chain));
    remove->bind_int64(2, static_cast<std::int64_t>(from)).bind_int64(3, static_cast<std::int64_t>(to));
    if (auto status = remove->run(); !status) return std::move(status).error();
    return static_cast<std::uint64_t>(txn.changes());
  }
  // TRON: a payout's confirmed_at is the time of the block solid_confirmations
  // − 1 after it (SPEC 3.3), so those headers stay too.
  const std::uint64_t lookback = chain == ChainId::kTron && options.tron_solid_confirmations > 0
                                     ? options.tron_solid_confirmations - 1
                                     : 0;
  // Windows bound the heights held in memory (prune_blocks may cover a whole chain).
  constexpr std::uint64_t kWindow = 65536;
  std::uint64_t removed = 0;
  for (std::uint64_t start = from; start < to; start += std::min(kWindow, to - start)) {
    auto window = prune_window(txn, chain, start, start + std::min(kWindow, to - start), lookback);
    if (!window) return window;
    removed += *window;
  }
  return removed;
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
  auto deleted = store_derive::prune_headers(*txn, chain, 0, (*current)->height - keep_depth, options_);
  if (!deleted) return std::move(deleted).error();
  if (auto status = txn->commit(); !status) return std::move(status).error();
  return *deleted;
}

}  // namespace csd
