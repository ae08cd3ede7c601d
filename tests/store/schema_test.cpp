// Schema: initialisation, refusal of foreign and newer files (unmodified),
// forward migrations (docs/store.md, SPEC 4).
#include "store/schema.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "store/account_pages.hpp"
#include "store/account_states.hpp"
#include "store/ledger_runs.hpp"
#include "store/raw_pack.hpp"
#include "store/schema_v11.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::TempDir;

Bytes read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Makes an SQLite file with the given pragmas, closed (checkpointed) before returning.
void make_sqlite_file(const std::filesystem::path& path, std::string_view sql) {
  auto db = Database::open_writer(path);  // creates our schema; then rewritten by `sql`
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->exec(sql));
  ASSERT_TRUE(db->exec("PRAGMA journal_mode = DELETE"));
}

std::vector<std::string> names(Database& db, std::string_view type) {
  auto st = db.prepare("SELECT name FROM sqlite_schema WHERE type = ?1 ORDER BY name");
  std::vector<std::string> out;
  if (!st) return out;
  st->bind_text(1, type);
  while (st->step().value_or(false)) out.push_back(st->column_text(0));
  return out;
}

TEST(Schema, NewFileGetsEveryTableOfTheDesign) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->query_int64("PRAGMA application_id").value(), kApplicationId);
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), latest_schema_version());
  const std::vector<std::string> expected = {
      "account_page", "account_run",    "anomaly",       "block",           "checkpoint",
      "ledger_chunk", "ledger_run",     "payout",        "payout_batch",    "raw_block",
      "row_count",    "solana_account", "solana_stake",  "sync_status",     "tron_tx",
      "tst_lock",     "tst_lock_close", "tst_quota_use", "tst_reservation", "tst_reservation_close",
      "tst_stake",    "tst_stake_close"};
  EXPECT_EQ(names(*db, "table"), expected);
  EXPECT_EQ(names(*db, "view"), std::vector<std::string>{});
}

std::string columns_of(Database& db, std::string_view table) {
  auto st =
      db.prepare("SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(?1) ORDER BY cid)");
  if (!st) return {};
  st->bind_text(1, table);
  if (!st->step().value_or(false)) return {};
  return st->column_text(0);
}

TEST(Schema, LedgerTablesAreThoseOfTheDesign) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  EXPECT_EQ(columns_of(*db, "ledger_run"), "run,level,min_block,max_block,row_count");
  EXPECT_EQ(columns_of(*db, "ledger_chunk"), "id,run,first_address,last_address,packed");
  // The dump shows the ledger's rows with the schema-2 table's columns.
  auto dumped = dumped_tables(*db);
  ASSERT_TRUE(dumped);
  EXPECT_NE(std::find(dumped->begin(), dumped->end(), "tst_ledger"), dumped->end());
  EXPECT_EQ(std::find(dumped->begin(), dumped->end(), "ledger_run"), dumped->end());
}

TEST(Schema, ReopeningIsANoOp) {
  TempDir dir;
  { ASSERT_TRUE(Database::open_writer(dir.file("store.db"))); }
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), latest_schema_version());
}

TEST(Schema, ForeignSqliteFileIsRefusedAndUnmodified) {
  TempDir dir;
  const auto path = dir.file("other.db");
  // Another application's database: tables, application_id 0.
  make_sqlite_file(path, "PRAGMA application_id = 0; PRAGMA user_version = 0; CREATE TABLE notes(x TEXT)");
  ASSERT_TRUE(std::filesystem::exists(path));
  const Bytes before = read_bytes(path);
  auto opened = Database::open_writer(path);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(opened.error().message.find("not a chainsyncd database"), std::string::npos)
      << opened.error().message;
  EXPECT_NE(opened.error().message.find("other.db"), std::string::npos);
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_FALSE(std::filesystem::exists(dir.file("other.db-wal")));
}

TEST(Schema, OtherApplicationIdIsRefusedAndUnmodified) {
  TempDir dir;
  const auto path = dir.file("x.db");
  make_sqlite_file(path, "PRAGMA application_id = 1234");
  const Bytes before = read_bytes(path);
  auto opened = Database::open_writer(path);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("application_id 1234"), std::string::npos) << opened.error().message;
  EXPECT_EQ(read_bytes(path), before);
}

TEST(Schema, NonSqliteFileIsRefusedAndUnmodified) {
  TempDir dir;
  const auto path = dir.file("notes.txt");
  write_bytes(path, std::string(4096, 'z') + "this is not a database");
  const Bytes before = read_bytes(path);
  auto opened = Database::open_writer(path);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("not a chainsyncd database"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_FALSE(Database::open_reader(path));
  EXPECT_EQ(read_bytes(path), before);
}

TEST(Schema, NewerSchemaIsRefusedAndUnmodified) {
  TempDir dir;
  const auto path = dir.file("store.db");
  make_sqlite_file(path, "PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  const Bytes before = read_bytes(path);
  auto opened = Database::open_writer(path);
  ASSERT_FALSE(opened);
  const std::string expected = "written by a newer chainsyncd (schema " +
                               std::to_string(latest_schema_version() + 1) + ", this binary knows " +
                               std::to_string(latest_schema_version()) + ")";
  EXPECT_NE(opened.error().message.find(expected), std::string::npos) << opened.error().message;
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_FALSE(Database::open_reader(path));
  EXPECT_EQ(read_bytes(path), before);
}

TEST(Schema, CurrentSchemaIsAcceptedOneAboveIsNot) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const std::int64_t latest = latest_schema_version();
  EXPECT_EQ(check_schema(*db, latest).value(), latest);
  EXPECT_FALSE(check_schema(*db, latest - 1));
}

// This binary's migrations followed by test steps above them.
std::vector<Migration> with_steps(std::initializer_list<Migration> extra) {
  std::vector<Migration> steps(schema_migrations().begin(), schema_migrations().end());
  steps.insert(steps.end(), extra);
  return steps;
}

TEST(Schema, MigratesForwardOneStepPerTransaction) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const std::int64_t latest = latest_schema_version();
  const auto steps = with_steps({{latest + 1, "CREATE TABLE extra(x INTEGER)"},
                                 {latest + 2, "ALTER TABLE extra ADD COLUMN y INTEGER"}});
  ASSERT_TRUE(migrate(*db, steps));
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), latest + 2);
  EXPECT_EQ(db->query_int64("SELECT count(*) FROM pragma_table_info('extra')").value(), 2);
  ASSERT_TRUE(migrate(*db, steps));  // already current: nothing to do
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), latest + 2);
}

