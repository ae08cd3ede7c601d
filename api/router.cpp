// Route matching of the read-only API; the handlers are in api/routes_*.cpp.
#include "api/router.hpp"

#include <array>
#include <exception>
#include <string_view>
#include <utility>
#include <vector>

#include "api/errors.hpp"
#include "api/routes.hpp"

namespace csd {
namespace {

constexpr std::size_t kMaxSegments = 8;  // deeper paths match no route

// "/v1/access/0xab" → {"v1", "access", "0xab"}; nullopt-like empty result for
// anything without a leading '/' or with more segments than any route has.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (segments.size() <= kMaxSegments) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

ApiResponse unmatched(const routes::RouteContext& ctx) {
  return routes::error(
      ctx, 404, ApiErrorCode::kNotFound,
      "no route for " + std::string(ctx.request.path.substr(0, 200)) + "; see /openapi.json");
}

using Handler = ApiResponse (*)(const routes::RouteContext&, std::string_view param);

// One route: its path segments ("{}" captures the one parameter), its
// template (the metrics label and /openapi.json path) and its handler.
struct RouteEntry {
  std::array<std::string_view, 4> pattern;
  std::string_view name;
  Handler handler;
};

// First match wins: literal segments ("stats", "batch") come before "{}".
constexpr RouteEntry kRoutes[] = {
    {{"health"},
     "/health",
     [](const routes::RouteContext& c, std::string_view) { return routes::health(c); }},
    {{"metrics"},
     "/metrics",
     [](const routes::RouteContext& c, std::string_view) { return routes::metrics(c); }},
    {{"openapi.json"},
     "/openapi.json",
     [](const routes::RouteContext& c, std::string_view) { return routes::openapi(c); }},
    {{"v1", "status"},
     "/v1/status",
     [](const routes::RouteContext& c, std::string_view) { return routes::status(c); }},
    {{"v1", "discount-tiers"},
     "/v1/discount-tiers",
     [](const routes::RouteContext& c, std::string_view) { return routes::discount_tiers(c); }},
    {{"v1", "payouts"},
     "/v1/payouts",
     [](const routes::RouteContext& c, std::string_view) { return routes::payouts(c); }},
    {{"v1", "access", "{}"}, "/v1/access/{address}", routes::access},
    {{"v1", "tier", "{}"}, "/v1/tier/{address}", routes::tier},
    {{"v1", "requirements", "{}"}, "/v1/requirements/{action}", routes::requirements},
    {{"v1", "ledger", "{}"}, "/v1/ledger/{address}", routes::ledger},
    {{"v1", "discount", "{}"}, "/v1/discount/{wallet}", routes::discount},
    {{"v1", "payouts", "stats"},
     "/v1/payouts/stats",
     [](const routes::RouteContext& c, std::string_view) { return routes::stats(c); }},
    {{"v1", "payouts", "{}"}, "/v1/payouts/{payout_id}", routes::payout},
    {{"v1", "payouts", "batch", "{}"}, "/v1/payouts/batch/{batch_id}", routes::batch},
};

// The route whose pattern the segments match, and its parameter.
const RouteEntry* match(const std::vector<std::string_view>& segments, std::string_view& param) {
  for (const RouteEntry& entry : kRoutes) {
    std::size_t size = 0;
    while (size < entry.pattern.size() && !entry.pattern[size].empty()) ++size;
    if (size != segments.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < size && matches; ++i) {
      if (entry.pattern[i] == "{}") {
        param = segments[i];
        matches = !param.empty();
      } else {
        matches = entry.pattern[i] == segments[i];
      }
    }
    if (matches) return &entry;
  }
  return nullptr;
}

}  // namespace

Router::Router(ReaderPool& pool, RouterConfig config)
    : pool_(&pool), config_(std::move(config)), auth_(config_.auth) {}

ApiResponse Router::handle(const ApiRequest& request) const {
  routes::RouteContext ctx{request, config_, auth_, *pool_, "unmatched"};
  try {
    if (request.method != "GET" && request.method != "HEAD") {
      // The server answers these itself; this keeps the router safe on its own.
      ApiResponse response =
          routes::error(ctx, 405, ApiErrorCode::kMethodNotAllowed, "only GET and HEAD are allowed");
      response.headers.emplace_back("Allow", "GET, HEAD");
      return response;
    }
    std::string_view param;
    const RouteEntry* entry = match(split_path(request.path), param);
    if (entry == nullptr) return unmatched(ctx);
    ctx.route = entry->name;
    return entry->handler(ctx, param);
  } catch (const std::exception&) {
    // A broken invariant (a bug), not an error value: answer 500 and keep serving.
    return routes::error(ctx, 500, ApiErrorCode::kInternal, "internal error");
  }
}

}  // namespace csd
