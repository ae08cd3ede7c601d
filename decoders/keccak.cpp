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

// Rotation offsets r[x][y] for lane A[x + 5y] (Keccak reference, rho step).
constexpr std::array<int, 25> kRho = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                      25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

// rho, pi and chi fused per output row, as tiny-keccak and the Keccak team's
// optimised code do: output lane (X, Y) is rotl(A[x, y] ^ D[x]) with y = X and
// x = (X + 3Y) mod 5 (the inverse of pi). All indices are compile-time
// constants once unrolled, so the 25 lanes live in registers.
template <std::size_t Y>
inline void rho_pi_chi_row(const std::array<std::uint64_t, 25>& a, const std::array<std::uint64_t, 5>& d,
                           std::array<std::uint64_t, 25>& out) noexcept {
  std::array<std::uint64_t, 5> b{};
#pragma GCC unroll 5
  for (std::size_t x_out = 0; x_out < 5; ++x_out) {
    const std::size_t x_in = (x_out + 3 * Y) % 5;
    const std::size_t lane = x_in + 5 * x_out;
    b[x_out] = std::rotl(a[lane] ^ d[x_in], kRho[lane]);
  }
#pragma GCC unroll 5
  for (std::size_t x = 0; x < 5; ++x) out[x + 5 * Y] = b[x] ^ (~b[(x + 1) % 5] & b[(x + 2) % 5]);
}

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

void keccak_f1600(std::array<std::uint64_t, 25>& state) noexcept {
  std::array<std::uint64_t, 25> a = state;
  std::array<std::uint64_t, 25> next{};
  for (const std::uint64_t round_constant : kRoundConstants) {
    // theta
    std::array<std::uint64_t, 5> c{};
#pragma GCC unroll 5
    for (std::size_t x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    std::array<std::uint64_t, 5> d{};
#pragma GCC unroll 5
    for (std::size_t x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
    rho_pi_chi_row<0>(a, d, next);
    rho_pi_chi_row<1>(a, d, next);
    rho_pi_chi_row<2>(a, d, next);
    rho_pi_chi_row<3>(a, d, next);
    rho_pi_chi_row<4>(a, d, next);
    // iota
    next[0] ^= round_constant;
    a = next;
  }
  state = a;
}

void Keccak256::update(ByteSpan data) noexcept {
  if (data.empty()) return;  // an empty span may carry a null pointer; memcpy must not see it
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
