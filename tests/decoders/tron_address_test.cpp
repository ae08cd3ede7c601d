#include "decoders/tron_address.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "decoders/base58.hpp"
#include "decoders/hex.hpp"

namespace csd {
namespace {

// USDT-TRC20 contract (tronscan.org, token TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t);
// its hex form 41a614f8… checked by hand against the double-SHA-256 checksum
// (payload ‖ 710277f5).
constexpr std::string_view kUsdtBase58 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
constexpr std::string_view kUsdtHex41 = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";
constexpr std::string_view kUsdtEvm20 = "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c";
// The zero address 0x41 + 20 zero bytes (TRON developer docs, "Account" / black-hole address).
constexpr std::string_view kZeroBase58 = "T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb";
constexpr std::string_view kZeroHex41 = "410000000000000000000000000000000000000000";

TEST(TronAddress, UsdtContractAllForms) {
  auto from_base58 = parse_tron_address(kUsdtBase58);
  ASSERT_TRUE(from_base58) << from_base58.error().message;
  EXPECT_EQ(to_hex41(*from_base58), kUsdtHex41);
  EXPECT_EQ(to_base58(*from_base58), kUsdtBase58);
  EXPECT_EQ(to_hex(to_evm20(*from_base58).span()), kUsdtEvm20);

  for (const std::string& text :
       {std::string(kUsdtHex41), "0x" + std::string(kUsdtHex41), std::string(kUsdtEvm20),
        std::string("0X41A614F803B6FD780986A42C78EC9C7F77E6DED13C")}) {
    auto parsed = parse_tron_address(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, *from_base58) << text;
  }
}

// 40 digits without 0x are refused: a 41... address missing two digits must not
// read as some other account.
TEST(TronAddress, RejectsBareFortyDigitsWithoutPrefix) {
  auto bare = parse_tron_address(kUsdtEvm20.substr(2));
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(parse_tron_address("41a614f803b6fd780986a42c78ec9c7f77e6ded1"));
}

TEST(TronAddress, ZeroAddress) {
  auto zero = parse_tron_address(kZeroBase58);
  ASSERT_TRUE(zero) << zero.error().message;
  EXPECT_EQ(to_hex41(*zero), kZeroHex41);
  EXPECT_EQ(to_evm20(*zero), EvmAddress{});
  EXPECT_EQ(to_base58(tron_address_from_evm20(EvmAddress{})), kZeroBase58);
}

TEST(TronAddress, RejectsWrongChecksum) {
  // Last character changed: still valid base58, wrong checksum.
  auto parsed = parse_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kVerificationFailed);
  EXPECT_EQ(parsed.error().message, "tron address: base58check: checksum mismatch");
}

TEST(TronAddress, RejectsWrongPrefixByte) {
  Bytes payload = from_hex(kUsdtHex41).value();
  payload[0] = 0xa0;  // any prefix byte but 0x41
  auto base58 = parse_tron_address(base58check_encode(payload));
  ASSERT_FALSE(base58);
  EXPECT_EQ(base58.error().message, "tron address: prefix byte 0xa0, expected 0x41");
  auto hex = parse_tron_address("42a614f803b6fd780986a42c78ec9c7f77e6ded13c");
  ASSERT_FALSE(hex);
  EXPECT_EQ(hex.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(hex.error().message, "tron address: prefix byte 0x42, expected 0x41");
}

TEST(TronAddress, RejectsWrongLengths) {
  // A 20- and a 22-byte base58check payload: one short of 21 and one past it.
  Bytes payload = from_hex(kUsdtHex41).value();
  Bytes short_payload(payload.begin(), payload.end() - 1);
  auto too_short = parse_tron_address(base58check_encode(short_payload));
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(too_short.error().message, "tron address: base58check payload is 20 bytes, expected 21");
  payload.push_back(0);
  auto too_long = parse_tron_address(base58check_encode(payload));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().message, "tron address: base58check payload is 22 bytes, expected 21");

  // Hex: 41 and 43 digits behind 0x.
  auto odd = parse_tron_address("0x41a614f803b6fd780986a42c78ec9c7f77e6ded13");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().message,
            "tron address: hex form needs 42 digits (41...) or 40 digits (0x...), got 41");
  EXPECT_FALSE(parse_tron_address("0x41a614f803b6fd780986a42c78ec9c7f77e6ded13c0"));
  EXPECT_FALSE(parse_tron_address("0x41a614f803b6fd780986a42c78ec9c7f77e6ded13c00"));

  auto empty = parse_tron_address("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "tron address: empty text");

  // 128 characters reach the decoder (and fail there); 129 are refused up front.
  auto at_cap = parse_tron_address(std::string(128, 'z'));
  ASSERT_FALSE(at_cap);
  EXPECT_EQ(at_cap.error().code, ErrorCode::kVerificationFailed);
  auto past_cap = parse_tron_address(std::string(129, 'z'));
  ASSERT_FALSE(past_cap);
  EXPECT_EQ(past_cap.error().message, "tron address: 129 characters is too long for any form");
}

TEST(TronAddress, RejectsBadCharacters) {
  auto base58 = parse_tron_address("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj60");
  ASSERT_FALSE(base58);
  EXPECT_EQ(base58.error().message,
            "tron address: base58check: base58: invalid character '0' at position 33");
  auto hex = parse_tron_address("0x41a614f803b6fd780986a42c78ec9c7f77e6ded1zz");
  ASSERT_FALSE(hex);
  EXPECT_EQ(hex.error().message, "tron address: hex: invalid digit 'z' at position 42");
}

TEST(TronAddress, RoundTripRandomAccounts) {
  std::mt19937_64 rng(0x7207);
  for (int i = 0; i < 3000; ++i) {
    EvmAddress account;
    for (auto& b : account.bytes) b = static_cast<std::uint8_t>(rng());
    if (i == 0) account = EvmAddress{};
    const TronAddress address = tron_address_from_evm20(account);
    const std::string text = to_base58(address);
    ASSERT_EQ(text.size(), 34U) << text;
    ASSERT_EQ(text[0], 'T') << text;
    auto parsed = parse_tron_address(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
    ASSERT_EQ(*parsed, address);
    ASSERT_EQ(to_evm20(*parsed), account);
    ASSERT_EQ(parse_tron_address(to_hex41(address)).value(), address);
    ASSERT_EQ(parse_tron_address(to_hex(account.span())).value(), address);
  }
}

}  // namespace
}  // namespace csd
