#include "store/writer.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "store/derive.hpp"
#include "store/ledger_runs.hpp"
#include "store/raw_pack.hpp"
#include "store/schema_v11.hpp"
#include "store/wal_checkpointer.hpp"

namespace csd {

std::string_view anomaly_kind_name(AnomalyKind kind) noexcept {
  switch (kind) {
    case AnomalyKind::kUndecodableLog:
      return "undecodable_log";
    case AnomalyKind::kDuplicateId:
      return "duplicate_id";
    case AnomalyKind::kNoOpenObject:
      return "no_open_object";
    case AnomalyKind::kAmountOverflow:
      return "amount_overflow";
    case AnomalyKind::kInvalidAccount:
      return "invalid_account";
  }
  return "unknown";
}

void WriterCounters::add(const WriterCounters& other) noexcept {
  batches += other.batches;
  blocks += other.blocks;
  logs += other.logs;
  accounts += other.accounts;
  rollbacks += other.rollbacks;
  rederives += other.rederives;
  for (std::size_t i = 0; i < anomalies.size(); ++i) anomalies[i] += other.anomalies[i];
}

// ---- shared derivation helpers (store/derive.hpp) ----

namespace store_derive {

Result<AnomalyRecorder> AnomalyRecorder::create(WriteTxn& txn, ChainId chain, WriterCounters& counters) {
  // OR IGNORE: the same input yields the same anomaly row; never a failure.
  auto insert = txn.prepare(
      "INSERT OR IGNORE INTO anomaly(chain, block, log_index, kind, detail) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!insert) return std::move(insert).error();
  return AnomalyRecorder(std::move(*insert), chain, counters);
}

namespace {

template <class Binder>
void bind_anomaly(Binder& st, ChainId chain, std::uint64_t block, std::int64_t log_index, AnomalyKind kind,
                  std::string_view detail) {
  st.bind_int64(1, static_cast<std::int64_t>(chain)).bind_uint64_clamped(2, block);
  st.bind_int64(3, log_index).bind_int64(4, static_cast<std::int64_t>(kind)).bind_text(5, detail);
}

}  // namespace

Status AnomalyRecorder::record(std::uint64_t block, std::int64_t log_index, AnomalyKind kind,
                               std::string_view detail) {
  bind_anomaly(insert_, chain_, block, log_index, kind, detail);
  if (auto status = insert_.run(); !status) return status;
  ++counters_->anomalies[static_cast<std::size_t>(kind) - 1];
  return {};
}

Status AnomalyRecorder::record_into(DeferredInserts& rows, std::uint64_t block, std::int64_t log_index,
                                    AnomalyKind kind, std::string_view detail) {
  bind_anomaly(rows.row(insert_), chain_, block, log_index, kind, detail);
  ++counters_->anomalies[static_cast<std::size_t>(kind) - 1];
  return {};
}

Status run_each_above(WriteTxn& txn, std::span<const std::string_view> statements, std::uint64_t height) {
  for (const std::string_view sql : statements) {
    auto st = txn.prepare(sql);
    if (!st) return std::move(st).error();
    st->bind_uint64_clamped(1, height);
    if (auto status = st->run(); !status) return status;
  }
  return {};
}

Status unwind_anomalies(WriteTxn& txn, ChainId chain, std::uint64_t height) {
  auto st = txn.prepare("DELETE FROM anomaly WHERE chain = ?1 AND block > ?2");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain)).bind_uint64_clamped(2, height);
  return st->run();
}

}  // namespace store_derive

namespace {

Error invalid_batch(ChainId chain, const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument,
                    "store: " + std::string(chain_name(chain)) + " batch: " + what);
}

bool contains_block(const Batch& batch, std::uint64_t height) {
  return std::binary_search(batch.blocks.begin(), batch.blocks.end(), height,
                            [](const auto& a, const auto& b) {
                              if constexpr (std::is_same_v<std::decay_t<decltype(a)>, BlockHeader>) {
                                return a.height < b;
                              } else {
                                return a < b.height;
                              }
                            });
}

