// The inverse of BscDeriver above a height (rollback and rederive): the users'
// states lose the transfers and objects opened above it, get back the
// objects closed above it and their reservations the quota use they had at
// that height; the history rows above it go.
#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <utility>

#include "decoders/hex.hpp"
#include "store/account_states.hpp"
#include "store/derive.hpp"
#include "store/ledger_fill.hpp"
#include "store/ledger_runs.hpp"
#include "store/try.hpp"
#include "store/user_state_rows.hpp"

namespace csd::store_derive {
namespace {

std::int64_t as_height(std::uint64_t height) noexcept {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(height, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
}

// The states an unwind changes, read from the pages on first use.
class AffectedStates {
 public:
  explicit AffectedStates(WriteTxn& txn) : txn_(&txn) {}

  Result<UserState*> of(const EvmAddress& address) {
    if (auto it = states_.find(address); it != states_.end()) return &it->second;
    CSD_TRY(stored, account_states::read(*txn_, address));
    return &states_.emplace(address, stored ? std::move(*stored) : UserState{}).first->second;
  }

  Status write() {
    UserStateList list;
    list.reserve(states_.size());
    for (auto& [address, state] : states_) list.emplace_back(address, std::move(state));
    return account_states::write(*txn_, list);
  }

 private:
  WriteTxn* txn_;
  std::map<EvmAddress, UserState> states_;
};

Status subtract_transfers_above(WriteTxn& txn, std::uint64_t height, AffectedStates& states) {
  struct Delta {
    U256 received;
    U256 sent;
  };
  std::map<EvmAddress, Delta> deltas;
  {
    CSD_TRY(above, ledger_runs::rows_above(txn, as_height(height)));
    // A transfer is its transfer_in row: address = to, counterparty = from,
    // both read back from its raw log, which a rollback deletes only after this.
    std::vector<LedgerRow> rows;
    std::copy_if(above.begin(), above.end(), std::back_inserter(rows),
                 [](const LedgerRow& row) { return row.entry.type == LedgerKind::kTransferIn; });
    if (auto status = complete_ledger_rows(txn, std::span<LedgerRow>(rows)); !status) return status;
    for (const LedgerRow& row : rows) {
      if (!row.entry.counterparty) continue;
      const EvmAddress& to = row.address;
      const EvmAddress& from = *row.entry.counterparty;
      // Wrapping adds: the stored totals were checked when added, and the
      // checked subtraction below catches any inconsistency.
      deltas[to].received = deltas[to].received + row.entry.amount;
      deltas[from].sent = deltas[from].sent + row.entry.amount;
    }
  }
  for (const auto& [address, delta] : deltas) {
    CSD_TRY(state, states.of(address));
    auto received = checked_sub(state->totals.received, delta.received);
    auto sent = checked_sub(state->totals.sent, delta.sent);
    if (!received || !sent) {
      return make_error(ErrorCode::kInternal, "store: account totals of " + to_hex(address.span()) +
                                                  " are below its stored transfers");
    }
    state->totals = AccountTotals{*received, *sent};
  }
  return {};
}

// Takes the objects opened above `height` out of their users' states:
// `select` yields (user, block, log_index) of each such history row.
template <class Member>
Status remove_opened_above(WriteTxn& txn, std::string_view select, std::uint64_t height,
                           AffectedStates& states, Member member) {
  CSD_TRY(st, txn.prepare(select));
  st.bind_int64(1, as_height(height));
  return for_each_row(st, [&](const Statement& row) -> Status {
    CSD_TRY(user, (row.column_bytes<20, EvmAddressTag>(0)));
    const Opened opened = opened_at(row, 1);
    CSD_TRY(state, states.of(user));
    auto& list = state->*member;
    // Opened above the height and still open (one closed above it too is already gone).
    std::erase_if(list, [&](const auto& object) { return object.opened == opened; });
    return {};
  });
}

// Puts back the objects closed above `height` that opened at or below it:
// `select` joins the close rows above ?1 to their history rows, yielding the
// user first and then what `read` turns into the object.
template <class Member, class Read>
Status restore_closed_above(WriteTxn& txn, std::string_view select, std::uint64_t height,
                            AffectedStates& states, Member member, Read&& read) {
  CSD_TRY(st, txn.prepare(select));
  st.bind_int64(1, as_height(height));
  return for_each_row(st, [&](const Statement& row) -> Status {
    CSD_TRY(user, (row.column_bytes<20, EvmAddressTag>(0)));
    CSD_TRY(object, read(row));
    CSD_TRY(state, states.of(user));
    insert_open(state->*member, std::move(object));
    return {};
  });
}

Result<OpenLock> lock_row(const Statement& row) {
  // columns: user, block, log_index, lock_id, tx_hash, amount, locked_until, agreement_id
  const Opened opened = opened_at(row, 1);
  CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(3)));
  CSD_TRY(tx_hash, (row.column_bytes<32, Hash32Tag>(4)));
  CSD_TRY(amount, row.column_u256(5));
  return OpenLock{id, opened, tx_hash, amount, row.column_int64(6), row.column_text(7)};
}

Result<OpenStake> stake_row(const Statement& row) {
  // columns: user, block, log_index, stake_id, tx_hash, time, tier, amount, expires_at
  const Opened opened = opened_at(row, 1);
  CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(3)));
  CSD_TRY(tx_hash, (row.column_bytes<32, Hash32Tag>(4)));
  CSD_TRY(amount, row.column_u256(7));
  return OpenStake{id,
                   opened,
                   tx_hash,
                   row.column_int64(5),
                   static_cast<std::uint8_t>(row.column_int64(6)),
                   amount,
                   row.column_int64(8)};
}

