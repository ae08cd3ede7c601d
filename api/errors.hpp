// ApiErrorCode and error_response: the error shape of SPEC 5,
//   {"error": {"code": "…", "message": "…", "details": {…},
//              "request_id": "…", "timestamp": "…"}},
// with one stable machine code per kind of failure, shared by the server
// (wire errors: 400/405/408/413/414/431/500/503) and the router (400/401/404/503).
// Also rfc3339_utc, the one formatter of SPEC 5 timestamps, and http_date.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/http_message.hpp"

namespace csd {

// Stable machine codes of SPEC 5's error shape. Names never change once
// published: clients switch on them.
enum class ApiErrorCode {
  kInvalidAddress,    // 400 INVALID_ADDRESS: a path/query address that does not parse or fails EIP-55
  kInvalidParameter,  // 400 INVALID_PARAMETER: any other bad parameter (the message names it)
  kNotFound,          // 404 NOT_FOUND: unknown route or object
  kMethodNotAllowed,  // 405 METHOD_NOT_ALLOWED (with Allow: GET, HEAD)
  kPayloadTooLarge,   // 413 PAYLOAD_TOO_LARGE: any request body (SPEC 5: bodies are refused)
  kUriTooLong,        // 414 URI_TOO_LONG
  kHeaderTooLarge,    // 431 HEADER_TOO_LARGE: request head over 8 KiB (RFC 6585 §5)
  kBadRequest,        // 400 BAD_REQUEST: malformed request line, header or percent-encoding
  kChainNotReady,     // 503 CHAIN_NOT_READY: the chain has not indexed enough to answer (details: its status)
  kUnauthorized,      // 401 UNAUTHORIZED: missing, wrong or stale signature / token
  kInternal,          // 500 INTERNAL: a bug or an unreadable database; the message says no more than that
  kTimeout,           // 408 TIMEOUT: the request head did not arrive within the header timeout
  kServiceUnavailable,  // 503 SERVICE_UNAVAILABLE: connection cap reached, server shutting down
};

// "INVALID_ADDRESS", "INVALID_PARAMETER", "NOT_FOUND", ... (upper snake case).
[[nodiscard]] std::string_view api_error_code_name(ApiErrorCode code) noexcept;

// The HTTP status each code is normally sent with (400, 404, 405, ...).
[[nodiscard]] unsigned api_error_default_status(ApiErrorCode code) noexcept;

// The SPEC 5 error body with that status: Content-Type application/json,
// route "unmatched" (the router overwrites route when it matched one).
// `details_json` is the text of a JSON object ("{}" by default); text that is
// not a JSON object is a caller bug and is replaced by {} rather than sent.
// Invalid UTF-8 in the message (echoed input) is replaced by U+FFFD.
// `now` is unix seconds; the timestamp is rfc3339_utc(now).
[[nodiscard]] ApiResponse error_response(unsigned status, ApiErrorCode code, std::string_view message,
                                         std::string_view request_id, std::int64_t now,
                                         std::string_view details_json = "{}");

// Same, with api_error_default_status(code).
[[nodiscard]] ApiResponse error_response(ApiErrorCode code, std::string_view message,
                                         std::string_view request_id, std::int64_t now,
                                         std::string_view details_json = "{}");

// RFC 3339 UTC with seconds, e.g. 951782400 -> "2000-02-29T00:00:00Z".
// Proleptic Gregorian calendar computed with integer arithmetic (no <ctime>,
// no locale or TZ state). RFC 3339 years have four digits, so the result is
// clamped to 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z (the store uses
// INT64_MAX for "forever").
[[nodiscard]] std::string rfc3339_utc(std::int64_t unix_seconds);

// The HTTP Date header's IMF-fixdate (RFC 9110 §5.6.7), e.g. 784111777 ->
// "Sun, 06 Nov 1994 08:49:37 GMT"; same arithmetic and clamping as rfc3339_utc.
[[nodiscard]] std::string http_date(std::int64_t unix_seconds);

}  // namespace csd
