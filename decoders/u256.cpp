#include "decoders/u256.hpp"

#include <algorithm>
#include <bit>

namespace csd {
namespace {

__extension__ typedef unsigned __int128 U128;

constexpr std::uint64_t kTen19 = 10000000000000000000ULL;  // largest power of ten in 64 bits

// Full 256x256 -> 512 product, little-endian limbs.
std::array<std::uint64_t, 8> full_product(const U256& a, const U256& b) noexcept {
  std::array<std::uint64_t, 8> out{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const U128 t = static_cast<U128>(a.limbs[i]) * b.limbs[j] + out[i + j] + carry;
      out[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    out[i + 4] = carry;
  }
  return out;
}

Result<U256> parse_digits(std::string_view digits, std::string_view what) {
  U256 value;
  for (const char c : digits) {
    if (c < '0' || c > '9') {
      return make_error(ErrorCode::kInvalidArgument,
                        std::string(what) + ": invalid decimal digit '" + std::string(1, c) + "'");
    }
    auto times_ten = checked_mul(value, U256(10));
    if (!times_ten) return make_error(ErrorCode::kOverflow, std::string(what) + ": exceeds 2^256-1");
    auto next = checked_add(*times_ten, U256(static_cast<std::uint64_t>(c - '0')));
    if (!next) return make_error(ErrorCode::kOverflow, std::string(what) + ": exceeds 2^256-1");
    value = *next;
  }
  return value;
}

}  // namespace

U256 U256::from_be_bytes(std::span<const std::uint8_t, 32> bytes) noexcept {
  U256 out;
  for (std::size_t limb = 0; limb < 4; ++limb) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | bytes[(3 - limb) * 8 + i];
    out.limbs[limb] = v;
  }
  return out;
}

void U256::store_be(std::span<std::uint8_t, 32> out) const noexcept {
  for (std::size_t limb = 0; limb < 4; ++limb) {
    const std::uint64_t v = limbs[limb];
    for (std::size_t i = 0; i < 8; ++i)
      out[(3 - limb) * 8 + i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
  }
}

std::array<std::uint8_t, 32> U256::to_be_bytes() const noexcept {
  std::array<std::uint8_t, 32> out{};
  store_be(out);
  return out;
}

Result<U256> U256::from_be_span(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > 32) {
    return make_error(ErrorCode::kOutOfRange, "u256: " + std::to_string(bytes.size()) + " bytes exceed 32");
  }
  std::array<std::uint8_t, 32> padded{};
  std::copy(bytes.begin(), bytes.end(), padded.begin() + static_cast<std::ptrdiff_t>(32 - bytes.size()));
  return from_be_bytes(padded);
}

unsigned U256::bit_length() const noexcept {
  for (int i = 3; i >= 0; --i) {
    const std::uint64_t limb = limbs[static_cast<std::size_t>(i)];
    if (limb != 0) return static_cast<unsigned>(64 * i) + static_cast<unsigned>(std::bit_width(limb));
  }
  return 0;
}

bool U256::bit(unsigned index) const noexcept {
  return ((limbs[index / 64] >> (index % 64)) & 1U) != 0;
}

U256 operator+(const U256& a, const U256& b) noexcept {
  U256 out;
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const U128 t = static_cast<U128>(a.limbs[i]) + b.limbs[i] + carry;
    out.limbs[i] = static_cast<std::uint64_t>(t);
    carry = static_cast<std::uint64_t>(t >> 64);
  }
  return out;
}

U256 operator-(const U256& a, const U256& b) noexcept {
  U256 out;
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t d = a.limbs[i] - b.limbs[i];
    const std::uint64_t next_borrow = (a.limbs[i] < b.limbs[i]) || (d < borrow) ? 1 : 0;
    out.limbs[i] = d - borrow;
    borrow = next_borrow;
  }
  return out;
}

U256 operator*(const U256& a, const U256& b) noexcept {
  const auto product = full_product(a, b);
  return U256(product[3], product[2], product[1], product[0]);
}

