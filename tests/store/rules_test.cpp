// Tests of store/rules: every view-time rule of SPEC 3.1/3.2 at its bounds
// (the edge cases of issue 4). Expected values are the SPEC's tables.
#include "store/rules.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace csd {
namespace {

U256 tst(std::uint64_t whole) {
  return U256(whole) * *pow10(kTstDecimals);
}
U256 kamiyo(std::uint64_t whole) {
  return U256(whole) * *pow10(kDefaultKamiyoDecimals);
}
const U256 kOneWei = U256(1);

Decimal dec(std::string_view text) {
  return *parse_decimal(text);
}

TEST(Rules, DefaultTierTableIsSpecTable) {
  const TierTable t = default_tier_table();
  ASSERT_TRUE(validate_tier_table(t));
  EXPECT_EQ(t.rows[0].stake_wei, U256(0));
  EXPECT_EQ(t.rows[1].stake_wei, tst(5));
  EXPECT_EQ(t.rows[2].stake_wei, tst(25));
  EXPECT_EQ(t.rows[3].stake_wei, tst(100));
  EXPECT_EQ(t.rows[0].analyses_per_day, 1u);
  EXPECT_EQ(t.rows[1].analyses_per_day, 3u);
  EXPECT_EQ(t.rows[2].analyses_per_day, 10u);
  EXPECT_EQ(t.rows[3].analyses_per_day, std::nullopt);  // unlimited
  EXPECT_EQ(t.rows[0].execution_wait_s, 24 * 3600);
  EXPECT_EQ(t.rows[1].execution_wait_s, 12 * 3600);
  EXPECT_EQ(t.rows[2].execution_wait_s, 3600);
  EXPECT_EQ(t.rows[3].execution_wait_s, 0);  // instant
  EXPECT_EQ(tier_priority_name(t.rows[0].priority), "none");
  EXPECT_EQ(tier_priority_name(t.rows[1].priority), "low");
  EXPECT_EQ(tier_priority_name(t.rows[2].priority), "medium");
  EXPECT_EQ(tier_priority_name(t.rows[3].priority), "high");
  EXPECT_EQ(t.rows[0].lock_wei, std::nullopt);
  EXPECT_EQ(t.rows[1].lock_wei, tst(10));
  EXPECT_EQ(t.rows[2].lock_wei, tst(50));
  EXPECT_EQ(t.rows[3].lock_wei, tst(250));
  EXPECT_EQ(t.rows[0].max_agreement_value, 0u);
  EXPECT_EQ(t.rows[1].max_agreement_value, 50'000u);
  EXPECT_EQ(t.rows[2].max_agreement_value, 500'000u);
  EXPECT_EQ(t.rows[3].max_agreement_value, std::nullopt);
  EXPECT_EQ(t.rows[1].entity_quota, (EntityQuota{3, 12, 7}));
  EXPECT_EQ(t.rows[2].entity_quota, (EntityQuota{10, 28, 28}));
  EXPECT_EQ(t.rows[3].entity_quota, (EntityQuota{1000, 1000, 1000}));
  EXPECT_EQ(t.row(200).tier, 3);  // a tier past the table reads as the top row
}

TEST(Rules, ValidateTierTableRejectsDisorder) {
  TierTable t = default_tier_table();
  t.rows[2].stake_wei = tst(4);  // below tier 1
  EXPECT_FALSE(validate_tier_table(t));
  t = default_tier_table();
  t.rows[3].lock_wei = tst(49);
  EXPECT_FALSE(validate_tier_table(t));
  t = default_tier_table();
  t.rows[0].stake_wei = U256(1);
  EXPECT_FALSE(validate_tier_table(t));
  t = default_tier_table();
  t.rows[1].tier = 2;
  EXPECT_FALSE(validate_tier_table(t));
}

TEST(Rules, LockTierAtEachThresholdAndOneWeiBelow) {
  const TierTable t = default_tier_table();
  EXPECT_EQ(lock_tier(t, U256(0)), 0);
  EXPECT_EQ(lock_tier(t, tst(10) - kOneWei), 0);
  EXPECT_EQ(lock_tier(t, tst(10)), 1);
  EXPECT_EQ(lock_tier(t, tst(50) - kOneWei), 1);
  EXPECT_EQ(lock_tier(t, tst(50)), 2);
  EXPECT_EQ(lock_tier(t, tst(250) - kOneWei), 2);
  EXPECT_EQ(lock_tier(t, tst(250)), 3);
  EXPECT_EQ(lock_tier(t, U256::max()), 3);
}

TEST(Rules, StakeTierAtEachThresholdAndOneWeiBelow) {
  const TierTable t = default_tier_table();
  EXPECT_EQ(stake_tier(t, U256(0)), 0);
  EXPECT_EQ(stake_tier(t, tst(5) - kOneWei), 0);
  EXPECT_EQ(stake_tier(t, tst(5)), 1);
  EXPECT_EQ(stake_tier(t, tst(25) - kOneWei), 1);
  EXPECT_EQ(stake_tier(t, tst(25)), 2);
  EXPECT_EQ(stake_tier(t, tst(100) - kOneWei), 2);
  EXPECT_EQ(stake_tier(t, tst(100)), 3);
  EXPECT_EQ(stake_tier(t, U256::max()), 3);
}

TEST(Rules, LockExactlyAtLockedUntilIsUnlockable) {
  EXPECT_EQ(lock_status(1000, 999), LockStatus::kActive);
  EXPECT_EQ(lock_status(1000, 1000), LockStatus::kUnlockable);  // SPEC 3.1: active while now < lockedUntil
  EXPECT_EQ(lock_status(1000, 1001), LockStatus::kUnlockable);
  EXPECT_EQ(lock_status_name(LockStatus::kUnlockable), "unlockable");
}

TEST(Rules, StakeExpiringAtNowIsExpired) {
  EXPECT_EQ(stake_status(1000, 999), StakeStatus::kActive);
  EXPECT_EQ(stake_status(1000, 1000), StakeStatus::kExpired);
  EXPECT_EQ(stake_status_name(StakeStatus::kExpired), "expired");
  EXPECT_TRUE(reservation_active(1000, 999));
  EXPECT_FALSE(reservation_active(1000, 1000));
}

TEST(Rules, DaysRemainingRoundsUp) {
  EXPECT_EQ(days_remaining(1000, 1000), 0);
  EXPECT_EQ(days_remaining(1000, 5000), 0);
  EXPECT_EQ(days_remaining(1000, 999), 1);  // one second left: 1 day
  EXPECT_EQ(days_remaining(86'400, 0), 1);
  EXPECT_EQ(days_remaining(86'401, 0), 2);
  EXPECT_EQ(days_remaining(30 * 86'400, 0), 30);
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(days_remaining(kMax, kMin), static_cast<std::int64_t>(~0ULL / 86'400 + 1));  // no overflow
}

TEST(Rules, UtcDayWindowAtMidnightBounds) {
  // 2023-11-14T00:00:00Z = 1699920000 (Unix time: days × 86400).
  constexpr std::int64_t kMidnight = 1'699'920'000;
  EXPECT_EQ(utc_day(kMidnight), (DayWindow{kMidnight, kMidnight + 86'400}));
  EXPECT_EQ(utc_day(kMidnight - 1),
            (DayWindow{kMidnight - 86'400, kMidnight}));  // 23:59:59 belongs to the day before
  EXPECT_EQ(utc_day(kMidnight + 86'399), (DayWindow{kMidnight, kMidnight + 86'400}));
  EXPECT_EQ(utc_day(0), (DayWindow{0, 86'400}));
  EXPECT_EQ(utc_day(-1), (DayWindow{-86'400, 0}));  // before 1970: floor, not truncation
  EXPECT_EQ(utc_day_number(kMidnight), kMidnight / 86'400);
  EXPECT_EQ(utc_day_number(kMidnight - 1), kMidnight / 86'400 - 1);
  EXPECT_EQ(utc_day_number(-1), -1);
}

TEST(Rules, QuotaAvailableNeverNegative) {
  EXPECT_EQ(quota_available(10, 0), 10u);
  EXPECT_EQ(quota_available(10, 9), 1u);
  EXPECT_EQ(quota_available(10, 10), 0u);
  EXPECT_EQ(quota_available(10, 11), 0u);
  EXPECT_EQ(quota_available(0, 0), 0u);
  EXPECT_EQ(quota_available(7, ~0ULL), 0u);
}

TEST(Rules, RequirementActions) {
  EXPECT_EQ(parse_requirement_action("lock_p2p"), RequirementAction::kLockP2p);
  EXPECT_EQ(parse_requirement_action("upgrade_tier"), RequirementAction::kUpgradeTier);
  EXPECT_EQ(parse_requirement_action("reserve_entity"), RequirementAction::kReserveEntity);
  EXPECT_EQ(parse_requirement_action("LOCK_P2P"), std::nullopt);
  EXPECT_EQ(parse_requirement_action(""), std::nullopt);
  const TierTable t = default_tier_table();
  EXPECT_EQ(action_requirement(t, RequirementAction::kLockP2p, 2), tst(50));
  EXPECT_EQ(action_requirement(t, RequirementAction::kUpgradeTier, 2), tst(25));
  EXPECT_EQ(action_requirement(t, RequirementAction::kReserveEntity, 1), tst(5));
  EXPECT_EQ(action_requirement(t, RequirementAction::kLockP2p, 0), U256(0));
  EXPECT_FALSE(requirement_action_description(RequirementAction::kReserveEntity).empty());
}

TEST(Rules, DefaultDiscountTableIsSpecTable) {
  const DiscountTable d = default_discount_table();
  ASSERT_TRUE(validate_discount_table(d));
  EXPECT_EQ(d.token_decimals, 9u);
  EXPECT_EQ(d.rows[1], (DiscountRow{DiscountTier::kSilver, 100'000, 10, DiscountPriority::kPriority}));
  EXPECT_EQ(d.rows[2], (DiscountRow{DiscountTier::kGold, 500'000, 20, DiscountPriority::kPriority}));
  EXPECT_EQ(d.rows[3], (DiscountRow{DiscountTier::kPlatinum, 1'000'000, 30, DiscountPriority::kPremium}));
  EXPECT_EQ(d.rows[0], (DiscountRow{DiscountTier::kNone, 0, 0, DiscountPriority::kStandard}));
}

TEST(Rules, ValidateDiscountTableRejectsDisorder) {
  DiscountTable d = default_discount_table();
  d.rows[2].min_whole_tokens = 100'000;  // not above silver
  EXPECT_FALSE(validate_discount_table(d));
  d = default_discount_table();
  d.rows[3].percent = 101;
  EXPECT_FALSE(validate_discount_table(d));
  d = default_discount_table();
  d.token_decimals = 31;
  EXPECT_FALSE(validate_discount_table(d));
  d = default_discount_table();
  d.token_decimals = 30;
  EXPECT_TRUE(validate_discount_table(d));
}

TEST(Rules, DiscountTierAtEachThresholdAndOneRawUnitBelow) {
  const DiscountTable d = default_discount_table();
  EXPECT_EQ(discount_row(d, U256(0)).tier, DiscountTier::kNone);
  EXPECT_EQ(discount_row(d, kamiyo(100'000) - U256(1)).tier, DiscountTier::kNone);
  EXPECT_EQ(discount_row(d, kamiyo(100'000)).tier, DiscountTier::kSilver);
  EXPECT_EQ(discount_row(d, kamiyo(500'000) - U256(1)).tier, DiscountTier::kSilver);
  EXPECT_EQ(discount_row(d, kamiyo(500'000)).tier, DiscountTier::kGold);
  EXPECT_EQ(discount_row(d, kamiyo(1'000'000) - U256(1)).tier, DiscountTier::kGold);
  EXPECT_EQ(discount_row(d, kamiyo(1'000'000)).tier, DiscountTier::kPlatinum);
  EXPECT_EQ(discount_row(d, U256::max()).percent, 30u);
  DiscountTable six = d;  // another token_decimals moves the raw thresholds
  six.token_decimals = 6;
  EXPECT_EQ(discount_row(six, U256(100'000'000'000)).tier, DiscountTier::kSilver);
  EXPECT_EQ(discount_row(six, U256(99'999'999'999)).tier, DiscountTier::kNone);
}

TEST(Rules, DiscountBenefitsPerSpec) {
  EXPECT_EQ(discount_benefits(DiscountPriority::kPriority),
            (DiscountBenefits{5, 36, false, SupportLevel::kPriority}));
  EXPECT_EQ(discount_benefits(DiscountPriority::kPremium),
            (DiscountBenefits{10, 48, true, SupportLevel::kDedicated}));
  EXPECT_EQ(discount_benefits(DiscountPriority::kStandard), DiscountBenefits{});
  EXPECT_EQ(discount_tier_name(DiscountTier::kPlatinum), "platinum");
  EXPECT_EQ(discount_priority_name(DiscountPriority::kPremium), "premium");
  EXPECT_EQ(support_level_name(SupportLevel::kDedicated), "dedicated");
}

TEST(Rules, ApplyDiscountIsExact) {
  auto r = apply_discount(dec("0.10"), 30);
  ASSERT_TRUE(r);
  EXPECT_EQ(format_decimal(r->original_price), "0.1");
  EXPECT_EQ(format_decimal(r->discounted_price), "0.07");
  EXPECT_EQ(format_decimal(r->savings), "0.03");
  r = apply_discount(dec("0.01"), 10);  // 0.009: a digit below the price's scale, still exact
  ASSERT_TRUE(r);
  EXPECT_EQ(format_decimal(r->discounted_price), "0.009");
  EXPECT_EQ(format_decimal(r->savings), "0.001");
  r = apply_discount(dec("3"), 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(format_decimal(r->discounted_price), "3");
  EXPECT_EQ(format_decimal(r->savings), "0");
  r = apply_discount(dec("1.23456789"), 100);
  ASSERT_TRUE(r);
  EXPECT_EQ(format_decimal(r->discounted_price), "0");
  EXPECT_EQ(format_decimal(r->savings), "1.23456789");
}

TEST(Rules, ApplyDiscountRejectsOverflowAndBadPercent) {
  EXPECT_FALSE(apply_discount(Decimal{U256::max(), 0}, 10));
  EXPECT_EQ(apply_discount(Decimal{U256::max(), 0}, 10).error().code, ErrorCode::kOverflow);
  EXPECT_FALSE(apply_discount(dec("1"), 101));
  EXPECT_TRUE(apply_discount(Decimal{U256(1), 75}, 10));
  EXPECT_FALSE(apply_discount(Decimal{U256(1), 76}, 10));
}

TEST(Rules, PercentageTruncates) {
  EXPECT_EQ(format_decimal(percentage(0, 0)), "0");
  EXPECT_EQ(format_decimal(percentage(1, 3)), "33.33");
  EXPECT_EQ(format_decimal(percentage(2, 3)), "66.66");
  EXPECT_EQ(format_decimal(percentage(3, 3)), "100");
  EXPECT_EQ(format_decimal(percentage(~0ULL, ~0ULL)), "100");
}

}  // namespace
}  // namespace csd
