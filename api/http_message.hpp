// ApiRequest / ApiResponse: what the HTTP server (api/server.*) hands the
// router (api/router.*) and gets back. The server owns the wire (parsing,
// limits, timeouts, keep-alive); the router owns the meaning (routes,
// parameters, views, auth). Neither sees the other's types, so the router is
// testable without sockets and the server without a store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace csd {

struct ApiRequest {
  std::string method;      // "GET" or "HEAD" (the server answers every other method itself)
  std::string path;        // percent-decoded path, e.g. "/v1/access/0xabc…"
  std::string raw_target;  // the request target exactly as received (signature auth signs the path as sent)
  std::vector<std::pair<std::string, std::string>> query;    // percent-decoded, in order of appearance
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string request_id;  // the client's sane X-Request-Id, else one the server generated
  std::int64_t now = 0;    // unix seconds when the request was read

  // The first header/query parameter of that (lower-case) name.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view lower_name) const noexcept {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return std::string_view(value);
    }
    return std::nullopt;
  }
  [[nodiscard]] std::optional<std::string_view> query_param(std::string_view name) const noexcept {
    for (const auto& [key, value] : query) {
      if (key == name) return std::string_view(value);
    }
    return std::nullopt;
  }
};

struct ApiResponse {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, WWW-Authenticate, …)
  // The route template for metrics labels, e.g. "/v1/access/{address}";
  // "unmatched" for a 404 on an unknown path (keeps label cardinality bounded).
  std::string route = "unmatched";
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

}  // namespace csd
