#include "decoders/u256.hpp"

#include <random>

#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>

#include "decoders/bytes.hpp"

namespace csd {
namespace {

using boost::multiprecision::cpp_int;

// Boost.Multiprecision's cpp_int is the independent oracle (STYLE: Money).
cpp_int to_cpp(const U256& v) {
  cpp_int out = 0;
  for (int i = 3; i >= 0; --i) out = (out << 64) | cpp_int(v.limbs[static_cast<std::size_t>(i)]);
  return out;
}

const cpp_int kTwo256 = cpp_int(1) << 256;

U256 random_u256(std::mt19937_64& rng) {
  // Mix full-width values with short ones so carries and small divisors occur.
  U256 v(rng(), rng(), rng(), rng());
  switch (rng() % 4) {
    case 0:
      return v;
    case 1:
      return v >> static_cast<unsigned>(rng() % 256);
    case 2:
      return U256(rng() % 1000);
    default:
      return U256::max() - U256(rng() % 3);
  }
}

TEST(U256, ArithmeticMatchesCppIntOracle) {
  std::mt19937_64 rng(2026);
  for (int i = 0; i < 5000; ++i) {
    const U256 a = random_u256(rng);
    const U256 b = random_u256(rng);
    const cpp_int ca = to_cpp(a);
    const cpp_int cb = to_cpp(b);
    EXPECT_EQ(to_cpp(a + b), (ca + cb) % kTwo256);
    EXPECT_EQ(to_cpp(a * b), (ca * cb) % kTwo256);
    EXPECT_EQ(to_cpp(a - b), (ca - cb + kTwo256) % kTwo256);
    EXPECT_EQ(checked_add(a, b).has_value(), ca + cb < kTwo256);
    EXPECT_EQ(checked_sub(a, b).has_value(), ca >= cb);
    EXPECT_EQ(checked_mul(a, b).has_value(), ca * cb < kTwo256);
    EXPECT_EQ(a < b, ca < cb);
    EXPECT_EQ(a == b, ca == cb);
    if (!b.is_zero()) {
      auto qr = divmod(a, b);
      ASSERT_TRUE(qr);
      EXPECT_EQ(to_cpp(qr->quotient), ca / cb);
      EXPECT_EQ(to_cpp(qr->remainder), ca % cb);
    }
    const unsigned shift = static_cast<unsigned>(rng() % 260);
    EXPECT_EQ(to_cpp(a << shift), (ca << shift) % kTwo256);
    EXPECT_EQ(to_cpp(a >> shift), ca >> shift);
    EXPECT_EQ(to_decimal(a), ca.str());
  }
}

TEST(U256, DivisionByZeroIsAnError) {
  auto qr = divmod(U256(5), U256());
  ASSERT_FALSE(qr);
  EXPECT_EQ(qr.error().code, ErrorCode::kDivisionByZero);
}

TEST(U256, OverflowAtTheBound) {
  EXPECT_TRUE(checked_add(U256::max() - U256(1), U256(1)));
  EXPECT_FALSE(checked_add(U256::max(), U256(1)));
  EXPECT_FALSE(checked_sub(U256(0), U256(1)));
  EXPECT_FALSE(checked_mul(U256(1) << 128, U256(1) << 128));
  EXPECT_TRUE(checked_mul(U256(1) << 127, U256(1) << 128));
}

TEST(U256, BigEndianBytesRoundTrip) {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < 32; ++i) bytes[i] = static_cast<std::uint8_t>(i + 1);
  const U256 v = U256::from_be_bytes(bytes);
  EXPECT_EQ(v.limbs[3], 0x0102030405060708ULL);
  EXPECT_EQ(v.limbs[0], 0x191a1b1c1d1e1f20ULL);
  EXPECT_EQ(v.to_be_bytes(), bytes);
  auto short_form = U256::from_be_span(std::array<std::uint8_t, 2>{0x01, 0x00});
  ASSERT_TRUE(short_form);
  EXPECT_EQ(*short_form, U256(256));
  EXPECT_FALSE(U256::from_be_span(Bytes(33, 0)));
}

TEST(U256, BigEndianByteOrderIsNumericOrder) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 1000; ++i) {
    const U256 a = random_u256(rng);
    const U256 b = random_u256(rng);
    EXPECT_EQ(a < b, a.to_be_bytes() < b.to_be_bytes());
  }
}