const BlockHeader* find_block(const Batch& batch, std::uint64_t height) {
  auto it = std::lower_bound(batch.blocks.begin(), batch.blocks.end(), height,
                             [](const BlockHeader& block, std::uint64_t h) { return block.height < h; });
  return it != batch.blocks.end() && it->height == height ? &*it : nullptr;
}

Status check_kinds(ChainId chain, const Batch& batch) {
  if (chain != ChainId::kTron && !batch.tron_txs.empty())
    return invalid_batch(chain, "TRON receipts in batch");
  if (chain != ChainId::kSolana && !batch.accounts.empty())
    return invalid_batch(chain, "Solana accounts in batch");
  if (chain == ChainId::kSolana && !batch.logs.empty()) return invalid_batch(chain, "logs in a Solana batch");
  return {};
}

// batch.hpp's REQUIRES, checked before anything is written.
Status validate_batch(ChainId chain, const Batch& batch, const std::optional<Checkpoint>& current) {
  if (auto status = check_kinds(chain, batch); !status) return status;
  const std::uint64_t top = batch.checkpoint.height;
  if (current && top < current->height) {
    return invalid_batch(chain, "checkpoint " + std::to_string(top) + " is below the stored checkpoint " +
                                    std::to_string(current->height));
  }
  if (top > kMaxStoredHeight) {
    return invalid_batch(chain, "checkpoint " + std::to_string(top) + " above the store's limit 2^56-1");
  }
  const auto check_height = [&](std::uint64_t height, const char* what) -> Status {
    if (height > top) {
      return invalid_batch(chain, std::string(what) + " " + std::to_string(height) +
                                      " above the batch checkpoint " + std::to_string(top));
    }
    if (current && height <= current->height) {
      return invalid_batch(chain, std::string(what) + " " + std::to_string(height) +
                                      " at or below the stored checkpoint " +
                                      std::to_string(current->height));
    }
    return {};
  };
  for (std::size_t i = 0; i < batch.blocks.size(); ++i) {
    if (i > 0 && batch.blocks[i].height <= batch.blocks[i - 1].height) {
      return invalid_batch(chain, "blocks not ascending at " + std::to_string(batch.blocks[i].height));
    }
    if (auto status = check_height(batch.blocks[i].height, "block"); !status) return status;
  }
  if (const BlockHeader* same = find_block(batch, top); same != nullptr && !(*same == batch.checkpoint)) {
    return invalid_batch(chain, "checkpoint header differs from block " + std::to_string(top));
  }
  for (std::size_t i = 0; i < batch.logs.size(); ++i) {
    const RawLog& log = batch.logs[i];
    if (i > 0 && std::pair(log.block, log.log_index) <=
                     std::pair(batch.logs[i - 1].block, batch.logs[i - 1].log_index)) {
      return invalid_batch(chain, "logs not ascending at block " + std::to_string(log.block) + " index " +
                                      std::to_string(log.log_index));
    }
    if (!contains_block(batch, log.block)) {
      return invalid_batch(chain, "log in block " + std::to_string(log.block) + " without its block header");
    }
    if (auto status = check_packable(log); !status) return status;
    // The object histories key a BSC log by block · 2^24 + log_index (store/schema_v11.hpp).
    if (chain == ChainId::kBsc && (log.block > kHistoryMaxBlock || log.log_index > kHistoryMaxLogIndex)) {
      return invalid_batch(chain, "log " + std::to_string(log.log_index) + " of block " +
                                      std::to_string(log.block) +
                                      " beyond the store's limits (log_index < 2^24, block < 2^39)");
    }
  }
  for (const TronTxInfo& tx : batch.tron_txs) {
    if (!contains_block(batch, tx.block)) {
      return invalid_batch(chain,
                           "receipt in block " + std::to_string(tx.block) + " without its block header");
    }
  }
  for (const SolanaAccountVersion& version : batch.accounts) {
    // Solana versions may repeat a covered slot (a reconciliation snapshot at the checkpoint slot).
    if (version.slot > top) {
      return invalid_batch(chain, "account version at slot " + std::to_string(version.slot) +
                                      " above the batch checkpoint " + std::to_string(top));
    }
  }
  return {};
}

