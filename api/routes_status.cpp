// Operational routes of SPEC 5: /v1/status, /health, /metrics, /openapi.json.
#include <chrono>
#include <string>
#include <vector>

#include "api/openapi.hpp"
#include "api/routes.hpp"

namespace csd::routes {
namespace {

constexpr std::chrono::milliseconds kHealthLeaseTimeout{2'000};

// Why one enabled chain makes the daemon degraded; appended to `reasons`.
// The sync loop's last node error, if any, goes with each reason: it is
// usually the why (an unreachable node, a refused request).
void chain_health(const ChainStatusView& view, const ChainRouteConfig& config, std::int64_t now,
                  std::vector<std::string>& reasons) {
  const std::string name(chain_name(view.chain));
  const std::string node_error = view.last_error.empty() ? "" : "; last node error: " + view.last_error;
  if (!view.indexed) {
    reasons.push_back(name + ": nothing indexed yet" + node_error);
    return;
  }
  if (view.head && *view.head > *view.indexed && *view.head - *view.indexed > config.health_max_lag) {
    reasons.push_back(name + ": indexed " + std::to_string(*view.head - *view.indexed) +
                      " behind the node head (threshold " + std::to_string(config.health_max_lag) + ")" +
                      node_error);
  }
  // The sync loop's own heartbeat when it records one, else the checkpoint's last move.
  const std::int64_t last = view.sync_updated_at != 0 ? view.sync_updated_at : view.updated_at;
  if (now - last > config.health_max_staleness_s) {
    reasons.push_back(name + ": no sync progress recorded for " + std::to_string(now - last) +
                      " s (threshold " + std::to_string(config.health_max_staleness_s) + " s)" + node_error);
  }
}

ApiResponse health_answer(const RouteContext& ctx, const std::vector<std::string>& reasons) {
  Json body = Json::object();
  body["status"] = reasons.empty() ? "healthy" : "degraded";
  if (!reasons.empty()) body["reasons"] = reasons;
  ApiResponse response = ok(ctx, body);
  response.status = reasons.empty() ? 200 : 503;
  return response;
}

}  // namespace

ApiResponse status(const RouteContext& ctx) {
  if (auto refused = check_query(ctx, {})) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    auto view = q.status();
    if (!view) return store_failure(ctx, q, ChainId::kBsc, view.error(), "status");
    Json chains = Json::object();
    for (const ChainStatusView& chain : view->chains) {
      chains[std::string(chain_name(chain.chain))] =
          api_json::chain_status_json(chain, ctx.config.chain(chain.chain).enabled);
    }
    Json body = Json::object();
    body["time"] = rfc3339_utc(ctx.request.now);
    body["chains"] = std::move(chains);
    return ok(ctx, body);
  });
}

ApiResponse health(const RouteContext& ctx) {
  if (auto refused = check_query(ctx, {})) return *refused;
  std::vector<std::string> reasons;
  auto lease = ctx.pool.try_acquire(kHealthLeaseTimeout);
  if (!lease) return health_answer(ctx, {"database: no reader connection became free"});
  auto txn = (*lease)->begin_read();
  if (!txn) return health_answer(ctx, {"database unreadable: " + txn.error().message});
  Queries queries(*txn, ctx.config.query);
  auto view = queries.status();
  if (!view) return health_answer(ctx, {"database unreadable: " + view.error().message});
  for (const ChainStatusView& chain : view->chains) {
    const ChainRouteConfig& config = ctx.config.chain(chain.chain);
    if (config.enabled)
      chain_health(chain, config, ctx.request.now, reasons);  // SPEC 7: disabled is not required
  }
  return health_answer(ctx, reasons);
}

ApiResponse metrics(const RouteContext& ctx) {
  if (auto refused = check_query(ctx, {})) return *refused;
  ApiResponse response;
  response.status = 200;
  response.body = ctx.config.render_metrics ? ctx.config.render_metrics() : std::string();
  // Prometheus text exposition format 0.0.4.
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.route = std::string(ctx.route);
  return response;
}

ApiResponse openapi(const RouteContext& ctx) {
  if (auto refused = check_query(ctx, {})) return *refused;
  ApiResponse response;
  response.status = 200;
  response.body = std::string(openapi_document());
  response.route = std::string(ctx.route);
  return response;
}

}  // namespace csd::routes
