// Whether 32 bytes decompress to a point of the ed25519 curve
// -x² + y² = 1 + d·x²·y² over GF(2^255 − 19). This is exactly the test Solana
// uses to keep program-derived addresses off the curve (`bytes_are_curve_point`,
// i.e. curve25519-dalek's `CompressedEdwardsY::decompress().is_some()`):
//   - y is the low 255 bits, reduced mod p (y ≥ p is NOT rejected);
//   - the point exists iff (y² − 1)/(d·y² + 1) is a square mod p (0 counts);
//   - the sign bit is ignored, even when x = 0.
// It is deliberately NOT libsodium's crypto_core_ed25519_is_valid_point, which
// also rejects non-canonical, small-order and non-subgroup points and would
// therefore derive different PDAs (SPEC 3.2). Not constant-time: it only ever
// sees public data.
#pragma once

#include <cstdint>
#include <span>

namespace csd {

[[nodiscard]] bool is_on_ed25519_curve(std::span<const std::uint8_t, 32> encoded) noexcept;

}  // namespace csd
