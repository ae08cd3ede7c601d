// Crash safety of the whole daemon (SPEC 3.4, issue 5): `chainsyncd run` is
// killed with SIGKILL at random moments of a backfill of 50 000+ logs and
// restarted, at least 20 times; the final store must equal an uninterrupted
// sync of the same chain. SIGTERM mid-backfill, and again at the end, must
// commit and exit 0 within 5 s.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "tests/chains/support/daemon_process.hpp"
#include "tests/chains/support/devnet.hpp"
#include "tests/chains/support/sync_harness.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd {
namespace {

using testing_support::Anvil;
using testing_support::ChildProcess;
using testing_support::devnet_script;
using testing_support::last_json_line;
using testing_support::stored_height;
using testing_support::TempDir;

constexpr int kKillsDuringBackfill = 20;
constexpr std::uint64_t kBulkLogs = 50'000;

TEST(BscCrash, KillNineDuringBackfillThenRestartEqualsAnUninterruptedSync) {
  TempDir dir;
  Anvil anvil(dir.path());
  const auto deployment_file = dir.file("deployment.json");
  devnet_script("deploy.mjs", {"--rpc", anvil.url(), "--out", deployment_file.string()}, dir.path());
  const auto deployment = nlohmann::json::parse(testing_support::read_file(deployment_file));
  devnet_script(
      "drive.mjs",
      {"--rpc", anvil.url(), "--deployment", deployment_file.string(), "--seed", "3", "--steps", "40"},
      dir.path());
  devnet_script("drive.mjs",
                {"--rpc", anvil.url(), "--deployment", deployment_file.string(), "--seed", "4", "--bulk-logs",
                 std::to_string(kBulkLogs)},
                dir.path());

  // The reference: one uninterrupted in-process sync.
  auto reference_config = testing_support::sync_config(anvil.url(), deployment);
  reference_config.getlogs_max_range = 2;
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t head = 0;
  {
    testing_support::SyncHarness reference(dir.file("reference.db"), reference_config);
    // The head is fixed from here on (nothing drives the chain any more).
    for (int i = 0; i < 600 && reference.metrics().head.load() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    head = reference.metrics().head.load();
    ASSERT_GT(head, 0u);
    ASSERT_TRUE(reference.wait_indexed(head, std::chrono::seconds(600))) << reference.log_text();
    ASSERT_TRUE(reference.stop());
    EXPECT_GE(reference.metrics().logs_stored.load(), kBulkLogs);
  }
  const auto reference_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();

  const auto config = dir.file("chainsyncd.toml");
  const auto database = dir.file("crash.db");
  testing_support::write_daemon_config(config, database, anvil.url(), deployment);
  const auto log = dir.file("daemon.log");
  // SIGTERM during a busy backfill: the batch in flight is committed and the
  // process exits 0 within 5 s (SPEC 6); the final comparison below shows
  // nothing was lost.
  {
    ChildProcess daemon({CHAINSYNCD_BINARY, "run", "--config", config.string()}, log);
    ASSERT_TRUE(testing_support::wait_stored(database, 1, std::chrono::seconds(120)))
        << testing_support::read_file(log);
    daemon.kill(SIGTERM);
    const auto asked = std::chrono::steady_clock::now();
    int code = -1;
    ASSERT_TRUE(daemon.wait_for(std::chrono::seconds(5), code)) << "still running 5 s after SIGTERM";
    EXPECT_EQ(code, 0) << testing_support::read_file(log);
    EXPECT_LT(stored_height(database).value_or(head), head) << "the backfill was over before SIGTERM";
    std::cout << "[ sigterm  ] exit " << code << " after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                       asked)
                     .count()
              << " ms, mid-backfill at block " << stored_height(database).value_or(0) << " of " << head
              << "\n";
  }

  // Kill within the first fraction of a full sync's time, so each run gets
  // a little further and most kills land mid-backfill.
  std::mt19937_64 rng(20261123);
  std::uniform_int_distribution<long> delay_ms(30, std::max<long>(60, reference_ms / 12));
  int kills_during_backfill = 0;
  int runs = 0;
  while (kills_during_backfill < kKillsDuringBackfill && runs < 400) {
    ++runs;
    ChildProcess daemon({CHAINSYNCD_BINARY, "run", "--config", config.string()}, log);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    daemon.kill(SIGKILL);
    ASSERT_EQ(daemon.wait(), -SIGKILL) << testing_support::read_file(log);
    const auto height = stored_height(database);  // the store opens after every kill
    if (height && *height >= head) break;         // finished before we could kill it
    ++kills_during_backfill;
  }
  ASSERT_GE(kills_during_backfill, kKillsDuringBackfill)
      << "backfill finished too soon to be killed " << kKillsDuringBackfill << " times";

  // Resume to the head, then a clean stop.
  ChildProcess daemon({CHAINSYNCD_BINARY, "run", "--config", config.string()}, log);
  EXPECT_TRUE(testing_support::wait_stored(database, head, std::chrono::seconds(600)));
  daemon.kill(SIGTERM);
  int code = -1;
  ASSERT_TRUE(daemon.wait_for(std::chrono::seconds(5), code)) << "no exit after SIGTERM";
  EXPECT_EQ(code, 0) << testing_support::read_file(log);
  ASSERT_EQ(stored_height(database).value_or(0), head);
  EXPECT_EQ(testing_support::chain_state_dump(database),
            testing_support::chain_state_dump(dir.file("reference.db")));
  std::cout << "[ crash    ] " << kills_during_backfill << " SIGKILLs during backfill over " << runs
            << " runs; reference sync " << reference_ms << " ms\n";
}

}  // namespace
}  // namespace csd
