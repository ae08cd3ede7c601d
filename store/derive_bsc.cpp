// SPEC 3.1 derived state: TST transfers and running totals, locks, stakes,
// reservations and quota consumption, and the per-address ledger.
#include <algorithm>
#include <cstring>
#include <utility>

#include "decoders/hex.hpp"
#include "store/account_pages.hpp"
#include "store/derive.hpp"
#include "store/key_order.hpp"
#include "store/ledger_runs.hpp"

namespace csd::store_derive {

struct BscDeriver::Statements {
  Statement insert_lock;
  Statement close_lock;
  Statement insert_stake;
  Statement close_stake;
  Statement insert_reservation;
  Statement open_reservation_amount;
  Statement insert_quota;
  Statement close_reservation;
};

namespace {

Result<Statement> prep(WriteTxn& txn, std::string_view sql) {
  return txn.prepare(sql);
}

std::string hex_id(const Hash32& id) {
  return to_hex(id.span());
}

// Binds the common (block, log_index, tx_hash) columns at ?first, ?first+1, ?first+2.
void bind_position(Statement& st, int first, const RawLog& log) {
  st.bind_uint64_clamped(first, log.block)
      .bind_int64(first + 1, log.log_index)
      .bind_bytes_static(first + 2, log.tx_hash);
}

}  // namespace

// ---- AccountCache ----

Status AccountCache::load(WriteTxn& txn) {
  if (loaded_) return {};
  auto all = account_pages::read_all_up_to(txn, kMaxEntries);
  if (!all) return std::move(all).error();
  entries_.clear();
  if (*all) {
    entries_.reserve((*all)->size());
    for (const auto& [address, totals] : **all) entries_.insert_or_assign(address, totals);
  }
  complete_ = all->has_value();
  loaded_ = true;
  return {};
}

std::optional<AccountTotals> AccountCache::find(const EvmAddress& address) const {
  if (const AccountTotals* totals = entries_.find(address)) return *totals;
  if (complete_) return AccountTotals{};
  return std::nullopt;
}

void AccountCache::merge(const AccountTotalsList& committed) {
  if (entries_.size() + committed.size() > kMaxEntries) {  // bounded memory
    entries_.clear();
    complete_ = false;
  }
  for (const auto& [address, totals] : committed) entries_.insert_or_assign(address, totals);
}

void AccountCache::clear() noexcept {
  entries_.clear();
  loaded_ = complete_ = false;
}

BscDeriver::BscDeriver(WriteTxn& txn, const TstEventDecoder& decoder, AnomalyRecorder& anomalies,
                       const AccountCache* cache, std::unique_ptr<Statements> statements) noexcept
    : txn_(&txn), decoder_(&decoder), anomalies_(&anomalies), cache_(cache), st_(std::move(statements)) {}

BscDeriver::BscDeriver(BscDeriver&&) noexcept = default;
BscDeriver::~BscDeriver() = default;

Result<BscDeriver> BscDeriver::create(WriteTxn& txn, const TstEventDecoder& decoder,
                                      AnomalyRecorder& anomalies, const AccountCache* cache) {
  const std::string_view sql[] = {
      "INSERT OR IGNORE INTO tst_lock(lock_id, user, amount, locked_until, agreement_id, block, log_index, "
      "tx_hash, time) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      "UPDATE tst_lock SET closed_block = ?2, closed_log_index = ?3, closed_tx_hash = ?4, closed_kind = ?5, "
      "returned = ?6, penalty = ?7 WHERE lock_id = ?1 AND closed_block IS NULL",
      "INSERT OR IGNORE INTO tst_stake(stake_id, user, tier, amount, expires_at, block, log_index, tx_hash, "
      "time) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      "UPDATE tst_stake SET closed_block = ?2, closed_log_index = ?3, closed_tx_hash = ?4, emergency = ?5 "
      "WHERE stake_id = ?1 AND closed_block IS NULL",
      "INSERT OR IGNORE INTO tst_reservation(reservation_id, user, entity_type, amount, quota_per_day, "
      "reserved_until, block, log_index, tx_hash, time) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
      // Not one INSERT … SELECT … WHERE EXISTS: SQLite opens a statement journal for that, ~1.5x the two.
      "SELECT amount FROM tst_reservation WHERE reservation_id = ?1 AND closed_block IS NULL",
      "INSERT INTO tst_quota_use(block, log_index, reservation_id, units, time) VALUES(?1, ?2, ?3, ?4, ?5)",
      // Not UPDATE … RETURNING: SQLite runs that through a temporary table, ~2x the cost of the two.
      "UPDATE tst_reservation SET closed_block = ?2, closed_log_index = ?3, closed_tx_hash = ?4 "
      "WHERE reservation_id = ?1",
  };
  std::vector<Statement> prepared;
  for (std::string_view text : sql) {
    auto st = prep(txn, text);
    if (!st) return std::move(st).error();
    prepared.push_back(std::move(*st));
  }
  // Braces: clang does not do C++20 parenthesised aggregate initialisation.
  auto statements = std::make_unique<Statements>(Statements{
      std::move(prepared[0]), std::move(prepared[1]), std::move(prepared[2]), std::move(prepared[3]),
      std::move(prepared[4]), std::move(prepared[5]), std::move(prepared[6]), std::move(prepared[7])});
  return BscDeriver(txn, decoder, anomalies, cache, std::move(statements));
}

Status BscDeriver::derive(const RawLog& log, std::int64_t time) {
  auto decoded = decoder_->decode(log.address, log.topics, log.data);
  if (!decoded) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kUndecodableLog,
                              decoded.error().message);
  }
  if (!decoded->has_value()) return {};  // not one of ours: kept raw only
  return on_event(log, time, **decoded);
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

