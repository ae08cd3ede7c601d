// The Router's own behaviour: route matching (templates, unmatched paths),
// /v1/status, /health, /metrics, /openapi.json, the method guard and the 500
// on a broken invariant; over a real store filled through the Writer.
#include <stdexcept>

#include <gtest/gtest.h>

#include "routes_test_support.hpp"

namespace csd::api_test {
namespace {

class Routing : public RouteFixture {
 protected:
  // One indexed block on every chain; the writer clock stamps them at store_test::kNow.
  void index_all() {
    for (const ChainId chain : kAllChains) {
      store.block(kMidnight);
      store.commit(chain);
    }
  }
  static constexpr std::int64_t kWriterNow = store_test::kNow;  // the writer clock of QueryStore
};

TEST_F(Routing, UnknownPathsAre404Unmatched) {
  for (const char* path : {"/", "/v1", "/v1/", "/v1/unknown", "/v1/access", "/v1/access/",
                           "/v1/access/0xe000000000000000000000000000000000000001/x", "/v1//status",
                           "/healthz", "/v2/status", "/v1/payouts/batch/", "/v1/payouts/batch/a/b", "health",
                           "", "/v1/status/", "/openapi.yaml", "/a/b/c/d/e/f/g/h/i/j/k/l"}) {
    const Reply reply = get(path);
    const json error = expect_error(reply, 404, "NOT_FOUND");
    EXPECT_EQ(reply.route, "unmatched") << path;
  }
}

TEST_F(Routing, RouteTemplatesLabelEveryRoute) {
  index_all();
  const std::string a = "0xe000000000000000000000000000000000000001";
  const std::string id = hex_id(id32(1));
  struct Case {
    std::string path;
    const char* route;
  };
  for (const Case& c :
       {Case{"/health", "/health"}, Case{"/metrics", "/metrics"}, Case{"/openapi.json", "/openapi.json"},
        Case{"/v1/status", "/v1/status"}, Case{"/v1/discount-tiers", "/v1/discount-tiers"},
        Case{"/v1/payouts", "/v1/payouts"}, Case{"/v1/access/" + a, "/v1/access/{address}"},
        Case{"/v1/tier/" + a, "/v1/tier/{address}"}, Case{"/v1/requirements/x", "/v1/requirements/{action}"},
        Case{"/v1/ledger/" + a, "/v1/ledger/{address}"},
        Case{"/v1/discount/11111111111111111111111111111111", "/v1/discount/{wallet}"},
        Case{"/v1/payouts/stats", "/v1/payouts/stats"}, Case{"/v1/payouts/" + id, "/v1/payouts/{payout_id}"},
        Case{"/v1/payouts/batch/" + id, "/v1/payouts/batch/{batch_id}"}}) {
    EXPECT_EQ(get(c.path).route, c.route) << c.path;  // errors too (400, 404) carry the matched template
  }
}

TEST_F(Routing, StatusMergesCheckpointAndSyncStatus) {
  index_all();
  SyncStatus sync;
  sync.head = 6;
  sync.rpc_endpoint = "http://127.0.0.1:8545";
  sync.last_error = "eth_getLogs: timeout";
  sync.last_error_at = kMidnight + 5;
  sync.syncing = true;
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kBsc, sync));
  SyncStatus solana;
  solana.head = 2;
  solana.last_reconciliation = kMidnight + 60;
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kSolana, solana));
  config.chains[2].enabled = false;

  const Reply reply = get("/v1/status");
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.body["time"], "2023-11-14T01:00:00Z");
  const json& bsc = reply.body["chains"]["bsc"];
  EXPECT_EQ(bsc["chain"], "bsc");
  EXPECT_EQ(bsc["enabled"], true);
  EXPECT_EQ(bsc["head"], 6);
  EXPECT_EQ(bsc["indexed"], 1);
  EXPECT_EQ(bsc["indexed_hash"], hex_id(fixed<Hash32>(0xB0, 1)));
  EXPECT_EQ(bsc["indexed_time"], "2023-11-14T00:00:00Z");
  EXPECT_TRUE(bsc["finalized"].is_null());
  EXPECT_EQ(bsc["lag"], 5);
  EXPECT_EQ(bsc["syncing"], true);
  EXPECT_EQ(bsc["rpc_endpoint"], "http://127.0.0.1:8545");
  EXPECT_EQ(bsc["last_error"], "eth_getLogs: timeout");
  EXPECT_EQ(bsc["last_error_at"], "2023-11-14T00:00:05Z");
  EXPECT_EQ(bsc["updated_at"], "2023-11-14T22:13:20Z");  // the writer clock, 1 700 000 000
  EXPECT_EQ(bsc["sync_updated_at"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(bsc["anomalies"], 0);
  EXPECT_FALSE(bsc.contains("slot"));
  const json& sol = reply.body["chains"]["solana"];
  EXPECT_EQ(sol["slot"], 2);
  EXPECT_EQ(sol["lag"], 0);
  EXPECT_EQ(sol["accounts_tracked"], 0);
  EXPECT_EQ(sol["last_reconciliation"], "2023-11-14T00:01:00Z");
  EXPECT_TRUE(sol["rpc_endpoint"].is_null());
  EXPECT_TRUE(sol["last_error"].is_null());
  const json& tron = reply.body["chains"]["tron"];
  EXPECT_EQ(tron["enabled"], false);
  EXPECT_TRUE(tron["head"].is_null());
  EXPECT_TRUE(tron["lag"].is_null());
  EXPECT_TRUE(tron["sync_updated_at"].is_null());
}

TEST_F(Routing, StatusOfAnEmptyStore) {
  const Reply reply = get("/v1/status");
  ASSERT_EQ(reply.status, 200u);
  for (const char* chain : {"bsc", "solana", "tron"}) {
    EXPECT_TRUE(reply.body["chains"][chain]["indexed"].is_null()) << chain;
    EXPECT_TRUE(reply.body["chains"][chain]["updated_at"].is_null());
  }
}

TEST_F(Routing, HealthyWhenEveryEnabledChainIsCurrent) {
  index_all();
  const Reply reply = get("/health", {}, {}, kWriterNow + 10);
  EXPECT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.route, "/health");
  EXPECT_EQ(reply.body, (json{{"status", "healthy"}}));
}

