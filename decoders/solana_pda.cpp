#include "decoders/solana_pda.hpp"

#include <array>
#include <string>
#include <string_view>

#include "decoders/ed25519_point.hpp"
#include "decoders/sha256.hpp"

namespace csd {
namespace {

constexpr std::string_view kPdaMarker = "ProgramDerivedAddress";
constexpr std::string_view kUserStakeSeed = "user_stake";  // SPEC 3.2

ByteSpan user_stake_seed() noexcept {
  return ByteSpan(reinterpret_cast<const std::uint8_t*>(kUserStakeSeed.data()), kUserStakeSeed.size());
}

Status check_seeds(std::span<const ByteSpan> seeds, std::size_t max_seeds) {
  if (seeds.size() > max_seeds) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "pda: " + std::to_string(seeds.size()) + " seeds, at most " + std::to_string(max_seeds) + " allowed");
  }
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    if (seeds[i].size() > kPdaMaxSeedLength) {
      return make_error(ErrorCode::kInvalidArgument, "pda: seed " + std::to_string(i) + " is " +
                                                         std::to_string(seeds[i].size()) +
                                                         " bytes, at most 32 allowed");
    }
  }
  return {};
}

// The digest for seeds (plus an optional bump seed), without the curve check.
Hash32 pda_digest(std::span<const ByteSpan> seeds, const std::uint8_t* bump, const SolanaPubkey& program_id) {
  Sha256 hasher;
  for (const ByteSpan seed : seeds) hasher.update(seed);
  if (bump != nullptr) hasher.update(ByteSpan(bump, 1));
  hasher.update(program_id.span());
  hasher.update(kPdaMarker);
  return hasher.finalize();
}

}  // namespace

Result<SolanaPubkey> create_program_address(std::span<const ByteSpan> seeds, const SolanaPubkey& program_id) {
  if (auto status = check_seeds(seeds, kPdaMaxSeeds); !status) return std::move(status).error();
  const Hash32 digest = pda_digest(seeds, nullptr, program_id);
  if (is_on_ed25519_curve(digest.span())) {
    return make_error(ErrorCode::kVerificationFailed,
                      "pda: seeds give a point on the ed25519 curve, not an address");
  }
  return SolanaPubkey::from(digest.span());
}

Result<ProgramAddress> find_program_address(std::span<const ByteSpan> seeds, const SolanaPubkey& program_id) {
  if (auto status = check_seeds(seeds, kPdaMaxSeeds - 1); !status) return std::move(status).error();
  for (int bump = 255; bump >= 0; --bump) {
    const auto bump_byte = static_cast<std::uint8_t>(bump);
    const Hash32 digest = pda_digest(seeds, &bump_byte, program_id);
    if (!is_on_ed25519_curve(digest.span()))
      return ProgramAddress{SolanaPubkey::from(digest.span()), bump_byte};
  }
  return make_error(ErrorCode::kNotFound, "pda: no bump in 255..0 gives an off-curve address");
}

Result<ProgramAddress> derive_user_stake_address(const SolanaPubkey& owner, const SolanaPubkey& pool,
                                                 const SolanaPubkey& program_id) {
  const std::array<ByteSpan, 3> seeds{user_stake_seed(), owner.span(), pool.span()};
  return find_program_address(seeds, program_id);
}

Result<SolanaPubkey> create_user_stake_address(const SolanaPubkey& owner, const SolanaPubkey& pool,
                                               std::uint8_t bump, const SolanaPubkey& program_id) {
  const std::array<std::uint8_t, 1> bump_seed{bump};
  const std::array<ByteSpan, 4> seeds{user_stake_seed(), owner.span(), pool.span(), ByteSpan(bump_seed)};
  return create_program_address(seeds, program_id);
}

}  // namespace csd
