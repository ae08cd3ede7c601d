// chainsyncd entry point: parses the command line and dispatches. Exit codes
// (SPEC 6): 0 success, 2 usage or input error, 1 runtime failure.
#include <cstdio>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>

#include "daemon/config.hpp"
#include "daemon/run_command.hpp"
#include "daemon/util_commands.hpp"

namespace {

using csd::daemon::UtilArgs;
using csd::daemon::UtilOutput;
using UtilFn = std::function<csd::Result<UtilOutput>(const UtilArgs&)>;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

struct Dispatch {
  UtilFn selected;
  std::function<int()> command;  // run, status, check-config
};

struct DaemonArgs {
  std::string config{csd::daemon::kDefaultConfigPath};
  bool json = false;
  std::string chain;
  std::uint64_t from = 0;
};

void register_daemon_commands(CLI::App& app, Dispatch& dispatch, DaemonArgs& args) {
  const std::string config_help = "configuration file (TOML, SPEC 7)";
  app.add_option("--config", args.config, config_help)->capture_default_str();

  CLI::App* run = app.add_subcommand("run", "run the daemon (the default command)");
  run->add_option("--config", args.config, config_help);
  run->callback([&] { dispatch.command = [&] { return csd::daemon::run_daemon(args.config); }; });

  CLI::App* reindex =
      app.add_subcommand("reindex", "rebuild a chain's state from a height (daemon running or not)");
  reindex->add_option("--config", args.config, config_help);
  reindex->add_option("--chain", args.chain, "bsc, solana or tron")->required();
  reindex->add_option("--from", args.from, "first block (slot) to reindex")->required();
  reindex->callback([&] {
    dispatch.command = [&] { return csd::daemon::reindex_chain(args.config, args.chain, args.from); };
  });

  CLI::App* status = app.add_subcommand("status", "sync state of every chain, read from the database");
  status->add_option("--config", args.config, config_help);
  status->add_flag("--json", args.json, "print one JSON object");
  status->callback(
      [&] { dispatch.command = [&] { return csd::daemon::print_status(args.config, args.json); }; });

  CLI::App* check = app.add_subcommand("check-config", "validate the configuration and exit");
  check->add_option("--config", args.config, config_help);
  check->callback([&] {
    dispatch.command = [&] {
      auto config = csd::daemon::load_config(args.config, csd::daemon::process_env());
      if (!config) {
        std::cerr << "config error: " << config.error().message << "\n";
        return kExitUsage;
      }
      std::cout << args.config << ": ok\n";
      return kExitOk;
    };
  });
}

CLI::App* add_util(CLI::App& util, Dispatch& dispatch, UtilArgs& args, const std::string& name,
                   const std::string& description, UtilFn fn) {
  CLI::App* sub = util.add_subcommand(name, description);
  sub->add_flag("--json", args.json, "print one JSON object instead of plain text");
  sub->callback([&dispatch, fn = std::move(fn)] { dispatch.selected = fn; });
  return sub;
}

void register_util(CLI::App& app, Dispatch& dispatch, UtilArgs& args) {
  CLI::App* util = app.add_subcommand("util", "offline decoding tools (one line of output; --json for JSON)");
  util->require_subcommand(1);

  auto* keccak = add_util(*util, dispatch, args, "keccak", "Keccak-256 of text, or of bytes given as 0xhex",
                          csd::daemon::util_keccak);
  keccak->add_option("input", args.input, "text, or 0x-prefixed hex bytes")->required();

  auto* topic = add_util(*util, dispatch, args, "topic", "canonical form and topic0 of an event signature",
                         csd::daemon::util_topic);
  topic->add_option("signature", args.input, "e.g. 'event Transfer(address indexed from, ...)'")->required();

  auto* decode = add_util(*util, dispatch, args, "decode-log", "decode an EVM log with an event signature",
                          csd::daemon::util_decode_log);
  decode->add_option("--signature", args.signature, "event signature")->required();
  decode->add_option("--topics", args.topics, "comma-separated topics, topic0 first")->required();
  decode->add_option("--data", args.data, "log data as 0xhex ('0x' when empty)")->required();

  auto* tron = add_util(*util, dispatch, args, "tron-address",
                        "convert a TRON address between base58check and hex", csd::daemon::util_tron_address);
  tron->add_option("address", args.input, "T… base58check, 41… hex, or 0x… 20-byte hex")->required();

  auto* pda = add_util(*util, dispatch, args, "stake-pda", "KAMIYO UserStake PDA of a wallet and pool",
                       csd::daemon::util_stake_pda);
  pda->add_option("--wallet", args.wallet, "owner wallet (base58)")->required();
  pda->add_option("--pool", args.pool, "staking pool (base58)")->required();
  pda->add_option("--program", args.program, "staking program id (base58)")->required();

  auto* recover = add_util(*util, dispatch, args, "recover", "recover the signer of a signed message",
                           csd::daemon::util_recover);
  auto* message = recover->add_option("--message", args.message, "the signed message text");
  auto* message_hex = recover->add_option("--message-hex", args.message_hex, "the signed message as 0xhex");
  message->excludes(message_hex);
  recover->add_option("--signature", args.recover_signature, "65-byte signature r||s||v as 0xhex")
      ->required();
  recover->add_option("--scheme", args.scheme, "eip191 (personal_sign, default) or tron")
      ->check(CLI::IsMember({"eip191", "tron"}));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"chainsyncd: follows BSC, Solana and TRON and serves read-only views of the synced state",
               "chainsyncd"};
  app.set_version_flag("--version", std::string("chainsyncd ") + CHAINSYNCD_VERSION);
  app.require_subcommand(0, 1);
  Dispatch dispatch;
  UtilArgs args;
  DaemonArgs daemon_args;
  register_daemon_commands(app, dispatch, daemon_args);
  register_util(app, dispatch, args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\nRun 'chainsyncd --help' for usage.\n";
    return kExitUsage;
  }
  if (dispatch.command) return dispatch.command();
  if (!dispatch.selected) return csd::daemon::run_daemon(daemon_args.config);  // SPEC 6: `chainsyncd [run]`
  auto output = dispatch.selected(args);
  if (!output) {
    std::cerr << "error: " << output.error().message << "\n";
    return kExitUsage;
  }
  std::cout << (args.json ? output->json : output->plain) << "\n";
  return kExitOk;
}
