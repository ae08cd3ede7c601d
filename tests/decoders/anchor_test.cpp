#include "decoders/anchor.hpp"

#include <string>

#include <gtest/gtest.h>
#include <sodium.h>

#include "decoders/hex.hpp"

namespace csd {
namespace {

AnchorDiscriminator libsodium_discriminator(std::string_view name) {
  const std::string preimage = "account:" + std::string(name);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(preimage.data()), preimage.size());
  AnchorDiscriminator out;
  std::copy_n(digest.begin(), out.size(), out.begin());
  return out;
}

// Anchor's rule (anchor-lang `#[account]`, Discriminator): sha256("account:<Name>")[..8].
TEST(Anchor, UserStakeDiscriminator) {
  const AnchorDiscriminator got = anchor_account_discriminator("UserStake");
  EXPECT_EQ(got, libsodium_discriminator("UserStake"));
  EXPECT_EQ(to_hex(got, false), "6635a36b098a5799");  // sha256("account:UserStake")[..8]
}

TEST(Anchor, DiscriminatorIsNameSensitive) {
  for (const std::string_view name : {"", "UserStake", "userStake", "UserStake ", "StakePool", "Pool"}) {
    EXPECT_EQ(anchor_account_discriminator(name), libsodium_discriminator(name)) << name;
  }
  EXPECT_NE(anchor_account_discriminator("UserStake"), anchor_account_discriminator("userStake"));
}

}  // namespace
}  // namespace csd
