// `chainsyncd reindex` (SPEC 6, issue 7) against the devnet: with the daemon
// stopped and while it runs; from a height the stored raw data covers (no
// RPC call at all, counted by a proxy in front of the node) and from below
// where the database began (rolled back and fetched again). Each end state
// equals a fresh sync.
#include <string>

#include <gtest/gtest.h>

#include "tests/chains/support/daemon_process.hpp"
#include "tests/chains/support/devnet.hpp"
#include "tests/chains/support/rpc_proxy.hpp"
#include "tests/chains/support/sync_harness.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd {
namespace {

using testing_support::Anvil;
using testing_support::ChildProcess;
using testing_support::devnet_script;
using testing_support::last_json_line;
using testing_support::TempDir;

class BscReindexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    anvil_.emplace(dir_.path());
    deployment_file_ = dir_.file("deployment.json");
    devnet_script("deploy.mjs", {"--rpc", anvil_->url(), "--out", deployment_file_.string()}, dir_.path());
    deployment_ = nlohmann::json::parse(testing_support::read_file(deployment_file_));
    head_ = drive(80, 31);
    start_counting_proxy();
  }

  std::uint64_t drive(int steps, int seed) {
    return last_json_line(devnet_script("drive.mjs",
                                        {"--rpc", anvil_->url(), "--deployment", deployment_file_.string(),
                                         "--seed", std::to_string(seed), "--steps", std::to_string(steps)},
                                        dir_.path()))
        .at("last_block")
        .get<std::uint64_t>();
  }

  // A pass-through proxy (no faults) that counts what reaches the node.
  void start_counting_proxy() {
    proxy_.emplace(anvil_->url(), dir_.path());
    proxy_url_ = proxy_->url();
  }

  std::uint64_t proxied_requests() { return proxy_->stats().at("forwarded").get<std::uint64_t>(); }

  // Runs the daemon until its store reaches `height`, then SIGTERM.
  void sync_with_daemon(const std::filesystem::path& config, const std::filesystem::path& database,
                        std::uint64_t height) {
    ChildProcess daemon({CHAINSYNCD_BINARY, "run", "--config", config.string()}, dir_.file("daemon.log"));
    ASSERT_TRUE(testing_support::wait_stored(database, height))
        << testing_support::read_file(dir_.file("daemon.log"));
    daemon.kill(SIGTERM);
    EXPECT_EQ(daemon.wait(), 0);
  }

  // A fresh in-process sync of the current chain from `start_block` into `name`.
  std::string fresh_dump(const std::string& name, std::uint64_t height, std::uint64_t start_block = 0) {
    auto config = testing_support::sync_config(anvil_->url(), deployment_);
    config.start_block = start_block;
    testing_support::SyncHarness fresh(dir_.file(name), config);
    EXPECT_TRUE(fresh.wait_indexed(height)) << fresh.log_text();
    EXPECT_TRUE(fresh.stop());
    return testing_support::chain_state_dump(dir_.file(name));
  }

  TempDir dir_;
  std::optional<Anvil> anvil_;
  std::filesystem::path deployment_file_;
  nlohmann::json deployment_;
  std::optional<testing_support::RpcProxy> proxy_;
  std::string proxy_url_;
  std::uint64_t head_ = 0;  // the chain's head after SetUp's activity
};

