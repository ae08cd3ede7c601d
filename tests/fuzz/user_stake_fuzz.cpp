// Fuzzes the UserStake account parser (SPEC 3.2). Invariants: whatever parses
// re-serializes to exactly the input bytes; validation accepts the account at
// its own PDA (when its bump gives one) and rejects it at an arbitrary address
// with the expected error codes.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "decoders/bytes.hpp"
#include "decoders/solana_pda.hpp"
#include "decoders/user_stake.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using csd::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const csd::ByteSpan input(data, size);
  auto stake = csd::parse_user_stake(input);
  if (!stake) {
    check(size != csd::kUserStakeSize || stake.error().code == csd::ErrorCode::kMalformed);
    return 0;
  }
  check(size == csd::kUserStakeSize);
  const auto bytes = csd::serialize_user_stake(*stake);
  check(std::equal(bytes.begin(), bytes.end(), input.begin(), input.end()));

  csd::SolanaPubkey program;
  program.bytes.fill(0x11);
  auto pda = csd::create_user_stake_address(stake->owner, stake->pool, stake->bump, program);
  if (pda) check(csd::validate_user_stake(*pda, *stake, stake->pool, program).has_value());

  csd::SolanaPubkey claimed;  // the owner bytes as the account address: not its PDA
  std::copy_n(data + 8, 32, claimed.bytes.begin());
  auto status = csd::validate_user_stake(claimed, *stake, stake->pool, program);
  check(!status.has_value() && status.error().code == csd::ErrorCode::kVerificationFailed);
  auto other_pool = csd::validate_user_stake(claimed, *stake, program, program);
  check(!other_pool.has_value() &&
        other_pool.error().code ==
            (stake->pool == program ? csd::ErrorCode::kVerificationFailed : csd::ErrorCode::kUnsupported));
  return 0;
}
