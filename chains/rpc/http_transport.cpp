#include "chains/rpc/http_transport.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/evp.h>
#include <simdjson.h>

#include "chains/rpc/tls_context.hpp"
#include "chains/rpc/url.hpp"
#include "store/unix_clock.hpp"

namespace csd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCodeSys = boost::system::error_code;

constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;
constexpr std::size_t kExcerptChars = 200;
constexpr std::uint32_t kHeaderLimit = 64u << 10;  // some providers send long CORS/tracing headers

// RFC 7617 Basic credentials.
std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return out;
}

// A log-safe start of an error body: printable ASCII only.
std::string excerpt(std::string_view body) {
  std::string out;
  for (const char c : body.substr(0, kExcerptChars)) out.push_back(c >= 0x20 && c < 0x7f ? c : ' ');
  if (body.size() > kExcerptChars) out += "...";
  return out;
}

// The URL's path + `path`, the URL's query kept at the end.
std::string join_target(const std::string& base, std::string_view path) {
  if (path.empty()) return base;
  const auto query = base.find('?');
  std::string out = base.substr(0, query);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (path.front() != '/') out.push_back('/');
  out += path;
  if (query != std::string::npos) out += base.substr(query);
  return out;
}

std::string millis_text(std::chrono::milliseconds value) {
  return std::to_string(value.count()) + " ms";
}

struct Endpoint {
  Url url;
  Clock::time_point cooling_until{};
};

// Why one attempt failed and what the retry loop should do about it.
struct AttemptFailure {
  Error error;
  bool retryable = true;
  RpcStats::Failure kind = RpcStats::Failure::kOther;
  std::optional<std::chrono::milliseconds> retry_after;
  bool before_answer = false;  // nothing of an answer arrived: a stale keep-alive socket looks like this
  bool passthrough = false;    // the BodyHandler's own error: returned to the caller as it is
};

AttemptFailure fatal(Error error) {
  return AttemptFailure{std::move(error), false, RpcStats::Failure::kOther, {}, false, false};
}

AttemptFailure unavailable(std::string message, bool before_answer = false) {
  return AttemptFailure{make_error(ErrorCode::kUnavailable, std::move(message)),
                        true,
                        RpcStats::Failure::kOther,
                        {},
                        before_answer,
                        false};
}

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One open connection to one endpoint.
struct Connection {
  std::size_t endpoint = 0;
  std::unique_ptr<PlainStream> plain;
  std::unique_ptr<TlsStream> tls;
  beast::flat_buffer buffer;
  std::uint64_t exchanges = 0;  // answers read on it: > 0 means a reused keep-alive socket

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  template <class F>
  decltype(auto) visit(F&& f) {
    if (tls) return f(*tls);
    return f(*plain);
  }
};

// Errors of a write or read on an open connection.
AttemptFailure io_failure(const ErrorCodeSys& ec, std::string_view phase, std::chrono::milliseconds timeout,
                          bool nothing_read) {
  if (ec == beast::error::timeout) {
    return AttemptFailure{
        make_error(ErrorCode::kTimeout, std::string(phase) + ": no answer within " + millis_text(timeout)),
        true,
        RpcStats::Failure::kTimeout,
        {},
        false,
        false};
  }
  if (ec == asio::error::operation_aborted) return fatal(make_error(ErrorCode::kCancelled, "cancelled"));
  if (ec == http::error::body_limit) {
    return fatal(make_error(ErrorCode::kOutOfRange, "answer larger than max_response_bytes"));
  }
  if (ec == http::error::partial_message) return unavailable(std::string(phase) + ": truncated answer");
  if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated) {
    return unavailable(std::string(phase) + ": connection closed by the server (" + ec.message() + ")",
                       nothing_read);
  }
  return unavailable(std::string(phase) + ": " + ec.message(), nothing_read);
}

}  // namespace

class HttpTransport::Impl {
 public:
  Impl(HttpTransportConfig config, std::vector<Endpoint> endpoints, std::unique_ptr<ssl::context> tls)
      : config_(std::move(config)),
        endpoints_(std::move(endpoints)),
        tls_(std::move(tls)),
        rng_(std::random_device{}()) {
    stats_.set_endpoint(endpoints_.front().url.redacted());
  }

