#include "decoders/keccak.hpp"

#include <random>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "decoders/hex.hpp"

namespace csd {
namespace {

std::string hex_of(const Hash32& h) {
  return to_hex(h.span(), false);
}

// Keccak-256 of "" — Ethereum's well-known empty hash (the codeHash of an
// account without code, Ethereum Yellow Paper / EIP-1052 KECCAK_EMPTY).
TEST(Keccak, EmptyString) {
  EXPECT_EQ(hex_of(keccak256(std::string_view(""))),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

// Keccak-256("abc") from the Keccak team's known-answer tests (as reproduced in
// the tiny-keccak and go-ethereum sha3 test suites).
TEST(Keccak, Abc) {
  EXPECT_EQ(hex_of(keccak256(std::string_view("abc"))),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

// ERC-20 Transfer topic0, EIP-20 event Transfer(address,address,uint256).
TEST(Keccak, Erc20TransferTopic) {
  EXPECT_EQ(hex_of(keccak256(std::string_view("Transfer(address,address,uint256)"))),
            "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

// The same permutation with SHA-3's 0x06 padding must match OpenSSL's SHA3-256;
// this checks keccak_f1600 against an independent implementation on many lengths.
Hash32 sha3_256_with_our_permutation(ByteSpan data) {
  std::array<std::uint64_t, 25> state{};
  constexpr std::size_t kRate = Keccak256::kRate;
  Bytes padded(data.begin(), data.end());
  padded.push_back(0x06);
  while (padded.size() % kRate != 0) padded.push_back(0);
  padded.back() |= 0x80;
  for (std::size_t off = 0; off < padded.size(); off += kRate) {
    for (std::size_t i = 0; i < kRate / 8; ++i) {
      std::uint64_t lane = 0;
      for (std::size_t b = 0; b < 8; ++b)
        lane |= static_cast<std::uint64_t>(padded[off + 8 * i + b]) << (8 * b);
      state[i] ^= lane;
    }
    keccak_f1600(state);
  }
  Hash32 out;
  for (std::size_t i = 0; i < 32; ++i)
    out.bytes[i] = static_cast<std::uint8_t>(state[i / 8] >> (8 * (i % 8)));
  return out;
}

Hash32 openssl_sha3_256(ByteSpan data) {
  Hash32 out;
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha3_256(), nullptr), 1);
  return out;
}

TEST(Keccak, PermutationMatchesOpenSslSha3) {
  std::mt19937_64 rng(42);
  for (std::size_t length : {0UL, 1UL, 135UL, 136UL, 137UL, 271UL, 272UL, 1000UL}) {
    Bytes data(length);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    EXPECT_EQ(sha3_256_with_our_permutation(data), openssl_sha3_256(data)) << length;
  }
}

TEST(Keccak, IncrementalEqualsOneShotAtEverySplit) {
  std::mt19937_64 rng(7);
  Bytes data(600);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  const Hash32 expected = keccak256(data);
  for (std::size_t split = 0; split <= data.size(); split += 17) {
    Keccak256 hasher;
    hasher.update(ByteSpan(data).first(split));
    hasher.update(ByteSpan(data).subspan(split));
    EXPECT_EQ(hasher.finalize(), expected) << split;
  }
  // Many tiny updates across block boundaries.
  Keccak256 hasher;
  for (const std::uint8_t b : data) hasher.update(ByteSpan(&b, 1));
  EXPECT_EQ(hasher.finalize(), expected);
}

TEST(Keccak, HasherIsReusableAfterFinalize) {
  Keccak256 hasher;
  hasher.update(std::string_view("junk"));
  (void)hasher.finalize();
  hasher.update(std::string_view("abc"));
  EXPECT_EQ(hasher.finalize(), keccak256(std::string_view("abc")));
}

}  // namespace
}  // namespace csd
