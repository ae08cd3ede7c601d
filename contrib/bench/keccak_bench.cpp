// Keccak-256 throughput next to OpenSSL's SHA3-256, which runs the same
// Keccak-f[1600] permutation with the same rate, so the ratio of the two is a
// fair measure of our port (goal: >= 0.7x OpenSSL).
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "decoders/keccak.hpp"

namespace {

std::vector<std::uint8_t> input_of(std::size_t size) {
  std::vector<std::uint8_t> data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i * 131 + 7);
  return data;
}

void BM_Keccak256(benchmark::State& state) {
  const auto data = input_of(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(csd::keccak256(data));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_OpenSslSha3_256(benchmark::State& state) {
  const auto data = input_of(static_cast<std::size_t>(state.range(0)));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const EVP_MD* md = EVP_sha3_256();
  std::uint8_t out[32];
  unsigned int length = 0;
  for (auto _ : state) {
    EVP_DigestInit_ex(ctx.get(), md, nullptr);
    EVP_DigestUpdate(ctx.get(), data.data(), data.size());
    EVP_DigestFinal_ex(ctx.get(), out, &length);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

}  // namespace

BENCHMARK(BM_Keccak256)->Arg(32)->Arg(1024)->Arg(1 << 20);
BENCHMARK(BM_OpenSslSha3_256)->Arg(32)->Arg(1024)->Arg(1 << 20);
