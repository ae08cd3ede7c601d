// Hex codec. Input: an optional "0x"/"0X" prefix, then an even number of hex
// digits of either case; anything else is an error naming the offending
// character. Output: lowercase, with or without the prefix.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

[[nodiscard]] std::string to_hex(ByteSpan bytes, bool with_prefix = true);

[[nodiscard]] Result<Bytes> from_hex(std::string_view text);

// Decodes exactly out.size() bytes; a different length is an error.
[[nodiscard]] Status from_hex_exact(std::string_view text, std::span<std::uint8_t> out);

template <class Fixed>
[[nodiscard]] Result<Fixed> fixed_from_hex(std::string_view text) {
  Fixed out;
  if (auto status = from_hex_exact(text, std::span<std::uint8_t>(out.bytes)); !status) {
    return std::move(status).error();
  }
  return out;
}

// True when text starts with "0x" or "0X".
[[nodiscard]] constexpr bool has_hex_prefix(std::string_view text) noexcept {
  return text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

// Value of one hex digit, or -1.
[[nodiscard]] constexpr int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace csd
