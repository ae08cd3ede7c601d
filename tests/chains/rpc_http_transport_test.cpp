#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "chains/rpc/http_transport.hpp"
#include "tests/chains/support/test_http_server.hpp"

namespace csd {
namespace {

using namespace std::chrono_literals;
using testing_support::Behavior;
using testing_support::TestHttpServer;

// Quick retries so the tests run fast; generous timeouts for a loaded machine.
HttpTransportConfig fast_config(std::vector<std::string> urls) {
  HttpTransportConfig config;
  config.urls = std::move(urls);
  config.connect_timeout = 10s;
  config.request_timeout = 20s;
  config.retry.initial_backoff = 1ms;
  config.retry.max_backoff = 20ms;
  config.retry.max_attempts = 6;
  config.retry.endpoint_cooldown = 60s;
  return config;
}

std::unique_ptr<HttpTransport> make_transport(HttpTransportConfig config) {
  auto transport = HttpTransport::create(std::move(config));
  if (!transport) ADD_FAILURE() << transport.error().message;
  return transport ? std::move(*transport) : nullptr;
}

// A port nothing listens on: bound, then released.
std::uint16_t closed_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

template <class Pred>
bool wait_for(Pred pred) {
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

TEST(HttpTransport, PostReturnsTheBodyWithSimdjsonPadding) {
  TestHttpServer server;
  server.push(Behavior::ok(R"({"jsonrpc":"2.0","id":1,"result":"0x38"})"));
  auto transport = make_transport(fast_config({server.url()}));
  auto body = transport->post("", R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, R"({"jsonrpc":"2.0","id":1,"result":"0x38"})");
  EXPECT_GE(body->capacity(), body->size() + simdjson::SIMDJSON_PADDING);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/");
  EXPECT_EQ(requests[0].body, R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})");
}

TEST(HttpTransport, JoinsPathQueryHeadersAndBasicAuth) {
  TestHttpServer server;
  auto config =
      fast_config({"http://Aladdin:open%20sesame@127.0.0.1:" + std::to_string(server.port()) + "/base/?k=1"});
  config.headers.emplace_back("TRON-PRO-API-KEY", "key-123");
  auto transport = make_transport(config);
  ASSERT_TRUE(transport->post("/wallet/getnowblock", "{}"));
  ASSERT_TRUE(transport->get("wallet/x"));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/base/wallet/getnowblock?k=1");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/base/wallet/x?k=1");
  // RFC 7617 §2's example credentials.
  EXPECT_EQ(requests[0].authorization, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(requests[0].api_key, "key-123");
  EXPECT_EQ(transport->current_endpoint().find("Aladdin"), std::string::npos);
  EXPECT_EQ(transport->stats().snapshot().endpoint,
            "http://127.0.0.1:" + std::to_string(server.port()) + "/base/");
}

TEST(HttpTransport, RetriesServerErrorsThenSucceeds) {
  TestHttpServer server;
  server.push(Behavior::status_code(500));
  server.push(Behavior::status_code(502));
  server.push(Behavior::status_code(503));
  server.push(Behavior::ok("[1]"));
  auto transport = make_transport(fast_config({server.url()}));
  auto body = transport->post("", "{}");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, "[1]");
  EXPECT_EQ(server.request_count(), 4u);
  const auto stats = transport->stats().snapshot();
  EXPECT_EQ(stats.requests, 4u);
  EXPECT_EQ(stats.errors, 3u);
  EXPECT_EQ(stats.latency_count, 4u);
  EXPECT_TRUE(stats.last_error.empty());
}

TEST(HttpTransport, GivesUpAfterMaxAttemptsWithTheLastError) {
  TestHttpServer server;
  server.set_fallback([](const auto&) { return Behavior::status_code(503, "overloaded"); });
  auto config = fast_config({server.url()});
  config.retry.max_attempts = 3;
  auto transport = make_transport(config);
  auto body = transport->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(body.error().message.find("HTTP 503"), std::string::npos) << body.error().message;
  EXPECT_NE(body.error().message.find("overloaded"), std::string::npos) << body.error().message;
  EXPECT_NE(body.error().message.find("after 3 attempts"), std::string::npos) << body.error().message;
  EXPECT_EQ(server.request_count(), 3u);
  const auto stats = transport->stats().snapshot();
  EXPECT_EQ(stats.errors, 3u);
  EXPECT_NE(stats.last_error.find("HTTP 503"), std::string::npos);
  EXPECT_GT(stats.last_error_at, 1'600'000'000);
}

TEST(HttpTransport, ClientErrorIsNotRetried) {
  TestHttpServer server;
  server.push(Behavior::status_code(400, R"({"error":"bad request body"})"));
  auto transport = make_transport(fast_config({server.url()}));
  auto body = transport->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(body.error().message.find("HTTP 400"), std::string::npos) << body.error().message;
  EXPECT_NE(body.error().message.find("bad request body"), std::string::npos) << body.error().message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpTransport, HonoursRetryAfterSeconds) {
  TestHttpServer server;
  server.push(Behavior::rate_limited("1"));
  server.push(Behavior::ok("{}"));
  auto config = fast_config({server.url()});
  config.retry.max_backoff = 5s;
  auto transport = make_transport(config);
  ASSERT_TRUE(transport->post("", "{}"));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  // A lower bound only (RFC 9110 §10.2.3): the retry waited the second asked for.
  EXPECT_GE(requests[1].at - requests[0].at, 950ms);
  EXPECT_EQ(transport->stats().snapshot().rate_limited, 1u);
}

TEST(HttpTransport, RetryAfterIsCappedAtMaxBackoff) {
  TestHttpServer server;
  server.push(Behavior::rate_limited("Fri, 31 Dec 2100 23:59:59 GMT"));
  server.push(Behavior::ok("{}"));
  auto config = fast_config({server.url()});
  config.retry.max_backoff = 30ms;  // otherwise this test would wait until 2100
  auto transport = make_transport(config);
  auto body = transport->post("", "{}");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(HttpTransport, ConnectionClosedWithoutAnswerIsRetried) {
  TestHttpServer server;
  server.push(Behavior::closed());
  server.push(Behavior::ok("{\"a\":1}"));
  auto transport = make_transport(fast_config({server.url()}));
  auto body = transport->post("", "{}");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, "{\"a\":1}");
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(server.connections(), 2u);
  EXPECT_EQ(transport->stats().snapshot().errors, 1u);
}

TEST(HttpTransport, TruncatedAnswerIsRetried) {
  TestHttpServer server;
  server.push(Behavior::truncated(R"({"jsonrpc":"2.0","id":1,"result":"0x1234567890"})"));
  server.push(Behavior::ok("{}"));
  auto transport = make_transport(fast_config({server.url()}));
  auto body = transport->post("", "{}");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, "{}");
  const auto stats = transport->stats().snapshot();
  EXPECT_EQ(stats.errors, 1u);
  EXPECT_NE(stats.requests, 0u);
}

TEST(HttpTransport, SlowAnswerTimesOut) {
  TestHttpServer server;
  server.set_fallback([](const auto&) { return Behavior::slow(30s, "{}"); });
  auto config = fast_config({server.url()});
  config.request_timeout = 200ms;
  config.retry.max_attempts = 2;
  auto transport = make_transport(config);
  auto body = transport->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kTimeout);
  EXPECT_NE(body.error().message.find("200 ms"), std::string::npos) << body.error().message;
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(transport->stats().snapshot().timeouts, 2u);
}

