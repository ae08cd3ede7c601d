#include "daemon/config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <memory>
#include <set>
#include <sstream>

// Header-only in this one file: Debian's shared libtomlplusplus is built with
// exceptions, and we want errors as values (toml::parse_result), like ours.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include "chains/rpc/url.hpp"
#include "decoders/evm_address.hpp"
#include "decoders/solana_pubkey.hpp"
#include "decoders/tron_address.hpp"

namespace csd::daemon {
namespace {

Error config_error(std::string_view key, std::string_view problem) {
  return make_error(ErrorCode::kInvalidArgument, std::string(key) + ": " + std::string(problem));
}

std::string upper_env_name(std::string_view path) {
  std::string name = "CHAINSYNCD_";
  for (const char c : path)
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date/time";
  }
}

std::string where(const toml::node& node) {
  const auto& begin = node.source().begin;
  return begin.line > 0 ? " (line " + std::to_string(begin.line) + ")" : " (from the environment)";
}

// Reads the keys of one table, each possibly overridden from the environment,
// and remembers which keys it read so finish() can name unknown ones.
class TableReader {
 public:
  TableReader(const toml::table* table, std::string path, bool env_overrides, const EnvLookup& env)
      : table_(table), path_(std::move(path)), env_overrides_(env_overrides), env_(&env) {}

