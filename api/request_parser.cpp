// Request-target decoding, query parsing, X-Request-Id and the SPEC 5 policy
// on request heads. No I/O: the fuzzer drives everything here.
#include "api/request_parser.hpp"

#include <algorithm>

#include "decoders/hex.hpp"

namespace csd {
namespace {

constexpr std::size_t kQuoteLimit = 40;

// Raw request text as it may appear in an error message: printable ASCII
// only, bounded, so a message never carries control bytes or megabytes.
std::string quote(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, kQuoteLimit)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > kQuoteLimit) out += "...";
  return out;
}

// Well-formed UTF-8 per RFC 3629 §4 (no overlongs, no surrogates, ≤ U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      len = 3;
      if (b0 == 0xe0) lo = 0xa0;  // overlong
      if (b0 == 0xed) hi = 0x9f;  // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      len = 4;
      if (b0 == 0xf0) lo = 0x90;  // overlong
      if (b0 == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return false;
    }
    if (text.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf)) return false;
    }
    i += len;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lx = (x >= 'A' && x <= 'Z') ? static_cast<char>(x - 'A' + 'a') : x;
           const auto ly = (y >= 'A' && y <= 'Z') ? static_cast<char>(y - 'A' + 'a') : y;
           return lx == ly;
         });
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// RFC 9112 §3.2.2 absolute-form: strip "scheme://authority", keep the rest
// (an empty path is "/"). Returns nullopt when target is not absolute-form.
std::optional<std::string_view> strip_absolute_form(std::string_view target) noexcept {
  std::size_t scheme_end = std::string_view::npos;
  if (target.size() > 7 && iequals(target.substr(0, 7), "http://")) scheme_end = 7;
  if (target.size() > 8 && iequals(target.substr(0, 8), "https://")) scheme_end = 8;
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::size_t path_start = target.find_first_of("/?", scheme_end);
  if (path_start == std::string_view::npos) return std::string_view("/");
  return target.substr(path_start);
}

RequestRefusal refuse(unsigned status, ApiErrorCode code, std::string message) {
  RequestRefusal refusal;
  refusal.status = status;
  refusal.code = code;
  refusal.message = std::move(message);
  return refusal;
}

}  // namespace

Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG
      const int hi = i + 1 < text.size() ? hex_digit_value(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_digit_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return make_error(ErrorCode::kInvalidArgument,
                          "invalid percent-escape at offset " + std::to_string(i) + " (expected %XX)");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (out.find('\0') != std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument, "contains a NUL byte");
  }
  if (!is_valid_utf8(out)) return make_error(ErrorCode::kInvalidArgument, "is not valid UTF-8");
  return out;
}

Result<QueryParams> parse_query(std::string_view query) {
  QueryParams params;
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view segment = query.substr(start, end - start);
    start = end + 1;
    if (segment.empty()) continue;
    const std::size_t eq = segment.find('=');
    const std::string_view raw_key = segment.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : segment.substr(eq + 1);
    auto key = percent_decode(raw_key, true);
    if (!key) {
      return make_error(ErrorCode::kOutOfRange,
                        "query parameter name '" + quote(raw_key) + "': " + key.error().message);
    }
    auto value = percent_decode(raw_value, true);
    if (!value) {
      return make_error(ErrorCode::kOutOfRange,
                        "query parameter '" + quote(*key) + "': value " + value.error().message);
    }
    params.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

Result<ParsedTarget> parse_target(std::string_view target) {
  std::string_view rest = target;
  bool absolute = false;
  if (const auto stripped = strip_absolute_form(target)) {
    rest = *stripped;
    absolute = true;
  }
  // "http://host?q" has an empty path, which is "/" (RFC 9112 §3.2.2).
  if (!absolute && (rest.empty() || rest.front() != '/')) {
    return make_error(ErrorCode::kInvalidArgument,
                      "request target '" + quote(target) + "' must start with '/' (origin-form)");
  }
  if (rest.find('#') != std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument, "request target must not contain a fragment ('#')");
  }
  const std::size_t question = rest.find('?');
  auto path = percent_decode(rest.substr(0, question), false);
  if (!path) return make_error(ErrorCode::kInvalidArgument, "request path " + path.error().message);
  ParsedTarget parsed;
  parsed.path = path->empty() ? std::string("/") : std::move(*path);
  if (question != std::string_view::npos) {
    auto query = parse_query(rest.substr(question + 1));
    if (!query) return std::move(query).error();
    parsed.query = std::move(*query);
  }
  return parsed;
}

bool is_sane_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string request_id_from_bytes(const std::array<std::uint8_t, 16>& bytes) {
  return to_hex(ByteSpan(bytes.data(), bytes.size()), false);
}

std::optional<std::string_view> find_header(const RequestHead& head, std::string_view name) noexcept {
  for (const auto& [field, value] : head.headers) {
    if (iequals(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::variant<ApiRequest, RequestRefusal> interpret_head(const RequestHead& head, const RequestLimits& limits,
                                                        std::string request_id, std::int64_t now) {
  if (head.method != "GET" && head.method != "HEAD") {
    RequestRefusal refusal = refuse(405, ApiErrorCode::kMethodNotAllowed,
                                    "method '" + quote(head.method) + "' is not allowed; use GET or HEAD");
    refusal.allow_header = true;
    // A body may follow that we never read: do not parse it as the next request.
    refusal.must_close = head.chunked || head.content_length.value_or(0) > 0;
    return refusal;
  }
  if (head.chunked || head.content_length.value_or(0) > 0) {
    RequestRefusal refusal =
        refuse(413, ApiErrorCode::kPayloadTooLarge, "request bodies are not accepted (the API is read-only)");
    refusal.must_close = true;
    return refusal;
  }
  if (head.target.size() > limits.target_limit) {
    return refuse(414, ApiErrorCode::kUriTooLong,
                  "request target of " + std::to_string(head.target.size()) + " bytes exceeds the limit of " +
                      std::to_string(limits.target_limit));
  }
  if (head.version >= 11) {
    const auto hosts = std::count_if(head.headers.begin(), head.headers.end(),
                                     [](const auto& field) { return iequals(field.first, "host"); });
    if (hosts != 1) {
      return refuse(400, ApiErrorCode::kBadRequest, "an HTTP/1.1 request needs exactly one Host header");
    }
  }
  auto target = parse_target(head.target);
  if (!target) {
    const bool query = target.error().code == ErrorCode::kOutOfRange;
    return refuse(400, query ? ApiErrorCode::kInvalidParameter : ApiErrorCode::kBadRequest,
                  target.error().message);
  }
  ApiRequest request;
  request.method = head.method;
  request.path = std::move(target->path);
  request.raw_target = head.target;
  request.query = std::move(target->query);
  request.headers.reserve(head.headers.size());
  for (const auto& [name, value] : head.headers) request.headers.emplace_back(to_lower(name), value);
  request.request_id = std::move(request_id);
  request.now = now;
  return request;
}

bool oversized_head_is_long_target(std::string_view received, std::size_t target_limit) noexcept {
  const std::size_t line_end = received.find('\n');
  if (line_end == std::string_view::npos) return received.size() > target_limit;
  const std::string_view line = received.substr(0, line_end);
  const std::size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos) return false;
  const std::size_t second_space = line.find(' ', first_space + 1);
  const std::size_t target_end = second_space == std::string_view::npos ? line.size() : second_space;
  return target_end - first_space - 1 > target_limit;
}

}  // namespace csd
