#include "decoders/ed25519_point.hpp"

#include <array>

namespace csd {
namespace {

using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;  // GCC/Clang extension, hence __extension__

constexpr u64 kMask51 = (u64{1} << 51) - 1;

// An element of GF(p), p = 2^255 − 19, as five 51-bit limbs (radix 2^51,
// least significant first). Limbs may run a little over 51 bits between
// carries; only to_canonical() gives the unique representative.
struct Fe {
  std::array<u64, 5> v{};
};

// d = −121665/121666 mod p (RFC 8032 §5.1), in 51-bit limbs.
constexpr Fe kD{{929955233495203, 466365720129213, 1662059464998953, 2033849074728123, 1442794654840575}};
constexpr Fe kOne{{1, 0, 0, 0, 0}};

u64 load_le64(std::span<const std::uint8_t, 32> bytes, std::size_t offset) noexcept {
  u64 out = 0;
  for (std::size_t i = 0; i < 8; ++i) out |= u64{bytes[offset + i]} << (8 * i);
  return out;
}

// The low 255 bits, unreduced: values in [p, 2^255) stay as they are and are
// reduced by the arithmetic, as in curve25519-dalek's FieldElement::from_bytes.
Fe from_bytes(std::span<const std::uint8_t, 32> bytes) noexcept {
  const u64 w0 = load_le64(bytes, 0);
  const u64 w1 = load_le64(bytes, 8);
  const u64 w2 = load_le64(bytes, 16);
  const u64 w3 = load_le64(bytes, 24);
  return Fe{{w0 & kMask51, ((w0 >> 51) | (w1 << 13)) & kMask51, ((w1 >> 38) | (w2 << 26)) & kMask51,
             ((w2 >> 25) | (w3 << 39)) & kMask51, (w3 >> 12) & kMask51}};
}

// Propagates carries so every limb is below 2^51 except limb 0, which may
// exceed it by at most 19·2^13 (2^255 ≡ 19 folds the top carry back).
Fe carry(Fe a) noexcept {
  for (std::size_t i = 0; i < 4; ++i) {
    a.v[i + 1] += a.v[i] >> 51;
    a.v[i] &= kMask51;
  }
  a.v[0] += 19 * (a.v[4] >> 51);
  a.v[4] &= kMask51;
  return a;
}

Fe add(const Fe& a, const Fe& b) noexcept {
  Fe out;
  for (std::size_t i = 0; i < 5; ++i) out.v[i] = a.v[i] + b.v[i];
  return carry(out);
}

// a − b computed as a + 4p − b so no limb underflows (b's limbs are < 2^52).
Fe sub(const Fe& a, const Fe& b) noexcept {
  constexpr u64 kFourP0 = 4 * (kMask51 - 18);  // 4·(2^51 − 19)
  constexpr u64 kFourPi = 4 * kMask51;         // 4·(2^51 − 1)
  Fe out;
  out.v[0] = a.v[0] + kFourP0 - b.v[0];
  for (std::size_t i = 1; i < 5; ++i) out.v[i] = a.v[i] + kFourPi - b.v[i];
  return carry(out);
}

Fe mul(const Fe& a, const Fe& b) noexcept {
  const auto m = [](u64 x, u64 y) { return static_cast<u128>(x) * y; };
  // Limb products at weight ≥ 2^255 fold back multiplied by 19.
  const u64 b1 = 19 * b.v[1];
  const u64 b2 = 19 * b.v[2];
  const u64 b3 = 19 * b.v[3];
  const u64 b4 = 19 * b.v[4];
  const std::array<u128, 5> r{
      m(a.v[0], b.v[0]) + m(a.v[1], b4) + m(a.v[2], b3) + m(a.v[3], b2) + m(a.v[4], b1),
      m(a.v[0], b.v[1]) + m(a.v[1], b.v[0]) + m(a.v[2], b4) + m(a.v[3], b3) + m(a.v[4], b2),
      m(a.v[0], b.v[2]) + m(a.v[1], b.v[1]) + m(a.v[2], b.v[0]) + m(a.v[3], b4) + m(a.v[4], b3),
      m(a.v[0], b.v[3]) + m(a.v[1], b.v[2]) + m(a.v[2], b.v[1]) + m(a.v[3], b.v[0]) + m(a.v[4], b4),
      m(a.v[0], b.v[4]) + m(a.v[1], b.v[3]) + m(a.v[2], b.v[2]) + m(a.v[3], b.v[1]) + m(a.v[4], b.v[0])};
  Fe out;
  u128 c = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const u128 t = r[i] + c;
    out.v[i] = static_cast<u64>(t) & kMask51;
    c = t >> 51;
  }
  // Inputs have limbs < 2^52, so r[4] < 2^105 and c < 2^54: 19·c fits in 64
  // bits; carry() settles limb 0 again.
  out.v[0] += 19 * static_cast<u64>(c);
  return carry(out);
}

Fe square(const Fe& a) noexcept {
  return mul(a, a);
}

// The unique representative in [0, p), limbs exactly 51 bits.
Fe to_canonical(const Fe& a) noexcept {
  Fe h = carry(carry(a));
  // Two passes leave every limb below 2^51, so h < 2^255 < 2p. q = 1 iff
  // h ≥ p, found as the carry out of h + 19 past 2^255.
  u64 q = (h.v[0] + 19) >> 51;
  for (std::size_t i = 1; i < 5; ++i) q = (h.v[i] + q) >> 51;
  h.v[0] += 19 * q;
  for (std::size_t i = 0; i < 4; ++i) {
    h.v[i + 1] += h.v[i] >> 51;
    h.v[i] &= kMask51;
  }
  h.v[4] &= kMask51;  // drops the 2^255 that stood for p
  return h;
}

bool equals(const Fe& a, const Fe& b) noexcept {
  return to_canonical(a).v == to_canonical(b).v;
}

bool is_zero(const Fe& a) noexcept {
  return equals(a, Fe{});
}

// a^((p−1)/2): Euler's criterion. (p−1)/2 = 2^254 − 10 has bits 253..4 set,
// bits 3 and 0 clear, bits 2 and 1 set.
Fe pow_half_p_minus_one(const Fe& a) noexcept {
  Fe r = kOne;
  for (int bit = 253; bit >= 0; --bit) {
    r = square(r);
    if (bit >= 4 || bit == 2 || bit == 1) r = mul(r, a);
  }
  return r;
}

}  // namespace

bool is_on_ed25519_curve(std::span<const std::uint8_t, 32> encoded) noexcept {
  const Fe y = from_bytes(encoded);
  const Fe yy = square(y);
  const Fe u = sub(yy, kOne);           // y² − 1
  const Fe v = add(mul(yy, kD), kOne);  // d·y² + 1, never 0: −1/d is not a square
  // x² = u/v has a root iff u·v = (u/v)·v² is a square (zero included).
  const Fe uv = mul(u, v);
  if (is_zero(uv)) return true;
  return equals(pow_half_p_minus_one(uv), kOne);
}

}  // namespace csd
