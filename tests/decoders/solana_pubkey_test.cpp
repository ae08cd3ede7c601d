#include "decoders/solana_pubkey.hpp"

#include <string>

#include <gtest/gtest.h>

#include "decoders/base58.hpp"

namespace csd {
namespace {

TEST(SolanaPubkey, SystemProgramIsAllZeros) {
  // The System Program id "11111111111111111111111111111111" (Solana docs) is 32 zero bytes.
  auto key = parse_solana_pubkey("11111111111111111111111111111111");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(*key, SolanaPubkey{});
  EXPECT_EQ(to_base58(SolanaPubkey{}), "11111111111111111111111111111111");
}

TEST(SolanaPubkey, KnownProgramIdsRoundTrip) {
  // Program ids from the Solana SDK (sdk-ids) and SPL.
  for (const std::string_view text :
       {"BPFLoaderUpgradeab1e11111111111111111111111", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL", "SeedPubey1111111111111111111111111111111111"}) {
    auto key = parse_solana_pubkey(text);
    ASSERT_TRUE(key) << text << ": " << key.error().message;
    EXPECT_EQ(to_base58(*key), text);
  }
}

TEST(SolanaPubkey, LengthBoundsLikeTheSdk) {
  // sdk/program/src/pubkey.rs test_pubkey_fromstr: the longest valid encoding is
  // that of 32 bytes of 0xff (44 characters); one more character is refused.
  SolanaPubkey all_ff;
  all_ff.bytes.fill(0xff);
  const std::string longest = to_base58(all_ff);
  ASSERT_EQ(longest.size(), kSolanaPubkeyMaxText);
  EXPECT_EQ(parse_solana_pubkey(longest).value(), all_ff);
  auto too_long = parse_solana_pubkey(longest + "1");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(too_long.error().message, "solana pubkey: 45 characters, at most 44 allowed");
  EXPECT_FALSE(parse_solana_pubkey(""));
}

TEST(SolanaPubkey, RejectsDecodedLengthOtherThan32) {
  // 31 and 33 bytes: one short of the bound and one past it.
  auto short_key = parse_solana_pubkey(base58_encode(Bytes(31, 7)));
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(short_key.error().message, "solana pubkey: decodes to 31 bytes, expected 32");
  Bytes thirty_three(33, 0);
  thirty_three.back() = 1;  // "1"×32 + "2": short text, 33 bytes
  auto long_key = parse_solana_pubkey(base58_encode(thirty_three));
  ASSERT_FALSE(long_key);
  EXPECT_EQ(long_key.error().message, "solana pubkey: decodes to 33 bytes, expected 32");
  EXPECT_FALSE(parse_solana_pubkey(std::string(33, '1')));  // 33 zero bytes
}

TEST(SolanaPubkey, RejectsNonBase58LikeTheSdk) {
  // sdk/program/src/pubkey.rs test_pubkey_fromstr replaces the first character with 'I'.
  std::string text = "BPFLoaderUpgradeab1e11111111111111111111111";
  text[0] = 'I';
  auto key = parse_solana_pubkey(text);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().message, "solana pubkey: base58: invalid character 'I' at position 0");
}

}  // namespace
}  // namespace csd
