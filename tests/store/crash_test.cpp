// Crash safety (SPEC 3.4): a child process applies batches in a loop and is
// killed with SIGKILL at random moments. After each kill the store opens, its
// checkpoint matches its data exactly (the dump equals an uninterrupted run's
// dump at that checkpoint, so nothing lies above it and nothing is missing),
// and continuing from the checkpoint reaches the uninterrupted run's final dump.
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::TempDir;

// The child: continue from the stored checkpoint until every batch is applied.
[[noreturn]] void run_child(const std::filesystem::path& path, const StoreContracts& contracts,
                            const std::vector<Batch>& batches) {
  auto writer = Writer::open(path, contracts, store_test::fixed_clock());
  if (!writer) _exit(2);
  for (;;) {
    auto cp = writer->checkpoint(ChainId::kBsc);
    if (!cp) _exit(3);
    const std::uint64_t done = *cp ? (*cp)->height : 0;
    const Batch* next = nullptr;
    for (const Batch& batch : batches) {
      if (batch.checkpoint.height > done) {
        next = &batch;
        break;
      }
    }
    if (next == nullptr) _exit(0);
    if (!writer->apply(ChainId::kBsc, *next)) _exit(4);
  }
}

void remove_store(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path.string() + suffix);
  }
}

TEST(Crash, SigkillAtRandomMomentsLosesAndDuplicatesNothing) {
  constexpr int kKills = 200;
  const StoreContracts contracts = store_test::test_contracts();
  const auto blocks = store_test::random_chain(ChainId::kBsc, contracts, 4242, 1, 90, 0);
  const auto batches = store_test::to_batches(blocks, 2);
  TempDir dir;

  // The uninterrupted run, with its dump at every checkpoint (0: nothing applied).
  std::map<std::uint64_t, std::string> reference;
  {
    Writer writer = store_test::open_writer(dir.file("reference.db"), contracts);
    reference[0] = store_test::dump(writer);
    for (const Batch& batch : batches) {
      ASSERT_TRUE(writer.apply(ChainId::kBsc, batch));
      reference[batch.checkpoint.height] = store_test::dump(writer);
    }
  }
  const std::uint64_t final_height = batches.back().checkpoint.height;

  const auto path = dir.file("crash.db");
  std::mt19937_64 rng(20240601);  // fixed seed: the same kill schedule every run
  int kills = 0;
  int completed_runs = 0;
  int attempts = 0;
  while (kills < kKills) {
    ASSERT_LT(++attempts, 20 * kKills) << "the child keeps finishing before the kill";
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) run_child(path, contracts, batches);
    // Kill timing only (not an assertion): anywhere from before the open to mid-run.
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 25'000));
    ::kill(pid, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    if (WIFSIGNALED(wstatus)) {
      ++kills;
    } else {
      ASSERT_TRUE(WIFEXITED(wstatus));
      ASSERT_EQ(WEXITSTATUS(wstatus), 0) << "child failed";
    }

    std::uint64_t height = 0;
    {
      auto writer = Writer::open(path, contracts, store_test::fixed_clock());
      ASSERT_TRUE(writer) << "after kill " << kills << ": " << writer.error().message;
      auto cp = writer->checkpoint(ChainId::kBsc);
      ASSERT_TRUE(cp);
      if (*cp) height = (*cp)->height;
      ASSERT_TRUE(reference.count(height)) << "checkpoint " << height << " is no batch boundary";
      const auto above = [&](std::string_view table, std::string_view column) {
        return writer->database()
            .query_int64("SELECT count(*) FROM " + std::string(table) + " WHERE " + std::string(column) +
                         " > " + std::to_string(height))
            .value();
      };
      EXPECT_EQ(above("block", "height"), 0);
      EXPECT_EQ(above("raw_block", "height"), 0);
      EXPECT_EQ(above("ledger_run", "max_block"), 0);
      ASSERT_EQ(store_test::dump(*writer), reference[height]) << "after kill " << kills << " at " << height;
    }
    if (height == final_height) {  // this run reached the end: start another from an empty file
      ++completed_runs;
      remove_store(path);
    }
  }
  // Finish the last run without a kill: continuing reaches the uninterrupted final state.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) run_child(path, contracts, batches);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  Writer writer = store_test::open_writer(path, contracts);
  EXPECT_EQ(store_test::dump(writer), reference[final_height]);
  RecordProperty("kills", kills);
  RecordProperty("completed_runs", completed_runs);
  std::printf("crash test: %d kills, %d runs completed, %d attempts\n", kills, completed_runs, attempts);
}

}  // namespace
}  // namespace csd
