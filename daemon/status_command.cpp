// `chainsyncd status [--json]` (SPEC 6, issue 7): the sync state of every
// chain, read from the database alone — it works with the daemon stopped.
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "daemon/config.hpp"
#include "daemon/run_command.hpp"
#include "decoders/hex.hpp"
#include "store/queries.hpp"

namespace csd::daemon {
namespace {

bool chain_enabled(const Config& config, ChainId chain) {
  switch (chain) {
    case ChainId::kBsc:
      return config.bsc.enabled;
    case ChainId::kSolana:
      return config.solana.enabled;
    case ChainId::kTron:
      return config.tron.enabled;
  }
  return false;
}

nlohmann::json chain_json(const ChainStatusView& view, bool enabled) {
  nlohmann::json out;
  out["chain"] = std::string(chain_name(view.chain));
  out["enabled"] = enabled;
  out["indexed"] = view.indexed ? nlohmann::json(*view.indexed) : nlohmann::json(nullptr);
  out["indexed_hash"] =
      view.indexed ? nlohmann::json(to_hex(view.indexed_hash.span())) : nlohmann::json(nullptr);
  out["indexed_time"] = view.indexed_time;
  out["finalized"] = view.finalized ? nlohmann::json(*view.finalized) : nlohmann::json(nullptr);
  out["head"] = view.head ? nlohmann::json(*view.head) : nlohmann::json(nullptr);
  const std::uint64_t indexed = view.indexed.value_or(0);
  out["lag"] = view.head && *view.head > indexed ? *view.head - indexed : 0;
  out["syncing"] = view.syncing;
  out["rpc_endpoint"] = view.rpc_endpoint;
  out["last_error"] = view.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(view.last_error);
  out["last_error_at"] = view.last_error_at;
  out["updated_at"] = view.updated_at;
  out["anomalies"] = view.anomalies;
  if (view.accounts_tracked) out["accounts_tracked"] = *view.accounts_tracked;
  return out;
}

std::string chain_line(const nlohmann::json& chain) {
  std::string line = chain["chain"].get<std::string>() + ": ";
  if (!chain["enabled"].get<bool>()) line += "disabled, ";
  if (chain["indexed"].is_null()) {
    line += "nothing indexed yet";
  } else {
    line += "indexed " + std::to_string(chain["indexed"].get<std::uint64_t>());
  }
  if (!chain["head"].is_null()) {
    line += ", head " + std::to_string(chain["head"].get<std::uint64_t>()) + ", lag " +
            std::to_string(chain["lag"].get<std::uint64_t>());
  }
  if (!chain["finalized"].is_null())
    line += ", finalized " + std::to_string(chain["finalized"].get<std::uint64_t>());
  if (chain["syncing"].get<bool>()) line += ", backfilling";
  if (!chain["rpc_endpoint"].get<std::string>().empty())
    line += ", via " + chain["rpc_endpoint"].get<std::string>();
  if (!chain["last_error"].is_null()) line += ", last error: " + chain["last_error"].get<std::string>();
  return line;
}

}  // namespace

int print_status(const std::filesystem::path& config_path, bool json) {
  auto config = load_config(config_path, process_env());
  if (!config) {
    std::cerr << "config error: " << config.error().message << "\n";
    return 2;
  }
  const std::filesystem::path& database = config->daemon.database;
  if (!std::filesystem::exists(database)) {
    std::cerr << "status: " << database.string() << ": no database yet (the daemon has not run)\n";
    return 1;
  }
  auto db = Database::open_reader(database);
  if (!db) {
    std::cerr << "status: " << database.string() << ": " << db.error().message << "\n";
    return 1;
  }
  auto txn = db->begin_read();
  if (!txn) {
    std::cerr << "status: " << txn.error().message << "\n";
    return 1;
  }
  const QueryConfig query_config;
  Queries queries(*txn, query_config);
  auto status = queries.status();
  if (!status) {
    std::cerr << "status: " << status.error().message << "\n";
    return 1;
  }
  nlohmann::json out;
  out["database"] = database.string();
  out["database_bytes"] = store_bytes_on_disk(database);
  out["chains"] = nlohmann::json::array();
  for (const ChainStatusView& view : status->chains) {
    out["chains"].push_back(chain_json(view, chain_enabled(*config, view.chain)));
  }
  if (json) {
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::cout << "database " << database.string() << " (" << out["database_bytes"].get<std::uintmax_t>()
            << " bytes)\n";
  for (const auto& chain : out["chains"]) std::cout << chain_line(chain) << "\n";
  return 0;
}

}  // namespace csd::daemon
