// Database: connection settings, statements and their cache, transactions,
// and the exact u256_sum aggregate (docs/store.md).
#include "store/database.hpp"

#include <filesystem>
#include <limits>

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::TempDir;

Database writer_db(const TempDir& dir) {
  auto db = Database::open_writer(dir.file("store.db"));
  if (!db) throw std::runtime_error(db.error().message);
  return std::move(*db);
}

std::string text_of(Database& db, std::string_view sql) {
  auto st = db.prepare(sql);
  if (!st) return "error: " + st.error().message;
  auto row = st->step();
  if (!row || !*row) return "no row";
  return st->column_text(0);
}

TEST(Database, StoreBytesOnDiskCountsTheFileAndItsWal) {
  TempDir dir;
  const auto path = dir.file("store.db");
  EXPECT_EQ(store_bytes_on_disk(path), 0U);  // neither exists yet
  Database db = Database::open_writer(path).value();
  ASSERT_TRUE(db.exec("CREATE TEMP TABLE scratch(x)"));
  const auto file = std::filesystem::file_size(path);
  const auto wal = std::filesystem::exists(path.string() + "-wal")
                       ? std::filesystem::file_size(path.string() + "-wal")
                       : std::uintmax_t{0};
  EXPECT_GT(file + wal, 0U);
  EXPECT_EQ(store_bytes_on_disk(path), file + wal);
}

TEST(Database, WriterSettings) {
  TempDir dir;
  Database db = writer_db(dir);
  EXPECT_EQ(text_of(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(db.query_int64("PRAGMA synchronous").value(), 2);  // FULL
  EXPECT_EQ(db.query_int64("PRAGMA foreign_keys").value(), 1);
  EXPECT_EQ(db.query_int64("PRAGMA busy_timeout").value(), 5000);
  EXPECT_EQ(db.query_int64("PRAGMA secure_delete").value(), 0);  // public data: freed cells need no zeroing
  EXPECT_FALSE(db.read_only());
}

TEST(Database, NewStoresGetLargePagesExistingOnesKeepTheirs) {
  TempDir dir;
  {
    Database db = writer_db(dir);
    EXPECT_EQ(db.query_int64("PRAGMA page_size").value(), Database::kPageSize);
  }
  // A store written with 4 KiB pages (as before 2026-12-07): reopening neither fails nor rewrites it.
  const auto old_path = dir.file("old.db");
  {
    Database db = Database::open_writer(old_path).value();
    ASSERT_TRUE(db.exec("PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM"));
    ASSERT_EQ(db.query_int64("PRAGMA page_size").value(), 4096);
  }
  Database reopened = Database::open_writer(old_path).value();
  EXPECT_EQ(reopened.query_int64("PRAGMA page_size").value(), 4096);
  EXPECT_EQ(text_of(reopened, "PRAGMA journal_mode"), "wal");
}

TEST(Database, ReaderIsReadOnly) {
  TempDir dir;
  Database writer = writer_db(dir);
  auto reader = Database::open_reader(dir.file("store.db"));
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_TRUE(reader->read_only());
  EXPECT_EQ(reader->query_int64("PRAGMA query_only").value(), 1);
  auto status = reader->exec("INSERT INTO account_page(first_address, packed) VALUES(zeroblob(20), x'01')");
  EXPECT_FALSE(status);
  EXPECT_EQ(writer.query_int64("SELECT count(*) FROM account_page").value(), 0);
}

TEST(Database, ReaderRefusesMissingFileWithItsName) {
  TempDir dir;
  auto reader = Database::open_reader(dir.file("absent.db"));
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("absent.db"), std::string::npos) << reader.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.file("absent.db")));
}

TEST(Database, PrepareRejectsTrailingStatementsAndBadSql) {
  TempDir dir;
  Database db = writer_db(dir);
  EXPECT_FALSE(db.prepare("SELECT 1; SELECT 2"));
  auto bad = db.prepare("SELECT nope FROM nowhere");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("no such table"), std::string::npos) << bad.error().message;
}