TEST(HttpTransport, AnswerOverTheSizeLimitIsOutOfRange) {
  TestHttpServer server;
  server.push(Behavior::ok(std::string(1000, 'x')));  // exactly at the limit: fine
  server.push(Behavior::ok(std::string(1001, 'x')));  // one past: refused, not retried
  auto config = fast_config({server.url()});
  config.max_response_bytes = 1000;
  auto transport = make_transport(config);
  auto at_limit = transport->post("", "{}");
  ASSERT_TRUE(at_limit) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), 1000u);
  auto over = transport->post("", "{}");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kOutOfRange);
  EXPECT_NE(over.error().message.find("max_response_bytes"), std::string::npos) << over.error().message;
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(HttpTransport, FailsOverAndSkipsTheFailedEndpointDuringCooldown) {
  TestHttpServer first;
  TestHttpServer second;
  first.set_fallback([](const auto&) { return Behavior::status_code(502); });
  second.set_fallback([](const auto&) { return Behavior::ok("\"second\""); });
  auto transport = make_transport(fast_config({first.url(), second.url()}));
  EXPECT_EQ(transport->current_endpoint(), "http://127.0.0.1:" + std::to_string(first.port()) + "/");
  for (int i = 0; i < 3; ++i) {
    auto body = transport->post("", "{}");
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ(*body, "\"second\"");
  }
  EXPECT_EQ(first.request_count(), 1u);  // cooling down: not asked again
  EXPECT_EQ(second.request_count(), 3u);
  EXPECT_EQ(transport->current_endpoint(), "http://127.0.0.1:" + std::to_string(second.port()) + "/");
  const auto stats = transport->stats().snapshot();
  EXPECT_EQ(stats.failovers, 1u);
  EXPECT_EQ(stats.endpoint, transport->current_endpoint());
}

