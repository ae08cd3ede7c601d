#include <gtest/gtest.h>

#include "chains/rpc/json_rpc.hpp"
#include "tests/chains/support/json_rpc_responder.hpp"
#include "tests/chains/support/test_http_server.hpp"

namespace csd {
namespace {

using namespace std::chrono_literals;
using testing_support::Behavior;
using testing_support::echo_result;
using testing_support::json_rpc_responder;
using testing_support::TestHttpServer;

HttpTransportConfig fast_config(const std::string& url) {
  HttpTransportConfig config;
  config.urls = {url};
  config.retry.initial_backoff = 1ms;
  config.retry.max_backoff = 10ms;
  config.retry.max_attempts = 4;
  return config;
}

std::string text_of(simdjson::dom::element element) {
  return simdjson::minify(element);
}

// --- the pure parsers -------------------------------------------------------

TEST(JsonRpcParse, SingleResult) {
  auto reply = parse_json_rpc_reply(R"({"jsonrpc":"2.0","id":7,"result":{"number":"0x1b4"}})",
                                    "eth_getBlockByNumber", 7);
  ASSERT_TRUE(reply) << reply.error().message;
  std::string_view number;
  ASSERT_EQ(reply->result()["number"].get(number), simdjson::SUCCESS);
  EXPECT_EQ(number, "0x1b4");
  // Moving the reply keeps result() valid (the parser is owned by pointer).
  JsonRpcReply moved = std::move(*reply);
  EXPECT_EQ(text_of(moved.result()), R"({"number":"0x1b4"})");
}

TEST(JsonRpcParse, NullResultIsAResult) {
  auto reply = parse_json_rpc_reply(R"({"jsonrpc":"2.0","id":1,"result":null})", "eth_getBlockByNumber", 1);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_TRUE(reply->result().is_null());
}

TEST(JsonRpcParse, NodeErrorCarriesCodeAndMessage) {
  // The shape geth answers for an over-wide eth_getLogs (go-ethereum rpc/errors.go, -32005 limit exceeded).
  RpcErrorInfo info;
  auto reply = parse_json_rpc_reply(
      R"({"jsonrpc":"2.0","id":3,"error":{"code":-32005,"message":"query returned more than 10000 results"}})",
      "eth_getLogs", 3, &info);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kRpcError);
  EXPECT_EQ(reply.error().message, "eth_getLogs: node error -32005: query returned more than 10000 results");
  EXPECT_EQ(info.code, -32005);
  EXPECT_EQ(info.message, "query returned more than 10000 results");
}

TEST(JsonRpcParse, ErrorWithNullIdIsStillAnError) {
  auto reply = parse_json_rpc_reply(
      R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}})", "eth_x", 5);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kRpcError);
}

TEST(JsonRpcParse, MalformedAnswers) {
  const char* cases[] = {
      R"({"jsonrpc":"2.0","id":1,"result":)",              // truncated
      R"(<html>502 Bad Gateway</html>)",                   // not JSON
      R"([])",                                             // not an object
      R"({"jsonrpc":"1.0","id":1,"result":1})",            // wrong version
      R"({"jsonrpc":"2.0","id":2,"result":1})",            // wrong id
      R"({"jsonrpc":"2.0","result":1})",                   // no id
      R"({"jsonrpc":"2.0","id":1})",                       // neither result nor error
      R"({"jsonrpc":"2.0","id":1,"error":"boom"})",        // error not an object
      R"({"jsonrpc":"2.0","id":1,"error":{"code":"x"}})",  // code not an integer
      R"({"jsonrpc":"2.0","id":{},"result":1})",           // id of a wrong type
      "",
  };
  for (const char* text : cases) {
    auto reply = parse_json_rpc_reply(text, "eth_blockNumber", 1);
    ASSERT_FALSE(reply) << text;
    EXPECT_EQ(reply.error().code, ErrorCode::kMalformed) << text;
    EXPECT_NE(reply.error().message.find("eth_blockNumber"), std::string::npos) << reply.error().message;
  }
}

TEST(JsonRpcParse, StringIdIsAccepted) {
  auto reply = parse_json_rpc_reply(R"({"jsonrpc":"2.0","id":"9","result":true})", "m", 9);
  ASSERT_TRUE(reply) << reply.error().message;
}

