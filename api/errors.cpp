// SPEC 5 error bodies and RFC 3339 timestamps.
#include "api/errors.hpp"

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace csd {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::int64_t kSecondsPerDay = 86'400;
// RFC 3339 §5.6: date-fullyear is 4DIGIT.
constexpr std::int64_t kMinSeconds = -62'167'219'200;  // 0000-01-01T00:00:00Z
constexpr std::int64_t kMaxSeconds = 253'402'300'799;  // 9999-12-31T23:59:59Z

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Days since 1970-01-01 to a proleptic Gregorian date: the era-based
// algorithm of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"
// (civil_from_days), valid for every day of the clamped range.
CivilDate civil_from_days(std::int64_t days) noexcept {
  const std::int64_t z = days + 719'468;  // shift the epoch to 0000-03-01
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const auto doe = static_cast<std::uint64_t>(z - era * 146'097);                      // [0, 146096]
  const std::uint64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;  // [0, 399]
  const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                   // [0, 365]
  const std::uint64_t mp = (5 * doy + 2) / 153;                                        // [0, 11], March = 0
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{year, month, day};
}

struct UtcTime {
  std::int64_t days;  // since 1970-01-01
  CivilDate date;
  int hour;
  int minute;
  int second;
};

UtcTime split_utc(std::int64_t unix_seconds) noexcept {
  const std::int64_t t = unix_seconds < kMinSeconds   ? kMinSeconds
                         : unix_seconds > kMaxSeconds ? kMaxSeconds
                                                      : unix_seconds;
  std::int64_t days = t / kSecondsPerDay;
  std::int64_t second_of_day = t % kSecondsPerDay;
  if (second_of_day < 0) {  // floor division for times before 1970
    second_of_day += kSecondsPerDay;
    --days;
  }
  return UtcTime{days, civil_from_days(days), static_cast<int>(second_of_day / 3'600),
                 static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60)};
}

Json details_object(std::string_view details_json) {
  Json details = Json::parse(details_json, nullptr, /*allow_exceptions=*/false);
  if (details.is_discarded() || !details.is_object()) return Json::object();
  return details;
}

}  // namespace

std::string_view api_error_code_name(ApiErrorCode code) noexcept {
  switch (code) {
    case ApiErrorCode::kInvalidAddress:
      return "INVALID_ADDRESS";
    case ApiErrorCode::kInvalidParameter:
      return "INVALID_PARAMETER";
    case ApiErrorCode::kNotFound:
      return "NOT_FOUND";
    case ApiErrorCode::kMethodNotAllowed:
      return "METHOD_NOT_ALLOWED";
    case ApiErrorCode::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ApiErrorCode::kUriTooLong:
      return "URI_TOO_LONG";
    case ApiErrorCode::kHeaderTooLarge:
      return "HEADER_TOO_LARGE";
    case ApiErrorCode::kBadRequest:
      return "BAD_REQUEST";
    case ApiErrorCode::kChainNotReady:
      return "CHAIN_NOT_READY";
    case ApiErrorCode::kUnauthorized:
      return "UNAUTHORIZED";
    case ApiErrorCode::kInternal:
      return "INTERNAL";
    case ApiErrorCode::kTimeout:
      return "TIMEOUT";
    case ApiErrorCode::kServiceUnavailable:
      return "SERVICE_UNAVAILABLE";
  }
  return "INTERNAL";
}

unsigned api_error_default_status(ApiErrorCode code) noexcept {
  switch (code) {
    case ApiErrorCode::kInvalidAddress:
    case ApiErrorCode::kInvalidParameter:
    case ApiErrorCode::kBadRequest:
      return 400;
    case ApiErrorCode::kUnauthorized:
      return 401;
    case ApiErrorCode::kNotFound:
      return 404;
    case ApiErrorCode::kMethodNotAllowed:
      return 405;
    case ApiErrorCode::kTimeout:
      return 408;
    case ApiErrorCode::kPayloadTooLarge:
      return 413;
    case ApiErrorCode::kUriTooLong:
      return 414;
    case ApiErrorCode::kHeaderTooLarge:
      return 431;  // RFC 6585 §5
    case ApiErrorCode::kInternal:
      return 500;
    case ApiErrorCode::kChainNotReady:
    case ApiErrorCode::kServiceUnavailable:
      return 503;
  }
  return 500;
}

ApiResponse error_response(unsigned status, ApiErrorCode code, std::string_view message,
                           std::string_view request_id, std::int64_t now, std::string_view details_json) {
  Json error = Json::object();
  error["code"] = api_error_code_name(code);
  error["message"] = message;
  error["details"] = details_object(details_json);
  error["request_id"] = request_id;
  error["timestamp"] = rfc3339_utc(now);
  Json body = Json::object();
  body["error"] = std::move(error);

  ApiResponse response;
  response.status = status;
  // Echoed input may be invalid UTF-8: replace rather than throw (RFC 8259 §8.1).
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  response.content_type = "application/json";
  return response;
}

ApiResponse error_response(ApiErrorCode code, std::string_view message, std::string_view request_id,
                           std::int64_t now, std::string_view details_json) {
  return error_response(api_error_default_status(code), code, message, request_id, now, details_json);
}

std::string rfc3339_utc(std::int64_t unix_seconds) {
  const UtcTime t = split_utc(unix_seconds);
  std::array<char, 32> text{};
  const int n =
      std::snprintf(text.data(), text.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(t.date.year),
                    t.date.month, t.date.day, t.hour, t.minute, t.second);
  return std::string(text.data(), static_cast<std::size_t>(n));
}

std::string http_date(std::int64_t unix_seconds) {
  static constexpr std::array<const char*, 7> kWeekdays = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const UtcTime t = split_utc(unix_seconds);
  // 1970-01-01 was a Thursday; days can be negative before 1970.
  const auto weekday = static_cast<std::size_t>(((t.days % 7) + 7) % 7);
  std::array<char, 40> text{};
  const int n = std::snprintf(text.data(), text.size(), "%s, %02u %s %04d %02d:%02d:%02d GMT",
                              kWeekdays[weekday], t.date.day, kMonths[t.date.month - 1],
                              static_cast<int>(t.date.year), t.hour, t.minute, t.second);
  return std::string(text.data(), static_cast<std::size_t>(n));
}

}  // namespace csd
