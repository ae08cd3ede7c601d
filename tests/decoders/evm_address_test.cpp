#include "decoders/evm_address.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <gtest/gtest.h>

namespace csd {
namespace {

// EIP-55 "Test Cases": all caps, all lower, normal. Each is its own checksummed form.
constexpr std::string_view kEip55Vectors[] = {
    "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string upper_digits(std::string_view text) {
  std::string out(text);
  std::transform(out.begin() + 2, out.end(), out.begin() + 2,
                 [](char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

TEST(EvmAddress, Eip55VectorsParseAndReencode) {
  for (const std::string_view text : kEip55Vectors) {
    auto parsed = parse_evm_address(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().message;
    EXPECT_EQ(to_checksum_hex(*parsed), text);
    EXPECT_EQ(to_lower_hex(*parsed), lower(text));
  }
}

TEST(EvmAddress, SingleCaseTextCarriesNoChecksumAndIsAccepted) {
  for (const std::string_view text : kEip55Vectors) {
    auto from_lower = parse_evm_address(lower(text));
    auto from_upper = parse_evm_address(upper_digits(text));
    ASSERT_TRUE(from_lower) << text;
    ASSERT_TRUE(from_upper) << text;
    EXPECT_EQ(*from_lower, *from_upper);
    EXPECT_EQ(to_checksum_hex(*from_lower), text);
  }
}

TEST(EvmAddress, MixedCaseWithOneLetterFlippedFailsTheChecksum) {
  // 0x5aAeb…: flip the 'a' at position 2 to 'A' (the rest stays mixed case).
  auto flipped = parse_evm_address("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  ASSERT_FALSE(flipped);
  EXPECT_EQ(flipped.error().code, ErrorCode::kVerificationFailed);
  EXPECT_NE(flipped.error().message.find("EIP-55 checksum at position 3"), std::string::npos)
      << flipped.error().message;
  // Flipping any single letter of any mixed-case vector must fail.
  for (const std::string_view text : kEip55Vectors) {
    for (std::size_t i = 2; i < text.size(); ++i) {
      if (!std::isalpha(static_cast<unsigned char>(text[i]))) continue;
      std::string changed(text);
      changed[i] = std::islower(static_cast<unsigned char>(changed[i]))
                       ? static_cast<char>(std::toupper(changed[i]))
                       : static_cast<char>(std::tolower(changed[i]));
      const bool single_case = lower(changed) == changed || upper_digits(changed) == changed;
      EXPECT_EQ(parse_evm_address(changed).has_value(), single_case) << changed;
    }
  }
}

TEST(EvmAddress, RejectsMalformedText) {
  auto no_prefix = parse_evm_address("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  ASSERT_FALSE(no_prefix);
  EXPECT_EQ(no_prefix.error().message, "evm address: missing 0x prefix");

  // 39 and 41 digits: one short of the bound and one past it.
  auto short_by_one = parse_evm_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae");
  ASSERT_FALSE(short_by_one);
  EXPECT_EQ(short_by_one.error().message, "evm address: expected 40 hex digits after 0x, got 39");
  auto long_by_one = parse_evm_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0");
  ASSERT_FALSE(long_by_one);
  EXPECT_EQ(long_by_one.error().message, "evm address: expected 40 hex digits after 0x, got 41");

  auto bad_digit = parse_evm_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg");
  ASSERT_FALSE(bad_digit);
  EXPECT_EQ(bad_digit.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_digit.error().message, "evm address: hex: invalid digit 'g' at position 41");

  EXPECT_FALSE(parse_evm_address(""));
  EXPECT_FALSE(parse_evm_address("0x"));
}

TEST(EvmAddress, ZeroAddress) {
  auto zero = parse_evm_address("0x0000000000000000000000000000000000000000");
  ASSERT_TRUE(zero);
  EXPECT_EQ(*zero, EvmAddress{});
  EXPECT_EQ(to_checksum_hex(*zero), "0x0000000000000000000000000000000000000000");
}

}  // namespace
}  // namespace csd
