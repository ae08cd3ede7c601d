// The pure half of reading an HTTP request (SPEC 5): request-target
// decoding (RFC 3986 §2.1 percent-encoding, RFC 9112 §3.2 target forms),
// query parsing (application/x-www-form-urlencoded: '+' is a space, a key
// without '=' has an empty value, repeated keys kept in order), the
// X-Request-Id rule, and the policy that turns a parsed request head into an
// ApiRequest or a refusal (405/413/414/400). The server (api/server.cpp)
// does the socket and Beast parsing and calls these; the fuzzer drives them
// with raw bytes.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "api/errors.hpp"
#include "api/http_message.hpp"
#include "decoders/result.hpp"

namespace csd {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Decodes %XX escapes (either hex case). Refused: a '%' not followed by two
// hex digits, a NUL byte (raw or %00), and a result that is not valid UTF-8
// (SPEC 5: UTF-8 everywhere; the text ends up in JSON). With plus_is_space,
// '+' decodes to ' ' (query components only; in a path '+' is itself).
[[nodiscard]] Result<std::string> percent_decode(std::string_view text, bool plus_is_space);

// "a=1&b=x%20y&flag&a=2" -> {a,1},{b,"x y"},{flag,""},{a,2}. Empty segments
// ("a=1&&b=2", a trailing '&') are skipped; only the first '=' splits.
// Errors name the offending parameter.
[[nodiscard]] Result<QueryParams> parse_query(std::string_view query);

struct ParsedTarget {
  std::string path;   // percent-decoded, starts with '/'
  QueryParams query;  // percent-decoded, in order
};

// Splits a request-target into decoded path and query. Accepts origin-form
// ("/p?q") and absolute-form ("http://host/p?q", RFC 9112 §3.2.2: servers
// must accept it); a fragment ('#') is never sent by a conforming client and
// is refused. ErrorCode kInvalidArgument for the path and kOutOfRange for
// the query, so the caller can answer BAD_REQUEST or INVALID_PARAMETER.
[[nodiscard]] Result<ParsedTarget> parse_target(std::string_view target);

// An X-Request-Id we echo: 1..128 characters of [A-Za-z0-9._-].
[[nodiscard]] bool is_sane_request_id(std::string_view id) noexcept;
// 16 random bytes as 32 lowercase hex digits.
[[nodiscard]] std::string request_id_from_bytes(const std::array<std::uint8_t, 16>& bytes);

// What the server's HTTP parser saw, copied out of Beast so the policy below
// stays pure.
struct RequestHead {
  std::string method;  // as sent, case-sensitive (RFC 9110 §9.1)
  std::string target;
  unsigned version = 11;                                     // 10 or 11
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  bool chunked = false;                                      // Transfer-Encoding: chunked
  std::optional<std::uint64_t> content_length;               // the parser's value
};

struct RequestLimits {
  std::size_t target_limit = 2048;  // longer -> 414
};

// A request the server answers itself with an error.
struct RequestRefusal {
  unsigned status = 400;
  ApiErrorCode code = ApiErrorCode::kBadRequest;
  std::string message;
  bool allow_header = false;  // 405: send "Allow: GET, HEAD" (RFC 9110 §15.5.6)
  bool must_close = false;    // unread body bytes may follow: close after answering
};

// Case-insensitive header lookup of the first field of that name.
[[nodiscard]] std::optional<std::string_view> find_header(const RequestHead& head,
                                                          std::string_view name) noexcept;

// The policy of SPEC 5, in this order: method other than GET/HEAD -> 405
// (RFC 9110 §15.5.6); a body (Content-Length > 0 or chunked) -> 413;
// target over limits.target_limit -> 414; HTTP/1.1 without exactly one Host
// -> 400 (RFC 9112 §3.2); bad target -> 400 BAD_REQUEST (path) or
// INVALID_PARAMETER (query). Otherwise the ApiRequest with lower-case header
// names, the given request id and time.
[[nodiscard]] std::variant<ApiRequest, RequestRefusal> interpret_head(const RequestHead& head,
                                                                      const RequestLimits& limits,
                                                                      std::string request_id,
                                                                      std::int64_t now);

// When the HTTP parser gives up on a head over the size limit, whether the
// request line alone is the problem: true (-> 414) if `received` (the bytes
// read so far) holds more than target_limit bytes without a complete request
// line, or a request line whose target is longer than target_limit; false
// (-> 431, RFC 6585 §5) when the header fields are the problem.
[[nodiscard]] bool oversized_head_is_long_target(std::string_view received,
                                                 std::size_t target_limit) noexcept;

}  // namespace csd