  Status exchange(http::verb verb, std::string_view path, std::string_view body, const BodyHandler& handler,
                  std::stop_token stop);

  std::string current_endpoint() const {
    return endpoints_[current_.load(std::memory_order_relaxed)].url.redacted();
  }
  const RpcStats& stats() const noexcept { return stats_; }
  std::uint64_t connections_opened() const noexcept {
    return connections_opened_.load(std::memory_order_relaxed);
  }

 private:
  template <class Start>
  ErrorCodeSys run(Start&& start, std::optional<Clock::time_point> deadline = {},
                   const std::function<void()>& on_deadline = {});
  std::size_t choose_endpoint() const;
  void use_endpoint(std::size_t index);
  std::optional<AttemptFailure> attempt(std::size_t index, http::verb verb, std::string_view path,
                                        std::string_view body, const BodyHandler& handler);
  std::optional<AttemptFailure> attempt_on_connection(http::verb verb, std::string_view path,
                                                      std::string_view body, const BodyHandler& handler);
  std::optional<AttemptFailure> connect(std::size_t index);
  std::optional<AttemptFailure> handle_answer(http::response<http::string_body>&& answer,
                                              const BodyHandler& handler);
  http::request<http::string_body> make_request(http::verb verb, std::string_view path,
                                                std::string_view body) const;
  bool sleep(std::chrono::milliseconds delay);  // false: cancelled
  void cancel_if_stopping();
  void close_connection() noexcept;

  // Constant after construction.
  const HttpTransportConfig config_;
  // Owned by the calling thread (one at a time).
  std::vector<Endpoint> endpoints_;
  std::unique_ptr<ssl::context> tls_;  // null when no URL is https
  asio::io_context ioc_{1};
  tcp::resolver resolver_{ioc_};
  asio::steady_timer timer_{ioc_};
  std::optional<Connection> conn_;
  std::stop_token stop_;
  std::mt19937_64 rng_;
  // Read from any thread.
  std::atomic<std::size_t> current_{0};
  std::atomic<std::uint64_t> connections_opened_{0};
  RpcStats stats_;
};

// Drives the io_context on the calling thread until the operation started by
// `start` completes; past `deadline`, on_deadline() runs once (it cancels).
template <class Start>
ErrorCodeSys HttpTransport::Impl::run(Start&& start, std::optional<Clock::time_point> deadline,
                                      const std::function<void()>& on_deadline) {
  std::optional<ErrorCodeSys> result;
  start([&result](ErrorCodeSys ec, auto&&...) { result = ec; });
  ioc_.restart();
  bool fired = false;
  while (!result) {
    if (deadline && !fired) {
      ioc_.run_one_until(*deadline);
      if (!result && Clock::now() >= *deadline) {
        fired = true;
        on_deadline();
      }
    } else if (ioc_.run_one() == 0) {
      break;  // out of work without a completion: cannot happen, but never spin
    }
  }
  return result.value_or(asio::error::operation_aborted);
}

void HttpTransport::Impl::cancel_if_stopping() {
  // A cancel posted for an earlier call finds a fresh token here and does nothing.
  if (!stop_.stop_requested()) return;
  timer_.cancel();
  resolver_.cancel();
  if (conn_) conn_->lowest().cancel();
}

void HttpTransport::Impl::close_connection() noexcept {
  if (!conn_) return;
  ErrorCodeSys ignored;
  conn_->lowest().socket().close(ignored);
  conn_.reset();
}

bool HttpTransport::Impl::sleep(std::chrono::milliseconds delay) {
  if (delay.count() <= 0) return !stop_.stop_requested();
  timer_.expires_after(delay);
  (void)run([this](auto handler) { timer_.async_wait(std::move(handler)); });
  return !stop_.stop_requested();
}

// SPEC 7: rpc_urls in order; the first one not cooling down, else the one
// whose cooldown ends first.
std::size_t HttpTransport::Impl::choose_endpoint() const {
  const auto now = Clock::now();
  std::size_t best = 0;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (endpoints_[i].cooling_until <= now) return i;
    if (endpoints_[i].cooling_until < endpoints_[best].cooling_until) best = i;
  }
  return best;
}

void HttpTransport::Impl::use_endpoint(std::size_t index) {
  if (current_.load(std::memory_order_relaxed) == index) return;
  current_.store(index, std::memory_order_relaxed);
  stats_.set_endpoint(endpoints_[index].url.redacted());
}

