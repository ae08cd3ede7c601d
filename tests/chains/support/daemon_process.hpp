// The chainsyncd binary as an operator runs it, for the crash and reindex
// tests: a config file for the devnet, the stored checkpoint read from the
// database while the daemon runs, and one-shot commands (reindex, status).
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/queries.hpp"
#include "tests/support/process.hpp"

namespace csd::testing_support {

// A [daemon] + [api] + [bsc] config for the devnet deployment; `extra_bsc`
// lines go into [bsc] (e.g. "start_block = 40").
inline void write_daemon_config(const std::filesystem::path& path, const std::filesystem::path& database,
                                const std::string& rpc, const nlohmann::json& deployment,
                                const std::vector<std::string>& extra_bsc = {}) {
  std::ofstream out(path);
  const auto& contracts = deployment.at("contracts");
  out << "[daemon]\ndatabase = \"" << database.string() << "\"\nlog_level = \"info\"\n"
      << "[api]\nlisten = \"127.0.0.1:0\"\n"
      << "[bsc]\nchain_id = 56\nrpc_urls = [\"" << rpc << "\"]\npoll_interval_ms = 100\n"
      << "confirmations = 5\ngetlogs_max_range = 2\n";
  for (const std::string& line : extra_bsc) out << line << "\n";
  out << "[bsc.contracts]\n"
      << "tst = \"" << contracts.at("tst").get<std::string>() << "\"\n"
      << "escrow = \"" << contracts.at("escrow").get<std::string>() << "\"\n"
      << "staking = \"" << contracts.at("staking").get<std::string>() << "\"\n"
      << "compute_reserve = \"" << contracts.at("compute_reserve").get<std::string>() << "\"\n";
}

// The BSC checkpoint of a store, read like any reader would; nullopt while
// there is no store or nothing indexed.
inline std::optional<std::uint64_t> stored_height(const std::filesystem::path& database) {
  if (!std::filesystem::exists(database)) return std::nullopt;
  auto db = Database::open_reader(database);
  if (!db) return std::nullopt;  // not initialised yet
  auto txn = db->begin_read();
  if (!txn) return std::nullopt;
  const QueryConfig config;
  Queries queries(*txn, config);
  auto as_of = queries.as_of(ChainId::kBsc);
  if (!as_of || !*as_of) return std::nullopt;
  return (*as_of)->block;
}

// Waits until the store's checkpoint reaches `height`.
inline bool wait_stored(const std::filesystem::path& database, std::uint64_t height,
                        std::chrono::seconds timeout = std::chrono::seconds(300)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (stored_height(database).value_or(0) >= height) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// `chainsyncd <args…>` to completion.
inline ProcessResult chainsyncd(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
  std::vector<std::string> argv{CHAINSYNCD_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, scratch);
}

}  // namespace csd::testing_support
