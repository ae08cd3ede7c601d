// TRON routes of SPEC 5 (USDT payouts, SPEC 3.3): payout by id, payout list,
// batch, stats. Lists filtered by recipient are that recipient's to read
// (signature auth); everything else about payouts is an operator's view.
#include <optional>

#include "api/params.hpp"
#include "api/routes.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/hex.hpp"

namespace csd::routes {
namespace {

// ?router_type= (the PayoutRouterType names of the config) into `out`.
std::optional<ApiResponse> read_router_type(const RouteContext& ctx, std::optional<PayoutRouterType>& out) {
  const auto text = ctx.request.query_param("router_type");
  if (!text) return std::nullopt;
  out = parse_payout_router_type(*text);
  if (out) return std::nullopt;
  return bad_parameter(
      ctx, "router_type",
      make_error(ErrorCode::kInvalidArgument,
                 "router_type '" + quote_input(*text) + "': must be PayoutRouterV0 or PayoutRouterKYC"));
}

// The payouts filters of SPEC 5 into `filters`; nullopt when all parse.
std::optional<ApiResponse> read_filters(const RouteContext& ctx, PayoutFilters& filters) {
  const ApiRequest& request = ctx.request;
  if (auto text = request.query_param("status")) {
    filters.status = parse_payout_status(*text);
    if (!filters.status) {
      return bad_parameter(
          ctx, "status",
          make_error(ErrorCode::kInvalidArgument,
                     "status '" + quote_input(*text) + "': must be pending, confirmed or failed"));
    }
  }
  if (auto refused = read_router_type(ctx, filters.router_type)) return refused;
  if (auto text = request.query_param("recipient")) {
    auto parsed = parse_tron_address_param("recipient", *text);
    if (!parsed) return bad_parameter(ctx, "recipient", parsed.error(), true);
    filters.recipient = *parsed;
  }
  if (auto text = request.query_param("txid")) {
    auto parsed = parse_id_param("txid", *text);
    if (!parsed) return bad_parameter(ctx, "txid", parsed.error());
    filters.txid = *parsed;
  }
  for (const std::string_view name : {std::string_view("start_date"), std::string_view("end_date")}) {
    if (auto text = request.query_param(name)) {
      auto parsed = parse_time_param(name, *text);
      if (!parsed) return bad_parameter(ctx, name, parsed.error());
      (name == "start_date" ? filters.start_date : filters.end_date) = *parsed;
    }
  }
  if (filters.start_date && filters.end_date && *filters.start_date > *filters.end_date) {
    return bad_parameter(ctx, "start_date",
                         make_error(ErrorCode::kInvalidArgument, "start_date is after end_date"));
  }
  return std::nullopt;
}

}  // namespace

ApiResponse payout(const RouteContext& ctx, std::string_view payout_id) {
  if (auto refused = check_query(ctx, {})) return *refused;
  auto id = parse_id_param("payout_id", payout_id);
  if (!id) return bad_parameter(ctx, "payout_id", id.error());
  if (auto refused = authorize(ctx, AuthSubject::operator_only())) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    auto view = q.payout(*id);
    if (!view) return store_failure(ctx, q, ChainId::kTron, view.error(), "payout " + to_hex(id->bytes));
    // The view itself carries no as_of: the checkpoint is read in the same snapshot.
    auto as_of = q.as_of(ChainId::kTron);
    if (!as_of) return store_failure(ctx, q, ChainId::kTron, as_of.error(), "payout");
    if (!*as_of) return chain_not_ready(ctx, q, ChainId::kTron);
    Json body = api_json::payout_json(*view);
    body["as_of"] = api_json::as_of_json(**as_of);
    return ok(ctx, body);
  });
}

ApiResponse payouts(const RouteContext& ctx) {
  if (auto refused = check_query(
          ctx, {"status", "router_type", "recipient", "txid", "start_date", "end_date", "limit", "offset"})) {
    return *refused;
  }
  PayoutFilters filters;
  if (auto refused = read_filters(ctx, filters)) return *refused;
  PageRequest page;
  if (auto refused = read_page(ctx, page)) return *refused;
  const AuthSubject subject =
      filters.recipient ? AuthSubject::of(*filters.recipient) : AuthSubject::operator_only();
  if (auto refused = authorize(ctx, subject)) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    return chain_view(ctx, q, ChainId::kTron, q.payouts(filters, page), api_json::payout_list_json,
                      "payouts");
  });
}

ApiResponse batch(const RouteContext& ctx, std::string_view batch_id) {
  if (auto refused = check_query(ctx, {})) return *refused;
  auto id = parse_id_param("batch_id", batch_id);
  if (!id) return bad_parameter(ctx, "batch_id", id.error());
  if (auto refused = authorize(ctx, AuthSubject::operator_only())) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    return chain_view(ctx, q, ChainId::kTron, q.batch(*id), api_json::batch_json,
                      "batch " + to_hex(id->bytes));
  });
}

ApiResponse stats(const RouteContext& ctx) {
  if (auto refused = check_query(ctx, {"period", "router_type"})) return *refused;
  StatsPeriod period = StatsPeriod::kDay;
  if (auto text = ctx.request.query_param("period")) {
    auto parsed = parse_stats_period(*text);
    if (!parsed) {
      return bad_parameter(
          ctx, "period",
          make_error(ErrorCode::kInvalidArgument,
                     "period '" + quote_input(*text) + "': must be hour, day, week or month"));
    }
    period = *parsed;
  }
  std::optional<PayoutRouterType> router_type;
  if (auto refused = read_router_type(ctx, router_type)) return *refused;
  if (auto refused = authorize(ctx, AuthSubject::operator_only())) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    return chain_view(ctx, q, ChainId::kTron, q.payout_stats(period, router_type, ctx.request.now),
                      api_json::stats_json, "payout stats");
  });
}

}  // namespace csd::routes
