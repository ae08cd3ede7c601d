// Writer: the store's only writer (docs/store.md). `apply` stores one batch of
// a chain's blocks — raw inputs, the rows derived from them, and the chain's
// new checkpoint — in one transaction, so a crash at any instant loses and
// duplicates nothing (SPEC 3.4). `rollback` undoes everything above a height
// (reorgs, reindex); `rederive` rebuilds the derived rows above a height from
// the stored raw inputs, through the same derivation code as `apply`.
//
// Inputs that cannot change the state — a release, unstake or consumption
// without a matching open object, a duplicate id, an undecodable log of a
// configured contract, an invalid Solana account — are ignored for the state,
// recorded in the `anomaly` table and counted.
//
// Thread safety: owned by the writer thread; not shareable. Readers use their
// own connections (store/reader_pool.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/result.hpp"
#include "store/batch.hpp"
#include "store/chain_id.hpp"
#include "store/database.hpp"

namespace csd {

class WalCheckpointer;

namespace ledger_runs {
struct Options;
}

namespace store_derive {
class AccountCache;
struct UserState;
}  // namespace store_derive

// The contracts whose logs and accounts the store derives state from.
struct StoreContracts {
  TstContracts bsc;                        // SPEC 3.1
  std::vector<PayoutRouter> tron_routers;  // SPEC 3.3
  SolanaPubkey solana_program_id;          // SPEC 3.2
  SolanaPubkey solana_pool;
};

// A ledger row's kind (`tst_ledger.kind` in the dump): one row per TST movement per
// address; stable (stored in the ledger chunks).
enum class LedgerKind : std::uint8_t {
  kTransferIn = 1,
  kTransferOut = 2,
  kLock = 3,
  kRelease = 4,
  kTerminate = 5,
  kStake = 6,
  kUnstake = 7,
  kReserve = 8,
  kConsume = 9,  // amount = units consumed
  kReleaseReservation = 10,
};

// `tst_lock.closed_kind`; stable (stored).
enum class LockClosedKind : std::uint8_t { kReleased = 1, kTerminated = 2 };

// `payout.kind`; stable (stored). `payout.router_type` is PayoutRouterType.
enum class PayoutKind : std::uint8_t { kExecuted = 1, kFailed = 2 };

// The `anomaly.kind` values; stable (stored).
enum class AnomalyKind : std::uint8_t {
  kUndecodableLog = 1,  // a configured contract emitted one of our topic0s but the log does not decode
  kDuplicateId = 2,     // TSTLocked/TierStaked/ComputeReserved with an id already seen
  kNoOpenObject = 3,    // a release/terminate/unstake/consume/reservation release without an open object
  kAmountOverflow = 4,  // a transfer that would push an account's running total past 2^256-1
  kInvalidAccount = 5,  // a Solana account version that is not a valid UserStake of our pool
};
inline constexpr std::size_t kAnomalyKindCount = 5;

// "undecodable_log", "duplicate_id", "no_open_object", "amount_overflow", "invalid_account".
[[nodiscard]] std::string_view anomaly_kind_name(AnomalyKind kind) noexcept;

// Monotonic counters since the Writer was built (committed work only).
struct WriterCounters {
  std::uint64_t batches = 0;
  std::uint64_t blocks = 0;
  std::uint64_t logs = 0;
  std::uint64_t accounts = 0;
  std::uint64_t rollbacks = 0;
  std::uint64_t rederives = 0;
  std::array<std::uint64_t, kAnomalyKindCount> anomalies{};  // index: kind - 1

  [[nodiscard]] std::uint64_t anomaly(AnomalyKind kind) const noexcept {
    return anomalies[static_cast<std::size_t>(kind) - 1];
  }
  void add(const WriterCounters& other) noexcept;
};

// What a chain's sync loop last saw of its node, for /v1/status, /health and
// `chainsyncd status` (SPEC 5 status: head, rpc endpoint in use, last error,
// syncing; Solana: last reconciliation). Runtime state, not chain state:
// rollback and rederive leave it alone, and dump_store leaves it out.
struct SyncStatus {
  std::optional<std::uint64_t> head;                // node head seen (block / slot)
  std::string rpc_endpoint;                         // URL in use, without credentials
  std::string last_error;                           // empty when the last attempt succeeded
  std::int64_t last_error_at = 0;                   // unix seconds, 0 = never
  bool syncing = false;                             // true while backfilling (checkpoint far behind head)
  std::optional<std::int64_t> last_reconciliation;  // Solana: unix seconds of the last full reconciliation
  friend bool operator==(const SyncStatus&, const SyncStatus&) = default;
};

// Writer settings.
struct WriterOptions {
  // SPEC 3.4 max_reorg_depth: the headers of the blocks this far below the
  // checkpoint serve reorg detection and are kept; older headers are kept only
  // for blocks with logs or TRON receipts (the views read their times).
  // A rollback deeper than this (a reindex) may find its block's hash unknown.
  // 0 keeps every header. REQUIRES: ≥ every chain's configured max_reorg_depth.
  std::uint64_t max_reorg_depth = 64;
  // SPEC 3.3 [tron] solid_confirmations: a payout's confirmed_at is the time
  // of the block this many − 1 after it, so TRON keeps those headers as well.
  // REQUIRES: the value the queries use (QueryConfig::solid_confirmations).
  std::uint64_t tron_solid_confirmations = 19;
  // WAL checkpoints run on a thread of their own once the WAL holds this many
  // frames (WalCheckpointer); 0: SQLite's automatic checkpoint, inside the
  // writer's commits (at Database::kAutocheckpointFrames).
  int background_checkpoint_frames = Database::kAutocheckpointFrames;
  // The ledger's runs (store/ledger_runs.hpp): this many runs of one level are
  // merged into one of the next. Runs holding blocks within max_reorg_depth of
  // the checkpoint go no higher than level 1, so a reorg rewrites small runs.
  std::size_t ledger_run_fanout = 8;
  // BSC batches: a second thread derives the logs in memory while the
  // writer's thread inserts the raw blocks and then the history and anomaly
  // rows derived so far (docs/store.md "Two threads per BSC batch"). Used
  // for a batch with logs when every committed state is in the writer's
  // cache (up to 2^18 addresses); false: one thread (the tests compare both).
  bool second_thread = true;
};

class Writer {
 public:
  // The clock stamps checkpoint.updated_at (unix seconds).
  using Clock = std::function<std::int64_t()>;

