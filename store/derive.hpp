// Derivation internals of the Writer (private to store/writer*.cpp and
// store/derive_*.cpp): raw inputs → derived rows, per chain, and the inverse
// "unwind above a height" that rollback and rederive share. Every function
// writes inside the caller's WriteTxn.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"
#include "store/account_pages.hpp"
#include "store/address_table.hpp"
#include "store/batch.hpp"
#include "store/chain_id.hpp"
#include "store/database.hpp"
#include "store/deferred_inserts.hpp"
#include "store/ledger_runs.hpp"
#include "store/writer.hpp"

namespace csd::store_derive {

// Inserts anomaly rows and counts them into `counters`.
class AnomalyRecorder {
 public:
  [[nodiscard]] static Result<AnomalyRecorder> create(WriteTxn& txn, ChainId chain, WriterCounters& counters);
  [[nodiscard]] Status record(std::uint64_t block, std::int64_t log_index, AnomalyKind kind,
                              std::string_view detail);
  // record(), with the row added to `rows` to insert later; counted now.
  Status record_into(DeferredInserts& rows, std::uint64_t block, std::int64_t log_index, AnomalyKind kind,
                     std::string_view detail);

 private:
  AnomalyRecorder(Statement insert, ChainId chain, WriterCounters& counters) noexcept
      : insert_(std::move(insert)), chain_(chain), counters_(&counters) {}
  Statement insert_;
  ChainId chain_;
  WriterCounters* counters_;
};

// Runs each statement with ?1 bound to `height`: the shared shape of every
// chain's unwind ("DELETE FROM t WHERE block > ?1", reopen objects closed above it).
[[nodiscard]] Status run_each_above(WriteTxn& txn, std::span<const std::string_view> statements,
                                    std::uint64_t height);

// Deletes the chain's headers in [from, to): on BSC and Solana all of them (a
// block with logs keeps its hash and time in raw_block); on TRON those of
// blocks without logs or receipts and not among the tron_solid_confirmations
// − 1 blocks after one (a payout's confirmed_at reads them). Returns the
// number deleted.
[[nodiscard]] Result<std::uint64_t> prune_headers(WriteTxn& txn, ChainId chain, std::uint64_t from,
                                                  std::uint64_t to, const WriterOptions& options);

// Writes the batch's raw inputs: its headers from `skip_headers_below` up (and
// the checkpoint's when `store_checkpoint_header`), a raw_block row per block
// with logs, TRON receipts and Solana account versions.
[[nodiscard]] Status insert_raw(WriteTxn& txn, ChainId chain, const Batch& batch,
                                bool store_checkpoint_header, std::uint64_t skip_headers_below);

// Deletes the chain's anomaly rows above `height`.
[[nodiscard]] Status unwind_anomalies(WriteTxn& txn, ChainId chain, std::uint64_t height);

// ---- BSC (SPEC 3.1) ----

// The user states (totals and open objects) the writer remembers between
// batches, so a batch reads the pages only for addresses it does not know
// (docs/store.md "Ingest cost"). load() reads every state when there are at
// most kMaxEntries: the cache is then complete, and an address it lacks has
// an empty state, with no page to read. A batch changes the states in place
// (touch) and writes the touched ones to their pages (take_touched); after
// its commit, committed() keeps the cache within its bound (past kMaxEntries
// it starts over, incomplete). A batch that fails must clear() the cache: it
// may hold that batch's changes. Owned by the writer thread.
class AccountCache {
 public:
  static constexpr std::size_t kMaxEntries = 1U << 18;
  // Reads every committed state if they are few enough; once after
  // construction or clear(). REQUIRES: nothing written yet in `txn`.
  [[nodiscard]] Status load(WriteTxn& txn);
  // The state of `address` for the batch to change, read from its page in
  // `txn` when the cache does not know it. The pointer lasts until the next touch.
  [[nodiscard]] Result<UserState*> touch(WriteTxn& txn, const EvmAddress& address);
  // Room for `count` more addresses: touches up to that many move no state.
  void reserve(std::size_t count) { entries_.reserve(entries_.size() + count); }
  // The addresses touched since the last call, ascending, with their states
  // (valid until the next touch).
  [[nodiscard]] std::vector<std::pair<EvmAddress, const UserState*>> take_touched();
  // The batch committed: the states stay, within the bound.
  void committed();
  void clear() noexcept;
  // The committed state when known; nullptr: unknown, or empty when complete().
  [[nodiscard]] const UserState* find(const EvmAddress& address) const noexcept;
  [[nodiscard]] bool complete() const noexcept { return complete_; }

