#include "decoders/hex.hpp"

#include <string>

namespace csd {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

Error bad_digit(std::string_view text, std::size_t index) {
  std::string shown = (text[index] >= 0x20 && text[index] < 0x7f) ? std::string(1, text[index]) : "\\x??";
  return make_error(ErrorCode::kInvalidArgument,
                    "hex: invalid digit '" + shown + "' at position " + std::to_string(index));
}

std::string_view strip_prefix(std::string_view text) {
  return has_hex_prefix(text) ? text.substr(2) : text;
}

// REQUIRES: digits.size() == 2 * out.size().
Status decode_digits(std::string_view full, std::string_view digits, std::span<std::uint8_t> out) {
  const std::size_t offset = full.size() - digits.size();
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = hex_digit_value(digits[2 * i]);
    if (high < 0) return bad_digit(full, offset + 2 * i);
    const int low = hex_digit_value(digits[2 * i + 1]);
    if (low < 0) return bad_digit(full, offset + 2 * i + 1);
    out[i] = static_cast<std::uint8_t>((high << 4) | low);
  }
  return {};
}

}  // namespace

std::string to_hex(ByteSpan bytes, bool with_prefix) {
  std::string out;
  out.reserve(bytes.size() * 2 + 2);
  if (with_prefix) out += "0x";
  for (const std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

Result<Bytes> from_hex(std::string_view text) {
  const std::string_view digits = strip_prefix(text);
  if (digits.size() % 2 != 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "hex: odd number of digits (" + std::to_string(digits.size()) + ")");
  }
  Bytes out(digits.size() / 2);
  if (auto status = decode_digits(text, digits, out); !status) return std::move(status).error();
  return out;
}

Status from_hex_exact(std::string_view text, std::span<std::uint8_t> out) {
  const std::string_view digits = strip_prefix(text);
  if (digits.size() != out.size() * 2) {
    return make_error(ErrorCode::kInvalidArgument, "hex: expected " + std::to_string(out.size() * 2) +
                                                       " digits (" + std::to_string(out.size()) +
                                                       " bytes), got " + std::to_string(digits.size()));
  }
  return decode_digits(text, digits, out);
}

}  // namespace csd
