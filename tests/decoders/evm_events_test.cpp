// Typed SPEC 3.1 / 3.3 events from raw logs: every event decoded field by
// field from logs built with the test-only ABI encoder, the event -> contract
// mapping, logs that are not ours (nullopt) and malformed logs of ours (an
// error naming the event and field).
#include "decoders/evm_events.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decoders/keccak.hpp"
#include "tests/decoders/abi_test_encoder.hpp"
#include "tests/decoders/abi_test_support.hpp"

namespace csd {
namespace {

using abi_test::h32;
using abi_test::hex_of;
using abi_test::word_u64;
using abi_test::words;

EvmAddress addr(std::uint8_t fill) {
  EvmAddress a;
  a.bytes.fill(fill);
  return a;
}
Hash32 id(std::uint8_t fill) {
  Hash32 h;
  h.bytes.fill(fill);
  return h;
}
AbiValue b32(const Hash32& h) {
  AbiFixedBytes fixed;
  std::copy(h.bytes.begin(), h.bytes.end(), fixed.bytes.begin());
  fixed.size = 32;
  return AbiValue{fixed};
}
AbiValue av(EvmAddress a) {
  return AbiValue{a};
}
AbiValue uv(U256 v) {
  return AbiValue{v};
}
AbiValue sv(std::string s) {
  return AbiValue{std::move(s)};
}

const TstContracts kContracts{addr(0x11), addr(0x22), addr(0x33), addr(0x44)};
const EvmAddress kUser = addr(0xab);
const EvmAddress kOther = addr(0xcd);

abi_test::EncodedLog encode(std::string_view signature_text, std::vector<AbiValue> values) {
  const EventSignature signature = abi_test::sig(signature_text);
  return abi_test::encode_log(signature, values);
}

// Decodes and expects an event of type E.
template <class E>
E decode_tst(const EvmAddress& address, const abi_test::EncodedLog& log) {
  const TstEventDecoder decoder(kContracts);
  auto result = decoder.decode(address, log.topics, log.data);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  if (!result || !result->has_value()) {
    ADD_FAILURE() << "not decoded";
    return E{};
  }
  EXPECT_TRUE(std::holds_alternative<E>(**result));
  return std::holds_alternative<E>(**result) ? std::get<E>(**result) : E{};
}

bool is_not_ours(const EvmAddress& address, const std::vector<Hash32>& topics, const Bytes& data) {
  const TstEventDecoder decoder(kContracts);
  auto result = decoder.decode(address, topics, data);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result && !result->has_value();
}

std::string tst_error(const EvmAddress& address, const std::vector<Hash32>& topics, const Bytes& data) {
  const TstEventDecoder decoder(kContracts);
  auto result = decoder.decode(address, topics, data);
  EXPECT_FALSE(result.has_value()) << "decoded a malformed log";
  if (result) return {};
  EXPECT_EQ(result.error().code, ErrorCode::kMalformed);
  return result.error().message;
}

// EIP-20: Transfer topic0 = keccak256("Transfer(address,address,uint256)") = 0xddf252ad...
TEST(EvmEvents, Erc20TransferTopic0) {
  const TstEventDecoder decoder(kContracts);
  ASSERT_EQ(decoder.topic0s().size(), 9u);
  EXPECT_EQ(hex_of(decoder.topic0s()[0]), "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

// The topic0s are keccak256 of the canonical forms, written out here by hand
// from SPEC 3.1 / 3.3 (independently of the signature parser).
TEST(EvmEvents, Topic0sAreKeccakOfCanonicalForms) {
  const std::vector<std::string_view> tst = {
      "Transfer(address,address,uint256)",
      "TSTLocked(bytes32,address,uint256,uint64,string)",
      "TSTReleased(bytes32,address,uint256)",
      "LockTerminatedEarly(bytes32,address,uint256,uint256)",
      "TierStaked(bytes32,address,uint8,uint256,uint64)",
      "TierUnstaked(bytes32,address,uint256,bool)",
      "ComputeReserved(bytes32,address,uint8,uint256,uint32,uint64)",
      "QuotaConsumed(bytes32,address,uint32)",
      "ReservationReleased(bytes32,address)",
  };
  const TstEventDecoder decoder(kContracts);
  ASSERT_EQ(decoder.topic0s().size(), tst.size());
  for (std::size_t i = 0; i < tst.size(); ++i) EXPECT_EQ(decoder.topic0s()[i], keccak256(tst[i])) << tst[i];

  const std::vector<std::string_view> payout = {
      "PayoutExecuted(bytes32,address,uint256,bytes32,string)",
      "PayoutFailed(bytes32,address,uint256,string)",
      "BatchSettled(bytes32,uint256,uint256)",
  };
  const PayoutEventDecoder payouts({});
  ASSERT_EQ(payouts.topic0s().size(), payout.size());
  for (std::size_t i = 0; i < payout.size(); ++i) EXPECT_EQ(payouts.topic0s()[i], keccak256(payout[i]));
}

TEST(EvmEvents, AddressesListEachContractOnce) {
  EXPECT_EQ(TstEventDecoder(kContracts).addresses(),
            (std::vector<EvmAddress>{addr(0x11), addr(0x22), addr(0x33), addr(0x44)}));
  const TstContracts shared{addr(0x11), addr(0x22), addr(0x22), addr(0x11)};
  EXPECT_EQ(TstEventDecoder(shared).addresses(), (std::vector<EvmAddress>{addr(0x11), addr(0x22)}));
}

TEST(EvmEvents, DecodesTransfer) {
  const auto log = encode(kTstEventSignatures[0], {av(kUser), av(kOther), uv(U256::max())});
  const auto e = decode_tst<TransferEvent>(kContracts.tst, log);
  EXPECT_EQ(e.from, kUser);
  EXPECT_EQ(e.to, kOther);
  EXPECT_EQ(e.value, U256::max());
}

TEST(EvmEvents, DecodesTstLocked) {
  const auto log = encode(kTstEventSignatures[1],
                          {b32(id(1)), av(kUser), uv(U256(250)), uv(U256(UINT64_MAX)), sv("AGR-2026-001")});
  const auto e = decode_tst<TstLockedEvent>(kContracts.escrow, log);
  EXPECT_EQ(e.lock_id, id(1));
  EXPECT_EQ(e.user, kUser);
  EXPECT_EQ(e.amount, U256(250));
  EXPECT_EQ(e.locked_until, UINT64_MAX);  // uint64 bound
  EXPECT_EQ(e.agreement_id, "AGR-2026-001");
}

TEST(EvmEvents, DecodesTstLockedWithEmptyAgreementId) {
  const auto log = encode(kTstEventSignatures[1], {b32(id(1)), av(kUser), uv(U256(0)), uv(U256(0)), sv("")});
  const auto e = decode_tst<TstLockedEvent>(kContracts.escrow, log);
  EXPECT_EQ(e.agreement_id, "");
  EXPECT_EQ(e.locked_until, 0u);
}

TEST(EvmEvents, DecodesTstReleasedAndLockTerminatedEarly) {
  const auto released = decode_tst<TstReleasedEvent>(
      kContracts.escrow, encode(kTstEventSignatures[2], {b32(id(2)), av(kUser), uv(U256(7))}));
  EXPECT_EQ(released, (TstReleasedEvent{id(2), kUser, U256(7)}));
  const auto terminated = decode_tst<LockTerminatedEarlyEvent>(
      kContracts.escrow, encode(kTstEventSignatures[3], {b32(id(3)), av(kUser), uv(U256(90)), uv(U256(10))}));
  EXPECT_EQ(terminated, (LockTerminatedEarlyEvent{id(3), kUser, U256(90), U256(10)}));
}

// The SPEC 3.1 TierStaked log of the ABI tests, written out word by word.
TEST(EvmEvents, DecodesTierStakedFromWords) {
  const auto data = abi_test::tier_staked_data();
  const TstEventDecoder decoder(kContracts);
  const std::vector<Hash32> topics = {decoder.topic0s()[4], h32(abi_test::kStakeId),
                                      h32(abi_test::kUserTopic)};
  auto result = decoder.decode(kContracts.staking, topics, data);
  ASSERT_TRUE(result && result->has_value());
  const auto& e = std::get<TierStakedEvent>(**result);
  EXPECT_EQ(hex_of(e.stake_id), abi_test::kStakeId);
  EXPECT_EQ(to_hex(e.user.span(), false), "ab5801a7d398351b8be11c439e05c5b3259aec9b");
  EXPECT_EQ(e.tier, 3);
  EXPECT_EQ(to_decimal(e.amount), "100000000000000000000");
  EXPECT_EQ(e.expires_at, 1780000000u);
  EXPECT_EQ(event_name(**result), "TierStaked");
}

TEST(EvmEvents, TierStakedTierBound) {
  const auto ok =
      encode(kTstEventSignatures[4], {b32(id(4)), av(kUser), uv(U256(255)), uv(U256(1)), uv(U256(2))});
  EXPECT_EQ(decode_tst<TierStakedEvent>(kContracts.staking, ok).tier, 255);
  // One past uint8: the word has a non-zero high byte.
  const auto bad =
      encode(kTstEventSignatures[4], {b32(id(4)), av(kUser), uv(U256(256)), uv(U256(1)), uv(U256(2))});
  EXPECT_NE(tst_error(kContracts.staking, bad.topics, bad.data).find("TierStaked.tier"), std::string::npos);
}

TEST(EvmEvents, DecodesTierUnstaked) {
  for (const bool emergency : {false, true}) {
    const auto e = decode_tst<TierUnstakedEvent>(
        kContracts.staking,
        encode(kTstEventSignatures[5], {b32(id(5)), av(kUser), uv(U256(5)), AbiValue{emergency}}));
    EXPECT_EQ(e, (TierUnstakedEvent{id(5), kUser, U256(5), emergency}));
  }
}

TEST(EvmEvents, TierUnstakedRejectsBoolTwo) {
  auto log = encode(kTstEventSignatures[5], {b32(id(5)), av(kUser), uv(U256(5)), AbiValue{true}});
  log.data[63] = 2;
  EXPECT_NE(tst_error(kContracts.staking, log.topics, log.data).find("TierUnstaked.emergency"),
            std::string::npos);
}

TEST(EvmEvents, DecodesComputeReservedAtBounds) {
  const auto log = encode(kTstEventSignatures[6], {b32(id(6)), av(kUser), uv(U256(255)), uv(U256(1000)),
                                                   uv(U256(UINT32_MAX)), uv(U256(UINT64_MAX))});
  const auto e = decode_tst<ComputeReservedEvent>(kContracts.compute_reserve, log);
  EXPECT_EQ(e, (ComputeReservedEvent{id(6), kUser, 255, U256(1000), UINT32_MAX, UINT64_MAX}));
}

TEST(EvmEvents, ComputeReservedQuotaOnePastUint32) {
  const auto log = encode(kTstEventSignatures[6], {b32(id(6)), av(kUser), uv(U256(1)), uv(U256(1)),
                                                   uv(U256(std::uint64_t{1} << 32)), uv(U256(0))});
  EXPECT_NE(tst_error(kContracts.compute_reserve, log.topics, log.data).find("ComputeReserved.quotaPerDay"),
            std::string::npos);
}

TEST(EvmEvents, DecodesQuotaConsumedAndReservationReleased) {
  const auto consumed = decode_tst<QuotaConsumedEvent>(
      kContracts.compute_reserve,
      encode(kTstEventSignatures[7], {b32(id(7)), av(kUser), uv(U256(UINT32_MAX))}));
  EXPECT_EQ(consumed, (QuotaConsumedEvent{id(7), kUser, UINT32_MAX}));
  const auto released = decode_tst<ReservationReleasedEvent>(
      kContracts.compute_reserve, encode(kTstEventSignatures[8], {b32(id(8)), av(kUser)}));
  EXPECT_EQ(released, (ReservationReleasedEvent{id(8), kUser}));
}

// Each event is ours only from its own contract.
TEST(EvmEvents, EventFromAnotherContractIsNotOurs) {
  const TstEventDecoder decoder(kContracts);
  const std::vector<EvmAddress> emitters = {kContracts.tst,
                                            kContracts.escrow,
                                            kContracts.escrow,
                                            kContracts.escrow,
                                            kContracts.staking,
                                            kContracts.staking,
                                            kContracts.compute_reserve,
                                            kContracts.compute_reserve,
                                            kContracts.compute_reserve};
  const std::vector<EvmAddress> all = {kContracts.tst, kContracts.escrow, kContracts.staking,
                                       kContracts.compute_reserve, kOther};
  for (std::size_t i = 0; i < emitters.size(); ++i) {
    // Topics and data that would decode: only the address decides.
    const std::vector<Hash32> topics = {decoder.topic0s()[i], Hash32{}, Hash32{}};
    const Bytes data(256, 0);
    for (const EvmAddress& address : all) {
      if (address == emitters[i]) continue;
      EXPECT_TRUE(is_not_ours(address, topics, data)) << kTstEventSignatures[i];
    }
  }
}

// A deployment where one address plays two roles still gets both event sets.
TEST(EvmEvents, SharedAddressServesBothRoles) {
  const TstContracts shared{addr(0x11), addr(0x22), addr(0x22), addr(0x44)};
  const TstEventDecoder decoder(shared);
  const auto lock = encode(kTstEventSignatures[2], {b32(id(2)), av(kUser), uv(U256(7))});
  const auto stake = encode(kTstEventSignatures[5], {b32(id(5)), av(kUser), uv(U256(5)), AbiValue{false}});
  auto a = decoder.decode(addr(0x22), lock.topics, lock.data);
  auto b = decoder.decode(addr(0x22), stake.topics, stake.data);
  ASSERT_TRUE(a && a->has_value() && b && b->has_value());
  EXPECT_TRUE(std::holds_alternative<TstReleasedEvent>(**a));
  EXPECT_TRUE(std::holds_alternative<TierUnstakedEvent>(**b));
}

TEST(EvmEvents, UnknownTopic0IsNotOurs) {
  // EIP-20 Approval topic0: 0x8c5be1e5... The TST contract emits it; we do not index it.
  const Hash32 approval = h32("8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
  EXPECT_EQ(approval, keccak256(std::string_view("Approval(address,address,uint256)")));
  EXPECT_TRUE(is_not_ours(kContracts.tst, {approval, Hash32{}, Hash32{}}, Bytes(32, 0)));
  EXPECT_TRUE(is_not_ours(kContracts.escrow, {id(0x5a)}, {}));
  EXPECT_TRUE(is_not_ours(kContracts.tst, {}, Bytes(32, 0)));  // anonymous log
  // A Transfer of another token.
  const auto transfer = encode(kTstEventSignatures[0], {av(kUser), av(kOther), uv(U256(1))});
  EXPECT_TRUE(is_not_ours(kOther, transfer.topics, transfer.data));
}

TEST(EvmEvents, TransferWithTwoTopicsIsAnError) {
  auto log = encode(kTstEventSignatures[0], {av(kUser), av(kOther), uv(U256(1))});
  log.topics.pop_back();
  const std::string message = tst_error(kContracts.tst, log.topics, log.data);
  EXPECT_NE(message.find("Transfer"), std::string::npos) << message;
  EXPECT_NE(message.find("topics"), std::string::npos) << message;
  // ERC-721 Transfer has four topics (tokenId indexed): from the TST address it is an error too.
  log.topics.push_back(Hash32{});
  log.topics.push_back(Hash32{});
  EXPECT_NE(tst_error(kContracts.tst, log.topics, log.data).find("Transfer"), std::string::npos);
}

TEST(EvmEvents, DecodeTransferReadsATransferFromAnyEmitterAndNamesWhatIsWrong) {
  auto log = encode(kTstEventSignatures[0], {av(kUser), av(kOther), uv(U256::max())});
  auto transfer = decode_transfer(log.topics, log.data);
  ASSERT_TRUE(transfer) << transfer.error().message;
  EXPECT_EQ(*transfer, (TransferEvent{kUser, kOther, U256::max()}));
  // Another event is not a Transfer, nor is a log without topics.
  const auto released = encode(kTstEventSignatures[2], {b32(id(1)), av(kUser), uv(U256(1))});
  auto other = decode_transfer(released.topics, released.data);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("not a Transfer"), std::string::npos) << other.error().message;
  EXPECT_FALSE(decode_transfer({}, log.data));
  // The checks of decode(): dirty padding and short data name the field.
  log.topics[2].bytes[0] = 0x80;
  auto dirty = decode_transfer(log.topics, log.data);
  ASSERT_FALSE(dirty);
  EXPECT_NE(dirty.error().message.find("Transfer.to"), std::string::npos) << dirty.error().message;
  log.topics[2].bytes[0] = 0;
  const Bytes short_data(log.data.begin(), log.data.end() - 1);
  EXPECT_FALSE(decode_transfer(log.topics, short_data));
}

TEST(EvmEvents, DirtyAddressPaddingInTopicIsAnError) {
  auto log = encode(kTstEventSignatures[0], {av(kUser), av(kOther), uv(U256(1))});
  log.topics[1].bytes[11] = 1;  // the last padding byte before the 20 address bytes
  const std::string message = tst_error(kContracts.tst, log.topics, log.data);
  EXPECT_NE(message.find("Transfer.from"), std::string::npos) << message;
  log.topics[1].bytes[11] = 0;
  log.topics[2].bytes[0] = 0x80;
  EXPECT_NE(tst_error(kContracts.tst, log.topics, log.data).find("Transfer.to"), std::string::npos);
}

TEST(EvmEvents, ShortDataIsAnError) {
  const auto log =
      encode(kTstEventSignatures[4], {b32(id(4)), av(kUser), uv(U256(1)), uv(U256(1)), uv(U256(2))});
  ASSERT_EQ(log.data.size(), 96u);
  const Bytes short_data(log.data.begin(), log.data.end() - 1);  // one byte short
  EXPECT_NE(tst_error(kContracts.staking, log.topics, short_data).find("TierStaked"), std::string::npos);
  // Trailing bytes after the encoding are accepted, as abi.decode accepts them.
  Bytes long_data = log.data;
  long_data.push_back(0);
  EXPECT_FALSE(is_not_ours(kContracts.staking, log.topics, long_data));
}

TEST(EvmEvents, TstLockedOffsetPastEndIsAnError) {
  auto log = encode(kTstEventSignatures[1], {b32(id(1)), av(kUser), uv(U256(1)), uv(U256(2)), sv("x")});
  log.data[95] = 0xe0;  // agreementId offset 0xe0 (past the 160-byte data)
  const std::string message = tst_error(kContracts.escrow, log.topics, log.data);
  EXPECT_NE(message.find("TSTLocked.agreementId"), std::string::npos) << message;
}

// ---- SPEC 3.3 payout routers ----

const std::vector<PayoutRouter> kRouters = {{PayoutRouterType::kV0, addr(0x71)},
                                            {PayoutRouterType::kKyc, addr(0x72)}};

DecodedPayout decode_payout(const EvmAddress& address, const abi_test::EncodedLog& log) {
  const PayoutEventDecoder decoder(kRouters);
  auto result = decoder.decode(address, log.topics, log.data);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  if (!result || !result->has_value()) {
    ADD_FAILURE() << "not decoded";
    return DecodedPayout{};
  }
  return **result;
}

TEST(EvmEvents, RouterTypeNames) {
  EXPECT_EQ(payout_router_type_name(PayoutRouterType::kV0), "PayoutRouterV0");
  EXPECT_EQ(payout_router_type_name(PayoutRouterType::kKyc), "PayoutRouterKYC");
  EXPECT_EQ(parse_payout_router_type("PayoutRouterV0"), PayoutRouterType::kV0);
  EXPECT_EQ(parse_payout_router_type("PayoutRouterKYC"), PayoutRouterType::kKyc);
  EXPECT_EQ(parse_payout_router_type("PayoutRouterKyc"), std::nullopt);
  EXPECT_EQ(parse_payout_router_type("PayoutRouterV0 "), std::nullopt);
  EXPECT_EQ(parse_payout_router_type(""), std::nullopt);
}

TEST(EvmEvents, DecodesPayoutExecuted) {
  const auto log = encode(kPayoutEventSignatures[0],
                          {b32(id(0x91)), av(kUser), uv(U256(1500000)), b32(id(0x92)), sv("weekly payout")});
  const auto decoded = decode_payout(addr(0x72), log);
  EXPECT_EQ(decoded.router, kRouters[1]);
  EXPECT_EQ(event_name(decoded.event), "PayoutExecuted");
  EXPECT_EQ(std::get<PayoutExecutedEvent>(decoded.event),
            (PayoutExecutedEvent{id(0x91), kUser, U256(1500000), id(0x92), "weekly payout"}));
}

TEST(EvmEvents, DecodesPayoutFailedAndBatchSettled) {
  const auto failed = decode_payout(
      addr(0x71),
      encode(kPayoutEventSignatures[1], {b32(id(0x93)), av(kUser), uv(U256(1)), sv("insufficient")}));
  EXPECT_EQ(failed.router.type, PayoutRouterType::kV0);
  EXPECT_EQ(std::get<PayoutFailedEvent>(failed.event),
            (PayoutFailedEvent{id(0x93), kUser, U256(1), "insufficient"}));
  const auto settled = decode_payout(
      addr(0x71), encode(kPayoutEventSignatures[2], {b32(id(0x94)), uv(U256(3)), uv(U256::max())}));
  EXPECT_EQ(std::get<BatchSettledEvent>(settled.event), (BatchSettledEvent{id(0x94), U256(3), U256::max()}));
}

TEST(EvmEvents, PayoutNotOursAndMalformed) {
  const PayoutEventDecoder decoder(kRouters);
  auto log = encode(kPayoutEventSignatures[1], {b32(id(0x93)), av(kUser), uv(U256(1)), sv("e")});
  auto other = decoder.decode(kOther, log.topics, log.data);  // not a router
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->has_value());
  const Hash32 transfer = TstEventDecoder(kContracts).topic0s()[0];
  auto unknown = decoder.decode(addr(0x71), std::vector<Hash32>{transfer, Hash32{}, Hash32{}}, Bytes(32, 0));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_FALSE(unknown->has_value());
  log.data.back() = 1;  // non-zero padding after the error string
  auto bad = decoder.decode(addr(0x71), log.topics, log.data);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("PayoutFailed.error"), std::string::npos) << bad.error().message;
}

TEST(EvmEvents, NoRoutersMeansNothingIsOurs) {
  const PayoutEventDecoder decoder({});
  EXPECT_TRUE(decoder.routers().empty());
  const auto log = encode(kPayoutEventSignatures[2], {b32(id(1)), uv(U256(1)), uv(U256(1))});
  auto result = decoder.decode(EvmAddress{}, log.topics, log.data);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->has_value());
}

// ---- the one-word fast path against the generic decoder ----

// A random value of `type` (the SPEC signatures' types), small enough for its width.
AbiValue random_value(const AbiType& type, std::mt19937_64& rng) {
  Hash32 bytes;
  for (auto& b : bytes.bytes) b = static_cast<std::uint8_t>(rng());
  switch (type.base) {
    case AbiBaseKind::kAddress:
      return av(EvmAddress::from(std::span<const std::uint8_t>(bytes.bytes).first<20>()));
    case AbiBaseKind::kBool:
      return AbiValue{rng() % 2 == 1};
    case AbiBaseKind::kFixedBytes:
      return b32(bytes);
    case AbiBaseKind::kString:
      return sv(std::string(rng() % 40, 'x'));
    default: {
      for (std::size_t i = 0; i < 32 - type.width / 8u; ++i) bytes.bytes[i] = 0;
      return uv(U256::from_be_bytes(bytes.bytes));
    }
  }
}

// A canonical log of `signature_text`, then one random change to it: a byte of
// a topic or of the data (often a padding byte), data cut short or grown, a
// topic dropped or added, or none.
abi_test::EncodedLog mutated_log(std::string_view signature_text, std::mt19937_64& rng) {
  const EventSignature signature = abi_test::sig(signature_text);
  std::vector<AbiValue> values;
  for (const EventParam& param : signature.params()) values.push_back(random_value(param.type, rng));
  abi_test::EncodedLog log = abi_test::encode_log(signature, values);
  switch (rng() % 7) {
    case 0:
      break;
    case 1:
      if (log.topics.size() > 1) {
        auto& topic = log.topics[1 + rng() % (log.topics.size() - 1)];
        topic.bytes[rng() % 32] ^= static_cast<std::uint8_t>(1 + rng() % 255);
      }
      break;
    case 2:
    case 3:
      if (!log.data.empty()) log.data[rng() % log.data.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
      break;
    case 4:
      log.data.resize(log.data.size() - std::min<std::size_t>(log.data.size(), 1 + rng() % 40));
      break;
    case 5:
      log.data.resize(log.data.size() + 1 + rng() % 40, static_cast<std::uint8_t>(rng() % 2));
      break;
    default:
      if (rng() % 2 == 0 && log.topics.size() > 1) {
        log.topics.pop_back();
      } else {
        log.topics.push_back(id(0x5A));
      }
  }
  return log;
}

template <class Decoded>
void expect_same(const Result<std::optional<Decoded>>& fast, const Result<std::optional<Decoded>>& reference,
                 std::string_view what) {
  ASSERT_EQ(fast.has_value(), reference.has_value()) << what;
  if (!fast) {
    EXPECT_EQ(fast.error().message, reference.error().message) << what;
    EXPECT_EQ(fast.error().code, reference.error().code) << what;
    return;
  }
  EXPECT_EQ(*fast, *reference) << what;
}

TEST(EvmEvents, FastPathDecodesAsTheGenericDecoderDoes) {
  const TstEventDecoder tst(kContracts);
  const PayoutEventDecoder payouts(kRouters);
  std::mt19937_64 rng(20261207);
  std::size_t decoded = 0;
  std::size_t errors = 0;
  for (int round = 0; round < 400; ++round) {
    for (std::size_t i = 0; i < kTstEventSignatures.size(); ++i) {
      const auto log = mutated_log(kTstEventSignatures[i], rng);
      const EvmAddress emitter = i == 0  ? kContracts.tst
                                 : i < 4 ? kContracts.escrow
                                 : i < 6 ? kContracts.staking
                                         : kContracts.compute_reserve;
      const auto fast = tst.decode(emitter, log.topics, log.data);
      expect_same(fast, tst.decode_reference(emitter, log.topics, log.data), kTstEventSignatures[i]);
      (fast ? decoded : errors) += 1;
    }
    for (std::size_t i = 0; i < kPayoutEventSignatures.size(); ++i) {
      const auto log = mutated_log(kPayoutEventSignatures[i], rng);
      const auto fast = payouts.decode(kRouters[0].address, log.topics, log.data);
      expect_same(fast, payouts.decode_reference(kRouters[0].address, log.topics, log.data),
                  kPayoutEventSignatures[i]);
      (fast ? decoded : errors) += 1;
    }
  }
  // Both outcomes were exercised, many times each.
  EXPECT_GT(decoded, 1000U);
  EXPECT_GT(errors, 1000U);
}

}  // namespace
}  // namespace csd
