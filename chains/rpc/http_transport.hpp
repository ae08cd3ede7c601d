// HttpTransport: the HTTP(S) client every chain client talks to its node
// through (SPEC 3.4: retries with exponential backoff and jitter, failover
// across rpc_urls; never a crash). One keep-alive connection at a time,
// Beast over OpenSSL behind a pimpl, so this header pulls in neither.
//
// Thread safety: calls from one thread at a time (the owning chain client's);
// stats() and current_endpoint() from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chains/rpc/retry_policy.hpp"
#include "chains/rpc/rpc_stats.hpp"
#include "decoders/result.hpp"

namespace csd {

struct HttpTransportConfig {
  std::vector<std::string> urls;                      // tried in order with failover (SPEC 7 rpc_urls)
  std::chrono::milliseconds connect_timeout{5'000};   // resolve + connect + TLS handshake
  std::chrono::milliseconds request_timeout{30'000};  // whole request: write + read
  std::size_t max_response_bytes = 256u << 20;  // larger: kOutOfRange error (caller may split the range)
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"TRON-PRO-API-KEY", key}
  std::string ca_file;                                       // empty: the system trust store
  RetryPolicy retry;
};

class HttpTransport {
 public:
  // Sees a 2xx body (moved in). Returning an error with code kMalformed makes
  // the transport treat the answer as a fault of the endpoint (retry, failover,
  // then that error); any other error is returned to the caller at once.
  using BodyHandler = std::function<Status(std::string body)>;

  // Validates every URL (http/https only) and the CA file; connects lazily.
  [[nodiscard]] static Result<std::unique_ptr<HttpTransport>> create(HttpTransportConfig config);
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;
  ~HttpTransport();

  // POST `body` (application/json) to the endpoint URL's target + `path` (""
  // = the URL itself, as for JSON-RPC; "/wallet/getnowblock" for TRON's HTTP
  // API). Returns the body of a 2xx answer, with capacity() >= size() +
  // simdjson::SIMDJSON_PADDING so it can be parsed in place.
  // Retries (full-jitter backoff doubling from initial to max) on connect
  // failure, reset, timeout, truncated answer, HTTP 408/429 (Retry-After
  // honoured, capped at max_backoff) and 5xx; fails over to the next URL; a
  // failed endpoint is skipped for endpoint_cooldown unless all are cooling.
  // Other 4xx: no retry, kInvalidArgument with the status and a body excerpt.
  // Errors: kTimeout, kUnavailable, kOutOfRange (answer over
  // max_response_bytes), kInvalidArgument, kCancelled (stop requested: also
  // during a backoff sleep or a slow read).
  [[nodiscard]] Result<std::string> post(std::string_view path, std::string_view body,
                                         std::stop_token stop = {});
  [[nodiscard]] Result<std::string> get(std::string_view path, std::stop_token stop = {});
  // post() whose 2xx body goes to `handler`, which may reject it as malformed
  // (then retried like a transport fault). Used by JsonRpcClient.
  [[nodiscard]] Status post_with(std::string_view path, std::string_view body, const BodyHandler& handler,
                                 std::stop_token stop = {});

  [[nodiscard]] std::string current_endpoint() const;  // redacted
  [[nodiscard]] const RpcStats& stats() const noexcept;
  // TCP(+TLS) connections opened so far (keep-alive reuse is visible here).
  [[nodiscard]] std::uint64_t connections_opened() const noexcept;

  class Impl;

 private:
  explicit HttpTransport(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd
