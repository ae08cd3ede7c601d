// What the route handlers share: responses, the query-name check, auth and
// read snapshots; see api/routes.hpp.
#include <chrono>
#include <utility>
#include <vector>

#include "api/params.hpp"
#include "api/routes.hpp"

namespace csd::routes {
namespace {

// A reader lease normally comes back within milliseconds; waiting longer than
// this means the pool is exhausted, and the client is better told so.
constexpr std::chrono::milliseconds kLeaseTimeout{5'000};

}  // namespace

ApiResponse ok(const RouteContext& ctx, const Json& body) {
  ApiResponse response;
  response.status = 200;
  response.body = api_json::dump(body);
  response.route = std::string(ctx.route);
  return response;
}

ApiResponse error(const RouteContext& ctx, unsigned status, ApiErrorCode code, std::string_view message,
                  const Json& details) {
  ApiResponse response = error_response(status, code, message, ctx.request.request_id, ctx.request.now,
                                        api_json::dump(details.is_object() ? details : Json::object()));
  response.route = std::string(ctx.route);
  return response;
}

ApiResponse error(const RouteContext& ctx, ApiErrorCode code, std::string_view message, const Json& details) {
  return error(ctx, api_error_default_status(code), code, message, details);
}

ApiResponse bad_parameter(const RouteContext& ctx, std::string_view parameter, const Error& cause,
                          bool is_address) {
  Json details = Json::object();
  details["parameter"] = parameter;
  return error(ctx, 400, is_address ? ApiErrorCode::kInvalidAddress : ApiErrorCode::kInvalidParameter,
               cause.message, details);
}

std::optional<ApiResponse> check_query(const RouteContext& ctx,
                                       std::initializer_list<std::string_view> allowed) {
  const std::vector<std::string_view> names(allowed);
  auto status = check_query_names(ctx.request, names);
  if (status) return std::nullopt;
  // Name the offending parameter in details too: the first unknown or repeated one.
  std::string offending;
  for (std::size_t i = 0; i < ctx.request.query.size() && offending.empty(); ++i) {
    const std::string& key = ctx.request.query[i].first;
    bool known = false;
    for (const std::string_view name : names) known = known || key == name;
    bool repeated = false;
    for (std::size_t j = 0; j < i; ++j) repeated = repeated || ctx.request.query[j].first == key;
    if (!known || repeated) offending = quote_input(key);
  }
  Json details = Json::object();
  details["parameter"] = offending;
  return error(ctx, 400, ApiErrorCode::kInvalidParameter, status.error().message, details);
}

std::optional<ApiResponse> read_page(const RouteContext& ctx, PageRequest& page) {
  page = PageRequest{};
  if (auto limit = ctx.request.query_param("limit")) {
    auto value = parse_uint_param("limit", *limit, kMaxPageLimit);
    if (!value) return bad_parameter(ctx, "limit", value.error());
    page.limit = static_cast<std::uint32_t>(*value);
  }
  if (auto offset = ctx.request.query_param("offset")) {
    auto value = parse_uint_param("offset", *offset, kMaxPageOffset);
    if (!value) return bad_parameter(ctx, "offset", value.error());
    page.offset = *value;
  }
  return std::nullopt;
}

std::optional<ApiResponse> authorize(const RouteContext& ctx, const AuthSubject& subject) {
  auto refusal = ctx.auth.check(ctx.request, subject);
  if (!refusal) return std::nullopt;
  ApiResponse response = error(ctx, 401, ApiErrorCode::kUnauthorized, *refusal);
  // RFC 9110 §11.6.1: a 401 carries a challenge.
  response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"chainsyncd\"");
  return response;
}

ApiResponse with_snapshot(const RouteContext& ctx, const std::function<ApiResponse(Queries&)>& answer) {
  auto lease = ctx.pool.try_acquire(kLeaseTimeout);
  if (!lease) {
    return error(ctx, 503, ApiErrorCode::kServiceUnavailable, "all database readers are busy; retry shortly");
  }
  auto txn = (*lease)->begin_read();
  if (!txn) return error(ctx, 500, ApiErrorCode::kInternal, "internal error: the database could not be read");
  Queries queries(*txn, ctx.config.query);
  return answer(queries);
}

ApiResponse chain_not_ready(const RouteContext& ctx, Queries& queries, ChainId chain) {
  const bool enabled = ctx.config.chain(chain).enabled;
  Json details = Json::object();
  auto status = queries.status();
  if (status) {
    for (const ChainStatusView& view : status->chains) {
      if (view.chain == chain) details = api_json::chain_status_json(view, enabled);
    }
  }
  std::string message(chain_name(chain));
  message += enabled ? " has not indexed anything yet; retry once it has synced"
                     : " is disabled in this daemon's configuration and has no indexed state";
  return error(ctx, 503, ApiErrorCode::kChainNotReady, message, details);
}

ApiResponse store_failure(const RouteContext& ctx, Queries& queries, ChainId chain, const Error& cause,
                          std::string_view what) {
  if (cause.code == ErrorCode::kNotFound) {
    auto as_of = queries.as_of(chain);
    if (as_of && !*as_of) return chain_not_ready(ctx, queries, chain);
    return error(ctx, 404, ApiErrorCode::kNotFound, std::string(what) + " not found");
  }
  return error(ctx, 500, ApiErrorCode::kInternal, "internal error: the database could not be read");
}

}  // namespace csd::routes
