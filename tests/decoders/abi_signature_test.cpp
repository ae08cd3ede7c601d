#include "decoders/abi_signature.hpp"

#include <string>

#include <gtest/gtest.h>

#include "decoders/hex.hpp"
#include "decoders/keccak.hpp"
#include "tests/decoders/abi_test_support.hpp"

namespace csd {
namespace {

using namespace abi_test;  // shared test helpers

// EIP-20: Transfer topic0 0xddf252ad... (also in every block explorer).
TEST(AbiSignature, Erc20TransferTopic0) {
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
TEST(AbiSignature, WellKnownTopic0) {
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
TEST(AbiSignature, SolidityDocsSelectors) {
  const auto selector = [](std::string_view text) { return hex_of(sig(text).topic0()).substr(0, 8); };
  EXPECT_EQ(selector("baz(uint32 x, bool y)"), "cdcd77c0");
  EXPECT_EQ(selector("bar(bytes3[2])"), "fce353f6");
  EXPECT_EQ(selector("sam(bytes,bool,uint[])"), "a5643bf2");
  EXPECT_EQ(selector("f(uint,uint32[],bytes10,bytes)"), "8be65246");
  EXPECT_EQ(selector("g(uint[][],string[])"), "2289b18c");
}

// SPEC 3.1: every event the daemon follows parses, with the right shape.
TEST(AbiSignature, SpecEventsParse) {
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

TEST(AbiSignature, SignatureSyntaxVariants) {
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

TEST(AbiSignature, RejectsMalformedSignatures) {
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

}  // namespace
}  // namespace csd
