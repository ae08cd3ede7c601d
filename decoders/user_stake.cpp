#include "decoders/user_stake.hpp"

#include <algorithm>
#include <string>

#include "decoders/anchor.hpp"
#include "decoders/hex.hpp"
#include "decoders/solana_pda.hpp"
#include "decoders/solana_pubkey.hpp"

namespace csd {
namespace {

// SPEC 3.2 layout offsets.
constexpr std::size_t kOwnerOffset = 8;
constexpr std::size_t kPoolOffset = 40;
constexpr std::size_t kAmountOffset = 72;
constexpr std::size_t kStakedAtOffset = 80;
constexpr std::size_t kLastUpdateOffset = 88;
constexpr std::size_t kBumpOffset = 96;

using Account = std::span<const std::uint8_t, kUserStakeSize>;

std::uint64_t load_le64(Account data, std::size_t offset) noexcept {
  std::uint64_t out = 0;
  for (std::size_t i = 0; i < 8; ++i) out |= std::uint64_t{data[offset + i]} << (8 * i);
  return out;
}

void store_le64(std::span<std::uint8_t, kUserStakeSize> out, std::size_t offset,
                std::uint64_t value) noexcept {
  for (std::size_t i = 0; i < 8; ++i) out[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}

SolanaPubkey load_key(Account data, std::size_t offset) noexcept {
  return SolanaPubkey::from(data.subspan(offset).first<32>());
}

}  // namespace

Result<UserStake> parse_user_stake(ByteSpan data) {
  if (data.size() != kUserStakeSize) {
    return make_error(ErrorCode::kOutOfRange,
                      "user_stake: account is " + std::to_string(data.size()) + " bytes, expected 97");
  }
  const Account account = data.first<kUserStakeSize>();
  const AnchorDiscriminator expected = anchor_account_discriminator("UserStake");
  if (!std::equal(expected.begin(), expected.end(), account.begin())) {
    return make_error(ErrorCode::kMalformed, "user_stake: discriminator " +
                                                 to_hex(account.first<8>(), false) + " is not UserStake's " +
                                                 to_hex(expected, false));
  }
  UserStake out;
  out.owner = load_key(account, kOwnerOffset);
  out.pool = load_key(account, kPoolOffset);
  out.staked_amount = load_le64(account, kAmountOffset);
  // Two's complement reinterpretation: i64 on the wire.
  out.staked_at = static_cast<std::int64_t>(load_le64(account, kStakedAtOffset));
  out.last_update = static_cast<std::int64_t>(load_le64(account, kLastUpdateOffset));
  out.bump = account[kBumpOffset];
  return out;
}

std::array<std::uint8_t, kUserStakeSize> serialize_user_stake(const UserStake& stake) {
  std::array<std::uint8_t, kUserStakeSize> out{};
  const AnchorDiscriminator discriminator = anchor_account_discriminator("UserStake");
  std::copy(discriminator.begin(), discriminator.end(), out.begin());
  std::copy(stake.owner.bytes.begin(), stake.owner.bytes.end(), out.begin() + kOwnerOffset);
  std::copy(stake.pool.bytes.begin(), stake.pool.bytes.end(), out.begin() + kPoolOffset);
  store_le64(out, kAmountOffset, stake.staked_amount);
  store_le64(out, kStakedAtOffset, static_cast<std::uint64_t>(stake.staked_at));
  store_le64(out, kLastUpdateOffset, static_cast<std::uint64_t>(stake.last_update));
  out[kBumpOffset] = stake.bump;
  return out;
}

Status validate_user_stake(const SolanaPubkey& account_address, const UserStake& stake,
                           const SolanaPubkey& expected_pool, const SolanaPubkey& program_id) {
  if (stake.pool != expected_pool) {
    return make_error(ErrorCode::kUnsupported, "user_stake " + to_base58(account_address) + ": pool " +
                                                   to_base58(stake.pool) + " is not the configured pool " +
                                                   to_base58(expected_pool));
  }
  auto derived = create_user_stake_address(stake.owner, stake.pool, stake.bump, program_id);
  if (!derived) {
    return make_error(ErrorCode::kVerificationFailed,
                      "user_stake " + to_base58(account_address) + ": bump " + std::to_string(stake.bump) +
                          " gives no PDA for owner " + to_base58(stake.owner));
  }
  if (*derived != account_address) {
    return make_error(ErrorCode::kVerificationFailed, "user_stake " + to_base58(account_address) +
                                                          ": not the PDA of owner " + to_base58(stake.owner) +
                                                          ", pool and bump " + std::to_string(stake.bump) +
                                                          " (that is " + to_base58(*derived) + ")");
  }
  return {};
}

const char* user_stake_rejection_reason(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kOutOfRange:
      return "wrong_size";
    case ErrorCode::kMalformed:
      return "wrong_discriminator";
    case ErrorCode::kUnsupported:
      return "wrong_pool";
    case ErrorCode::kVerificationFailed:
      return "not_pda";
    default:
      return "other";
  }
}

}  // namespace csd