TEST_F(Routing, DegradedWhileAChainHasIndexedNothing) {
  store.block(kMidnight);
  store.commit(ChainId::kBsc);
  const Reply reply = get("/health", {}, {}, kWriterNow);
  EXPECT_EQ(reply.status, 503u);
  EXPECT_EQ(reply.body["status"], "degraded");
  EXPECT_EQ(reply.body["reasons"], (json{"solana: nothing indexed yet", "tron: nothing indexed yet"}));

  // The sync loop's last node error says why.
  SyncStatus failing;
  failing.rpc_endpoint = "http://127.0.0.1:8090";
  failing.last_error = "connect 127.0.0.1:8090: Connection refused";
  failing.last_error_at = kWriterNow;
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kTron, failing));
  const Reply explained = get("/health", {}, {}, kWriterNow);
  EXPECT_EQ(explained.status, 503u);
  EXPECT_EQ(explained.body["reasons"],
            (json{"solana: nothing indexed yet",
                  "tron: nothing indexed yet; last node error: connect 127.0.0.1:8090: Connection refused"}));
}

TEST_F(Routing, DisabledChainsAreNotRequired) {
  store.block(kMidnight);
  store.commit(ChainId::kBsc);
  config.chains[1].enabled = false;
  config.chains[2].enabled = false;
  EXPECT_EQ(get("/health", {}, {}, kWriterNow).status, 200u);
}

