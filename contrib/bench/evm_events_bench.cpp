// Typed event decoding speed (goal of the whole pipeline: >= 250 000 logs/s;
// this step should be a small part of it). The decoder is built once, as the
// daemon does; each iteration maps one raw log to its TstEvent: topic0
// dispatch, address check, ABI decode, typed fields.
#include <cstdlib>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "decoders/evm_events.hpp"
#include "decoders/hex.hpp"

namespace {

csd::Bytes hex_or_die(std::string_view text) {
  auto bytes = csd::from_hex(text);
  if (!bytes) std::abort();
  return std::move(*bytes);
}

csd::Hash32 hash_or_die(std::string_view text) {
  auto hash = csd::fixed_from_hex<csd::Hash32>(text);
  if (!hash) std::abort();
  return *hash;
}

csd::EvmAddress filled(std::uint8_t byte) {
  csd::EvmAddress a;
  a.bytes.fill(byte);
  return a;
}

const csd::TstContracts kContracts{filled(0x11), filled(0x22), filled(0x33), filled(0x44)};

void run(benchmark::State& state, const csd::EvmAddress& address, const std::vector<csd::Hash32>& topics,
         const csd::Bytes& data) {
  const csd::TstEventDecoder decoder(kContracts);
  auto first = decoder.decode(address, topics, data);
  if (!first || !first->has_value()) std::abort();
  for (auto _ : state) {
    auto event = decoder.decode(address, topics, data);
    benchmark::DoNotOptimize(event);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_DecodeTierStakedEvent(benchmark::State& state) {
  const csd::TstEventDecoder decoder(kContracts);
  const std::vector<csd::Hash32> topics = {
      decoder.topic0s()[4], hash_or_die("0x1111111111111111111111111111111111111111111111111111111111111111"),
      hash_or_die("0x000000000000000000000000ab5801a7d398351b8be11c439e05c5b3259aec9b")};
  // tier 3, 100 TST (18 decimals), expiresAt 1780000000.
  const auto data = hex_or_die(
      "0x0000000000000000000000000000000000000000000000000000000000000003"
      "0000000000000000000000000000000000000000000000056bc75e2d63100000"
      "000000000000000000000000000000000000000000000000000000006a18a500");
  run(state, kContracts.staking, topics, data);
}
BENCHMARK(BM_DecodeTierStakedEvent);

void BM_DecodeTransferEvent(benchmark::State& state) {
  const csd::TstEventDecoder decoder(kContracts);
  const std::vector<csd::Hash32> topics = {
      decoder.topic0s()[0], hash_or_die("0x000000000000000000000000ab5801a7d398351b8be11c439e05c5b3259aec9b"),
      hash_or_die("0x000000000000000000000000cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd")};
  // 1.5 TST.
  const auto data = hex_or_die("0x00000000000000000000000000000000000000000000000014d1120d7b160000");
  run(state, kContracts.tst, topics, data);
}
BENCHMARK(BM_DecodeTransferEvent);

}  // namespace
