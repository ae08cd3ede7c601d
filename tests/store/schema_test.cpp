// Schema: initialisation, refusal of foreign and newer files (unmodified),
// forward migrations (docs/store.md, SPEC 4).
#include "store/schema.hpp"

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

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
      "anomaly",    "block",          "checkpoint",    "payout",          "payout_batch", "raw_log",
      "row_count",  "solana_account", "solana_stake",  "sync_status",     "tron_tx",      "tst_account",
      "tst_ledger", "tst_lock",       "tst_quota_use", "tst_reservation", "tst_stake"};
  EXPECT_EQ(names(*db, "table"), expected);
  // A transfer is stored once, as its transfer_in ledger row.
  EXPECT_EQ(names(*db, "view"), std::vector<std::string>{"tst_transfer"});
}

TEST(Schema, LedgerColumnsAreThoseOfTheDesign) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  auto st = db->prepare(
      "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('tst_ledger') ORDER BY cid)");
  ASSERT_TRUE(st);
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ(st->column_text(0), "address,block,log_index,kind,amount,counterparty,tx_hash,time");
}

TEST(Schema, ReopeningIsANoOp) {
  TempDir dir;
  { ASSERT_TRUE(Database::open_writer(dir.file("store.db"))); }
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), 1);
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
  make_sqlite_file(path, "PRAGMA user_version = 2");
  const Bytes before = read_bytes(path);
  auto opened = Database::open_writer(path);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("written by a newer chainsyncd (schema 2, this binary knows 1)"),
            std::string::npos)
      << opened.error().message;
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_FALSE(Database::open_reader(path));
  EXPECT_EQ(read_bytes(path), before);
}

TEST(Schema, CurrentSchemaIsAcceptedOneAboveIsNot) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  EXPECT_EQ(check_schema(*db, 1).value(), 1);
  EXPECT_FALSE(check_schema(*db, 0));
}

TEST(Schema, MigratesForwardOneStepPerTransaction) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const Migration steps[] = {schema_migrations()[0],
                             {2, "CREATE TABLE extra(x INTEGER)"},
                             {3, "ALTER TABLE extra ADD COLUMN y INTEGER"}};
  ASSERT_TRUE(migrate(*db, steps));
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), 3);
  EXPECT_EQ(db->query_int64("SELECT count(*) FROM pragma_table_info('extra')").value(), 2);
  ASSERT_TRUE(migrate(*db, steps));  // already current: nothing to do
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), 3);
}

TEST(Schema, FailedMigrationLeavesThePreviousVersion) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const Migration steps[] = {schema_migrations()[0], {2, "CREATE TABLE extra(x); CREATE TABLE block(y)"}};
  auto status = migrate(*db, steps);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("migration to schema 2"), std::string::npos)
      << status.error().message;
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), 1);
  EXPECT_EQ(db->query_int64("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'").value(), 0);
}

TEST(Schema, GapInMigrationsIsRefused) {
  TempDir dir;
  auto db = Database::open_writer(dir.file("store.db"));
  ASSERT_TRUE(db);
  const Migration steps[] = {schema_migrations()[0], {3, "CREATE TABLE extra(x)"}};
  EXPECT_FALSE(migrate(*db, steps));
  EXPECT_EQ(db->query_int64("PRAGMA user_version").value(), 1);
}

}  // namespace
}  // namespace csd