TEST(HttpTransport, ReturnsToTheFirstEndpointAfterItsCooldown) {
  TestHttpServer first;
  TestHttpServer second;
  first.push(Behavior::status_code(500));
  auto config = fast_config({first.url(), second.url()});
  config.retry.endpoint_cooldown = 50ms;
  auto transport = make_transport(config);
  ASSERT_TRUE(transport->post("", "{}"));
  EXPECT_EQ(second.request_count(), 1u);
  std::this_thread::sleep_for(100ms);  // the cooldown itself is what is tested: time must pass
  ASSERT_TRUE(transport->post("", "{}"));
  EXPECT_EQ(first.request_count(), 2u);
  EXPECT_EQ(second.request_count(), 1u);
}

TEST(HttpTransport, RefusedConnectionFailsOver) {
  TestHttpServer second;
  auto transport =
      make_transport(fast_config({"http://127.0.0.1:" + std::to_string(closed_port()), second.url()}));
  auto body = transport->post("", "{}");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(second.request_count(), 1u);
  const auto stats = transport->stats().snapshot();
  EXPECT_EQ(stats.errors, 1u);
  EXPECT_EQ(stats.failovers, 1u);
}

TEST(HttpTransport, AllEndpointsFailingAreTriedInTurn) {
  TestHttpServer first;
  TestHttpServer second;
  first.set_fallback([](const auto&) { return Behavior::status_code(500); });
  second.set_fallback([](const auto&) { return Behavior::status_code(503); });
  auto config = fast_config({first.url(), second.url()});
  config.retry.max_attempts = 5;
  auto transport = make_transport(config);
  auto body = transport->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(first.request_count() + second.request_count(), 5u);
  EXPECT_GE(first.request_count(), 2u);
  EXPECT_GE(second.request_count(), 2u);
}

TEST(HttpTransport, RefusedEverywhereIsUnavailable) {
  auto config = fast_config({"http://127.0.0.1:" + std::to_string(closed_port())});
  config.retry.max_attempts = 2;
  auto transport = make_transport(config);
  auto body = transport->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(body.error().message.find("connect"), std::string::npos) << body.error().message;
}

