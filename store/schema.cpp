#include "store/schema.hpp"

#include <array>
#include <string>
#include <vector>

#include "store/account_pages.hpp"
#include "store/ledger_runs.hpp"
#include "store/raw_pack.hpp"
#include "store/schema_v11.hpp"
#include "store/schema_v6.hpp"
#include "store/schema_v7.hpp"
#include "store/schema_v9.hpp"

namespace csd {
namespace {

// Schema version 1: the tables of docs/store.md. STRICT tables enforce the
// column types; amounts and hashes are BLOBs of a checked size. Tables keyed
// by a composite primary key are WITHOUT ROWID (one b-tree instead of two).
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE checkpoint(
  chain INTEGER PRIMARY KEY,
  height INTEGER NOT NULL,
  hash BLOB NOT NULL CHECK(length(hash) = 32),
  time INTEGER NOT NULL,
  finalized_height INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;

-- Runtime state of each chain's sync loop (Writer::record_sync_status): not
-- chain state, so rollback and rederive leave it alone and dump_store skips it.
CREATE TABLE sync_status(
  chain INTEGER PRIMARY KEY,
  head INTEGER,
  rpc_endpoint TEXT NOT NULL,
  last_error TEXT NOT NULL,
  last_error_at INTEGER NOT NULL,
  syncing INTEGER NOT NULL CHECK(syncing IN (0, 1)),
  last_reconciliation INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE block(
  chain INTEGER NOT NULL,
  height INTEGER NOT NULL,
  hash BLOB NOT NULL CHECK(length(hash) = 32),
  parent_hash BLOB NOT NULL CHECK(length(parent_hash) = 32),
  time INTEGER NOT NULL,
  PRIMARY KEY(chain, height)
) STRICT, WITHOUT ROWID;

CREATE TABLE raw_log(
  chain INTEGER NOT NULL,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL,
  address BLOB NOT NULL,
  topics BLOB NOT NULL CHECK(length(topics) % 32 = 0),
  data BLOB NOT NULL,
  PRIMARY KEY(chain, block, log_index)
) STRICT, WITHOUT ROWID;

CREATE TABLE tron_tx(
  tx_hash BLOB PRIMARY KEY,
  block INTEGER NOT NULL,
  success INTEGER NOT NULL,
  result TEXT NOT NULL,
  fee_sun INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX tron_tx_block ON tron_tx(block);

CREATE TABLE solana_account(
  account BLOB NOT NULL,
  slot INTEGER NOT NULL,
  data BLOB,
  PRIMARY KEY(account, slot)
) STRICT, WITHOUT ROWID;
CREATE INDEX solana_account_slot ON solana_account(slot);


CREATE TABLE tst_account(
  address BLOB PRIMARY KEY,
  received BLOB NOT NULL CHECK(length(received) = 32),
  sent BLOB NOT NULL CHECK(length(sent) = 32)
) STRICT, WITHOUT ROWID;

CREATE TABLE tst_lock(
  lock_id BLOB PRIMARY KEY,
  user BLOB NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  locked_until INTEGER NOT NULL,
  agreement_id TEXT NOT NULL,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL,
  time INTEGER NOT NULL,
  closed_block INTEGER,
  closed_log_index INTEGER,
  closed_kind INTEGER,
  closed_tx_hash BLOB,
  returned BLOB,
  penalty BLOB
) STRICT, WITHOUT ROWID;
-- The views read a user's open objects newest first: partial indexes on open rows, in that order.
-- No index on block or closed_block: only a rollback reads by them, and it scans (docs/store.md).
CREATE INDEX tst_lock_user ON tst_lock(user, block, log_index) WHERE closed_block IS NULL;

CREATE TABLE tst_stake(
  stake_id BLOB PRIMARY KEY,
  user BLOB NOT NULL,
  tier INTEGER NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  expires_at INTEGER NOT NULL,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL,
  time INTEGER NOT NULL,
  closed_block INTEGER,
  closed_log_index INTEGER,
  closed_tx_hash BLOB,
  emergency INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX tst_stake_user ON tst_stake(user, block, log_index) WHERE closed_block IS NULL;

CREATE TABLE tst_reservation(
  reservation_id BLOB PRIMARY KEY,
  user BLOB NOT NULL,
  entity_type INTEGER NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  quota_per_day INTEGER NOT NULL,
  reserved_until INTEGER NOT NULL,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash BLOB NOT NULL,
  time INTEGER NOT NULL,
  closed_block INTEGER,
  closed_log_index INTEGER,
  closed_tx_hash BLOB
) STRICT, WITHOUT ROWID;
CREATE INDEX tst_reservation_user ON tst_reservation(user, reserved_until, block, log_index)
  WHERE closed_block IS NULL;

CREATE TABLE tst_quota_use(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  reservation_id BLOB NOT NULL,
  units INTEGER NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;
CREATE INDEX tst_quota_use_reservation ON tst_quota_use(reservation_id, time);

CREATE TABLE tst_ledger(
  address BLOB NOT NULL,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  counterparty BLOB,
  tx_hash BLOB NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY(block, log_index, kind)
) STRICT, WITHOUT ROWID;
-- Clustered by position, so a batch appends; the ledger view reads an address
-- through this narrow index (docs/store.md "Ingest cost").
CREATE INDEX tst_ledger_address ON tst_ledger(address, block, log_index, kind);
-- A transfer is its transfer_in ledger row (the transfer_out row mirrors it):
-- no second copy is written.
CREATE VIEW tst_transfer(block, log_index, tx_hash, from_addr, to_addr, amount) AS
  SELECT block, log_index, tx_hash, counterparty, address, amount FROM tst_ledger WHERE kind = 1;

CREATE TABLE anomaly(
  chain INTEGER NOT NULL,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY(chain, block, log_index, detail)
) STRICT, WITHOUT ROWID;

CREATE TABLE solana_stake(
  account BLOB PRIMARY KEY,
  owner BLOB NOT NULL,
  pool BLOB NOT NULL,
  staked_amount BLOB NOT NULL CHECK(length(staked_amount) = 32),
  staked_at INTEGER NOT NULL,
  last_update INTEGER NOT NULL,
  bump INTEGER NOT NULL,
  slot INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX solana_stake_owner ON solana_stake(owner);

CREATE TABLE payout(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  payout_id BLOB NOT NULL,
  kind INTEGER NOT NULL,
  router_type INTEGER NOT NULL,
  router_address BLOB NOT NULL,
  recipient BLOB NOT NULL CHECK(length(recipient) = 21),
  amount BLOB NOT NULL CHECK(length(amount) = 32),
  batch_id BLOB,
  reason TEXT,
  error TEXT,
  tx_hash BLOB NOT NULL,
  block_time INTEGER NOT NULL,
  latest INTEGER NOT NULL DEFAULT 1 CHECK(latest IN (0, 1)),
  ids_through INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;
CREATE INDEX payout_payout_id ON payout(payout_id, block, log_index);
-- The views read only the latest row of each payout_id: partial indexes on
-- latest = 1, with `latest` as a column too so a count can be index-only.
CREATE INDEX payout_recipient ON payout(recipient, block, log_index, latest) WHERE latest = 1;
CREATE INDEX payout_batch_id ON payout(batch_id, block, log_index, latest) WHERE latest = 1;
CREATE INDEX payout_tx_hash ON payout(tx_hash, latest) WHERE latest = 1;
-- The stats read the latest rows of a time window (not every payout).
CREATE INDEX payout_block_time ON payout(block_time, latest) WHERE latest = 1;

-- payout.latest and payout.ids_through follow every INSERT and DELETE on
-- payout, so apply, rollback and rederive keep them exact without writer code.
-- A row is latest when no row of its payout_id has a higher (block, log_index).
-- ids_through = the number of distinct payout_ids among the rows up to and
-- including this one in (block, log_index) order, so the newest row holds the
-- unfiltered payouts total, and deleting rows above a height leaves the rest
-- right. REQUIRES: rows are inserted in ascending (block, log_index) order
-- (Writer::apply validates it; rederive replays in that order).
CREATE TRIGGER payout_insert AFTER INSERT ON payout BEGIN
  UPDATE payout SET latest = 0 WHERE payout_id = NEW.payout_id AND latest = 1
    AND (block, log_index) < (NEW.block, NEW.log_index);
  UPDATE payout SET
    latest = NOT EXISTS (SELECT 1 FROM payout n WHERE n.payout_id = NEW.payout_id
                         AND (n.block, n.log_index) > (NEW.block, NEW.log_index)),
    ids_through = coalesce((SELECT o.ids_through FROM payout o
                            WHERE (o.block, o.log_index) < (NEW.block, NEW.log_index)
                            ORDER BY o.block DESC, o.log_index DESC LIMIT 1), 0)
                  + NOT EXISTS (SELECT 1 FROM payout o WHERE o.payout_id = NEW.payout_id
                                AND (o.block, o.log_index) < (NEW.block, NEW.log_index))
    WHERE block = NEW.block AND log_index = NEW.log_index;
END;
CREATE TRIGGER payout_delete AFTER DELETE ON payout WHEN OLD.latest = 1 BEGIN
  UPDATE payout SET latest = 1 WHERE payout_id = OLD.payout_id AND (block, log_index) =
    (SELECT block, log_index FROM payout n WHERE n.payout_id = OLD.payout_id
     ORDER BY block DESC, log_index DESC LIMIT 1);
END;

-- Row counts that GET /v1/status reads, kept by triggers so a status call
-- reads one row instead of counting: ('anomaly', chain) and ('solana_stake',
-- 2). A count that returns to zero has no row (as in a fresh store).
CREATE TABLE row_count(
  name TEXT NOT NULL,
  chain INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(name, chain)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER anomaly_count_insert AFTER INSERT ON anomaly BEGIN
  INSERT INTO row_count(name, chain, n) VALUES('anomaly', NEW.chain, 1)
    ON CONFLICT(name, chain) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER anomaly_count_delete AFTER DELETE ON anomaly BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'anomaly' AND chain = OLD.chain;
  DELETE FROM row_count WHERE name = 'anomaly' AND chain = OLD.chain AND n = 0;
END;
CREATE TRIGGER solana_stake_count_insert AFTER INSERT ON solana_stake BEGIN
  INSERT INTO row_count(name, chain, n) VALUES('solana_stake', 2, 1)
    ON CONFLICT(name, chain) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER solana_stake_count_delete AFTER DELETE ON solana_stake BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'solana_stake' AND chain = 2;
  DELETE FROM row_count WHERE name = 'solana_stake' AND chain = 2 AND n = 0;
END;

CREATE TABLE payout_batch(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  batch_id BLOB NOT NULL,
  count BLOB NOT NULL CHECK(length(count) = 32),
  total_amount BLOB NOT NULL CHECK(length(total_amount) = 32),
  tx_hash BLOB NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;
CREATE INDEX payout_batch_batch_id ON payout_batch(batch_id);
)sql";

// Schema version 2: raw logs one row per block (docs/store.md "Raw logs, one
// row per block"). id = chain · 2^56 + height (store/raw_pack.hpp); chain and
// height are kept as columns so the table reads plainly in sqlite3.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE raw_block(
  id INTEGER PRIMARY KEY,
  chain INTEGER NOT NULL,
  height INTEGER NOT NULL CHECK(height >= 0 AND height < 72057594037927936),
  logs BLOB NOT NULL,
  CHECK(id = chain * 72057594037927936 + height)
) STRICT;
)sql";

// A schema-1 raw_log row (block, log_index, tx_hash, address, topics as 32·n
// bytes, data in columns 1..6) as a RawLog.
Result<RawLog> raw_log_row(const Statement& row) {
  RawLog log;
  log.block = static_cast<std::uint64_t>(row.column_int64(1));
  log.log_index = static_cast<std::uint32_t>(row.column_int64(2));
  auto tx_hash = row.column_bytes<32, Hash32Tag>(3);
  if (!tx_hash) return std::move(tx_hash).error();
  auto address = row.column_bytes<20, EvmAddressTag>(4);
  if (!address) return std::move(address).error();
  log.tx_hash = *tx_hash;
  log.address = *address;
  const ByteSpan topics = row.column_blob(5);
  if (topics.size() % Hash32::kSize != 0 || topics.size() / Hash32::kSize > kRawPackMaxTopics) {
    return make_error(ErrorCode::kMalformed, "raw_log.topics of " + std::to_string(topics.size()) +
                                                 " bytes in block " + std::to_string(log.block));
  }
  for (std::size_t at = 0; at < topics.size(); at += Hash32::kSize)
    log.topics.push_back(Hash32::from(topics.subspan(at).first<Hash32::kSize>()));
  const ByteSpan data = row.column_blob(6);
  log.data.assign(data.begin(), data.end());
  return log;
}

// raw_log's rows, block by block, into raw_block; then raw_log goes.
Status repack_raw_logs(WriteTxn& txn) {
  auto select = txn.prepare(
      "SELECT chain, block, log_index, tx_hash, address, topics, data FROM raw_log "
      "ORDER BY chain, block, log_index");
  if (!select) return std::move(select).error();
  auto insert = txn.prepare("INSERT INTO raw_block(id, chain, height, logs) VALUES(?1, ?2, ?3, ?4)");
  if (!insert) return std::move(insert).error();
  std::vector<RawLog> block_logs;
  std::int64_t block_chain = 0;
  Bytes packed;
  const auto flush = [&]() -> Status {
    if (block_logs.empty()) return {};
    const std::uint64_t height = block_logs.front().block;
    if (height > kMaxStoredHeight || block_chain < 1 || block_chain > 3) {
      return make_error(ErrorCode::kMalformed, "migration to schema 2: raw_log row of chain " +
                                                   std::to_string(block_chain) + ", block " +
                                                   std::to_string(height) + " is out of range");
    }
    pack_block_logs(block_logs, packed);
    insert->bind_int64(1, raw_block_id(static_cast<ChainId>(block_chain), height)).bind_int64(2, block_chain);
    insert->bind_int64(3, static_cast<std::int64_t>(height)).bind_blob_static(4, packed);
    block_logs.clear();
    return insert->run();
  };
  auto status = for_each_row(*select, [&](const Statement& row) -> Status {
    auto log = raw_log_row(row);
    if (!log) return std::move(log).error();
    const std::int64_t chain = row.column_int64(0);
    if (!block_logs.empty() && (chain != block_chain || log->block != block_logs.front().block)) {
      if (auto flushed = flush(); !flushed) return flushed;
    }
    block_chain = chain;
    block_logs.push_back(std::move(*log));
    return {};
  });
  if (!status) return status;
  if (auto flushed = flush(); !flushed) return flushed;
  return txn.exec("DROP TABLE raw_log");
}

// Schema version 3: the ledger as sorted runs of packed chunks
// (store/ledger_runs.hpp, docs/store.md "The ledger as sorted runs") instead
// of one row per movement and a random-keyed address index.
constexpr std::string_view kSchemaV3 = R"sql(
DROP VIEW tst_transfer;
CREATE TABLE ledger_run(
  run INTEGER PRIMARY KEY,
  level INTEGER NOT NULL CHECK(level >= 0),
  min_block INTEGER NOT NULL,
  max_block INTEGER NOT NULL CHECK(max_block >= min_block),
  row_count INTEGER NOT NULL CHECK(row_count > 0)
) STRICT;
CREATE TABLE ledger_chunk(
  id INTEGER PRIMARY KEY,
  run INTEGER NOT NULL,
  first_address BLOB NOT NULL CHECK(length(first_address) = 20),
  last_address BLOB NOT NULL CHECK(length(last_address) = 20),
  packed BLOB NOT NULL
) STRICT;
-- A reader finds an address's chunk in a run by its last address.
CREATE INDEX ledger_chunk_probe ON ledger_chunk(run, last_address);
)sql";

// A schema-2 tst_ledger row (columns 0..7 as the table has them).
Result<LedgerRow> ledger_table_row(const Statement& row) {
  const std::int64_t kind = row.column_int64(3);
  if (kind < 1 || kind > static_cast<std::int64_t>(LedgerKind::kReleaseReservation))
    return make_error(ErrorCode::kMalformed, "tst_ledger row of kind " + std::to_string(kind));
  LedgerRow out;
  auto address = row.column_bytes<20, EvmAddressTag>(0);
  if (!address) return std::move(address).error();
  auto amount = row.column_u256(4);
  if (!amount) return std::move(amount).error();
  auto tx_hash = row.column_bytes<32, Hash32Tag>(6);
  if (!tx_hash) return std::move(tx_hash).error();
  out.address = *address;
  out.entry = LedgerEntry{static_cast<LedgerKind>(kind),
                          *amount,
                          std::nullopt,
                          *tx_hash,
                          static_cast<std::uint64_t>(row.column_int64(1)),
                          static_cast<std::uint32_t>(row.column_int64(2)),
                          row.column_int64(7)};
  if (!row.is_null(5)) {
    auto counterparty = row.column_bytes<20, EvmAddressTag>(5);
    if (!counterparty) return std::move(counterparty).error();
    out.entry.counterparty = *counterparty;
  }
  return out;
}

// tst_ledger's rows, in run order, into one run; then tst_ledger goes.
Status ledger_rows_into_run(WriteTxn& txn) {
  auto count = txn.query_int64("SELECT count(*) FROM tst_ledger");
  if (!count) return std::move(count).error();
  // Format 1, as schema 3 had it: migration 9 converts it, checking each row against its raw log.
  auto run = ledger_runs::RunWriter::start(
      txn, ledger_runs::level_for_size(static_cast<std::uint64_t>(*count), ledger_runs::Options{}),
      kLedgerChunkFormat1);
  if (!run) return std::move(run).error();
  auto select = txn.prepare(
      "SELECT address, block, log_index, kind, amount, counterparty, tx_hash, time FROM tst_ledger "
      "ORDER BY address, block, log_index, kind");
  if (!select) return std::move(select).error();
  auto status = for_each_row(*select, [&](const Statement& stored) -> Status {
    auto row = ledger_table_row(stored);
    if (!row) return std::move(row).error();
    return run->add(*row);
  });
  if (!status) return status;
  if (auto finished = run->finish(); !finished) return finished;
  return txn.exec("DROP INDEX tst_ledger_address; DROP TABLE tst_ledger");
}

// Schema version 4: TST account totals in pages (store/account_pages.hpp,
// docs/store.md "Account totals in pages") instead of one row per address.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE account_page(
  id INTEGER PRIMARY KEY,
  first_address BLOB NOT NULL UNIQUE CHECK(length(first_address) = 20),
  packed BLOB NOT NULL
) STRICT;
)sql";

// tst_account's rows into pages; then tst_account goes.
Status account_rows_into_pages(WriteTxn& txn) {
  auto select = txn.prepare("SELECT address, received, sent FROM tst_account ORDER BY address");
  if (!select) return std::move(select).error();
  account_pages::UserStateMap totals;
  auto status = for_each_row(*select, [&](const Statement& row) -> Status {
    auto address = row.column_bytes<20, EvmAddressTag>(0);
    if (!address) return std::move(address).error();
    auto received = row.column_u256(1);
    if (!received) return std::move(received).error();
    auto sent = row.column_u256(2);
    if (!sent) return std::move(sent).error();
    totals.emplace_hint(totals.end(), *address,
                        account_pages::UserState{account_pages::AccountTotals{*received, *sent}, {}, {}, {}});
    return {};
  });
  if (!status) return status;
  const account_pages::UserStateList list(totals.begin(), totals.end());
  if (auto written = account_pages::write(txn, list); !written) return written;
  return txn.exec("DROP TABLE tst_account");
}

// Schema version 5: a block's hash and time beside its raw logs (docs/store.md
// "Raw logs carry their block's hash and time"), so BSC and Solana keep block
// headers for the reorg window only. Rows of blocks whose header is missing
// (none the writer left) get a zero hash and time 0, "unknown".
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE raw_block_v5(
  id INTEGER PRIMARY KEY,
  chain INTEGER NOT NULL,
  height INTEGER NOT NULL CHECK(height >= 0 AND height < 72057594037927936),
  hash BLOB NOT NULL CHECK(length(hash) = 32),
  time INTEGER NOT NULL,
  logs BLOB NOT NULL,
  CHECK(id = chain * 72057594037927936 + height)
) STRICT;
INSERT INTO raw_block_v5(id, chain, height, hash, time, logs)
  SELECT r.id, r.chain, r.height, coalesce(b.hash, zeroblob(32)), coalesce(b.time, 0), r.logs
  FROM raw_block r LEFT JOIN block b ON b.chain = r.chain AND b.height = r.height ORDER BY r.id;
DROP TABLE raw_block;
ALTER TABLE raw_block_v5 RENAME TO raw_block;
)sql";

// Schema version 8: a batch's touched user states as a run over the account
// pages, folded into them every few batches (store/account_states.hpp,
// docs/store.md "State runs"). Nothing to convert: every state is in a page.
constexpr std::string_view kSchemaV8 = R"sql(
CREATE TABLE account_run(
  seq INTEGER NOT NULL,
  first_address BLOB NOT NULL CHECK(length(first_address) = 20),
  packed BLOB NOT NULL,
  PRIMARY KEY(seq, first_address)
) STRICT;
)sql";

// Schema version 9: ledger rows name their raw log for what it holds
// (store/ledger_chunk.hpp format 2, docs/store.md "The ledger as sorted
// runs"); the chunks are rewritten, the tables stay (no SQL).
constexpr std::string_view kSchemaV9;

// Schema version 10: new raw_block rows are packed in format 2
// (store/raw_pack.hpp), which an older binary cannot read; format-1 rows stay
// as they are and are still read. Nothing to convert: the version tells an
// older binary to leave the file alone.
constexpr std::string_view kSchemaV10;

// Schema version 11: the object histories keyed by position; the conversion
// (store/schema_v11.cpp) rebuilds the tables.
constexpr std::string_view kSchemaV11;

// Not constexpr: kSchemaV6 and kSchemaV7 are defined in other files (constant-initialised all the same).
const std::array<Migration, 11> kMigrations = {{
    {1, kSchemaV1},
    {2, kSchemaV2, repack_raw_logs},
    {3, kSchemaV3, ledger_rows_into_run},
    {4, kSchemaV4, account_rows_into_pages},
    {5, kSchemaV5},
    {6, kSchemaV6, open_objects_into_pages},
    {7, kSchemaV7, quota_use_into_states},
    {8, kSchemaV8},
    {9, kSchemaV9, ledger_chunks_to_format_2},
    {10, kSchemaV10},
    {11, kSchemaV11, histories_by_position},
}};

}  // namespace

std::span<const Migration> schema_migrations() noexcept {
  return kMigrations;
}

std::int64_t latest_schema_version() noexcept {
  return kMigrations.back().version;
}

Result<std::int64_t> check_schema(Database& db, std::int64_t latest) {
  // Reading page 1 of a file that is not SQLite fails here (SQLITE_NOTADB),
  // before anything is written.
  auto application_id = db.query_int64("PRAGMA application_id");
  if (!application_id) {
    return db.error(ErrorCode::kUnsupported,
                    "not a chainsyncd database (" + application_id.error().message + ")");
  }
  auto version = db.query_int64("PRAGMA user_version");
  if (!version) return std::move(version).error();
  auto objects = db.query_int64("SELECT count(*) FROM sqlite_schema");
  if (!objects) return std::move(objects).error();

  if (*application_id == 0 && *version == 0 && *objects == 0) return std::int64_t{0};  // empty: initialise
  if (*application_id != kApplicationId) {
    return db.error(ErrorCode::kUnsupported, "not a chainsyncd database (application_id " +
                                                 std::to_string(*application_id) + ", expected " +
                                                 std::to_string(kApplicationId) + ")");
  }
  if (*version > latest) {
    return db.error(ErrorCode::kUnsupported, "written by a newer chainsyncd (schema " +
                                                 std::to_string(*version) + ", this binary knows " +
                                                 std::to_string(latest) + ")");
  }
  return *version;
}

Status migrate(Database& db, std::span<const Migration> steps) {
  auto current = db.query_int64("PRAGMA user_version");
  if (!current) return std::move(current).error();
  for (const Migration& step : steps) {
    if (step.version <= *current) continue;
    if (step.version != *current + 1) {
      return db.error(ErrorCode::kInternal, "migration to schema " + std::to_string(step.version) +
                                                " does not follow schema " + std::to_string(*current));
    }
    auto txn = db.begin_write();
    if (!txn) return std::move(txn).error();
    if (auto st = txn->exec(step.sql); !st) {
      return with_context(std::move(st).error(), "migration to schema " + std::to_string(step.version));
    }
    if (step.convert != nullptr) {
      if (auto st = step.convert(*txn); !st) {
        return with_context(std::move(st).error(), "migration to schema " + std::to_string(step.version));
      }
    }
    // PRAGMAs take no bound parameters; the values are our own integers.
    std::string pragmas = "PRAGMA user_version = " + std::to_string(step.version) + ";";
    if (step.version == 1) pragmas += "PRAGMA application_id = " + std::to_string(kApplicationId) + ";";
    if (auto st = txn->exec(pragmas); !st) return std::move(st).error();
    if (auto st = txn->commit(); !st) return std::move(st).error();
    *current = step.version;
  }
  return {};
}

}  // namespace csd
