// JSON-RPC 2.0 over an HttpTransport: single calls and batches (SPEC 3.1
// "batch requests where the node accepts them"), answers parsed in place
// with simdjson's DOM. Only chain clients include this header (it pulls in
// simdjson.h).
//
// Thread safety: JsonRpcClient is used from one thread at a time, like its
// transport. Replies are plain movable values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "chains/rpc/http_transport.hpp"
#include "decoders/result.hpp"

namespace csd {

// The node's {"error":{"code":..,"message":..}}, for callers that act on the
// code (-32005 "limit exceeded") or the text ("too many results").
struct RpcErrorInfo {
  std::int64_t code = 0;
  std::string message;
};

// One parsed JSON-RPC answer; owns the parsed document. result() stays valid
// while the reply lives (moving the reply keeps it valid).
class JsonRpcReply {
 public:
  JsonRpcReply(std::unique_ptr<simdjson::dom::parser> parser, simdjson::dom::element result) noexcept
      : parser_(std::move(parser)), result_(result) {}
  [[nodiscard]] simdjson::dom::element result() const noexcept { return result_; }

 private:
  friend class JsonRpcClient;
  std::unique_ptr<simdjson::dom::parser> parser_;  // owns the tape result_ points into
  simdjson::dom::element result_;
};

struct RpcCall {
  std::string method;
  std::string params_json = "[]";  // a JSON array text
};

// Answers of a batch in call order, matched by id (the node may reorder).
class JsonRpcBatchReply {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  // The i-th call's "result", or kRpcError ("<method>: node error <code>:
  // <message>"). REQUIRES: i < size().
  [[nodiscard]] Result<simdjson::dom::element> at(std::size_t i) const;
  // The node's error for the i-th call, nullptr when it has a result.
  [[nodiscard]] const RpcErrorInfo* rpc_error(std::size_t i) const noexcept;

  struct Entry {
    simdjson::dom::element result;
    std::optional<RpcErrorInfo> error;
    std::string method;
  };
  // Building blocks for JsonRpcClient and parse_json_rpc_batch.
  void keep(std::unique_ptr<simdjson::dom::parser> parser) { parsers_.push_back(std::move(parser)); }
  void add(Entry entry) { entries_.push_back(std::move(entry)); }
  void append(JsonRpcBatchReply&& other);

 private:
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;  // own the tapes the entries point into
  std::vector<Entry> entries_;
};

// Pure parsers of a node's answer (fuzzed: tests/fuzz/json_rpc_fuzz.cpp).
// A single answer to request `id`: kRpcError (with *error_info filled when
// given) for an error object; kMalformed for broken JSON, a wrong "jsonrpc"
// or id, or neither result nor error.
[[nodiscard]] Result<JsonRpcReply> parse_json_rpc_reply(std::string body, std::string_view method,
                                                        std::uint64_t id, RpcErrorInfo* error_info = nullptr);
// The answer to a batch whose calls got ids first_id, first_id+1, ...:
// kUnsupported when the node rejected the batch as such (an object instead of
// an array, or one id-less error); kMalformed when ids are missing,
// duplicated or unknown, or an entry is neither result nor error.
[[nodiscard]] Result<JsonRpcBatchReply> parse_json_rpc_batch(std::string body, std::span<const RpcCall> calls,
                                                             std::uint64_t first_id);

class JsonRpcClient {
 public:
  // REQUIRES: transport outlives the client.
  explicit JsonRpcClient(HttpTransport& transport, std::size_t max_batch = 100);

  // kRpcError when the node answered an error object: "<method>: node error
  // <code>: <message>", details in last_rpc_error(). Malformed answers are
  // retried like a transport fault, then kMalformed. Transport errors as
  // HttpTransport::post.
  [[nodiscard]] Result<JsonRpcReply> call(std::string_view method, std::string_view params_json,
                                          std::stop_token stop = {});
  // Chunks of max_batch calls. A node that rejects batches (an error object,
  // a non-array answer or an HTTP 4xx to a batch) is remembered and served
  // by sequential calls from then on. Per-call node errors are in the reply.
  [[nodiscard]] Result<JsonRpcBatchReply> batch(std::span<const RpcCall> calls, std::stop_token stop = {});

  // The node error of the last call() that failed with kRpcError; reset by a
  // successful call().
  [[nodiscard]] const std::optional<RpcErrorInfo>& last_rpc_error() const noexcept { return last_rpc_error_; }
  [[nodiscard]] bool batches_supported() const noexcept { return batches_supported_; }
  [[nodiscard]] HttpTransport& transport() noexcept { return *transport_; }

 private:
  Result<JsonRpcBatchReply> batch_chunk(std::span<const RpcCall> calls, std::stop_token stop);
  Result<JsonRpcBatchReply> sequential(std::span<const RpcCall> calls, std::stop_token stop);

  HttpTransport* transport_;
  std::size_t max_batch_;
  std::uint64_t next_id_ = 1;
  bool batches_supported_ = true;
  std::optional<RpcErrorInfo> last_rpc_error_;
};

}  // namespace csd
