#include "decoders/base58.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "decoders/sha256.hpp"

namespace csd {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kChecksumSize = 4;

// Digit value of each ASCII character, or -1.
constexpr std::array<std::int8_t, 128> make_digit_table() {
  std::array<std::int8_t, 128> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<std::size_t>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr std::array<std::int8_t, 128> kDigitTable = make_digit_table();

int digit_value(char c) noexcept {
  const auto code = static_cast<unsigned char>(c);
  return code < kDigitTable.size() ? kDigitTable[code] : -1;
}

std::string printable(char c) {
  const auto code = static_cast<unsigned char>(c);
  if (code >= 0x20 && code < 0x7f) return std::string(1, c);
  constexpr std::string_view kHex = "0123456789abcdef";
  return std::string("\\x") + kHex[code >> 4] + kHex[code & 0x0f];
}

std::size_t count_leading(ByteSpan bytes, std::uint8_t value) noexcept {
  return static_cast<std::size_t>(
      std::find_if(bytes.begin(), bytes.end(), [value](std::uint8_t b) { return b != value; }) -
      bytes.begin());
}

}  // namespace

std::string base58_encode(ByteSpan bytes) {
  const std::size_t zeros = count_leading(bytes, 0);
  // Base-58 digits of the rest, least significant first. log(256)/log(58) < 1.37.
  std::vector<std::uint8_t> digits;
  digits.reserve((bytes.size() - zeros) * 137 / 100 + 1);
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = bytes[i];
    for (std::uint8_t& digit : digits) {
      carry += static_cast<unsigned>(digit) << 8;
      digit = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  out.reserve(zeros + digits.size());
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += kAlphabet[*it];
  return out;
}

Result<Bytes> base58_decode(std::string_view text, std::size_t max_text) {
  if (text.size() > max_text) {
    return make_error(ErrorCode::kOutOfRange, "base58: text of " + std::to_string(text.size()) +
                                                  " characters exceeds the limit of " +
                                                  std::to_string(max_text));
  }
  const std::size_t ones = static_cast<std::size_t>(
      std::find_if(text.begin(), text.end(), [](char c) { return c != '1'; }) - text.begin());
  // Base-256 bytes of the value, least significant first.
  Bytes value;
  value.reserve((text.size() - ones) * 733 / 1000 + 1);  // log(58)/log(256) < 0.733
  for (std::size_t i = ones; i < text.size(); ++i) {
    const int digit = digit_value(text[i]);
    if (digit < 0) {
      return make_error(ErrorCode::kInvalidArgument, "base58: invalid character '" + printable(text[i]) +
                                                         "' at position " + std::to_string(i));
    }
    auto carry = static_cast<unsigned>(digit);
    for (std::uint8_t& byte : value) {
      carry += static_cast<unsigned>(byte) * 58;
      byte = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      value.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  Bytes out(ones, 0);
  out.insert(out.end(), value.rbegin(), value.rend());
  return out;
}

std::string base58check_encode(ByteSpan payload) {
  Bytes framed(payload.begin(), payload.end());
  const Hash32 check = double_sha256(payload);
  framed.insert(framed.end(), check.bytes.begin(), check.bytes.begin() + kChecksumSize);
  return base58_encode(framed);
}

Result<Bytes> base58check_decode(std::string_view text, std::size_t max_text) {
  auto decoded = base58_decode(text, max_text);
  if (!decoded) return with_context(std::move(decoded).error(), "base58check");
  Bytes bytes = std::move(decoded).value();
  if (bytes.size() < kChecksumSize) {
    return make_error(ErrorCode::kMalformed, "base58check: " + std::to_string(bytes.size()) +
                                                 " decoded bytes, need at least 4 for the checksum");
  }
  const std::size_t payload_size = bytes.size() - kChecksumSize;
  const Hash32 check = double_sha256(ByteSpan(bytes.data(), payload_size));
  if (!std::equal(check.bytes.begin(), check.bytes.begin() + kChecksumSize,
                  bytes.begin() + static_cast<std::ptrdiff_t>(payload_size))) {
    return make_error(ErrorCode::kVerificationFailed, "base58check: checksum mismatch");
  }
  bytes.resize(payload_size);
  return bytes;
}

}  // namespace csd