  Status get(std::string_view key, std::string& out) {
    const toml::node* node = lookup(key);
    if (node == nullptr) return {};
    const auto* value = node->as_string();
    // From the environment, a string key takes the text as it is, even when
    // it also reads as another TOML value (0x… addresses read as integers).
    if (value == nullptr && last_env_text_) {
      out = *last_env_text_;
      return {};
    }
    if (value == nullptr) return wrong(key, *node, "a string");
    out = value->get();
    return {};
  }
  Status get(std::string_view key, bool& out) {
    const toml::node* node = lookup(key);
    if (node == nullptr) return {};
    const auto* value = node->as_boolean();
    if (value == nullptr) return wrong(key, *node, "a boolean (true or false)");
    out = value->get();
    return {};
  }
  Status get(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max) {
    const toml::node* node = lookup(key);
    if (node == nullptr) return {};
    const auto* value = node->as_integer();
    if (value == nullptr) return wrong(key, *node, "an integer");
    const std::int64_t number = value->get();
    if (number < 0 || static_cast<std::uint64_t>(number) < min || static_cast<std::uint64_t>(number) > max) {
      return config_error(full(key), "must be between " + std::to_string(min) + " and " +
                                         std::to_string(max) + ", got " + std::to_string(number) +
                                         where(*node));
    }
    out = static_cast<std::uint64_t>(number);
    return {};
  }
  Status get(std::string_view key, std::vector<std::string>& out) {
    const toml::node* node = lookup(key);
    if (node == nullptr) return {};
    const auto* array = node->as_array();
    if (array == nullptr) return wrong(key, *node, "an array of strings");
    std::vector<std::string> values;
    for (const toml::node& element : *array) {
      const auto* text = element.as_string();
      if (text == nullptr) return wrong(key, element, "an array of strings");
      values.push_back(text->get());
    }
    out = std::move(values);
    return {};
  }
  // A sub-table (e.g. [bsc.contracts]); nullptr when absent.
  Result<const toml::table*> table(std::string_view key) {
    seen_.insert(std::string(key));
    if (table_ == nullptr) return static_cast<const toml::table*>(nullptr);
    const toml::node* node = table_->get(key);
    if (node == nullptr) return static_cast<const toml::table*>(nullptr);
    if (node->as_table() == nullptr) return wrong(key, *node, "a table");
    return node->as_table();
  }
  Result<const toml::array*> array_of_tables(std::string_view key) {
    seen_.insert(std::string(key));
    if (table_ == nullptr) return static_cast<const toml::array*>(nullptr);
    const toml::node* node = table_->get(key);
    if (node == nullptr) return static_cast<const toml::array*>(nullptr);
    const auto* array = node->as_array();
    if (array == nullptr ||
        !std::all_of(array->begin(), array->end(), [](const toml::node& n) { return n.is_table(); })) {
      return wrong(key, *node, "an array of tables ([[" + full(key) + "]])");
    }
    return array;
  }
  // Every key of the table must have been read.
  Status finish() const {
    if (table_ == nullptr) return {};
    for (const auto& [key, node] : *table_) {
      if (seen_.count(std::string(key.str())) == 0) {
        return config_error(full(key.str()), "unknown key" + where(node));
      }
    }
    return {};
  }
  [[nodiscard]] std::string full(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

 private:
  const toml::node* lookup(std::string_view key) {
    seen_.insert(std::string(key));
    last_env_text_.reset();
    if (env_overrides_) {
      const std::string name = upper_env_name(full(key));
      if (auto text = (*env_)(name)) {
        last_env_text_ = *text;
        // Read the override as a TOML value; a bare word that is not one is a string.
        auto parsed = toml::parse("v = " + *text);
        auto& holder = overrides_.emplace_back(std::make_unique<toml::table>());
        if (parsed) {
          *holder = std::move(parsed).table();
        } else {
          holder->insert("v", *text);
        }
        return holder->get("v");
      }
    }
    return table_ == nullptr ? nullptr : table_->get(key);
  }
  Error wrong(std::string_view key, const toml::node& node, std::string_view expected) const {
    return config_error(full(key),
                        "expected " + std::string(expected) + ", got " + type_name(node) + where(node));
  }

  const toml::table* table_;
  std::string path_;
  bool env_overrides_;
  const EnvLookup* env_;
  std::set<std::string> seen_;
  std::vector<std::unique_ptr<toml::table>> overrides_;
  std::optional<std::string> last_env_text_;  // the raw override text of the last lookup
};

Status check_one_of(std::string_view key, const std::string& value,
                    std::initializer_list<std::string_view> allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return {};
  std::string list;
  for (const std::string_view option : allowed) list += (list.empty() ? "" : ", ") + std::string(option);
  return config_error(key, "must be one of " + list + ", got \"" + value + "\"");
}

Status check_urls(std::string_view key, const std::vector<std::string>& urls, bool required,
                  std::initializer_list<std::string_view> schemes) {
  if (required && urls.empty())
    return config_error(key, "must list at least one URL when the chain is enabled");
  for (const std::string& text : urls) {
    auto url = parse_url(text);
    if (!url) return config_error(key, url.error().message);
    if (std::find(schemes.begin(), schemes.end(), url->scheme) == schemes.end()) {
      return config_error(key, "\"" + url->redacted() + "\": scheme must be " +
                                   std::string(*schemes.begin()) + " or " +
                                   std::string(*(schemes.begin() + 1)));
    }
  }
  return {};
}

template <class Parsed, class Parse>
Status read_address(TableReader& reader, std::string_view key, bool required, Parsed& out, Parse parse) {
  std::string text;
  if (auto got = reader.get(key, text); !got) return got;
  if (text.empty()) {
    return required ? config_error(reader.full(key), "required when the chain is enabled") : Status{};
  }
  auto parsed = parse(text);
  if (!parsed) return config_error(reader.full(key), parsed.error().message);
  out = *parsed;
  return {};
}

#define CSD_TRY(expr)                      \
  do {                                     \
    if (auto status_ = (expr); !status_) { \
      return status_.error();              \
    }                                      \
  } while (false)

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kI64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

Status read_daemon(TableReader& r, DaemonSection& out) {
  std::string database = out.database.string();
  CSD_TRY(r.get("database", database));
  if (database.empty()) return config_error("daemon.database", "must not be empty");
  out.database = database;
  CSD_TRY(r.get("log_level", out.log_level));
  CSD_TRY(check_one_of("daemon.log_level", out.log_level, {"trace", "debug", "info", "warn", "error"}));
  CSD_TRY(r.get("log_format", out.log_format));
  CSD_TRY(check_one_of("daemon.log_format", out.log_format, {"text", "json"}));
  std::string log_file = out.log_file.string();
  CSD_TRY(r.get("log_file", log_file));
  out.log_file = log_file;
  // Absolute: under systemd the working directory is /, elsewhere it is
  // wherever the daemon was started; a path to a directory names no file.
  if (!log_file.empty() && (out.log_file.is_relative() || !out.log_file.has_filename())) {
    return config_error("daemon.log_file",
                        "must be empty (stderr) or an absolute path to a file, got \"" + log_file + "\"");
  }
  CSD_TRY(r.get("progress_interval_s", out.progress_interval_s, 1, 3600));
  return r.finish();
}

Status read_api(TableReader& r, ApiSection& out) {
  CSD_TRY(r.get("listen", out.listen));
  const auto colon = out.listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == out.listen.size()) {
    return config_error("api.listen", "expected host:port (e.g. 127.0.0.1:8645), got \"" + out.listen + "\"");
  }
  CSD_TRY(r.get("auth", out.auth));
  CSD_TRY(check_one_of("api.auth", out.auth, {"none", "signature"}));
  CSD_TRY(r.get("bearer_tokens", out.bearer_tokens));
  for (const std::string& token : out.bearer_tokens) {
    if (token.size() < 16)
      return config_error("api.bearer_tokens", "each token must have at least 16 characters");
  }
  CSD_TRY(r.get("max_connections", out.max_connections, 1, 1'000'000));
  return r.finish();
}

Status read_bsc(TableReader& r, BscSection& out, const EnvLookup& env) {
  CSD_TRY(r.get("enabled", out.enabled));
  CSD_TRY(r.get("chain_id", out.chain_id, 1, kU64Max));
  CSD_TRY(r.get("rpc_urls", out.rpc_urls));
  CSD_TRY(check_urls("bsc.rpc_urls", out.rpc_urls, out.enabled, {"http", "https"}));
  CSD_TRY(r.get("ws_url", out.ws_url));
  if (!out.ws_url.empty()) CSD_TRY(check_urls("bsc.ws_url", {out.ws_url}, false, {"ws", "wss"}));
  CSD_TRY(r.get("start_block", out.start_block, 0, kI64Max));
  CSD_TRY(r.get("confirmations", out.confirmations, 0, 100'000));
  CSD_TRY(r.get("max_reorg_depth", out.max_reorg_depth, 1, 100'000));
  if (out.confirmations > out.max_reorg_depth) {
    return config_error("bsc.confirmations",
                        "must not exceed bsc.max_reorg_depth (" + std::to_string(out.max_reorg_depth) + ")");
  }
  CSD_TRY(r.get("getlogs_max_range", out.getlogs_max_range, 1, 1'000'000));
  CSD_TRY(r.get("poll_interval_ms", out.poll_interval_ms, 10, 3'600'000));
  auto contracts_table = r.table("contracts");
  if (!contracts_table) return contracts_table.error();
  TableReader contracts(*contracts_table, "bsc.contracts", true, env);
  const auto parse = [](std::string_view text) { return parse_evm_address(text); };
  CSD_TRY(read_address(contracts, "tst", out.enabled, out.contracts.tst, parse));
  CSD_TRY(read_address(contracts, "escrow", out.enabled, out.contracts.escrow, parse));
  CSD_TRY(read_address(contracts, "staking", out.enabled, out.contracts.staking, parse));
  CSD_TRY(read_address(contracts, "compute_reserve", out.enabled, out.contracts.compute_reserve, parse));
  CSD_TRY(contracts.finish());
  return r.finish();
}

Status read_solana(TableReader& r, SolanaSection& out) {
  CSD_TRY(r.get("enabled", out.enabled));
  CSD_TRY(r.get("rpc_urls", out.rpc_urls));
  CSD_TRY(check_urls("solana.rpc_urls", out.rpc_urls, out.enabled, {"http", "https"}));
  CSD_TRY(r.get("ws_url", out.ws_url));
  if (!out.ws_url.empty()) CSD_TRY(check_urls("solana.ws_url", {out.ws_url}, false, {"ws", "wss"}));
  CSD_TRY(r.get("commitment", out.commitment));
  CSD_TRY(check_one_of("solana.commitment", out.commitment, {"processed", "confirmed", "finalized"}));
  const auto parse = [](std::string_view text) { return parse_solana_pubkey(text); };
  CSD_TRY(read_address(r, "program_id", out.enabled, out.program_id, parse));
  CSD_TRY(read_address(r, "pool", out.enabled, out.pool, parse));
  CSD_TRY(r.get("token_decimals", out.token_decimals, 0, 30));
  CSD_TRY(r.get("reconcile_interval_s", out.reconcile_interval_s, 1, 86'400 * 7));
  return r.finish();
}

Status read_routers(TableReader& r, TronSection& out, const EnvLookup& env) {
  auto routers = r.array_of_tables("routers");
  if (!routers) return routers.error();
  if (*routers == nullptr) return {};
  std::size_t index = 0;
  for (const toml::node& node : **routers) {
    TableReader router(node.as_table(), "tron.routers[" + std::to_string(index++) + "]", false, env);
    std::string type_text;
    CSD_TRY(router.get("type", type_text));
    const auto type = parse_payout_router_type(type_text);
    if (!type) {
      return config_error(router.full("type"),
                          "must be PayoutRouterV0 or PayoutRouterKYC, got \"" + type_text + "\"");
    }
    TronAddress address;
    CSD_TRY(read_address(router, "address", true, address,
                         [](std::string_view text) { return parse_tron_address(text); }));
    CSD_TRY(router.finish());
    out.routers.push_back(PayoutRouter{*type, to_evm20(address)});
  }
  return {};
}

Status read_tron(TableReader& r, TronSection& out, const EnvLookup& env) {
  CSD_TRY(r.get("enabled", out.enabled));
  CSD_TRY(r.get("rpc_urls", out.rpc_urls));
  CSD_TRY(check_urls("tron.rpc_urls", out.rpc_urls, out.enabled, {"http", "https"}));
  CSD_TRY(r.get("api_key", out.api_key));
  CSD_TRY(r.get("start_block", out.start_block, 0, kI64Max));
  CSD_TRY(r.get("solid_confirmations", out.solid_confirmations, 1, 100'000));
  CSD_TRY(r.get("max_reorg_depth", out.max_reorg_depth, 1, 100'000));
  if (out.solid_confirmations > out.max_reorg_depth) {
    return config_error("tron.solid_confirmations",
                        "must not exceed tron.max_reorg_depth (" + std::to_string(out.max_reorg_depth) + ")");
  }
  CSD_TRY(r.get("poll_interval_ms", out.poll_interval_ms, 10, 3'600'000));
  std::string usdt = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";  // SPEC 7 default: TRON mainnet USDT
  CSD_TRY(r.get("usdt", usdt));
  auto parsed = parse_tron_address(usdt);
  if (!parsed) return config_error("tron.usdt", parsed.error().message);
  out.usdt = *parsed;
  CSD_TRY(read_routers(r, out, env));
  if (out.enabled && out.routers.empty()) {
    return config_error("tron.routers",
                        "at least one [[tron.routers]] is required when the chain is enabled");
  }
  return r.finish();
}

#undef CSD_TRY

}  // namespace

Result<Config> parse_config(std::string_view toml_text, std::string_view origin, const EnvLookup& env) {
  auto parsed = toml::parse(toml_text, origin);
  if (!parsed) {
    const auto& error = parsed.error();
    return make_error(ErrorCode::kInvalidArgument, std::string(origin) + ":" +
                                                       std::to_string(error.source().begin.line) + ": " +
                                                       std::string(error.description()));
  }
  const toml::table& root = parsed.table();
  Config config;
  TableReader top(&root, "", false, env);
  const auto section = [&](std::string_view name) -> Result<const toml::table*> { return top.table(name); };
  auto daemon = section("daemon");
  auto api = daemon ? section("api") : daemon;
  auto bsc = api ? section("bsc") : api;
  auto solana = bsc ? section("solana") : bsc;
  auto tron = solana ? section("tron") : solana;
  if (!tron) return tron.error();
  if (auto status = top.finish(); !status) return status.error();
  // A chain whose section is absent is not used; a present section means
  // enabled unless it says otherwise (SPEC 7 default).
  config.bsc.enabled = *bsc != nullptr;
  config.solana.enabled = *solana != nullptr;
  config.tron.enabled = *tron != nullptr;
  TableReader daemon_reader(*daemon, "daemon", true, env);
  if (auto s = read_daemon(daemon_reader, config.daemon); !s) return s.error();
  TableReader api_reader(*api, "api", true, env);
  if (auto s = read_api(api_reader, config.api); !s) return s.error();
  TableReader bsc_reader(*bsc, "bsc", true, env);
  if (auto s = read_bsc(bsc_reader, config.bsc, env); !s) return s.error();
  TableReader solana_reader(*solana, "solana", true, env);
  if (auto s = read_solana(solana_reader, config.solana); !s) return s.error();
  TableReader tron_reader(*tron, "tron", true, env);
  if (auto s = read_tron(tron_reader, config.tron, env); !s) return s.error();
  return config;
}

Result<Config> load_config(const std::filesystem::path& path, const EnvLookup& env) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return make_error(ErrorCode::kInvalidArgument, path.string() + ": cannot read the config file");
  std::ostringstream text;
  text << file.rdbuf();
  return parse_config(text.str(), path.string(), env);
}

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value =
        std::getenv(std::string(name).c_str());  // NOLINT(concurrency-mt-unsafe): read at startup only
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace csd::daemon
