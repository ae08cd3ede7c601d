// SPEC 3.1 derived state: TST transfers and running totals, locks, stakes,
// reservations and quota consumption, and the per-address ledger. The users'
// states (totals and open objects) live in the account pages; the objects'
// opens and closes are appended to their history tables.
#include <algorithm>
#include <cstring>
#include <functional>
#include <future>
#include <limits>
#include <system_error>
#include <utility>

#include "decoders/hex.hpp"
#include "store/account_states.hpp"
#include "store/deferred_inserts.hpp"
#include "store/derive.hpp"
#include "store/key_order.hpp"
#include "store/ledger_runs.hpp"
#include "store/try.hpp"
#include "store/user_state_rows.hpp"

namespace csd::store_derive {

struct BscDeriver::Statements {
  Statement insert_lock;
  Statement insert_lock_close;
  Statement insert_stake;
  Statement insert_stake_close;
  Statement insert_reservation;
  Statement insert_reservation_close;
  Statement insert_quota;
};

namespace {

std::string hex_id(const Hash32& id) {
  return to_hex(id.span());
}

std::int64_t clamp_to_int64(std::uint64_t value) noexcept {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(value, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
}

// Binds the common (block, log_index, tx_hash) columns at ?first, ?first+1, ?first+2.
void bind_position(DeferredInserts& row, int first, const RawLog& log) {
  row.bind_uint64_clamped(first, log.block)
      .bind_int64(first + 1, log.log_index)
      .bind_bytes_static(first + 2, log.tx_hash);
}

// Binds a close row's (block, log_index, object block, object log_index, tx_hash) at ?1..?5.
void bind_close(DeferredInserts& row, const RawLog& log, const Opened& opened) {
  row.bind_uint64_clamped(1, log.block).bind_int64(2, log.log_index);
  row.bind_uint64_clamped(3, opened.block).bind_int64(4, opened.log_index);
  row.bind_bytes_static(5, log.tx_hash);
}

}  // namespace

// ---- AccountCache ----

Status AccountCache::load(WriteTxn& txn) {
  if (loaded_) return {};
  auto all = account_states::read_all_up_to(txn, kMaxEntries);
  if (!all) return std::move(all).error();
  entries_.clear();
  touched_.clear();
  if (*all) {
    entries_.reserve((*all)->size());
    for (auto& [address, state] : **all) entries_.insert_or_assign(address, Entry{std::move(state), false});
  }
  complete_ = all->has_value();
  loaded_ = true;
  return {};
}

Result<UserState*> AccountCache::touch(WriteTxn& txn, const EvmAddress& address) {
  Entry* entry = entries_.find(address);
  if (entry == nullptr) {
    UserState stored;
    if (!complete_) {
      auto read = account_states::read(txn, address);
      if (!read) return std::move(read).error();
      if (*read) stored = std::move(**read);
    }
    entry = &entries_.insert(address, Entry{std::move(stored), false});
  }
  if (!entry->touched) {
    entry->touched = true;
    touched_.push_back(address);
  }
  return &entry->state;
}

std::vector<std::pair<EvmAddress, const UserState*>> AccountCache::take_touched() {
  // Sorted on keys loaded once: the compares then need no memory access.
  using Key = key_order::WordKey<EvmAddress::kSize>;
  std::vector<std::pair<Key, std::size_t>> order;
  order.reserve(touched_.size());
  for (std::size_t i = 0; i < touched_.size(); ++i) order.emplace_back(Key::load(touched_[i].data()), i);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<EvmAddress, const UserState*>> out;
  out.reserve(order.size());
  for (const auto& [key, i] : order) {
    Entry* entry = entries_.find(touched_[i]);
    entry->touched = false;
    out.emplace_back(touched_[i], &entry->state);
  }
  touched_.clear();
  return out;
}

void AccountCache::committed() {
  if (entries_.size() > kMaxEntries) {  // bounded memory
    entries_.clear();
    complete_ = false;
  }
}

void AccountCache::clear() noexcept {
  entries_.clear();
  touched_.clear();
  loaded_ = complete_ = false;
}

const UserState* AccountCache::find(const EvmAddress& address) const noexcept {
  const Entry* entry = entries_.find(address);
  return entry != nullptr ? &entry->state : nullptr;
}

BscDeriver::BscDeriver(WriteTxn& txn, const TstEventDecoder& decoder, AnomalyRecorder& anomalies,
                       AccountCache* cache, std::unique_ptr<Statements> statements)
    : txn_(&txn),
      decoder_(&decoder),
      anomalies_(&anomalies),
      own_cache_(cache == nullptr ? std::make_unique<AccountCache>() : nullptr),
      cache_(cache != nullptr ? cache : own_cache_.get()),
      st_(std::move(statements)) {}

BscDeriver::BscDeriver(BscDeriver&&) noexcept = default;
BscDeriver::~BscDeriver() = default;

Result<BscDeriver> BscDeriver::create(WriteTxn& txn, const TstEventDecoder& decoder,
                                      AnomalyRecorder& anomalies, AccountCache* cache) {
  // position = block · 2^24 + log_index (store/schema_v11.hpp), from ?1 and ?2.
  const std::string_view sql[] = {
      "INSERT INTO tst_lock(position, block, log_index, tx_hash, lock_id, user, amount, locked_until, "
      "agreement_id, time) VALUES(?1 * 16777216 + ?2, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      "INSERT INTO tst_lock_close(position, block, log_index, lock_block, lock_log_index, tx_hash, kind, "
      "returned, "
      "penalty) VALUES(?1 * 16777216 + ?2, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      "INSERT INTO tst_stake(position, block, log_index, tx_hash, stake_id, user, tier, amount, expires_at, "
      "time) VALUES(?1 * 16777216 + ?2, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      "INSERT INTO tst_stake_close(position, block, log_index, stake_block, stake_log_index, tx_hash, "
      "emergency) VALUES(?1 * 16777216 + ?2, ?1, ?2, ?3, ?4, ?5, ?6)",
      "INSERT INTO tst_reservation(position, block, log_index, tx_hash, reservation_id, user, entity_type, "
      "amount, "
      "quota_per_day, reserved_until, time) VALUES(?1 * 16777216 + ?2, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10)",
      "INSERT INTO tst_reservation_close(position, block, log_index, reservation_block, "
      "reservation_log_index, "
      "tx_hash, quota_day, quota_units, quota_units_day_before) VALUES(?1 * 16777216 + ?2, ?1, ?2, ?3, ?4, "
      "?5, ?6, ?7, ?8)",
      "INSERT INTO tst_quota_use(position, block, log_index, reservation_block, reservation_log_index, "
      "reservation_id, "
      "user, units, time, prior_day, prior_units, prior_units_day_before) "
      "VALUES(?1 * 16777216 + ?2, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  };
  std::vector<Statement> prepared;
  for (std::string_view text : sql) {
    auto st = txn.prepare(text);
    if (!st) return std::move(st).error();
    prepared.push_back(std::move(*st));
  }
  // Braces: clang does not do C++20 parenthesised aggregate initialisation.
  auto statements = std::make_unique<Statements>(Statements{
      std::move(prepared[0]), std::move(prepared[1]), std::move(prepared[2]), std::move(prepared[3]),
      std::move(prepared[4]), std::move(prepared[5]), std::move(prepared[6])});
  return BscDeriver(txn, decoder, anomalies, cache, std::move(statements));
}

Status BscDeriver::derive(const RawLog& log, std::int64_t time) {
  auto status = derive_in_memory(log, time);
  if (defer_rows_ || !status) return status;
  return rows_.run();
}

Status BscDeriver::derive_in_memory(const RawLog& log, std::int64_t time) {
  auto decoded = decoder_->decode(log.address, log.topics, log.data);
  if (!decoded) {
    return anomalies_->record_into(rows_, log.block, log.log_index, AnomalyKind::kUndecodableLog,
                                   decoded.error().message);
  }
  if (!decoded->has_value()) return {};  // not one of ours: kept raw only
  return on_event(log, time, **decoded);
}

void BscDeriver::defer_rows() noexcept {
  defer_rows_ = true;
}

DeferredInserts BscDeriver::take_rows() {
  return std::exchange(rows_, DeferredInserts());
}

Status BscDeriver::on_event(const RawLog& log, std::int64_t time, const TstEvent& event) {
  if (const auto* e = std::get_if<TransferEvent>(&event)) return on_transfer(log, time, *e);
  if (const auto* e = std::get_if<TstLockedEvent>(&event)) return on_locked(log, time, *e);
  if (const auto* e = std::get_if<TstReleasedEvent>(&event)) {
    return on_lock_closed(log, time, e->lock_id, e->user, LockClosedKind::kReleased, e->amount, std::nullopt,
                          "TSTReleased");
  }
  if (const auto* e = std::get_if<LockTerminatedEarlyEvent>(&event)) {
    return on_lock_closed(log, time, e->lock_id, e->user, LockClosedKind::kTerminated, e->returned,
                          e->penalty, "LockTerminatedEarly");
  }
  if (const auto* e = std::get_if<TierStakedEvent>(&event)) return on_staked(log, time, *e);
  if (const auto* e = std::get_if<TierUnstakedEvent>(&event)) return on_unstaked(log, time, *e);
  if (const auto* e = std::get_if<ComputeReservedEvent>(&event)) return on_reserved(log, time, *e);
  if (const auto* e = std::get_if<QuotaConsumedEvent>(&event)) return on_consumed(log, time, *e);
  return on_reservation_released(log, time, std::get<ReservationReleasedEvent>(event));
}

Status BscDeriver::ledger(const EvmAddress& address, const RawLog& log, LedgerKind kind, const U256& amount,
                          const std::optional<EvmAddress>& counterparty, std::int64_t time) {
  ledger_rows_.add(LedgerRow{
      address, LedgerEntry{kind, amount, counterparty, log.tx_hash, log.block, log.log_index, time}});
  // A rederive of a long range writes its rows as several runs, not one held
  // in memory; deferred, they wait for finish() (a batch's, two per log at most).
  if (!defer_rows_ && ledger_rows_.size() >= kLedgerRowsPerRun) return flush_ledger();
  return {};
}

Status BscDeriver::flush_ledger() {
  auto status = ledger_runs::write_run(*txn_, ledger_rows_);
  ledger_rows_.clear();
  return status;
}

Status BscDeriver::on_transfer(const RawLog& log, std::int64_t time, const TransferEvent& event) {
  cache_->reserve(2);  // `to` stays valid while `from` is touched
  CSD_TRY(to, state(event.to));
  CSD_TRY(from, state(event.from));  // may be the same entry as `to` (a transfer to self)
  AccountTotals& to_totals = to->totals;
  AccountTotals& from_totals = from->totals;
  auto received = checked_add(to_totals.received, event.value);
  // For a transfer to self both sums grow on the one entry.
  auto sent = checked_add(from_totals.sent, event.value);
  if (!received || !sent) {
    return anomalies_->record_into(rows_, log.block, log.log_index, AnomalyKind::kAmountOverflow,
                                   "Transfer: running total of " +
                                       to_hex((received ? event.from : event.to).span()) +
                                       " would exceed 2^256-1");
  }
  to_totals.received = *received;
  from_totals.sent = *sent;

  // The transfer_in row is also the stored transfer (address = to, counterparty = from).
  // SPEC 3.1: one ledger row per movement per address; a transfer to self is two.
  if (auto status = ledger(event.to, log, LedgerKind::kTransferIn, event.value, event.from, time); !status) {
    return status;
  }
  return ledger(event.from, log, LedgerKind::kTransferOut, event.value, event.to, time);
}

// An object is open in its user's state; an id already open for that user is
// a duplicate (kept: the first). A close names the user and the id.

Status BscDeriver::on_locked(const RawLog& log, std::int64_t time, const TstLockedEvent& event) {
  CSD_TRY(user, state(event.user));
  if (find_open(user->locks, event.lock_id) != nullptr) {
    return anomalies_->record_into(rows_, log.block, log.log_index, AnomalyKind::kDuplicateId,
                                   "TSTLocked: lock " + hex_id(event.lock_id) + " is already open");
  }
  const std::int64_t until = clamp_to_int64(event.locked_until);
  DeferredInserts& row = rows_.row(st_->insert_lock);
  const auto amount = event.amount.to_be_bytes();
  bind_position(row, 1, log);
  row.bind_bytes_static(4, event.lock_id).bind_bytes_static(5, event.user).bind_blob_static(6, amount);
  row.bind_int64(7, until).bind_text(8, event.agreement_id).bind_int64(9, time);
  insert_open(user->locks, OpenLock{event.lock_id, Opened{log.block, log.log_index}, log.tx_hash,
                                    event.amount, until, event.agreement_id});
  return ledger(event.user, log, LedgerKind::kLock, event.amount, decoder_->contracts().escrow, time);
}

Status BscDeriver::on_lock_closed(const RawLog& log, std::int64_t time, const Hash32& lock_id,
                                  const EvmAddress& user_address, LockClosedKind closed_kind,
                                  const U256& returned, const std::optional<U256>& penalty,
                                  std::string_view event_name) {
  CSD_TRY(user, state(user_address));
  const OpenLock* lock = find_open(user->locks, lock_id);
  if (lock == nullptr) {
    return anomalies_->record_into(rows_, log.block, log.log_index, AnomalyKind::kNoOpenObject,
                                   std::string(event_name) + ": no open lock " + hex_id(lock_id));
  }
  DeferredInserts& row = rows_.row(st_->insert_lock_close);
  const auto returned_bytes = returned.to_be_bytes();
  const auto penalty_bytes = penalty.value_or(U256(0)).to_be_bytes();
  bind_close(row, log, lock->opened);
  row.bind_int64(6, static_cast<std::int64_t>(closed_kind)).bind_blob_static(7, returned_bytes);
  if (penalty) {
    row.bind_blob_static(8, penalty_bytes);
  } else {
    row.bind_null(8);
  }
  erase_open(user->locks, lock_id);
  const LedgerKind kind =
      closed_kind == LockClosedKind::kReleased ? LedgerKind::kRelease : LedgerKind::kTerminate;
  return ledger(user_address, log, kind, returned, decoder_->contracts().escrow, time);
}

Status BscDeriver::on_staked(const RawLog& log, std::int64_t time, const TierStakedEvent& event) {
  CSD_TRY(user, state(event.user));
  if (find_open(user->stakes, event.stake_id) != nullptr) {
    return anomalies_->record_into(rows_, log.block, log.log_index, AnomalyKind::kDuplicateId,
                                   "TierStaked: stake " + hex_id(event.stake_id) + " is already open");
  }
  const std::int64_t expires = clamp_to_int64(event.expires_at);
  DeferredInserts& row = rows_.row(st_->insert_stake);
  const auto amount = event.amount.to_be_bytes();
  bind_position(row, 1, log);
  row.bind_bytes_static(4, event.stake_id).bind_bytes_static(5, event.user).bind_int64(6, event.tier);
  row.bind_blob_static(7, amount).bind_int64(8, expires).bind_int64(9, time);
  insert_open(user->stakes, OpenStake{event.stake_id, Opened{log.block, log.log_index}, log.tx_hash, time,
                                      event.tier, event.amount, expires});
  return ledger(event.user, log, LedgerKind::kStake, event.amount, decoder_->contracts().staking, time);
}

Status BscDeriver::on_unstaked(const RawLog& log, std::int64_t time, const TierUnstakedEvent& event) {
  CSD_TRY(user, state(event.user));
  const OpenStake* stake = find_open(user->stakes, event.stake_id);
  if (stake == nullptr) {
    return anomalies_->record_into(rows_, log.block, log.log_index, AnomalyKind::kNoOpenObject,
                                   "TierUnstaked: no open stake " + hex_id(event.stake_id));
  }
  DeferredInserts& row = rows_.row(st_->insert_stake_close);
  bind_close(row, log, stake->opened);
  row.bind_int64(6, event.emergency ? 1 : 0);
  erase_open(user->stakes, event.stake_id);
  return ledger(event.user, log, LedgerKind::kUnstake, event.amount, decoder_->contracts().staking, time);
}

Status BscDeriver::on_reserved(const RawLog& log, std::int64_t time, const ComputeReservedEvent& event) {
  CSD_TRY(user, state(event.user));
  if (find_open(user->reservations, event.reservation_id) != nullptr) {
    return anomalies_->record_into(
        rows_, log.block, log.log_index, AnomalyKind::kDuplicateId,
        "ComputeReserved: reservation " + hex_id(event.reservation_id) + " is already open");
  }
  const std::int64_t until = clamp_to_int64(event.reserved_until);
  DeferredInserts& row = rows_.row(st_->insert_reservation);
  const auto amount = event.amount.to_be_bytes();
  bind_position(row, 1, log);
  row.bind_bytes_static(4, event.reservation_id).bind_bytes_static(5, event.user);
  row.bind_int64(6, event.entity_type).bind_blob_static(7, amount).bind_int64(8, event.quota_per_day);
  row.bind_int64(9, until).bind_int64(10, time);
  insert_open(user->reservations,
              OpenReservation{event.reservation_id, Opened{log.block, log.log_index}, event.entity_type,
                              event.amount, event.quota_per_day, until, QuotaUse{}});
  return ledger(event.user, log, LedgerKind::kReserve, event.amount, decoder_->contracts().compute_reserve,
                time);
}

Status BscDeriver::on_consumed(const RawLog& log, std::int64_t time, const QuotaConsumedEvent& event) {
  CSD_TRY(user, state(event.user));
  OpenReservation* reservation = find_open(user->reservations, event.reservation_id);
  if (reservation == nullptr) {
    return anomalies_->record_into(rows_, log.block, log.log_index, AnomalyKind::kNoOpenObject,
                                   "QuotaConsumed: no open reservation " + hex_id(event.reservation_id));
  }
  // The row keeps the reservation's quota use from before it: a rollback puts that back.
  DeferredInserts& row = rows_.row(st_->insert_quota);
  row.bind_uint64_clamped(1, log.block).bind_int64(2, log.log_index);
  row.bind_uint64_clamped(3, reservation->opened.block).bind_int64(4, reservation->opened.log_index);
  row.bind_bytes_static(5, event.reservation_id).bind_bytes_static(6, event.user);
  row.bind_int64(7, event.units).bind_int64(8, time);
  bind_quota(row, 9, reservation->quota);
  add_quota_use(reservation->quota, time, event.units);
  return ledger(event.user, log, LedgerKind::kConsume, U256(event.units),
                decoder_->contracts().compute_reserve, time);
}

Status BscDeriver::on_reservation_released(const RawLog& log, std::int64_t time,
                                           const ReservationReleasedEvent& event) {
  CSD_TRY(user, state(event.user));
  const OpenReservation* reservation = find_open(user->reservations, event.reservation_id);
  if (reservation == nullptr) {
    return anomalies_->record_into(
        rows_, log.block, log.log_index, AnomalyKind::kNoOpenObject,
        "ReservationReleased: no open reservation " + hex_id(event.reservation_id));
  }
  const U256 amount = reservation->amount;
  DeferredInserts& row = rows_.row(st_->insert_reservation_close);
  bind_close(row, log, reservation->opened);
  bind_quota(row, 6, reservation->quota);  // what a rollback gives the reservation back
  erase_open(user->reservations, event.reservation_id);
  return ledger(event.user, log, LedgerKind::kReleaseReservation, amount,
                decoder_->contracts().compute_reserve, time);
}

void BscDeriver::prepare_writes() {
  PreparedWrites& out = prepared_.emplace();
  const auto touched = cache_->take_touched();
  out.states = account_pages::encode_entries(touched, out.state_bytes);
  std::vector<EvmAddress> addresses;
  addresses.reserve(touched.size());
  for (const auto& entry : touched) addresses.push_back(entry.first);
  out.ledger_order = ledger_runs::order_by_address(ledger_rows_, addresses);
}

Status BscDeriver::finish() {
  if (auto status = rows_.run(); !status) return status;
  if (!prepared_) prepare_writes();
  auto ledger = ledger_runs::write_run_in_order(*txn_, ledger_rows_, prepared_->ledger_order);
  ledger_rows_.clear();
  if (!ledger) return ledger;
  // An empty state removes the address (as if never seen), so a rollback to
  // zero leaves what a fresh store has.
  return account_states::write_encoded(*txn_, prepared_->states);
}

namespace {

// Closes the queue however the producer leaves its scope, so that the
// consumer thread ends and its future can be waited for.
class CloseOnExit {
 public:
  explicit CloseOnExit(DeferredInsertQueue& queue) noexcept : queue_(&queue) {}
  CloseOnExit(const CloseOnExit&) = delete;
  CloseOnExit& operator=(const CloseOnExit&) = delete;
  ~CloseOnExit() { queue_->close(); }

 private:
  DeferredInsertQueue* queue_;
};

}  // namespace

Status derive_beside(BscDeriver& deriver, std::span<const RawLog> logs,
                     const std::function<std::int64_t(const RawLog&)>& time_of,
                     const std::function<Status()>& write_raw) {
  // The rows come over a slice at a time, so that they are inserted while
  // the next logs are derived.
  constexpr std::size_t kLogsPerSlice = 256;
  deriver.defer_rows();
  DeferredInsertQueue queue;
  const auto derive_all = [&]() -> Status {
    const CloseOnExit closer(queue);
    for (std::size_t i = 0; i < logs.size(); ++i) {
      if (auto status = deriver.derive(logs[i], time_of(logs[i])); !status) return status;
      if ((i + 1) % kLogsPerSlice == 0) queue.push(deriver.take_rows());
    }
    queue.push(deriver.take_rows());
    deriver.prepare_writes();  // while the last rows are inserted
    return {};
  };
  std::future<Status> derived;
  try {
    derived = std::async(std::launch::async, derive_all);
  } catch (const std::system_error&) {  // no thread to be had: one after the other
    if (auto status = write_raw(); !status) return status;
    if (auto status = derive_all(); !status) return status;
    return queue.run_until_closed();
  }
  // The deriving thread closes the queue however it ends; the future waits
  // for it on every way out of here.
  Status inserted = queue.run_until_closed(write_raw());
  Status derivation = derived.get();
  if (!derivation) return derivation;
  return inserted;
}

}  // namespace csd::store_derive