Result<std::optional<Checkpoint>> read_checkpoint(Database& db, ChainId chain) {
  auto st =
      db.prepare("SELECT height, hash, time, finalized_height, updated_at FROM checkpoint WHERE chain = ?1");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain));
  auto row = st->step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<Checkpoint>();
  auto hash = st->column_bytes<32, Hash32Tag>(1);
  if (!hash) return std::move(hash).error();
  Checkpoint cp;
  cp.height = static_cast<std::uint64_t>(st->column_int64(0));
  cp.hash = *hash;
  cp.time = st->column_int64(2);
  if (!st->is_null(3)) cp.finalized_height = static_cast<std::uint64_t>(st->column_int64(3));
  cp.updated_at = st->column_int64(4);
  return std::optional<Checkpoint>(cp);
}

Status write_checkpoint(WriteTxn& txn, ChainId chain, const Checkpoint& cp) {
  auto st = txn.prepare(
      "INSERT OR REPLACE INTO checkpoint(chain, height, hash, time, finalized_height, updated_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain))
      .bind_uint64_clamped(2, cp.height)
      .bind_bytes(3, cp.hash);
  st->bind_int64(4, cp.time).bind_int64(6, cp.updated_at);
  if (cp.finalized_height) {
    st->bind_uint64_clamped(5, *cp.finalized_height);
  } else {
    st->bind_null(5);
  }
  return st->run();
}

// The lowest height whose header reorg detection needs at checkpoint `height`
// (the same rule as Writer::prune_blocks); 0 with pruning off.
std::uint64_t reorg_window_start(std::uint64_t height, std::uint64_t max_reorg_depth) {
  if (max_reorg_depth == 0 || height <= max_reorg_depth) return 0;
  return height - max_reorg_depth;
}

// Replays stored raw logs above `height` through a deriver, in (block, log_index) order.
template <class Deriver>
Status replay_logs(WriteTxn& txn, ChainId chain, std::uint64_t height, Deriver& deriver) {
  auto st = txn.prepare("SELECT height, logs, time FROM raw_block WHERE id > ?1 AND id < ?2 ORDER BY id");
  if (!st) return std::move(st).error();
  const std::uint64_t from = std::min(height, kMaxStoredHeight);
  st->bind_int64(1, raw_block_id(chain, from)).bind_int64(2, raw_block_id(chain, 0) + kRawBlockChainSpan);
  for (;;) {
    auto row = st->step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    const auto block = static_cast<std::uint64_t>(st->column_int64(0));
    auto logs = unpack_block_logs(block, st->column_blob(1));
    if (!logs) return std::move(logs).error();
    for (const RawLog& log : *logs) {
      if (auto status = deriver.derive(log, st->column_int64(2)); !status) return status;
    }
  }
  return {};
}

}  // namespace

// ---- Writer ----

Writer::Writer(Database db, StoreContracts contracts, Clock clock, WriterOptions options)
    : db_(std::move(db)),
      contracts_(std::move(contracts)),
      clock_(std::move(clock)),
      options_(options),
      tst_decoder_(contracts_.bsc),
      payout_decoder_(contracts_.tron_routers),
      accounts_(std::make_unique<store_derive::AccountCache>()) {
  if (options_.background_checkpoint_frames > 0) {
    auto started = WalCheckpointer::start(db_, options_.background_checkpoint_frames);
    // Without it SQLite's automatic checkpoint still runs: slower, not wrong.
    if (started) checkpointer_ = std::move(*started);
  }
}

Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;
Writer::~Writer() {
  if (checkpointer_) WalCheckpointer::unhook(db_);
}

Result<Writer> Writer::open(const std::filesystem::path& path, StoreContracts contracts, Clock clock,
                            WriterOptions options) {
  auto db = Database::open_writer(path);
  if (!db) return std::move(db).error();
  return Writer(std::move(*db), std::move(contracts), std::move(clock), options);
}

ledger_runs::Options Writer::ledger_options() const noexcept {
  return ledger_runs::Options{options_.ledger_run_fanout, options_.max_reorg_depth};
}

Result<std::optional<Checkpoint>> Writer::checkpoint(ChainId chain) {
  return read_checkpoint(db_, chain);
}

