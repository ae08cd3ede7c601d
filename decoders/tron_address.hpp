// TRON account addresses: 21 bytes, a 0x41 prefix byte then the 20-byte
// account. Shown as base58check ("T…", 34 characters, double SHA-256
// checksum), as 42 hex digits starting "41" in the node's HTTP API, and as the
// bare 20 bytes in EVM-style event logs (SPEC 3.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

inline constexpr std::uint8_t kTronAddressPrefix = 0x41;

// Accepts "T…" base58check, "41…" (42 hex digits, 0x optional) or "0x" + 40
// hex digits (the 20-byte log form; 0x41 is prepended). 40 digits without 0x
// are refused: that is more likely a 41… address missing two digits. Errors name the problem: empty, too long
// or of no known form (kInvalidArgument), a bad base58 character or hex digit (kInvalidArgument), wrong
// decoded length (kMalformed), a prefix byte other than 0x41 (kInvalidArgument), checksum mismatch
// (kVerificationFailed).
[[nodiscard]] Result<TronAddress> parse_tron_address(std::string_view text);

// The 21-byte address of a 20-byte account from a log.
[[nodiscard]] TronAddress tron_address_from_evm20(const EvmAddress& account) noexcept;

// REQUIRES: address.bytes[0] == kTronAddressPrefix for a meaningful result
// (every parsed TronAddress satisfies it).
[[nodiscard]] std::string to_base58(const TronAddress& address);
// "41" + 40 lowercase hex digits, no 0x: the java-tron HTTP API form.
[[nodiscard]] std::string to_hex41(const TronAddress& address);
// The 20 bytes after the prefix: the form in EVM-style logs and ABI words.
[[nodiscard]] EvmAddress to_evm20(const TronAddress& address) noexcept;

}  // namespace csd
