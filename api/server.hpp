// HttpServer: the read-only API's HTTP/1.1 server (SPEC 5) on Boost.Beast,
// behind this pimpl so no other translation unit sees Asio or Beast. It owns
// the wire: keep-alive, pipelining (answered in order), the connection cap,
// header/idle/write timeouts, the 8 KiB header limit (431), refusal of
// bodies (413), of methods other than GET/HEAD (405), of long targets (414)
// and of malformed requests (400), HEAD, X-Request-Id, and the headers every
// response carries. The meaning of a request is the ApiHandler's.
//
// Connection cap: beyond max_connections a connection is accepted, answered
// 503 SERVICE_UNAVAILABLE with "Connection: close" and closed (lingering a
// moment so the answer is not lost to a reset); at most max_connections such
// answers are in flight, beyond that the connection is closed at once. File
// descriptors are thus bounded by about 2 × max_connections, and accept
// errors (EMFILE) back off instead of stopping the acceptor.
//
// Thread safety: start() and stop() from the owning thread; the handler and
// metrics are called from the server's own worker threads (the handler
// concurrently, one request per connection at a time).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http_message.hpp"
#include "api/metrics.hpp"
#include "decoders/result.hpp"

namespace csd {

struct ServerConfig {
  std::string listen = "127.0.0.1:8645";  // host:port or [v6]:port; port 0 picks a free port (tests)
  std::size_t max_connections = 1024;     // SPEC 7 api.max_connections
  std::size_t threads = 2;                // worker threads of the server's own io_context
  std::chrono::milliseconds header_timeout{
      10'000};  // a request head must be complete this long after its first byte
  std::chrono::milliseconds idle_timeout{60'000};   // keep-alive: no new request for this long -> close
  std::chrono::milliseconds write_timeout{30'000};  // a response must be taken by the client within this
  std::size_t header_limit = 8 * 1024;              // SPEC 5: request line + fields; over -> 431
  std::size_t target_limit = 2048;                  // longer request targets -> 414
  // Unix seconds for ApiRequest::now and error timestamps; empty = system clock.
  std::function<std::int64_t()> clock{};
  // Where the server reports what it cannot answer (a handler exception, an
  // accept error); empty = silent. Called from worker threads.
  std::function<void(std::string_view)> log_error{};
};

class HttpServer {
 public:
  // Binds, listens and starts the worker threads. Errors: the listen address
  // does not parse or resolve (kInvalidArgument), bind/listen fails (kIo).
  // REQUIRES: handler and metrics non-empty; threads ≥ 1; max_connections ≥ 1.
  [[nodiscard]] static Result<std::unique_ptr<HttpServer>> start(ServerConfig config, ApiHandler handler,
                                                                 std::shared_ptr<HttpMetrics> metrics);
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the picked one when configured with port 0).
  [[nodiscard]] std::uint16_t port() const noexcept;

  // Closes the acceptor and every connection and joins the worker threads.
  // In-flight handler calls finish first; their responses are dropped.
  // Idempotent.
  void stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd
