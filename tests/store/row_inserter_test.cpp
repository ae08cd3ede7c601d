// Multi-row inserts (store/row_inserter.hpp): the SQL text, and every row
// stored exactly once, in order, for counts below, at and above a statement's
// worth, with BLOBs bound without a copy from the held rows.
#include "store/row_inserter.hpp"

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::TempDir;

TEST(RowInserter, SqlNumbersEachRowsParameters) {
  EXPECT_EQ(multi_row_insert_sql("INSERT INTO t(a, b)", 2, 1), "INSERT INTO t(a, b) VALUES(?1, ?2)");
  EXPECT_EQ(multi_row_insert_sql("INSERT INTO t(a, b)", 2, 3),
            "INSERT INTO t(a, b) VALUES(?1, ?2), (?3, ?4), (?5, ?6)");
}

class RowInserterTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
};

TEST_P(RowInserterTest, StoresEveryRowOnceInOrder) {
  const std::size_t rows = GetParam();
  ASSERT_TRUE(db_.exec("CREATE TEMP TABLE t(n INTEGER NOT NULL, payload BLOB NOT NULL)"));
  {
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    struct Row {
      std::int64_t n;
      Bytes payload;
    };
    auto inserter = make_row_inserter<Row>(*txn, "INSERT INTO t(n, payload)", 2,
                                           [](Statement& st, int at, const Row& row) {
                                             st.bind_int64(at, row.n).bind_blob_static(at + 1, row.payload);
                                           });
    for (std::size_t i = 0; i < rows; ++i) {
      // Payloads large enough that a freed buffer would not keep its bytes.
      ASSERT_TRUE(inserter.add(Row{static_cast<std::int64_t>(i), Bytes(300, static_cast<std::uint8_t>(i))}));
      EXPECT_LT(inserter.pending(), decltype(inserter)::kRowsPerStatement);
    }
    ASSERT_TRUE(inserter.flush());
    EXPECT_EQ(inserter.pending(), 0U);
    ASSERT_TRUE(txn->commit());
  }
  auto st = db_.prepare("SELECT n, payload FROM t ORDER BY rowid").value();
  std::size_t seen = 0;
  while (st.step().value()) {
    EXPECT_EQ(st.column_int64(0), static_cast<std::int64_t>(seen));
    const ByteSpan payload = st.column_blob(1);
    EXPECT_EQ(Bytes(payload.begin(), payload.end()), Bytes(300, static_cast<std::uint8_t>(seen))) << seen;
    ++seen;
  }
  EXPECT_EQ(seen, rows);
}

INSTANTIATE_TEST_SUITE_P(Counts, RowInserterTest, ::testing::Values(0, 1, 31, 32, 33, 64, 100));

}  // namespace
}  // namespace csd
