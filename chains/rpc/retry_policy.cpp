#include "chains/rpc/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

namespace csd {
namespace {

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<int> number(std::string_view text) noexcept {
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<int> month_index(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm, public domain).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "HH:MM:SS" to seconds.
std::optional<int> time_of_day(std::string_view text) noexcept {
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  const auto h = number(text.substr(0, 2));
  const auto m = number(text.substr(3, 2));
  const auto s = number(text.substr(6, 2));
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
  return *h * 3600 + *m * 60 + *s;
}

std::optional<std::int64_t> unix_time(int year, std::string_view month, int day,
                                      std::string_view clock) noexcept {
  const auto mon = month_index(month);
  const auto tod = time_of_day(clock);
  if (!mon || !tod || day < 1 || day > 31 || year < 1970) return std::nullopt;
  return days_from_civil(year, static_cast<unsigned>(*mon + 1), static_cast<unsigned>(day)) * 86400 + *tod;
}

// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94
// 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994" (RFC 9110 §5.6.7).
std::optional<std::int64_t> parse_http_date(std::string_view text) noexcept {
  if (const auto comma = text.find(", "); comma != std::string_view::npos) {
    std::string_view rest = text.substr(comma + 2);
    if (rest.size() == 24 && rest.substr(20) == " GMT" && rest[2] == ' ' && rest[6] == ' ') {
      const auto day = number(rest.substr(0, 2));
      const auto year = number(rest.substr(7, 4));
      if (!day || !year) return std::nullopt;
      return unix_time(*year, rest.substr(3, 3), *day, rest.substr(12, 8));
    }
    if (rest.size() == 22 && rest.substr(18) == " GMT" && rest[2] == '-' && rest[6] == '-') {
      const auto day = number(rest.substr(0, 2));
      const auto yy = number(rest.substr(7, 2));
      if (!day || !yy) return std::nullopt;
      // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the past century.
      return unix_time(*yy < 70 ? 2000 + *yy : 1900 + *yy, rest.substr(3, 3), *day, rest.substr(10, 8));
    }
    return std::nullopt;
  }
  if (text.size() == 24 && text[3] == ' ' && text[7] == ' ' && text[10] == ' ' && text[19] == ' ') {
    const auto day = number(trim(text.substr(8, 2)));
    const auto year = number(text.substr(20, 4));
    if (!day || !year) return std::nullopt;
    return unix_time(*year, text.substr(4, 3), *day, text.substr(11, 8));
  }
  return std::nullopt;
}

}  // namespace

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, unsigned failures,
                                        std::uint64_t random) noexcept {
  const auto initial = static_cast<std::uint64_t>(std::max<std::int64_t>(0, policy.initial_backoff.count()));
  const auto maximum = static_cast<std::uint64_t>(std::max<std::int64_t>(0, policy.max_backoff.count()));
  const unsigned shift = std::min(failures > 0 ? failures - 1 : 0u, 40u);
  std::uint64_t cap = initial << shift;
  if (cap > maximum || (shift > 0 && (cap >> shift) != initial)) cap = maximum;  // also catches overflow
  const std::uint64_t drawn = cap == 0 ? 0 : random % (cap + 1);
  return std::chrono::milliseconds(static_cast<std::int64_t>(drawn));
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix_seconds) noexcept {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t seconds = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc{})
      return std::chrono::seconds(std::int64_t{1} << 40);  // absurdly large: capped by caller
    (void)ptr;
    return std::chrono::seconds(seconds);
  }
  const auto at = parse_http_date(value);
  if (!at) return std::nullopt;
  return std::chrono::seconds(std::max<std::int64_t>(0, *at - now_unix_seconds));
}

}  // namespace csd
