#include "decoders/tron_address.hpp"

#include <algorithm>

#include "decoders/base58.hpp"
#include "decoders/hex.hpp"

namespace csd {
namespace {

constexpr std::size_t kMaxText = 128;     // far above the 34/44-character forms
constexpr std::size_t kHex41Digits = 42;  // 0x41 + 20 bytes
constexpr std::size_t kHex20Digits = 40;  // the bare 20-byte account

Error prefix_error(std::uint8_t prefix) {
  return make_error(ErrorCode::kInvalidArgument,
                    "tron address: prefix byte 0x" + to_hex(ByteSpan(&prefix, 1), false) + ", expected 0x41");
}

bool all_hex(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), [](char c) { return hex_digit_value(c) >= 0; });
}

Result<TronAddress> parse_hex(std::string_view text) {
  const std::string_view digits = has_hex_prefix(text) ? text.substr(2) : text;
  TronAddress out;
  // The bare 20-byte form must carry "0x": without it, a 41... address with two
  // digits missing would silently read as a different account.
  if (digits.size() == kHex20Digits && !has_hex_prefix(text)) {
    return make_error(
        ErrorCode::kInvalidArgument,
        "tron address: 40 hex digits need the 0x prefix of the 20-byte form (or use 41... with 42 digits)");
  }
  if (digits.size() == kHex20Digits) {
    out.bytes[0] = kTronAddressPrefix;
    auto status = from_hex_exact(text, std::span<std::uint8_t>(out.bytes).subspan(1));
    if (!status) return with_context(std::move(status).error(), "tron address");
    return out;
  }
  if (digits.size() == kHex41Digits) {
    auto status = from_hex_exact(text, std::span<std::uint8_t>(out.bytes));
    if (!status) return with_context(std::move(status).error(), "tron address");
    if (out.bytes[0] != kTronAddressPrefix) return prefix_error(out.bytes[0]);
    return out;
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "tron address: hex form needs 42 digits (41...) or 40 digits (0x...), got " +
                        std::to_string(digits.size()));
}

Result<TronAddress> parse_base58(std::string_view text) {
  auto payload = base58check_decode(text, kMaxText);
  if (!payload) return with_context(std::move(payload).error(), "tron address");
  if (payload->size() != TronAddress::kSize) {
    return make_error(ErrorCode::kMalformed, "tron address: base58check payload is " +
                                                 std::to_string(payload->size()) + " bytes, expected 21");
  }
  if ((*payload)[0] != kTronAddressPrefix) return prefix_error((*payload)[0]);
  TronAddress out;
  std::copy(payload->begin(), payload->end(), out.bytes.begin());
  return out;
}

}  // namespace

Result<TronAddress> parse_tron_address(std::string_view text) {
  if (text.empty()) return make_error(ErrorCode::kInvalidArgument, "tron address: empty text");
  if (text.size() > kMaxText) {
    return make_error(ErrorCode::kInvalidArgument, "tron address: " + std::to_string(text.size()) +
                                                       " characters is too long for any form");
  }
  // Length tells the forms apart: base58check text is 34 characters, hex is 40/42 digits.
  if (has_hex_prefix(text) ||
      ((text.size() == kHex41Digits || text.size() == kHex20Digits) && all_hex(text))) {
    return parse_hex(text);
  }
  return parse_base58(text);
}

TronAddress tron_address_from_evm20(const EvmAddress& account) noexcept {
  TronAddress out;
  out.bytes[0] = kTronAddressPrefix;
  std::copy(account.bytes.begin(), account.bytes.end(), out.bytes.begin() + 1);
  return out;
}

std::string to_base58(const TronAddress& address) {
  return base58check_encode(address.span());
}

std::string to_hex41(const TronAddress& address) {
  return to_hex(address.span(), false);
}

EvmAddress to_evm20(const TronAddress& address) noexcept {
  EvmAddress out;
  std::copy(address.bytes.begin() + 1, address.bytes.end(), out.bytes.begin());
  return out;
}

}  // namespace csd
