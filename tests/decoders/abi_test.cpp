#include "decoders/abi.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decoders/hex.hpp"
#include "decoders/keccak.hpp"
#include "tests/decoders/abi_test_support.hpp"

namespace csd {
namespace {

using namespace abi_test;  // shared test helpers

// ---------------------------------------------------------------------------
// Solidity docs, "Contract ABI Specification" examples, decoded as event data.

// baz(uint32,bool) with 69, true.
TEST(Abi, SolidityDocsBaz) {
  const EventSignature s = sig("baz(uint32 x, bool y)");
  const DecodedLog log =
      decode_data(s, words({"0000000000000000000000000000000000000000000000000000000000000045",
                            "0000000000000000000000000000000000000000000000000000000000000001"}));
  ASSERT_EQ(log.params.size(), 2u);
  EXPECT_EQ(log.params[0].value.as_u256().value(), u(69));
  EXPECT_EQ(log.params[1].value.as_bool().value(), true);
  EXPECT_EQ(log.params[0].name, "x");
  EXPECT_EQ(log.params[0].type->canonical(), "uint32");
}

// bar(bytes3[2]) with ["abc", "def"]: a static array is encoded in place.
TEST(Abi, SolidityDocsBar) {
  const EventSignature s = sig("bar(bytes3[2])");
  const DecodedLog log =
      decode_data(s, words({"6162630000000000000000000000000000000000000000000000000000000000",
                            "6465660000000000000000000000000000000000000000000000000000000000"}));
  const auto items = log.params.at(0).value.as_array().value();
  ASSERT_EQ(items.size(), 2u);
  const auto abc = items[0].as_fixed_bytes().value();
  EXPECT_EQ(std::string(abc.begin(), abc.end()), "abc");
  const auto def = items[1].as_fixed_bytes().value();
  EXPECT_EQ(std::string(def.begin(), def.end()), "def");
}

// sam(bytes,bool,uint256[]) with "dave", true, [1, 2, 3].
TEST(Abi, SolidityDocsSam) {
  const EventSignature s = sig("sam(bytes,bool,uint[])");
  const DecodedLog log =
      decode_data(s, words({"0000000000000000000000000000000000000000000000000000000000000060",
                            "0000000000000000000000000000000000000000000000000000000000000001",
                            "00000000000000000000000000000000000000000000000000000000000000a0",
                            "0000000000000000000000000000000000000000000000000000000000000004",
                            "6461766500000000000000000000000000000000000000000000000000000000",
                            "0000000000000000000000000000000000000000000000000000000000000003",
                            "0000000000000000000000000000000000000000000000000000000000000001",
                            "0000000000000000000000000000000000000000000000000000000000000002",
                            "0000000000000000000000000000000000000000000000000000000000000003"}));
  const auto dave = log.params.at(0).value.as_bytes().value();
  EXPECT_EQ(std::string(dave.begin(), dave.end()), "dave");
  EXPECT_TRUE(log.params.at(1).value.as_bool().value());
  const auto items = log.params.at(2).value.as_array().value();
  ASSERT_EQ(items.size(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i) EXPECT_EQ(items[i].as_u256().value(), u(i + 1));
}

// f(uint256,uint32[],bytes10,bytes) with (0x123, [0x456, 0x789], "1234567890", "Hello, world!").
TEST(Abi, SolidityDocsDynamicTypes) {
  const EventSignature s = sig("f(uint a, uint32[] b, bytes10 c, bytes d)");
  const DecodedLog log =
      decode_data(s, words({"0000000000000000000000000000000000000000000000000000000000000123",
                            "0000000000000000000000000000000000000000000000000000000000000080",
                            "3132333435363738393000000000000000000000000000000000000000000000",
                            "00000000000000000000000000000000000000000000000000000000000000e0",
                            "0000000000000000000000000000000000000000000000000000000000000002",
                            "0000000000000000000000000000000000000000000000000000000000000456",
                            "0000000000000000000000000000000000000000000000000000000000000789",
                            "000000000000000000000000000000000000000000000000000000000000000d",
                            "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"}));
  EXPECT_EQ(log.get("a").value()->as_u256().value(), u(0x123));
  const auto b = log.get("b").value()->as_array().value();
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].as_u256().value(), u(0x456));
  EXPECT_EQ(b[1].as_u256().value(), u(0x789));
  const auto c = log.get("c").value()->as_fixed_bytes().value();
  EXPECT_EQ(std::string(c.begin(), c.end()), "1234567890");
  const auto d = log.get("d").value()->as_bytes().value();
  EXPECT_EQ(std::string(d.begin(), d.end()), "Hello, world!");
}

// g(uint256[][],string[]) with ([[1, 2], [3]], ["one", "two", "three"]): offsets
// inside each array are relative to the start of that array's elements.
TEST(Abi, SolidityDocsNestedDynamicArrays) {
  const EventSignature s = sig("g(uint[][] a, string[] b)");
  const DecodedLog log =
      decode_data(s, words({"0000000000000000000000000000000000000000000000000000000000000040",
                            "0000000000000000000000000000000000000000000000000000000000000140",
                            "0000000000000000000000000000000000000000000000000000000000000002",
                            "0000000000000000000000000000000000000000000000000000000000000040",
                            "00000000000000000000000000000000000000000000000000000000000000a0",
                            "0000000000000000000000000000000000000000000000000000000000000002",
                            "0000000000000000000000000000000000000000000000000000000000000001",
                            "0000000000000000000000000000000000000000000000000000000000000002",
                            "0000000000000000000000000000000000000000000000000000000000000001",
                            "0000000000000000000000000000000000000000000000000000000000000003",
                            "0000000000000000000000000000000000000000000000000000000000000003",
                            "0000000000000000000000000000000000000000000000000000000000000060",
                            "00000000000000000000000000000000000000000000000000000000000000a0",
                            "00000000000000000000000000000000000000000000000000000000000000e0",
                            "0000000000000000000000000000000000000000000000000000000000000003",
                            "6f6e650000000000000000000000000000000000000000000000000000000000",
                            "0000000000000000000000000000000000000000000000000000000000000003",
                            "74776f0000000000000000000000000000000000000000000000000000000000",
                            "0000000000000000000000000000000000000000000000000000000000000005",
                            "7468726565000000000000000000000000000000000000000000000000000000"}));
  const auto a = log.get("a").value()->as_array().value();
  ASSERT_EQ(a.size(), 2u);
  const auto a0 = a[0].as_array().value();
  ASSERT_EQ(a0.size(), 2u);
  EXPECT_EQ(a0[0].as_u256().value(), u(1));
  EXPECT_EQ(a0[1].as_u256().value(), u(2));
  const auto a1 = a[1].as_array().value();
  ASSERT_EQ(a1.size(), 1u);
  EXPECT_EQ(a1[0].as_u256().value(), u(3));
  const auto b = log.get("b").value()->as_array().value();
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].as_string().value(), "one");
  EXPECT_EQ(b[1].as_string().value(), "two");
  EXPECT_EQ(b[2].as_string().value(), "three");
}