Result<OpenReservation> reservation_row(const Statement& row) {
  // columns: user, block, log_index, reservation_id, entity_type, amount, quota_per_day, reserved_until,
  // and the quota use at its close: quota_day, quota_units, quota_units_day_before
  const Opened opened = opened_at(row, 1);
  CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(3)));
  CSD_TRY(amount, row.column_u256(5));
  return OpenReservation{id,
                         opened,
                         static_cast<std::uint8_t>(row.column_int64(4)),
                         amount,
                         static_cast<std::uint32_t>(row.column_int64(6)),
                         row.column_int64(7),
                         quota_at(row, 8)};
}

// Gives the reservations their quota use from before the uses above
// `height`: each use row keeps the one it replaced, and newest first, the
// oldest use above the height sets it last. Run after the objects' unwind, so
// a reservation opened above it is gone and one closed above it is back.
Status unwind_quota_uses(WriteTxn& txn, std::uint64_t height, AffectedStates& states) {
  CSD_TRY(st,
          txn.prepare("SELECT user, reservation_block, reservation_log_index, prior_day, prior_units, "
                      "prior_units_day_before FROM tst_quota_use WHERE position > ?1 * 16777216 + 16777215 "
                      "ORDER BY position DESC"));
  st.bind_int64(1, as_height(height));
  return for_each_row(st, [&](const Statement& row) -> Status {
    CSD_TRY(user, (row.column_bytes<20, EvmAddressTag>(0)));
    const Opened opened = opened_at(row, 1);
    CSD_TRY(state, states.of(user));
    if (OpenReservation* reservation = find_opened_at(state->reservations, opened)) {
      reservation->quota = quota_at(row, 3);
    }
    return {};
  });
}

Status unwind_objects(WriteTxn& txn, std::uint64_t height, AffectedStates& states) {
  // Removals first: an id closed and opened again above the height is then
  // only the object that opened at or below it.
  if (auto st = remove_opened_above(
          txn, "SELECT user, block, log_index FROM tst_lock WHERE position > ?1 * 16777216 + 16777215",
          height, states, &UserState::locks);
      !st)
    return st;
  if (auto st = remove_opened_above(
          txn, "SELECT user, block, log_index FROM tst_stake WHERE position > ?1 * 16777216 + 16777215",
          height, states, &UserState::stakes);
      !st)
    return st;
  if (auto st = remove_opened_above(txn,
                                    "SELECT user, block, log_index FROM tst_reservation WHERE "
                                    "position > ?1 * 16777216 + 16777215",
                                    height, states, &UserState::reservations);
      !st)
    return st;
  if (auto st = restore_closed_above(
          txn,
          "SELECT l.user, l.block, l.log_index, l.lock_id, l.tx_hash, l.amount, "
          "l.locked_until, l.agreement_id "
          "FROM tst_lock_close c JOIN tst_lock l ON l.position = c.lock_block * 16777216 + "
          "c.lock_log_index "
          "WHERE c.position > ?1 * 16777216 + 16777215 AND c.lock_block <= ?1",
          height, states, &UserState::locks, lock_row);
      !st)
    return st;
  if (auto st = restore_closed_above(
          txn,
          "SELECT s.user, s.block, s.log_index, s.stake_id, s.tx_hash, s.time, s.tier, s.amount, "
          "s.expires_at "
          "FROM tst_stake_close c JOIN tst_stake s ON s.position = c.stake_block * 16777216 + "
          "c.stake_log_index WHERE c.position > ?1 * 16777216 + 16777215 AND c.stake_block <= ?1",
          height, states, &UserState::stakes, stake_row);
      !st)
    return st;
  return restore_closed_above(
      txn,
      "SELECT r.user, r.block, r.log_index, r.reservation_id, r.entity_type, r.amount, r.quota_per_day, "
      "r.reserved_until, c.quota_day, c.quota_units, c.quota_units_day_before FROM tst_reservation_close c "
      "JOIN tst_reservation r ON r.position = c.reservation_block * 16777216 + c.reservation_log_index "
      "WHERE c.position > ?1 * 16777216 + 16777215 AND c.reservation_block <= ?1",
      height, states, &UserState::reservations, reservation_row);
}

}  // namespace

Status unwind_bsc(WriteTxn& txn, std::uint64_t height) {
  AffectedStates states(txn);
  if (auto status = subtract_transfers_above(txn, height, states); !status) return status;
  if (auto status = unwind_objects(txn, height, states); !status) return status;
  if (auto status = unwind_quota_uses(txn, height, states); !status) return status;
  if (auto status = states.write(); !status) return status;
  if (auto status = ledger_runs::unwind_above(txn, height); !status) return status;
  // Rows above the height by position (store/schema_v11.hpp): a range of each table's rowids.
  static constexpr std::string_view kSteps[] = {
      "DELETE FROM tst_quota_use WHERE position > ?1 * 16777216 + 16777215",
      "DELETE FROM tst_lock WHERE position > ?1 * 16777216 + 16777215",
      "DELETE FROM tst_lock_close WHERE position > ?1 * 16777216 + 16777215",
      "DELETE FROM tst_stake WHERE position > ?1 * 16777216 + 16777215",
      "DELETE FROM tst_stake_close WHERE position > ?1 * 16777216 + 16777215",
      "DELETE FROM tst_reservation WHERE position > ?1 * 16777216 + 16777215",
      "DELETE FROM tst_reservation_close WHERE position > ?1 * 16777216 + 16777215",
  };
  return run_each_above(txn, kSteps, height);
}

}  // namespace csd::store_derive
