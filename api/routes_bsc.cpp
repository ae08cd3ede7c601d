// BSC routes of SPEC 5 (state of SPEC 3.1): access, tier, requirements, ledger.
#include <optional>

#include "api/params.hpp"
#include "api/routes.hpp"
#include "store/rules.hpp"

namespace csd::routes {

ApiResponse access(const RouteContext& ctx, std::string_view address) {
  if (auto refused = check_query(ctx, {})) return *refused;
  auto parsed = parse_bsc_address_param("address", address);
  if (!parsed) return bad_parameter(ctx, "address", parsed.error(), true);
  if (auto refused = authorize(ctx, AuthSubject::of(*parsed))) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    return chain_view(ctx, q, ChainId::kBsc, q.access(*parsed, ctx.request.now), api_json::access_json,
                      "access");
  });
}

ApiResponse tier(const RouteContext& ctx, std::string_view address) {
  if (auto refused = check_query(ctx, {})) return *refused;
  auto parsed = parse_bsc_address_param("address", address);
  if (!parsed) return bad_parameter(ctx, "address", parsed.error(), true);
  if (auto refused = authorize(ctx, AuthSubject::of(*parsed))) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    return chain_view(ctx, q, ChainId::kBsc, q.tier(*parsed, ctx.request.now), api_json::tier_json, "tier");
  });
}

ApiResponse requirements(const RouteContext& ctx, std::string_view action) {
  if (auto refused = check_query(ctx, {"address"})) return *refused;
  const auto parsed_action = parse_requirement_action(action);
  if (!parsed_action) {
    return bad_parameter(ctx, "action",
                         make_error(ErrorCode::kInvalidArgument,
                                    "action '" + quote_input(action) +
                                        "': must be one of lock_p2p, upgrade_tier, reserve_entity"));
  }
  std::optional<EvmAddress> address;
  if (auto text = ctx.request.query_param("address")) {
    auto parsed = parse_bsc_address_param("address", *text);
    if (!parsed) return bad_parameter(ctx, "address", parsed.error(), true);
    address = *parsed;
  }
  // The table alone is public; the user part is per-address.
  if (auto refused = authorize(ctx, address ? AuthSubject::of(*address) : AuthSubject::open()))
    return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    auto view = q.requirements(*parsed_action, address, ctx.request.now);
    if (!view) return store_failure(ctx, q, ChainId::kBsc, view.error(), "requirements");
    if (address && !view->as_of) return chain_not_ready(ctx, q, ChainId::kBsc);
    return ok(ctx, api_json::requirements_json(*view));
  });
}

ApiResponse ledger(const RouteContext& ctx, std::string_view address) {
  if (auto refused = check_query(ctx, {"limit", "offset"})) return *refused;
  auto parsed = parse_bsc_address_param("address", address);
  if (!parsed) return bad_parameter(ctx, "address", parsed.error(), true);
  PageRequest page;
  if (auto refused = read_page(ctx, page)) return *refused;
  if (auto refused = authorize(ctx, AuthSubject::of(*parsed))) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    return chain_view(ctx, q, ChainId::kBsc, q.ledger(*parsed, page), api_json::ledger_json, "ledger");
  });
}

}  // namespace csd::routes
