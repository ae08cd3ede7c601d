// Solana routes of SPEC 5 (discount with exact ?price=, discount-tiers)
// through the Router over a real store filled with UserStake account versions.
#include <gtest/gtest.h>

#include "decoders/solana_pubkey.hpp"
#include "routes_test_support.hpp"

namespace csd::api_test {
namespace {

constexpr std::uint64_t kKamiyo = 1'000'000'000;  // 10^9 raw units (token_decimals 9)
// 32 zero bytes: the System Program's id (docs.solana.com, "11111111111111111111111111111111").
const std::string kZeroWallet = "11111111111111111111111111111111";

class RoutesSolana : public RouteFixture {
 protected:
  // Owner n's UserStake with `amount` raw units at a new slot; returns the wallet's base58.
  std::string stake(std::uint64_t owner, std::uint64_t amount) {
    const auto account = store_test::user_stake_account(store.contracts(), owner, amount);
    const auto slot = store.block(kMidnight);
    store.add_account(SolanaAccountVersion{account.address, slot, store_test::account_bytes(account.stake)});
    store.commit(ChainId::kSolana);
    stake_account_ = to_base58(account.address);
    return to_base58(store_test::pubkey(owner));
  }
  std::string stake_account_;
};

TEST_F(RoutesSolana, GoldStakeWithExactPrice) {
  const std::string wallet = stake(1, 500'000 * kKamiyo + 1);
  const Reply reply = get("/v1/discount/" + wallet, {{"price", "0.10"}});
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.route, "/v1/discount/{wallet}");
  const json& b = reply.body;
  EXPECT_EQ(b["wallet"], wallet);
  EXPECT_EQ(b["stake_account"], stake_account_);
  EXPECT_EQ(b["staked_amount"], "500000000000001");
  EXPECT_EQ(b["staked_amount_ui"], "500000.000000001");
  EXPECT_EQ(b["discount_tier"], "gold");
  EXPECT_EQ(b["discount_percent"], 20);
  EXPECT_EQ(b["priority_level"], "priority");
  EXPECT_EQ(b["benefits"], (json{{"concurrent_escrow_slots", 5},
                                 {"negotiation_timeout_hours", 36},
                                 {"auto_mediation", false},
                                 {"support", "priority"}}));
  EXPECT_EQ(b["slot"], 1);
  EXPECT_EQ(b["original_price"], "0.1");
  EXPECT_EQ(b["discounted_price"], "0.08");  // 0.10 × 0.8, exact
  EXPECT_EQ(b["savings"], "0.02");
  EXPECT_EQ(b["as_of"]["chain"], "solana");
  EXPECT_EQ(b["as_of"]["block"], 1);
  EXPECT_EQ(b.size(), 13u);
}

TEST_F(RoutesSolana, WalletWithoutStakeIsTierNoneNot404) {
  stake(1, 5 * kKamiyo);
  const Reply reply = get("/v1/discount/" + kZeroWallet);
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  const json& b = reply.body;
  EXPECT_EQ(b["wallet"], kZeroWallet);
  EXPECT_TRUE(b["stake_account"].is_null());
  EXPECT_EQ(b["staked_amount"], "0");
  EXPECT_EQ(b["staked_amount_ui"], "0");
  EXPECT_EQ(b["discount_tier"], "none");
  EXPECT_EQ(b["discount_percent"], 0);
  EXPECT_EQ(b["priority_level"], "standard");
  EXPECT_TRUE(b["slot"].is_null());
  EXPECT_FALSE(b.contains("original_price"));  // only with ?price=
  EXPECT_EQ(b.size(), 10u);
}

TEST_F(RoutesSolana, PlatinumPriceOfManyDigits) {
  const std::string wallet = stake(2, 1'000'000 * kKamiyo);
  const Reply reply = get("/v1/discount/" + wallet, {{"price", "123456789012345678901234567890.123456789"}});
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.body["discount_tier"], "platinum");
  EXPECT_EQ(reply.body["priority_level"], "premium");
  EXPECT_EQ(reply.body["benefits"]["auto_mediation"], true);
  EXPECT_EQ(reply.body["discounted_price"],
            "86419752308641975230864197523.0864197523");                         // × 0.7 (Python decimal)
  EXPECT_EQ(reply.body["savings"], "37037036703703703670370370367.0370370367");  // × 0.3
}

TEST_F(RoutesSolana, BadWalletAndPrice) {
  stake(1, 1);
  for (const char* bad : {"0x00", "1111111111111111111111111111111O", "111", ""}) {
    const Reply reply = get(std::string("/v1/discount/") + bad);
    if (std::string_view(bad).empty()) {
      expect_error(reply, 404, "NOT_FOUND");
      continue;
    }
    const json error = expect_error(reply, 400, "INVALID_ADDRESS");
    EXPECT_EQ(error["details"]["parameter"], "wallet") << bad;
  }
  for (const char* price : {"-1", "abc", "1e5", "0x10", "1.2.3", "", ".", "1,5"}) {
    const json error =
        expect_error(get("/v1/discount/" + kZeroWallet, {{"price", price}}), 400, "INVALID_PARAMETER");
    EXPECT_EQ(error["details"]["parameter"], "price") << price;
  }
  // 2^256 − 1 is a valid decimal, but × 100 does not fit: still the caller's to fix.
  const std::string max256 = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  const json error =
      expect_error(get("/v1/discount/" + kZeroWallet, {{"price", max256}}), 400, "INVALID_PARAMETER");
  EXPECT_EQ(error["details"]["parameter"], "price");
  expect_error(get("/v1/discount/" + kZeroWallet, {{"prize", "1"}}), 400, "INVALID_PARAMETER");
}

TEST_F(RoutesSolana, ChainNotReadyWhileSolanaHasIndexedNothing) {
  store.block(kMidnight);
  store.commit(ChainId::kBsc);
  const json error = expect_error(get("/v1/discount/" + kZeroWallet), 503, "CHAIN_NOT_READY");
  EXPECT_EQ(error["details"]["chain"], "solana");
  EXPECT_EQ(error["details"]["accounts_tracked"], 0);
}

TEST_F(RoutesSolana, DiscountTiersIsTheConfiguredTable) {
  const Reply reply = get("/v1/discount-tiers");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.route, "/v1/discount-tiers");
  EXPECT_EQ(reply.body["token_decimals"], 9);
  const json& tiers = reply.body["tiers"];
  ASSERT_EQ(tiers.size(), 4u);
  // SPEC 3.2 defaults.
  EXPECT_EQ(tiers[0]["tier"], "none");
  EXPECT_EQ(tiers[0]["min_staked"], "0");
  EXPECT_EQ(tiers[0]["priority_level"], "standard");
  EXPECT_EQ(tiers[1]["tier"], "silver");
  EXPECT_EQ(tiers[1]["min_staked"], "100000");
  EXPECT_EQ(tiers[1]["min_staked_raw"], "100000000000000");
  EXPECT_EQ(tiers[1]["discount_percent"], 10);
  EXPECT_EQ(tiers[2]["tier"], "gold");
  EXPECT_EQ(tiers[2]["discount_percent"], 20);
  EXPECT_EQ(tiers[3]["tier"], "platinum");
  EXPECT_EQ(tiers[3]["min_staked"], "1000000");
  EXPECT_EQ(tiers[3]["discount_percent"], 30);
  EXPECT_EQ(tiers[3]["priority_level"], "premium");
  EXPECT_EQ(tiers[3]["benefits"], (json{{"concurrent_escrow_slots", 10},
                                        {"negotiation_timeout_hours", 48},
                                        {"auto_mediation", true},
                                        {"support", "dedicated"}}));
  // Answered without any chain state.
  expect_error(get("/v1/discount-tiers", {{"tier", "gold"}}), 400, "INVALID_PARAMETER");
}

}  // namespace
}  // namespace csd::api_test