TEST(JsonRpcParse, BatchIsMatchedById) {
  const std::vector<RpcCall> calls{{"a", "[]"}, {"b", "[]"}, {"c", "[]"}};
  auto batch = parse_json_rpc_batch(
      R"([{"jsonrpc":"2.0","id":12,"result":"C"},{"jsonrpc":"2.0","id":10,"result":"A"},)"
      R"({"jsonrpc":"2.0","id":11,"error":{"code":-32000,"message":"header not found"}}])",
      calls, 10);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_EQ(text_of(*batch->at(0)), "\"A\"");
  ASSERT_FALSE(batch->at(1));
  EXPECT_EQ(batch->at(1).error().code, ErrorCode::kRpcError);
  EXPECT_EQ(batch->at(1).error().message, "b: node error -32000: header not found");
  ASSERT_NE(batch->rpc_error(1), nullptr);
  EXPECT_EQ(batch->rpc_error(1)->code, -32000);
  EXPECT_EQ(batch->rpc_error(0), nullptr);
  EXPECT_EQ(text_of(*batch->at(2)), "\"C\"");
}

TEST(JsonRpcParse, BatchRejections) {
  const std::vector<RpcCall> calls{{"a", "[]"}, {"b", "[]"}};
  auto object = parse_json_rpc_batch(
      R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch"}})", calls, 1);
  ASSERT_FALSE(object);
  EXPECT_EQ(object.error().code, ErrorCode::kUnsupported);
  auto one_error = parse_json_rpc_batch(
      R"([{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"no"}}])", calls, 1);
  ASSERT_FALSE(one_error);
  EXPECT_EQ(one_error.error().code, ErrorCode::kUnsupported);
}

TEST(JsonRpcParse, MalformedBatches) {
  const std::vector<RpcCall> calls{{"a", "[]"}, {"b", "[]"}};
  const char* cases[] = {
      R"([{"jsonrpc":"2.0","id":1,"result":1}])",                                      // one missing
      R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":1,"result":1}])",  // duplicate
      R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":3,"result":1}])",  // unknown id
      R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2}])",             // no result
      R"([{"jsonrpc":"2.0","id":1,"result":1},5])",                                    // not an object
      R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2,"result":)",     // truncated
      R"("text")",
  };
  for (const char* text : cases) {
    auto batch = parse_json_rpc_batch(text, calls, 1);
    ASSERT_FALSE(batch) << text;
    EXPECT_EQ(batch.error().code, ErrorCode::kMalformed) << text;
  }
}

// --- the client over a local node -------------------------------------------

TEST(JsonRpcClient, CallSendsAWellFormedRequest) {
  TestHttpServer server;
  server.set_fallback(json_rpc_responder(echo_result));
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  auto reply = client.call("eth_getBlockByNumber", R"(["0x10",false])");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(text_of(reply->result()), R"({"m":"eth_getBlockByNumber","p":["0x10",false]})");
  auto empty = client.call("eth_chainId", "");
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(text_of(empty->result()), R"({"m":"eth_chainId","p":[]})");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body,
            R"({"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x10",false]})");
}

TEST(JsonRpcClient, NodeErrorIsReportedNotRetried) {
  TestHttpServer server;
  server.push(Behavior::ok(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"limit exceeded"}})"));
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  auto reply = client.call("eth_getLogs", "[{}]");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kRpcError);
  EXPECT_EQ(reply.error().message, "eth_getLogs: node error -32005: limit exceeded");
  ASSERT_TRUE(client.last_rpc_error());
  EXPECT_EQ(client.last_rpc_error()->code, -32005);
  EXPECT_EQ(server.request_count(), 1u);
  server.set_fallback(json_rpc_responder(echo_result));
  ASSERT_TRUE(client.call("eth_blockNumber", "[]"));
  EXPECT_FALSE(client.last_rpc_error());
}

