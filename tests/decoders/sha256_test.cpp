#include "decoders/sha256.hpp"

#include <string>

#include <gtest/gtest.h>
#include <sodium.h>

#include "decoders/hex.hpp"

namespace csd {
namespace {

std::string hex_of(const Hash32& h) {
  return to_hex(h.span(), false);
}

ByteSpan as_bytes(std::string_view text) {
  return ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// FIPS 180-2 Appendix B.1 ("abc") and B.2 (the two-block message); the empty
// message from NIST CAVP SHA256ShortMsg.rsp (Len = 0).
constexpr std::string_view kEmptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kAbcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kTwoBlockMessage = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view kTwoBlockDigest =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

TEST(Sha256, Fips180KnownAnswers) {
  EXPECT_EQ(hex_of(sha256(std::string_view(""))), kEmptyDigest);
  EXPECT_EQ(hex_of(sha256(ByteSpan())), kEmptyDigest);
  EXPECT_EQ(hex_of(sha256(std::string_view("abc"))), kAbcDigest);
  EXPECT_EQ(hex_of(sha256(as_bytes("abc"))), kAbcDigest);
  EXPECT_EQ(hex_of(sha256(kTwoBlockMessage)), kTwoBlockDigest);
}

TEST(Sha256, IncrementalMatchesOneShotAtEverySplit) {
  for (std::size_t split = 0; split <= kTwoBlockMessage.size(); ++split) {
    Sha256 hasher;
    hasher.update(kTwoBlockMessage.substr(0, split));
    hasher.update(as_bytes(kTwoBlockMessage.substr(split)));
    EXPECT_EQ(hex_of(hasher.finalize()), kTwoBlockDigest) << "split at " << split;
  }
}

TEST(Sha256, FinalizeResetsForReuse) {
  Sha256 hasher;
  hasher.update(std::string_view("abc"));
  EXPECT_EQ(hex_of(hasher.finalize()), kAbcDigest);
  EXPECT_EQ(hex_of(hasher.finalize()), kEmptyDigest);
  hasher.update(std::string_view("abc"));
  EXPECT_EQ(hex_of(hasher.finalize()), kAbcDigest);
}

TEST(Sha256, CopyContinuesIndependently) {
  Sha256 first;
  first.update(std::string_view("ab"));
  Sha256 second = first;
  first.update(std::string_view("c"));
  second.update(std::string_view("cdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
  EXPECT_EQ(hex_of(first.finalize()), kAbcDigest);
  EXPECT_EQ(hex_of(second.finalize()), kTwoBlockDigest);
}

TEST(Sha256, LongInputMatchesLibsodiumDirectly) {
  Bytes data(1'000'003);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 31 + 7);
  Hash32 expected;
  crypto_hash_sha256(expected.data(), data.data(), data.size());
  EXPECT_EQ(sha256(data), expected);
  Sha256 hasher;
  for (std::size_t i = 0; i < data.size(); i += 4099) {
    hasher.update(ByteSpan(data).subspan(i, std::min<std::size_t>(4099, data.size() - i)));
  }
  EXPECT_EQ(hasher.finalize(), expected);
}

TEST(Sha256, DoubleIsHashOfHash) {
  const Hash32 once = sha256(std::string_view("abc"));
  EXPECT_EQ(double_sha256(as_bytes("abc")), sha256(once.span()));
  EXPECT_NE(double_sha256(as_bytes("abc")), once);
}

}  // namespace
}  // namespace csd
