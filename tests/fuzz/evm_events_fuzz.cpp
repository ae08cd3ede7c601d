// Fuzz target for the typed SPEC 3.1 / 3.3 event decoders.
//
// Input: byte 0 = mode, byte 1 = topic count (mod 5), then 32 bytes per
// topic, then the log data.
//   mode bit 7: payout decoder (else TST decoder).
//   mode bits 0-3: the SPEC event whose topic0 replaces topics[0] (index mod
//                  the event count); bit 6 set: keep topics[0] from the input.
//   mode bits 4-5: the emitting address: 0 the event's own contract / the
//                  first router, 1 another configured contract / the second
//                  router, 2 an unconfigured address, 3 the address 0.
// Invariants: a log is ours only if its topic0 is a SPEC topic0 and its
// address the event's contract (a router); a decoded event re-encodes to the
// very same topics and to data that decodes to the same event; decode (with
// its one-word fast path) answers exactly as decode_reference (the generic
// decoder alone): the same event, or the same error message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <variant>
#include <vector>

#include "decoders/evm_events.hpp"
#include "tests/decoders/abi_test_encoder.hpp"

namespace csd {
namespace {

csd::EvmAddress fill(std::uint8_t byte) {
  csd::EvmAddress a;
  a.bytes.fill(byte);
  return a;
}

const csd::TstContracts kContracts{fill(0x11), fill(0x22), fill(0x33), fill(0x44)};
constexpr std::size_t kEmitterRole[] = {0, 1, 1, 1, 2, 2, 3, 3, 3};

const csd::EvmAddress& role(std::size_t r) {
  switch (r) {
    case 0:
      return kContracts.tst;
    case 1:
      return kContracts.escrow;
    case 2:
      return kContracts.staking;
    default:
      return kContracts.compute_reserve;
  }
}

csd::AbiValue b32(const csd::Hash32& h) {
  csd::AbiFixedBytes fixed;
  for (std::size_t i = 0; i < 32; ++i) fixed.bytes[i] = h.bytes[i];
  fixed.size = 32;
  return csd::AbiValue{fixed};
}
csd::AbiValue u(const csd::U256& v) {
  return csd::AbiValue{v};
}
csd::AbiValue a(const csd::EvmAddress& v) {
  return csd::AbiValue{v};
}
csd::AbiValue s(const std::string& v) {
  return csd::AbiValue{v};
}

// The ABI values of an event, in SPEC signature order.
template <class E>
std::vector<csd::AbiValue> values_of(const E& e) {
  if constexpr (std::is_same_v<E, TransferEvent>) return {a(e.from), a(e.to), u(e.value)};
  if constexpr (std::is_same_v<E, TstLockedEvent>)
    return {b32(e.lock_id), a(e.user), u(e.amount), u(e.locked_until), s(e.agreement_id)};
  if constexpr (std::is_same_v<E, TstReleasedEvent>) return {b32(e.lock_id), a(e.user), u(e.amount)};
  if constexpr (std::is_same_v<E, LockTerminatedEarlyEvent>)
    return {b32(e.lock_id), a(e.user), u(e.returned), u(e.penalty)};
  if constexpr (std::is_same_v<E, TierStakedEvent>)
    return {b32(e.stake_id), a(e.user), u(e.tier), u(e.amount), u(e.expires_at)};
  if constexpr (std::is_same_v<E, TierUnstakedEvent>)
    return {b32(e.stake_id), a(e.user), u(e.amount), AbiValue{e.emergency}};
  if constexpr (std::is_same_v<E, ComputeReservedEvent>)
    return {b32(e.reservation_id), a(e.user),          u(e.entity_type),
            u(e.amount),           u(e.quota_per_day), u(e.reserved_until)};
  if constexpr (std::is_same_v<E, QuotaConsumedEvent>) return {b32(e.reservation_id), a(e.user), u(e.units)};
  if constexpr (std::is_same_v<E, ReservationReleasedEvent>) return {b32(e.reservation_id), a(e.user)};
  if constexpr (std::is_same_v<E, PayoutExecutedEvent>)
    return {b32(e.payout_id), a(e.recipient), u(e.amount), b32(e.batch_id), s(e.reason)};
  if constexpr (std::is_same_v<E, PayoutFailedEvent>)
    return {b32(e.payout_id), a(e.recipient), u(e.amount), s(e.error)};
  if constexpr (std::is_same_v<E, BatchSettledEvent>) return {b32(e.batch_id), u(e.count), u(e.total_amount)};
}

template <class Decoded>
void check_same_as_reference(const csd::Result<std::optional<Decoded>>& fast,
                             const csd::Result<std::optional<Decoded>>& reference) {
  if (fast.has_value() != reference.has_value()) __builtin_trap();
  if (!fast) {
    if (fast.error().message != reference.error().message || fast.error().code != reference.error().code)
      __builtin_trap();
  } else if (!(*fast == *reference)) {
    __builtin_trap();
  }
}

template <std::size_t N>
csd::EventSignature signature_at(const std::array<std::string_view, N>& texts, std::size_t index) {
  auto signature = csd::parse_event_signature(texts[index]);
  if (!signature) __builtin_trap();
  return std::move(*signature);
}

// Re-encodes `event` and checks topics and the second decode.
template <class Decoder, class Event, std::size_t N>
void check_round_trip(const Decoder& decoder, const std::array<std::string_view, N>& texts,
                      const csd::EvmAddress& address, const std::vector<csd::Hash32>& topics,
                      const Event& event, const auto& unwrap) {
  const csd::EventSignature signature = signature_at(texts, event.index());
  const auto values = std::visit([](const auto& e) { return values_of(e); }, event);
  const auto encoded = csd::abi_test::encode_log(signature, values);
  if (encoded.topics != topics) __builtin_trap();
  auto again = decoder.decode(address, encoded.topics, encoded.data);
  if (!again || !again->has_value() || !(unwrap(**again) == event)) __builtin_trap();
}

void run_tst(std::uint8_t mode, const std::vector<csd::Hash32>& topics, csd::ByteSpan data) {
  static const csd::TstEventDecoder decoder(kContracts);
  const std::size_t event_index = (mode & 0x0fu) % csd::kTstEventSignatures.size();
  const unsigned pick = (mode >> 4) & 3u;
  const std::size_t own = kEmitterRole[event_index];
  const csd::EvmAddress address = pick == 0   ? role(own)
                                  : pick == 1 ? role((own + 1) % 4)
                                  : pick == 2 ? fill(0xee)
                                              : csd::EvmAddress{};
  auto result = decoder.decode(address, topics, data);
  check_same_as_reference(result, decoder.decode_reference(address, topics, data));
  if (!result || !result->has_value()) {
    // Ours for sure only when no topic0 check could fail: decode must not say "not ours".
    if (result && !topics.empty() && topics[0] == decoder.topic0s()[event_index] && pick == 0)
      __builtin_trap();
    return;
  }
  const csd::TstEvent& event = **result;
  if (topics.empty() || decoder.topic0s()[event.index()] != topics[0]) __builtin_trap();
  if (address != role(kEmitterRole[event.index()])) __builtin_trap();
  check_round_trip(decoder, csd::kTstEventSignatures, address, topics, event,
                   [](const csd::TstEvent& e) -> const csd::TstEvent& { return e; });
}

void run_payout(std::uint8_t mode, const std::vector<csd::Hash32>& topics, csd::ByteSpan data) {
  static const csd::PayoutEventDecoder decoder(
      {{csd::PayoutRouterType::kV0, fill(0x71)}, {csd::PayoutRouterType::kKyc, fill(0x72)}});
  const unsigned pick = (mode >> 4) & 3u;
  const csd::EvmAddress address = pick == 0   ? fill(0x71)
                                  : pick == 1 ? fill(0x72)
                                  : pick == 2 ? fill(0xee)
                                              : csd::EvmAddress{};
  auto result = decoder.decode(address, topics, data);
  check_same_as_reference(result, decoder.decode_reference(address, topics, data));
  if (!result || !result->has_value()) return;
  const csd::DecodedPayout& payout = **result;
  if (pick >= 2 || payout.router.address != address) __builtin_trap();
  if (payout.router.type != (pick == 0 ? csd::PayoutRouterType::kV0 : csd::PayoutRouterType::kKyc))
    __builtin_trap();
  if (topics.empty() || decoder.topic0s()[payout.event.index()] != topics[0]) __builtin_trap();
  check_round_trip(decoder, csd::kPayoutEventSignatures, address, topics, payout.event,
                   [](const csd::DecodedPayout& d) -> const csd::PayoutEvent& { return d.event; });
}

}  // namespace
}  // namespace csd

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const std::size_t topic_count = data[1] % 5u;
  data += 2;
  size -= 2;
  std::vector<csd::Hash32> topics;
  for (std::size_t i = 0; i < topic_count; ++i) {
    if (size < 32) return 0;
    topics.push_back(csd::Hash32::from(std::span<const std::uint8_t, 32>(data, 32)));
    data += 32;
    size -= 32;
  }
  const bool payout = (mode & 0x80u) != 0;
  if (!topics.empty() && (mode & 0x40u) == 0) {
    // Replace topic0 by a SPEC one (the decoders are cheap to build, but reuse the parsed lists).
    static const csd::TstEventDecoder tst(csd::kContracts);
    static const csd::PayoutEventDecoder routers({});
    const auto topic0s = payout ? routers.topic0s() : tst.topic0s();
    topics[0] = topic0s[(mode & 0x0fu) % topic0s.size()];
  }
  if (payout) {
    csd::run_payout(mode, topics, csd::ByteSpan(data, size));
  } else {
    csd::run_tst(mode, topics, csd::ByteSpan(data, size));
  }
  return 0;
}