TEST(JsonRpcClient, MalformedAnswerIsRetriedLikeATransportFault) {
  TestHttpServer server;
  server.push(Behavior::ok(R"({"jsonrpc":"2.0","id":1,"res)"));          // truncated JSON
  server.push(Behavior::ok(R"({"jsonrpc":"2.0","id":99,"result":1})"));  // wrong id
  server.set_fallback(json_rpc_responder(echo_result));
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  auto reply = client.call("eth_blockNumber", "[]");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ((*transport)->stats().snapshot().errors, 2u);
}

TEST(JsonRpcClient, PersistentlyMalformedIsMalformed) {
  TestHttpServer server;
  server.set_fallback([](const auto&) { return Behavior::ok("not json"); });
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  auto reply = client.call("eth_blockNumber", "[]");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(server.request_count(), 4u);  // max_attempts
}

TEST(JsonRpcClient, BatchAnswersInCallOrderWhateverTheNodeOrder) {
  TestHttpServer server;
  server.set_fallback(json_rpc_responder(echo_result, /*reverse_batches=*/true));
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport, /*max_batch=*/4);
  std::vector<RpcCall> calls;
  for (int i = 0; i < 10; ++i)
    calls.push_back({"eth_getBlockByNumber", "[\"0x" + std::to_string(i) + "\",false]"});
  auto batch = client.batch(calls);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), 10u);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(text_of(*batch->at(i)),
              R"({"m":"eth_getBlockByNumber","p":["0x)" + std::to_string(i) + R"(",false]})");
  }
  EXPECT_EQ(server.request_count(), 3u);  // chunks of 4, 4, 2
  EXPECT_TRUE(client.batches_supported());
}

TEST(JsonRpcClient, BatchWithAMissingAnswerIsRetried) {
  TestHttpServer server;
  server.push(Behavior::ok(R"([{"jsonrpc":"2.0","id":1,"result":"only one"}])"));
  server.set_fallback(json_rpc_responder(echo_result));
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  const std::vector<RpcCall> calls{{"a", "[]"}, {"b", "[]"}};
  auto batch = client.batch(calls);
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(text_of(*batch->at(1)), R"({"m":"b","p":[]})");
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(JsonRpcClient, NodeThatRejectsBatchesIsServedSequentially) {
  TestHttpServer server;
  server.push(Behavior::ok(
      R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch requests not supported"}})"));
  server.set_fallback(json_rpc_responder(echo_result));
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  const std::vector<RpcCall> calls{{"a", "[1]"}, {"b", "[2]"}, {"c", "[3]"}};
  auto first = client.batch(calls);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(client.batches_supported());
  EXPECT_EQ(text_of(*first->at(2)), R"({"m":"c","p":[3]})");
  EXPECT_EQ(server.request_count(), 4u);  // the rejected batch, then three calls
  auto second = client.batch(calls);      // remembered: no batch attempted
  ASSERT_TRUE(second);
  EXPECT_EQ(server.request_count(), 7u);
  const auto requests = server.requests();
  for (std::size_t i = 1; i < requests.size(); ++i) EXPECT_NE(requests[i].body.front(), '[') << i;
}

TEST(JsonRpcClient, HttpClientErrorToABatchFallsBackToo) {
  TestHttpServer server;
  server.push(Behavior::status_code(413, "batch too large"));
  server.set_fallback(json_rpc_responder(echo_result));
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  const std::vector<RpcCall> calls{{"a", "[]"}, {"b", "[]"}};
  auto batch = client.batch(calls);
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->size(), 2u);
  EXPECT_FALSE(client.batches_supported());
}

TEST(JsonRpcClient, SequentialFallbackKeepsPerCallErrors) {
  TestHttpServer server;
  server.push(Behavior::ok(R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"no batches"},"id":null})"));
  server.set_fallback([](const testing_support::RecordedRequest& request) {
    if (request.body.find("\"method\":\"bad\"") != std::string::npos) {
      const auto id_at = request.body.find("\"id\":") + 5;
      const std::string id = request.body.substr(id_at, request.body.find(',', id_at) - id_at);
      return Behavior::ok(R"({"jsonrpc":"2.0","id":)" + id +
                          R"(,"error":{"code":-32601,"message":"no such method"}})");
    }
    return json_rpc_responder(echo_result)(request);
  });
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  const std::vector<RpcCall> calls{{"good", "[]"}, {"bad", "[]"}, {"good", "[1]"}};
  auto batch = client.batch(calls);
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_TRUE(batch->at(0));
  ASSERT_FALSE(batch->at(1));
  EXPECT_EQ(batch->at(1).error().message, "bad: node error -32601: no such method");
  EXPECT_EQ(text_of(*batch->at(2)), R"({"m":"good","p":[1]})");
}

TEST(JsonRpcClient, EmptyBatchIsEmpty) {
  TestHttpServer server;
  auto transport = HttpTransport::create(fast_config(server.url()));
  ASSERT_TRUE(transport);
  JsonRpcClient client(**transport);
  auto batch = client.batch({});
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->size(), 0u);
  EXPECT_EQ(server.request_count(), 0u);
}

}  // namespace
}  // namespace csd
