// Deferred inserts (store/deferred_inserts.hpp): rows recorded with every kind
// of value run later in the order recorded, with the values they were bound
// to then; a failing row stops the run; and the queue that carries them from
// a recording thread to the running one runs everything pushed before
// close(), or, after a failure, nothing more, without making the producer wait.
#include "store/deferred_inserts.hpp"

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::TempDir;

class DeferredInsertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.exec("CREATE TEMP TABLE t(n INTEGER PRIMARY KEY, a, b, c)"));
    ASSERT_TRUE(db_.exec("CREATE TEMP TABLE u(x TEXT NOT NULL)"));
  }
  // The rows of t as "n:a:b:c" with each value's SQL type, in n order.
  std::string rows_of_t() {
    auto st = db_.prepare(
        "SELECT group_concat(n || ':' || typeof(a) || quote(a) || ':' || typeof(b) || quote(b) || ':' || "
        "typeof(c) || quote(c), ' ') FROM (SELECT * FROM t ORDER BY n)");
    EXPECT_TRUE(st);
    EXPECT_TRUE(st->step().value());
    return st->column_text(0);
  }
  Statement insert_t() { return db_.prepare("INSERT INTO t(n, a, b, c) VALUES(?1, ?2, ?3, ?4)").value(); }

  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
};

TEST_F(DeferredInsertsTest, RunsTheRowsInOrderWithTheValuesBoundThen) {
  Statement t = insert_t();
  Statement u = db_.prepare("INSERT INTO u(x) VALUES(?1)").value();
  DeferredInserts rows;
  {
    std::string text = "agreement";
    Bytes blob = {0x00, 0xFF};
    Hash32 hash;
    hash.bytes[31] = 7;
    rows.row(t).bind_int64(1, 1).bind_int64(2, -5).bind_text(3, text).bind_blob_static(4, blob);
    rows.row(u).bind_text(1, "second");
    rows.row(t).bind_int64(1, 2).bind_uint64_clamped(2, UINT64_MAX).bind_null(3).bind_blob_static(4, Bytes{});
    rows.row(t).bind_int64(1, 3).bind_bytes_static(2, hash).bind_int64(3, 0).bind_null(4);
    text = "changed";  // the rows hold copies
    blob.assign(2, 0x11);
  }
  EXPECT_EQ(rows.size(), 4u);
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM t").value(), 0);  // nothing ran yet
  ASSERT_TRUE(rows.run());
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(rows_of_t(),
            "1:integer-5:text'agreement':blobX'00FF' "
            "2:integer9223372036854775807:nullNULL:blobX'' "
            "3:blobX'" +
                std::string(62, '0') + "07':integer0:nullNULL");
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM u WHERE x = 'second'").value(), 1);
  ASSERT_TRUE(rows.run());  // nothing left: runs nothing
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM t").value(), 3);
}

TEST_F(DeferredInsertsTest, StopsAtTheFirstFailingRowAndForgetsTheRest) {
  Statement t = insert_t();
  DeferredInserts rows;
  rows.row(t).bind_int64(1, 1).bind_int64(2, 1).bind_int64(3, 1).bind_int64(4, 1);
  rows.row(t).bind_int64(1, 1).bind_int64(2, 2).bind_int64(3, 2).bind_int64(4, 2);  // the same key
  rows.row(t).bind_int64(1, 3).bind_int64(2, 3).bind_int64(3, 3).bind_int64(4, 3);
  auto failed = rows.run();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("UNIQUE"), std::string::npos) << failed.error().message;
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(db_.query_int64("SELECT group_concat(n) FROM t").value(), 1);
}

// One thread records slices and pushes them; this one runs them as they come.
TEST_F(DeferredInsertsTest, TheQueueRunsWhatAnotherThreadPushesUntilItCloses) {
  Statement t = insert_t();
  DeferredInsertQueue queue;
  constexpr int kSlices = 50;
  std::thread producer([&] {
    for (int slice = 0; slice < kSlices; ++slice) {
      DeferredInserts rows;
      for (int i = 0; i < 10; ++i) {
        const int n = slice * 10 + i;
        rows.row(t).bind_int64(1, n).bind_int64(2, n).bind_null(3).bind_null(4);
      }
      queue.push(std::move(rows));
    }
    queue.close();
  });
  const Status ran = queue.run_until_closed();
  producer.join();
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM t WHERE a = n").value(), kSlices * 10);
  EXPECT_EQ(db_.query_int64("SELECT max(n) FROM t").value(), kSlices * 10 - 1);
}

TEST_F(DeferredInsertsTest, AfterAFailureTheQueueOnlyTakesWhatIsPushed) {
  Statement t = insert_t();
  DeferredInsertQueue queue;
  DeferredInserts first;
  first.row(t).bind_int64(1, 1).bind_null(2).bind_null(3).bind_null(4);
  first.row(t).bind_int64(1, 1).bind_null(2).bind_null(3).bind_null(4);  // fails
  DeferredInserts second;
  second.row(t).bind_int64(1, 2).bind_null(2).bind_null(3).bind_null(4);
  queue.push(std::move(first));
  queue.push(std::move(second));
  queue.close();
  EXPECT_FALSE(queue.run_until_closed());
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM t WHERE n = 2").value(), 0);
}

TEST_F(DeferredInsertsTest, AFailureBeforeTheQueueRunsNothingOfIt) {
  Statement t = insert_t();
  DeferredInsertQueue queue;
  DeferredInserts rows;
  rows.row(t).bind_int64(1, 1).bind_null(2).bind_null(3).bind_null(4);
  queue.push(std::move(rows));
  queue.close();
  const Status earlier = make_error(ErrorCode::kIo, "raw blocks failed");
  const Status result = queue.run_until_closed(earlier);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "raw blocks failed");
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM t").value(), 0);
}

}  // namespace
}  // namespace csd
