// An in-process BSC sync against a test node: a store in a temp dir, its
// writer thread, and BscSync on its own thread — what `chainsyncd run` wires,
// without the process around it, so a test can watch the metrics and read
// the store while it runs.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "chains/bsc/bsc_sync.hpp"
#include "chains/sync/writer_thread.hpp"
#include "decoders/evm_address.hpp"
#include "store/dump.hpp"
#include "store/queries.hpp"
#include "store/writer.hpp"
#include "tests/chains/support/devnet.hpp"

namespace csd::testing_support {

inline std::int64_t wall_clock() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline TstContracts contracts_of(const nlohmann::json& deployment) {
  const auto address = [&](const char* role) {
    auto parsed = parse_evm_address(deployment.at("contracts").at(role).get<std::string>());
    if (!parsed) throw std::runtime_error(std::string("deployment: ") + role + ": " + parsed.error().message);
    return *parsed;
  };
  return TstContracts{address("tst"), address("escrow"), address("staking"), address("compute_reserve")};
}

inline BscSyncConfig sync_config(const std::string& rpc_url, const nlohmann::json& deployment) {
  BscSyncConfig config;
  config.chain_id = 56;
  config.rpc.urls = {rpc_url};
  config.rpc.request_timeout = std::chrono::milliseconds(30'000);
  config.rpc.retry.initial_backoff = std::chrono::milliseconds(50);
  config.rpc.retry.max_backoff = std::chrono::milliseconds(1'000);
  config.poll_interval = std::chrono::milliseconds(100);
  config.confirmations = 5;
  config.max_reorg_depth = 64;
  config.getlogs_max_range = 1000;
  config.contracts = contracts_of(deployment);
  return config;
}

class SyncHarness {
 public:
  SyncHarness(const std::filesystem::path& database, BscSyncConfig config) : database_(database) {
    StoreContracts contracts;
    contracts.bsc = config.contracts;
    auto writer = Writer::open(database, contracts, wall_clock);
    if (!writer) throw std::runtime_error("Writer::open: " + writer.error().message);
    writer_ = std::make_unique<StoreWriterThread>(std::move(*writer));
    auto sync =
        BscSync::create(std::move(config), *writer_, metrics_, [this](LogLevel, std::string_view line) {
          const std::lock_guard lock(log_mutex_);
          log_.emplace_back(line);
        });
    if (!sync) throw std::runtime_error("BscSync::create: " + sync.error().message);
    sync_ = std::move(*sync);
    thread_ = std::jthread([this](std::stop_token stop) {
      result_ = sync_->run(stop);
      finished_.store(true);
    });
  }
  ~SyncHarness() { (void)stop(); }

  // Stops the sync (it commits what it fetched) and the writer.
  Status stop() {
    if (thread_.joinable()) {
      thread_.request_stop();
      thread_.join();
    }
    if (writer_) writer_->stop();
    return result_;
  }

  // Waits until the store's checkpoint is at `height`; false after `timeout`.
  bool wait_indexed(std::uint64_t height, std::chrono::seconds timeout = std::chrono::seconds(180)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (metrics_.indexed.load() == height && metrics_.head.load() == height) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // Waits until run() returned on its own (a fatal condition); false after `timeout`.
  bool wait_finished(std::chrono::seconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (finished_.load()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  [[nodiscard]] ChainMetrics& metrics() { return metrics_; }
  [[nodiscard]] RpcStatsSnapshot rpc_stats() const { return sync_->rpc_stats().snapshot(); }
  [[nodiscard]] std::string log_text() {
    const std::lock_guard lock(log_mutex_);
    std::string text;
    for (const auto& line : log_) text += line + "\n";
    return text;
  }

 private:
  std::filesystem::path database_;
  ChainMetrics metrics_;
  std::unique_ptr<StoreWriterThread> writer_;
  std::unique_ptr<BscSync> sync_;
  Status result_;
  std::atomic<bool> finished_{false};
  std::mutex log_mutex_;
  std::vector<std::string> log_;
  std::jthread thread_;  // last: joined first
};

// Every chain-derived table of the store, canonically dumped: the raw logs and
// everything derived from them. Left out: `checkpoint` (its updated_at is the
// writer's clock), `block` (which headers a sync keeps depends on where the
// head was when it fetched them) and the runtime `sync_status`.
inline std::string chain_state_dump(const std::filesystem::path& database) {
  auto db = Database::open_reader(database);
  if (!db) throw std::runtime_error("open_reader: " + db.error().message);
  auto names = dumped_tables(*db);
  if (!names) throw std::runtime_error(names.error().message);
  std::vector<std::string> tables;
  for (const std::string& name : *names)
    if (name != "checkpoint" && name != "block") tables.push_back(name);
  std::string out;
  for (const std::string& table : tables) {
    auto dumped = dump_table(*db, table);
    if (!dumped) throw std::runtime_error(dumped.error().message);
    out += *dumped;
  }
  return out;
}

// The store's access view of every address, in the oracle's shape.
inline nlohmann::json store_accesses(const std::filesystem::path& database,
                                     const std::set<std::string>& addresses, std::int64_t now) {
  auto db = Database::open_reader(database);
  if (!db) throw std::runtime_error("open_reader: " + db.error().message);
  auto txn = db->begin_read();
  if (!txn) throw std::runtime_error(txn.error().message);
  const QueryConfig config;
  Queries queries(*txn, config);
  nlohmann::json out = nlohmann::json::object();
  for (const std::string& text : addresses) {
    auto address = parse_evm_address(text);
    if (!address) throw std::runtime_error(text + ": " + address.error().message);
    auto view = queries.access(*address, now);
    if (!view) throw std::runtime_error("access " + text + ": " + view.error().message);
    out[text] = access_json(*view);
  }
  return out;
}

}  // namespace csd::testing_support
