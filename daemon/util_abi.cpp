// The util subcommands built on the ABI decoder: topic and decode-log.
#include <nlohmann/json.hpp>

#include "daemon/util_commands.hpp"
#include "daemon/util_output.hpp"
#include "decoders/abi.hpp"
#include "decoders/evm_address.hpp"
#include "decoders/hex.hpp"

namespace csd::daemon {
namespace {

// The value encoding of docs/util.md: integers as decimal strings, addresses
// EIP-55, bytes as 0x hex, indexed dynamic values as {"hash": topic}.
nlohmann::json value_to_json(const AbiValue& value) {
  struct Visitor {
    nlohmann::json operator()(const U256& v) const { return to_decimal(v); }
    nlohmann::json operator()(const I256& v) const {
      return (v.negative ? "-" : "") + to_decimal(v.magnitude);
    }
    nlohmann::json operator()(const EvmAddress& v) const { return to_checksum_hex(v); }
    nlohmann::json operator()(bool v) const { return v; }
    nlohmann::json operator()(const AbiFixedBytes& v) const { return to_hex(v.span()); }
    nlohmann::json operator()(const Bytes& v) const { return to_hex(v); }
    nlohmann::json operator()(const std::string& v) const { return v; }
    nlohmann::json operator()(const std::vector<AbiValue>& items) const {
      nlohmann::json array = nlohmann::json::array();
      for (const AbiValue& item : items) array.push_back(value_to_json(item));
      return array;
    }
    nlohmann::json operator()(const AbiTopicHash& v) const { return {{"hash", to_hex(v.hash.span())}}; }
  };
  return std::visit(Visitor{}, value.storage);
}

Result<std::vector<Hash32>> parse_topics(std::string_view list) {
  std::vector<Hash32> topics;
  if (list.empty()) return topics;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = list.find(',', start);
    const std::string_view item =
        list.substr(start, comma == std::string_view::npos ? list.npos : comma - start);
    auto topic = fixed_from_hex<Hash32>(item);
    if (!topic) {
      return with_context(std::move(topic).error(), "--topics[" + std::to_string(topics.size()) + "]");
    }
    topics.push_back(*topic);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return topics;
}

}  // namespace

Result<UtilOutput> util_topic(const UtilArgs& args) {
  auto signature = parse_event_signature(args.input);
  if (!signature) return std::move(signature).error();
  const std::string topic0 = to_hex(signature->topic0().span());
  nlohmann::json json = {{"signature", signature->canonical()}, {"topic0", topic0}};
  return UtilOutput{topic0, dump_json_line(json)};
}

Result<UtilOutput> util_decode_log(const UtilArgs& args) {
  auto signature = parse_event_signature(args.signature);
  if (!signature) return with_context(std::move(signature).error(), "--signature");
  auto topics = parse_topics(args.topics);
  if (!topics) return std::move(topics).error();
  auto data = from_hex(args.data);
  if (!data) return with_context(std::move(data).error(), "--data");
  auto decoded = decode_log(*signature, *topics, *data);
  if (!decoded) return std::move(decoded).error();

  nlohmann::json params = nlohmann::json::array();
  std::string plain = signature->name();
  std::size_t position = 0;
  for (const DecodedParam& param : decoded->params) {
    const std::string name = param.name.empty() ? "arg" + std::to_string(position) : std::string(param.name);
    nlohmann::json value = value_to_json(param.value);
    plain += " " + name + "=" + dump_json_line(value);
    params.push_back({{"name", name},
                      {"type", param.type->canonical()},
                      {"indexed", param.indexed},
                      {"value", std::move(value)}});
    ++position;
  }
  nlohmann::json json = {{"event", signature->name()},
                         {"signature", signature->canonical()},
                         {"topic0", to_hex(signature->topic0().span())},
                         {"params", std::move(params)}};
  return UtilOutput{plain, dump_json_line(json)};
}

}  // namespace csd::daemon
