// U256: an unsigned 256-bit integer, the type of every amount in chainsyncd.
// Four 64-bit limbs, least significant first; trivially copyable. Arithmetic
// that can overflow is checked and returns Result; decimal text and exact
// fixed-point formatting live here too. Money is never a double.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "decoders/result.hpp"

namespace csd {

struct U256DivMod;

struct U256 {
  std::array<std::uint64_t, 4> limbs{};  // limbs[0] is least significant

  constexpr U256() = default;
  constexpr U256(std::uint64_t low) : limbs{low, 0, 0, 0} {}  // NOLINT(google-explicit-constructor)
  constexpr U256(std::uint64_t l3, std::uint64_t l2, std::uint64_t l1, std::uint64_t l0)
      : limbs{l0, l1, l2, l3} {}

  [[nodiscard]] static constexpr U256 max() noexcept { return U256(~0ULL, ~0ULL, ~0ULL, ~0ULL); }

  // 32-byte big-endian, the ABI word and the SQLite BLOB form (byte order = numeric order).
  [[nodiscard]] static U256 from_be_bytes(std::span<const std::uint8_t, 32> bytes) noexcept;
  [[nodiscard]] std::array<std::uint8_t, 32> to_be_bytes() const noexcept;
  void store_be(std::span<std::uint8_t, 32> out) const noexcept;
  // Big-endian of up to 32 bytes (shorter inputs are left-padded with zeros).
  [[nodiscard]] static Result<U256> from_be_span(std::span<const std::uint8_t> bytes);

  [[nodiscard]] constexpr bool is_zero() const noexcept {
    return (limbs[0] | limbs[1] | limbs[2] | limbs[3]) == 0;
  }
  [[nodiscard]] constexpr bool fits_u64() const noexcept { return (limbs[1] | limbs[2] | limbs[3]) == 0; }
  [[nodiscard]] constexpr std::uint64_t low64() const noexcept { return limbs[0]; }
  [[nodiscard]] unsigned bit_length() const noexcept;     // 0 for zero
  [[nodiscard]] bool bit(unsigned index) const noexcept;  // REQUIRES: index < 256

  friend constexpr bool operator==(const U256&, const U256&) = default;
  friend constexpr std::strong_ordering operator<=>(const U256& a, const U256& b) noexcept {
    for (int i = 3; i >= 0; --i) {
      if (a.limbs[static_cast<std::size_t>(i)] != b.limbs[static_cast<std::size_t>(i)]) {
        return a.limbs[static_cast<std::size_t>(i)] <=> b.limbs[static_cast<std::size_t>(i)];
      }
    }
    return std::strong_ordering::equal;
  }

  // Wrapping (mod 2^256) arithmetic and bit operations.
  friend U256 operator+(const U256& a, const U256& b) noexcept;
  friend U256 operator-(const U256& a, const U256& b) noexcept;
  friend U256 operator*(const U256& a, const U256& b) noexcept;
  friend U256 operator<<(const U256& a, unsigned shift) noexcept;  // shift >= 256 gives 0
  friend U256 operator>>(const U256& a, unsigned shift) noexcept;
  friend U256 operator&(const U256& a, const U256& b) noexcept;
  friend U256 operator|(const U256& a, const U256& b) noexcept;
  friend U256 operator^(const U256& a, const U256& b) noexcept;
  friend U256 operator~(const U256& a) noexcept;
};

struct U256DivMod {
  U256 quotient;
  U256 remainder;
};

// Checked arithmetic: overflow, underflow and division by zero are errors.
[[nodiscard]] Result<U256> checked_add(const U256& a, const U256& b);
[[nodiscard]] Result<U256> checked_sub(const U256& a, const U256& b);
[[nodiscard]] Result<U256> checked_mul(const U256& a, const U256& b);
[[nodiscard]] Result<U256DivMod> divmod(const U256& a, const U256& b);
// Division by a small divisor; REQUIRES: divisor != 0.
[[nodiscard]] U256DivMod divmod_small(const U256& a, std::uint64_t divisor) noexcept;

// 10^exponent; an error when it does not fit (exponent > 77).
[[nodiscard]] Result<U256> pow10(unsigned exponent);

// Decimal text: digits only, no sign, no separators; leading zeros accepted;
// a value above 2^256-1 is an error.
[[nodiscard]] Result<U256> u256_from_decimal(std::string_view text);
[[nodiscard]] std::string to_decimal(const U256& value);
// "0x"-prefixed, minimal lowercase hex ("0x0" for zero).
[[nodiscard]] std::string to_hex_quantity(const U256& value);
// Accepts "0x" followed by 1..64 hex digits (JSON-RPC quantities).
[[nodiscard]] Result<U256> u256_from_hex_quantity(std::string_view text);

// Exact fixed-point formatting of a raw integer with `decimals` fractional
// digits, trailing zeros trimmed: (25000000000000000000, 18) -> "25",
// (5500000, 6) -> "5.5", (1, 18) -> "0.000000000000000001".
[[nodiscard]] std::string format_units(const U256& raw, unsigned decimals);

// Exact inverse of format_units: "0.10" with 6 decimals -> 100000. More
// fractional digits than `decimals` is an error unless the extra ones are zeros.
[[nodiscard]] Result<U256> parse_units(std::string_view text, unsigned decimals);

// A non-negative decimal number held exactly as value / 10^scale, e.g. the
// "?price=0.10" of an HTTP request -> {10, 2}.
struct Decimal {
  U256 value;
  unsigned scale = 0;
};
// Digits with at most one '.', digits on at least one side; scale <= 77.
[[nodiscard]] Result<Decimal> parse_decimal(std::string_view text);
// Trailing fractional zeros trimmed: {1000, 3} -> "1", {150, 2} -> "1.5".
[[nodiscard]] std::string format_decimal(const Decimal& value);

}  // namespace csd
