// Tests of api/server.hpp over real loopback sockets (port 0), with a
// trivial handler that echoes the parsed request as JSON: keep-alive,
// pipelining, every error the server answers itself (SPEC 5, issue 6), HEAD,
// X-Request-Id, timeouts (slow-loris, idle), the connection cap with 2 000
// idle connections, handler exceptions, and the metrics it records.
#include "api/server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "api/errors.hpp"
#include "tests/api/support/http_test_client.hpp"
#include "tests/api/support/raw_socket.hpp"

namespace csd {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using testing_support::HttpTestClient;
using testing_support::HttpTestResponse;
using testing_support::RawSocket;

constexpr auto kGenerous = 60s;

ApiResponse echo_handler(const ApiRequest& request) {
  if (request.path == "/throw") throw std::runtime_error("boom");
  if (request.path == "/throw-int") throw 42;
  ApiResponse response;
  if (request.path == "/text") {
    response.body = "plain text\n";
    response.content_type = "text/plain; version=0.0.4";
    response.route = "/text";
    return response;
  }
  if (request.path == "/bad-header") {
    response.headers = {{"X-Injected", "a\r\nSet-Cookie: x"}, {"Content-Length", "9999"}, {"X-Fine", "yes"}};
  }
  Json query = Json::array();
  for (const auto& [key, value] : request.query) query.push_back(Json::array({key, value}));
  Json headers = Json::object();
  for (const auto& [name, value] : request.headers) headers[name] = value;
  response.body = Json{{"method", request.method}, {"path", request.path}, {"raw_target", request.raw_target},
                       {"query", query},           {"headers", headers},   {"request_id", request.request_id},
                       {"now", request.now}}
                      .dump();
  response.route = "/echo";
  return response;
}

// The parsed error body, after checking the SPEC 5 shape around it.
Json expect_error(const HttpTestResponse& response, unsigned status, std::string_view code) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  const Json body = Json::parse(response.body, nullptr, false);
  EXPECT_FALSE(body.is_discarded()) << response.body;
  if (body.is_discarded()) return Json();
  if (!body.contains("error")) {
    ADD_FAILURE() << "no error object: " << response.body;
    return Json();
  }
  Json error = body.at("error");
  EXPECT_EQ(error.size(), 5u) << response.body;
  EXPECT_EQ(error["code"], code) << response.body;
  EXPECT_TRUE(error["message"].is_string() && !error["message"].get<std::string>().empty());
  EXPECT_TRUE(error["details"].is_object());
  EXPECT_EQ(error["request_id"], response.header("x-request-id").value_or("?"));
  EXPECT_EQ(error["timestamp"], "2026-04-30T12:00:00Z");
  return error;
}

// Parses a raw byte stream holding one or more responses.
std::vector<HttpTestResponse> split_responses(const std::string& raw) {
  std::vector<HttpTestResponse> out;
  std::size_t at = 0;
  while (at < raw.size()) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    boost::system::error_code ec;
    parser.eager(true);
    const std::size_t used = parser.put(boost::asio::buffer(raw.data() + at, raw.size() - at), ec);
    if (ec || !parser.is_done()) break;
    HttpTestResponse response;
    response.status = parser.get().result_int();
    response.body = parser.get().body();
    out.push_back(std::move(response));
    at += used;
  }
  return out;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerConfig config = {}) {
    config.listen = "127.0.0.1:0";
    config.clock = [] { return std::int64_t{1'777'550'400}; };  // 2026-04-30T12:00:00Z
    config.log_error = [this](std::string_view text) {
      const std::lock_guard lock(log_mutex_);
      log_.emplace_back(text);
    };
    metrics_ = std::make_shared<HttpMetrics>();
    auto server = HttpServer::start(std::move(config), echo_handler, metrics_);
    ASSERT_TRUE(server.has_value()) << server.error().message;
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }
  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] std::string metrics_text() const {
    MetricsText text;
    metrics_->write(text);
    return text.take();
  }
  // Waits (without a timing assertion) until the condition holds or a generous deadline passes.
  template <class Condition>
  static bool eventually(Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + kGenerous;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  std::shared_ptr<HttpMetrics> metrics_;
  std::unique_ptr<HttpServer> server_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;  // guarded by log_mutex_
};

TEST_F(ServerTest, AnswersGetWithTheCommonHeaders) {
  start();
  EXPECT_NE(port(), 0);
  HttpTestClient client(port());
  const auto response = client.get("/v1/x?a=1&b=x%20y&c+d=e+f&flag&a=2");
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.header("cache-control"), "no-store");
  EXPECT_EQ(response.header("date"), "Thu, 30 Apr 2026 12:00:00 GMT");
  EXPECT_EQ(response.header("content-length"), std::to_string(response.body.size()));
  const Json body = Json::parse(response.body);
  EXPECT_EQ(body["method"], "GET");
  EXPECT_EQ(body["path"], "/v1/x");
  EXPECT_EQ(body["raw_target"], "/v1/x?a=1&b=x%20y&c+d=e+f&flag&a=2");
  EXPECT_EQ(body["query"], Json::parse(R"([["a","1"],["b","x y"],["c d","e f"],["flag",""],["a","2"]])"));
  EXPECT_EQ(body["headers"]["host"], "127.0.0.1");
  EXPECT_EQ(body["now"], 1'777'550'400);
}

TEST_F(ServerTest, HandlerContentTypeIsKept) {
  start();
  HttpTestClient client(port());
  const auto response = client.get("/text");
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.header("content-type"), "text/plain; version=0.0.4");
  EXPECT_EQ(response.body, "plain text\n");
  EXPECT_EQ(response.header("cache-control"), "no-store");
}

