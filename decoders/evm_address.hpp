// EVM account addresses as text: "0x" + 40 hex digits, with the EIP-55
// mixed-case checksum. All-lowercase and all-uppercase text carries no checksum
// and is accepted as is; mixed case must match EIP-55 exactly.
#pragma once

#include <string>
#include <string_view>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

// Errors (kInvalidArgument): missing 0x prefix, wrong length, a non-hex digit
// (named with its position); (kVerificationFailed): mixed case that fails EIP-55.
[[nodiscard]] Result<EvmAddress> parse_evm_address(std::string_view text);

// "0x" + EIP-55 checksummed hex.
[[nodiscard]] std::string to_checksum_hex(const EvmAddress& address);

// "0x" + lowercase hex: the form we store and compare.
[[nodiscard]] std::string to_lower_hex(const EvmAddress& address);

}  // namespace csd