 private:
  struct Entry {
    UserState state;
    bool touched = false;
  };
  AddressTable<Entry> entries_;
  std::vector<EvmAddress> touched_;
  bool loaded_ = false;    // load() ran since the last clear()
  bool complete_ = false;  // entries_ holds every committed state
};

// Derives the TST rows of one log at a time, in (block, log_index) order.
// The touched users' states (totals and open objects) are kept in memory and
// written to their pages by finish(); opens and closes are recorded for the
// objects' history tables as they come and inserted after each log, or,
// after defer_rows(), whenever the caller runs take_rows().
class BscDeriver {
 public:
  // `cache` (may be null: the deriver then keeps one of its own, not loaded):
  // the states the batch changes in place.
  [[nodiscard]] static Result<BscDeriver> create(WriteTxn& txn, const TstEventDecoder& decoder,
                                                 AnomalyRecorder& anomalies, AccountCache* cache = nullptr);
  BscDeriver(BscDeriver&&) noexcept;
  BscDeriver& operator=(BscDeriver&&) = delete;
  ~BscDeriver();
  // Derives one log. Its history and anomaly rows are inserted before it
  // returns, unless defer_rows() was called.
  [[nodiscard]] Status derive(const RawLog& log, std::int64_t time);
  // From now on derive() leaves the transaction alone: the rows it records
  // wait in take_rows(), its ledger rows for finish(), so that derive() may
  // run on another thread while the transaction's own thread uses it
  // (derive_beside). REQUIRES: the cache holds every committed state
  // (AccountCache::complete), so that no state is read from the store either.
  void defer_rows() noexcept;
  // The history and anomaly rows recorded and not yet inserted.
  [[nodiscard]] DeferredInserts take_rows();
  // What finish() does before it writes, without the transaction: takes the
  // touched states and encodes them, orders the ledger rows. Called by
  // derive_beside on the deriving thread, where the states are in the core's
  // caches; else by finish(). REQUIRES: after the last derive(), once.
  void prepare_writes();
  // Inserts what is left of the rows, then writes the ledger rows and the
  // touched states. REQUIRES: called once, after the last derive().
  [[nodiscard]] Status finish();

 private:
  struct Statements;
  [[nodiscard]] Status derive_in_memory(const RawLog& log, std::int64_t time);
  BscDeriver(WriteTxn& txn, const TstEventDecoder& decoder, AnomalyRecorder& anomalies, AccountCache* cache,
             std::unique_ptr<Statements> statements);

  // The state of `address`, changed in place. The pointer lasts until the
  // next call (or, after cache_->reserve(n), until n calls more).
  [[nodiscard]] Result<UserState*> state(const EvmAddress& address) { return cache_->touch(*txn_, address); }
  // Writes the ledger rows so far as a run, sorted (a long rederive's).
  [[nodiscard]] Status flush_ledger();
  [[nodiscard]] Status ledger(const EvmAddress& address, const RawLog& log, LedgerKind kind,
                              const U256& amount, const std::optional<EvmAddress>& counterparty,
                              std::int64_t time);
  [[nodiscard]] Status on_event(const RawLog& log, std::int64_t time, const TstEvent& event);
  [[nodiscard]] Status on_transfer(const RawLog& log, std::int64_t time, const TransferEvent& event);
  [[nodiscard]] Status on_locked(const RawLog& log, std::int64_t time, const TstLockedEvent& event);
  [[nodiscard]] Status on_lock_closed(const RawLog& log, std::int64_t time, const Hash32& lock_id,
                                      const EvmAddress& user, LockClosedKind closed_kind,
                                      const U256& returned, const std::optional<U256>& penalty,
                                      std::string_view event_name);
  [[nodiscard]] Status on_staked(const RawLog& log, std::int64_t time, const TierStakedEvent& event);
  [[nodiscard]] Status on_unstaked(const RawLog& log, std::int64_t time, const TierUnstakedEvent& event);
  [[nodiscard]] Status on_reserved(const RawLog& log, std::int64_t time, const ComputeReservedEvent& event);
  [[nodiscard]] Status on_consumed(const RawLog& log, std::int64_t time, const QuotaConsumedEvent& event);
  [[nodiscard]] Status on_reservation_released(const RawLog& log, std::int64_t time,
                                               const ReservationReleasedEvent& event);