TEST_F(ServerTest, UnsafeOrServerOwnedHandlerHeadersAreDropped) {
  start();
  HttpTestClient client(port());
  const auto response = client.get("/bad-header");
  EXPECT_EQ(response.status, 200u);
  EXPECT_FALSE(response.header("x-injected").has_value());
  EXPECT_FALSE(response.header("set-cookie").has_value());
  EXPECT_EQ(response.header("x-fine"), "yes");
  EXPECT_EQ(response.header("content-length"), std::to_string(response.body.size()));
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  start();
  HttpTestClient client(port());
  for (int i = 0; i < 5; ++i) {
    const auto response = client.get("/k" + std::to_string(i));
    ASSERT_EQ(response.status, 200u) << response.body;
    EXPECT_FALSE(response.closes());
    EXPECT_TRUE(client.connected());
  }
  EXPECT_NE(metrics_text().find("chainsyncd_http_connections_accepted_total 1\n"), std::string::npos);
  EXPECT_EQ(metrics_->requests("/echo", 200), 5u);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start(ServerConfig{.threads = 2});
  HttpTestClient client(port());
  std::string pipeline;
  for (int i = 0; i < 20; ++i) pipeline += "GET /p" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n";
  ASSERT_TRUE(client.send_raw(pipeline));
  for (int i = 0; i < 20; ++i) {
    const auto response = client.read_response();
    ASSERT_EQ(response.status, 200u) << i << ": " << response.body;
    EXPECT_EQ(Json::parse(response.body)["path"], "/p" + std::to_string(i));
  }
}

TEST_F(ServerTest, HeadSendsTheGetHeadersWithoutBody) {
  start();
  HttpTestClient client(port());
  const auto get = client.get("/text", {{"X-Request-Id", "fixed"}});
  const auto head = client.head("/text", {{"X-Request-Id", "fixed"}});
  ASSERT_EQ(head.status, 200u) << head.body;
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.header("content-type"), get.header("content-type"));
  EXPECT_EQ(head.header("cache-control"), "no-store");
  EXPECT_EQ(head.header("x-request-id"), "fixed");
  // The connection is still in step: a GET after the HEAD reads its own answer.
  const auto after = client.get("/after");
  ASSERT_EQ(after.status, 200u);
  EXPECT_EQ(Json::parse(after.body)["path"], "/after");
}

TEST_F(ServerTest, HeadAndGetPipelinedStayInStep) {
  start();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send_raw("HEAD /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"));
  const auto head = client.read_response(true);
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
  const auto get = client.read_response();
  ASSERT_EQ(get.status, 200u);
  EXPECT_EQ(Json::parse(get.body)["path"], "/b");
}