Status HttpTransport::Impl::exchange(http::verb verb, std::string_view path, std::string_view body,
                                     const BodyHandler& handler, std::stop_token stop) {
  stop_ = stop;
  const std::stop_callback on_stop(stop, [this] { asio::post(ioc_, [this] { cancel_if_stopping(); }); });
  const Error cancelled = make_error(ErrorCode::kCancelled, "rpc: cancelled");
  const unsigned max_attempts = std::max(1u, config_.retry.max_attempts);
  std::size_t index = choose_endpoint();
  use_endpoint(index);
  unsigned failures = 0;
  for (unsigned attempt_number = 1;; ++attempt_number) {
    if (stop.stop_requested()) return cancelled;
    auto failure = attempt(index, verb, path, body, handler);
    if (!failure) {
      endpoints_[index].cooling_until = {};
      return {};
    }
    if (stop.stop_requested()) return cancelled;
    const std::string where = "rpc " + endpoints_[index].url.redacted();
    if (failure->passthrough) return std::move(failure->error);
    if (!failure->retryable) return with_context(std::move(failure->error), where);
    ++failures;
    endpoints_[index].cooling_until = Clock::now() + config_.retry.endpoint_cooldown;
    if (attempt_number >= max_attempts) {
      return with_context(std::move(failure->error),
                          where + " (gave up after " + std::to_string(attempt_number) + " attempts)");
    }
    const std::size_t next = choose_endpoint();
    // A healthy other endpoint is tried at once; otherwise back off (SPEC 3.4).
    if (next == index || endpoints_[next].cooling_until > Clock::now()) {
      auto delay = backoff_delay(config_.retry, failures, rng_());
      if (failure->retry_after && next == index) {
        delay = std::max(delay, std::min(*failure->retry_after, config_.retry.max_backoff));
      }
      if (!sleep(delay)) return cancelled;
    }
    if (next != index) {
      stats_.record_failover();
      close_connection();
      index = next;
      use_endpoint(index);
    }
  }
}