// A failed step left the file as it was: still at `version`, without the step's table `extra`.
void expect_still_at(Database& db, std::int64_t version) {
  EXPECT_EQ(db.query_int64("PRAGMA user_version").value(), version);
  EXPECT_EQ(db.query_int64("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'").value(), 0);
}

TEST(Schema, FailedMigrationLeavesThePreviousVersion) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const std::int64_t latest = latest_schema_version();
  const auto steps = with_steps({{latest + 1, "CREATE TABLE extra(x); CREATE TABLE block(y)"}});
  auto status = migrate(*db, steps);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("migration to schema " + std::to_string(latest + 1)),
            std::string::npos)
      << status.error().message;
  expect_still_at(*db, latest);
}

TEST(Schema, FailedConversionStepRollsBackItsSql) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const std::int64_t latest = latest_schema_version();
  const auto refuse = [](WriteTxn&) -> Status { return make_error(ErrorCode::kMalformed, "row 7 is bad"); };
  const auto steps = with_steps({{latest + 1, "CREATE TABLE extra(x)", refuse}});
  auto status = migrate(*db, steps);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("row 7 is bad"), std::string::npos) << status.error().message;
  expect_still_at(*db, latest);
}

TEST(Schema, GapInMigrationsIsRefused) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const std::int64_t latest = latest_schema_version();
  EXPECT_FALSE(migrate(*db, with_steps({{latest + 2, "CREATE TABLE extra(x)"}})));
  expect_still_at(*db, latest);
}

// ---- schema 1 → 2: raw_log rows repacked into raw_block, one row per block ----

// Schema 2's ledger: one row per movement, an address index, the transfer view.
// Schema 3's account totals: one row per address.
constexpr std::string_view kSchema3Accounts =
    "DROP TABLE account_page; "
    "CREATE TABLE tst_account(address BLOB PRIMARY KEY, received BLOB NOT NULL CHECK(length(received) = 32), "
    "sent BLOB NOT NULL CHECK(length(sent) = 32)) STRICT, WITHOUT ROWID; ";

// Schemas 1–6's quota uses: no reservation position, user or prior quota use;
// an index by (reservation_id, time), which the access view read.
// Schema 7 had no state runs (account_run).
constexpr std::string_view kSchema7StateRuns = "DROP TABLE account_run; ";

// Takes a store of the latest schema back to schema 7: the state runs folded
// into the pages, their table dropped.
void back_to_schema_7(Database& db) {
  {
    auto txn = db.begin_write();
    ASSERT_TRUE(txn) << txn.error().message;
    ASSERT_TRUE(account_states::fold(*txn));
    ASSERT_TRUE(txn->commit());
  }
  ASSERT_TRUE(db.exec(std::string(kSchema7StateRuns) + "PRAGMA user_version = 7"));
}

constexpr std::string_view kSchema6QuotaUse =
    "ALTER TABLE tst_quota_use RENAME TO q7; "
    "CREATE TABLE tst_quota_use(block INTEGER NOT NULL, log_index INTEGER NOT NULL, reservation_id BLOB NOT "
    "NULL, units INTEGER NOT NULL, time INTEGER NOT NULL, PRIMARY KEY(block, log_index)) STRICT, WITHOUT "
    "ROWID; "
    "CREATE INDEX tst_quota_use_reservation ON tst_quota_use(reservation_id, time); "
    "INSERT INTO tst_quota_use SELECT block, log_index, reservation_id, units, time FROM q7; DROP TABLE q7; ";

// Schemas 1–5's object tables: one row per object, closed in place, open ones
// found through partial user indexes (schema 6 moved them into the pages).
constexpr std::string_view kSchema5Objects =
    "DROP TABLE tst_lock; DROP TABLE tst_lock_close; DROP TABLE tst_stake; DROP TABLE tst_stake_close; "
    "DROP TABLE tst_reservation; DROP TABLE tst_reservation_close; "
    "CREATE TABLE tst_lock(lock_id BLOB PRIMARY KEY, user BLOB NOT NULL, amount BLOB NOT NULL, locked_until "
    "INTEGER NOT NULL, agreement_id TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL, "
    "tx_hash "
    "BLOB NOT NULL, time INTEGER NOT NULL, closed_block INTEGER, closed_log_index INTEGER, closed_kind "
    "INTEGER, "
    "closed_tx_hash BLOB, returned BLOB, penalty BLOB) STRICT, WITHOUT ROWID; "
    "CREATE INDEX tst_lock_user ON tst_lock(user, block, log_index) WHERE closed_block IS NULL; "
    "CREATE TABLE tst_stake(stake_id BLOB PRIMARY KEY, user BLOB NOT NULL, tier INTEGER NOT NULL, amount "
    "BLOB "
    "NOT NULL, expires_at INTEGER NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash BLOB "
    "NOT "
    "NULL, time INTEGER NOT NULL, closed_block INTEGER, closed_log_index INTEGER, closed_tx_hash BLOB, "
    "emergency "
    "INTEGER) STRICT, WITHOUT ROWID; "
    "CREATE INDEX tst_stake_user ON tst_stake(user, block, log_index) WHERE closed_block IS NULL; "
    "CREATE TABLE tst_reservation(reservation_id BLOB PRIMARY KEY, user BLOB NOT NULL, entity_type INTEGER "
    "NOT "
    "NULL, amount BLOB NOT NULL, quota_per_day INTEGER NOT NULL, reserved_until INTEGER NOT NULL, block "
    "INTEGER "
    "NOT NULL, log_index INTEGER NOT NULL, tx_hash BLOB NOT NULL, time INTEGER NOT NULL, closed_block "
    "INTEGER, "
    "closed_log_index INTEGER, closed_tx_hash BLOB) STRICT, WITHOUT ROWID; "
    "CREATE INDEX tst_reservation_user ON tst_reservation(user, reserved_until, block, log_index) WHERE "
    "closed_block IS NULL; ";