Result<BscDeriver::Totals*> BscDeriver::totals(const EvmAddress& address) {
  if (Totals* known = touched_.find(address)) return known;
  if (cache_ != nullptr) {
    if (auto known = cache_->find(address)) return &touched_.insert(address, *known);
  }
  auto stored = account_pages::read(*txn_, address);
  if (!stored) return std::move(stored).error();
  return &touched_.insert(address, stored->value_or(Totals{}));
}

Status BscDeriver::ledger(const EvmAddress& address, const RawLog& log, LedgerKind kind, const U256& amount,
                          const std::optional<EvmAddress>& counterparty, std::int64_t time) {
  ledger_rows_.add(LedgerRow{
      address, LedgerEntry{kind, amount, counterparty, log.tx_hash, log.block, log.log_index, time}});
  // A rederive of a long range writes its rows as several runs, not one held in memory.
  if (ledger_rows_.size() >= kLedgerRowsPerRun) return flush_ledger();
  return {};
}

Status BscDeriver::flush_ledger() {
  auto status = ledger_runs::write_run(*txn_, ledger_rows_);
  ledger_rows_.clear();
  return status;
}

Status BscDeriver::on_transfer(const RawLog& log, std::int64_t time, const TransferEvent& event) {
  touched_.reserve(touched_.size() + 2);  // `to` stays valid while `from` is inserted
  auto to = totals(event.to);
  if (!to) return std::move(to).error();
  auto from = totals(event.from);  // may be the same entry as `to` (a transfer to self)
  if (!from) return std::move(from).error();
  auto received = checked_add((*to)->received, event.value);
  // For a transfer to self both sums grow on the one entry.
  auto sent = checked_add((*from)->sent, event.value);
  if (!received || !sent) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kAmountOverflow,
                              "Transfer: running total of " +
                                  to_hex((received ? event.from : event.to).span()) +
                                  " would exceed 2^256-1");
  }
  (*to)->received = *received;
  (*from)->sent = *sent;

  // The transfer_in row is also the stored transfer (address = to, counterparty = from).
  // SPEC 3.1: one ledger row per movement per address; a transfer to self is two.
  if (auto status = ledger(event.to, log, LedgerKind::kTransferIn, event.value, event.from, time); !status) {
    return status;
  }
  return ledger(event.from, log, LedgerKind::kTransferOut, event.value, event.to, time);
}

Status BscDeriver::on_locked(const RawLog& log, std::int64_t time, const TstLockedEvent& event) {
  Statement& st = st_->insert_lock;
  const auto amount = event.amount.to_be_bytes();
  st.bind_bytes_static(1, event.lock_id).bind_bytes_static(2, event.user).bind_blob_static(3, amount);
  st.bind_uint64_clamped(4, event.locked_until).bind_text(5, event.agreement_id);
  bind_position(st, 6, log);
  st.bind_int64(9, time);
  if (auto status = st.run(); !status) return status;
  if (txn_->changes() == 0) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kDuplicateId,
                              "TSTLocked: lock " + hex_id(event.lock_id) + " already exists");
  }
  return ledger(event.user, log, LedgerKind::kLock, event.amount, decoder_->contracts().escrow, time);
}

