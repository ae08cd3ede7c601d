// key_order::less (store/key_order.hpp) orders byte strings as memcmp does:
// checked against memcmp for random keys that differ in one byte at every
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
    }
    EXPECT_FALSE(key_order::less<N>(a.data(), a.data()));
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
}

}  // namespace
}  // namespace csd
