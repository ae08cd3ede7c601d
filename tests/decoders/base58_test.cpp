#include "decoders/base58.hpp"

#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "decoders/hex.hpp"

namespace csd {
namespace {

Bytes unhex(std::string_view text) {
  return from_hex(text).value();
}

// bitcoin/bitcoin src/test/data/base58_encode_decode.json (hex, base58).
const std::vector<std::pair<std::string, std::string>> kBitcoinVectors = {
    {"", ""},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"516b6fcd0f", "ABnLTmg"},
    {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
    {"572e4794", "3EFU7m"},
    {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
    {"10c8511e", "Rt5zm"},
    {"00000000000000000000", "1111111111"},
};

TEST(Base58, BitcoinEncodeVectors) {
  for (const auto& [hex, text] : kBitcoinVectors) {
    EXPECT_EQ(base58_encode(unhex(hex)), text) << hex;
  }
}

TEST(Base58, BitcoinDecodeVectors) {
  for (const auto& [hex, text] : kBitcoinVectors) {
    auto decoded = base58_decode(text);
    ASSERT_TRUE(decoded) << text << ": " << decoded.error().message;
    EXPECT_EQ(to_hex(*decoded, false), hex) << text;
  }
}

TEST(Base58, LeadingZerosAreLeadingOnes) {
  EXPECT_EQ(base58_encode(Bytes{0}), "1");
  EXPECT_EQ(base58_encode(Bytes{0, 0, 1}), "112");
  EXPECT_EQ(base58_decode("1").value(), (Bytes{0}));
  EXPECT_EQ(base58_decode("112").value(), (Bytes{0, 0, 1}));
  EXPECT_EQ(base58_decode("").value(), Bytes{});
}

TEST(Base58, RejectsCharactersOutsideTheAlphabetNamingThePosition) {
  // 0, O, I and l are left out of the Bitcoin alphabet on purpose.
  for (const char bad : {'0', 'O', 'I', 'l', '+', '/', ' '}) {
    std::string text = "2cFup";
    text += bad;
    auto decoded = base58_decode(text);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(decoded.error().message, std::string("base58: invalid character '") + bad + "' at position 5");
  }
  auto non_ascii = base58_decode("1\xe2\x98\x89");
  ASSERT_FALSE(non_ascii);
  EXPECT_EQ(non_ascii.error().message, "base58: invalid character '\\xe2' at position 1");
  auto nul = base58_decode(std::string_view("2\0", 2));
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().message, "base58: invalid character '\\x00' at position 1");
}

TEST(Base58, TextLengthCapAtBoundAndOnePast) {
  const std::string at_cap(kBase58DefaultMaxText, 'z');
  EXPECT_TRUE(base58_decode(at_cap));
  const std::string past_cap(kBase58DefaultMaxText + 1, 'z');
  auto rejected = base58_decode(past_cap);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kOutOfRange);
  EXPECT_EQ(rejected.error().message, "base58: text of 257 characters exceeds the limit of 256");
  // A caller may lower or raise the cap.
  EXPECT_FALSE(base58_decode("2g2g", 3));
  EXPECT_TRUE(base58_decode("2g2", 3));
  EXPECT_TRUE(base58_decode(past_cap, 1024));
}

TEST(Base58, RoundTripRandomBytesWithLeadingZeros) {
  std::mt19937_64 rng(0x5eed58);
  for (int i = 0; i < 5000; ++i) {
    const std::size_t zeros = rng() % 5;
    const std::size_t rest = rng() % 70;
    Bytes bytes(zeros, 0);
    for (std::size_t j = 0; j < rest; ++j) bytes.push_back(static_cast<std::uint8_t>(rng()));
    const std::string text = base58_encode(bytes);
    auto decoded = base58_decode(text);
    ASSERT_TRUE(decoded) << text;
    ASSERT_EQ(*decoded, bytes) << text;
    // Exactly one leading '1' per leading zero byte.
    std::size_t leading_zero_bytes = 0;
    while (leading_zero_bytes < bytes.size() && bytes[leading_zero_bytes] == 0) ++leading_zero_bytes;
    ASSERT_EQ(text.find_first_not_of('1') == std::string::npos ? text.size() : text.find_first_not_of('1'),
              leading_zero_bytes);
  }
}

TEST(Base58, RoundTripRandomTextIsCanonical) {
  constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::mt19937_64 rng(58);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const std::size_t length = rng() % 60;
    for (std::size_t j = 0; j < length; ++j) text += kAlphabet[rng() % kAlphabet.size()];
    auto decoded = base58_decode(text);
    ASSERT_TRUE(decoded) << text;
    ASSERT_EQ(base58_encode(*decoded), text);
  }
}

// Bitcoin's genesis-block coinbase address (bitcoin.it wiki, "Genesis block"):
// version 0x00 + HASH160 62e907b1…8f18.
TEST(Base58Check, DecodesBitcoinGenesisAddress) {
  auto payload = base58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
  ASSERT_TRUE(payload) << payload.error().message;
  EXPECT_EQ(to_hex(*payload, false), "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18");
  EXPECT_EQ(base58check_encode(*payload), "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
}

TEST(Base58Check, RejectsChecksumMismatch) {
  auto flipped = base58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb");
  ASSERT_FALSE(flipped);
  EXPECT_EQ(flipped.error().code, ErrorCode::kVerificationFailed);
  EXPECT_EQ(flipped.error().message, "base58check: checksum mismatch");
}

TEST(Base58Check, RejectsFewerThanFourBytesAndBadText) {
  // "1112" decodes to 4 bytes (0,0,0,1): an empty payload whose checksum is wrong.
  EXPECT_EQ(base58check_decode("1112").error().code, ErrorCode::kVerificationFailed);
  auto three = base58check_decode("111");
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().code, ErrorCode::kMalformed);
  auto bad = base58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "base58check: base58: invalid character '0' at position 33");
}

TEST(Base58Check, EmptyPayloadRoundTrips) {
  const std::string text = base58check_encode(ByteSpan());
  auto payload = base58check_decode(text);
  ASSERT_TRUE(payload);
  EXPECT_TRUE(payload->empty());
}

}  // namespace
}  // namespace csd