Status BscDeriver::on_lock_closed(const RawLog& log, std::int64_t time, const Hash32& lock_id,
                                  const EvmAddress& user, LockClosedKind closed_kind, const U256& returned,
                                  const std::optional<U256>& penalty, std::string_view event_name) {
  Statement& st = st_->close_lock;
  const auto returned_bytes = returned.to_be_bytes();
  const auto penalty_bytes = penalty.value_or(U256(0)).to_be_bytes();
  st.bind_bytes_static(1, lock_id);
  bind_position(st, 2, log);
  st.bind_int64(5, static_cast<std::int64_t>(closed_kind)).bind_blob_static(6, returned_bytes);
  if (penalty) {
    st.bind_blob_static(7, penalty_bytes);
  } else {
    st.bind_null(7);
  }
  if (auto status = st.run(); !status) return status;
  if (txn_->changes() == 0) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kNoOpenObject,
                              std::string(event_name) + ": no open lock " + hex_id(lock_id));
  }
  const LedgerKind kind =
      closed_kind == LockClosedKind::kReleased ? LedgerKind::kRelease : LedgerKind::kTerminate;
  return ledger(user, log, kind, returned, decoder_->contracts().escrow, time);
}

Status BscDeriver::on_staked(const RawLog& log, std::int64_t time, const TierStakedEvent& event) {
  Statement& st = st_->insert_stake;
  const auto amount = event.amount.to_be_bytes();
  st.bind_bytes_static(1, event.stake_id).bind_bytes_static(2, event.user).bind_int64(3, event.tier);
  st.bind_blob_static(4, amount).bind_uint64_clamped(5, event.expires_at);
  bind_position(st, 6, log);
  st.bind_int64(9, time);
  if (auto status = st.run(); !status) return status;
  if (txn_->changes() == 0) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kDuplicateId,
                              "TierStaked: stake " + hex_id(event.stake_id) + " already exists");
  }
  return ledger(event.user, log, LedgerKind::kStake, event.amount, decoder_->contracts().staking, time);
}

Status BscDeriver::on_unstaked(const RawLog& log, std::int64_t time, const TierUnstakedEvent& event) {
  Statement& st = st_->close_stake;
  st.bind_bytes_static(1, event.stake_id);
  bind_position(st, 2, log);
  st.bind_int64(5, event.emergency ? 1 : 0);
  if (auto status = st.run(); !status) return status;
  if (txn_->changes() == 0) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kNoOpenObject,
                              "TierUnstaked: no open stake " + hex_id(event.stake_id));
  }
  return ledger(event.user, log, LedgerKind::kUnstake, event.amount, decoder_->contracts().staking, time);
}

Status BscDeriver::on_reserved(const RawLog& log, std::int64_t time, const ComputeReservedEvent& event) {
  Statement& st = st_->insert_reservation;
  const auto amount = event.amount.to_be_bytes();
  st.bind_bytes_static(1, event.reservation_id)
      .bind_bytes_static(2, event.user)
      .bind_int64(3, event.entity_type);
  st.bind_blob_static(4, amount)
      .bind_int64(5, event.quota_per_day)
      .bind_uint64_clamped(6, event.reserved_until);
  bind_position(st, 7, log);
  st.bind_int64(10, time);
  if (auto status = st.run(); !status) return status;
  if (txn_->changes() == 0) {
    return anomalies_->record(
        log.block, log.log_index, AnomalyKind::kDuplicateId,
        "ComputeReserved: reservation " + hex_id(event.reservation_id) + " already exists");
  }
  return ledger(event.user, log, LedgerKind::kReserve, event.amount, decoder_->contracts().compute_reserve,
                time);
}

Status BscDeriver::on_consumed(const RawLog& log, std::int64_t time, const QuotaConsumedEvent& event) {
  Statement& open = st_->open_reservation_amount;
  open.bind_bytes_static(1, event.reservation_id);
  auto row = open.step();
  if (!row) return std::move(row).error();
  open.reset();
  if (!*row) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kNoOpenObject,
                              "QuotaConsumed: no open reservation " + hex_id(event.reservation_id));
  }
  Statement& st = st_->insert_quota;
  st.bind_uint64_clamped(1, log.block)
      .bind_int64(2, log.log_index)
      .bind_bytes_static(3, event.reservation_id);
  st.bind_int64(4, event.units).bind_int64(5, time);
  if (auto status = st.run(); !status) return status;
  return ledger(event.user, log, LedgerKind::kConsume, U256(event.units),
                decoder_->contracts().compute_reserve, time);
}