TEST(HttpTransport, StopDuringBackoffIsCancelled) {
  TestHttpServer server;
  server.set_fallback([](const auto&) { return Behavior::rate_limited("120"); });  // a two-minute backoff
  auto config = fast_config({server.url()});
  config.retry.max_backoff = 300s;
  auto transport = make_transport(config);
  std::stop_source stop;
  auto result = std::async(std::launch::async, [&] { return transport->post("", "{}", stop.get_token()); });
  ASSERT_TRUE(wait_for([&] { return server.request_count() >= 1; }));
  stop.request_stop();
  auto body = result.get();
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpTransport, StopDuringASlowReadIsCancelled) {
  TestHttpServer server;
  server.set_fallback([](const auto&) { return Behavior::slow(120s, "{}"); });
  auto config = fast_config({server.url()});
  config.request_timeout = 300s;
  auto transport = make_transport(config);
  std::stop_source stop;
  auto result = std::async(std::launch::async, [&] { return transport->post("", "{}", stop.get_token()); });
  ASSERT_TRUE(wait_for([&] { return server.request_count() >= 1; }));
  stop.request_stop();
  auto body = result.get();
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kCancelled);
  // The transport stays usable for the next call.
  server.set_fallback([](const auto&) { return Behavior::ok("{}"); });
  EXPECT_TRUE(transport->post("", "{}"));
}

TEST(HttpTransport, StopRequestedBeforehandSendsNothing) {
  TestHttpServer server;
  auto transport = make_transport(fast_config({server.url()}));
  std::stop_source stop;
  stop.request_stop();
  auto body = transport->post("", "{}", stop.get_token());
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_TRUE(transport->post("", "{}"));  // a fresh token works
}

TEST(HttpTransport, KeepAliveReusesOneConnection) {
  TestHttpServer server;
  auto transport = make_transport(fast_config({server.url()}));
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(transport->post("", "{}"));
  EXPECT_EQ(server.request_count(), 25u);
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(transport->connections_opened(), 1u);
}

TEST(HttpTransport, ConnectionCloseAnswerOpensANewConnection) {
  TestHttpServer server;
  Behavior closing = Behavior::ok("{}");
  closing.close_after = true;
  server.push(closing);
  auto transport = make_transport(fast_config({server.url()}));
  ASSERT_TRUE(transport->post("", "{}"));
  ASSERT_TRUE(transport->post("", "{}"));
  EXPECT_EQ(server.connections(), 2u);
  EXPECT_EQ(transport->stats().snapshot().errors, 0u);
}

TEST(HttpTransport, StaleKeepAliveSocketIsReplacedAtOnce) {
  TestHttpServer server;
  Behavior hang_up = Behavior::ok("{}");
  hang_up.hang_up_after = true;  // keep-alive promised, socket closed anyway
  server.push(hang_up);
  auto config = fast_config({server.url()});
  config.retry.max_attempts = 1;  // the reconnect is not a retry
  auto transport = make_transport(config);
  ASSERT_TRUE(transport->post("", "{}"));
  ASSERT_TRUE(wait_for([&] { return server.connections() == 1; }));
  auto second = transport->post("", "{}");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(transport->connections_opened(), 2u);
  const auto stats = transport->stats().snapshot();
  EXPECT_EQ(stats.errors, 0u);
  EXPECT_EQ(stats.failovers, 0u);
}

TEST(HttpTransport, CreateValidatesTheConfig) {
  auto none = HttpTransport::create(HttpTransportConfig{});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
  auto ws = HttpTransport::create(fast_config({"ws://127.0.0.1:1"}));
  ASSERT_FALSE(ws);
  EXPECT_NE(ws.error().message.find("http"), std::string::npos);
  auto bad = HttpTransport::create(fast_config({"http://127.0.0.1:1", "127.0.0.1:2"}));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("rpc_urls"), std::string::npos);
  auto config = fast_config({"https://127.0.0.1:1"});
  config.ca_file = "/nonexistent/ca.pem";
  auto no_ca = HttpTransport::create(config);
  ASSERT_FALSE(no_ca);
  EXPECT_NE(no_ca.error().message.find("ca_file"), std::string::npos);
}

}  // namespace
}  // namespace csd
