#include "decoders/hex.hpp"

#include <random>

#include <gtest/gtest.h>

namespace csd {
namespace {

TEST(Hex, EncodesLowercaseWithAndWithoutPrefix) {
  const Bytes bytes = {0x00, 0xab, 0xCD, 0xff};
  EXPECT_EQ(to_hex(bytes), "0x00abcdff");
  EXPECT_EQ(to_hex(bytes, false), "00abcdff");
  EXPECT_EQ(to_hex(Bytes{}), "0x");
}

TEST(Hex, DecodesEitherCaseWithOptionalPrefix) {
  for (const char* text : {"0x00abcdff", "0X00ABCDFF", "00AbCdFf"}) {
    auto decoded = from_hex(text);
    ASSERT_TRUE(decoded) << text;
    EXPECT_EQ(*decoded, (Bytes{0x00, 0xab, 0xcd, 0xff}));
  }
  auto empty = from_hex("0x");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Hex, RejectsOddLength) {
  auto decoded = from_hex("0xabc");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(decoded.error().message.find("odd"), std::string::npos);
}

TEST(Hex, RejectsBadDigitNamingPosition) {
  auto decoded = from_hex("0x0g");
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("'g' at position 3"), std::string::npos) << decoded.error().message;
  EXPECT_FALSE(from_hex("0x 1"));
  EXPECT_FALSE(from_hex("x012"));
  EXPECT_FALSE(from_hex("0x0x00"));
}

TEST(Hex, ExactLengthIsEnforced) {
  std::array<std::uint8_t, 4> out{};
  EXPECT_TRUE(from_hex_exact("0x01020304", out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 4>{1, 2, 3, 4}));
  EXPECT_FALSE(from_hex_exact("0x010203", out));      // one byte short
  EXPECT_FALSE(from_hex_exact("0x0102030405", out));  // one byte long
  auto hash = fixed_from_hex<Hash32>(std::string(64, 'f'));
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->bytes[31], 0xff);
  EXPECT_FALSE(fixed_from_hex<Hash32>(std::string(62, 'f')));
}

TEST(Hex, RoundTripsRandomBytes) {
  std::mt19937_64 rng(0x5eed);
  for (int i = 0; i < 2000; ++i) {
    Bytes bytes(rng() % 80);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    auto back = from_hex(to_hex(bytes, (i % 2) == 0));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, bytes);
  }
}

}  // namespace
}  // namespace csd
