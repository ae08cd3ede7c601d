// A chain whose node is unreachable (issue 7): `chainsyncd run` pointed at a
// port nobody listens on keeps running and retrying, shows the problem in
// /v1/status, /health and `chainsyncd status --json`, keeps the API serving,
// and recovers by itself once a node (anvil) comes up on that port.
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/api/support/http_test_client.hpp"
#include "tests/chains/support/daemon_process.hpp"
#include "tests/chains/support/devnet.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd {
namespace {

using testing_support::Anvil;
using testing_support::AnvilPort;
using testing_support::ChildProcess;
using testing_support::devnet_script;
using testing_support::HttpTestClient;
using testing_support::read_file;
using testing_support::TempDir;

// Generous: the machine may be loaded (ASan, 2 cores), and the daemon's retry
// backoff grows to 30 s while the node is down.
constexpr std::chrono::seconds kTimeout{180};

bool eventually(const std::function<bool()>& condition, std::chrono::seconds timeout = kTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return condition();
}

// The port of "HTTP API listening on 127.0.0.1:PORT" in the daemon's log.
std::optional<std::uint16_t> logged_api_port(const std::filesystem::path& log) {
  // (No std::regex: GCC 12 warns inside it at -O1, and warnings are errors.)
  constexpr std::string_view kListening = "HTTP API listening on ";
  const std::string text = read_file(log);
  const auto at = text.find(kListening);
  if (at == std::string::npos) return std::nullopt;
  const auto colon = text.find(':', at + kListening.size());
  const auto end = text.find('\n', at);
  if (colon == std::string::npos || end == std::string::npos || colon > end) return std::nullopt;
  return static_cast<std::uint16_t>(std::stoul(text.substr(colon + 1, end - colon - 1)));
}

// GET `target` as JSON; a null document unless the body parses.
nlohmann::json get_json(HttpTestClient& client, const std::string& target, unsigned& status) {
  const auto response = client.get(target);
  status = response.status;
  return nlohmann::json::parse(response.body, nullptr, false);
}

nlohmann::json bsc_status(HttpTestClient& client) {
  unsigned status = 0;
  nlohmann::json body = get_json(client, "/v1/status", status);
  if (status != 200 || !body.is_object()) return nullptr;
  return body["chains"]["bsc"];
}

TEST(UnreachableNode, DaemonKeepsServingAndRecoversWhenTheNodeComesUp) {
  TempDir dir;
  // The contract addresses the config needs: anvil's account 0 deploys them
  // at nonces 0.., so a deployment on any fresh anvil gives the same
  // addresses (checked again below on the real node).
  nlohmann::json deployment;
  {
    Anvil scratch(dir.path());
    devnet_script("deploy.mjs", {"--rpc", scratch.url(), "--out", dir.file("scratch.json").string()},
                  dir.path());
    deployment = nlohmann::json::parse(read_file(dir.file("scratch.json")));
  }

  const std::uint16_t node_port = testing_support::free_port();  // bound, read back, closed: nobody listens
  const std::string endpoint = "127.0.0.1:" + std::to_string(node_port);
  const auto config = dir.file("chainsyncd.toml");
  const auto database = dir.file("unreachable.db");
  const auto log = dir.file("daemon.log");
  testing_support::write_daemon_config(config, database, "http://" + endpoint, deployment);
  ChildProcess daemon({CHAINSYNCD_BINARY, "run", "--config", config.string()}, log);

  std::optional<std::uint16_t> api_port;
  ASSERT_TRUE(eventually([&] { return (api_port = logged_api_port(log)).has_value(); })) << read_file(log);
  HttpTestClient client(*api_port);

  // /v1/status: the last error names the endpoint; no head was ever seen.
  nlohmann::json bsc;
  ASSERT_TRUE(eventually([&] {
    bsc = bsc_status(client);
    return bsc.is_object() && bsc["last_error"].is_string();
  })) << read_file(log);
  const std::string last_error = bsc["last_error"].get<std::string>();
  EXPECT_NE(last_error.find(endpoint), std::string::npos) << last_error;
  std::cout << "[ no node  ] last_error: " << last_error << "\n";
  EXPECT_TRUE(bsc["head"].is_null()) << bsc.dump();
  EXPECT_TRUE(bsc["indexed"].is_null()) << bsc.dump();
  EXPECT_TRUE(bsc["last_error_at"].is_string()) << bsc.dump();
  EXPECT_EQ(bsc["enabled"], true);

  // /health: SPEC 5 — 503 "degraded" with a reason naming the chain.
  unsigned status = 0;
  const nlohmann::json health = get_json(client, "/health", status);
  EXPECT_EQ(status, 503u) << health.dump();
  EXPECT_EQ(health["status"], "degraded") << health.dump();
  ASSERT_TRUE(health["reasons"].is_array()) << health.dump();
  ASSERT_FALSE(health["reasons"].empty());
  EXPECT_EQ(health["reasons"][0].get<std::string>().rfind("bsc:", 0), 0u) << health.dump();

  // The rest of the API answers: routes that do not need BSC with 200, a BSC
  // view with SPEC 5's 503 "not synced far enough", carrying the chain's status.
  const std::string user = deployment.at("users").at(0).get<std::string>();
  for (const std::string target : {"/v1/discount-tiers", "/openapi.json", "/metrics"}) {
    EXPECT_EQ(client.get(target).status, 200u) << target;
  }
  const nlohmann::json not_ready = get_json(client, "/v1/access/" + user, status);
  EXPECT_EQ(status, 503u) << not_ready.dump();
  EXPECT_EQ(not_ready["error"]["code"], "CHAIN_NOT_READY") << not_ready.dump();

  // `chainsyncd status --json`, from the database, shows the same error.
  const auto printed =
      testing_support::chainsyncd({"status", "--json", "--config", config.string()}, dir.path());
  ASSERT_EQ(printed.exit_code, 0) << printed.out;
  const auto status_json = testing_support::last_json_line(printed.out);
  bool listed = false;
  for (const auto& chain : status_json.at("chains")) {
    if (chain.value("chain", "") != "bsc") continue;
    listed = true;
    ASSERT_TRUE(chain["last_error"].is_string()) << printed.out;
    EXPECT_NE(chain["last_error"].get<std::string>().find(endpoint), std::string::npos) << printed.out;
  }
  EXPECT_TRUE(listed) << printed.out;

  // Still running, still retrying.
  int code = -1;
  ASSERT_FALSE(daemon.wait_for(std::chrono::milliseconds(100), code)) << "exited " << code << read_file(log);

  // The node comes up on that port: the daemon recovers on its own.
  Anvil anvil(dir.path(), AnvilPort{node_port});
  devnet_script("deploy.mjs", {"--rpc", anvil.url(), "--out", dir.file("deployment.json").string()},
                dir.path());
  const auto real = nlohmann::json::parse(read_file(dir.file("deployment.json")));
  ASSERT_EQ(real.at("contracts"), deployment.at("contracts"));
  devnet_script("drive.mjs",
                {"--rpc", anvil.url(), "--deployment", dir.file("deployment.json").string(), "--seed", "7",
                 "--steps", "10"},
                dir.path());

  ASSERT_TRUE(eventually([&] {
    bsc = bsc_status(client);
    return bsc.is_object() && bsc["last_error"].is_null() && bsc["indexed"].is_number();
  })) << bsc.dump()
      << "\n"
      << read_file(log);
  const auto first = bsc["indexed"].get<std::uint64_t>();
  // The checkpoint keeps advancing with new blocks.
  devnet_script("drive.mjs",
                {"--rpc", anvil.url(), "--deployment", dir.file("deployment.json").string(), "--seed", "8",
                 "--steps", "5"},
                dir.path());
  ASSERT_TRUE(eventually([&] {
    bsc = bsc_status(client);
    return bsc.is_object() && bsc["indexed"].is_number() && bsc["indexed"].get<std::uint64_t>() > first &&
           bsc["head"] == bsc["indexed"];
  })) << bsc.dump();
  EXPECT_TRUE(bsc["last_error"].is_null()) << bsc.dump();
  nlohmann::json healthy;
  EXPECT_TRUE(eventually([&] {
    healthy = get_json(client, "/health", status);
    return status == 200;
  })) << healthy.dump();
  EXPECT_EQ(healthy["status"], "healthy");
  EXPECT_EQ(client.get("/v1/access/" + user).status, 200u);

  daemon.kill(SIGTERM);
  ASSERT_TRUE(daemon.wait_for(std::chrono::seconds(30), code)) << "no exit after SIGTERM";
  EXPECT_EQ(code, 0) << read_file(log);
}

}  // namespace
}  // namespace csd