  // REQUIRES: db was opened with Database::open_writer.
  Writer(Database db, StoreContracts contracts, Clock clock, WriterOptions options = {});
  Writer(Writer&&) noexcept;
  Writer& operator=(Writer&&) noexcept;
  ~Writer();
  [[nodiscard]] static Result<Writer> open(const std::filesystem::path& path, StoreContracts contracts,
                                           Clock clock, WriterOptions options = {});

  // Stores the batch and advances the chain's checkpoint, in one transaction.
  // Headers that fall more than options.max_reorg_depth below the new
  // checkpoint are dropped in the same transaction, on TRON unless their block
  // has logs or receipts (prune_blocks, applied as the checkpoint moves); a
  // block with logs keeps its hash and time in its raw_block row.
  // Errors (kInvalidArgument) for a batch that breaks batch.hpp's REQUIRES;
  // nothing is written then.
  [[nodiscard]] Status apply(ChainId chain, const Batch& batch);

  // Deletes the chain's raw and derived rows above `height`, reopens objects
  // closed above it, restores running totals, and moves the checkpoint to
  // `height` (hash and time from the stored header or raw_block row of block
  // `height`, zero/0 when neither was stored). Nothing to do when the checkpoint is at or below it.
  [[nodiscard]] Status rollback(ChainId chain, std::uint64_t height);

  // Rebuilds the chain's derived rows above `from_height` from the stored raw
  // inputs; raw inputs and checkpoint stay.
  [[nodiscard]] Status rederive(ChainId chain, std::uint64_t from_height);

  // Upserts the chain's sync status row in its own small transaction, stamped
  // with the writer clock (sync_status.updated_at). Never touches the checkpoint.
  [[nodiscard]] Status record_sync_status(ChainId chain, const SyncStatus& status);
  // Raises the checkpoint's finalized height to `finalized` (never lowers it;
  // rollback does that). A chain idle at its head writes no batch, so without
  // this the views' finalized block would stay wherever the last batch left it.
  // No checkpoint yet: nothing to do.
  [[nodiscard]] Status record_finalized(ChainId chain, std::uint64_t finalized);

  [[nodiscard]] Result<std::optional<Checkpoint>> checkpoint(ChainId chain);
  // The `depth` highest stored block headers of the chain, newest first.
  [[nodiscard]] Result<std::vector<BlockHeader>> recent_blocks(ChainId chain, std::size_t depth);
  // Deletes the stored headers that lie more than `keep_depth` below the
  // checkpoint (they only served reorg detection), by prune_headers' rule. Returns the number of rows
  // deleted. `apply` already does this with options.max_reorg_depth; this serves a smaller depth or a store
  // written with pruning off.
  [[nodiscard]] Result<std::uint64_t> prune_blocks(ChainId chain, std::uint64_t keep_depth);

  [[nodiscard]] const WriterCounters& counters() const noexcept { return counters_; }
  // The background checkpointer (null when options turned it off or its
  // connection could not be opened: then SQLite checkpoints in the commits).
  [[nodiscard]] const WalCheckpointer* checkpointer() const noexcept { return checkpointer_.get(); }
  [[nodiscard]] Database& database() noexcept { return db_; }
  [[nodiscard]] const StoreContracts& contracts() const noexcept { return contracts_; }

 private:
  [[nodiscard]] Status apply_in(WriteTxn& txn, ChainId chain, const Batch& batch,
                                const std::optional<Checkpoint>& current, WriterCounters& pending);
  [[nodiscard]] ledger_runs::Options ledger_options() const noexcept;

  Database db_;
  StoreContracts contracts_;
  Clock clock_;
  WriterOptions options_;
  TstEventDecoder tst_decoder_;        // immutable
  PayoutEventDecoder payout_decoder_;  // immutable
  WriterCounters counters_;
  // Committed account totals seen recently; never ahead of the file.
  std::unique_ptr<store_derive::AccountCache> accounts_;
  // Null: SQLite's automatic checkpoints. Last, so a move assignment closes
  // the old connection (and its hook) before the old checkpointer goes.
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

}  // namespace csd
