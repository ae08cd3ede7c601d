// A test node's JSON-RPC brain: answers every call of a request (single or
// batch) with the JSON that `result_of(method, params_json)` returns, echoing
// ids; batches optionally answered in reverse order (nodes may reorder,
// JSON-RPC 2.0 §6).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "tests/chains/support/test_http_server.hpp"

namespace csd::testing_support {

using ResultOf = std::function<std::string(std::string_view method, std::string_view params_json)>;

inline std::string answer_one(simdjson::dom::element call, const ResultOf& result_of) {
  std::string_view method;
  if (call["method"].get(method) != simdjson::SUCCESS) method = {};
  simdjson::dom::element params;
  const std::string params_json =
      call["params"].get(params) == simdjson::SUCCESS ? simdjson::minify(params) : "[]";
  simdjson::dom::element id;
  const std::string id_json = call["id"].get(id) == simdjson::SUCCESS ? simdjson::minify(id) : "null";
  return R"({"jsonrpc":"2.0","id":)" + id_json + R"(,"result":)" + result_of(method, params_json) + "}";
}

inline TestHttpServer::Fallback json_rpc_responder(ResultOf result_of, bool reverse_batches = false) {
  return [result_of = std::move(result_of), reverse_batches](const RecordedRequest& request) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(request.body).get(root) != simdjson::SUCCESS) {
      return Behavior::ok(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})");
    }
    simdjson::dom::array calls;
    if (root.get(calls) != simdjson::SUCCESS) return Behavior::ok(answer_one(root, result_of));
    std::vector<std::string> answers;
    for (simdjson::dom::element call : calls) answers.push_back(answer_one(call, result_of));
    if (reverse_batches) std::reverse(answers.begin(), answers.end());
    std::string body = "[";
    for (std::size_t i = 0; i < answers.size(); ++i) body += (i > 0 ? "," : "") + answers[i];
    return Behavior::ok(body + "]");
  };
}

// Every method answers its own name and params: {"m":"eth_x","p":[..]}.
inline std::string echo_result(std::string_view method, std::string_view params_json) {
  return R"({"m":")" + std::string(method) + R"(","p":)" + std::string(params_json) + "}";
}

}  // namespace csd::testing_support