U256 operator<<(const U256& a, unsigned shift) noexcept {
  if (shift >= 256) return U256();
  U256 out;
  const unsigned limb_shift = shift / 64;
  const unsigned bit_shift = shift % 64;
  for (unsigned i = 3; i + 1 > limb_shift; --i) {
    std::uint64_t v = a.limbs[i - limb_shift] << bit_shift;
    if (bit_shift != 0 && i > limb_shift) v |= a.limbs[i - limb_shift - 1] >> (64 - bit_shift);
    out.limbs[i] = v;
    if (i == 0) break;
  }
  return out;
}

U256 operator>>(const U256& a, unsigned shift) noexcept {
  if (shift >= 256) return U256();
  U256 out;
  const unsigned limb_shift = shift / 64;
  const unsigned bit_shift = shift % 64;
  for (unsigned i = 0; i + limb_shift < 4; ++i) {
    std::uint64_t v = a.limbs[i + limb_shift] >> bit_shift;
    if (bit_shift != 0 && i + limb_shift + 1 < 4) v |= a.limbs[i + limb_shift + 1] << (64 - bit_shift);
    out.limbs[i] = v;
  }
  return out;
}

U256 operator&(const U256& a, const U256& b) noexcept {
  return U256(a.limbs[3] & b.limbs[3], a.limbs[2] & b.limbs[2], a.limbs[1] & b.limbs[1],
              a.limbs[0] & b.limbs[0]);
}
U256 operator|(const U256& a, const U256& b) noexcept {
  return U256(a.limbs[3] | b.limbs[3], a.limbs[2] | b.limbs[2], a.limbs[1] | b.limbs[1],
              a.limbs[0] | b.limbs[0]);
}
U256 operator^(const U256& a, const U256& b) noexcept {
  return U256(a.limbs[3] ^ b.limbs[3], a.limbs[2] ^ b.limbs[2], a.limbs[1] ^ b.limbs[1],
              a.limbs[0] ^ b.limbs[0]);
}
U256 operator~(const U256& a) noexcept {
  return U256(~a.limbs[3], ~a.limbs[2], ~a.limbs[1], ~a.limbs[0]);
}

Result<U256> checked_add(const U256& a, const U256& b) {
  const U256 sum = a + b;
  if (sum < a) return make_error(ErrorCode::kOverflow, "u256: addition overflows 2^256-1");
  return sum;
}

Result<U256> checked_sub(const U256& a, const U256& b) {
  if (a < b) return make_error(ErrorCode::kOverflow, "u256: subtraction underflows 0");
  return a - b;
}

Result<U256> checked_mul(const U256& a, const U256& b) {
  const auto product = full_product(a, b);
  if ((product[4] | product[5] | product[6] | product[7]) != 0) {
    return make_error(ErrorCode::kOverflow, "u256: multiplication overflows 2^256-1");
  }
  return U256(product[3], product[2], product[1], product[0]);
}

