#include "decoders/evm_address.hpp"

#include "decoders/hex.hpp"
#include "decoders/keccak.hpp"

namespace csd {
namespace {

constexpr std::size_t kDigits = 40;

bool is_lower_letter(char c) noexcept {
  return c >= 'a' && c <= 'f';
}
bool is_upper_letter(char c) noexcept {
  return c >= 'A' && c <= 'F';
}

// EIP-55: a letter at nibble i is upper case iff nibble i of
// keccak256(lowercase hex digits as ASCII) is >= 8.
std::string checksum_digits(const EvmAddress& address) {
  std::string digits = to_hex(address.span(), false);
  const Hash32 hash = keccak256(std::string_view(digits));
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const std::uint8_t byte = hash.bytes[i / 2];
    const unsigned nibble = (i % 2 == 0) ? (byte >> 4) : (byte & 0x0fU);
    if (nibble >= 8 && is_lower_letter(digits[i])) {
      digits[i] = static_cast<char>(digits[i] - 'a' + 'A');
    }
  }
  return digits;
}

}  // namespace

Result<EvmAddress> parse_evm_address(std::string_view text) {
  if (!has_hex_prefix(text)) {
    return make_error(ErrorCode::kInvalidArgument, "evm address: missing 0x prefix");
  }
  const std::string_view digits = text.substr(2);
  if (digits.size() != kDigits) {
    return make_error(ErrorCode::kInvalidArgument,
                      "evm address: expected 40 hex digits after 0x, got " + std::to_string(digits.size()));
  }
  auto parsed = fixed_from_hex<EvmAddress>(text);
  if (!parsed) return with_context(std::move(parsed).error(), "evm address");

  bool has_lower = false;
  bool has_upper = false;
  for (const char c : digits) {
    has_lower = has_lower || is_lower_letter(c);
    has_upper = has_upper || is_upper_letter(c);
  }
  if (has_lower && has_upper) {
    const std::string expected = checksum_digits(parsed.value());
    for (std::size_t i = 0; i < kDigits; ++i) {
      if (expected[i] != digits[i]) {
        // Deliberately not revealing the expected form: a typo must not be "fixed" by copying it.
        return make_error(ErrorCode::kVerificationFailed,
                          "evm address: mixed-case text fails the EIP-55 checksum at position " +
                              std::to_string(i + 2) + " (check for a typo, or give the address in one case)");
      }
    }
  }
  return parsed;
}

std::string to_checksum_hex(const EvmAddress& address) {
  return "0x" + checksum_digits(address);
}

std::string to_lower_hex(const EvmAddress& address) {
  return to_hex(address.span(), true);
}

}  // namespace csd
