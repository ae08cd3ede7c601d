#include "store/rules.hpp"

#include <string>

namespace csd {
namespace {

// n whole tokens of `decimals` raw digits; REQUIRES: fits (n < 2^64, decimals ≤ 58).
U256 whole(std::uint64_t n, unsigned decimals) {
  auto scale = pow10(decimals);
  if (!scale) std::abort();  // a bug: validated tables only
  return U256(n) * *scale;
}

U256 tst(std::uint64_t n) {
  return whole(n, kTstDecimals);
}

Error table_error(const std::string& what) {
  return make_error(ErrorCode::kInvalidArgument, "rules: " + what);
}

// Floor division for negative times too (C++ `/` truncates toward zero).
std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

std::string_view tier_priority_name(TierPriority priority) noexcept {
  switch (priority) {
    case TierPriority::kNone:
      return "none";
    case TierPriority::kLow:
      return "low";
    case TierPriority::kMedium:
      return "medium";
    case TierPriority::kHigh:
      return "high";
  }
  return "none";
}

const TierRow& TierTable::row(std::uint8_t tier) const noexcept {
  return rows[tier > kMaxTier ? kMaxTier : tier];
}

TierTable default_tier_table() {
  // SPEC 3.1 "Default tier tables" and "Default entity quotas per day".
  constexpr std::int64_t kHour = 3600;
  TierTable table;
  table.rows[0] =
      TierRow{0, U256(0), 1, 24 * kHour, TierPriority::kNone, std::nullopt, 0, EntityQuota{0, 0, 0}};
  table.rows[1] =
      TierRow{1, tst(5), 3, 12 * kHour, TierPriority::kLow, tst(10), 50'000, EntityQuota{3, 12, 7}};
  table.rows[2] =
      TierRow{2, tst(25), 10, kHour, TierPriority::kMedium, tst(50), 500'000, EntityQuota{10, 28, 28}};
  table.rows[3] = TierRow{3,
                          tst(100),
                          std::nullopt,
                          0,
                          TierPriority::kHigh,
                          tst(250),
                          std::nullopt,
                          EntityQuota{1000, 1000, 1000}};
  return table;
}

Status validate_tier_table(const TierTable& table) {
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const TierRow& row = table.rows[i];
    if (row.tier != i)
      return table_error("tier table row " + std::to_string(i) + " is tier " + std::to_string(row.tier));
    if (row.execution_wait_s < 0)
      return table_error("tier " + std::to_string(i) + ": negative execution wait");
    if (i == 0) {
      if (!row.stake_wei.is_zero()) return table_error("tier 0 must need no stake");
      continue;
    }
    const TierRow& prev = table.rows[i - 1];
    if (row.stake_wei < prev.stake_wei)
      return table_error("tier " + std::to_string(i) + ": stake below tier " + std::to_string(i - 1));
    if (!row.lock_wei) return table_error("tier " + std::to_string(i) + ": no lock threshold");
    if (prev.lock_wei && *row.lock_wei < *prev.lock_wei) {
      return table_error("tier " + std::to_string(i) + ": lock below tier " + std::to_string(i - 1));
    }
  }
  return {};
}

std::uint8_t lock_tier(const TierTable& table, const U256& amount_wei) noexcept {
  for (std::uint8_t tier = kMaxTier; tier >= 1; --tier) {
    const auto& threshold = table.rows[tier].lock_wei;
    if (threshold && amount_wei >= *threshold) return tier;
  }
  return 0;
}

std::uint8_t stake_tier(const TierTable& table, const U256& amount_wei) noexcept {
  for (std::uint8_t tier = kMaxTier; tier >= 1; --tier) {
    if (amount_wei >= table.rows[tier].stake_wei) return tier;
  }
  return 0;
}

std::string_view lock_status_name(LockStatus status) noexcept {
  return status == LockStatus::kActive ? "active" : "unlockable";
}
std::string_view stake_status_name(StakeStatus status) noexcept {
  return status == StakeStatus::kActive ? "active" : "expired";
}

// SPEC 3.1: strict `<` everywhere, so the instant lockedUntil/expiresAt/reservedUntil itself is past.
LockStatus lock_status(std::int64_t locked_until, std::int64_t now) noexcept {
  return now < locked_until ? LockStatus::kActive : LockStatus::kUnlockable;
}
StakeStatus stake_status(std::int64_t expires_at, std::int64_t now) noexcept {
  return now < expires_at ? StakeStatus::kActive : StakeStatus::kExpired;
}
bool reservation_active(std::int64_t reserved_until, std::int64_t now) noexcept {
  return now < reserved_until;
}

std::int64_t days_remaining(std::int64_t locked_until, std::int64_t now) noexcept {
  if (now >= locked_until) return 0;
  // locked_until − now > 0; computed in unsigned so INT64_MAX − INT64_MIN cannot overflow.
  const std::uint64_t left = static_cast<std::uint64_t>(locked_until) - static_cast<std::uint64_t>(now);
  const std::uint64_t day = static_cast<std::uint64_t>(kSecondsPerDay);
  return static_cast<std::int64_t>(left / day + (left % day != 0 ? 1 : 0));
}

std::int64_t utc_day_number(std::int64_t time) noexcept {
  // Unix time has no leap seconds: every UTC day is 86 400 s from midnight.
  return floor_div(time, kSecondsPerDay);
}

DayWindow utc_day(std::int64_t now) noexcept {
  const std::int64_t start = utc_day_number(now) * kSecondsPerDay;
  return DayWindow{start, start + kSecondsPerDay};
}

std::uint32_t quota_available(std::uint32_t quota_per_day, std::uint64_t used_today) noexcept {
  return used_today >= quota_per_day ? 0 : static_cast<std::uint32_t>(quota_per_day - used_today);
}

std::string_view requirement_action_name(RequirementAction action) noexcept {
  switch (action) {
    case RequirementAction::kLockP2p:
      return "lock_p2p";
    case RequirementAction::kUpgradeTier:
      return "upgrade_tier";
    case RequirementAction::kReserveEntity:
      return "reserve_entity";
  }
  return "lock_p2p";
}

std::optional<RequirementAction> parse_requirement_action(std::string_view text) noexcept {
  for (RequirementAction action :
       {RequirementAction::kLockP2p, RequirementAction::kUpgradeTier, RequirementAction::kReserveEntity}) {
    if (text == requirement_action_name(action)) return action;
  }
  return std::nullopt;
}

std::string_view requirement_action_description(RequirementAction action) noexcept {
  switch (action) {
    case RequirementAction::kLockP2p:
      return "Lock TST in the P2P agreement escrow; the locked amount sets the tier and the maximum "
             "agreement value";
    case RequirementAction::kUpgradeTier:
      return "Stake TST for 30 days to reach an access tier";
    case RequirementAction::kReserveEntity:
      return "Reserve entity compute quota; needs an active stake of tier 1 or higher, the tier sets the "
             "daily quota";
  }
  return "";
}

U256 action_requirement(const TierTable& table, RequirementAction action, std::uint8_t tier) noexcept {
  const TierRow& row = table.row(tier);
  if (action == RequirementAction::kLockP2p) return row.lock_wei.value_or(U256(0));
  return row.stake_wei;
}

std::string_view discount_tier_name(DiscountTier tier) noexcept {
  switch (tier) {
    case DiscountTier::kNone:
      return "none";
    case DiscountTier::kSilver:
      return "silver";
    case DiscountTier::kGold:
      return "gold";
    case DiscountTier::kPlatinum:
      return "platinum";
  }
  return "none";
}

std::string_view discount_priority_name(DiscountPriority p) noexcept {
  switch (p) {
    case DiscountPriority::kStandard:
      return "standard";
    case DiscountPriority::kPriority:
      return "priority";
    case DiscountPriority::kPremium:
      return "premium";
  }
  return "standard";
}

std::string_view support_level_name(SupportLevel level) noexcept {
  switch (level) {
    case SupportLevel::kStandard:
      return "standard";
    case SupportLevel::kPriority:
      return "priority";
    case SupportLevel::kDedicated:
      return "dedicated";
  }
  return "standard";
}

DiscountBenefits discount_benefits(DiscountPriority priority) noexcept {
  switch (priority) {
    case DiscountPriority::kStandard:
      return DiscountBenefits{};
    case DiscountPriority::kPriority:
      return DiscountBenefits{5, 36, false, SupportLevel::kPriority};
    case DiscountPriority::kPremium:
      return DiscountBenefits{10, 48, true, SupportLevel::kDedicated};
  }
  return DiscountBenefits{};
}

DiscountTable default_discount_table() {
  // SPEC 3.2 "Discount tiers".
  DiscountTable table;
  table.rows[0] = DiscountRow{DiscountTier::kNone, 0, 0, DiscountPriority::kStandard};
  table.rows[1] = DiscountRow{DiscountTier::kSilver, 100'000, 10, DiscountPriority::kPriority};
  table.rows[2] = DiscountRow{DiscountTier::kGold, 500'000, 20, DiscountPriority::kPriority};
  table.rows[3] = DiscountRow{DiscountTier::kPlatinum, 1'000'000, 30, DiscountPriority::kPremium};
  table.token_decimals = kDefaultKamiyoDecimals;
  return table;
}

Status validate_discount_table(const DiscountTable& table) {
  // 2^64 × 10^30 < 2^256, so thresholds always fit.
  if (table.token_decimals > 30) return table_error("token_decimals above 30");
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const DiscountRow& row = table.rows[i];
    if (static_cast<std::size_t>(row.tier) != i)
      return table_error("discount row " + std::to_string(i) + " out of order");
    if (row.percent > 100)
      return table_error("discount " + std::string(discount_tier_name(row.tier)) + " above 100 %");
    if (i == 0) {
      if (row.min_whole_tokens != 0) return table_error("discount tier none must start at 0");
      continue;
    }
    const DiscountRow& prev = table.rows[i - 1];
    if (row.min_whole_tokens <= prev.min_whole_tokens || row.percent < prev.percent) {
      return table_error("discount " + std::string(discount_tier_name(row.tier)) + " not above " +
                         std::string(discount_tier_name(prev.tier)));
    }
  }
  return {};
}

const DiscountRow& discount_row(const DiscountTable& table, const U256& staked_raw) noexcept {
  for (std::size_t i = table.rows.size() - 1; i >= 1; --i) {
    if (staked_raw >= whole(table.rows[i].min_whole_tokens, table.token_decimals)) return table.rows[i];
  }
  return table.rows[0];
}

Result<DiscountedPrice> apply_discount(const Decimal& price, std::uint32_t percent) {
  if (percent > 100)
    return make_error(ErrorCode::kInvalidArgument,
                      "discount: percent " + std::to_string(percent) + " above 100");
  if (price.scale > 75)
    return make_error(ErrorCode::kInvalidArgument, "discount: price has more than 75 fractional digits");
  // price = v / 10^s; discounted = v × (100 − p) / 10^(s+2) exactly.
  auto hundredfold = checked_mul(price.value, U256(100));
  if (!hundredfold) return make_error(ErrorCode::kOverflow, "discount: price × 100 exceeds 2^256-1");
  const U256 discounted = price.value * U256(100 - percent);  // ≤ price × 100: fits
  const unsigned scale = price.scale + 2;
  return DiscountedPrice{price, Decimal{discounted, scale}, Decimal{*hundredfold - discounted, scale}};
}

Decimal percentage(std::uint64_t numerator, std::uint64_t denominator) noexcept {
  if (denominator == 0) return Decimal{U256(0), 2};
  // numerator × 10^4 / denominator in 256 bits: no overflow for any uint64 inputs.
  const U256 scaled = U256(numerator) * U256(10'000);
  return Decimal{divmod_small(scaled, denominator).quotient, 2};
}

}  // namespace csd
