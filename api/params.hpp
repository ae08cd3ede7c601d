// Request parameters of the read-only API (SPEC 5): addresses of the three
// chains, 32-byte ids, page bounds, times and decimals, each parsed from the
// percent-decoded text of a path segment or query parameter. Every error
// message names the parameter, echoes a sanitized prefix of what was sent and
// says why it was refused, so a 400 tells the caller what to fix.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/http_message.hpp"
#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"
#include "store/views.hpp"

namespace csd {

// The input as it may be quoted in a message: at most 80 characters,
// printable ASCII only (anything else becomes '?'), so an error body never
// echoes control bytes, invalid UTF-8 or a megabyte of garbage.
[[nodiscard]] std::string quote_input(std::string_view text);

// BSC: "0x" + 40 hex digits; mixed case must pass EIP-55.
[[nodiscard]] Result<EvmAddress> parse_bsc_address_param(std::string_view name, std::string_view text);
// TRON: base58check "T…" (also the node's "41…" hex form).
[[nodiscard]] Result<TronAddress> parse_tron_address_param(std::string_view name, std::string_view text);
// Solana: base58 of exactly 32 bytes.
[[nodiscard]] Result<SolanaPubkey> parse_solana_param(std::string_view name, std::string_view text);
// A 32-byte id (payout id, batch id, tx hash): 64 hex digits, "0x" optional, either case.
[[nodiscard]] Result<Hash32> parse_id_param(std::string_view name, std::string_view text);

// A non-negative decimal integer ≤ max: digits only (no sign, no spaces).
[[nodiscard]] Result<std::uint64_t> parse_uint_param(std::string_view name, std::string_view text,
                                                     std::uint64_t max);
// The largest offset a page may start at (SQLite integers are signed 64-bit).
inline constexpr std::uint64_t kMaxPageOffset = 9'223'372'036'854'775'807ULL;

// A time: unix seconds (digits only) or RFC 3339 ("2026-04-30T12:00:00Z",
// optional fraction, "Z" or ±hh:mm offset; a fraction is truncated).
[[nodiscard]] Result<std::int64_t> parse_time_param(std::string_view name, std::string_view text);
// An exact non-negative decimal ("0.10"): digits with at most one '.'.
[[nodiscard]] Result<Decimal> parse_decimal_param(std::string_view name, std::string_view text);

// Unknown query parameters are refused (400 INVALID_PARAMETER naming the
// first one), as is a parameter given twice: a typo like `limt` must not be
// silently ignored. Errors name the parameter and list the accepted ones.
[[nodiscard]] Status check_query_names(const ApiRequest& request, std::span<const std::string_view> allowed);

}  // namespace csd