std::optional<AttemptFailure> HttpTransport::Impl::attempt(std::size_t index, http::verb verb,
                                                           std::string_view path, std::string_view body,
                                                           const BodyHandler& handler) {
  stats_.record_request();
  const auto started = Clock::now();
  std::optional<AttemptFailure> failure;
  // A request on a reused keep-alive socket that the server had closed fails
  // before any byte of answer: retried at once on a fresh connection.
  for (int pass = 0; pass < 2; ++pass) {
    if (conn_ && conn_->endpoint != index) close_connection();
    if (!conn_) {
      failure = connect(index);
      if (failure) break;
    }
    const bool reused = conn_->exchanges > 0;
    failure = attempt_on_connection(verb, path, body, handler);
    if (!failure || !failure->before_answer || !reused || stop_.stop_requested()) break;
  }
  stats_.record_latency(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
  if (!failure) {
    stats_.record_success();
  } else if (failure->error.code != ErrorCode::kCancelled) {
    stats_.record_failure(failure->kind, endpoints_[index].url.redacted() + ": " + failure->error.message,
                          unix_now());
  }
  return failure;
}

std::optional<AttemptFailure> HttpTransport::Impl::connect(std::size_t index) {
  const Url& url = endpoints_[index].url;
  const auto deadline = Clock::now() + config_.connect_timeout;
  const auto timed_out = [&](std::string_view phase) {
    return AttemptFailure{
        make_error(ErrorCode::kTimeout, std::string(phase) + " " + url.host_header() + ": no answer within " +
                                            millis_text(config_.connect_timeout)),
        true,
        RpcStats::Failure::kTimeout,
        {},
        false,
        false};
  };
  tcp::resolver::results_type addresses;
  bool resolve_timed_out = false;
  auto ec = run(
      [&](auto handler) {
        resolver_.async_resolve(url.host, std::to_string(url.port),
                                [&addresses, handler = std::move(handler)](
                                    ErrorCodeSys error, tcp::resolver::results_type found) mutable {
                                  addresses = std::move(found);
                                  handler(error);
                                });
      },
      deadline,
      [&] {
        resolve_timed_out = true;
        resolver_.cancel();
      });
  if (stop_.stop_requested()) return fatal(make_error(ErrorCode::kCancelled, "cancelled"));
  if (resolve_timed_out) return timed_out("resolve");
  if (ec) return unavailable("resolve " + url.host + ": " + ec.message());

  Connection conn;
  conn.endpoint = index;
  if (url.secure()) {
    conn.tls = std::make_unique<TlsStream>(ioc_, *tls_);
  } else {
    conn.plain = std::make_unique<PlainStream>(ioc_);
  }
  conn_ = std::move(conn);
  conn_->lowest().expires_at(deadline);  // covers connect and the TLS handshake
  ec = run([&](auto handler) { conn_->lowest().async_connect(addresses, std::move(handler)); });
  if (!ec && conn_->tls) {
    if (auto prepared = rpc_detail::prepare_tls_stream(conn_->tls->native_handle(), url); !prepared) {
      close_connection();
      return fatal(prepared.error());
    }
    ec =
        run([&](auto handler) { conn_->tls->async_handshake(ssl::stream_base::client, std::move(handler)); });
    if (ec && ec != beast::error::timeout && ec != asio::error::operation_aborted) {
      std::string reason = rpc_detail::tls_failure_reason(conn_->tls->native_handle(), ec);
      close_connection();
      return unavailable(url.host_header() + ": " + reason);
    }
  }
  if (ec) {
    close_connection();
    if (ec == asio::error::operation_aborted) return fatal(make_error(ErrorCode::kCancelled, "cancelled"));
    if (ec == beast::error::timeout) return timed_out("connect");
    return unavailable("connect " + url.host_header() + ": " + ec.message());
  }
  conn_->lowest().expires_never();
  connections_opened_.fetch_add(1, std::memory_order_relaxed);
  return std::nullopt;
}

http::request<http::string_body> HttpTransport::Impl::make_request(http::verb verb, std::string_view path,
                                                                   std::string_view body) const {
  const Url& url = endpoints_[conn_->endpoint].url;
  http::request<http::string_body> request{verb, join_target(url.target, path), 11};
  request.set(http::field::host, url.host_header());
  request.set(http::field::user_agent, "chainsyncd");
  request.set(http::field::accept, "application/json");
  if (!url.userinfo.empty()) request.set(http::field::authorization, "Basic " + base64(url.userinfo));
  for (const auto& [name, value] : config_.headers) request.set(name, value);
  if (verb == http::verb::post) {
    request.set(http::field::content_type, "application/json");
    request.body() = std::string(body);
  }
  request.keep_alive(true);
  request.prepare_payload();
  return request;
}

std::optional<AttemptFailure> HttpTransport::Impl::attempt_on_connection(http::verb verb,
                                                                         std::string_view path,
                                                                         std::string_view body,
                                                                         const BodyHandler& handler) {
  auto request = make_request(verb, path, body);
  conn_->lowest().expires_after(config_.request_timeout);  // one deadline for write + read
  auto ec = run([&](auto done) {
    conn_->visit([&](auto& stream) { http::async_write(stream, request, std::move(done)); });
  });
  if (ec) {
    close_connection();
    return io_failure(ec, "write", config_.request_timeout, true);
  }
  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(config_.max_response_bytes);
  ec = run([&](auto done) {
    conn_->visit(
        [&](auto& stream) { http::async_read_header(stream, conn_->buffer, parser, std::move(done)); });
  });
  if (!ec) {
    // Room for simdjson's padding up front, so the body is never copied to add it.
    if (const auto length = parser.content_length())
      parser.get().body().reserve(static_cast<std::size_t>(*length) + kPadding);
    ec = run([&](auto done) {
      conn_->visit([&](auto& stream) { http::async_read(stream, conn_->buffer, parser, std::move(done)); });
    });
  }
  if (ec) {
    const bool nothing_read = !parser.got_some() && conn_->buffer.size() == 0;
    close_connection();
    return io_failure(ec, "read", config_.request_timeout, nothing_read);
  }
  ++conn_->exchanges;
  conn_->lowest().expires_never();
  auto answer = parser.release();
  if (!answer.keep_alive()) close_connection();
  return handle_answer(std::move(answer), handler);
}

std::optional<AttemptFailure> HttpTransport::Impl::handle_answer(http::response<http::string_body>&& answer,
                                                                 const BodyHandler& handler) {
  const unsigned status = answer.result_int();
  std::string& body = answer.body();
  if (status / 100 == 2) {
    if (body.capacity() < body.size() + kPadding) body.reserve(body.size() + kPadding);
    if (!handler) return std::nullopt;
    auto handled = handler(std::move(body));
    if (handled) return std::nullopt;
    Error error = std::move(handled).error();
    // A malformed answer is a fault of the endpoint (SPEC 3.4): retry, fail over.
    if (error.code == ErrorCode::kMalformed)
      return AttemptFailure{std::move(error), true, RpcStats::Failure::kOther, {}, false, false};
    AttemptFailure failure = fatal(std::move(error));
    failure.passthrough = true;
    return failure;
  }
  const std::string text =
      "HTTP " + std::to_string(status) + " " + std::string(answer.reason()) + ": " + excerpt(body);
  if (status == 429) {
    // RFC 6585 §4 with RFC 9110 §10.2.3 Retry-After.
    AttemptFailure failure{
        make_error(ErrorCode::kUnavailable, text), true, RpcStats::Failure::kRateLimited, {}, false, false};
    if (const auto it = answer.find(http::field::retry_after); it != answer.end()) {
      if (const auto delay =
              parse_retry_after(std::string_view(it->value().data(), it->value().size()), unix_now())) {
        failure.retry_after = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min(*delay, std::chrono::duration_cast<std::chrono::seconds>(config_.retry.max_backoff) +
                                 std::chrono::seconds(1)));
      }
    }
    return failure;
  }
  if (status >= 500 || status == 408) return unavailable(text);
  return fatal(make_error(ErrorCode::kInvalidArgument, text));
}