// Schemas 2–4's raw_block: the packed logs without their block's hash and time.
constexpr std::string_view kSchema4RawBlock =
    "DROP TABLE raw_block; "
    "CREATE TABLE raw_block(id INTEGER PRIMARY KEY, chain INTEGER NOT NULL, height INTEGER NOT NULL "
    "CHECK(height >= 0 AND height < 72057594037927936), logs BLOB NOT NULL, "
    "CHECK(id = chain * 72057594037927936 + height)) STRICT; ";

constexpr std::string_view kSchema2Ledger =
    "DROP TABLE ledger_run; DROP TABLE ledger_chunk; "
    "CREATE TABLE tst_ledger(address BLOB NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL, kind "
    "INTEGER NOT NULL, amount BLOB NOT NULL CHECK(length(amount) = 32), counterparty BLOB, tx_hash BLOB NOT "
    "NULL, "
    "time INTEGER NOT NULL, PRIMARY KEY(block, log_index, kind)) STRICT, WITHOUT ROWID; "
    "CREATE INDEX tst_ledger_address ON tst_ledger(address, block, log_index, kind); "
    "CREATE VIEW tst_transfer(block, log_index, tx_hash, from_addr, to_addr, amount) AS "
    "SELECT block, log_index, tx_hash, counterparty, address, amount FROM tst_ledger WHERE kind = 1; ";

// A schema-2 file: raw_block, the ledger as one row per movement, accounts as rows.
void make_schema2_file(const std::filesystem::path& path) {
  make_sqlite_file(path, std::string(kSchema7StateRuns) + std::string(kSchema6QuotaUse) +
                             std::string(kSchema5Objects) + std::string(kSchema4RawBlock) +
                             std::string(kSchema3Accounts) + std::string(kSchema2Ledger) +
                             "PRAGMA user_version = 2");
}

// A schema-1 file: also raw_log (one row per log) instead of raw_block.
void make_schema1_file(const std::filesystem::path& path) {
  make_sqlite_file(
      path,
      std::string(kSchema7StateRuns) + std::string(kSchema6QuotaUse) + std::string(kSchema5Objects) +
          std::string(kSchema3Accounts) + std::string(kSchema2Ledger) +
          "DROP TABLE raw_block; "
          "CREATE TABLE raw_log(chain INTEGER NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT "
          "NULL, tx_hash BLOB NOT NULL, address BLOB NOT NULL, topics BLOB NOT NULL CHECK(length(topics) "
          "% 32 = 0), data BLOB NOT NULL, PRIMARY KEY(chain, block, log_index)) STRICT, WITHOUT ROWID; "
          "PRAGMA user_version = 1");
}

