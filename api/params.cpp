// Parameter parsing of the read-only API; see api/params.hpp.
#include "api/params.hpp"

#include <limits>
#include <string>
#include <utility>

#include "decoders/evm_address.hpp"
#include "decoders/hex.hpp"
#include "decoders/solana_pubkey.hpp"
#include "decoders/tron_address.hpp"

namespace csd {
namespace {

constexpr std::size_t kQuoteMax = 80;

Error param_error(std::string_view name, std::string_view text, std::string_view why) {
  std::string message(name);
  message += " '";
  message += quote_input(text);
  message += "': ";
  message += why;
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

bool all_digits(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Digits → value; false on overflow. REQUIRES: all_digits(text).
bool digits_to_u64(std::string_view text, std::uint64_t& out) noexcept {
  std::uint64_t value = 0;
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return false;
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

// Fixed-width digits at text[pos, pos + width).
bool fixed_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) noexcept {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
// Low-Level Date Algorithms", days_from_civil).
std::int64_t days_from_civil(int year, int month, int day) noexcept {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

bool is_leap(int year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

// RFC 3339 §5.6 date-time; nullopt when malformed or out of range.
std::optional<std::int64_t> parse_rfc3339(std::string_view text) noexcept {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!fixed_digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
      !fixed_digits(text, 5, 2, month) || text[7] != '-' || !fixed_digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !fixed_digits(text, 11, 2, hour) || text[13] != ':' ||
      !fixed_digits(text, 14, 2, minute) || text[16] != ':' || !fixed_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  if (second == 60) second = 59;  // RFC 3339 §5.7: a leap second; unix time has none
  std::size_t pos = 19;
  if (text[pos] == '.') {  // time-secfrac: truncated
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int off_hour = 0, off_minute = 0;
    if (!fixed_digits(text, pos + 1, 2, off_hour) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !fixed_digits(text, pos + 4, 2, off_minute) || off_hour > 23 || off_minute > 59) {
      return std::nullopt;
    }
    offset_s = (off_hour * 3600 + off_minute * 60) * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  return days_from_civil(year, month, day) * 86'400 + hour * 3600 + minute * 60 + second - offset_s;
}

}  // namespace

std::string quote_input(std::string_view text) {
  std::string out;
  const std::size_t n = text.size() < kQuoteMax ? text.size() : kQuoteMax;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    out.push_back(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
  }
  if (text.size() > kQuoteMax) out += "...";
  return out;
}

Result<EvmAddress> parse_bsc_address_param(std::string_view name, std::string_view text) {
  auto parsed = parse_evm_address(text);
  if (!parsed) {
    if (parsed.error().code == ErrorCode::kVerificationFailed) {
      return param_error(name, text,
                         "EIP-55 checksum mismatch: mixed-case BSC addresses must carry a valid checksum "
                         "(or give the address all in lowercase)");
    }
    return param_error(
        name, text, "not a BSC address (expected 0x followed by 40 hex digits): " + parsed.error().message);
  }
  return parsed;
}

Result<TronAddress> parse_tron_address_param(std::string_view name, std::string_view text) {
  auto parsed = parse_tron_address(text);
  if (!parsed) {
    return param_error(
        name, text, "not a TRON address (expected base58check starting with T): " + parsed.error().message);
  }
  return parsed;
}

Result<SolanaPubkey> parse_solana_param(std::string_view name, std::string_view text) {
  auto parsed = parse_solana_pubkey(text);
  if (!parsed) {
    return param_error(name, text,
                       "not a Solana address (expected base58 of 32 bytes): " + parsed.error().message);
  }
  return parsed;
}

Result<Hash32> parse_id_param(std::string_view name, std::string_view text) {
  const std::string_view digits = has_hex_prefix(text) ? text.substr(2) : text;
  if (digits.size() != 64) {
    return param_error(
        name, text,
        "must be 64 hex digits (0x optional), got " + std::to_string(digits.size()) + " characters");
  }
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (hex_digit_value(digits[i]) < 0) {
      return param_error(name, text, "non-hex character at position " + std::to_string(i + 1));
    }
  }
  auto parsed = fixed_from_hex<Hash32>(digits);
  if (!parsed) return param_error(name, text, parsed.error().message);
  return parsed;
}

Result<std::uint64_t> parse_uint_param(std::string_view name, std::string_view text, std::uint64_t max) {
  if (!text.empty() && text[0] == '-') return param_error(name, text, "must not be negative");
  if (!all_digits(text)) return param_error(name, text, "must be a non-negative decimal integer");
  std::uint64_t value = 0;
  if (!digits_to_u64(text, value) || value > max) {
    return param_error(name, text, "must be at most " + std::to_string(max));
  }
  return value;
}

Result<std::int64_t> parse_time_param(std::string_view name, std::string_view text) {
  if (all_digits(text)) {
    auto value = parse_uint_param(name, text, kMaxPageOffset);
    if (!value) return std::move(value).error();
    return static_cast<std::int64_t>(*value);
  }
  if (auto seconds = parse_rfc3339(text)) return *seconds;
  return param_error(name, text, "must be unix seconds or an RFC 3339 date-time like 2026-04-30T12:00:00Z");
}

Result<Decimal> parse_decimal_param(std::string_view name, std::string_view text) {
  auto parsed = parse_decimal(text);
  if (!parsed) {
    return param_error(name, text, "must be a non-negative decimal number like 0.10 (digits and one '.')");
  }
  return parsed;
}

Status check_query_names(const ApiRequest& request, std::span<const std::string_view> allowed) {
  for (std::size_t i = 0; i < request.query.size(); ++i) {
    const std::string& key = request.query[i].first;
    bool known = false;
    for (const std::string_view name : allowed) known = known || key == name;
    if (!known) {
      std::string message = "unknown query parameter '" + quote_input(key) + "'";
      if (allowed.empty()) {
        message += ": this route takes no query parameters";
      } else {
        message += ": accepted are ";
        for (std::size_t j = 0; j < allowed.size(); ++j) {
          if (j > 0) message += ", ";
          message += allowed[j];
        }
      }
      return make_error(ErrorCode::kInvalidArgument, std::move(message));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (request.query[j].first == key) {
        return make_error(ErrorCode::kInvalidArgument,
                          "query parameter '" + quote_input(key) + "' given more than once");
      }
    }
  }
  return {};
}

}  // namespace csd