namespace {

// Why a BSC or TRON batch commits with synchronous = NORMAL: the commit stays
// atomic, its checkpoint commits with its rows, and a killed process loses
// nothing (SPEC 3.4; the crash test kills the writer 200 times). Only a power
// cut or OS crash can undo the last few batches, whole and checkpoint
// included, and the restarted daemon fetches those blocks again from the node,
// which keeps them. An fsync per batch would wait behind the node's own disk
// writes (docs/store.md, "Commit durability"). A Solana batch is different:
// its account versions are observed live and a node cannot return an older
// version again, so it commits with FULL, as do rollback and rederive (an
// operator's reindex must not come undone). A FULL commit also makes every
// NORMAL commit before it durable.
CommitDurability durability_of_batch(ChainId chain) noexcept {
  return chain == ChainId::kSolana ? CommitDurability::kPowerLoss : CommitDurability::kProcessCrash;
}

}  // namespace

Status Writer::apply(ChainId chain, const Batch& batch) {
  if (auto status = db_.set_commit_durability(durability_of_batch(chain)); !status) return status;
  auto txn = db_.begin_write();
  if (!txn) return std::move(txn).error();
  auto current = read_checkpoint(db_, chain);
  if (!current) return std::move(current).error();
  if (auto status = validate_batch(chain, batch, *current); !status) return status;
  WriterCounters pending;
  Status applied = apply_in(*txn, chain, batch, *current, pending);
  if (applied) applied = txn->commit();
  if (!applied) {
    accounts_->clear();  // it may hold the batch's changes, which did not commit
    return applied;
  }
  accounts_->committed();
  pending.batches = 1;
  pending.blocks = batch.blocks.size();
  pending.logs = batch.logs.size();
  pending.accounts = batch.accounts.size();
  counters_.add(pending);
  return {};
}

Status Writer::apply_in(WriteTxn& txn, ChainId chain, const Batch& batch,
                        const std::optional<Checkpoint>& current, WriterCounters& pending) {
  const bool advances = !current || batch.checkpoint.height > current->height;
  const bool store_header = advances && find_block(batch, batch.checkpoint.height) == nullptr;
  const std::uint64_t keep_from = reorg_window_start(batch.checkpoint.height, options_.max_reorg_depth);
  // Headers below the new reorg window would be pruned right away: not
  // written at all (most blocks of a backfill). TRON's rule also looks at
  // receipts of earlier batches, so there pruning decides.
  const std::uint64_t skip_headers_below = chain == ChainId::kTron ? 0 : keep_from;
  const auto write_raw = [&]() -> Status {
    if (auto status = store_derive::insert_raw(txn, chain, batch, store_header, skip_headers_below); !status)
      return status;
    if (!advances) return {};
    // The headers that leave the reorg window with this batch (prune_blocks).
    const std::uint64_t kept_from =
        current ? reorg_window_start(current->height, options_.max_reorg_depth) : 0;
    auto pruned = store_derive::prune_headers(txn, chain, kept_from, keep_from, options_);
    if (!pruned) return std::move(pruned).error();
    return {};
  };

  auto anomalies = store_derive::AnomalyRecorder::create(txn, chain, pending);
  if (!anomalies) return std::move(anomalies).error();
  const auto time_of = [&](const RawLog& log) { return find_block(batch, log.block)->time; };
  if (chain == ChainId::kBsc) {
    // Before the deriver writes totals: the cache holds committed ones only.
    if (auto status = accounts_->load(txn); !status) return status;
    auto deriver = store_derive::BscDeriver::create(txn, tst_decoder_, *anomalies, accounts_.get());
    if (!deriver) return std::move(deriver).error();
    if (options_.second_thread && accounts_->complete() && !batch.logs.empty()) {
      if (auto status = store_derive::derive_beside(*deriver, batch.logs, time_of, write_raw); !status)
        return status;
    } else {
      if (auto status = write_raw(); !status) return status;
      for (const RawLog& log : batch.logs) {
        if (auto status = deriver->derive(log, time_of(log)); !status) return status;
      }
    }
    if (auto status = deriver->finish(); !status) return status;
    if (auto status = ledger_runs::compact(txn, batch.checkpoint.height, ledger_options()); !status)
      return status;
  } else if (chain == ChainId::kTron) {
    if (auto status = write_raw(); !status) return status;
    auto deriver = store_derive::TronDeriver::create(txn, payout_decoder_, *anomalies);
    if (!deriver) return std::move(deriver).error();
    for (const RawLog& log : batch.logs) {
      if (auto status = deriver->derive(log, time_of(log)); !status) return status;
    }
  } else {
    if (auto status = write_raw(); !status) return status;
    std::vector<const SolanaAccountVersion*> order;
    for (const SolanaAccountVersion& version : batch.accounts) order.push_back(&version);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      return std::pair(a->slot, a->account) < std::pair(b->slot, b->account);
    });
    std::set<SolanaPubkey> touched;
    for (const SolanaAccountVersion* version : order) {
      std::optional<ByteSpan> data;
      if (version->data) data = ByteSpan(*version->data);
      if (auto status = store_derive::check_solana_version(contracts_, version->account, version->slot, data,
                                                           *anomalies);
          !status) {
        return status;
      }
      touched.insert(version->account);
    }
    for (const SolanaPubkey& account : touched) {
      if (auto status = store_derive::recompute_solana_stake(txn, contracts_, account); !status)
        return status;
    }
  }

  Checkpoint next;
  next.height = batch.checkpoint.height;
  next.hash = batch.checkpoint.hash;
  next.time = batch.checkpoint.time;
  next.finalized_height = batch.finalized_height;
  if (!next.finalized_height && current) next.finalized_height = current->finalized_height;
  next.updated_at = clock_();
  return write_checkpoint(txn, chain, next);
}