// Writes `logs` as schema 1 did (topics as 32·n bytes) and their block headers.
void insert_schema1_rows(const std::filesystem::path& path, const std::vector<RawLog>& logs) {
  auto db = Database::open_checkpointer(path);  // no schema work: the file stays at schema 1
  ASSERT_TRUE(db) << db.error().message;
  auto txn = db->begin_write();
  ASSERT_TRUE(txn);
  auto insert = txn->prepare(
      "INSERT INTO raw_log(chain, block, log_index, tx_hash, address, topics, data) VALUES(1, ?1, ?2, ?3, "
      "?4, "
      "?5, ?6)");
  auto block = txn->prepare(
      "INSERT OR IGNORE INTO block(chain, height, hash, parent_hash, time) VALUES(1, ?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert && block);
  for (const RawLog& log : logs) {
    Bytes topics;
    for (const Hash32& t : log.topics) topics.insert(topics.end(), t.bytes.begin(), t.bytes.end());
    insert->bind_int64(1, static_cast<std::int64_t>(log.block)).bind_int64(2, log.log_index);
    insert->bind_bytes(3, log.tx_hash).bind_bytes(4, log.address).bind_blob(5, topics).bind_blob(6, log.data);
    ASSERT_TRUE(insert->run());
    const BlockHeader h = store_test::header(log.block);
    block->bind_int64(1, static_cast<std::int64_t>(h.height))
        .bind_bytes(2, h.hash)
        .bind_bytes(3, h.parent_hash);
    block->bind_int64(4, h.time);
    ASSERT_TRUE(block->run());
  }
  ASSERT_TRUE(txn->commit());
}

std::vector<RawLog> schema1_logs() {
  const StoreContracts contracts = store_test::test_contracts();
  const store_test::LogMaker make(contracts);
  using store_test::evm;
  return {make.transfer(1, 0, evm(1), evm(2), U256(10)), make.transfer(1, 2, evm(2), evm(3), U256(4)),
          make.locked(2, 0, store_test::id32(1), evm(1), U256(5), 4'000'000'000, "agreement"),
          make.transfer(5, 7, evm(3), evm(3), U256::max())};
}

TEST(Schema, Schema1RawLogsAreRepackedAndRederiveAsApplied) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  const std::vector<RawLog> logs = schema1_logs();
  const auto old_path = dir.file("schema1.db");
  make_schema1_file(old_path);
  insert_schema1_rows(old_path, logs);

  auto migrated = Writer::open(old_path, contracts, store_test::fixed_clock());
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->database().query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(
      migrated->database().query_int64("SELECT count(*) FROM sqlite_schema WHERE name = 'raw_log'").value(),
      0);
  ASSERT_TRUE(migrated->rederive(ChainId::kBsc, 0));

  Writer applied = store_test::open_writer(dir.file("applied.db"), contracts);
  Batch batch;
  for (std::uint64_t h = 1; h <= 5; ++h)
    if (h != 3 && h != 4) batch.blocks.push_back(store_test::header(h));
  batch.logs = logs;
  batch.checkpoint = batch.blocks.back();
  ASSERT_TRUE(applied.apply(ChainId::kBsc, batch));
  for (const char* table : {"raw_block", "block", "tst_ledger", "tst_account", "tst_lock", "anomaly"}) {
    EXPECT_EQ(dump_table(migrated->database(), table).value(), dump_table(applied.database(), table).value())
        << table;
  }
  EXPECT_EQ(migrated->database().query_int64("SELECT count(*) FROM raw_block").value(), 3);
}

TEST(Schema, Schema1RowThatCannotBeRepackedFailsTheMigrationAndKeepsTheFile) {
  TempDir dir;
  const auto path = dir.file("schema1.db");
  make_schema1_file(path);
  std::vector<RawLog> logs = schema1_logs();
  logs[1].topics.resize(300);  // more than the packed form holds
  insert_schema1_rows(path, logs);
  auto opened = Database::open_writer(path);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("migration to schema 2"), std::string::npos)
      << opened.error().message;
  EXPECT_NE(opened.error().message.find("raw_log.topics of 9600 bytes in block 1"), std::string::npos)
      << opened.error().message;
  auto db = Database::open_checkpointer(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), 1);
  EXPECT_EQ(db->query_int64("SELECT count(*) FROM raw_log").value(), 4);
}

// ---- schema 2 → 3: tst_ledger rows into one run ----

