// `chainsyncd util …`: offline decoding tools for people debugging a wallet
// (SPEC section 6). Each subcommand is a plain function from its parsed
// arguments to one output line (plain text or one JSON object); bad input is
// an Error, which main turns into exit code 2 and a message on stderr.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "decoders/result.hpp"

namespace CLI {
class App;
}

namespace csd::daemon {

struct UtilOutput {
  std::string plain;  // the one-line plain form
  std::string json;   // the one-line JSON form
};

struct UtilArgs {
  std::string input;                       // keccak, topic, tron-address positional
  std::string signature;                   // decode-log --signature
  std::string topics;                      // decode-log --topics (comma separated)
  std::string data;                        // decode-log --data
  std::string wallet, pool, program;       // stake-pda
  std::optional<std::string> message;      // recover --message (may be empty text)
  std::optional<std::string> message_hex;  // recover --message-hex
  std::string recover_signature;           // recover --signature
  std::string scheme = "eip191";           // recover --scheme
  bool json = false;
};

Result<UtilOutput> util_keccak(const UtilArgs& args);
Result<UtilOutput> util_topic(const UtilArgs& args);
Result<UtilOutput> util_decode_log(const UtilArgs& args);
Result<UtilOutput> util_tron_address(const UtilArgs& args);
Result<UtilOutput> util_stake_pda(const UtilArgs& args);
Result<UtilOutput> util_recover(const UtilArgs& args);

}  // namespace csd::daemon
