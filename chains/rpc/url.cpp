#include "chains/rpc/url.hpp"

#include <algorithm>
#include <charconv>

namespace csd {
namespace {

Error bad_url(std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument, "url: " + std::string(why));
}

char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.1 percent-decoding of the userinfo ("p%40ss" -> "p@ss").
Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return bad_url("bad percent-escape in userinfo");
    const int high = hex_digit(text[i + 1]);
    const int low = hex_digit(text[i + 2]);
    if (high < 0 || low < 0) return bad_url("bad percent-escape in userinfo");
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::uint16_t default_port(std::string_view scheme) noexcept {
  return (scheme == "https" || scheme == "wss") ? 443 : 80;
}

bool valid_host_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

// host[:port] or [v6][:port] into url.host / url.port.
Status parse_authority_host(std::string_view hostport, Url& url) {
  std::string_view port_text;
  if (!hostport.empty() && hostport.front() == '[') {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return bad_url("unterminated '[' in IPv6 host");
    url.host = std::string(hostport.substr(1, close - 1));
    if (url.host.empty() || url.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos) {
      return bad_url("bad IPv6 host \"" + std::string(hostport.substr(0, close + 1)) + "\"");
    }
    const std::string_view rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad_url("unexpected text after IPv6 host");
      port_text = rest.substr(1);
      if (port_text.empty()) return bad_url("empty port");
    }
  } else {
    const auto colon = hostport.rfind(':');
    url.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = hostport.substr(colon + 1);
      if (port_text.empty()) return bad_url("empty port");
    }
    if (url.host.empty()) return bad_url("missing host");
    if (!std::all_of(url.host.begin(), url.host.end(), valid_host_char)) {
      return bad_url("bad character in host \"" + url.host + "\"");
    }
    std::transform(url.host.begin(), url.host.end(), url.host.begin(), lower);
  }
  if (port_text.empty()) {
    url.port = default_port(url.scheme);
    return {};
  }
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || value == 0 || value > 65535) {
    return bad_url("bad port \"" + std::string(port_text) + "\" (1-65535)");
  }
  url.port = static_cast<std::uint16_t>(value);
  return {};
}

}  // namespace

bool Url::secure() const noexcept {
  return scheme == "https" || scheme == "wss";
}

std::string Url::host_header() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return out + ":" + std::to_string(port);
}

std::string Url::redacted() const {
  const auto query = target.find('?');
  return scheme + "://" + host_header() + target.substr(0, query);
}

Result<Url> parse_url(std::string_view text) {
  if (text.empty()) return bad_url("empty");
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) return bad_url("contains whitespace");
  const auto sep = text.find("://");
  if (sep == std::string_view::npos)
    return bad_url("missing scheme (expected http://, https://, ws:// or wss://)");
  Url url;
  url.scheme = std::string(text.substr(0, sep));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(), lower);
  if (url.scheme != "http" && url.scheme != "https" && url.scheme != "ws" && url.scheme != "wss") {
    return bad_url("unsupported scheme \"" + url.scheme + "\" (expected http, https, ws or wss)");
  }
  std::string_view rest = text.substr(sep + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = percent_decode(authority.substr(0, at));
    if (!userinfo) return userinfo.error();
    url.userinfo = std::move(*userinfo);
    authority = authority.substr(at + 1);
  }
  if (authority.empty()) return bad_url("missing host");
  if (auto status = parse_authority_host(authority, url); !status) return status.error();
  return url;
}

}  // namespace csd
