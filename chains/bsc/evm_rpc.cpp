#include "chains/bsc/evm_rpc.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "chains/rpc/json_rpc.hpp"
#include "decoders/hex.hpp"

namespace csd {
namespace {

using simdjson::dom::element;

Error malformed(std::string_view what, std::string_view why) {
  return make_error(ErrorCode::kMalformed, std::string(what) + ": " + std::string(why));
}

Result<std::string_view> string_field(element object, const char* key, std::string_view what) {
  std::string_view text;
  if (object[key].get(text) != simdjson::SUCCESS) {
    return malformed(what, std::string("missing or non-string \"") + key + "\"");
  }
  return text;
}

// An Ethereum JSON-RPC QUANTITY: "0x" and 1–16 hex digits (we accept
// leading zeros some nodes send).
Result<std::uint64_t> parse_quantity(std::string_view text, std::string_view what) {
  if (!has_hex_prefix(text) || text.size() < 3 || text.size() > 2 + 16) {
    return malformed(what, "not a hex quantity: \"" + std::string(text.substr(0, 40)) + "\"");
  }
  std::uint64_t value = 0;
  const char* begin = text.data() + 2;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value, 16);
  if (ec != std::errc{} || ptr != end) {
    return malformed(what, "not a hex quantity: \"" + std::string(text) + "\"");
  }
  return value;
}

Result<std::uint64_t> quantity_field(element object, const char* key, std::string_view what) {
  auto text = string_field(object, key, what);
  if (!text) return text.error();
  return parse_quantity(*text, std::string(what) + "." + key);
}

template <class Fixed>
Result<Fixed> fixed_field(element object, const char* key, std::string_view what) {
  auto text = string_field(object, key, what);
  if (!text) return text.error();
  auto value = fixed_from_hex<Fixed>(*text);
  if (!value) return with_context(value.error(), std::string(what) + "." + key);
  return *value;
}

std::string quantity_text(std::uint64_t value) {
  std::string text = "0x";
  char digits[16];
  const auto [ptr, ec] = std::to_chars(std::begin(digits), std::end(digits), value, 16);
  (void)ec;  // 16 hex digits always fit a uint64
  text.append(digits, ptr);
  return text;
}

Result<BlockHeader> parse_header(element block, std::string_view what) {
  BlockHeader header;
  auto number = quantity_field(block, "number", what);
  if (!number) return number.error();
  header.height = *number;
  auto hash = fixed_field<Hash32>(block, "hash", what);
  if (!hash) return hash.error();
  header.hash = *hash;
  auto parent = fixed_field<Hash32>(block, "parentHash", what);
  if (!parent) return parent.error();
  header.parent_hash = *parent;
  auto time = quantity_field(block, "timestamp", what);
  if (!time) return time.error();
  if (*time > static_cast<std::uint64_t>(INT64_MAX)) return malformed(what, "timestamp out of range");
  header.time = static_cast<std::int64_t>(*time);
  return header;
}

Result<EvmLog> parse_log(element object, std::size_t index) {
  const std::string what = "eth_getLogs[" + std::to_string(index) + "]";
  EvmLog out;
  auto block = quantity_field(object, "blockNumber", what);
  if (!block) return block.error();
  out.log.block = *block;
  auto log_index = quantity_field(object, "logIndex", what);
  if (!log_index) return log_index.error();
  if (*log_index > UINT32_MAX) return malformed(what, "logIndex out of range");
  out.log.log_index = static_cast<std::uint32_t>(*log_index);
  auto tx_hash = fixed_field<Hash32>(object, "transactionHash", what);
  if (!tx_hash) return tx_hash.error();
  out.log.tx_hash = *tx_hash;
  auto block_hash = fixed_field<Hash32>(object, "blockHash", what);
  if (!block_hash) return block_hash.error();
  out.block_hash = *block_hash;
  auto address = fixed_field<EvmAddress>(object, "address", what);
  if (!address) return address.error();
  out.log.address = *address;
  auto data_text = string_field(object, "data", what);
  if (!data_text) return data_text.error();
  auto data = from_hex(*data_text);
  if (!data) return with_context(data.error(), what + ".data");
  out.log.data = std::move(*data);
  simdjson::dom::array topics;
  if (object["topics"].get(topics) != simdjson::SUCCESS) return malformed(what, "missing \"topics\" array");
  for (element topic : topics) {
    std::string_view text;
    if (topic.get(text) != simdjson::SUCCESS) return malformed(what, "a topic is not a string");
    auto value = fixed_from_hex<Hash32>(text);
    if (!value) return with_context(value.error(), what + ".topics");
    out.log.topics.push_back(*value);
  }
  bool removed = false;
  if (object["removed"].get(removed) == simdjson::SUCCESS) out.removed = removed;
  return out;
}

std::string log_filter_params(std::uint64_t from, std::uint64_t to, const LogFilter& filter) {
  std::string params = "[{\"fromBlock\":\"" + quantity_text(from) + "\",\"toBlock\":\"" + quantity_text(to) +
                       "\",\"address\":[";
  for (std::size_t i = 0; i < filter.addresses.size(); ++i) {
    if (i > 0) params += ',';
    params += '"' + to_hex(filter.addresses[i].span()) + '"';
  }
  params += "],\"topics\":[[";
  for (std::size_t i = 0; i < filter.topic0s.size(); ++i) {
    if (i > 0) params += ',';
    params += '"' + to_hex(filter.topic0s[i].span()) + '"';
  }
  params += "]]}]";
  return params;
}

}  // namespace

