// Solana discount view (SPEC 3.2, SPEC 5) read from a store filled through the
// Writer with UserStake account versions: tiers at each threshold and one raw
// unit below, exact prices, closed accounts and wallets without a stake.
#include <gtest/gtest.h>

#include "queries_test_support.hpp"

namespace csd::store_test {
namespace {

constexpr std::uint64_t kKamiyo = 1'000'000'000;  // 10^9 raw units (token_decimals 9)

class QueriesSolana : public ::testing::Test {
 protected:
  // Stores a version of owner n's UserStake with `amount` raw units at a new slot.
  void stake(std::uint64_t owner, std::uint64_t amount) {
    const TestStakeAccount account = user_stake_account(store.contracts(), owner, amount);
    const auto slot = store.block(kMidnight);
    store.add_account(SolanaAccountVersion{account.address, slot, account_bytes(account.stake)});
    store.commit(ChainId::kSolana);
  }
  void close(std::uint64_t owner) {
    const TestStakeAccount account = user_stake_account(store.contracts(), owner, 0);
    const auto slot = store.block(kMidnight);
    store.add_account(SolanaAccountVersion{account.address, slot, std::nullopt});
    store.commit(ChainId::kSolana);
  }
  DiscountView discount(std::uint64_t owner, std::optional<Decimal> price = std::nullopt) {
    return store.read([&](Queries& q) { return ok(q.discount(pubkey(owner), price)); });
  }

  QueryStore store;
};

TEST_F(QueriesSolana, WalletWithoutStakeIsTierNone) {
  stake(1, 5 * kKamiyo);
  const DiscountView view = discount(2);
  EXPECT_EQ(view.wallet, pubkey(2));
  EXPECT_EQ(view.stake_account, std::nullopt);
  EXPECT_TRUE(view.staked_amount.is_zero());
  EXPECT_EQ(format_decimal(view.staked_amount_ui), "0");
  EXPECT_EQ(view.discount_tier, DiscountTier::kNone);
  EXPECT_EQ(view.discount_percent, 0u);
  EXPECT_EQ(view.priority_level, DiscountPriority::kStandard);
  EXPECT_EQ(view.benefits, DiscountBenefits{});
  EXPECT_EQ(view.slot, std::nullopt);
  ASSERT_TRUE(view.as_of.has_value());
  EXPECT_EQ(view.as_of->chain, ChainId::kSolana);
  EXPECT_EQ(view.as_of->block, 1u);
}

TEST_F(QueriesSolana, ThresholdsExactlyAndOneRawUnitBelow) {
  struct Case {
    std::uint64_t raw;
    DiscountTier tier;
    std::uint32_t percent;
    DiscountPriority priority;
    const char* ui;
  };
  const Case cases[] = {
      {100'000 * kKamiyo - 1, DiscountTier::kNone, 0, DiscountPriority::kStandard, "99999.999999999"},
      {100'000 * kKamiyo, DiscountTier::kSilver, 10, DiscountPriority::kPriority, "100000"},
      {500'000 * kKamiyo - 1, DiscountTier::kSilver, 10, DiscountPriority::kPriority, "499999.999999999"},
      {500'000 * kKamiyo, DiscountTier::kGold, 20, DiscountPriority::kPriority, "500000"},
      {1'000'000 * kKamiyo - 1, DiscountTier::kGold, 20, DiscountPriority::kPriority, "999999.999999999"},
      {1'000'000 * kKamiyo, DiscountTier::kPlatinum, 30, DiscountPriority::kPremium, "1000000"},
  };
  std::uint64_t owner = 10;
  for (const Case& c : cases) {
    stake(owner, c.raw);
    const DiscountView view = discount(owner);
    EXPECT_EQ(view.staked_amount, U256(c.raw)) << c.ui;
    EXPECT_EQ(format_decimal(view.staked_amount_ui), c.ui);
    EXPECT_EQ(view.discount_tier, c.tier) << c.ui;
    EXPECT_EQ(view.discount_percent, c.percent) << c.ui;
    EXPECT_EQ(view.priority_level, c.priority) << c.ui;
    EXPECT_EQ(view.benefits, discount_benefits(c.priority));
    EXPECT_EQ(view.stake_account, user_stake_account(store.contracts(), owner, 0).address);
    EXPECT_EQ(view.slot, store.height());
    ++owner;
  }
}

TEST_F(QueriesSolana, PriceIsDiscountedExactly) {
  stake(1, 1'000'000 * kKamiyo);
  const DiscountView view = discount(1, *parse_decimal("0.10"));
  ASSERT_TRUE(view.price.has_value());
  EXPECT_EQ(format_decimal(view.price->original_price), "0.1");
  EXPECT_EQ(format_decimal(view.price->discounted_price), "0.07");
  EXPECT_EQ(format_decimal(view.price->savings), "0.03");
  const DiscountView none = discount(2, *parse_decimal("19.99"));
  EXPECT_EQ(format_decimal(none.price->discounted_price), "19.99");
  EXPECT_EQ(format_decimal(none.price->savings), "0");
  const auto overflow = store.read([&](Queries& q) {
    return q.discount(pubkey(1), Decimal{U256::max(), 0});
  });
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().code, ErrorCode::kOverflow);
}

TEST_F(QueriesSolana, LatestVersionCountsAndClosedAccountIsNone) {
  stake(1, 600'000 * kKamiyo);
  EXPECT_EQ(discount(1).discount_tier, DiscountTier::kGold);
  stake(1, 50 * kKamiyo);  // unstaked most of it
  EXPECT_EQ(discount(1).discount_tier, DiscountTier::kNone);
  EXPECT_EQ(discount(1).staked_amount, U256(50 * kKamiyo));
  close(1);
  const DiscountView closed = discount(1);
  EXPECT_EQ(closed.stake_account, std::nullopt);
  EXPECT_TRUE(closed.staked_amount.is_zero());
  EXPECT_EQ(closed.as_of->block, 3u);
  const StatusView status = store.read([&](Queries& q) { return ok(q.status()); });
  EXPECT_EQ(status.chains[1].accounts_tracked, 0u);
}

TEST_F(QueriesSolana, OtherTokenDecimals) {
  store.config.discounts.token_decimals = 6;
  stake(1, 100'000'000'000);  // 100 000 whole tokens at 6 decimals
  const DiscountView view = discount(1);
  EXPECT_EQ(view.discount_tier, DiscountTier::kSilver);
  EXPECT_EQ(format_decimal(view.staked_amount_ui), "100000");
}

}  // namespace
}  // namespace csd::store_test
