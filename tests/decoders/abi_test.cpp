#include "decoders/abi.hpp"

#include <initializer_list>
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
// Signatures and topic0

// EIP-20: Transfer topic0 0xddf252ad... (also in every block explorer).
TEST(Abi, Erc20TransferTopic0) {
  const EventSignature s = sig("event Transfer(address indexed from, address indexed to, uint256 value)");
  EXPECT_EQ(s.canonical(), "Transfer(address,address,uint256)");
  EXPECT_EQ(hex_of(s.topic0()), "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  EXPECT_EQ(s.indexed_count(), 2u);
  EXPECT_EQ(s.data_head_size(), 32u);
  ASSERT_EQ(s.params().size(), 3u);
  EXPECT_EQ(s.params()[0].name, "from");
  EXPECT_TRUE(s.params()[0].indexed);
  EXPECT_FALSE(s.params()[2].indexed);
}

// EIP-20 Approval and EIP-1155 TransferSingle/TransferBatch topic0 values, as
// listed in the EIPs' reference implementations and block explorers.
TEST(Abi, WellKnownTopic0) {
  EXPECT_EQ(hex_of(sig("Approval(address indexed owner, address indexed spender, uint value)").topic0()),
            "8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
  EXPECT_EQ(
      hex_of(sig("TransferSingle(address indexed,address indexed,address indexed,uint256,uint256)").topic0()),
      "c3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62");
  const EventSignature batch =
      sig("event TransferBatch(address indexed operator, address indexed from, address indexed to, "
          "uint256[] ids, uint256[] values)");
  EXPECT_EQ(batch.canonical(), "TransferBatch(address,address,address,uint256[],uint256[])");
  EXPECT_EQ(hex_of(batch.topic0()), "4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb");
}

// ABI spec "Examples"/"Use of Dynamic Types": the function selectors are the
// first four bytes of keccak256 of the canonical signature, so they check our
// canonical form (note the uint -> uint256 aliasing in f and g).
TEST(Abi, SolidityDocsSelectors) {
  const auto selector = [](std::string_view text) { return hex_of(sig(text).topic0()).substr(0, 8); };
  EXPECT_EQ(selector("baz(uint32 x, bool y)"), "cdcd77c0");
  EXPECT_EQ(selector("bar(bytes3[2])"), "fce353f6");
  EXPECT_EQ(selector("sam(bytes,bool,uint[])"), "a5643bf2");
  EXPECT_EQ(selector("f(uint,uint32[],bytes10,bytes)"), "8be65246");
  EXPECT_EQ(selector("g(uint[][],string[])"), "2289b18c");
}

// SPEC 3.1: every event the daemon follows parses, with the right shape.
TEST(Abi, SpecEventsParse) {
  struct Case {
    const char* text;
    const char* canonical;
    std::size_t indexed;
  };
  const Case cases[] = {
      {"event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, uint64 lockedUntil, "
       "string agreementId)",
       "TSTLocked(bytes32,address,uint256,uint64,string)", 2},
      {"event TSTReleased(bytes32 indexed lockId, address indexed user, uint256 amount)",
       "TSTReleased(bytes32,address,uint256)", 2},
      {"event LockTerminatedEarly(bytes32 indexed lockId, address indexed user, uint256 returned, uint256 "
       "penalty)",
       "LockTerminatedEarly(bytes32,address,uint256,uint256)", 2},
      {"event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 "
       "expiresAt)",
       "TierStaked(bytes32,address,uint8,uint256,uint64)", 2},
      {"event TierUnstaked(bytes32 indexed stakeId, address indexed user, uint256 amount, bool emergency)",
       "TierUnstaked(bytes32,address,uint256,bool)", 2},
      {"event ComputeReserved(bytes32 indexed reservationId, address indexed user, uint8 entityType, uint256 "
       "amount, uint32 quotaPerDay, uint64 reservedUntil)",
       "ComputeReserved(bytes32,address,uint8,uint256,uint32,uint64)", 2},
      {"event QuotaConsumed(bytes32 indexed reservationId, address indexed user, uint32 units)",
       "QuotaConsumed(bytes32,address,uint32)", 2},
      {"event ReservationReleased(bytes32 indexed reservationId, address indexed user)",
       "ReservationReleased(bytes32,address)", 2},
      {"event PayoutExecuted(bytes32 indexed payoutId, address indexed recipient, uint256 amount, bytes32 "
       "batchId, string reason)",
       "PayoutExecuted(bytes32,address,uint256,bytes32,string)", 2},
      {"event BatchSettled(bytes32 indexed batchId, uint256 count, uint256 totalAmount)",
       "BatchSettled(bytes32,uint256,uint256)", 1},
  };
  for (const Case& c : cases) {
    const EventSignature s = sig(c.text);
    EXPECT_EQ(s.canonical(), c.canonical);
    EXPECT_EQ(s.indexed_count(), c.indexed) << c.text;
    EXPECT_EQ(s.topic0(), keccak256(std::string_view(c.canonical)));
    // The canonical form parses to the same topic0.
    EXPECT_EQ(sig(c.canonical).topic0(), s.topic0());
  }
}

TEST(Abi, SignatureSyntaxVariants) {
  const Hash32 transfer = sig("Transfer(address,address,uint256)").topic0();
  for (const char* text : {
           "Transfer(address indexed,address indexed,uint256)",
           "  event   Transfer ( address  indexed  from ,address indexed to,\n\tuint value ) ",
           "event Transfer(address indexed from, address indexed to, uint256 value);",
           "Transfer(address from, address to, uint)",
       }) {
    EXPECT_EQ(sig(text).topic0(), transfer) << text;
  }
  const EventSignature typed_only = sig("Transfer(address indexed,address indexed,uint256)");
  EXPECT_EQ(typed_only.indexed_count(), 2u);
  EXPECT_TRUE(typed_only.params()[0].name.empty());
  // An event named eventFoo is not the "event" keyword; no parameters is fine.
  EXPECT_EQ(sig("eventFoo()").name(), "eventFoo");
  EXPECT_EQ(sig("Paused( )").canonical(), "Paused()");
  // Duplicate names are allowed (the ABI does not forbid them).
  EXPECT_EQ(sig("Dup(uint8 a, uint8 a)").params().size(), 2u);
  // Exactly three indexed parameters is the bound.
  EXPECT_EQ(sig("Three(uint8 indexed a, uint8 indexed b, uint8 indexed c, uint8 d)").indexed_count(), 3u);
  EXPECT_EQ(sig("Nested(uint8[2][] a, string[][3] b)").canonical(), "Nested(uint8[2][],string[][3])");
}

TEST(Abi, RejectsMalformedSignatures) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"Transfer(address,address,uint256", "missing ')'"},
      {"Transfer address,address)", "expected '('"},
      {"(address)", "expected an event name"},
      {"event (uint256)", "expected an event name"},
      {"", "expected an event name"},
      {"1Bad(uint256)", "expected an event name"},
      {"Foo(uint7)", "uintN needs N in 8..256"},
      {"Foo(bytes33)", "bytesN needs N in 1..32"},
      {"Foo(int264 x)", "intN needs N in 8..256"},
      {"Foo(uint256,,bool)", "parameter 2: empty"},
      {"Foo(uint256,)", "parameter 2: empty"},
      {"Foo((uint256,bool) x)", "tuple parameters are not supported"},
      {"Foo(tuple x)", "tuple types are not supported"},
      {"Foo(uint256) anonymous", "anonymous events are not supported"},
      {"Foo(uint256) extra", "unexpected text after ')'"},
      {"Foo(uint256 indexed x y)", "unexpected 'y'"},
      {"Foo(uint256 memory x)", "unexpected 'x'"},
      {"Foo(uint256 1x)", "'1x' is not a parameter name"},
      {"Foo(uint256 indexed indexed)", "'indexed' is not a parameter name"},
      {"Foo(mapping x)", "unknown type"},
      {"Foo(uint8[0] x)", "zero-length"},
      {"Foo(uint8 indexed a, uint8 indexed b, uint8 indexed c, uint8 indexed d)",
       "4 indexed parameters, at most 3"},
  };
  for (const Case& c : cases) {
    auto parsed = parse_event_signature(c.text);
    ASSERT_FALSE(parsed.has_value()) << c.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(c.reason), std::string::npos)
        << c.text << " -> " << parsed.error().message;
    EXPECT_EQ(parsed.error().message.rfind("abi: signature '", 0), 0u) << parsed.error().message;
  }
}

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

}  // namespace
}  // namespace csd