TEST_F(ServerTest, RequestIdIsEchoedWhenSaneElseGenerated) {
  start();
  HttpTestClient client(port());
  const std::string longest(128, 'a');
  EXPECT_EQ(client.get("/", {{"X-Request-Id", "abc-1.2_3"}}).header("x-request-id"), "abc-1.2_3");
  EXPECT_EQ(client.get("/", {{"X-Request-Id", longest}}).header("x-request-id"), longest);
  const auto echoed = client.get("/", {{"x-request-id", "lower"}});
  EXPECT_EQ(Json::parse(echoed.body)["request_id"], "lower");  // the handler sees the same id

  std::vector<std::string> generated;
  for (const std::string& insane :
       {std::string(129, 'a'), std::string("has space"), std::string("semi;colon"), std::string()}) {
    const auto response = insane.empty() ? client.get("/") : client.get("/", {{"X-Request-Id", insane}});
    const std::string id = response.header("x-request-id").value_or("");
    EXPECT_EQ(id.size(), 32u) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_EQ(Json::parse(response.body)["request_id"], id);
    generated.push_back(id);
  }
  std::sort(generated.begin(), generated.end());
  EXPECT_EQ(std::unique(generated.begin(), generated.end()), generated.end());  // fresh ids
}

TEST_F(ServerTest, OtherMethodsAre405WithAllow) {
  start();
  HttpTestClient client(port());
  for (const std::string_view method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"}) {
    const auto response = client.request(method, "/v1/status", {{"X-Request-Id", "m"}});
    expect_error(response, 405, "METHOD_NOT_ALLOWED");
    EXPECT_EQ(response.header("allow"), "GET, HEAD") << method;
    EXPECT_EQ(response.header("x-request-id"), "m");
  }
  // Without a body the connection stays usable.
  EXPECT_EQ(client.get("/ok").status, 200u);
  EXPECT_EQ(metrics_->requests("unmatched", 405), 6u);
}

TEST_F(ServerTest, PostWithBodyIs405AndCloses) {
  start();
  HttpTestClient client(port());
  const auto response = client.request("POST", "/v1/status", {}, R"({"a":1})");
  expect_error(response, 405, "METHOD_NOT_ALLOWED");
  EXPECT_TRUE(response.closes());
}