TEST_F(Routing, DegradedWhenLaggingOrStale) {
  index_all();
  config.chains[0].health_max_lag = 10;
  config.chains[0].health_max_staleness_s = 120;
  SyncStatus sync;
  sync.head = 11;  // indexed 1: lag 10, at the threshold
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kBsc, sync));
  EXPECT_EQ(get("/health", {}, {}, kWriterNow + 120).status, 200u);  // at both thresholds: healthy

  sync.head = 12;  // one past
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kBsc, sync));
  const Reply lagging = get("/health", {}, {}, kWriterNow);
  EXPECT_EQ(lagging.status, 503u);
  ASSERT_EQ(lagging.body["reasons"].size(), 1u);
  EXPECT_NE(lagging.body["reasons"][0].get<std::string>().find("bsc: indexed 11 behind"), std::string::npos);

  const Reply stale = get("/health", {}, {}, kWriterNow + 121);
  EXPECT_EQ(stale.status, 503u);
  // All three chains are stale (their checkpoints too), BSC also lags.
  ASSERT_EQ(stale.body["reasons"].size(), 4u) << stale.raw.body;
  EXPECT_NE(stale.body["reasons"][1].get<std::string>().find("bsc: no sync progress recorded for 121 s"),
            std::string::npos);
}

TEST_F(Routing, MetricsBodyComesFromTheDaemon) {
  const Reply empty = get("/metrics");
  EXPECT_EQ(empty.status, 200u);
  EXPECT_EQ(empty.raw.body, "");
  config.render_metrics = [] { return std::string("# TYPE x counter\nx 1\n"); };
  // A fresh fixture builds its router with the config; reuse via a second router.
  RouterConfig with_metrics = config;
  auto pool = ReaderPool::open(store.path(), 1);
  ASSERT_TRUE(pool);
  const Router router2(**pool, with_metrics);
  const ApiResponse response = router2.handle(request("/metrics"));
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, "# TYPE x counter\nx 1\n");
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response.route, "/metrics");
}

TEST_F(Routing, BrokenInvariantIs500AndTheRouterKeepsServing) {
  config.render_metrics = []() -> std::string { throw std::logic_error("bad metric name"); };
  const json error = expect_error(get("/metrics"), 500, "INTERNAL");
  EXPECT_EQ(error["message"], "internal error");
  EXPECT_EQ(get("/v1/discount-tiers").status, 200u);
}

TEST_F(Routing, OpenApiDocumentIsServed) {
  const Reply reply = get("/openapi.json");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.raw.content_type, "application/json");
  ASSERT_TRUE(reply.body.is_object());
  EXPECT_EQ(reply.body["openapi"].get<std::string>().rfind("3.", 0), 0u);
  for (const char* path : {"/v1/access/{address}", "/v1/tier/{address}", "/v1/requirements/{action}",
                           "/v1/ledger/{address}", "/v1/discount/{wallet}", "/v1/discount-tiers",
                           "/v1/payouts/{payout_id}", "/v1/payouts", "/v1/payouts/batch/{batch_id}",
                           "/v1/payouts/stats", "/v1/status", "/health", "/metrics", "/openapi.json"}) {
    EXPECT_TRUE(reply.body["paths"].contains(path)) << path;
  }
}

TEST_F(Routing, HeadAnswersLikeGetAndOtherMethodsAre405) {
  index_all();
  ApiRequest head = request("/v1/discount-tiers");
  head.method = "HEAD";
  const ApiResponse head_response = send(head).raw;
  const ApiResponse get_response = get("/v1/discount-tiers").raw;
  EXPECT_EQ(head_response.status, 200u);
  EXPECT_EQ(head_response.body, get_response.body);  // the server drops it, keeping Content-Length
  for (const char* method : {"POST", "PUT", "DELETE", "get"}) {
    ApiRequest r = request("/v1/status");
    r.method = method;
    const Reply reply = send(r);
    expect_error(reply, 405, "METHOD_NOT_ALLOWED");
    ASSERT_EQ(reply.raw.headers.size(), 1u);
    EXPECT_EQ(reply.raw.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, HEAD"}));
  }
}

}  // namespace
}  // namespace csd::api_test