TEST(Database, SameSqlTwiceAtOnceGivesTwoStatements) {
  TempDir dir;
  Database db = writer_db(dir);
  ASSERT_TRUE(db.exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES(1),(2)"));
  auto outer = db.prepare("SELECT x FROM t ORDER BY x");
  ASSERT_TRUE(outer);
  ASSERT_TRUE(outer->step().value());
  auto inner = db.prepare("SELECT x FROM t ORDER BY x");  // the first is busy: a second one is prepared
  ASSERT_TRUE(inner);
  ASSERT_TRUE(inner->step().value());
  EXPECT_EQ(outer->column_int64(0), 1);
  EXPECT_EQ(inner->column_int64(0), 1);
  ASSERT_TRUE(outer->step().value());
  EXPECT_EQ(outer->column_int64(0), 2);
}

TEST(Database, CachedStatementComesBackResetWithoutBindings) {
  TempDir dir;
  Database db = writer_db(dir);
  {
    auto st = db.prepare("SELECT ?1");
    ASSERT_TRUE(st);
    st->bind_int64(1, 42);
    ASSERT_TRUE(st->step().value());
    EXPECT_EQ(st->column_int64(0), 42);
  }
  auto again = db.prepare("SELECT ?1");
  ASSERT_TRUE(again);
  ASSERT_TRUE(again->step().value());
  EXPECT_TRUE(again->is_null(0));  // bindings were cleared on return to the cache
}

TEST(Database, U256AndBytesRoundTrip) {
  TempDir dir;
  Database db = writer_db(dir);
  auto st = db.prepare("SELECT ?1, ?2, length(?1)");
  ASSERT_TRUE(st);
  const U256 max = U256::max();
  const EvmAddress address = store_test::evm(7);
  st->bind_u256(1, max).bind_bytes(2, address);
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ(st->column_u256(0).value(), max);
  EXPECT_EQ((st->column_bytes<20, EvmAddressTag>(1).value()), address);
  EXPECT_EQ(st->column_int64(2), 32);
  auto wrong = st->column_u256(1);  // a 20-byte BLOB is no U256
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("20 bytes, expected 32"), std::string::npos) << wrong.error().message;
}

TEST(Database, Uint64AboveInt64MaxIsStoredAsForever) {
  TempDir dir;
  Database db = writer_db(dir);
  auto st = db.prepare("SELECT ?1, ?2, ?3");
  ASSERT_TRUE(st);
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  st->bind_uint64_clamped(1, kMax).bind_uint64_clamped(2, kMax + 1).bind_uint64_clamped(3, ~0ULL);
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ(st->column_int64(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(st->column_int64(1), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(st->column_int64(2), std::numeric_limits<std::int64_t>::max());
}

TEST(Database, BindErrorIsReportedByStep) {
  TempDir dir;
  Database db = writer_db(dir);
  auto st = db.prepare("SELECT ?1");
  ASSERT_TRUE(st);
  st->bind_int64(2, 1);  // no parameter 2
  EXPECT_FALSE(st->step());
}

TEST(Database, WriteTxnRollsBackUnlessCommitted) {
  TempDir dir;
  Database db = writer_db(dir);
  ASSERT_TRUE(db.exec("CREATE TABLE t(x INTEGER)"));
  {
    auto txn = db.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->exec("INSERT INTO t VALUES(1)"));
  }
  EXPECT_EQ(db.query_int64("SELECT count(*) FROM t").value(), 0);
  {
    auto txn = db.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->exec("INSERT INTO t VALUES(1)"));
    ASSERT_TRUE(txn->commit());
  }
  EXPECT_EQ(db.query_int64("SELECT count(*) FROM t").value(), 1);
}

TEST(Database, ReadTxnKeepsItsSnapshotWhileTheWriterCommits) {
  TempDir dir;
  Database writer = writer_db(dir);
  auto reader = Database::open_reader(dir.file("store.db"));
  ASSERT_TRUE(reader) << reader.error().message;
  auto insert = [&] {
    auto txn = writer.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(txn->exec("INSERT INTO anomaly VALUES(1, 1, 1, 1, 'x' || random())"));
    ASSERT_TRUE(txn->commit());
  };
  insert();
  {
    auto txn = reader->begin_read();
    ASSERT_TRUE(txn);
    EXPECT_EQ(txn->query_int64("SELECT count(*) FROM anomaly").value(), 1);
    insert();  // WAL: the writer is not blocked by the open read
    EXPECT_EQ(txn->query_int64("SELECT count(*) FROM anomaly").value(), 1);
  }
  EXPECT_EQ(reader->query_int64("SELECT count(*) FROM anomaly").value(), 2);
}

// u256_sum: exact over 32-byte big-endian BLOBs; 2^256-1 is reachable, one more is an error.
class U256Sum : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db_.exec("CREATE TABLE v(a BLOB)")); }
  void add(const U256& value) {
    auto st = db_.prepare("INSERT INTO v VALUES(?1)");
    ASSERT_TRUE(st);
    st->bind_u256(1, value);
    ASSERT_TRUE(st->run());
  }
  Result<U256> sum() {
    auto st = db_.prepare("SELECT u256_sum(a) FROM v");
    if (!st) return std::move(st).error();
    auto row = st->step();
    if (!row) return std::move(row).error();
    return st->column_u256(0);
  }
  TempDir dir_;
  Database db_ = writer_db(dir_);
};

