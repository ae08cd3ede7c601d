// Config: the daemon's configuration, SPEC section 7 — a TOML file (toml++)
// with defaults for every key, overridable per key by the environment
// variable CHAINSYNCD_<SECTION>_<KEY> (upper case; the value is read as a TOML
// value, so `["http://a","http://b"]` is an array and a bare word is a
// string). Validation is strict: unknown keys, wrong types, bad addresses
// and impossible values are errors of the form "<key>: <problem>" (the caller
// prints "config error: " before it and exits 2, SPEC 6).
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/result.hpp"

namespace csd::daemon {

inline constexpr std::string_view kDefaultConfigPath = "/etc/chainsyncd/chainsyncd.toml";

struct DaemonSection {
  std::filesystem::path database = "/var/lib/chainsyncd/chainsyncd.db";
  std::string log_level = "info";   // trace debug info warn error
  std::string log_format = "text";  // text | json
  std::filesystem::path log_file;   // empty: stderr (journald); else appended to, reopened on SIGHUP
  // Backfill progress lines (blocks/s, logs/s, ETA) at most this often.
  std::uint64_t progress_interval_s = 10;
};

struct ApiSection {
  std::string listen = "127.0.0.1:8645";
  std::string auth = "none";  // none | signature
  std::vector<std::string> bearer_tokens;
  std::uint64_t max_connections = 1024;
};

struct BscSection {
  bool enabled = true;
  std::uint64_t chain_id = 56;
  std::vector<std::string> rpc_urls{"http://127.0.0.1:8545"};
  std::string ws_url;  // empty: poll
  std::uint64_t start_block = 0;
  std::uint64_t confirmations = 15;
  std::uint64_t max_reorg_depth = 64;
  std::uint64_t getlogs_max_range = 5000;
  std::uint64_t poll_interval_ms = 1000;
  TstContracts contracts;
};

struct SolanaSection {
  bool enabled = true;
  std::vector<std::string> rpc_urls{"http://127.0.0.1:8899"};
  std::string ws_url;
  std::string commitment = "confirmed";  // processed | confirmed | finalized
  SolanaPubkey program_id;
  SolanaPubkey pool;
  std::uint64_t token_decimals = 9;
  std::uint64_t reconcile_interval_s = 300;
};

struct TronSection {
  bool enabled = true;
  std::vector<std::string> rpc_urls{"http://127.0.0.1:8090"};
  std::string api_key;
  std::uint64_t start_block = 0;
  std::uint64_t solid_confirmations = 19;
  std::uint64_t max_reorg_depth = 32;
  std::uint64_t poll_interval_ms = 3000;
  TronAddress usdt;
  std::vector<PayoutRouter> routers;
};

struct Config {
  DaemonSection daemon;
  ApiSection api;
  BscSection bsc;
  SolanaSection solana;
  TronSection tron;
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Parses and validates TOML text (`origin` names it in messages).
[[nodiscard]] Result<Config> parse_config(std::string_view toml_text, std::string_view origin,
                                          const EnvLookup& env);
// Reads the file, then parse_config. A missing file is an error naming the path.
[[nodiscard]] Result<Config> load_config(const std::filesystem::path& path, const EnvLookup& env);
// The process environment.
[[nodiscard]] EnvLookup process_env();

}  // namespace csd::daemon
