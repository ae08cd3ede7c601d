// A representative set of routes over real loopback sockets: the Router
// behind the HttpServer (api/server.hpp), asked by the test client of
// tests/api/support/. Checks that what the router answers reaches the wire
// unchanged (status, body, content type, extra headers), that percent-encoded
// targets are decoded before routing and signed as sent, and that /metrics
// counts the requests under their route templates.
#include <memory>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "api/metrics.hpp"
#include "api/server.hpp"
#include "decoders/signature.hpp"
#include "routes_test_support.hpp"
#include "tests/api/support/http_test_client.hpp"

namespace csd::api_test {
namespace {

using testing_support::HttpTestClient;

const std::string kAliceHex = "0xe000000000000000000000000000000000000001";

class RoutesHttp : public RouteFixture {
 protected:
  void SetUp() override {
    const auto& mk = store.make();
    for (const ChainId chain : kAllChains) {
      const auto h = store.block(kMidnight);
      if (chain == ChainId::kBsc) store.add(mk.transfer(h, store.index(), evm(2), evm(1), tst(12)));
      store.commit(chain);
    }
  }
  void start() {
    metrics_ = std::make_shared<HttpMetrics>();
    config.render_metrics = [metrics = metrics_] {
      MetricsText text;
      metrics->write(text);
      return text.take();
    };
    ServerConfig server_config;
    server_config.listen = "127.0.0.1:0";
    server_config.clock = [] { return kNow; };
    auto server = HttpServer::start(server_config, router().handler(), metrics_);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(*server);
    client_ = std::make_unique<HttpTestClient>(server_->port());
  }
  void TearDown() override {
    client_.reset();
    server_.reset();  // joins the workers before the router goes
    RouteFixture::TearDown();
  }

  std::shared_ptr<HttpMetrics> metrics_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpTestClient> client_;
};

TEST_F(RoutesHttp, AccessOverTheWireEqualsTheRoutersAnswer) {
  start();
  const auto response = client_->get("/v1/access/" + kAliceHex);
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_TRUE(response.header("x-request-id").has_value());
  EXPECT_EQ(response.body, router().handle(request("/v1/access/" + kAliceHex)).body);
  EXPECT_EQ(json::parse(response.body)["tst_balance"], "12000000000000000000");

  const auto head = client_->head("/v1/access/" + kAliceHex);
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("content-length"), std::to_string(response.body.size()));
}

// Every route of SPEC 5 over the wire: the server delivers exactly what the
// router answers (the routes_*_test files check those answers field by field).
TEST_F(RoutesHttp, EveryRouteOverTheWireEqualsTheRoutersAnswer) {
  start();
  const std::string id = "0x" + std::string(64, 'a');
  const std::vector<std::pair<std::string, Params>> routes{
      {"/v1/access/" + kAliceHex, {}},
      {"/v1/tier/" + kAliceHex, {}},
      {"/v1/requirements/lock_p2p", {{"address", kAliceHex}}},
      {"/v1/requirements/upgrade_tier", {}},
      {"/v1/requirements/reserve_entity", {}},
      {"/v1/ledger/" + kAliceHex, {{"limit", "5"}, {"offset", "0"}}},
      {"/v1/discount/11111111111111111111111111111111", {{"price", "0.10"}}},
      {"/v1/discount-tiers", {}},
      {"/v1/payouts/" + id, {}},
      {"/v1/payouts", {{"limit", "2"}, {"status", "confirmed"}}},
      {"/v1/payouts/batch/" + id, {}},
      {"/v1/payouts/stats", {{"period", "day"}}},
      {"/v1/status", {}},
      {"/health", {}},
      {"/openapi.json", {}},
      {"/metrics", {}},
  };
  for (const auto& [path, query] : routes) {
    const ApiRequest direct_request = request(path, query);
    const auto wire = client_->get(direct_request.raw_target);
    const ApiResponse direct = router().handle(direct_request);
    EXPECT_EQ(wire.status, direct.status) << direct_request.raw_target << "\n" << wire.body;
    EXPECT_EQ(wire.header("content-type"), direct.content_type) << path;
    EXPECT_TRUE(wire.header("x-request-id").has_value()) << path;
    if (path == "/metrics") continue;  // counts this very scrape
    auto wire_json = json::parse(wire.body);
    auto direct_json = json::parse(direct.body);
    if (wire_json.contains("error")) {  // each side has its own request id
      wire_json["error"].erase("request_id");
      direct_json["error"].erase("request_id");
    }
    EXPECT_EQ(wire_json, direct_json) << path;
  }
}

TEST_F(RoutesHttp, PercentEncodedTargetsAreDecodedBeforeRouting) {
  start();
  // %65 is 'e', %3D '=' in a query value.
  const auto response = client_->get("/v1/access/0x%65000000000000000000000000000000000000001");
  ASSERT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(json::parse(response.body)["address"], kAliceHex);
  const auto ledger = client_->get("/v1/ledger/" + kAliceHex + "?limit=%31");
  ASSERT_EQ(ledger.status, 200u) << ledger.body;
  EXPECT_EQ(json::parse(ledger.body)["pagination"]["limit"], 1);
}

TEST_F(RoutesHttp, ErrorsCarryTheShapeAndTheRequestId) {
  start();
  const auto bad =
      client_->get("/v1/tier/0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.header("x-request-id"), "abc-123");
  const json error = json::parse(bad.body)["error"];
  EXPECT_EQ(error["code"], "INVALID_ADDRESS");
  EXPECT_EQ(error["request_id"], "abc-123");
  EXPECT_EQ(error["timestamp"], "2023-11-14T01:00:00Z");

  const auto typo = client_->get("/v1/payouts?limt=5");
  EXPECT_EQ(typo.status, 400u);
  EXPECT_EQ(json::parse(typo.body)["error"]["details"]["parameter"], "limt");
  const auto missing = client_->get("/v1/nothing");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(json::parse(missing.body)["error"]["code"], "NOT_FOUND");
}

TEST_F(RoutesHttp, MetricsCountRequestsByRouteTemplate) {
  start();
  ASSERT_EQ(client_->get("/v1/access/" + kAliceHex).status, 200u);
  ASSERT_EQ(client_->get("/v1/access/0xe000000000000000000000000000000000000002").status, 200u);
  ASSERT_EQ(client_->get("/v1/unknown/x").status, 404u);
  const auto response = client_->get("/metrics");
  ASSERT_EQ(response.status, 200u);
  EXPECT_EQ(response.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(
      response.body.find("chainsyncd_http_requests_total{route=\"/v1/access/{address}\",status=\"200\"} 2"),
      std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
  const auto openapi = client_->get("/openapi.json");
  ASSERT_EQ(openapi.status, 200u);
  EXPECT_EQ(json::parse(openapi.body)["openapi"], "3.1.0");
}

TEST_F(RoutesHttp, SignatureOverTheRawTarget) {
  config.auth.mode = AuthConfig::Mode::kSignature;
  start();
  const auto unsigned_reply = client_->get("/v1/access/" + kAliceHex);
  EXPECT_EQ(unsigned_reply.status, 401u);
  EXPECT_TRUE(unsigned_reply.header("www-authenticate").has_value());
  EXPECT_EQ(json::parse(unsigned_reply.body)["error"]["code"], "UNAUTHORIZED");
  EXPECT_EQ(client_->get("/v1/status").status, 200u);  // open
}

}  // namespace
}  // namespace csd::api_test