U256DivMod divmod_small(const U256& a, std::uint64_t divisor) noexcept {
  U256DivMod out;
  std::uint64_t remainder = 0;
  for (int i = 3; i >= 0; --i) {
    const U128 cur = (static_cast<U128>(remainder) << 64) | a.limbs[static_cast<std::size_t>(i)];
    out.quotient.limbs[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(cur / divisor);
    remainder = static_cast<std::uint64_t>(cur % divisor);
  }
  out.remainder = U256(remainder);
  return out;
}

Result<U256DivMod> divmod(const U256& a, const U256& b) {
  if (b.is_zero()) return make_error(ErrorCode::kDivisionByZero, "u256: division by zero");
  if (b.fits_u64()) return divmod_small(a, b.low64());
  if (a < b) return U256DivMod{U256(), a};
  // Shift-subtract long division; only used off the hot path.
  const unsigned shift = a.bit_length() - b.bit_length();
  U256 divisor = b << shift;
  U256 remainder = a;
  U256 quotient;
  for (unsigned i = shift + 1; i-- > 0;) {
    if (remainder >= divisor) {
      remainder = remainder - divisor;
      quotient = quotient | (U256(1) << i);
    }
    divisor = divisor >> 1;
  }
  return U256DivMod{quotient, remainder};
}

Result<U256> pow10(unsigned exponent) {
  if (exponent > 77) {
    return make_error(ErrorCode::kOverflow, "u256: 10^" + std::to_string(exponent) + " exceeds 2^256-1");
  }
  U256 value(1);
  for (unsigned i = 0; i < exponent; ++i) value = value * U256(10);
  return value;
}

Result<U256> u256_from_decimal(std::string_view text) {
  if (text.empty()) return make_error(ErrorCode::kInvalidArgument, "u256: empty decimal string");
  return parse_digits(text, "u256");
}

std::string to_decimal(const U256& value) {
  if (value.is_zero()) return "0";
  std::string out;
  U256 rest = value;
  while (!rest.is_zero()) {
    const U256DivMod qr = divmod_small(rest, kTen19);
    std::uint64_t chunk = qr.remainder.low64();
    rest = qr.quotient;
    for (int i = 0; i < 19; ++i) {
      out += static_cast<char>('0' + chunk % 10);
      chunk /= 10;
      if (rest.is_zero() && chunk == 0) break;
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string to_hex_quantity(const U256& value) {
  if (value.is_zero()) return "0x0";
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  const unsigned nibbles = (value.bit_length() + 3) / 4;
  for (unsigned i = nibbles; i-- > 0;) out += kDigits[(value >> (4 * i)).low64() & 0xf];
  return out;
}

Result<U256> u256_from_hex_quantity(std::string_view text) {
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return make_error(ErrorCode::kInvalidArgument, "u256: hex quantity must be 0x followed by digits");
  }
  const std::string_view digits = text.substr(2);
  if (digits.size() > 64) return make_error(ErrorCode::kOverflow, "u256: hex quantity exceeds 64 digits");
  U256 value;
  for (const char c : digits) {
    const int d = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
    if (d < 0)
      return make_error(ErrorCode::kInvalidArgument, "u256: invalid hex digit '" + std::string(1, c) + "'");
    value = (value << 4) | U256(static_cast<std::uint64_t>(d));
  }
  return value;
}

std::string format_units(const U256& raw, unsigned decimals) {
  return format_decimal(Decimal{raw, decimals});
}

std::string format_decimal(const Decimal& value) {
  std::string digits = to_decimal(value.value);
  if (value.scale == 0) return digits;
  if (digits.size() <= value.scale) digits.insert(0, value.scale - digits.size() + 1, '0');
  const std::size_t point = digits.size() - value.scale;
  std::string integer = digits.substr(0, point);
  std::string fraction = digits.substr(point);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? integer : integer + "." + fraction;
}

Result<Decimal> parse_decimal(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view integer = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (integer.empty() && fraction.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "decimal: '" + std::string(text) + "' has no digits");
  }
  if (fraction.find('.') != std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument, "decimal: more than one '.'");
  }
  if (fraction.size() > 77)
    return make_error(ErrorCode::kOutOfRange, "decimal: more than 77 fractional digits");
  std::string all(integer);
  all += fraction;
  auto value = parse_digits(all, "decimal");
  if (!value) return std::move(value).error();
  return Decimal{*value, static_cast<unsigned>(fraction.size())};
}

Result<U256> parse_units(std::string_view text, unsigned decimals) {
  auto parsed = parse_decimal(text);
  if (!parsed) return std::move(parsed).error();
  U256 value = parsed->value;
  unsigned scale = parsed->scale;
  // Drop surplus fractional zeros; a surplus non-zero digit cannot be represented.
  while (scale > decimals) {
    const U256DivMod qr = divmod_small(value, 10);
    if (!qr.remainder.is_zero()) {
      return make_error(ErrorCode::kOutOfRange, "decimal: '" + std::string(text) + "' has more than " +
                                                    std::to_string(decimals) + " fractional digits");
    }
    value = qr.quotient;
    --scale;
  }
  auto factor = pow10(decimals - scale);
  if (!factor) return std::move(factor).error();
  auto scaled = checked_mul(value, *factor);
  if (!scaled)
    return make_error(ErrorCode::kOverflow, "decimal: '" + std::string(text) + "' exceeds 2^256-1 units");
  return *scaled;
}

}  // namespace csd
