// The KAMIYO staking program's UserStake account (SPEC 3.2): an Anchor account
// of exactly 97 bytes, little-endian:
//   0 discriminator (8) | 8 owner (32) | 40 pool (32) | 72 staked_amount u64 |
//   80 staked_at i64 | 88 last_update i64 | 96 bump u8
// The sync layer ignores, and counts by reason, every account that fails to
// parse or validate; each reason has its own ErrorCode (see
// user_stake_rejection_reason).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

inline constexpr std::size_t kUserStakeSize = 97;

struct UserStake {
  SolanaPubkey owner;
  SolanaPubkey pool;
  std::uint64_t staked_amount = 0;  // raw token units
  std::int64_t staked_at = 0;       // unix seconds
  std::int64_t last_update = 0;     // unix seconds
  std::uint8_t bump = 0;
  friend bool operator==(const UserStake&, const UserStake&) = default;
};

// Errors: size other than 97 bytes (kOutOfRange); discriminator other than
// sha256("account:UserStake")[0..8] (kMalformed).
[[nodiscard]] Result<UserStake> parse_user_stake(ByteSpan data);

// The exact inverse of parse_user_stake.
[[nodiscard]] std::array<std::uint8_t, kUserStakeSize> serialize_user_stake(const UserStake& stake);

// Checks a parsed account against its address and our configuration.
// Errors: pool is not expected_pool (kUnsupported); account_address is not
// create_program_address(["user_stake", owner, pool, [bump]], program_id), or
// those seeds have no address (kVerificationFailed).
[[nodiscard]] Status validate_user_stake(const SolanaPubkey& account_address, const UserStake& stake,
                                         const SolanaPubkey& expected_pool, const SolanaPubkey& program_id);

// A stable metrics label for an error from parse_user_stake or
// validate_user_stake: "wrong_size", "wrong_discriminator", "wrong_pool",
// "not_pda", or "other".
[[nodiscard]] const char* user_stake_rejection_reason(ErrorCode code) noexcept;

}  // namespace csd
