#include "decoders/user_stake.hpp"

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "decoders/anchor.hpp"
#include "decoders/solana_pda.hpp"
#include "decoders/solana_pubkey.hpp"

namespace csd {
namespace {

SolanaPubkey key(std::string_view text) {
  return parse_solana_pubkey(text).value();
}

// A 97-byte account written byte by byte from the SPEC 3.2 table, not with serialize_user_stake.
class UserStakeAccount : public ::testing::Test {
 protected:
  void SetUp() override {
    found_ = derive_user_stake_address(owner_, pool_, program_).value();
    const AnchorDiscriminator disc = anchor_account_discriminator("UserStake");
    std::memcpy(data_.data(), disc.data(), 8);
    std::memcpy(data_.data() + 8, owner_.data(), 32);
    std::memcpy(data_.data() + 40, pool_.data(), 32);
    // 1 500 000 KAMIYO at 9 decimals (platinum tier) = 1.5e15 = 0x0005543df729c000.
    const std::uint8_t amount[8] = {0x00, 0xc0, 0x29, 0xf7, 0x3d, 0x54, 0x05, 0x00};
    std::memcpy(data_.data() + 72, amount, 8);
    const std::uint8_t staked_at[8] = {0x00, 0x5e, 0xd0, 0xb2, 0x00,
                                       0x00, 0x00, 0x00};  // 3 000 000 000 (past 2^31: no i32 truncation)
    std::memcpy(data_.data() + 80, staked_at, 8);
    const std::uint8_t last_update[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};  // -1 as i64
    std::memcpy(data_.data() + 88, last_update, 8);
    data_[96] = found_.bump;
  }

  const SolanaPubkey owner_ = key("SeedPubey1111111111111111111111111111111111");
  const SolanaPubkey pool_ = key("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
  const SolanaPubkey program_ = key("BPFLoaderUpgradeab1e11111111111111111111111");
  ProgramAddress found_;
  std::array<std::uint8_t, kUserStakeSize> data_{};
};

TEST_F(UserStakeAccount, ParsesEveryField) {
  auto stake = parse_user_stake(data_);
  ASSERT_TRUE(stake) << stake.error().message;
  EXPECT_EQ(stake->owner, owner_);
  EXPECT_EQ(stake->pool, pool_);
  EXPECT_EQ(stake->staked_amount, 1'500'000'000'000'000ULL);
  EXPECT_EQ(stake->staked_at, 3'000'000'000);
  EXPECT_EQ(stake->last_update, -1);
  EXPECT_EQ(stake->bump, found_.bump);
  EXPECT_EQ(serialize_user_stake(*stake), data_);
}

TEST_F(UserStakeAccount, RejectsSizeOnePastEachSideOfNinetySeven) {
  auto short_by_one = parse_user_stake(ByteSpan(data_).first(96));
  ASSERT_FALSE(short_by_one);
  EXPECT_EQ(short_by_one.error().code, ErrorCode::kOutOfRange);
  EXPECT_EQ(short_by_one.error().message, "user_stake: account is 96 bytes, expected 97");
  EXPECT_STREQ(user_stake_rejection_reason(short_by_one.error().code), "wrong_size");

  Bytes longer(data_.begin(), data_.end());
  longer.push_back(0);
  auto long_by_one = parse_user_stake(longer);
  ASSERT_FALSE(long_by_one);
  EXPECT_EQ(long_by_one.error().message, "user_stake: account is 98 bytes, expected 97");
  EXPECT_FALSE(parse_user_stake(ByteSpan()));
}

TEST_F(UserStakeAccount, RejectsWrongDiscriminator) {
  data_[7] ^= 0x01;
  auto stake = parse_user_stake(data_);
  ASSERT_FALSE(stake);
  EXPECT_EQ(stake.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(stake.error().message,
            "user_stake: discriminator 6635a36b098a5798 is not UserStake's 6635a36b098a5799");
  EXPECT_STREQ(user_stake_rejection_reason(stake.error().code), "wrong_discriminator");
}

TEST_F(UserStakeAccount, ValidatesAgainstItsPda) {
  const UserStake stake = parse_user_stake(data_).value();
  EXPECT_TRUE(validate_user_stake(found_.address, stake, pool_, program_));
}

TEST_F(UserStakeAccount, RejectsOtherPool) {
  const UserStake stake = parse_user_stake(data_).value();
  const SolanaPubkey other_pool = key("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
  auto status = validate_user_stake(found_.address, stake, other_pool, program_);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(status.error().message.find("is not the configured pool"), std::string::npos);
  EXPECT_STREQ(user_stake_rejection_reason(status.error().code), "wrong_pool");
}

TEST_F(UserStakeAccount, RejectsWrongAddressOrBump) {
  const UserStake stake = parse_user_stake(data_).value();
  // Right account data at some other address.
  auto elsewhere = validate_user_stake(program_, stake, pool_, program_);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kVerificationFailed);
  EXPECT_STREQ(user_stake_rejection_reason(elsewhere.error().code), "not_pda");

  // Any other bump: either no PDA at all or a different address.
  for (int bump = 0; bump <= 255; ++bump) {
    if (bump == found_.bump) continue;
    UserStake changed = stake;
    changed.bump = static_cast<std::uint8_t>(bump);
    auto status = validate_user_stake(found_.address, changed, pool_, program_);
    ASSERT_FALSE(status) << bump;
    ASSERT_EQ(status.error().code, ErrorCode::kVerificationFailed) << bump;
  }

  // Another owner's data at this address.
  UserStake other_owner = stake;
  other_owner.owner = program_;
  EXPECT_FALSE(validate_user_stake(found_.address, other_owner, pool_, program_));
  // Same seeds under another program id.
  EXPECT_FALSE(validate_user_stake(found_.address, stake, pool_, pool_));
}

TEST(UserStake, SerializeParseRoundTripAtExtremes) {
  UserStake stake;
  stake.owner.bytes.fill(0xab);
  stake.pool.bytes.fill(0xcd);
  stake.staked_amount = UINT64_MAX;
  stake.staked_at = INT64_MIN;
  stake.last_update = INT64_MAX;
  stake.bump = 255;
  const auto bytes = serialize_user_stake(stake);
  EXPECT_EQ(parse_user_stake(bytes).value(), stake);
  EXPECT_EQ(bytes[72], 0xff);
  EXPECT_EQ(bytes[87], 0x80);  // INT64_MIN's top byte, little-endian
  EXPECT_EQ(bytes[95], 0x7f);
  EXPECT_EQ(bytes[96], 255);
}

TEST(UserStake, OtherCodesHaveNoReason) {
  EXPECT_STREQ(user_stake_rejection_reason(ErrorCode::kInternal), "other");
}

}  // namespace
}  // namespace csd