TEST_F(ServerTest, BodiesAre413) {
  start();
  HttpTestClient client(port());
  const auto with_length = client.request("GET", "/x", {}, "hello");
  expect_error(with_length, 413, "PAYLOAD_TOO_LARGE");
  EXPECT_TRUE(with_length.closes());

  HttpTestClient chunked(port());
  ASSERT_TRUE(chunked.send_raw(
      "GET /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  expect_error(chunked.read_response(), 413, "PAYLOAD_TOO_LARGE");

  HttpTestClient zero(port());  // Content-Length: 0 is no body
  EXPECT_EQ(zero.get("/x", {{"Content-Length", "0"}}).status, 200u);
}

TEST_F(ServerTest, TargetLimitIs414OnePastTheBound) {
  start(ServerConfig{.target_limit = 2048});
  HttpTestClient client(port());
  const std::string at_limit = "/" + std::string(2047, 'a');
  EXPECT_EQ(client.get(at_limit).status, 200u);
  const auto over = client.get(at_limit + "a");
  expect_error(over, 414, "URI_TOO_LONG");
  // A target so long that the head passes 8 KiB is still a long target, not large headers.
  HttpTestClient huge(port());
  expect_error(huge.get("/" + std::string(9000, 'a')), 414, "URI_TOO_LONG");
}

TEST_F(ServerTest, HeadersOver8KiBAre431) {
  start();
  // The whole head (request line + fields + CRLFs) at exactly 8 KiB passes; one more byte fails.
  const std::string prefix = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ";
  const std::size_t pad = 8 * 1024 - prefix.size() - 4;  // "\r\n\r\n"
  HttpTestClient ok(port());
  ASSERT_TRUE(ok.send_raw(prefix + std::string(pad, 'p') + "\r\n\r\n"));
  EXPECT_EQ(ok.read_response().status, 200u);
  HttpTestClient over(port());
  ASSERT_TRUE(over.send_raw(prefix + std::string(pad + 1, 'p') + "\r\n\r\n"));
  const auto response = over.read_response();
  expect_error(response, 431, "HEADER_TOO_LARGE");
  EXPECT_TRUE(response.closes());
}

TEST_F(ServerTest, MalformedRequestsAre400) {
  start();
  for (const std::string& raw :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET\r\n\r\n"),
        std::string("GET / HTTP/9.9\r\nHost: h\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nBad Header Name: x\r\n\r\n"),
        std::string("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)}) {
    HttpTestClient client(port());
    ASSERT_TRUE(client.send_raw(raw));
    const auto response = client.read_response();
    expect_error(response, 400, "BAD_REQUEST");
    EXPECT_TRUE(response.closes()) << raw;
  }
}

TEST_F(ServerTest, BadTargetsAre400) {
  start();
  HttpTestClient client(port());
  expect_error(client.get("/a%zz"), 400, "BAD_REQUEST");
  expect_error(client.get("/a%00b"), 400, "BAD_REQUEST");
  expect_error(client.get("/a%C3%28"), 400, "BAD_REQUEST");  // not UTF-8
  const Json error = expect_error(client.get("/a?limit=1&offset=%G1"), 400, "INVALID_PARAMETER");
  EXPECT_NE(error["message"].get<std::string>().find("offset"), std::string::npos) << error;
  expect_error(client.get("/a?x=%00"), 400, "INVALID_PARAMETER");
  // These answers keep the connection: the request was complete.
  EXPECT_EQ(client.get("/fine").status, 200u);
}

TEST_F(ServerTest, MissingHostIs400ButHttp10IsServed) {
  start();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send_raw("GET / HTTP/1.1\r\n\r\n"));
  expect_error(client.read_response(), 400, "BAD_REQUEST");

  HttpTestClient old(port());
  ASSERT_TRUE(old.send_raw("GET /old HTTP/1.0\r\n\r\n"));
  const auto response = old.read_response();
  ASSERT_EQ(response.status, 200u);
  EXPECT_EQ(Json::parse(response.body)["path"], "/old");
  EXPECT_TRUE(old.wait_closed_by_peer());  // HTTP/1.0 without keep-alive closes
}

TEST_F(ServerTest, AbsoluteFormTargetIsAccepted) {  // RFC 9112 §3.2.2
  start();
  HttpTestClient client(port());
  ASSERT_TRUE(client.send_raw("GET http://127.0.0.1/abs?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const auto response = client.read_response();
  ASSERT_EQ(response.status, 200u);
  EXPECT_EQ(Json::parse(response.body)["path"], "/abs");
}

TEST_F(ServerTest, HandlerExceptionIs500AndTheServerKeepsServing) {
  start(ServerConfig{.threads = 1});
  HttpTestClient client(port());
  const auto response = client.get("/throw", {{"X-Request-Id", "t1"}});
  const Json error = expect_error(response, 500, "INTERNAL");
  EXPECT_EQ(error["message"], "internal error");  // no internals leak
  expect_error(client.get("/throw-int"), 500, "INTERNAL");
  EXPECT_EQ(client.get("/after").status, 200u);
  const std::lock_guard lock(log_mutex_);
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_NE(log_[0].find("boom"), std::string::npos) << log_[0];
}

TEST_F(ServerTest, SlowLorisIsCutAtTheHeaderTimeoutWhileOthersAreServed) {
  // One worker thread: a slow client must not hold it.
  start(ServerConfig{.threads = 1, .header_timeout = 2s});
  RawSocket slow;
  ASSERT_TRUE(slow.connect(port()));
  const std::string head =
      "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: abcdefghijklmnopqrstuvwxyz\r\n\r\n";
  HttpTestClient other(port());
  std::size_t sent = 0;
  std::uint64_t served = 0;
  bool cut = false;
  for (; sent < head.size(); ++sent) {
    if (!slow.send(head.substr(sent, 1))) {
      cut = true;
      break;
    }
    const auto answer = other.get("/other");  // served while the slow head trickles in
    ASSERT_EQ(answer.status, 200u) << answer.body;
    ++served;
    // The behaviour under test is a client sending one byte a second.
    const auto waited = slow.read_until_close(1s);
    if (waited.closed) {
      cut = true;
      EXPECT_TRUE(waited.data.empty() || waited.data.starts_with("HTTP/1.1 408")) << waited.data;
      break;
    }
    if (!waited.data.empty()) {
      EXPECT_TRUE(waited.data.starts_with("HTTP/1.1 408")) << waited.data;
    }
  }
  EXPECT_TRUE(cut) << "the slow client sent its whole head without being cut";
  EXPECT_LT(sent, head.size());
  EXPECT_GT(served, 0u);
  EXPECT_EQ(metrics_->requests("/echo", 200), served);  // the slow request never reached the handler
  EXPECT_NE(metrics_text().find("chainsyncd_http_timeouts_total{kind=\"header\"} 1\n"), std::string::npos);
}

TEST_F(ServerTest, HeaderTimeoutAnswers408) {
  start(ServerConfig{.header_timeout = 500ms});
  RawSocket slow;
  ASSERT_TRUE(slow.connect(port()));
  ASSERT_TRUE(slow.send("GET / HTTP/1.1\r\nHo"));  // and nothing more
  const auto received = slow.read_until_close(kGenerous);
  EXPECT_TRUE(received.closed);
  const auto responses = split_responses(received.data);
  ASSERT_EQ(responses.size(), 1u) << received.data;
  EXPECT_EQ(responses[0].status, 408u);
  EXPECT_EQ(Json::parse(responses[0].body)["error"]["code"], "TIMEOUT");
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  start(ServerConfig{.idle_timeout = 300ms});
  HttpTestClient client(port());
  EXPECT_EQ(client.get("/once").status, 200u);
  EXPECT_TRUE(client.wait_closed_by_peer());
  EXPECT_TRUE(eventually([&] { return metrics_->connections_open() == 0; }));
  EXPECT_NE(metrics_text().find("chainsyncd_http_timeouts_total{kind=\"idle\"} 1\n"), std::string::npos);
  // A closed keep-alive connection is reopened by the client and served.
  EXPECT_EQ(client.get("/again").status, 200u);
}

TEST_F(ServerTest, TwoThousandIdleConnectionsAgainstTheCap) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < 3000 && limit.rlim_max >= 3000) {
    limit.rlim_cur = 3000;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  if (limit.rlim_cur < 3000) GTEST_SKIP() << "RLIMIT_NOFILE below 3000";

  constexpr std::size_t kCap = 256;
  constexpr std::size_t kClients = 2000;
  start(ServerConfig{.max_connections = kCap, .threads = 2});
  std::vector<RawSocket> idle(kClients);
  for (std::size_t i = 0; i < kClients; ++i) ASSERT_TRUE(idle[i].connect(port())) << i;
  ASSERT_TRUE(eventually([&] { return metrics_->connections_open() == static_cast<std::int64_t>(kCap); }));

  // Beyond the cap: answered 503 SERVICE_UNAVAILABLE and closed (or closed at once).
  std::size_t answered_503 = 0;
  for (std::size_t i = kClients - 20; i < kClients; ++i) {
    const auto received = idle[i].read_until_close(kGenerous);
    EXPECT_TRUE(received.closed) << i;
    if (!received.data.empty()) {
      const auto responses = split_responses(received.data);
      ASSERT_EQ(responses.size(), 1u) << received.data;
      EXPECT_EQ(responses[0].status, 503u);
      EXPECT_EQ(Json::parse(responses[0].body)["error"]["code"], "SERVICE_UNAVAILABLE");
      ++answered_503;
    }
  }
  {
    // The first connection over the cap always gets the 503 answer.
    const auto received = idle[kCap].read_until_close(kGenerous);
    EXPECT_TRUE(received.closed);
    EXPECT_NE(received.data.find("SERVICE_UNAVAILABLE"), std::string::npos) << received.data;
  }
  // A new client while the cap is full is refused, not hung.
  {
    HttpTestClient refused(port());
    const auto response = refused.get("/full");
    EXPECT_TRUE(response.status == 503u || response.status == 0u) << response.status << " " << response.body;
  }
  // The served idle connections are alive: one of them can still ask.
  ASSERT_TRUE(idle[0].send("GET /alive HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
  const auto alive = split_responses(idle[0].read_until_close(kGenerous).data);
  ASSERT_EQ(alive.size(), 1u);
  EXPECT_EQ(alive[0].status, 200u);

  // Once some close, new clients are served again.
  for (std::size_t i = 1; i <= 100; ++i) idle[i].close();
  ASSERT_TRUE(
      eventually([&] { return metrics_->connections_open() <= static_cast<std::int64_t>(kCap - 100); }));
  HttpTestClient next(port());
  const auto served = next.get("/next");
  EXPECT_EQ(served.status, 200u) << served.body;
  EXPECT_GT(metrics_->requests("unmatched", 503), 0u);
  const std::string text = metrics_text();
  EXPECT_EQ(text.find("chainsyncd_http_connections_rejected_total 0\n"), std::string::npos);
}

TEST_F(ServerTest, StopClosesConnectionsAndIsIdempotent) {
  start();
  HttpTestClient client(port());
  EXPECT_EQ(client.get("/before").status, 200u);
  server_->stop();
  EXPECT_TRUE(client.wait_closed_by_peer());
  server_->stop();  // again: no effect
  HttpTestClient late(port());
  EXPECT_EQ(late.get("/after").status, 0u);  // nobody listens
}

TEST_F(ServerTest, MetricsRecordRoutesAndStatuses) {
  start();
  HttpTestClient client(port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.get("/m").status, 200u);
  EXPECT_EQ(client.get("/text").status, 200u);
  EXPECT_EQ(client.request("DELETE", "/m").status, 405u);
  EXPECT_EQ(client.get("/throw").status, 500u);
  const std::string text = metrics_text();
  // Parse the sample lines back into name{labels} -> value.
  std::map<std::string, std::string> samples;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    ASSERT_NE(space, std::string::npos) << line;
    samples[line.substr(0, space)] = line.substr(space + 1);
  }
  EXPECT_EQ(samples["chainsyncd_http_requests_total{route=\"/echo\",status=\"200\"}"], "3");
  EXPECT_EQ(samples["chainsyncd_http_requests_total{route=\"/text\",status=\"200\"}"], "1");
  EXPECT_EQ(samples["chainsyncd_http_requests_total{route=\"unmatched\",status=\"405\"}"], "1");
  EXPECT_EQ(samples["chainsyncd_http_requests_total{route=\"unmatched\",status=\"500\"}"], "1");
  EXPECT_EQ(samples["chainsyncd_http_request_duration_seconds_count{route=\"/echo\"}"], "3");
  EXPECT_EQ(samples["chainsyncd_http_request_duration_seconds_bucket{route=\"/echo\",le=\"+Inf\"}"], "3");
  EXPECT_EQ(samples["chainsyncd_http_connections_open"], "1");
}

TEST(ServerStart, RejectsBadListenAddresses) {
  auto metrics = std::make_shared<HttpMetrics>();
  for (const char* listen : {"nonsense", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:http", "[::1:80",
                             "no.such.host.invalid:80"}) {
    const auto server = HttpServer::start(ServerConfig{.listen = listen}, echo_handler, metrics);
    ASSERT_FALSE(server.has_value()) << listen;
    EXPECT_EQ(server.error().code, ErrorCode::kInvalidArgument) << listen << ": " << server.error().message;
    EXPECT_NE(server.error().message.find("api.listen"), std::string::npos);
  }
}

TEST(ServerStart, PortInUseIsAnIoError) {
  auto metrics = std::make_shared<HttpMetrics>();
  auto first = HttpServer::start(ServerConfig{.listen = "127.0.0.1:0"}, echo_handler, metrics);
  ASSERT_TRUE(first.has_value());
  const std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  const auto second = HttpServer::start(ServerConfig{.listen = taken}, echo_handler, metrics);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kIo);
}

TEST(ServerStart, ListensOnIpv6Loopback) {
  auto metrics = std::make_shared<HttpMetrics>();
  auto server = HttpServer::start(ServerConfig{.listen = "[::1]:0"}, echo_handler, metrics);
  if (!server.has_value()) GTEST_SKIP() << "no IPv6 loopback here: " << server.error().message;
  EXPECT_NE((*server)->port(), 0);
}

}  // namespace
}  // namespace csd
