// The TOML configuration of SPEC 7: defaults, environment overrides, and one
// test per class of error — each must name the key (issue 5 / issue 7).
#include "daemon/config.hpp"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "decoders/evm_address.hpp"
#include "decoders/tron_address.hpp"

namespace csd::daemon {
namespace {

// A complete, valid configuration (addresses: the EIP-55 spec examples and
// TRON's USDT contract; Solana: the System and Token program ids).
constexpr std::string_view kValid = R"(
[daemon]
database = "/tmp/chainsyncd-test.db"
log_level = "debug"
log_format = "json"

[api]
listen = "127.0.0.1:9000"
auth = "signature"
bearer_tokens = ["0123456789abcdef0123"]
max_connections = 64

[bsc]
chain_id = 56
rpc_urls = ["http://127.0.0.1:8545", "https://bsc.example.org/rpc"]
ws_url = "ws://127.0.0.1:8546"
start_block = 100
confirmations = 15
max_reorg_depth = 64
getlogs_max_range = 2000
poll_interval_ms = 500
[bsc.contracts]
tst = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
escrow = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
staking = "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"
compute_reserve = "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"

[solana]
rpc_urls = ["http://127.0.0.1:8899"]
commitment = "finalized"
program_id = "11111111111111111111111111111111"
pool = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
token_decimals = 9

[tron]
rpc_urls = ["http://127.0.0.1:8090"]
usdt = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
[[tron.routers]]
type = "PayoutRouterV0"
address = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
)";

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const auto at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

// The error message of a config that must fail.
std::string error_of(std::string_view text, const EnvLookup& env = env_of({})) {
  auto config = parse_config(text, "test.toml", env);
  EXPECT_FALSE(config) << "accepted:\n" << text;
  return config ? std::string() : config.error().message;
}

TEST(Config, ValidFileIsReadKeyByKey) {
  auto config = parse_config(kValid, "test.toml", env_of({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->daemon.database, "/tmp/chainsyncd-test.db");
  EXPECT_EQ(config->daemon.log_format, "json");
  EXPECT_EQ(config->api.listen, "127.0.0.1:9000");
  EXPECT_EQ(config->api.max_connections, 64u);
  EXPECT_TRUE(config->bsc.enabled);
  EXPECT_EQ(config->bsc.rpc_urls.size(), 2u);
  EXPECT_EQ(config->bsc.start_block, 100u);
  EXPECT_EQ(config->bsc.getlogs_max_range, 2000u);
  EXPECT_EQ(to_lower_hex(config->bsc.contracts.tst), "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
  EXPECT_EQ(config->solana.commitment, "finalized");
  ASSERT_EQ(config->tron.routers.size(), 1u);
  EXPECT_EQ(config->tron.routers[0].type, PayoutRouterType::kV0);
}

TEST(Config, DefaultsApplyAndAbsentChainSectionsAreDisabled) {
  auto config = parse_config("[daemon]\ndatabase = \"x.db\"\n", "test.toml", env_of({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->api.listen, "127.0.0.1:8645");  // SPEC 7 defaults
  EXPECT_EQ(config->api.max_connections, 1024u);
  EXPECT_EQ(config->daemon.log_level, "info");
  EXPECT_FALSE(config->bsc.enabled);
  EXPECT_FALSE(config->solana.enabled);
  EXPECT_FALSE(config->tron.enabled);
  EXPECT_EQ(config->bsc.max_reorg_depth, 64u);
  EXPECT_EQ(config->tron.solid_confirmations, 19u);
}

TEST(Config, EnvironmentOverridesAnyKey) {
  auto config =
      parse_config(kValid, "test.toml",
                   env_of({{"CHAINSYNCD_BSC_GETLOGS_MAX_RANGE", "750"},
                           {"CHAINSYNCD_BSC_RPC_URLS", R"(["http://10.0.0.1:8545"])"},
                           {"CHAINSYNCD_DAEMON_LOG_LEVEL", "warn"},  // a bare word is a string
                           {"CHAINSYNCD_TRON_API_KEY", "secret-key"},
                           {"CHAINSYNCD_BSC_CONTRACTS_TST", "0x0000000000000000000000000000000000000001"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->bsc.getlogs_max_range, 750u);
  ASSERT_EQ(config->bsc.rpc_urls.size(), 1u);
  EXPECT_EQ(config->bsc.rpc_urls[0], "http://10.0.0.1:8545");
  EXPECT_EQ(config->daemon.log_level, "warn");
  EXPECT_EQ(config->tron.api_key, "secret-key");
  EXPECT_EQ(to_lower_hex(config->bsc.contracts.tst), "0x0000000000000000000000000000000000000001");
}

TEST(Config, AnEnvironmentOverrideOfTheWrongTypeNamesTheKey) {
  const auto message = error_of(kValid, env_of({{"CHAINSYNCD_BSC_POLL_INTERVAL_MS", "soon"}}));
  EXPECT_NE(message.find("bsc.poll_interval_ms: expected an integer, got a string (from the environment)"),
            std::string::npos)
      << message;
}

TEST(Config, UnknownKeysAreErrorsNamingTheKey) {
  EXPECT_NE(
      error_of(replaced(kValid, "chain_id = 56", "chain_id = 56\nchian = 1")).find("bsc.chian: unknown key"),
      std::string::npos);
  EXPECT_NE(error_of(std::string(kValid) + "\n[metrics]\nport = 1\n").find("metrics: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "tst = ", "token = \"0x00\"\ntst = "))
                .find("bsc.contracts.token: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "type = \"PayoutRouterV0\"", "type = \"PayoutRouterV0\"\nfee = 1"))
                .find("tron.routers[0].fee: unknown key"),
            std::string::npos);
}

TEST(Config, WrongTypesAreErrorsNamingTheKey) {
  EXPECT_NE(error_of(replaced(kValid, "chain_id = 56", "chain_id = \"56\""))
                .find("bsc.chain_id: expected an integer"),
            std::string::npos);
  EXPECT_NE(
      error_of(replaced(kValid, "rpc_urls = [\"http://127.0.0.1:8545\", \"https://bsc.example.org/rpc\"]",
                        "rpc_urls = \"http://127.0.0.1:8545\""))
          .find("bsc.rpc_urls: expected an array of strings, got a string"),
      std::string::npos);
  EXPECT_NE(error_of("[bsc]\nenabled = \"yes\"\n").find("bsc.enabled: expected a boolean"),
            std::string::npos);
  EXPECT_NE(error_of("daemon = 1\n").find("daemon: expected a table"), std::string::npos);
}

TEST(Config, BadAddressesAreErrorsNamingTheKey) {
  // One letter's case flipped: the EIP-55 checksum fails.
  EXPECT_NE(error_of(replaced(kValid, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                              "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
                .find("bsc.contracts.tst:"),
            std::string::npos);
  EXPECT_NE(
      error_of(replaced(kValid, "program_id = \"11111111111111111111111111111111\"", "program_id = \"0OIl\""))
          .find("solana.program_id:"),
      std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "usdt = \"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\"",
                              "usdt = \"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u\""))
                .find("tron.usdt:"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "tst = \"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"\n", ""))
                .find("bsc.contracts.tst: required when the chain is enabled"),
            std::string::npos);
}

TEST(Config, ImpossibleValuesAreErrorsNamingTheKey) {
  EXPECT_NE(error_of(replaced(kValid, "confirmations = 15", "confirmations = 65"))
                .find("bsc.confirmations: must not exceed bsc.max_reorg_depth (64)"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "getlogs_max_range = 2000", "getlogs_max_range = 0"))
                .find("bsc.getlogs_max_range: must be between 1 and"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "start_block = 100", "start_block = -1"))
                .find("bsc.start_block: must be between"),
            std::string::npos);
  EXPECT_NE(
      error_of(replaced(kValid, "rpc_urls = [\"http://127.0.0.1:8545\", \"https://bsc.example.org/rpc\"]",
                        "rpc_urls = []"))
          .find("bsc.rpc_urls: must list at least one URL"),
      std::string::npos);
  EXPECT_NE(
      error_of(replaced(kValid, "ws_url = \"ws://127.0.0.1:8546\"", "ws_url = \"http://127.0.0.1:8546\""))
          .find("bsc.ws_url:"),
      std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "log_format = \"json\"", "log_format = \"xml\""))
                .find("daemon.log_format: must be one of"),
            std::string::npos);
  EXPECT_NE(
      error_of(replaced(kValid, "listen = \"127.0.0.1:9000\"", "listen = \"9000\"")).find("api.listen:"),
      std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "type = \"PayoutRouterV0\"", "type = \"PayoutRouterV9\""))
                .find("tron.routers[0].type:"),
            std::string::npos);
}

TEST(Config, LogFileIsStderrByDefaultAndAnAbsolutePathOtherwise) {
  auto config = parse_config(kValid, "test.toml", env_of({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->daemon.log_file.empty());  // stderr: journald under systemd
  auto from_file = parse_config(replaced(kValid, "log_format = \"json\"",
                                         "log_format = \"json\"\nlog_file = \"/var/log/chainsyncd/c.log\""),
                                "test.toml", env_of({}));
  ASSERT_TRUE(from_file) << from_file.error().message;
  EXPECT_EQ(from_file->daemon.log_file, "/var/log/chainsyncd/c.log");
  auto from_env = parse_config(kValid, "test.toml", env_of({{"CHAINSYNCD_DAEMON_LOG_FILE", "/tmp/x.log"}}));
  ASSERT_TRUE(from_env) << from_env.error().message;
  EXPECT_EQ(from_env->daemon.log_file, "/tmp/x.log");
  EXPECT_NE(error_of(kValid, env_of({{"CHAINSYNCD_DAEMON_LOG_FILE", "relative.log"}}))
                .find("daemon.log_file: must be empty (stderr) or an absolute path to a file"),
            std::string::npos);
  EXPECT_NE(error_of(kValid, env_of({{"CHAINSYNCD_DAEMON_LOG_FILE", "/var/log/"}})).find("daemon.log_file:"),
            std::string::npos);
  EXPECT_NE(error_of(replaced(kValid, "log_format = \"json\"", "log_format = \"json\"\nlog_file = 7"))
                .find("daemon.log_file: expected a string, got an integer"),
            std::string::npos);
}

TEST(Config, ProgressIntervalDefaultsToTenSecondsAndIsBounded) {
  auto config = parse_config(kValid, "test.toml", env_of({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->daemon.progress_interval_s, 10u);
  auto one = parse_config(kValid, "test.toml", env_of({{"CHAINSYNCD_DAEMON_PROGRESS_INTERVAL_S", "1"}}));
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->daemon.progress_interval_s, 1u);
  EXPECT_NE(error_of(kValid, env_of({{"CHAINSYNCD_DAEMON_PROGRESS_INTERVAL_S", "0"}}))
                .find("daemon.progress_interval_s: must be between 1 and 3600, got 0"),
            std::string::npos);
  EXPECT_NE(error_of(kValid, env_of({{"CHAINSYNCD_DAEMON_PROGRESS_INTERVAL_S", "3601"}}))
                .find("daemon.progress_interval_s: must be between 1 and 3600, got 3601"),
            std::string::npos);
}

TEST(Config, SyntaxErrorsNameTheFileAndLine) {
  const auto message = error_of("[daemon]\ndatabase = \n");
  EXPECT_EQ(message.rfind("test.toml:2:", 0), 0u) << message;
}

TEST(Config, TheExampleConfigIsValid) {
  auto config = load_config(std::filesystem::path(CHAINSYNCD_SOURCE_DIR) / "contrib/chainsyncd.example.toml",
                            env_of({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->bsc.enabled);
}

TEST(Config, AMissingFileIsAnErrorNamingIt) {
  auto config = load_config("/nonexistent/chainsyncd.toml", env_of({}));
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("/nonexistent/chainsyncd.toml"), std::string::npos);
}

}  // namespace
}  // namespace csd::daemon