TEST(U256, DecimalParsingAtTheBound) {
  const std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  auto parsed = u256_from_decimal(max);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, U256::max());
  EXPECT_EQ(to_decimal(U256::max()), max);
  auto over =
      u256_from_decimal("115792089237316195423570985008687907853269984665640564039457584007913129639936");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kOverflow);
  EXPECT_FALSE(u256_from_decimal(""));
  EXPECT_FALSE(u256_from_decimal("-1"));
  EXPECT_FALSE(u256_from_decimal("1e3"));
  EXPECT_FALSE(u256_from_decimal("12 "));
  ASSERT_TRUE(u256_from_decimal("007"));
  EXPECT_EQ(*u256_from_decimal("007"), U256(7));
}

TEST(U256, DecimalRoundTripsRandomValues) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 3000; ++i) {
    const U256 v = random_u256(rng);
    auto back = u256_from_decimal(to_decimal(v));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, v);
  }
}

TEST(U256, HexQuantity) {
  EXPECT_EQ(to_hex_quantity(U256()), "0x0");
  EXPECT_EQ(to_hex_quantity(U256(0x1234)), "0x1234");
  auto parsed = u256_from_hex_quantity("0xFfFf");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, U256(0xffff));
  EXPECT_FALSE(u256_from_hex_quantity("0x"));
  EXPECT_FALSE(u256_from_hex_quantity("1234"));
  EXPECT_FALSE(u256_from_hex_quantity("0x" + std::string(65, '1')));
  EXPECT_TRUE(u256_from_hex_quantity("0x" + std::string(64, 'f')));
}

// Examples from the issue: 25 TST in wei with 18 decimals, 5.5 USDT with 6.
TEST(U256, FormatUnitsIsExact) {
  EXPECT_EQ(format_units(*u256_from_decimal("25000000000000000000"), 18), "25");
  EXPECT_EQ(format_units(U256(5500000), 6), "5.5");
  EXPECT_EQ(format_units(U256(1), 18), "0.000000000000000001");
  EXPECT_EQ(format_units(U256(0), 9), "0");
  EXPECT_EQ(format_units(U256(123), 0), "123");
  EXPECT_EQ(format_units(U256::max(), 18),
            "115792089237316195423570985008687907853269984665640564039457.584007913129639935");
}

TEST(U256, ParseUnitsIsExact) {
  EXPECT_EQ(*parse_units("0.10", 6), U256(100000));
  EXPECT_EQ(*parse_units("25", 18), *u256_from_decimal("25000000000000000000"));
  EXPECT_EQ(*parse_units(".5", 1), U256(5));
  EXPECT_EQ(*parse_units("5.", 2), U256(500));
  EXPECT_EQ(*parse_units("1.2300", 2), U256(123));  // surplus zeros are fine
  EXPECT_FALSE(parse_units("1.234", 2));            // surplus non-zero digit is not
  EXPECT_FALSE(parse_units(".", 2));
  EXPECT_FALSE(parse_units("1.2.3", 2));
  EXPECT_FALSE(parse_units("-1", 2));
  EXPECT_FALSE(parse_units("1e5", 2));
  EXPECT_FALSE(
      parse_units("115792089237316195423570985008687907853269984665640564039457584007913129639935", 1));
}

TEST(U256, ParseAndFormatDecimalRoundTrip) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    const U256 raw = random_u256(rng);
    const unsigned decimals = static_cast<unsigned>(rng() % 30);
    const std::string text = format_units(raw, decimals);
    auto back = parse_units(text, decimals);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, raw) << text;
  }
  auto d = parse_decimal("0.10");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value, U256(10));
  EXPECT_EQ(d->scale, 2U);
  EXPECT_EQ(format_decimal(*d), "0.1");
}

TEST(U256, Pow10Bound) {
  ASSERT_TRUE(pow10(77));
  EXPECT_FALSE(pow10(78));
  EXPECT_EQ(*pow10(3), U256(1000));
}

}  // namespace
}  // namespace csd