// ---------------------------------------------------------------------------
// SPEC 3.1 events with hand-built logs (words laid out by the ABI spec rules).

TEST(Abi, DecodesTierStaked) {
  const EventSignature s = sig(kTierStaked);
  const DecodedLog log = decode_ok(s, spec_topics(s), tier_staked_data());
  ASSERT_EQ(log.params.size(), 5u);
  EXPECT_EQ(hex_of(log.params[0].value.as_bytes32().value()), kStakeId);
  EXPECT_TRUE(log.params[0].indexed);
  EXPECT_EQ(to_hex(log.get("user").value()->as_address().value().span()),
            "0xab5801a7d398351b8be11c439e05c5b3259aec9b");
  EXPECT_EQ(log.get("tier").value()->as_u64().value(), 3u);
  EXPECT_EQ(to_decimal(log.get("amount").value()->as_u256().value()), "100000000000000000000");  // 100 TST
  EXPECT_EQ(log.get("expiresAt").value()->as_u64().value(), 1780000000u);
  EXPECT_FALSE(log.params[2].indexed);
  EXPECT_EQ(log.find("nope"), nullptr);
  EXPECT_EQ(log.get("nope").error().code, ErrorCode::kNotFound);
}

TEST(Abi, DecodesTstLocked) {
  const EventSignature s = sig(kTstLocked);
  const DecodedLog log = decode_ok(s, spec_topics(s), tst_locked_data());
  EXPECT_EQ(to_decimal(log.get("amount").value()->as_u256().value()), "250000000000000000000");
  EXPECT_EQ(log.get("lockedUntil").value()->as_u64().value(), 1780000000u);
  EXPECT_EQ(log.get("agreementId").value()->as_string().value(), "AGR-2026-001");
  // Typed accessors refuse the wrong kind.
  EXPECT_FALSE(log.get("agreementId").value()->as_u256().has_value());
  EXPECT_NE(log.get("amount").value()->as_string().error().message.find("value is uint, not string"),
            std::string::npos);
  EXPECT_EQ(log.get("amount").value()->as_u64().error().code, ErrorCode::kOutOfRange);
}

// Bytes after the encoded values are ignored, as Solidity's abi.decode and ethers do.
TEST(Abi, AllowsTrailingData) {
  const EventSignature s = sig(kTierStaked);
  Bytes data = tier_staked_data();
  data.push_back(0xff);
  EXPECT_EQ(decode_ok(s, spec_topics(s), data).params.size(), 5u);
}