  WriteTxn* txn_;
  const TstEventDecoder* decoder_;
  AnomalyRecorder* anomalies_;
  std::unique_ptr<AccountCache> own_cache_;  // when created without one
  AccountCache* cache_;
  std::unique_ptr<Statements> st_;
  DeferredInserts rows_;     // history and anomaly rows not yet inserted
  bool defer_rows_ = false;  // defer_rows() was called
  struct PreparedWrites {
    Bytes state_bytes;
    std::vector<account_pages::EntryBytes> states;  // encoded, into state_bytes
    std::optional<std::vector<std::uint32_t>> ledger_order;
  };
  std::optional<PreparedWrites> prepared_;  // prepare_writes() ran
  // This batch's ledger rows, written as a run (store/ledger_runs.hpp) by finish().
  static constexpr std::size_t kLedgerRowsPerRun = 65536;
  ledger_runs::RowBuffer ledger_rows_;
};

// Runs `write_raw` and then, slice by slice, the history and anomaly rows
// `deriver` records, on this thread (the transaction's), while a second
// thread derives `logs` (ascending), each at time_of(log); returns once both
// are done, with the first failure. The deriver's finish() is left to the
// caller. REQUIRES: what BscDeriver::defer_rows requires.
[[nodiscard]] Status derive_beside(BscDeriver& deriver, std::span<const RawLog> logs,
                                   const std::function<std::int64_t(const RawLog&)>& time_of,
                                   const std::function<Status()>& write_raw);

// Undoes the BSC derived state above `height`: subtracts the transfers above it
// from the account totals, deletes derived rows above it, takes the objects
// opened above it out of their users' states and puts back those closed above it.
[[nodiscard]] Status unwind_bsc(WriteTxn& txn, std::uint64_t height);

// ---- TRON (SPEC 3.3) ----

class TronDeriver {
 public:
  [[nodiscard]] static Result<TronDeriver> create(WriteTxn& txn, const PayoutEventDecoder& decoder,
                                                  AnomalyRecorder& anomalies);
  [[nodiscard]] Status derive(const RawLog& log, std::int64_t time);

 private:
  TronDeriver(Statement payout, Statement batch, const PayoutEventDecoder& decoder,
              AnomalyRecorder& anomalies) noexcept;
  Statement payout_;
  Statement batch_;
  const PayoutEventDecoder* decoder_;
  AnomalyRecorder* anomalies_;
};

[[nodiscard]] Status unwind_tron(WriteTxn& txn, std::uint64_t height);

// ---- Solana (SPEC 3.2) ----

// Records an anomaly when a version is open but not a valid UserStake of the
// configured pool (closed versions are valid).
[[nodiscard]] Status check_solana_version(const StoreContracts& contracts, const SolanaPubkey& account,
                                          std::uint64_t slot, const std::optional<ByteSpan>& data,
                                          AnomalyRecorder& anomalies);
// Sets the account's solana_stake row from its newest stored version: a valid
// open UserStake gives a row; closed, invalid or no version gives none.
[[nodiscard]] Status recompute_solana_stake(WriteTxn& txn, const StoreContracts& contracts,
                                            const SolanaPubkey& account);
// Accounts with a stored version above `slot`, ascending.
[[nodiscard]] Result<std::vector<SolanaPubkey>> solana_accounts_above(WriteTxn& txn, std::uint64_t slot);

}  // namespace csd::store_derive