TEST_F(U256Sum, EmptyIsZero) {
  EXPECT_EQ(sum().value(), U256(0));
}

TEST_F(U256Sum, ExactlyTheMaximum) {
  add(U256::max() - U256(5));
  add(U256(2));
  add(U256(3));
  EXPECT_EQ(sum().value(), U256::max());
}

TEST_F(U256Sum, CarriesAcrossLimbs) {
  add(U256(0, 0, 0, ~0ULL));
  add(U256(1));
  EXPECT_EQ(sum().value(), U256(0, 0, 1, 0));
}

TEST_F(U256Sum, OnePastTheMaximumIsAnError) {
  add(U256::max());
  add(U256(1));
  auto result = sum();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("u256_sum"), std::string::npos) << result.error().message;
}

TEST_F(U256Sum, NullsAreSkippedOtherTypesRejected) {
  add(U256(7));
  ASSERT_TRUE(db_.exec("INSERT INTO v VALUES(NULL)"));
  EXPECT_EQ(sum().value(), U256(7));
  ASSERT_TRUE(db_.exec("INSERT INTO v VALUES(x'01')"));  // 1 byte: not an amount
  EXPECT_FALSE(sum());
  ASSERT_TRUE(db_.exec("DELETE FROM v WHERE length(a) = 1; INSERT INTO v VALUES(5)"));
  EXPECT_FALSE(sum());
}

TEST_F(U256Sum, GroupsSumSeparately) {
  ASSERT_TRUE(db_.exec("CREATE TABLE g(k INTEGER, a BLOB)"));
  auto st = db_.prepare("INSERT INTO g VALUES(?1, ?2)");
  ASSERT_TRUE(st);
  for (std::int64_t k = 0; k < 3; ++k) {
    for (std::uint64_t i = 1; i <= 4; ++i) {
      st->bind_int64(1, k).bind_u256(2, U256(i) << 200);
      ASSERT_TRUE(st->run());
    }
  }
  auto q = db_.prepare("SELECT k, u256_sum(a) FROM g GROUP BY k ORDER BY k");
  ASSERT_TRUE(q);
  int groups = 0;
  while (q->step().value()) {
    EXPECT_EQ(q->column_u256(1).value(), U256(10) << 200);
    ++groups;
  }
  EXPECT_EQ(groups, 3);
}

}  // namespace
}  // namespace csd
