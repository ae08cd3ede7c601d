// Url: a node endpoint (SPEC 7 rpc_urls / ws_url) split into what a client
// connects to. Parsing is strict and names what is wrong; userinfo is kept
// for HTTP Basic auth but never appears in redacted() (logs, /v1/status).
//
// Thread safety: a plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decoders/result.hpp"

namespace csd {

struct Url {
  std::string scheme;      // "http" "https" "ws" "wss" (lower-cased)
  std::string host;        // no brackets for IPv6
  std::uint16_t port = 0;  // defaulted from the scheme
  std::string target;      // path + query, "/" when empty
  std::string userinfo;    // "user:pass" if given (percent-decoded; sent as Basic auth), never logged

  [[nodiscard]] bool secure() const noexcept;  // https / wss
  // scheme://host:port/path without userinfo or query (for logs, status).
  [[nodiscard]] std::string redacted() const;
  // host:port as the HTTP Host header wants it (RFC 9110 §7.2), IPv6 in brackets.
  [[nodiscard]] std::string host_header() const;
};

// Accepts scheme://[userinfo@]host[:port][/path][?query]; a fragment is
// dropped (RFC 3986 §3.5: never sent). Errors are kInvalidArgument.
[[nodiscard]] Result<Url> parse_url(std::string_view text);

}  // namespace csd