namespace {

// Deletes the chain's derived state above `height` (everything rollback and
// rederive have in common). Solana: the accounts with versions above the
// height are returned; their solana_stake rows are recomputed by the caller
// once the versions above are deleted (rollback) or replayed (rederive).
Result<std::vector<SolanaPubkey>> unwind_derived(WriteTxn& txn, ChainId chain, std::uint64_t height) {
  if (auto status = store_derive::unwind_anomalies(txn, chain, height); !status)
    return std::move(status).error();
  if (chain == ChainId::kBsc) {
    if (auto status = store_derive::unwind_bsc(txn, height); !status) return std::move(status).error();
    return std::vector<SolanaPubkey>{};
  }
  if (chain == ChainId::kTron) {
    if (auto status = store_derive::unwind_tron(txn, height); !status) return std::move(status).error();
    return std::vector<SolanaPubkey>{};
  }
  return store_derive::solana_accounts_above(txn, height);
}

Status run_with_height(WriteTxn& txn, std::string_view sql, ChainId chain, std::uint64_t height) {
  auto st = txn.prepare(sql);
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain)).bind_uint64_clamped(2, height);
  return st->run();
}

struct KnownBlock {
  Hash32 hash;
  std::int64_t time = 0;
};

// Block `height`'s hash and time: from its header, or (below the reorg window
// on BSC) from its raw_block row; nullopt when neither is stored.
Result<std::optional<KnownBlock>> known_block(Database& db, ChainId chain, std::uint64_t height) {
  auto st = db.prepare(
      "SELECT hash, time FROM block WHERE chain = ?1 AND height = ?2 "
      "UNION ALL SELECT hash, time FROM raw_block WHERE id = ?3 LIMIT 1");
  if (!st) return std::move(st).error();
  st->bind_int64(1, static_cast<std::int64_t>(chain)).bind_uint64_clamped(2, height);
  st->bind_int64(3, height <= kMaxStoredHeight ? raw_block_id(chain, height) : -1);  // -1: no row
  auto row = st->step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<KnownBlock>();
  auto hash = st->column_bytes<32, Hash32Tag>(0);
  if (!hash) return std::move(hash).error();
  return std::optional<KnownBlock>(KnownBlock{*hash, st->column_int64(1)});
}

}  // namespace

