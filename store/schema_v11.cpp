// Schema version 11 (a step of schema.cpp's migrations): the object
// histories as rowid tables keyed by the log's position, block · 2^24 +
// log_index (docs/store.md "Histories keyed by position"). They were WITHOUT
// ROWID tables with PRIMARY KEY(block, log_index): every row an insert into an
// index b-tree, compared column by column, whose pages an append splits half
// full. A rowid table appends at its right edge, comparing one integer, and
// fills its pages. The block and log_index columns stay, checked against the
// position, so every reader sees the same columns.
#include "store/schema_v11.hpp"

namespace csd {

// Explicit column lists: a table that already has the position column (a test
// fixture taking a newer store back to an older schema) converts as well.
const std::string_view kSchemaV11 = R"sql(
CREATE TABLE tst_lock_v11(
  position INTEGER PRIMARY KEY,
  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),
  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  lock_id BLOB NOT NULL CHECK(length(lock_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  locked_until INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  CHECK(position = block * 16777216 + log_index)
) STRICT;
INSERT INTO tst_lock_v11(position, block, log_index, tx_hash, lock_id, user, amount, locked_until, agreement_id, time)
  SELECT block * 16777216 + log_index, block, log_index, tx_hash, lock_id, user, amount, locked_until, agreement_id, time FROM tst_lock ORDER BY block, log_index;
DROP TABLE tst_lock;
ALTER TABLE tst_lock_v11 RENAME TO tst_lock;
CREATE TABLE tst_lock_close_v11(
  position INTEGER PRIMARY KEY,
  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),
  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),
  lock_block INTEGER NOT NULL,
  lock_log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  kind INTEGER NOT NULL CHECK(kind IN (1, 2)),
  returned BLOB NOT NULL CHECK(length(returned) = 32),
  penalty BLOB CHECK(penalty IS NULL OR length(penalty) = 32),
  CHECK(position = block * 16777216 + log_index)
) STRICT;
INSERT INTO tst_lock_close_v11(position, block, log_index, lock_block, lock_log_index, tx_hash, kind, returned, penalty)
  SELECT block * 16777216 + log_index, block, log_index, lock_block, lock_log_index, tx_hash, kind, returned, penalty FROM tst_lock_close ORDER BY block, log_index;
DROP TABLE tst_lock_close;
ALTER TABLE tst_lock_close_v11 RENAME TO tst_lock_close;
CREATE TABLE tst_stake_v11(
  position INTEGER PRIMARY KEY,
  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),
  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  stake_id BLOB NOT NULL CHECK(length(stake_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  tier INTEGER NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  expires_at INTEGER NOT NULL,
  time INTEGER NOT NULL,
  CHECK(position = block * 16777216 + log_index)
) STRICT;
INSERT INTO tst_stake_v11(position, block, log_index, tx_hash, stake_id, user, tier, amount, expires_at, time)
  SELECT block * 16777216 + log_index, block, log_index, tx_hash, stake_id, user, tier, amount, expires_at, time FROM tst_stake ORDER BY block, log_index;
DROP TABLE tst_stake;
ALTER TABLE tst_stake_v11 RENAME TO tst_stake;
CREATE TABLE tst_stake_close_v11(
  position INTEGER PRIMARY KEY,
  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),
  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),
  stake_block INTEGER NOT NULL,
  stake_log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  emergency INTEGER NOT NULL CHECK(emergency IN (0, 1)),
  CHECK(position = block * 16777216 + log_index)
) STRICT;
INSERT INTO tst_stake_close_v11(position, block, log_index, stake_block, stake_log_index, tx_hash, emergency)
  SELECT block * 16777216 + log_index, block, log_index, stake_block, stake_log_index, tx_hash, emergency FROM tst_stake_close ORDER BY block, log_index;
DROP TABLE tst_stake_close;
ALTER TABLE tst_stake_close_v11 RENAME TO tst_stake_close;
CREATE TABLE tst_reservation_v11(
  position INTEGER PRIMARY KEY,
  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),
  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  reservation_id BLOB NOT NULL CHECK(length(reservation_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  entity_type INTEGER NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  quota_per_day INTEGER NOT NULL,
  reserved_until INTEGER NOT NULL,
  time INTEGER NOT NULL,
  CHECK(position = block * 16777216 + log_index)
) STRICT;
INSERT INTO tst_reservation_v11(position, block, log_index, tx_hash, reservation_id, user, entity_type, amount, quota_per_day, reserved_until, time)
  SELECT block * 16777216 + log_index, block, log_index, tx_hash, reservation_id, user, entity_type, amount, quota_per_day, reserved_until, time FROM tst_reservation ORDER BY block, log_index;
DROP TABLE tst_reservation;
ALTER TABLE tst_reservation_v11 RENAME TO tst_reservation;
CREATE TABLE tst_reservation_close_v11(
  position INTEGER PRIMARY KEY,
  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),
  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),
  reservation_block INTEGER NOT NULL,
  reservation_log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32),
  quota_day INTEGER NOT NULL DEFAULT 0,
  quota_units INTEGER NOT NULL DEFAULT 0,
  quota_units_day_before INTEGER NOT NULL DEFAULT 0,
  CHECK(position = block * 16777216 + log_index)
) STRICT;
INSERT INTO tst_reservation_close_v11(position, block, log_index, reservation_block, reservation_log_index, tx_hash, quota_day, quota_units, quota_units_day_before)
  SELECT block * 16777216 + log_index, block, log_index, reservation_block, reservation_log_index, tx_hash, quota_day, quota_units, quota_units_day_before FROM tst_reservation_close ORDER BY block, log_index;
DROP TABLE tst_reservation_close;
ALTER TABLE tst_reservation_close_v11 RENAME TO tst_reservation_close;
CREATE TABLE tst_quota_use_v11(
  position INTEGER PRIMARY KEY,
  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),
  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),
  reservation_block INTEGER NOT NULL,
  reservation_log_index INTEGER NOT NULL,
  reservation_id BLOB NOT NULL CHECK(length(reservation_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  units INTEGER NOT NULL,
  time INTEGER NOT NULL,
  prior_day INTEGER NOT NULL,
  prior_units INTEGER NOT NULL,
  prior_units_day_before INTEGER NOT NULL,
  CHECK(position = block * 16777216 + log_index)
) STRICT;
INSERT INTO tst_quota_use_v11(position, block, log_index, reservation_block, reservation_log_index, reservation_id, user, units, time, prior_day, prior_units, prior_units_day_before)
  SELECT block * 16777216 + log_index, block, log_index, reservation_block, reservation_log_index, reservation_id, user, units, time, prior_day, prior_units, prior_units_day_before FROM tst_quota_use ORDER BY block, log_index;
DROP TABLE tst_quota_use;
ALTER TABLE tst_quota_use_v11 RENAME TO tst_quota_use;
)sql";

}  // namespace csd