Status BscDeriver::on_reservation_released(const RawLog& log, std::int64_t time,
                                           const ReservationReleasedEvent& event) {
  Statement& open = st_->open_reservation_amount;
  open.bind_bytes_static(1, event.reservation_id);
  auto row = open.step();
  if (!row) return std::move(row).error();
  if (!*row) {
    open.reset();
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kNoOpenObject,
                              "ReservationReleased: no open reservation " + hex_id(event.reservation_id));
  }
  auto amount = open.column_u256(0);
  open.reset();
  if (!amount) return std::move(amount).error();
  Statement& st = st_->close_reservation;
  st.bind_bytes_static(1, event.reservation_id);
  bind_position(st, 2, log);
  if (auto status = st.run(); !status) return status;
  return ledger(event.user, log, LedgerKind::kReleaseReservation, *amount,
                decoder_->contracts().compute_reserve, time);
}

Status BscDeriver::finish() {
  if (auto status = flush_ledger(); !status) return status;
  // Both zero removes the address (as if never seen), so a rollback to zero
  // leaves what a fresh store has.
  // Sorted as (key, pointer): moving the 84-byte entries themselves costs more
  // than the compares, and a key loaded once compares without the pointer.
  using Key = key_order::WordKey<EvmAddress::kSize>;
  std::vector<std::pair<Key, std::pair<const EvmAddress*, const AccountTotals*>>> order;
  order.reserve(touched_.size());
  touched_.for_each([&](const EvmAddress& address, const AccountTotals& totals) {
    order.emplace_back(Key::load(address.data()), std::pair(&address, &totals));
  });
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  written_.clear();
  written_.reserve(order.size());
  for (const auto& [key, entry] : order) written_.emplace_back(*entry.first, *entry.second);
  return account_pages::write(*txn_, written_);
}

// ---- unwind ----

namespace {

Status subtract_transfers_above(WriteTxn& txn, std::uint64_t height) {
  struct Delta {
    U256 received;
    U256 sent;
  };
  std::map<EvmAddress, Delta> deltas;
  {
    auto rows =
        ledger_runs::rows_above(txn, static_cast<std::int64_t>(std::min<std::uint64_t>(height, INT64_MAX)));
    if (!rows) return std::move(rows).error();
    for (const LedgerRow& row : *rows) {
      // A transfer is its transfer_in row: address = to, counterparty = from.
      if (row.entry.type != LedgerKind::kTransferIn || !row.entry.counterparty) continue;
      const EvmAddress& to = row.address;
      const EvmAddress& from = *row.entry.counterparty;
      // Wrapping adds: the stored totals were checked when added, and the
      // checked subtraction below catches any inconsistency.
      deltas[to].received = deltas[to].received + row.entry.amount;
      deltas[from].sent = deltas[from].sent + row.entry.amount;
    }
  }
  AccountTotalsList updated;
  for (const auto& [address, delta] : deltas) {
    auto stored = account_pages::read(txn, address);
    if (!stored) return std::move(stored).error();
    if (!*stored)
      return make_error(ErrorCode::kInternal, "store: no account totals for " + to_hex(address.span()));
    auto received = checked_sub((*stored)->received, delta.received);
    auto sent = checked_sub((*stored)->sent, delta.sent);
    if (!received || !sent) {
      return make_error(ErrorCode::kInternal, "store: account totals of " + to_hex(address.span()) +
                                                  " are below its stored transfers");
    }
    updated.emplace_back(address, AccountTotals{*received, *sent});
  }
  return account_pages::write(txn, updated);
}

}  // namespace

Status unwind_bsc(WriteTxn& txn, std::uint64_t height) {
  if (auto status = subtract_transfers_above(txn, height); !status) return status;
  if (auto status = ledger_runs::unwind_above(txn, height); !status) return status;
  static constexpr std::string_view kSteps[] = {
      "DELETE FROM tst_quota_use WHERE block > ?1",
      "DELETE FROM tst_lock WHERE block > ?1",
      "DELETE FROM tst_stake WHERE block > ?1",
      "DELETE FROM tst_reservation WHERE block > ?1",
      "UPDATE tst_lock SET closed_block = NULL, closed_log_index = NULL, closed_kind = NULL, "
      "closed_tx_hash = NULL, returned = NULL, penalty = NULL WHERE closed_block > ?1",
      "UPDATE tst_stake SET closed_block = NULL, closed_log_index = NULL, closed_tx_hash = NULL, "
      "emergency = NULL WHERE closed_block > ?1",
      "UPDATE tst_reservation SET closed_block = NULL, closed_log_index = NULL, closed_tx_hash = NULL "
      "WHERE closed_block > ?1",
  };
  return run_each_above(txn, kSteps, height);
}

}  // namespace csd::store_derive
