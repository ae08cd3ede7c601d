// key_order::less and key_order::WordKey (store/key_order.hpp) order byte
// strings as memcmp does: checked against memcmp for random keys that differ in one byte at every
// position, for equal keys, and for bytes above 0x7F (unsigned order).
#include "store/key_order.hpp"

#include <array>
#include <cstring>
#include <random>

#include <gtest/gtest.h>

namespace csd {
namespace {

template <std::size_t N>
void expect_memcmp_order() {
  std::mt19937_64 rng(N);
  for (int trial = 0; trial < 200; ++trial) {
    std::array<std::uint8_t, N> a{};
    for (auto& byte : a) byte = static_cast<std::uint8_t>(rng());
    for (std::size_t at = 0; at < N; ++at) {
      auto b = a;
      b[at] = static_cast<std::uint8_t>(rng());
      const int order = std::memcmp(a.data(), b.data(), N);
      EXPECT_EQ(key_order::less<N>(a.data(), b.data()), order < 0) << N << " at " << at;
      EXPECT_EQ(key_order::less<N>(b.data(), a.data()), order > 0) << N << " at " << at;
      const auto key_a = key_order::WordKey<N>::load(a.data());
      const auto key_b = key_order::WordKey<N>::load(b.data());
      EXPECT_EQ(key_a < key_b, order < 0) << N << " at " << at;
      EXPECT_EQ(key_b<key_a, order> 0) << N << " at " << at;
    }
    EXPECT_FALSE(key_order::less<N>(a.data(), a.data()));
    EXPECT_FALSE(key_order::WordKey<N>::load(a.data()) < key_order::WordKey<N>::load(a.data()));
  }
}

TEST(KeyOrder, AgreesWithMemcmpForAddressAndLedgerKeySizes) {
  expect_memcmp_order<20>();
  expect_memcmp_order<33>();
  expect_memcmp_order<8>();
  expect_memcmp_order<3>();
}

TEST(KeyOrder, BytesCompareUnsigned) {
  const std::array<std::uint8_t, 20> low{0x7F};
  const std::array<std::uint8_t, 20> high{0x80};
  EXPECT_TRUE(key_order::less<20>(low.data(), high.data()));
  EXPECT_FALSE(key_order::less<20>(high.data(), low.data()));
  // In the padded last word too (bytes 16..19 of an address).
  std::array<std::uint8_t, 20> tail_low{};
  std::array<std::uint8_t, 20> tail_high{};
  tail_low[19] = 0x7F;
  tail_high[19] = 0x80;
  EXPECT_TRUE(key_order::WordKey<20>::load(tail_low.data()) < key_order::WordKey<20>::load(tail_high.data()));
  EXPECT_FALSE(key_order::WordKey<20>::load(tail_high.data()) <
               key_order::WordKey<20>::load(tail_low.data()));
}

}  // namespace
}  // namespace csd
