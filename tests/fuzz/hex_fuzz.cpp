// Fuzz target: the hex codec and the U256 decimal/fixed-point parsers, which
// all take untrusted text (command line, JSON-RPC answers, query strings).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "decoders/hex.hpp"
#include "decoders/u256.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // Whatever decodes re-encodes to the same digits, lowercased, prefix normalised.
  if (auto bytes = csd::from_hex(text)) {
    const std::string back = csd::to_hex(*bytes, false);
    const std::string_view digits = csd::has_hex_prefix(text) ? text.substr(2) : text;
    if (back.size() != digits.size()) __builtin_trap();
    for (std::size_t i = 0; i < back.size(); ++i) {
      const char c = digits[i];
      const char lower = (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c;
      if (back[i] != lower) __builtin_trap();
    }
  }
  csd::Hash32 hash;
  (void)csd::from_hex_exact(text, std::span<std::uint8_t>(hash.bytes));

  if (auto value = csd::u256_from_decimal(text)) {
    if (csd::u256_from_decimal(csd::to_decimal(*value)).value() != *value) __builtin_trap();
  }
  if (auto quantity = csd::u256_from_hex_quantity(text)) {
    if (csd::u256_from_hex_quantity(csd::to_hex_quantity(*quantity)).value() != *quantity) __builtin_trap();
  }
  const auto decimals = static_cast<unsigned>(size % 40);
  if (auto units = csd::parse_units(text, decimals)) {
    if (csd::parse_units(csd::format_units(*units, decimals), decimals).value() != *units) __builtin_trap();
  }
  return 0;
}
