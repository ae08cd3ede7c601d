// The local BSC devnet for end-to-end tests: anvil from npm on a free port,
// and the devnet's node scripts (contrib/devnet: deploy, drive, reorg and the
// independent oracle). Also the store's state in the oracle's JSON shape, so
// a test compares the two documents and a mismatch prints both.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "decoders/evm_address.hpp"
#include "decoders/hex.hpp"
#include "store/queries.hpp"
#include "tests/support/process.hpp"

namespace csd::testing_support {

inline std::filesystem::path source_dir() {
  return CHAINSYNCD_SOURCE_DIR;
}

inline std::filesystem::path anvil_binary() {
  return source_dir() / "contrib/node/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
}

// A TCP port nobody listens on right now (the kernel's pick for port 0).
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("free_port: cannot bind");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

// Runs `node contrib/devnet/<script> args…`; throws with its output on failure.
inline std::string devnet_script(const std::string& script, const std::vector<std::string>& args,
                                 const std::filesystem::path& scratch) {
  std::vector<std::string> argv{"node", (source_dir() / "contrib/devnet" / script).string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult result = run_process(argv, scratch);
  if (result.exit_code != 0) {
    throw std::runtime_error(script + " exited " + std::to_string(result.exit_code) + ":\n" + result.out);
  }
  return result.out;
}

// The last line of a script's output that parses as a JSON object.
inline nlohmann::json last_json_line(const std::string& output) {
  std::size_t end = output.size();
  while (end > 0) {
    const std::size_t begin = output.rfind('\n', end - 1);
    const std::size_t start = begin == std::string::npos ? 0 : begin + 1;
    const std::string line = output.substr(start, end - start);
    if (!line.empty() && line.front() == '{') {
      auto parsed = nlohmann::json::parse(line, nullptr, false);
      if (!parsed.is_discarded()) return parsed;
    }
    if (begin == std::string::npos) break;
    end = begin;
  }
  throw std::runtime_error("no JSON line in output:\n" + output);
}

// A port chosen by the test for Anvil (e.g. one the daemon already retries).
struct AnvilPort {
  std::uint16_t value = 0;
};

// anvil as the local BSC (chain id 56), on a free port (or the given one),
// killed with the object.
class Anvil {
 public:
  explicit Anvil(const std::filesystem::path& scratch, std::vector<std::string> extra = {})
      : Anvil(scratch, AnvilPort{free_port()}, std::move(extra)) {}
  Anvil(const std::filesystem::path& scratch, AnvilPort port, std::vector<std::string> extra = {})
      : port_(port.value), log_(scratch / ("anvil-" + std::to_string(port_) + ".log")) {
    std::vector<std::string> argv{anvil_binary().string(), "--chain-id", "56",       "--port",
                                  std::to_string(port_),   "--host",     "127.0.0.1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_.emplace(argv, log_);
    wait_until_up();
  }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  void wait_until_up() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(port_);
      const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
      ::close(fd);
      if (up) return;
      int code = 0;
      if (process_->wait_for(std::chrono::milliseconds(100), code)) {
        throw std::runtime_error("anvil exited " + std::to_string(code) + ": " + read_file(log_));
      }
    }
    throw std::runtime_error("anvil did not come up on port " + std::to_string(port_));
  }

  std::uint16_t port_;
  std::filesystem::path log_;
  std::optional<ChildProcess> process_;
};

inline std::string hex(const Hash32& hash) {
  return to_hex(hash.span());
}

// The store's access view of `address` in the oracle's JSON shape
// (contrib/devnet/README.md "oracle").
inline nlohmann::json access_json(const AccessView& view) {
  nlohmann::json out;
  out["tst_balance"] = to_decimal(view.tst_balance);
  out["tst_staked"] = to_decimal(view.tst_staked);
  out["tst_locked"] = to_decimal(view.tst_locked);
  out["tst_total"] = to_decimal(view.tst_total);
  out["current_tier"] = view.current_tier;
  out["tier_active_until"] =
      view.tier_active_until ? nlohmann::json(*view.tier_active_until) : nlohmann::json(nullptr);
  out["locks"] = nlohmann::json::array();
  for (const LockView& lock : view.locks) {
    out["locks"].push_back({{"lock_id", hex(lock.lock_id)},
                            {"agreement_id", lock.agreement_id},
                            {"amount", to_decimal(lock.amount)},
                            {"tier", lock.tier},
                            {"locked_until", lock.locked_until},
                            {"status", std::string(lock_status_name(lock.status))},
                            {"days_remaining", lock.days_remaining},
                            {"tx_hash", hex(lock.tx_hash)}});
  }
  out["stakes"] = nlohmann::json::array();
  for (const StakeView& stake : view.stakes) {
    out["stakes"].push_back({{"stake_id", hex(stake.stake_id)},
                             {"tier", stake.tier},
                             {"amount", to_decimal(stake.amount)},
                             {"staked_at", stake.staked_at},
                             {"expires_at", stake.expires_at},
                             {"status", std::string(stake_status_name(stake.status))},
                             {"tx_hash", hex(stake.tx_hash)}});
  }
  const auto quota = [](const std::optional<EntityQuotaView>& q) -> nlohmann::json {
    if (!q) return nullptr;
    return {{"reservation_id", hex(q->reservation_id)},
            {"total", q->total},
            {"used_today", q->used_today},
            {"available", q->available},
            {"reserved_until", q->reserved_until},
            {"reset_at", q->reset_at}};
  };
  out["entity_quotas"] = {{"risk", quota(view.entity_quotas.risk)},
                          {"strategy", quota(view.entity_quotas.strategy)},
                          {"memory", quota(view.entity_quotas.memory)}};
  return out;
}

}  // namespace csd::testing_support
