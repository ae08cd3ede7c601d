// Rejection tests for the ABI event decoder: each bound and one byte (or one
// unit) past it, dirty words in data and topics, and the aliasing work bound.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decoders/abi.hpp"
#include "tests/decoders/abi_test_support.hpp"

namespace csd {
namespace {

using namespace abi_test;  // shared test helpers

// ---------------------------------------------------------------------------
// Rejections, each one byte (or one unit) past a bound.

TEST(Abi, RejectsWrongTopicCount) {
  const EventSignature s = sig(kTierStaked);
  const Bytes data = tier_staked_data();
  std::vector<Hash32> topics = spec_topics(s);
  topics.push_back(h32(kStakeId));
  EXPECT_NE(decode_error(s, topics, data).find("expected 3 topics (topic0 + 2 indexed), got 4"),
            std::string::npos);
  topics.resize(2);
  EXPECT_NE(decode_error(s, topics, data).find("got 2"), std::string::npos);
  EXPECT_NE(decode_error(s, {}, data).find("got 0"), std::string::npos);
}

// ERC-721 Transfer has the same topic0 as ERC-20 Transfer with a third indexed
// topic (EIP-721); decoding it as ERC-20 must fail, not misread.
TEST(Abi, RejectsErc721TransferAsErc20) {
  const EventSignature s = sig("Transfer(address indexed from, address indexed to, uint256 value)");
  const Hash32 addr = h32(kUserTopic);
  EXPECT_FALSE(
      decode_log(s, std::vector<Hash32>{s.topic0(), addr, addr, h32(word_u64(5))}, Bytes{}).has_value());
}

TEST(Abi, RejectsWrongTopic0) {
  const EventSignature s = sig(kTierStaked);
  std::vector<Hash32> topics = spec_topics(s);
  topics[0].bytes[31] ^= 1;
  const std::string error = decode_error(s, topics, tier_staked_data());
  EXPECT_NE(error.find("is not keccak256(\"TierStaked(bytes32,address,uint8,uint256,uint64)\")"),
            std::string::npos)
      << error;
}

TEST(Abi, RejectsShortData) {
  const EventSignature s = sig(kTierStaked);
  Bytes data = tier_staked_data();
  data.pop_back();
  EXPECT_NE(decode_error(s, spec_topics(s), data).find("data is 95 bytes"), std::string::npos);
  // A string tail one byte short: its padding runs past the end.
  const EventSignature locked = sig(kTstLocked);
  Bytes tail = tst_locked_data();
  tail.pop_back();
  EXPECT_NE(decode_error(locked, spec_topics(locked), tail).find("padding past 159-byte data"),
            std::string::npos);
}

// TSTLocked with the string offset word replaced and a zero (empty string) last word.
Bytes locked_with_offset(std::string_view offset_word) {
  return words({word_u64(1), word_u64(2), offset_word, word_u64(0)});
}

TEST(Abi, OffsetBounds) {
  const EventSignature s = sig(kTstLocked);
  const auto topics = spec_topics(s);
  // Bound: the last word of the 128-byte data is an empty string.
  EXPECT_EQ(decode_ok(s, topics, locked_with_offset(word_u64(0x60)))
                .get("agreementId")
                .value()
                ->as_string()
                .value(),
            "");
  // One past: the string's length word would straddle the end.
  EXPECT_NE(
      decode_error(s, topics, locked_with_offset(word_u64(0x61))).find("offset 0x61 past 128-byte data"),
      std::string::npos);
  // offset == data length.
  EXPECT_EQ(decode_error(s, topics, locked_with_offset(word_u64(0x80))),
            "abi: TSTLocked.agreementId: offset 0x80 past 128-byte data");
  // Offsets that would overflow size_t arithmetic.
  EXPECT_NE(decode_error(s, topics, locked_with_offset(kMax256)).find("offset 0x" + kMax256),
            std::string::npos);
  for (const char* huge : {"000000000000000000000000000000000000000000000000ffffffffffffffff",
                           "0000000000000000000000000000000000000000000000010000000000000000",
                           "000000000000000000000000000000000000000000000000ffffffffffffffe0"}) {
    EXPECT_FALSE(decode_log(s, topics, locked_with_offset(huge)).has_value()) << huge;
  }
}

// TSTLocked whose string has the given length word and one content word.
Bytes locked_with_length(std::string_view length_word, std::string_view content_word) {
  return words({word_u64(1), word_u64(2), word_u64(0x60), length_word, content_word});
}

TEST(Abi, StringLengthBounds) {
  const EventSignature s = sig(kTstLocked);
  const auto topics = spec_topics(s);
  const std::string full(64, '4');  // 32 bytes of 'D'
  EXPECT_EQ(decode_ok(s, topics, locked_with_length(word_u64(32), full))
                .get("agreementId")
                .value()
                ->as_string()
                .value()
                .size(),
            32u);
  EXPECT_NE(decode_error(s, topics, locked_with_length(word_u64(33), full))
                .find("string length 0x21 at byte 96 past 160-byte data"),
            std::string::npos);
  EXPECT_FALSE(decode_log(s, topics, locked_with_length(kMax256, full)).has_value());
  EXPECT_FALSE(
      decode_log(s, topics,
                 locked_with_length("000000000000000000000000000000000000000000000000ffffffffffffffff", full))
          .has_value());
}

TEST(Abi, RejectsNonZeroStringPadding) {
  const EventSignature s = sig(kTstLocked);
  const auto topics = spec_topics(s);
  // 12 content bytes; byte 12 (first padding byte) and byte 31 (last) dirty.
  EXPECT_NE(
      decode_error(s, topics,
                   locked_with_length(word_u64(12),
                                      "4147522d323032362d3030310100000000000000000000000000000000000000"))
          .find("string of 12 bytes at byte 96 has non-zero padding"),
      std::string::npos);
  EXPECT_FALSE(
      decode_log(s, topics,
                 locked_with_length(word_u64(12),
                                    "4147522d323032362d3030310000000000000000000000000000000000000001"))
          .has_value());
  EXPECT_TRUE(
      decode_log(s, topics,
                 locked_with_length(word_u64(12),
                                    "4147522d323032362d3030310000000000000000000000000000000000000000"))
          .has_value());
}

TEST(Abi, ArrayLengthBounds) {
  const EventSignature s = sig("A(uint256[] xs)");
  const auto data = [](std::string_view length) {
    return words({word_u64(0x20), length, word_u64(1), word_u64(2)});
  };
  EXPECT_EQ(decode_data(s, data(word_u64(2))).params[0].value.as_array().value().size(), 2u);
  EXPECT_NE(decode_error(s, {s.topic0()}, data(word_u64(3)))
                .find("array length 0x3 at byte 32 needs more than the 64 bytes left"),
            std::string::npos);
  // Lengths whose byte size overflows 64-bit arithmetic (2^64-1, 2^59, 2^256-1).
  for (const std::string& length :
       {std::string("000000000000000000000000000000000000000000000000ffffffffffffffff"),
        std::string("0000000000000000000000000000000000000000000000000800000000000000"), kMax256}) {
    EXPECT_FALSE(decode_log(s, std::vector<Hash32>{s.topic0()}, data(length)).has_value()) << length;
  }
  // A dynamic array of a static array: each element takes 64 bytes of head.
  const EventSignature pairs = sig("P(uint8[2][] xs)");
  EXPECT_EQ(decode_data(pairs, data(word_u64(1))).params[0].value.as_array().value().size(), 1u);
  EXPECT_FALSE(decode_log(pairs, std::vector<Hash32>{pairs.topic0()}, data(word_u64(2))).has_value());
}

// A nested offset is relative to its array's elements; pointing past the end fails with a path.
TEST(Abi, NestedOffsetBounds) {
  const EventSignature s = sig("g(uint[][] a)");
  const auto data = [](std::uint64_t inner_offset) {
    return words({word_u64(0x20), word_u64(1), word_u64(inner_offset), word_u64(0)});
  };
  EXPECT_TRUE(decode_data(s, data(0x20)).params[0].value.as_array().value()[0].as_array().value().empty());
  EXPECT_EQ(decode_error(s, {s.topic0()}, data(0x21)),
            "abi: g.a[0]: offset 0x21 from byte 64 past 128-byte data");
  EXPECT_FALSE(decode_log(s, std::vector<Hash32>{s.topic0()}, data(0x40)).has_value());
}

// ---------------------------------------------------------------------------
// Word strictness: the same rules for data words and indexed topics.

struct WordCase {
  const char* type;
  const char* word;
  bool valid;
  const char* note;
};

const WordCase kWordCases[] = {
    {"address", "000000000000000000000000ffffffffffffffffffffffffffffffffffffffff", true, "all 20 bytes set"},
    {"address", "000000000000000000000001ffffffffffffffffffffffffffffffffffffffff", false, "byte 11 dirty"},
    {"address", "8000000000000000000000000000000000000000000000000000000000000000", false, "byte 0 dirty"},
    {"bool", "0000000000000000000000000000000000000000000000000000000000000000", true, "false"},
    {"bool", "0000000000000000000000000000000000000000000000000000000000000001", true, "true"},
    {"bool", "0000000000000000000000000000000000000000000000000000000000000002", false, "2"},
    {"bool", "0000000000000000000000000000000000000000000000000000000000000101", false, "high byte"},
    {"uint8", "00000000000000000000000000000000000000000000000000000000000000ff", true, "255"},
    {"uint8", "0000000000000000000000000000000000000000000000000000000000000100", false, "256"},
    {"uint64", "000000000000000000000000000000000000000000000000ffffffffffffffff", true, "2^64-1"},
    {"uint64", "0000000000000000000000000000000000000000000000010000000000000000", false, "2^64"},
    {"uint248", "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true, "2^248-1"},
    {"uint248", "0100000000000000000000000000000000000000000000000000000000000000", false, "2^248"},
    {"uint256", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true, "2^256-1"},
    {"int8", "000000000000000000000000000000000000000000000000000000000000007f", true, "127"},
    {"int8", "0000000000000000000000000000000000000000000000000000000000000080", false,
     "128 not sign-extended"},
    {"int8", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80", true, "-128"},
    {"int8", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", false, "-129"},
    {"int8", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true, "-1"},
    {"int8", "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", false, "garbage high"},
    {"int256", "8000000000000000000000000000000000000000000000000000000000000000", true, "int256 min"},
    {"bytes4", "deadbeef00000000000000000000000000000000000000000000000000000000", true, "4 bytes"},
    {"bytes4", "deadbeef01000000000000000000000000000000000000000000000000000000", false, "byte 4 dirty"},
    {"bytes4", "deadbeef00000000000000000000000000000000000000000000000000000001", false, "byte 31 dirty"},
    {"bytes32", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true, "full"},
};

TEST(Abi, WordStrictnessInData) {
  for (const WordCase& c : kWordCases) {
    const EventSignature s = sig(std::string("W(") + c.type + " v)");
    auto log = decode_log(s, std::vector<Hash32>{s.topic0()}, words({c.word}));
    EXPECT_EQ(log.has_value(), c.valid) << c.type << " " << c.note;
    if (!log) {
      EXPECT_EQ(log.error().code, ErrorCode::kMalformed);
    }
  }
}

TEST(Abi, WordStrictnessInTopics) {
  for (const WordCase& c : kWordCases) {
    const EventSignature s = sig(std::string("W(") + c.type + " indexed v)");
    auto log = decode_log(s, std::vector<Hash32>{s.topic0(), h32(c.word)}, Bytes{});
    EXPECT_EQ(log.has_value(), c.valid) << c.type << " " << c.note;
  }
}

TEST(Abi, ErrorNamesUnnamedParameterAndPath) {
  const EventSignature s = sig("W(uint8,bool[2])");
  const std::string error = decode_error(s, {s.topic0()}, words({word_u64(1), word_u64(1), word_u64(2)}));
  EXPECT_EQ(error.rfind("abi: W.arg1[1]: bool word 0x", 0), 0u) << error;
}

// Offsets that alias one tail could make nested arrays decode n^depth values
// from a few hundred bytes; the work bound stops that.
TEST(Abi, RejectsAliasedOffsetBomb) {
  constexpr std::size_t kDepth = 8;
  constexpr std::uint64_t kFanout = 16;
  std::string type = "uint256";
  for (std::size_t i = 0; i < kDepth; ++i) type += "[]";
  const EventSignature s = sig("Bomb(" + type + " x)");
  // Level d sits at byte 32 + d * (32 + 32 * fanout): a length, then fanout
  // offsets all pointing at level d + 1.
  constexpr std::uint64_t kLevelSize = 32 + 32 * kFanout;
  Bytes data = words({word_u64(0x20)});
  for (std::size_t d = 0; d < kDepth; ++d) {
    const Bytes level_length = words({word_u64(kFanout)});
    data.insert(data.end(), level_length.begin(), level_length.end());
    for (std::uint64_t i = 0; i < kFanout; ++i) {
      // Relative to the start of this level's elements; the last level holds values.
      const Bytes entry = words({word_u64(d + 1 < kDepth ? 32 * kFanout : 0)});
      data.insert(data.end(), entry.begin(), entry.end());
    }
  }
  ASSERT_EQ(data.size(), 32 + kDepth * kLevelSize);
  const std::string error = decode_error(s, {s.topic0()}, data);
  EXPECT_NE(error.find("decoded size exceeds the bound"), std::string::npos) << error;
}

}  // namespace
}  // namespace csd