// ABI spec "Events": an indexed string/bytes/array is stored as a topic hash.
TEST(Abi, IndexedDynamicIsTopicHash) {
  const EventSignature s = sig("E(string indexed name, uint8[2] indexed pair, bytes indexed blob, uint8 x)");
  const Hash32 name_hash = keccak256(std::string_view("alice"));
  const Hash32 other = h32(kStakeId);
  const DecodedLog log = decode_ok(s, {s.topic0(), name_hash, other, other}, words({word_u64(7)}));
  EXPECT_EQ(log.params[0].value.kind(), AbiValueKind::kTopicHash);
  EXPECT_EQ(log.params[0].value.as_topic_hash().value(), name_hash);
  EXPECT_EQ(log.params[1].value.as_topic_hash().value(), other);
  EXPECT_EQ(log.params[2].value.as_topic_hash().value(), other);
  EXPECT_EQ(log.params[3].value.as_u64().value(), 7u);
}

// A fixed-size array of a dynamic type is a tuple of offsets (ABI spec: T[k] for dynamic T).
TEST(Abi, FixedArrayOfStrings) {
  const EventSignature s = sig("S(string[2] names, uint8 n)");
  const Bytes data =
      words({word_u64(0x40), word_u64(9), word_u64(0x40), word_u64(0x80), word_u64(2),
             "6869000000000000000000000000000000000000000000000000000000000000", word_u64(0), word_u64(0)});
  const DecodedLog log = decode_data(s, data);
  const auto names = log.params[0].value.as_array().value();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].as_string().value(), "hi");
  EXPECT_EQ(names[1].as_string().value(), "");
  EXPECT_EQ(log.params[1].value.as_u64().value(), 9u);
}

TEST(Abi, SignedValues) {
  const EventSignature s = sig("I(int8 a, int16 b, int256 c)");
  const DecodedLog log =
      decode_data(s, words({kMax256, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8000",
                            "8000000000000000000000000000000000000000000000000000000000000000"}));
  EXPECT_EQ(log.params[0].value.as_i256().value(), (I256{u(1), true}));
  EXPECT_EQ(log.params[1].value.as_i256().value(), (I256{u(32768), true}));
  EXPECT_EQ(log.params[2].value.as_i256().value(), (I256{U256(1) << 255, true}));
  EXPECT_EQ(log.params[2].value.as_i256().value().to_twos_complement(), U256(1) << 255);
}

// Every accessor answers its own kind and refuses the others with a reason.
TEST(Abi, AccessorsCheckTheKind) {
  AbiFixedBytes four;
  four.size = 4;
  const std::vector<AbiValue> values = {AbiValue{U256(1)},
                                        AbiValue{I256{U256(1), true}},
                                        AbiValue{EvmAddress{}},
                                        AbiValue{true},
                                        AbiValue{four},
                                        AbiValue{Bytes{1, 2}},
                                        AbiValue{std::string("x")},
                                        AbiValue{std::vector<AbiValue>{}},
                                        AbiValue{AbiTopicHash{}}};
  for (std::size_t i = 0; i < values.size(); ++i) {
    const AbiValue& v = values[i];
    EXPECT_EQ(static_cast<std::size_t>(v.kind()), i);
    EXPECT_EQ(v.as_u256().has_value(), v.kind() == AbiValueKind::kUint);
    EXPECT_EQ(v.as_u64().has_value(), v.kind() == AbiValueKind::kUint);
    EXPECT_EQ(v.as_i256().has_value(), v.kind() == AbiValueKind::kInt);
    EXPECT_EQ(v.as_address().has_value(), v.kind() == AbiValueKind::kAddress);
    EXPECT_EQ(v.as_bool().has_value(), v.kind() == AbiValueKind::kBool);
    EXPECT_EQ(v.as_fixed_bytes().has_value(), v.kind() == AbiValueKind::kFixedBytes);
    EXPECT_FALSE(v.as_bytes32().has_value());  // the bytesN here is a bytes4
    EXPECT_EQ(v.as_bytes().has_value(), v.kind() == AbiValueKind::kBytes);
    EXPECT_EQ(v.as_string().has_value(), v.kind() == AbiValueKind::kString);
    EXPECT_EQ(v.as_array().has_value(), v.kind() == AbiValueKind::kArray);
    EXPECT_EQ(v.as_topic_hash().has_value(), v.kind() == AbiValueKind::kTopicHash);
  }
  EXPECT_EQ(values[4].as_bytes32().error().message, "abi: value is bytesN, not bytes32");
  EXPECT_EQ(values[4].as_fixed_bytes().value().size(), 4u);
  // u64 bound: 2^64-1 fits, 2^64 does not.
  EXPECT_EQ(AbiValue{U256(~0ULL)}.as_u64().value(), ~0ULL);
  EXPECT_EQ(AbiValue{U256(1) << 64}.as_u64().error().code, ErrorCode::kOutOfRange);
}

// Two's complement conversion at the int256 bounds.
TEST(Abi, I256TwosComplement) {
  EXPECT_EQ(I256::from_twos_complement(U256::max()), (I256{U256(1), true}));
  EXPECT_EQ(I256::from_twos_complement(U256::max() >> 1), (I256{U256::max() >> 1, false}));
  EXPECT_EQ(I256::from_twos_complement(U256(0)), (I256{U256(0), false}));
  EXPECT_EQ((I256{U256(5), true}).to_twos_complement(), U256::max() - U256(4));
}

}  // namespace
}  // namespace csd
