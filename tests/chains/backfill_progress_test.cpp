// Backfill progress lines (issue 7: "backfill progress lines (blocks/s,
// logs/s, ETA) at a steady cadence, not one per block"): the real
// `chainsyncd run` backfills a devnet of thousands of blocks one block per
// eth_getLogs range; its log has progress lines with the three figures, at
// least [daemon] progress_interval_s apart, far fewer than the blocks.
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/chains/support/daemon_process.hpp"
#include "tests/chains/support/devnet.hpp"
#include "tests/chains/support/rpc_proxy.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd {
namespace {

using testing_support::Anvil;
using testing_support::ChildProcess;
using testing_support::devnet_script;
using testing_support::read_file;
using testing_support::TempDir;

constexpr int kEmptyBlocks = 3000;  // mined at once (anvil_mine): the bulk of the backfill
constexpr int kProgressIntervalS = 1;
// Every request to the node waits this long (rpc_fault_proxy.mjs --delay-ms),
// so a one-block range costs >= 3 such waits and the backfill lasts well over
// kProgressIntervalS even on a fast machine.
constexpr int kNodeDelayMs = 2;

// anvil_mine(count), then the node's head (anvil's RPC, through node's fetch).
std::uint64_t mine(const std::string& rpc, int count, const std::filesystem::path& scratch) {
  const std::string script =
      "const call = (method, params) => fetch(process.argv[1], {method: 'POST', headers: {'content-type': "
      "'application/json'}, body: JSON.stringify({jsonrpc: '2.0', id: 1, method, params})}).then((r) => "
      "r.json());"
      "call('anvil_mine', ['0x' + Number(process.argv[2]).toString(16)])"
      ".then(() => call('eth_blockNumber', [])).then((r) => console.log(Number(BigInt(r.result))))"
      ".catch((e) => { console.error(e); process.exit(1); });";
  const auto result =
      testing_support::run_process({"node", "-e", script, rpc, std::to_string(count)}, scratch);
  if (result.exit_code != 0) throw std::runtime_error("anvil_mine: " + result.out);
  return std::stoull(result.out);
}

// The config the crash test uses, with the progress cadence set.
void write_config(const std::filesystem::path& path, const std::filesystem::path& database,
                  const std::string& rpc, const nlohmann::json& deployment) {
  testing_support::write_daemon_config(path, database, rpc, deployment);
  std::string text = read_file(path);
  const std::string range = "getlogs_max_range = 2\n";
  text.replace(text.find(range), range.size(), "getlogs_max_range = 1\n");  // one block per range
  const std::string daemon = "[daemon]\n";
  text.insert(text.find(daemon) + daemon.size(),
              "progress_interval_s = " + std::to_string(kProgressIntervalS) + "\n");
  std::ofstream(path) << text;
}

// One progress line's figures (bsc_sync.cpp log_progress):
// "… info bsc: backfill at block H of N, B blocks/s, L logs/s, ETA S s|unknown".
// (No std::regex: GCC 12 warns inside it at -O1, and warnings are errors.)
struct Progress {
  std::uint64_t height = 0;
  std::uint64_t head = 0;
  std::uint64_t blocks_per_s = 0;
  std::uint64_t logs_per_s = 0;
  std::string eta;
};

std::optional<Progress> parse_progress(const std::string& line) {
  constexpr std::string_view kStart = " info bsc: backfill at block ";
  const auto at = line.find(kStart);
  if (at == std::string::npos) return std::nullopt;
  Progress out;
  int consumed = 0;
  const int fields =
      std::sscanf(line.c_str() + at + kStart.size(),
                  "%" SCNu64 " of %" SCNu64 ", %" SCNu64 " blocks/s, %" SCNu64 " logs/s, ETA %n", &out.height,
                  &out.head, &out.blocks_per_s, &out.logs_per_s, &consumed);
  if (fields != 4 || consumed == 0) return std::nullopt;
  out.eta = line.substr(at + kStart.size() + static_cast<std::size_t>(consumed));
  const bool seconds = out.eta.size() > 2 && out.eta.ends_with(" s") &&
                       out.eta.find_first_not_of("0123456789") == out.eta.size() - 2;
  if (out.eta != "unknown" && !seconds) return std::nullopt;
  return out;
}

// Milliseconds of the day from "2026-11-24T01:02:03.456Z …" (the text format).
std::int64_t line_time_ms(const std::string& line) {
  std::tm parts{};
  std::istringstream in(line.substr(0, 19));
  in >> std::get_time(&parts, "%Y-%m-%dT%H:%M:%S");
  const std::int64_t seconds = static_cast<std::int64_t>(timegm(&parts));
  return seconds * 1000 + std::stoll(line.substr(20, 3));
}

TEST(BackfillProgress, LinesCarryRatesAndEtaAtASteadyCadenceNotOnePerBlock) {
  TempDir dir;
  Anvil anvil(dir.path());
  const auto deployment_file = dir.file("deployment.json");
  devnet_script("deploy.mjs", {"--rpc", anvil.url(), "--out", deployment_file.string()}, dir.path());
  const auto deployment = nlohmann::json::parse(read_file(deployment_file));
  devnet_script("drive.mjs",
                {"--rpc", anvil.url(), "--deployment", deployment_file.string(), "--seed", "5", "--steps",
                 "20", "--bulk-logs", "5000"},
                dir.path());
  const std::uint64_t head = mine(anvil.url(), kEmptyBlocks, dir.path());
  ASSERT_GT(head, static_cast<std::uint64_t>(kEmptyBlocks));

  const auto config = dir.file("chainsyncd.toml");
  const auto database = dir.file("progress.db");
  const auto log = dir.file("daemon.log");
  testing_support::RpcProxy slow_node(anvil.url(), dir.path(), {"--delay-ms", std::to_string(kNodeDelayMs)});
  write_config(config, database, slow_node.url(), deployment);
  {
    ChildProcess daemon(
        {"env", "-u", "JOURNAL_STREAM", CHAINSYNCD_BINARY, "run", "--config", config.string()}, log);
    int code = -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(900);
    while (testing_support::stored_height(database).value_or(0) < head) {
      ASSERT_FALSE(daemon.wait_for(std::chrono::milliseconds(200), code))
          << "exited " << code << read_file(log);
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << read_file(log);
    }
    daemon.kill(SIGTERM);
    ASSERT_TRUE(daemon.wait_for(std::chrono::seconds(30), code));
    EXPECT_EQ(code, 0) << read_file(log);
  }

  std::vector<std::string> lines;
  std::istringstream text(read_file(log));
  std::uint64_t previous_height = 0;
  for (std::string line; std::getline(text, line);) {
    if (line.find("backfill at block") == std::string::npos) continue;
    const auto figures = parse_progress(line);
    ASSERT_TRUE(figures) << "not a progress line with blocks/s, logs/s and ETA: " << line;
    EXPECT_GT(figures->height, previous_height) << line;
    EXPECT_LE(figures->height, figures->head) << line;
    previous_height = figures->height;
    lines.push_back(line);
  }
  std::cout << "[ progress ] " << lines.size() << " progress lines for a backfill of " << head << " blocks\n";
  // At least two lines: thousands of one-block ranges through the slowed
  // node take far longer than two progress intervals.
  ASSERT_GE(lines.size(), 2u) << read_file(log);
  // Not one per block, nor one per range: a steady cadence.
  EXPECT_LT(lines.size() * 10, head) << lines.size() << " lines for " << head << " blocks";
  for (std::size_t i = 1; i < lines.size(); ++i) {
    // The log's millisecond stamps; the daemon's clock is steady, the stamps
    // are wall time, so allow a little for their rounding.
    EXPECT_GE(line_time_ms(lines[i]) - line_time_ms(lines[i - 1]), kProgressIntervalS * 1000 - 50)
        << lines[i - 1] << "\n"
        << lines[i];
  }
}

}  // namespace
}  // namespace csd
