#include "decoders/solana_pda.hpp"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decoders/ed25519_point.hpp"
#include "decoders/solana_pubkey.hpp"

namespace csd {
namespace {

SolanaPubkey key(std::string_view text) {
  return parse_solana_pubkey(text).value();
}

ByteSpan bytes_of(std::string_view text) {
  return ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

template <class... Seed>
std::array<ByteSpan, sizeof...(Seed)> seeds_of(const Seed&... seed) {
  return {ByteSpan(seed)...};
}

std::string create(std::vector<ByteSpan> seeds, const SolanaPubkey& program) {
  auto address = create_program_address(seeds, program);
  return address ? to_base58(*address) : "error: " + address.error().message;
}

// solana-labs/solana sdk/program/src/pubkey.rs, test_create_program_address.
class SdkCreateProgramAddress : public ::testing::Test {
 protected:
  const SolanaPubkey program_id_ = key("BPFLoaderUpgradeab1e11111111111111111111111");
  const SolanaPubkey public_key_ = key("SeedPubey1111111111111111111111111111111111");
};

TEST_F(SdkCreateProgramAddress, KnownAnswers) {
  const std::array<std::uint8_t, 1> one{1};
  const std::array<std::uint8_t, 1> zero{0};
  EXPECT_EQ(create({bytes_of(""), one}, program_id_), "BwqrghZA2htAcqq8dzP1WDAhTXYTYWj7CHxF5j7TDBAe");
  EXPECT_EQ(create({bytes_of("\xe2\x98\x89"), zero}, program_id_),
            "13yWmRpaTR4r5nAktwLqMpRNr28tnVUZw26rTvPSSB19");
  EXPECT_EQ(create({bytes_of("Talking"), bytes_of("Squirrels")}, program_id_),
            "2fnQrngrQT4SeLcdToJAD96phoEjNL2man2kfRLCASVk");
  EXPECT_EQ(create({public_key_.span(), one}, program_id_), "976ymqVnfE32QFe6NfGDctSvVa36LWnvYxhU6G2232YL");
  EXPECT_NE(create({bytes_of("Talking"), bytes_of("Squirrels")}, program_id_),
            create({bytes_of("Talking")}, program_id_));
}

TEST_F(SdkCreateProgramAddress, SeedLengthBound) {
  const Bytes max_seed(kPdaMaxSeedLength, 0);
  const Bytes exceeded_seed(kPdaMaxSeedLength + 1, 127);
  EXPECT_TRUE(create_program_address(seeds_of(ByteSpan(max_seed)), program_id_));
  auto too_long = create_program_address(seeds_of(ByteSpan(exceeded_seed)), program_id_);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(too_long.error().message, "pda: seed 0 is 33 bytes, at most 32 allowed");
  auto second =
      create_program_address(seeds_of(bytes_of("short_seed"), ByteSpan(exceeded_seed)), program_id_);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, "pda: seed 1 is 33 bytes, at most 32 allowed");
}

TEST_F(SdkCreateProgramAddress, SeedCountBound) {
  std::vector<std::array<std::uint8_t, 1>> storage;
  for (std::uint8_t i = 1; i <= 17; ++i) storage.push_back({i});
  std::vector<ByteSpan> seeds(storage.begin(), storage.end());
  auto seventeen = create_program_address(seeds, program_id_);
  ASSERT_FALSE(seventeen);
  EXPECT_EQ(seventeen.error().message, "pda: 17 seeds, at most 16 allowed");
  seeds.pop_back();
  EXPECT_TRUE(create_program_address(seeds, program_id_));
}

TEST(SolanaPda, OnCurveDigestIsNotAnAddress) {
  // LMAX-Exchange/solana4j AssociatedTokenProgramTest: Token-2022 ATA of owner
  // 0x05×32 / mint 0x06×32 has bump 253, so bump 255 lands on the curve.
  const SolanaPubkey ata_program = key("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
  const SolanaPubkey token_2022 = key("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
  const Bytes owner(32, 5);
  const Bytes mint(32, 6);
  const std::array<std::uint8_t, 1> bump{255};
  auto on_curve = create_program_address(
      seeds_of(ByteSpan(owner), token_2022.span(), ByteSpan(mint), ByteSpan(bump)), ata_program);
  ASSERT_FALSE(on_curve);
  EXPECT_EQ(on_curve.error().code, ErrorCode::kVerificationFailed);
}

// Public find_program_address vectors from LMAX-Exchange/solana4j tests
// (AssociatedTokenProgramTest, BpfUpgradeableProgramTest); the bump-253 case
// exercises the search loop.
TEST(SolanaPda, FindProgramAddressKnownAnswers) {
  const SolanaPubkey ata_program = key("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
  const Bytes owner(32, 5);
  const Bytes mint(32, 6);
  struct Case {
    std::string_view token_program;
    std::string_view address;
    std::uint8_t bump;
  };
  for (const Case& c : {Case{"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
                             "BtHaGVQ4uRjgxGSoADNkPLxQUVBFhv3GaLbrU5jQnbmh", 255},
                        Case{"TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",
                             "6TZpgbVr5gCryZfwJEEgTjp88DU4LWDkVA68ACUdC9gK", 253}}) {
    const SolanaPubkey token_program = key(c.token_program);
    auto found =
        find_program_address(seeds_of(ByteSpan(owner), token_program.span(), ByteSpan(mint)), ata_program);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(to_base58(found->address), c.address);
    EXPECT_EQ(found->bump, c.bump);
  }
  const SolanaPubkey program = key("EYB1g5R8beNtVqDpKpmkKWtLdhBY8Wh7q3QT3U3fbw7y");
  auto program_data =
      find_program_address(seeds_of(program.span()), key("BPFLoaderUpgradeab1e11111111111111111111111"));
  ASSERT_TRUE(program_data);
  EXPECT_EQ(to_base58(program_data->address), "6HRdAxQMgxR9vxnfsfeYYuyyEabzJ8SiA3H2SJ4NFU9d");
  EXPECT_EQ(program_data->bump, 255);
}

// sdk/program/src/pubkey.rs test_find_program_address: the found address
// re-derives with create_program_address and the bump; here also every higher
// bump must have landed on the curve.
TEST(SolanaPda, FindProgramAddressRederivesAndTakesFirstOffCurveBump) {
  int below_255 = 0;
  for (std::uint64_t i = 1; i <= 300; ++i) {
    SolanaPubkey program_id;  // like Pubkey::new_unique(): big-endian counter in the first 8 bytes
    for (std::size_t j = 0; j < 8; ++j) program_id.bytes[j] = static_cast<std::uint8_t>(i >> (56 - 8 * j));
    const auto seeds = seeds_of(bytes_of("Lil'"), bytes_of("Bits"));
    auto found = find_program_address(seeds, program_id);
    ASSERT_TRUE(found);
    const std::array<std::uint8_t, 1> bump{found->bump};
    auto again = create_program_address(seeds_of(seeds[0], seeds[1], ByteSpan(bump)), program_id);
    ASSERT_TRUE(again);
    ASSERT_EQ(*again, found->address);
    ASSERT_FALSE(is_on_ed25519_curve(found->address.span()));
    for (int higher = found->bump + 1; higher <= 255; ++higher) {
      const std::array<std::uint8_t, 1> h{static_cast<std::uint8_t>(higher)};
      ASSERT_FALSE(create_program_address(seeds_of(seeds[0], seeds[1], ByteSpan(h)), program_id));
    }
    below_255 += found->bump < 255 ? 1 : 0;
  }
  EXPECT_GT(below_255, 50);  // about half the digests are curve points
}

TEST(SolanaPda, FindProgramAddressLeavesRoomForTheBump) {
  std::vector<std::array<std::uint8_t, 1>> storage;
  for (std::uint8_t i = 1; i <= 16; ++i) storage.push_back({i});
  std::vector<ByteSpan> seeds(storage.begin(), storage.end());
  const SolanaPubkey program_id = key("BPFLoaderUpgradeab1e11111111111111111111111");
  auto sixteen = find_program_address(seeds, program_id);
  ASSERT_FALSE(sixteen);
  EXPECT_EQ(sixteen.error().message, "pda: 16 seeds, at most 15 allowed");
  seeds.pop_back();
  EXPECT_TRUE(find_program_address(seeds, program_id));
  const Bytes too_long(33, 1);
  EXPECT_FALSE(find_program_address(seeds_of(ByteSpan(too_long)), program_id));
}

TEST(SolanaPda, UserStakeAddressUsesSpecSeeds) {
  // SPEC 3.2: seeds ["user_stake", owner, pool].
  const SolanaPubkey owner = key("SeedPubey1111111111111111111111111111111111");
  const SolanaPubkey pool = key("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
  const SolanaPubkey program = key("BPFLoaderUpgradeab1e11111111111111111111111");
  auto derived = derive_user_stake_address(owner, pool, program);
  ASSERT_TRUE(derived);
  auto generic = find_program_address(seeds_of(bytes_of("user_stake"), owner.span(), pool.span()), program);
  ASSERT_TRUE(generic);
  EXPECT_EQ(derived->address, generic->address);
  EXPECT_EQ(derived->bump, generic->bump);
  auto created = create_user_stake_address(owner, pool, derived->bump, program);
  ASSERT_TRUE(created);
  EXPECT_EQ(*created, derived->address);
  // Owner and pool are not interchangeable.
  EXPECT_NE(derive_user_stake_address(pool, owner, program)->address, derived->address);
}

}  // namespace
}  // namespace csd