TEST(Schema, Schema2LedgerRowsBecomeOneRunWithTheSameRows) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  Writer applied = store_test::open_writer(dir.file("applied.db"), contracts);
  Batch batch;
  for (std::uint64_t h : {1ULL, 2ULL, 5ULL}) batch.blocks.push_back(store_test::header(h));
  batch.logs = schema1_logs();
  batch.checkpoint = batch.blocks.back();
  ASSERT_TRUE(applied.apply(ChainId::kBsc, batch));
  std::vector<LedgerRow> rows;
  {
    auto txn = applied.database().begin_read();
    ASSERT_TRUE(txn);
    rows = ledger_runs::rows_above(*txn, -1).value();
    ASSERT_TRUE(complete_ledger_rows(*txn, std::span<LedgerRow>(rows)));
  }
  ASSERT_EQ(rows.size(), 5U);  // 2 transfers and a lock (the transfer to self overflows: an anomaly)

  const auto path = dir.file("schema2.db");
  make_schema2_file(path);
  {
    auto db = Database::open_checkpointer(path);
    ASSERT_TRUE(db);
    // The raw logs and headers, as schema 2 kept them: migration 9 checks the ledger against them.
    ASSERT_TRUE(db->exec("ATTACH '" + dir.file("applied.db").string() +
                         "' AS applied; "
                         "INSERT INTO raw_block(id, chain, height, logs) SELECT id, chain, height, logs FROM "
                         "applied.raw_block; INSERT INTO block SELECT * FROM applied.block; DETACH applied"));
    auto insert = db->prepare("INSERT INTO tst_ledger VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    ASSERT_TRUE(insert);
    for (const LedgerRow& r : rows) {
      insert->bind_bytes(1, r.address).bind_int64(2, static_cast<std::int64_t>(r.entry.block));
      insert->bind_int64(3, r.entry.log_index).bind_int64(4, static_cast<std::int64_t>(r.entry.type));
      insert->bind_u256(5, r.entry.amount).bind_bytes(7, r.entry.tx_hash).bind_int64(8, r.entry.time);
      if (r.entry.counterparty) {
        insert->bind_bytes(6, *r.entry.counterparty);
      } else {
        insert->bind_null(6);
      }
      ASSERT_TRUE(insert->run());
    }
  }
  auto migrated = Database::open_writer(path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(migrated
                ->query_int64("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'tst_ledger%' OR name = "
                              "'tst_transfer'")
                .value(),
            0);
  EXPECT_EQ(migrated->query_int64("SELECT count(*) FROM ledger_run").value(), 1);
  EXPECT_EQ(dump_table(*migrated, "tst_ledger").value(),
            dump_table(applied.database(), "tst_ledger").value());
  auto txn = migrated->begin_read();
  ASSERT_TRUE(txn);
  const auto of_user = ledger_runs::rows_of(*txn, store_test::evm(3)).value();
  ASSERT_EQ(of_user.size(), 1U);  // the transfer_in from evm(2)
  EXPECT_EQ(of_user.front().entry.block, 1U);
  EXPECT_EQ(of_user.front().entry.type, LedgerKind::kTransferIn);
}

// ---- schema 3 → 4: tst_account rows into pages ----

TEST(Schema, Schema3AccountRowsBecomePagesWithTheSameTotals) {
  TempDir dir;
  const auto path = dir.file("schema3.db");
  make_sqlite_file(path, std::string(kSchema7StateRuns) + std::string(kSchema6QuotaUse) +
                             std::string(kSchema5Objects) + std::string(kSchema4RawBlock) +
                             std::string(kSchema3Accounts) + "PRAGMA user_version = 3");
  account_pages::UserStateMap expected;
  {
    auto db = Database::open_checkpointer(path);
    ASSERT_TRUE(db);
    auto insert = db->prepare("INSERT INTO tst_account(address, received, sent) VALUES(?1, ?2, ?3)");
    ASSERT_TRUE(insert);
    // Enough addresses for several pages; amounts of every width.
    for (std::uint64_t n = 1; n <= 500; ++n) {
      const account_pages::AccountTotals totals{n % 7 == 0 ? U256::max() : U256(n * 1'000'003), U256(n)};
      expected.emplace(store_test::evm(n), account_pages::UserState{totals, {}, {}, {}});
      insert->bind_bytes(1, store_test::evm(n)).bind_u256(2, totals.received).bind_u256(3, totals.sent);
      ASSERT_TRUE(insert->run());
    }
  }
  auto migrated = Database::open_writer(path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(migrated->query_int64("SELECT count(*) FROM sqlite_schema WHERE name = 'tst_account'").value(),
            0);
  EXPECT_GT(migrated->query_int64("SELECT count(*) FROM account_page").value(), 3);
  auto txn = migrated->begin_read();
  ASSERT_TRUE(txn);
  EXPECT_EQ(account_pages::read_all(*txn).value(), expected);
  EXPECT_EQ(account_pages::read(*txn, store_test::evm(77)).value(), expected.at(store_test::evm(77)));
  EXPECT_FALSE(account_pages::read(*txn, store_test::evm(501)).value());
}

// ---- schema 4 → 5: the block's hash and time into raw_block ----

TEST(Schema, Schema4RawBlocksGetTheirBlockHashAndTime) {
  TempDir dir;
  const auto path = dir.file("schema4.db");
  make_sqlite_file(path, std::string(kSchema7StateRuns) + std::string(kSchema6QuotaUse) +
                             std::string(kSchema5Objects) + std::string(kSchema4RawBlock) +
                             "PRAGMA user_version = 4");
  const StoreContracts contracts = store_test::test_contracts();
  const store_test::LogMaker make(contracts);
  const std::vector<RawLog> block7 = {make.transfer(7, 0, store_test::evm(1), store_test::evm(2), U256(3))};
  const std::vector<RawLog> block9 = {make.transfer(9, 1, store_test::evm(2), store_test::evm(1), U256(1))};
  {
    auto db = Database::open_checkpointer(path);
    ASSERT_TRUE(db);
    auto insert = db->prepare("INSERT INTO raw_block(id, chain, height, logs) VALUES(?1, 1, ?2, ?3)");
    auto header =
        db->prepare("INSERT INTO block(chain, height, hash, parent_hash, time) VALUES(1, ?1, ?2, ?3, ?4)");
    ASSERT_TRUE(insert && header);
    for (const auto* logs : {&block7, &block9}) {
      Bytes packed;
      pack_block_logs(*logs, packed);
      const std::uint64_t height = logs->front().block;
      insert->bind_int64(1, raw_block_id(ChainId::kBsc, height))
          .bind_int64(2, static_cast<std::int64_t>(height));
      insert->bind_blob(3, packed);
      ASSERT_TRUE(insert->run());
    }
    const BlockHeader h7 = store_test::header(7);  // block 9's header is missing: "unknown"
    header->bind_int64(1, 7).bind_bytes(2, h7.hash).bind_bytes(3, h7.parent_hash).bind_int64(4, h7.time);
    ASSERT_TRUE(header->run());
  }
  auto migrated = Database::open_writer(path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  auto st = migrated->prepare("SELECT height, hash, time, logs FROM raw_block ORDER BY id");
  ASSERT_TRUE(st);
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ(st->column_int64(0), 7);
  EXPECT_EQ((st->column_bytes<32, Hash32Tag>(1).value()), store_test::header(7).hash);
  EXPECT_EQ(st->column_int64(2), store_test::header(7).time);
  EXPECT_EQ(unpack_block_logs(7, st->column_blob(3)).value(), block7);
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ(st->column_int64(0), 9);
  EXPECT_EQ((st->column_bytes<32, Hash32Tag>(1).value()), Hash32{});
  EXPECT_EQ(st->column_int64(2), 0);
  EXPECT_EQ(unpack_block_logs(9, st->column_blob(3)).value(), block9);
  EXPECT_FALSE(st->step().value());
}

// ---- schema 5 → 6: open objects into the pages, histories by position ----

// A store applied with schema 6 code and one migrated from schema 5 rows of the
// same history dump the same: the schema-5 rows are made from the schema-6
// store's history (every open with its close, if any), the pages as format 1.
TEST(Schema, Schema5ObjectsMoveIntoThePagesAndDumpAsApplied) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  const store_test::LogMaker make(contracts);
  using store_test::evm;
  using store_test::id32;
  const std::vector<RawLog> logs = {
      make.transfer(1, 0, evm(1), evm(2), U256(100)),
      make.locked(2, 0, id32(1), evm(1), U256(50), 4'000'000'000, "open lock"),
      make.locked(2, 1, id32(2), evm(1), U256(60), 100, "released"),
      make.released(3, 0, id32(2), evm(1), U256(60)),
      make.locked(3, 1, id32(3), evm(2), U256(70), 200, "terminated"),
      make.terminated(4, 0, id32(3), evm(2), U256(65), U256(5)),
      make.staked(4, 1, id32(4), evm(2), 2, U256(25), 5000),
      make.staked(5, 0, id32(5), evm(3), 3, U256::max(), 6000),
      make.unstaked(6, 0, id32(5), evm(3), U256::max(), true),
      make.reserved(6, 1, id32(6), evm(3), 1, U256(7), 10, 9000),
      make.consumed(7, 0, id32(6), evm(3), 4),
      make.reserved(7, 1, id32(7), evm(4), 2, U256(8), 12, 9000),
      make.reservation_released(8, 0, id32(7), evm(4)),
  };
  const auto applied_path = dir.file("applied.db");
  std::string applied_dump;
  {
    Writer writer = store_test::open_writer(applied_path, contracts);
    Batch batch;
    for (std::uint64_t h = 1; h <= 8; ++h) batch.blocks.push_back(store_test::header(h));
    batch.logs = logs;
    batch.checkpoint = batch.blocks.back();
    ASSERT_TRUE(writer.apply(ChainId::kBsc, batch));
    EXPECT_EQ(writer.counters().anomalies, decltype(writer.counters().anomalies){});
    applied_dump = store_test::dump(writer);
  }
  // The same store taken back to schema 5: object tables as schema 5 had them, pages as format 1.
  const auto old_path = dir.file("schema5.db");
  std::filesystem::copy_file(applied_path, old_path);
  {
    auto db = Database::open_checkpointer(old_path);
    ASSERT_TRUE(db);
    back_to_schema_7(*db);
    ASSERT_TRUE(db->exec(
        "ALTER TABLE tst_lock RENAME TO l6; ALTER TABLE tst_lock_close RENAME TO lc6; "
        "ALTER TABLE tst_stake RENAME TO s6; ALTER TABLE tst_stake_close RENAME TO sc6; "
        "ALTER TABLE tst_reservation RENAME TO r6; ALTER TABLE tst_reservation_close RENAME TO rc6; "
        "CREATE TABLE tst_lock_close(x); CREATE TABLE tst_stake_close(x); CREATE TABLE "
        "tst_reservation_close(x); "
        "CREATE TABLE tst_lock(x); CREATE TABLE tst_stake(x); CREATE TABLE tst_reservation(x); " +
        std::string(kSchema6QuotaUse) + std::string(kSchema5Objects) +
        "INSERT INTO tst_lock SELECT l.lock_id, l.user, l.amount, l.locked_until, l.agreement_id, l.block, "
        "l.log_index, l.tx_hash, l.time, c.block, c.log_index, c.kind, c.tx_hash, c.returned, c.penalty FROM "
        "l6 l "
        "LEFT JOIN lc6 c ON c.lock_block = l.block AND c.lock_log_index = l.log_index; "
        "INSERT INTO tst_stake SELECT s.stake_id, s.user, s.tier, s.amount, s.expires_at, s.block, "
        "s.log_index, "
        "s.tx_hash, s.time, c.block, c.log_index, c.tx_hash, c.emergency FROM s6 s "
        "LEFT JOIN sc6 c ON c.stake_block = s.block AND c.stake_log_index = s.log_index; "
        "INSERT INTO tst_reservation SELECT r.reservation_id, r.user, r.entity_type, r.amount, "
        "r.quota_per_day, "
        "r.reserved_until, r.block, r.log_index, r.tx_hash, r.time, c.block, c.log_index, c.tx_hash FROM r6 "
        "r "
        "LEFT JOIN rc6 c ON c.reservation_block = r.block AND c.reservation_log_index = r.log_index; "
        "DROP TABLE l6; DROP TABLE lc6; DROP TABLE s6; DROP TABLE sc6; DROP TABLE r6; DROP TABLE rc6; "
        "PRAGMA user_version = 5"));
    // Format-1 pages: the totals only.
    ASSERT_TRUE(db->exec("DELETE FROM account_page"));
    Bytes page = {account_pages::kPageFormatTotalsOnly};
    for (std::uint64_t n : {std::uint64_t{1}, std::uint64_t{2}}) {
      pack::put_fixed(page, evm(n));
      pack::put_amount(page, U256(n == 2 ? 100 : 0));
      pack::put_amount(page, U256(n == 1 ? 100 : 0));
    }
    auto insert = db->prepare("INSERT INTO account_page(first_address, packed) VALUES(?1, ?2)");
    ASSERT_TRUE(insert);
    insert->bind_bytes(1, evm(1)).bind_blob(2, page);
    ASSERT_TRUE(insert->run());
  }
  auto migrated = Database::open_writer(old_path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(dump_store(*migrated).value(), applied_dump);
  EXPECT_NE(applied_dump.find("t'6f70656e206c6f636b'"), std::string::npos);  // "open lock" is open
  EXPECT_EQ(migrated->query_int64("SELECT count(*) FROM tst_lock_close").value(), 2);
  EXPECT_EQ(migrated->query_int64("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v5'").value(), 0);
}

// ---- schema 6 → 7: quota use into the reservations ----

// store_test::quota_days_chain applied to a new store at `path` in batches of
// `blocks_per_batch` blocks; its dump.
std::string apply_quota_days(const std::filesystem::path& path, const StoreContracts& contracts,
                             std::size_t blocks_per_batch) {
  Writer writer = store_test::open_writer(path, contracts);
  store_test::apply_all(writer, ChainId::kBsc,
                        store_test::to_batches(store_test::quota_days_chain(contracts), blocks_per_batch));
  return store_test::dump(writer);
}

TEST(Schema, Schema6QuotaUsesMoveIntoTheReservationsAndDumpAsApplied) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  const auto applied_path = dir.file("applied.db");
  const std::string applied_dump = apply_quota_days(applied_path, contracts, 3);
  // Taken back to schema 6: quota uses without reservation, user or prior
  // quota use, closes without the quota use, pages as format 2.
  const auto old_path = dir.file("schema6.db");
  std::filesystem::copy_file(applied_path, old_path);
  {
    auto db = Database::open_checkpointer(old_path);
    ASSERT_TRUE(db);
    back_to_schema_7(*db);
    ASSERT_TRUE(db->exec(std::string(kSchema6QuotaUse) +
                         "ALTER TABLE tst_reservation_close DROP COLUMN quota_day; "
                         "ALTER TABLE tst_reservation_close DROP COLUMN quota_units; "
                         "ALTER TABLE tst_reservation_close DROP COLUMN quota_units_day_before; "
                         "PRAGMA user_version = 6"));
    std::vector<std::pair<std::int64_t, Bytes>> pages;
    auto select = db->prepare("SELECT id, packed FROM account_page");
    ASSERT_TRUE(select);
    while (select->step().value()) {
      auto entries = account_pages::decode_page(select->column_blob(1), "page");
      ASSERT_TRUE(entries);
      Bytes v2;
      account_pages::encode_page(*entries, v2, account_pages::kPageFormatNoQuota);
      pages.emplace_back(select->column_int64(0), std::move(v2));
    }
    select->reset();
    auto update = db->prepare("UPDATE account_page SET packed = ?2 WHERE id = ?1");
    ASSERT_TRUE(update);
    for (const auto& [id, packed] : pages) {
      update->bind_int64(1, id).bind_blob(2, packed);
      ASSERT_TRUE(update->run());
    }
  }
  auto migrated = Database::open_writer(old_path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(dump_store(*migrated).value(), applied_dump);
  EXPECT_EQ(migrated->query_int64("SELECT count(*) FROM tst_reservation_close WHERE quota_units > 0").value(),
            2);
  EXPECT_EQ(
      migrated->query_int64("SELECT count(*) FROM account_page WHERE substr(packed, 1, 1) <> x'03'").value(),
      0);
  EXPECT_EQ(migrated->query_int64("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v6'").value(), 0);
}

// ---- schema 7 → 8: state runs ----

TEST(Schema, Schema7StoreGetsAnEmptyStateRunTableAndDumpsAsApplied) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  const auto path = dir.file("store.db");
  const std::string applied_dump = apply_quota_days(path, contracts, 2);
  ASSERT_GT(Database::open_checkpointer(path)->query_int64("SELECT count(*) FROM account_run").value(), 0);
  {
    auto db = Database::open_checkpointer(path);
    ASSERT_TRUE(db);
    back_to_schema_7(*db);
  }
  auto migrated = Database::open_writer(path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(migrated->query_int64("SELECT count(*) FROM account_run").value(), 0);
  EXPECT_EQ(dump_store(*migrated).value(), applied_dump);
}

// ---- schema 8 → 9: ledger chunks in format 2 ----

// Whole rows, as schemas 3–8 stored them.
Bytes format1_chunk(const std::vector<LedgerRow>& rows) {
  Bytes chunk;
  begin_ledger_chunk(chunk, kLedgerChunkFormat1);
  for (const LedgerRow& row : rows) append_ledger_row(row, chunk, kLedgerChunkFormat1);
  return chunk;
}

// A store of a random BSC chain of blocks 1..`to` applied `per_batch` blocks at a time; its dump.
std::string apply_random_bsc(const std::filesystem::path& path, const StoreContracts& contracts,
                             std::uint32_t seed, std::uint64_t to, std::size_t per_batch) {
  Writer writer = store_test::open_writer(path, contracts);
  store_test::apply_all(
      writer, ChainId::kBsc,
      store_test::to_batches(store_test::random_chain(ChainId::kBsc, contracts, seed, 1, to, 0), per_batch));
  return store_test::dump(writer);
}

// Rewrites every ledger chunk in format 1, whole rows as schemas 3–8 stored
// them, and marks the file schema 8.
void back_to_schema_8(Database& db) {
  std::vector<std::pair<std::int64_t, Bytes>> chunks;
  {
    auto txn = db.begin_read();
    ASSERT_TRUE(txn);
    auto select = txn->prepare("SELECT id, packed FROM ledger_chunk ORDER BY id");
    ASSERT_TRUE(select);
    while (select->step().value()) {
      auto rows = decode_ledger_chunk(select->column_blob(1), "chunk");
      ASSERT_TRUE(rows) << rows.error().message;
      ASSERT_TRUE(complete_ledger_rows(*txn, std::span<LedgerRow>(*rows)));
      chunks.emplace_back(select->column_int64(0), format1_chunk(*rows));
    }
  }
  auto update = db.prepare("UPDATE ledger_chunk SET packed = ?2 WHERE id = ?1");
  ASSERT_TRUE(update);
  for (const auto& [id, packed] : chunks) {
    update->bind_int64(1, id).bind_blob(2, packed);
    ASSERT_TRUE(update->run());
  }
  ASSERT_TRUE(db.exec("PRAGMA user_version = 8"));
}

std::int64_t format1_chunks(Database& db) {
  return db.query_int64("SELECT count(*) FROM ledger_chunk WHERE substr(packed, 1, 1) = x'01'").value();
}

TEST(Schema, Schema8LedgerChunksLoseWhatTheRawLogsHoldAndDumpAsApplied) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  const auto path = dir.file("store.db");
  const std::string applied_dump = apply_random_bsc(path, contracts, 5, 120, 7);
  std::int64_t bytes_before = 0;
  {
    auto db = Database::open_checkpointer(path);
    ASSERT_TRUE(db);
    back_to_schema_8(*db);
    ASSERT_GT(format1_chunks(*db), 0);
    bytes_before = db->query_int64("SELECT sum(length(packed)) FROM ledger_chunk").value();
  }
  auto migrated = Database::open_writer(path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(format1_chunks(*migrated), 0);
  EXPECT_LT(migrated->query_int64("SELECT sum(length(packed)) FROM ledger_chunk").value(), bytes_before);
  EXPECT_EQ(dump_store(*migrated).value(), applied_dump);
  EXPECT_NE(applied_dump.find("== tst_ledger\nx'"), std::string::npos);  // there were rows to convert
}

// A format-1 row that its raw log contradicts (here a transfer's amount) is not
// silently replaced by the log: the migration fails, naming the row, and the
// file stays at schema 8 with its chunks as they were.
TEST(Schema, Schema8LedgerRowThatItsRawLogContradictsFailsTheMigration) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  const auto path = dir.file("store.db");
  apply_random_bsc(path, contracts, 6, 60, 50);
  Bytes tampered;
  {
    auto db = Database::open_checkpointer(path);
    ASSERT_TRUE(db);
    back_to_schema_8(*db);
    auto select = db->prepare("SELECT packed FROM ledger_chunk ORDER BY id LIMIT 1");
    ASSERT_TRUE(select && select->step().value());
    auto rows = decode_ledger_chunk(select->column_blob(0), "chunk").value();
    select->reset();
    auto transfer = std::find_if(rows.begin(), rows.end(), [](const LedgerRow& r) {
      return r.entry.type == LedgerKind::kTransferIn || r.entry.type == LedgerKind::kTransferOut;
    });
    ASSERT_NE(transfer, rows.end());
    transfer->entry.amount = transfer->entry.amount + U256(1);
    tampered = format1_chunk(rows);
    auto update =
        db->prepare("UPDATE ledger_chunk SET packed = ?1 WHERE id = (SELECT min(id) FROM ledger_chunk)");
    ASSERT_TRUE(update);
    update->bind_blob(1, tampered);
    ASSERT_TRUE(update->run());
  }
  auto refused = Database::open_writer(path);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("migration to schema 9"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("does not match its raw log"), std::string::npos)
      << refused.error().message;
  auto db = Database::open_checkpointer(path);
  ASSERT_TRUE(db);
  expect_still_at(*db, 8);
  auto first = db->prepare("SELECT packed FROM ledger_chunk ORDER BY id LIMIT 1");
  ASSERT_TRUE(first && first->step().value());
  const ByteSpan kept = first->column_blob(0);
  EXPECT_TRUE(std::equal(kept.begin(), kept.end(), tampered.begin(), tampered.end()));
}

// ---- schema 10 → 11: the object histories keyed by position ----

// Rebuilds each object history as schemas 6–10 had it: WITHOUT ROWID, keyed
// by (block, log_index), without the position column.
void back_to_schema_10(Database& db) {
  for (std::string_view table : kHistoryTables) {
    std::string columns;
    std::string names;
    auto info = db.prepare("SELECT name, type, \"notnull\" FROM pragma_table_info('" + std::string(table) +
                           "') WHERE name <> 'position' ORDER BY cid");
    ASSERT_TRUE(info);
    while (info->step().value()) {
      columns += info->column_text(0) + " " + info->column_text(1) +
                 (info->column_int64(2) != 0 ? " NOT NULL" : "") + ", ";
      names += (names.empty() ? "" : ", ") + info->column_text(0);
    }
    info->reset();
    const std::string t(table);
    ASSERT_TRUE(db.exec("CREATE TABLE " + t + "_10(" + columns +
                        "PRIMARY KEY(block, log_index)) STRICT, WITHOUT ROWID; " + "INSERT INTO " + t +
                        "_10 SELECT " + names + " FROM " + t + "; DROP TABLE " + t + "; ALTER TABLE " + t +
                        "_10 RENAME TO " + t));
  }
  ASSERT_TRUE(db.exec("PRAGMA user_version = 10"));
}

TEST(Schema, Schema10HistoriesBecomeRowidTablesKeyedByPositionAndDumpAsApplied) {
  TempDir dir;
  const StoreContracts contracts = store_test::test_contracts();
  const auto path = dir.file("store.db");
  const std::string applied_dump = apply_random_bsc(path, contracts, 9, 150, 11);
  const auto shape = [](Database& db) {
    return db
        .query_int64(
            "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'tst_%' AND type = 'table' AND sql "
            "LIKE '%position INTEGER PRIMARY KEY%' AND sql NOT LIKE '%WITHOUT ROWID%'")
        .value();
  };
  {
    auto db = Database::open_checkpointer(path);
    ASSERT_TRUE(db);
    EXPECT_EQ(shape(*db), 7);
    back_to_schema_10(*db);
    EXPECT_EQ(shape(*db), 0);
    EXPECT_GT(db->query_int64("SELECT count(*) FROM tst_quota_use").value(), 0);
    EXPECT_GT(db->query_int64("SELECT count(*) FROM tst_lock_close").value(), 0);
  }
  auto migrated = Database::open_writer(path);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->query_int64("PRAGMA user_version").value(), latest_schema_version());
  EXPECT_EQ(shape(*migrated), 7);
  EXPECT_EQ(
      migrated->query_int64("SELECT count(*) FROM tst_lock WHERE position <> block * 16777216 + log_index")
          .value(),
      0);
  EXPECT_EQ(dump_store(*migrated).value(), applied_dump);
}

}  // namespace
}  // namespace csd