Result<std::unique_ptr<HttpTransport>> HttpTransport::create(HttpTransportConfig config) {
  if (config.urls.empty())
    return make_error(ErrorCode::kInvalidArgument, "rpc: no URL configured (rpc_urls is empty)");
  std::vector<Endpoint> endpoints;
  bool any_secure = false;
  for (const auto& text : config.urls) {
    auto url = parse_url(text);
    if (!url) return with_context(url.error(), "rpc_urls");
    if (url->scheme != "http" && url->scheme != "https") {
      return make_error(ErrorCode::kInvalidArgument,
                        "rpc_urls: " + url->redacted() + ": expected http:// or https://");
    }
    any_secure = any_secure || url->secure();
    endpoints.push_back(Endpoint{std::move(*url), {}});
  }
  std::unique_ptr<ssl::context> tls;
  if (any_secure || !config.ca_file.empty()) {
    auto context = rpc_detail::make_tls_client_context(config.ca_file);
    if (!context) return context.error();
    tls = std::move(*context);
  }
  auto impl = std::make_unique<Impl>(std::move(config), std::move(endpoints), std::move(tls));
  return std::unique_ptr<HttpTransport>(new HttpTransport(std::move(impl)));
}

HttpTransport::HttpTransport(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
HttpTransport::~HttpTransport() = default;

Result<std::string> HttpTransport::post(std::string_view path, std::string_view body, std::stop_token stop) {
  std::string out;
  auto status = impl_->exchange(
      http::verb::post, path, body,
      [&out](std::string text) {
        out = std::move(text);
        return Status{};
      },
      std::move(stop));
  if (!status) return std::move(status).error();
  return out;
}

Result<std::string> HttpTransport::get(std::string_view path, std::stop_token stop) {
  std::string out;
  auto status = impl_->exchange(
      http::verb::get, path, {},
      [&out](std::string text) {
        out = std::move(text);
        return Status{};
      },
      std::move(stop));
  if (!status) return std::move(status).error();
  return out;
}

Status HttpTransport::post_with(std::string_view path, std::string_view body, const BodyHandler& handler,
                                std::stop_token stop) {
  return impl_->exchange(http::verb::post, path, body, handler, std::move(stop));
}

std::string HttpTransport::current_endpoint() const {
  return impl_->current_endpoint();
}
const RpcStats& HttpTransport::stats() const noexcept {
  return impl_->stats();
}
std::uint64_t HttpTransport::connections_opened() const noexcept {
  return impl_->connections_opened();
}

}  // namespace csd
