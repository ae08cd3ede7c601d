// Solana program-derived addresses (PDAs): sha256(seeds ‖ program_id ‖
// "ProgramDerivedAddress"), valid only when the digest is NOT an ed25519 curve
// point (see ed25519_point.hpp), so no private key can sign for it. Mirrors
// Pubkey::create_program_address / find_program_address in the Solana SDK
// (sdk/program/src/pubkey.rs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

inline constexpr std::size_t kPdaMaxSeeds = 16;       // MAX_SEEDS, bump included
inline constexpr std::size_t kPdaMaxSeedLength = 32;  // MAX_SEED_LEN

struct ProgramAddress {
  SolanaPubkey address;
  std::uint8_t bump = 0;
};

// Errors: more than 16 seeds or a seed over 32 bytes (kInvalidArgument); the
// digest lies on the curve, so these seeds have no address (kVerificationFailed).
[[nodiscard]] Result<SolanaPubkey> create_program_address(std::span<const ByteSpan> seeds,
                                                          const SolanaPubkey& program_id);

// Tries bump 255 down to 0 as one extra seed; the first off-curve digest wins.
// Errors: more than 15 seeds (the bump is the 16th) or a seed over 32 bytes
// (kInvalidArgument); no bump works, odds ~2^-256 (kNotFound).
[[nodiscard]] Result<ProgramAddress> find_program_address(std::span<const ByteSpan> seeds,
                                                          const SolanaPubkey& program_id);

// SPEC 3.2: the KAMIYO UserStake account, seeds ["user_stake", owner, pool].
[[nodiscard]] Result<ProgramAddress> derive_user_stake_address(const SolanaPubkey& owner,
                                                               const SolanaPubkey& pool,
                                                               const SolanaPubkey& program_id);

// The UserStake address for a known bump: create_program_address over
// ["user_stake", owner, pool, [bump]]. Errors as create_program_address.
[[nodiscard]] Result<SolanaPubkey> create_user_stake_address(const SolanaPubkey& owner,
                                                             const SolanaPubkey& pool, std::uint8_t bump,
                                                             const SolanaPubkey& program_id);

}  // namespace csd
