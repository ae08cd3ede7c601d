// ABI event decoding speed on the SPEC 3.1 events (goal: >= 3 M TierStaked
// logs/s on one core, release build). The signature is parsed once, as the
// daemon does; each iteration decodes one log from its topics and data.
#include <cstdlib>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "decoders/abi.hpp"
#include "decoders/hex.hpp"

namespace {

csd::EventSignature parse_or_die(std::string_view text) {
  auto signature = csd::parse_event_signature(text);
  if (!signature) std::abort();
  return std::move(*signature);
}

csd::Bytes hex_or_die(std::string_view text) {
  auto bytes = csd::from_hex(text);
  if (!bytes) std::abort();
  return std::move(*bytes);
}

std::vector<csd::Hash32> topics_for(const csd::EventSignature& signature) {
  auto id =
      csd::fixed_from_hex<csd::Hash32>("0x1111111111111111111111111111111111111111111111111111111111111111");
  auto user =
      csd::fixed_from_hex<csd::Hash32>("0x000000000000000000000000ab5801a7d398351b8be11c439e05c5b3259aec9b");
  if (!id || !user) std::abort();
  return {signature.topic0(), *id, *user};
}

void run(benchmark::State& state, const csd::EventSignature& signature, const csd::Bytes& data) {
  const std::vector<csd::Hash32> topics = topics_for(signature);
  if (!csd::decode_log(signature, topics, data)) std::abort();
  for (auto _ : state) {
    auto log = csd::decode_log(signature, topics, data);
    benchmark::DoNotOptimize(log);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_DecodeTierStaked(benchmark::State& state) {
  const auto signature = parse_or_die(
      "event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 "
      "expiresAt)");
  // tier 3, 100 TST (18 decimals), expiresAt 1780000000.
  const auto data = hex_or_die(
      "0x0000000000000000000000000000000000000000000000000000000000000003"
      "0000000000000000000000000000000000000000000000056bc75e2d63100000"
      "000000000000000000000000000000000000000000000000000000006a18a500");
  run(state, signature, data);
}
BENCHMARK(BM_DecodeTierStaked);

void BM_DecodeTSTLocked(benchmark::State& state) {
  const auto signature = parse_or_die(
      "event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, uint64 lockedUntil, "
      "string agreementId)");
  // 250 TST, lockedUntil 1780000000, agreementId "AGR-2026-001".
  const auto data = hex_or_die(
      "0x00000000000000000000000000000000000000000000000d8d726b7177a80000"
      "000000000000000000000000000000000000000000000000000000006a18a500"
      "0000000000000000000000000000000000000000000000000000000000000060"
      "000000000000000000000000000000000000000000000000000000000000000c"
      "4147522d323032362d3030310000000000000000000000000000000000000000");
  run(state, signature, data);
}
BENCHMARK(BM_DecodeTSTLocked);

void BM_ParseSignature(benchmark::State& state) {
  for (auto _ : state) {
    auto signature = csd::parse_event_signature(
        "event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 "
        "expiresAt)");
    benchmark::DoNotOptimize(signature);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseSignature);

}  // namespace
