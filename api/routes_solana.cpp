// Solana routes of SPEC 5 (KAMIYO staking, SPEC 3.2): discount, discount-tiers.
#include <optional>

#include "api/params.hpp"
#include "api/routes.hpp"

namespace csd::routes {

ApiResponse discount(const RouteContext& ctx, std::string_view wallet) {
  if (auto refused = check_query(ctx, {"price"})) return *refused;
  auto parsed = parse_solana_param("wallet", wallet);
  if (!parsed) return bad_parameter(ctx, "wallet", parsed.error(), true);
  std::optional<Decimal> price;
  if (auto text = ctx.request.query_param("price")) {
    auto value = parse_decimal_param("price", *text);
    if (!value) return bad_parameter(ctx, "price", value.error());
    price = *value;
  }
  if (auto refused = authorize(ctx, AuthSubject::of(*parsed))) return *refused;
  return with_snapshot(ctx, [&](Queries& q) {
    auto view = q.discount(*parsed, price);
    const auto price_text = ctx.request.query_param("price");
    if (!view && price_text &&
        (view.error().code == ErrorCode::kOverflow || view.error().code == ErrorCode::kInvalidArgument)) {
      // SPEC 3.2: exact arithmetic; a price it cannot hold is the caller's to fix.
      return bad_parameter(
          ctx, "price",
          make_error(ErrorCode::kOutOfRange, "price '" + quote_input(*price_text) +
                                                 "': too large or too precise to discount exactly"));
    }
    return chain_view(ctx, q, ChainId::kSolana, std::move(view), api_json::discount_json, "discount");
  });
}

ApiResponse discount_tiers(const RouteContext& ctx) {
  if (auto refused = check_query(ctx, {})) return *refused;
  // The configured table: not chain state, so no snapshot and no as_of.
  return ok(ctx, api_json::discount_tiers_json(ctx.config.query.discounts));
}

}  // namespace csd::routes
