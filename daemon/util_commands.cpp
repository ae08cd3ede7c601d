// The util subcommands that need no ABI: keccak, tron-address, stake-pda, recover.
#include "daemon/util_commands.hpp"

#include <nlohmann/json.hpp>

#include "daemon/util_output.hpp"
#include "decoders/evm_address.hpp"
#include "decoders/hex.hpp"
#include "decoders/keccak.hpp"
#include "decoders/signature.hpp"
#include "decoders/solana_pda.hpp"
#include "decoders/solana_pubkey.hpp"
#include "decoders/tron_address.hpp"

namespace csd::daemon {
namespace {

ByteSpan text_bytes(const std::string& text) {
  return ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

Result<SolanaPubkey> parse_pubkey_option(const std::string& text, std::string_view option) {
  auto key = parse_solana_pubkey(text);
  if (!key) return with_context(std::move(key).error(), option);
  return key;
}

}  // namespace

Result<UtilOutput> util_keccak(const UtilArgs& args) {
  const bool is_hex = has_hex_prefix(args.input);
  Bytes input;
  if (is_hex) {
    auto decoded = from_hex(args.input);
    if (!decoded) return with_context(std::move(decoded).error(), "input");
    input = std::move(*decoded);
  } else {
    const ByteSpan text = text_bytes(args.input);
    input.assign(text.begin(), text.end());
  }
  const std::string hash = to_hex(keccak256(input).span());
  nlohmann::json json = {{"input", is_hex ? "hex" : "text"}, {"length", input.size()}, {"keccak256", hash}};
  return UtilOutput{hash, dump_json_line(json)};
}

Result<UtilOutput> util_tron_address(const UtilArgs& args) {
  auto address = parse_tron_address(args.input);
  if (!address) return with_context(std::move(address).error(), "address");
  const std::string base58 = to_base58(*address);
  const std::string hex41 = to_hex41(*address);
  nlohmann::json json = {{"base58", base58}, {"hex", hex41}, {"evm", to_lower_hex(to_evm20(*address))}};
  return UtilOutput{base58 + " " + hex41, dump_json_line(json)};
}

Result<UtilOutput> util_stake_pda(const UtilArgs& args) {
  auto wallet = parse_pubkey_option(args.wallet, "--wallet");
  if (!wallet) return std::move(wallet).error();
  auto pool = parse_pubkey_option(args.pool, "--pool");
  if (!pool) return std::move(pool).error();
  auto program = parse_pubkey_option(args.program, "--program");
  if (!program) return std::move(program).error();
  auto pda = derive_user_stake_address(*wallet, *pool, *program);
  if (!pda) return std::move(pda).error();
  const std::string address = to_base58(pda->address);
  nlohmann::json json = {{"address", address}, {"bump", pda->bump}};
  return UtilOutput{address + " " + std::to_string(pda->bump), dump_json_line(json)};
}

Result<UtilOutput> util_recover(const UtilArgs& args) {
  Bytes message;
  if (args.message_hex) {
    auto decoded = from_hex(*args.message_hex);
    if (!decoded) return with_context(std::move(decoded).error(), "--message-hex");
    message = std::move(*decoded);
  } else if (args.message) {
    const ByteSpan text = text_bytes(*args.message);
    message.assign(text.begin(), text.end());
  } else {
    return make_error(ErrorCode::kInvalidArgument, "recover: one of --message or --message-hex is required");
  }
  auto signature = from_hex(args.recover_signature);
  if (!signature) return with_context(std::move(signature).error(), "--signature");

  std::string address;
  Hash32 digest;
  if (args.scheme == "tron") {
    auto signer = recover_tron_signer(message, *signature);
    if (!signer) return with_context(std::move(signer).error(), "--signature");
    address = to_base58(*signer);
    digest = tron_message_hash(message);
  } else {
    auto signer = recover_eip191_signer(message, *signature);
    if (!signer) return with_context(std::move(signer).error(), "--signature");
    address = to_checksum_hex(*signer);
    digest = eip191_message_hash(message);
  }
  nlohmann::json json = {
      {"scheme", args.scheme}, {"address", address}, {"message_hash", to_hex(digest.span())}};
  return UtilOutput{address, dump_json_line(json)};
}

}  // namespace csd::daemon
