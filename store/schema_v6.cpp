// Schema version 6 (docs/store.md "User state in pages"): the open locks,
// stakes and reservations move into their users' account pages (page format
// 2), and tst_lock, tst_stake, tst_reservation become append-only histories
// keyed by position, their closes in tst_*_close tables, with no index at a
// random place to maintain per event.
#include "store/schema_v6.hpp"

#include <string>

#include "store/account_pages.hpp"
#include "store/try.hpp"
#include "store/user_state_rows.hpp"

namespace csd {

const std::string_view kSchemaV6 = R"sql(
ALTER TABLE tst_lock RENAME TO tst_lock_v5;
ALTER TABLE tst_stake RENAME TO tst_stake_v5;
ALTER TABLE tst_reservation RENAME TO tst_reservation_v5;
DROP INDEX tst_lock_user;
DROP INDEX tst_stake_user;
DROP INDEX tst_reservation_user;

-- Every TSTLocked that opened a lock, by position; a lock is open while no
-- tst_lock_close row names it (its user's page then holds it).
CREATE TABLE tst_lock(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  lock_id BLOB NOT NULL CHECK(length(lock_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  locked_until INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;
-- Each TSTReleased (kind 1) or LockTerminatedEarly (kind 2) that closed the
-- lock opened at (lock_block, lock_log_index).
CREATE TABLE tst_lock_close(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  lock_block INTEGER NOT NULL,
  lock_log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  kind INTEGER NOT NULL CHECK(kind IN (1, 2)),
  returned BLOB NOT NULL CHECK(length(returned) = 32),
  penalty BLOB CHECK(penalty IS NULL OR length(penalty) = 32),
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;

CREATE TABLE tst_stake(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  stake_id BLOB NOT NULL CHECK(length(stake_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  tier INTEGER NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  expires_at INTEGER NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;
CREATE TABLE tst_stake_close(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  stake_block INTEGER NOT NULL,
  stake_log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  emergency INTEGER NOT NULL CHECK(emergency IN (0, 1)),
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;

CREATE TABLE tst_reservation(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  reservation_id BLOB NOT NULL CHECK(length(reservation_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  entity_type INTEGER NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  quota_per_day INTEGER NOT NULL,
  reserved_until INTEGER NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;
CREATE TABLE tst_reservation_close(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  reservation_block INTEGER NOT NULL,
  reservation_log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;

INSERT INTO tst_lock(block, log_index, tx_hash, lock_id, user, amount, locked_until, agreement_id, time)
  SELECT block, log_index, tx_hash, lock_id, user, amount, locked_until, agreement_id, time FROM tst_lock_v5;
INSERT INTO tst_lock_close(block, log_index, lock_block, lock_log_index, tx_hash, kind, returned, penalty)
  SELECT closed_block, closed_log_index, block, log_index, closed_tx_hash, closed_kind, returned, penalty
  FROM tst_lock_v5 WHERE closed_block IS NOT NULL;
INSERT INTO tst_stake(block, log_index, tx_hash, stake_id, user, tier, amount, expires_at, time)
  SELECT block, log_index, tx_hash, stake_id, user, tier, amount, expires_at, time FROM tst_stake_v5;
INSERT INTO tst_stake_close(block, log_index, stake_block, stake_log_index, tx_hash, emergency)
  SELECT closed_block, closed_log_index, block, log_index, closed_tx_hash, coalesce(emergency, 0)
  FROM tst_stake_v5 WHERE closed_block IS NOT NULL;
INSERT INTO tst_reservation(block, log_index, tx_hash, reservation_id, user, entity_type, amount,
                            quota_per_day, reserved_until, time)
  SELECT block, log_index, tx_hash, reservation_id, user, entity_type, amount, quota_per_day, reserved_until,
         time FROM tst_reservation_v5;
INSERT INTO tst_reservation_close(block, log_index, reservation_block, reservation_log_index, tx_hash)
  SELECT closed_block, closed_log_index, block, log_index, closed_tx_hash
  FROM tst_reservation_v5 WHERE closed_block IS NOT NULL;
)sql";

namespace {

using account_pages::UserStateMap;
using store_derive::opened_at;

// Adds each open row of a schema-5 object table to its user's state.
template <class Add>
Status add_open_rows(WriteTxn& txn, const std::string& select, UserStateMap& states, Add&& add) {
  CSD_TRY(st, txn.prepare(select));
  return for_each_row(st, [&](const Statement& row) -> Status {
    CSD_TRY(user, (row.column_bytes<20, EvmAddressTag>(0)));
    return add(row, states[user]);
  });
}

}  // namespace

Status open_objects_into_pages(WriteTxn& txn) {
  CSD_TRY(states, account_pages::read_all(txn));
  auto status = add_open_rows(
      txn,
      "SELECT user, block, log_index, lock_id, tx_hash, amount, locked_until, agreement_id FROM tst_lock_v5 "
      "WHERE closed_block IS NULL ORDER BY block, log_index",
      states, [](const Statement& row, store_derive::UserState& state) -> Status {
        CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(3)));
        CSD_TRY(tx_hash, (row.column_bytes<32, Hash32Tag>(4)));
        CSD_TRY(amount, row.column_u256(5));
        state.locks.push_back(store_derive::OpenLock{id, opened_at(row, 1), tx_hash, amount,
                                                     row.column_int64(6), row.column_text(7)});
        return {};
      });
  if (!status) return status;
  status = add_open_rows(
      txn,
      "SELECT user, block, log_index, stake_id, tx_hash, time, tier, amount, expires_at FROM tst_stake_v5 "
      "WHERE closed_block IS NULL ORDER BY block, log_index",
      states, [](const Statement& row, store_derive::UserState& state) -> Status {
        CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(3)));
        CSD_TRY(tx_hash, (row.column_bytes<32, Hash32Tag>(4)));
        CSD_TRY(amount, row.column_u256(7));
        state.stakes.push_back(store_derive::OpenStake{id, opened_at(row, 1), tx_hash, row.column_int64(5),
                                                       static_cast<std::uint8_t>(row.column_int64(6)), amount,
                                                       row.column_int64(8)});
        return {};
      });
  if (!status) return status;
  status = add_open_rows(
      txn,
      "SELECT user, block, log_index, reservation_id, entity_type, amount, quota_per_day, reserved_until "
      "FROM tst_reservation_v5 WHERE closed_block IS NULL ORDER BY block, log_index",
      states, [](const Statement& row, store_derive::UserState& state) -> Status {
        CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(3)));
        CSD_TRY(amount, row.column_u256(5));
        state.reservations.push_back(
            store_derive::OpenReservation{id,
                                          opened_at(row, 1),
                                          static_cast<std::uint8_t>(row.column_int64(4)),
                                          amount,
                                          static_cast<std::uint32_t>(row.column_int64(6)),
                                          row.column_int64(7),
                                          {}});
        return {};
      });
  if (!status) return status;
  account_pages::UserStateList list(std::make_move_iterator(states.begin()),
                                    std::make_move_iterator(states.end()));
  if (auto written = account_pages::write(txn, list); !written) return written;
  return txn.exec("DROP TABLE tst_lock_v5; DROP TABLE tst_stake_v5; DROP TABLE tst_reservation_v5;");
}

}  // namespace csd
