// Helpers shared by the ABI decoder tests: logs written out word by word as
// the ABI spec prints them, gtest-checked decode wrappers, and the SPEC 3.1
// TierStaked/TSTLocked logs used as the base of many rejection cases.
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decoders/abi.hpp"
#include "decoders/hex.hpp"

namespace csd::abi_test {

inline Bytes words(std::initializer_list<std::string_view> hex_words) {
  Bytes out;
  for (const std::string_view hex : hex_words) {
    EXPECT_EQ(hex.size(), 64u) << hex;
    auto bytes = from_hex(hex);
    EXPECT_TRUE(bytes.has_value()) << hex;
    if (bytes) out.insert(out.end(), bytes->begin(), bytes->end());
  }
  return out;
}

inline std::string word_u64(std::uint64_t value) {
  return to_hex(U256(value).to_be_bytes(), false);
}

inline Hash32 h32(std::string_view hex) {
  auto hash = fixed_from_hex<Hash32>(hex);
  EXPECT_TRUE(hash.has_value()) << hex;
  return hash ? *hash : Hash32{};
}

inline const std::string kMax256(64, 'f');  // 2^256-1 as a hex word

inline EventSignature sig(std::string_view text) {
  auto parsed = parse_event_signature(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error().message);
  if (!parsed) std::abort();
  return *parsed;
}

inline DecodedLog decode_ok(const EventSignature& signature, const std::vector<Hash32>& topics,
                            const Bytes& data) {
  auto log = decode_log(signature, topics, data);
  EXPECT_TRUE(log.has_value()) << (log ? "" : log.error().message);
  return log ? *log : DecodedLog{};
}

inline std::string decode_error(const EventSignature& signature, const std::vector<Hash32>& topics,
                                const Bytes& data) {
  auto log = decode_log(signature, topics, data);
  EXPECT_FALSE(log.has_value()) << "decoded a log that should be rejected";
  return log ? std::string() : log.error().message;
}

// Decodes `data` as the non-indexed parameters of `signature` (topics = topic0 only).
// The log points into the signature, so a temporary signature is refused.
inline DecodedLog decode_data(const EventSignature& signature, const Bytes& data) {
  return decode_ok(signature, {signature.topic0()}, data);
}
inline DecodedLog decode_data(EventSignature&&, const Bytes&) = delete;

inline std::string hex_of(const Hash32& hash) {
  return to_hex(hash.span(), false);
}

inline U256 u(std::uint64_t value) {
  return U256(value);
}

inline constexpr const char* kStakeId = "1111111111111111111111111111111111111111111111111111111111111111";
inline constexpr const char* kUserTopic = "000000000000000000000000ab5801a7d398351b8be11c439e05c5b3259aec9b";
inline constexpr const char* kTierStaked =
    "event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 "
    "expiresAt)";
inline constexpr const char* kTstLocked =
    "event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, uint64 lockedUntil, "
    "string agreementId)";

inline std::vector<Hash32> spec_topics(const EventSignature& s) {
  return {s.topic0(), h32(kStakeId), h32(kUserTopic)};
}

inline Bytes tier_staked_data() {
  return words({word_u64(3), "0000000000000000000000000000000000000000000000056bc75e2d63100000",
                word_u64(1780000000)});
}

inline Bytes tst_locked_data() {
  return words({"00000000000000000000000000000000000000000000000d8d726b7177a80000", word_u64(1780000000),
                word_u64(0x60), word_u64(12),
                "4147522d323032362d3030310000000000000000000000000000000000000000"});
}

}  // namespace csd::abi_test
