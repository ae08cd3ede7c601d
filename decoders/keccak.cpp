// Keccak-256 after the tiny-keccak design: a 25-lane state, the round function
// written out as theta / rho+pi / chi / iota with the standard constants.
#include "decoders/keccak.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace csd {
namespace {

// Round constants (FIPS 202 section 3.2.5 / Keccak reference).
constexpr std::array<std::uint64_t, 24> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// rho rotation offsets and pi lane order, in the order tiny-keccak walks them.
constexpr std::array<int, 24> kRho = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                      27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr std::array<std::size_t, 24> kPi = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                             15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

std::uint64_t load_le64(const std::uint8_t* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

void store_le64(std::uint8_t* p, std::uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

void absorb_block(std::array<std::uint64_t, 25>& state, const std::uint8_t* block) noexcept {
  for (std::size_t i = 0; i < Keccak256::kRate / 8; ++i) state[i] ^= load_le64(block + 8 * i);
  keccak_f1600(state);
}

}  // namespace

void keccak_f1600(std::array<std::uint64_t, 25>& a) noexcept {
  for (const std::uint64_t round_constant : kRoundConstants) {
    // theta
    std::array<std::uint64_t, 5> c{};
    for (std::size_t x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (std::size_t x = 0; x < 5; ++x) {
      const std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
      for (std::size_t y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    // rho and pi
    std::uint64_t last = a[1];
    for (std::size_t i = 0; i < 24; ++i) {
      const std::size_t j = kPi[i];
      const std::uint64_t saved = a[j];
      a[j] = std::rotl(last, kRho[i]);
      last = saved;
    }
    // chi
    for (std::size_t y = 0; y < 25; y += 5) {
      const std::array<std::uint64_t, 5> row = {a[y], a[y + 1], a[y + 2], a[y + 3], a[y + 4]};
      for (std::size_t x = 0; x < 5; ++x) a[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
    }
    // iota
    a[0] ^= round_constant;
  }
}

void Keccak256::update(ByteSpan data) noexcept {
  const std::uint8_t* p = data.data();
  std::size_t left = data.size();
  if (buffered_ > 0) {
    const std::size_t take = std::min(left, kRate - buffered_);
    std::memcpy(buffer_.data() + buffered_, p, take);
    buffered_ += take;
    p += take;
    left -= take;
    if (buffered_ < kRate) return;
    absorb_block(state_, buffer_.data());
    buffered_ = 0;
  }
  while (left >= kRate) {
    absorb_block(state_, p);
    p += kRate;
    left -= kRate;
  }
  if (left > 0) {
    std::memcpy(buffer_.data(), p, left);
    buffered_ = left;
  }
}

void Keccak256::update(std::string_view text) noexcept {
  update(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Hash32 Keccak256::finalize() noexcept {
  // Original Keccak padding (pad10*1 with domain bits 0x01), as Ethereum uses.
  std::memset(buffer_.data() + buffered_, 0, kRate - buffered_);
  buffer_[buffered_] ^= 0x01;
  buffer_[kRate - 1] ^= 0x80;
  absorb_block(state_, buffer_.data());
  Hash32 out;
  for (std::size_t i = 0; i < 4; ++i) store_le64(out.data() + 8 * i, state_[i]);
  *this = Keccak256{};
  return out;
}

Hash32 keccak256(ByteSpan data) noexcept {
  Keccak256 hasher;
  hasher.update(data);
  return hasher.finalize();
}

Hash32 keccak256(std::string_view text) noexcept {
  Keccak256 hasher;
  hasher.update(text);
  return hasher.finalize();
}

}  // namespace csd
