// The route handlers of the read-only API (SPEC 5) and what they share: a
// RouteContext (the request, the router's config, auth and reader pool), JSON
// and error responses, the query-name check, auth, and a read snapshot.
// Handlers live in routes_bsc.cpp, routes_solana.cpp, routes_tron.cpp and
// routes_status.cpp; api/router.cpp matches paths to them.
//
// Internal to api/ (it exposes nlohmann::json through api/json_views.hpp).
// Handlers are plain functions of their context; thread-safe as the Router is.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "api/auth.hpp"
#include "api/errors.hpp"
#include "api/http_message.hpp"
#include "api/json_views.hpp"
#include "api/router.hpp"
#include "store/queries.hpp"
#include "store/reader_pool.hpp"

namespace csd::routes {

using api_json::Json;

struct RouteContext {
  const ApiRequest& request;
  const RouterConfig& config;
  const Authenticator& auth;
  ReaderPool& pool;
  std::string_view route;  // the matched route template, e.g. "/v1/access/{address}"
};

// 200 with the JSON body.
[[nodiscard]] ApiResponse ok(const RouteContext& ctx, const Json& body);
// The SPEC 5 error shape with the code's usual status (or `status`).
[[nodiscard]] ApiResponse error(const RouteContext& ctx, ApiErrorCode code, std::string_view message,
                                const Json& details = Json::object());
[[nodiscard]] ApiResponse error(const RouteContext& ctx, unsigned status, ApiErrorCode code,
                                std::string_view message, const Json& details = Json::object());
// 400 for a parameter that did not parse: INVALID_ADDRESS for addresses,
// INVALID_PARAMETER otherwise; details {"parameter": name}.
[[nodiscard]] ApiResponse bad_parameter(const RouteContext& ctx, std::string_view parameter,
                                        const Error& cause, bool is_address = false);

// nullopt when every query parameter is one of `allowed` and none repeats;
// else the 400 (see check_query_names in api/params.hpp).
[[nodiscard]] std::optional<ApiResponse> check_query(const RouteContext& ctx,
                                                     std::initializer_list<std::string_view> allowed);
// limit (0..100, default 20) and offset (0..2^63−1, default 0) of SPEC 5 into
// `page`; nullopt when both parse, else the 400 naming the parameter.
[[nodiscard]] std::optional<ApiResponse> read_page(const RouteContext& ctx, PageRequest& page);
// nullopt when the request may read a view about `subject`; else the 401.
[[nodiscard]] std::optional<ApiResponse> authorize(const RouteContext& ctx, const AuthSubject& subject);

// Runs `answer` on one read snapshot of the store (a leased reader
// connection). A store that cannot be read is a 500 INTERNAL; no free reader
// within a few seconds is a 503 SERVICE_UNAVAILABLE.
[[nodiscard]] ApiResponse with_snapshot(const RouteContext& ctx,
                                        const std::function<ApiResponse(Queries&)>& answer);
// 503 CHAIN_NOT_READY with the chain's /v1/status entry in details.
[[nodiscard]] ApiResponse chain_not_ready(const RouteContext& ctx, Queries& queries, ChainId chain);
// A store error: kNotFound → 404 NOT_FOUND (503 while the chain has indexed
// nothing), anything else → 500 INTERNAL.
[[nodiscard]] ApiResponse store_failure(const RouteContext& ctx, Queries& queries, ChainId chain,
                                        const Error& cause, std::string_view what);

// A chain-derived view: errors via store_failure, 503 while as_of is unset, else 200 with to_json(view).
template <class View, class ToJson>
[[nodiscard]] ApiResponse chain_view(const RouteContext& ctx, Queries& queries, ChainId chain,
                                     Result<View> view, ToJson&& to_json, std::string_view what) {
  if (!view) return store_failure(ctx, queries, chain, view.error(), what);
  if (!view->as_of) return chain_not_ready(ctx, queries, chain);
  return ok(ctx, to_json(*view));
}

// ---- BSC (routes_bsc.cpp) ----
[[nodiscard]] ApiResponse access(const RouteContext& ctx, std::string_view address);
[[nodiscard]] ApiResponse tier(const RouteContext& ctx, std::string_view address);
[[nodiscard]] ApiResponse requirements(const RouteContext& ctx, std::string_view action);
[[nodiscard]] ApiResponse ledger(const RouteContext& ctx, std::string_view address);

// ---- Solana (routes_solana.cpp) ----
[[nodiscard]] ApiResponse discount(const RouteContext& ctx, std::string_view wallet);
[[nodiscard]] ApiResponse discount_tiers(const RouteContext& ctx);

// ---- TRON (routes_tron.cpp) ----
[[nodiscard]] ApiResponse payout(const RouteContext& ctx, std::string_view payout_id);
[[nodiscard]] ApiResponse payouts(const RouteContext& ctx);
[[nodiscard]] ApiResponse batch(const RouteContext& ctx, std::string_view batch_id);
[[nodiscard]] ApiResponse stats(const RouteContext& ctx);

// ---- operations (routes_status.cpp) ----
[[nodiscard]] ApiResponse status(const RouteContext& ctx);
[[nodiscard]] ApiResponse health(const RouteContext& ctx);
[[nodiscard]] ApiResponse metrics(const RouteContext& ctx);
[[nodiscard]] ApiResponse openapi(const RouteContext& ctx);

}  // namespace csd::routes