Result<std::uint64_t> EvmRpc::chain_id(std::stop_token stop) {
  auto reply = client_->call("eth_chainId", "[]", stop);
  if (!reply) return reply.error();
  std::string_view text;
  if (reply->result().get(text) != simdjson::SUCCESS)
    return malformed("eth_chainId", "result is not a string");
  return parse_quantity(text, "eth_chainId");
}

Result<std::uint64_t> EvmRpc::block_number(std::stop_token stop) {
  auto reply = client_->call("eth_blockNumber", "[]", stop);
  if (!reply) return reply.error();
  std::string_view text;
  if (reply->result().get(text) != simdjson::SUCCESS)
    return malformed("eth_blockNumber", "result is not a string");
  return parse_quantity(text, "eth_blockNumber");
}

Result<std::optional<BlockHeader>> EvmRpc::header_at_tag(std::string_view tag, std::stop_token stop) {
  const std::string params = "[\"" + std::string(tag) + "\",false]";
  auto reply = client_->call("eth_getBlockByNumber", params, stop);
  if (!reply) return reply.error();
  const element result = reply->result();
  if (result.is_null()) return std::optional<BlockHeader>{};
  auto header = parse_header(result, "eth_getBlockByNumber(" + std::string(tag) + ")");
  if (!header) return header.error();
  return std::optional<BlockHeader>{*header};
}

Result<std::vector<BlockHeader>> EvmRpc::headers(std::span<const std::uint64_t> heights,
                                                 std::stop_token stop) {
  std::vector<RpcCall> calls;
  calls.reserve(heights.size());
  for (const std::uint64_t height : heights) {
    calls.push_back(RpcCall{"eth_getBlockByNumber", "[\"" + quantity_text(height) + "\",false]"});
  }
  auto reply = client_->batch(calls, stop);
  if (!reply) return reply.error();
  std::vector<BlockHeader> out;
  out.reserve(heights.size());
  for (std::size_t i = 0; i < heights.size(); ++i) {
    auto result = reply->at(i);
    if (!result) return result.error();
    const std::string what = "eth_getBlockByNumber(" + std::to_string(heights[i]) + ")";
    if (result->is_null()) return make_error(ErrorCode::kNotFound, what + ": the node has no such block");
    auto header = parse_header(*result, what);
    if (!header) return header.error();
    if (header->height != heights[i])
      return malformed(what, "answered block " + std::to_string(header->height));
    out.push_back(*header);
  }
  return out;
}

Result<std::vector<EvmLog>> EvmRpc::logs(std::uint64_t from, std::uint64_t to, const LogFilter& filter,
                                         std::stop_token stop) {
  auto reply = client_->call("eth_getLogs", log_filter_params(from, to, filter), stop);
  if (!reply) return reply.error();
  simdjson::dom::array entries;
  if (reply->result().get(entries) != simdjson::SUCCESS)
    return malformed("eth_getLogs", "result is not an array");
  std::vector<EvmLog> out;
  out.reserve(entries.size());
  std::size_t index = 0;
  for (element entry : entries) {
    auto log = parse_log(entry, index++);
    if (!log) return log.error();
    if (log->log.block < from || log->log.block > to) {
      return malformed("eth_getLogs",
                       "log of block " + std::to_string(log->log.block) + " outside the range asked");
    }
    out.push_back(std::move(*log));
  }
  // Nodes answer in chain order; sort anyway so the batch invariant holds
  // whatever the node does (ties would be a node bug, caught by apply).
  std::sort(out.begin(), out.end(), [](const EvmLog& a, const EvmLog& b) {
    return a.log.block != b.log.block ? a.log.block < b.log.block : a.log.log_index < b.log.log_index;
  });
  return out;
}

}  // namespace csd
