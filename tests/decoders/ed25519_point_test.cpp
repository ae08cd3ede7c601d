#include "decoders/ed25519_point.hpp"

#include <array>
#include <random>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>
#include <sodium.h>

#include "decoders/hex.hpp"
#include "decoders/sha256.hpp"
#include "decoders/solana_pubkey.hpp"

namespace csd {
namespace {

using boost::multiprecision::cpp_int;
using Encoded = std::array<std::uint8_t, 32>;

Encoded enc(std::string_view hex) {
  return fixed_from_hex<Hash32>(hex).value().bytes;
}

// An independent oracle in arbitrary precision: y from the low 255 bits,
// reduced mod p; on the curve iff (y² − 1)/(d·y² + 1) is a square or zero
// (Euler's criterion). Same rule as curve25519-dalek's decompress().
const cpp_int& curve_d() {
  static const cpp_int d = [] {
    const cpp_int p = (cpp_int(1) << 255) - 19;
    const cpp_int inv_121666 = powm(cpp_int(121666), p - 2, p);
    return cpp_int(((p - 121665) * inv_121666) % p);
  }();
  return d;
}

bool oracle_on_curve(const Encoded& bytes) {
  const cpp_int p = (cpp_int(1) << 255) - 19;
  cpp_int y = 0;
  for (std::size_t i = 32; i-- > 0;) y = (y << 8) | bytes[i];
  y &= (cpp_int(1) << 255) - 1;
  y %= p;
  const cpp_int p_minus_2 = p - 2;
  const cpp_int half = (p - 1) / 2;
  const cpp_int& d = curve_d();
  const cpp_int yy = (y * y) % p;
  const cpp_int u = (yy + p - 1) % p;
  const cpp_int v = (d * yy + 1) % p;
  const cpp_int inv_v = powm(v, p_minus_2, p);
  const cpp_int x2 = (u * inv_v) % p;
  if (x2 == 0) return true;
  const cpp_int chi = powm(x2, half, p);
  return chi == 1;
}

bool sodium_valid(const Encoded& bytes) {
  return crypto_core_ed25519_is_valid_point(bytes.data()) == 1;
}

class Ed25519Point : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(Ed25519Point, BasePointIsOnCurve) {
  // RFC 8032 §5.1: B has y = 4/5, encoded 5866…66.
  const Encoded base = enc("5866666666666666666666666666666666666666666666666666666666666666");
  EXPECT_TRUE(is_on_ed25519_curve(base));
  EXPECT_TRUE(sodium_valid(base));
}

TEST_F(Ed25519Point, SmallOrderPointsAreOnCurveThoughLibsodiumRejectsThem) {
  // Why we don't use crypto_core_ed25519_is_valid_point: Solana (dalek's
  // decompress) treats these as curve points, so they can never be PDAs.
  const Encoded identity = enc("0100000000000000000000000000000000000000000000000000000000000000");
  const Encoded order_two =
      enc("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");  // y = p − 1
  for (const Encoded& point : {identity, order_two}) {
    EXPECT_TRUE(is_on_ed25519_curve(point)) << to_hex(point);
    EXPECT_FALSE(sodium_valid(point)) << to_hex(point);
  }
}

TEST_F(Ed25519Point, NonCanonicalYIsReducedNotRejected) {
  // y = p (≡ 0: x² = −1, a square since p ≡ 1 mod 4) and y = p + 1 (≡ 1, the
  // identity): dalek reduces y, libsodium refuses non-canonical encodings.
  const Encoded y_is_p = enc("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  const Encoded y_is_p_plus_1 = enc("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  for (const Encoded& point : {y_is_p, y_is_p_plus_1}) {
    EXPECT_TRUE(is_on_ed25519_curve(point)) << to_hex(point);
    EXPECT_FALSE(sodium_valid(point)) << to_hex(point);
  }
}

TEST_F(Ed25519Point, SignBitIsIgnoredEvenWhenXIsZero) {
  // Identity with the sign bit set: x = 0, "negative" zero; dalek accepts it.
  EXPECT_TRUE(is_on_ed25519_curve(enc("0100000000000000000000000000000000000000000000000000000000000080")));
  // Base point with the sign bit set is −B's encoding.
  EXPECT_TRUE(is_on_ed25519_curve(enc("58666666666666666666666666666666666666666666666666666666666666e6")));
}

TEST_F(Ed25519Point, SolanaSdkProgramAddressesAreOffCurve) {
  // sdk/program/src/pubkey.rs test_create_program_address: every result is a PDA, hence off the curve.
  for (const std::string_view text :
       {"BwqrghZA2htAcqq8dzP1WDAhTXYTYWj7CHxF5j7TDBAe", "13yWmRpaTR4r5nAktwLqMpRNr28tnVUZw26rTvPSSB19",
        "2fnQrngrQT4SeLcdToJAD96phoEjNL2man2kfRLCASVk", "976ymqVnfE32QFe6NfGDctSvVa36LWnvYxhU6G2232YL"}) {
    const SolanaPubkey key = parse_solana_pubkey(text).value();
    EXPECT_FALSE(is_on_ed25519_curve(key.span())) << text;
    EXPECT_FALSE(oracle_on_curve(key.bytes)) << text;
  }
}

TEST_F(Ed25519Point, RejectedBumpsOfAPublicVectorAreOnCurve) {
  // LMAX-Exchange/solana4j AssociatedTokenProgramTest: the Token-2022 ATA of
  // owner 0x05×32, mint 0x06×32 has bump 253, so the digests for bumps 255 and
  // 254 must be curve points.
  const SolanaPubkey ata = parse_solana_pubkey("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL").value();
  const SolanaPubkey token_2022 = parse_solana_pubkey("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb").value();
  const Bytes owner(32, 5);
  const Bytes mint(32, 6);
  for (const std::uint8_t bump : {std::uint8_t{255}, std::uint8_t{254}, std::uint8_t{253}}) {
    Sha256 hasher;
    hasher.update(owner);
    hasher.update(token_2022.span());
    hasher.update(mint);
    hasher.update(ByteSpan(&bump, 1));
    hasher.update(ata.span());
    hasher.update(std::string_view("ProgramDerivedAddress"));
    const Hash32 digest = hasher.finalize();
    EXPECT_EQ(is_on_ed25519_curve(digest.span()), bump != 253) << int{bump};
  }
}

TEST_F(Ed25519Point, AgreesWithArbitraryPrecisionOracleOnRandomInput) {
  std::mt19937_64 rng(25519);
  int on_curve = 0;
  for (int i = 0; i < 600; ++i) {
    Encoded bytes;
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    // Every tenth input lands in [p, 2^255) (top byte 0x7f, rest 0xff-ish).
    if (i % 10 == 0) {
      std::fill(bytes.begin() + 1, bytes.end(), std::uint8_t{0xff});
      bytes[31] = static_cast<std::uint8_t>(0x7f | (rng() & 0x80));
      bytes[0] = static_cast<std::uint8_t>(0xed + rng() % 0x13);
    }
    const bool ours = is_on_ed25519_curve(bytes);
    ASSERT_EQ(ours, oracle_on_curve(bytes)) << to_hex(bytes);
    on_curve += ours ? 1 : 0;
    // libsodium's test is strictly narrower.
    if (sodium_valid(bytes)) {
      ASSERT_TRUE(ours) << to_hex(bytes);
    }
  }
  // About half of all y values are on the curve.
  EXPECT_GT(on_curve, 220);
  EXPECT_LT(on_curve, 380);
}

TEST_F(Ed25519Point, SmallYValuesAgreeWithOracle) {
  for (unsigned y = 0; y < 100; ++y) {
    Encoded bytes{};
    bytes[0] = static_cast<std::uint8_t>(y & 0xff);
    bytes[1] = static_cast<std::uint8_t>(y >> 8);
    EXPECT_EQ(is_on_ed25519_curve(bytes), oracle_on_curve(bytes)) << y;
  }
}

TEST_F(Ed25519Point, LibsodiumGeneratedPointsAreOnCurve) {
  // Points from Elligator 2 (crypto_core_ed25519_from_uniform) over fixed-seed input.
  std::mt19937_64 rng(8032);
  for (int i = 0; i < 500; ++i) {
    std::array<std::uint8_t, crypto_core_ed25519_UNIFORMBYTES> uniform{};
    for (auto& b : uniform) b = static_cast<std::uint8_t>(rng());
    Encoded point{};
    ASSERT_EQ(crypto_core_ed25519_from_uniform(point.data(), uniform.data()), 0);
    ASSERT_TRUE(is_on_ed25519_curve(point)) << to_hex(point);
  }
}

}  // namespace
}  // namespace csd
