// Solana account addresses as text: base58 (Bitcoin alphabet) of exactly 32
// bytes, at most 44 characters (MAX_BASE58_LEN in the Solana SDK's pubkey.rs).
#pragma once

#include <string>
#include <string_view>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

inline constexpr std::size_t kSolanaPubkeyMaxText = 44;

// Errors: text longer than 44 characters or empty (kInvalidArgument), a bad
// base58 character named with its position (kInvalidArgument), a decoded
// length other than 32 bytes (kMalformed).
[[nodiscard]] Result<SolanaPubkey> parse_solana_pubkey(std::string_view text);

[[nodiscard]] std::string to_base58(const SolanaPubkey& key);

}  // namespace csd
