// Fuzz target: the JSON-RPC answer parsers (chains/rpc/json_rpc.hpp), which
// take whatever a node, a proxy or a man in the middle sends back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chains/rpc/json_rpc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  csd::RpcErrorInfo info;
  auto single = csd::parse_json_rpc_reply(text, "eth_getLogs", 1, &info);
  if (single) {
    (void)simdjson::minify(single->result());
  } else if (single.error().code != csd::ErrorCode::kMalformed &&
             single.error().code != csd::ErrorCode::kRpcError) {
    __builtin_trap();
  }

  static const std::vector<csd::RpcCall> kCalls{{"a", "[]"}, {"b", "[]"}, {"c", "[]"}};
  auto batch = csd::parse_json_rpc_batch(text, kCalls, 1);
  if (batch) {
    // A parsed batch answers every call exactly once.
    if (batch->size() != kCalls.size()) __builtin_trap();
    for (std::size_t i = 0; i < batch->size(); ++i) {
      auto entry = batch->at(i);
      if (entry) {
        (void)simdjson::minify(*entry);
      } else if (entry.error().code != csd::ErrorCode::kRpcError || batch->rpc_error(i) == nullptr) {
        __builtin_trap();
      }
    }
  } else if (batch.error().code != csd::ErrorCode::kMalformed &&
             batch.error().code != csd::ErrorCode::kUnsupported) {
    __builtin_trap();
  }
  return 0;
}