Status Writer::rollback(ChainId chain, std::uint64_t height) {
  accounts_->clear();  // the user states change below the cache
  if (auto status = db_.set_commit_durability(CommitDurability::kPowerLoss); !status) return status;
  auto txn = db_.begin_write();
  if (!txn) return std::move(txn).error();
  auto current = read_checkpoint(db_, chain);
  if (!current) return std::move(current).error();
  if (!*current || height >= (*current)->height) return txn->commit();

  auto touched = unwind_derived(*txn, chain, height);
  if (!touched) return std::move(touched).error();
  static constexpr std::string_view kRaw[] = {
      "DELETE FROM raw_block WHERE id > ?1 * 72057594037927936 + ?2 AND id < (?1 + 1) * 72057594037927936",
      "DELETE FROM tron_tx WHERE ?1 = 3 AND block > ?2",
      "DELETE FROM solana_account WHERE ?1 = 2 AND slot > ?2",
      "DELETE FROM block WHERE chain = ?1 AND height > ?2",
  };
  for (std::string_view sql : kRaw) {
    if (auto status = run_with_height(*txn, sql, chain, height); !status) return status;
  }
  for (const SolanaPubkey& account : *touched) {
    if (auto status = store_derive::recompute_solana_stake(*txn, contracts_, account); !status) return status;
  }

  auto block = known_block(db_, chain, height);
  if (!block) return std::move(block).error();
  Checkpoint next;
  next.height = height;
  if (*block) {
    next.hash = (*block)->hash;
    next.time = (*block)->time;
  }
  if ((*current)->finalized_height) next.finalized_height = std::min(*(*current)->finalized_height, height);
  next.updated_at = clock_();
  if (auto status = write_checkpoint(*txn, chain, next); !status) return status;
  if (auto status = txn->commit(); !status) return status;
  ++counters_.rollbacks;
  return {};
}

Status Writer::rederive(ChainId chain, std::uint64_t from_height) {
  accounts_->clear();  // the user states are rebuilt below the cache
  if (auto status = db_.set_commit_durability(CommitDurability::kPowerLoss); !status) return status;
  auto txn = db_.begin_write();
  if (!txn) return std::move(txn).error();
  WriterCounters pending;
  auto anomalies = store_derive::AnomalyRecorder::create(*txn, chain, pending);
  if (!anomalies) return std::move(anomalies).error();
  auto touched = unwind_derived(*txn, chain, from_height);
  if (!touched) return std::move(touched).error();

  if (chain == ChainId::kBsc) {
    auto deriver = store_derive::BscDeriver::create(*txn, tst_decoder_, *anomalies);
    if (!deriver) return std::move(deriver).error();
    if (auto status = replay_logs(*txn, chain, from_height, *deriver); !status) return status;
    if (auto status = deriver->finish(); !status) return status;
    auto current = read_checkpoint(db_, chain);
    if (!current) return std::move(current).error();
    const std::uint64_t top = *current ? (*current)->height : from_height;
    if (auto status = ledger_runs::compact(*txn, top, ledger_options()); !status) return status;
  } else if (chain == ChainId::kTron) {
    auto deriver = store_derive::TronDeriver::create(*txn, payout_decoder_, *anomalies);
    if (!deriver) return std::move(deriver).error();
    if (auto status = replay_logs(*txn, chain, from_height, *deriver); !status) return status;
  } else {
    auto st =
        txn->prepare("SELECT account, slot, data FROM solana_account WHERE slot > ?1 ORDER BY slot, account");
    if (!st) return std::move(st).error();
    st->bind_uint64_clamped(1, from_height);
    auto checked = for_each_row(*st, [&](const Statement& row) -> Status {
      auto account = row.column_bytes<32, SolanaPubkeyTag>(0);
      if (!account) return std::move(account).error();
      std::optional<ByteSpan> data;
      if (!row.is_null(2)) data = row.column_blob(2);
      const auto slot = static_cast<std::uint64_t>(row.column_int64(1));
      return store_derive::check_solana_version(contracts_, *account, slot, data, *anomalies);
    });
    if (!checked) return checked;
    for (const SolanaPubkey& account : *touched) {
      if (auto status = store_derive::recompute_solana_stake(*txn, contracts_, account); !status)
        return status;
    }
  }
  if (auto status = txn->commit(); !status) return status;
  pending.rederives = 1;
  counters_.add(pending);
  return {};
}

}  // namespace csd