TEST_F(BscReindexTest, StoppedAndRunningReindexFromStoredRawDataEqualAFreshSync) {
  const auto config = dir_.file("chainsyncd.toml");
  const auto database = dir_.file("store.db");
  testing_support::write_daemon_config(config, database, proxy_url_, deployment_);
  std::uint64_t head = head_;
  sync_with_daemon(config, database, head);
  const std::string before = testing_support::chain_state_dump(database);

  // `status` reads the database alone: the daemon is stopped here.
  const auto status =
      testing_support::chainsyncd({"status", "--json", "--config", config.string()}, dir_.path());
  ASSERT_EQ(status.exit_code, 0) << status.out;
  const auto status_json = last_json_line(status.out);
  EXPECT_EQ(status_json.at("chains").at(0).at("chain"), "bsc");
  EXPECT_EQ(status_json.at("chains").at(0).at("indexed"), head);
  EXPECT_EQ(status_json.at("chains").at(0).at("head"), head);
  EXPECT_EQ(status_json.at("chains").at(0).at("lag"), 0);
  EXPECT_GT(status_json.at("database_bytes").get<std::uint64_t>(), 0u);

  // Daemon stopped: rebuilt from raw data, and not one request reaches the node.
  const std::uint64_t requests_before = proxied_requests();
  const auto stopped = testing_support::chainsyncd(
      {"reindex", "--chain", "bsc", "--from", std::to_string(head / 2), "--config", config.string()},
      dir_.path());
  EXPECT_EQ(stopped.exit_code, 0) << stopped.out;
  EXPECT_NE(stopped.out.find("re-derived bsc blocks " + std::to_string(head / 2) + ".." +
                             std::to_string(head) + " from stored raw data (no RPC)"),
            std::string::npos)
      << stopped.out;
  EXPECT_EQ(proxied_requests(), requests_before) << "a reindex from raw data must not call the node";
  EXPECT_EQ(testing_support::chain_state_dump(database), before);

  // Daemon running: the request is handed over and answered; the daemon goes on.
  ChildProcess daemon({CHAINSYNCD_BINARY, "run", "--config", config.string()}, dir_.file("daemon.log"));
  head = drive(30, 32);
  ASSERT_TRUE(testing_support::wait_stored(database, head))
      << testing_support::read_file(dir_.file("daemon.log"));
  const auto running = testing_support::chainsyncd(
      {"reindex", "--chain", "bsc", "--from", std::to_string(head / 3), "--config", config.string()},
      dir_.path());
  EXPECT_EQ(running.exit_code, 0) << running.out;
  EXPECT_NE(running.out.find("the daemon is running"), std::string::npos) << running.out;
  EXPECT_NE(running.out.find("ok: re-derived bsc blocks"), std::string::npos) << running.out;
  head = drive(10, 33);  // and it keeps following the head
  ASSERT_TRUE(testing_support::wait_stored(database, head))
      << testing_support::read_file(dir_.file("daemon.log"));
  daemon.kill(SIGTERM);
  EXPECT_EQ(daemon.wait(), 0);
  EXPECT_EQ(testing_support::chain_state_dump(database), fresh_dump("fresh.db", head));
}

TEST_F(BscReindexTest, ReindexBelowWhereTheDatabaseBeganFetchesTheMissingBlocks) {
  const auto config = dir_.file("chainsyncd.toml");
  const auto database = dir_.file("store.db");
  const std::uint64_t head = head_;
  const std::uint64_t late_start = head / 2;
  testing_support::write_daemon_config(config, database, proxy_url_, deployment_,
                                       {"start_block = " + std::to_string(late_start)});
  sync_with_daemon(config, database, head);

  const auto reindexed = testing_support::chainsyncd(
      {"reindex", "--chain", "bsc", "--from", "1", "--config", config.string()}, dir_.path());
  EXPECT_EQ(reindexed.exit_code, 0) << reindexed.out;
  EXPECT_NE(reindexed.out.find("rolled bsc back to block 0"), std::string::npos) << reindexed.out;
  EXPECT_EQ(testing_support::stored_height(database).value_or(99), 0u);
  sync_with_daemon(config, database, head);
  EXPECT_EQ(testing_support::chain_state_dump(database), fresh_dump("fresh.db", head, 1));
}

TEST_F(BscReindexTest, BadArgumentsAreUsageErrors) {
  const auto config = dir_.file("chainsyncd.toml");
  testing_support::write_daemon_config(config, dir_.file("store.db"), proxy_url_, deployment_);
  const auto bad_chain = testing_support::chainsyncd(
      {"reindex", "--chain", "eth", "--from", "1", "--config", config.string()}, dir_.path());
  EXPECT_EQ(bad_chain.exit_code, 2);
  EXPECT_NE(bad_chain.out.find("--chain: must be bsc, solana or tron"), std::string::npos) << bad_chain.out;
  const auto no_from =
      testing_support::chainsyncd({"reindex", "--chain", "bsc", "--config", config.string()}, dir_.path());
  EXPECT_EQ(no_from.exit_code, 2) << no_from.out;
  const auto no_store = testing_support::chainsyncd(
      {"reindex", "--chain", "bsc", "--from", "5", "--config", config.string()}, dir_.path());
  EXPECT_EQ(no_store.exit_code, 1);
  EXPECT_NE(no_store.out.find("no database yet"), std::string::npos) << no_store.out;
}

}  // namespace
}  // namespace csd
