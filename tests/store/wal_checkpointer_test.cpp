// WalCheckpointer: the writer's WAL is copied into the database file on a
// thread of its own, the writer's data stays exactly what it applied, and
// the commit hook it rests on (Database::set_wal_commit_hook) behaves.
#include "store/wal_checkpointer.hpp"

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd::store_test {
namespace {

std::uintmax_t bytes_of(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// Waits (at most 30 s) until `done` holds.
template <class Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

TEST(WalCheckpointer, CopiesTheWalInTheBackgroundAndChangesNoData) {
  const StoreContracts contracts = test_contracts();
  const std::vector<Batch> batches = to_batches(random_chain(ChainId::kBsc, contracts, 11, 1, 400, 0), 20);
  TempDir dir;
  const auto path = dir.file("store.db");
  WriterOptions options;
  options.background_checkpoint_frames = 8;  // a checkpoint every few batches
  std::string with_background;
  {
    Writer writer = open_writer(path, contracts, options);
    ASSERT_NE(writer.checkpointer(), nullptr);
    const std::uintmax_t before = bytes_of(path);
    apply_all(writer, ChainId::kBsc, batches);
    ASSERT_TRUE(eventually([&] { return writer.checkpointer()->completed() > 0; }));
    EXPECT_EQ(writer.checkpointer()->last_error(), "");
    // The thread itself copied frames: not only the writer's backstop, at
    // four times the threshold. (A connection that had read nothing yet
    // checkpointed nothing and reported success: SQLite 3.40.)
    EXPECT_TRUE(eventually([&] { return writer.checkpointer()->copied_frames() > 0; }));
    // The database file itself received the pages (not only the WAL).
    EXPECT_TRUE(eventually([&] { return bytes_of(path) > before; })) << before;
    with_background = dump(writer);
  }
  // The same batches with SQLite's automatic checkpoint give the same store.
  TempDir other;
  options.background_checkpoint_frames = 0;
  Writer writer = open_writer(other.file("store.db"), contracts, options);
  EXPECT_EQ(writer.checkpointer(), nullptr);
  apply_all(writer, ChainId::kBsc, batches);
  EXPECT_EQ(dump(writer), with_background);
  // And the file written in the background reopens with every row.
  Writer reopened = open_writer(path, contracts);
  EXPECT_EQ(dump(reopened), with_background);
}

TEST(WalCheckpointer, AMovedWriterKeepsItsCheckpointer) {
  const StoreContracts contracts = test_contracts();
  const std::vector<Batch> batches = to_batches(random_chain(ChainId::kBsc, contracts, 12, 1, 200, 0), 10);
  TempDir dir;
  WriterOptions options;
  options.background_checkpoint_frames = 4;
  Writer first = open_writer(dir.file("store.db"), contracts, options);
  Writer moved = std::move(first);
  apply_all(moved, ChainId::kBsc, batches);
  ASSERT_NE(moved.checkpointer(), nullptr);
  EXPECT_TRUE(eventually([&] { return moved.checkpointer()->completed() > 0; }));
}

// What the writer does after a commit (threshold 4 096 frames): nothing below
// the threshold; past it, signals the thread, unless the thread has already
// copied all but a sixteenth of the threshold — a quarter once the WAL is
// twice the threshold — (then the writer copies the rest, so that its next
// write restarts the WAL instead of growing it while the thread never quite
// catches up) or the WAL reached the backstop.
TEST(WalCheckpointer, AfterACommitTheWriterSignalsCatchesUpOrHitsTheBackstop) {
  using Action = WalCheckpointer::Action;
  using Report = WalCheckpointer::ThreadReport;
  constexpr int kThreshold = 4096;
  const auto after = [](int frames, Report report) {
    return WalCheckpointer::after_commit(frames, kThreshold, report);
  };
  EXPECT_EQ(after(kThreshold - 1, {}), Action::kNone);
  EXPECT_EQ(after(kThreshold, {}), Action::kSignalThread);               // no report yet: nothing copied
  EXPECT_EQ(after(6000, {4100, 4100}), Action::kSignalThread);           // 1 900 left to copy
  EXPECT_EQ(after(6000, {5800, 5744}), Action::kCheckpointHere);         // 256 left
  EXPECT_EQ(after(6000, {5800, 5743}), Action::kSignalThread);           // 257 left
  EXPECT_EQ(after(6000, {5000, 4976}), Action::kSignalThread);           // 1 024 left, the WAL below 2x
  EXPECT_EQ(after(8192, {7200, 7168}), Action::kCheckpointHere);         // 1 024 left, the WAL at 2x
  EXPECT_EQ(after(8192, {7200, 7167}), Action::kSignalThread);           // 1 025 left
  EXPECT_EQ(after(kThreshold, {9000, 8000}), Action::kSignalThread);     // a report of a WAL since restarted
  EXPECT_EQ(after(4 * kThreshold, {9000, 0}), Action::kCheckpointHere);  // the backstop
  EXPECT_EQ(after(4 * kThreshold - 1, {9000, 0}), Action::kSignalThread);
}

TEST(WalCommitHook, SeesTheWalGrowAndCanCheckpointInline) {
  TempDir dir;
  const auto path = dir.file("store.db");
  auto db = Database::open_writer(path);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->exec("CREATE TABLE t(x BLOB)"));
  std::vector<int> seen;
  bool checkpoint_now = false;
  db->set_wal_commit_hook([&](int frames) {
    seen.push_back(frames);
    return checkpoint_now;
  });
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES(zeroblob(100000))"));
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES(zeroblob(100000))"));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_GT(seen[0], 20);       // ~25 pages of 4 KiB
  EXPECT_GT(seen[1], seen[0]);  // no checkpoint in between: the WAL only grew
  const std::uintmax_t before = bytes_of(path);
  checkpoint_now = true;
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES(zeroblob(100000))"));
  EXPECT_GT(bytes_of(path), before + 200000);  // all three rows copied into the file
  // An empty hook gives SQLite's automatic checkpoint back.
  db->set_wal_commit_hook({});
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES(1)"));
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(db->query_int64("PRAGMA wal_autocheckpoint").value(), Database::kAutocheckpointFrames);
}

TEST(WalCheckpointer, ACheckpointOnAMissingFileIsAnError) {
  TempDir dir;
  auto db = Database::open_checkpointer(dir.file("absent.db"));
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("no such file"), std::string::npos) << db.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.file("absent.db")));
}

}  // namespace
}  // namespace csd::store_test
