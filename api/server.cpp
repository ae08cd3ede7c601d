// HttpServer on Boost.Beast: a listener accepting on its io_context and one
// Session per connection on its own strand, in the shape of Beast's
// http_server_async example (STYLE "Asio/Beast"): do_x/on_x pairs and
// shared_from_this keeping a session alive while an operation is pending.
// Every read and write runs under a deadline (one timer per session that
// cancels the socket's operations when it fires).
#include "api/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "api/beast_request_head.hpp"
#include "api/errors.hpp"
#include "api/request_parser.hpp"

namespace csd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 4096;
// Pipelined requests may sit in a connection's buffer beyond the head being parsed.
constexpr std::size_t kPipelineSlack = 64 * 1024;
// Lingering close (as nginx's lingering_close): after the last response, read
// and discard what the client still sends for a while, so closing with unread
// bytes does not reset the connection before the client has read the answer.
constexpr std::chrono::milliseconds kLingerTime{2'000};
constexpr std::size_t kLingerBytes = 64 * 1024;
constexpr std::chrono::milliseconds kAcceptBackoff{50};

Result<tcp::endpoint> resolve_listen(std::string_view listen, asio::io_context& ioc) {
  std::string_view host;
  std::string_view port_text;
  if (!listen.empty() && listen.front() == '[') {
    const std::size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return make_error(ErrorCode::kInvalidArgument,
                        "api.listen: '" + std::string(listen) + "' is not [v6]:port");
    }
    host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument,
                        "api.listen: '" + std::string(listen) + "' is not host:port");
    }
    host = listen.substr(0, colon);
    port_text = listen.substr(colon + 1);
  }
  unsigned port = 0;
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return make_error(ErrorCode::kInvalidArgument,
                      "api.listen: port '" + std::string(port_text) + "' is not 0..65535");
  }
  for (const char c : port_text) port = port * 10 + static_cast<unsigned>(c - '0');
  if (port > 65'535) {
    return make_error(ErrorCode::kInvalidArgument,
                      "api.listen: port '" + std::string(port_text) + "' is not 0..65535");
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(std::string(host), ec);
  if (!ec) return tcp::endpoint(address, static_cast<std::uint16_t>(port));
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(std::string(host), std::string(port_text), ec);
  if (ec || results.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "api.listen: cannot resolve host '" + std::string(host) + "': " + ec.message());
  }
  return results.begin()->endpoint();
}

bool is_token_char(char c) noexcept {  // RFC 9110 §5.6.2 tchar
  constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kExtra.find(c) != std::string_view::npos;
}

// Headers the server sets itself; a handler's copy would contradict them.
bool is_server_owned(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 7> kOwned = {
      "content-length", "transfer-encoding", "connection", "content-type", "x-request-id",
      "date",           "cache-control"};
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return std::find(kOwned.begin(), kOwned.end(), lower) != kOwned.end();
}

bool is_safe_header(std::string_view name, std::string_view value) noexcept {
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) return false;
  // No CR/LF/NUL: a handler must not be able to split the response.
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

class Session;

// Everything the listener and the sessions share. HttpServer::Impl is this.
struct ServerState {
  ServerState(ServerConfig config_in, ApiHandler handler_in, std::shared_ptr<HttpMetrics> metrics_in)
      : config(std::move(config_in)),
        handler(std::move(handler_in)),
        metrics(std::move(metrics_in)),
        rng(std::random_device{}()),
        work(asio::make_work_guard(ioc)) {}

  void do_accept();
  void on_accept(boost::system::error_code ec, tcp::socket socket);
  void run_worker();
  void stop();
  void unregister(std::uint64_t id, bool rejecting);
  [[nodiscard]] std::string new_request_id();
  [[nodiscard]] std::int64_t now() const;
  void log(std::string_view text) const {
    if (config.log_error) config.log_error(text);
  }

  // Constant after start().
  const ServerConfig config;
  const ApiHandler handler;
  const std::shared_ptr<HttpMetrics> metrics;
  std::uint16_t port = 0;

  std::mutex rng_mutex;
  std::mt19937_64 rng;  // guarded by rng_mutex; per server (STYLE: no global RNG)

  std::mutex sessions_mutex;
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions;  // guarded by sessions_mutex
  std::uint64_t next_session_id = 0;                                   // guarded by sessions_mutex
  std::size_t active = 0;     // serving sessions; guarded by sessions_mutex
  std::size_t rejecting = 0;  // sessions answering 503; guarded by sessions_mutex

  // Declared after everything a Session touches in its destructor: the
  // io_context's destruction destroys the pending handlers and with them the
  // sessions they keep alive.
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_backoff{ioc};
  std::vector<std::thread> threads;  // owned by the thread that called start()/stop()
  bool stopped = false;              // owner thread only
};

}  // namespace

struct HttpServer::Impl : ServerState {
  using ServerState::ServerState;
};

namespace {

// One connection. All its handlers run on its strand (the socket's executor).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerState& server, tcp::socket socket, std::uint64_t id, bool rejecting)
      : server_(server),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        buffer_(server.config.header_limit + kPipelineSlack),
        id_(id),
        rejecting_(rejecting) {}
  ~Session() { server_.unregister(id_, rejecting_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);  // small responses, often pipelined
    if (rejecting_) {
      reject();
    } else {
      wait_for_request();
    }
  }

  // From HttpServer::stop() once the worker threads have been joined.
  void close_now() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  // One deadline per phase (idle wait, request head, write, lingering
  // close): when it passes, the pending socket operation is cancelled and its
  // handler sees timed_out_.
  void arm(std::chrono::milliseconds timeout) {
    timed_out_ = false;
    timer_.expires_after(timeout);
    timer_.async_wait(
        [self = shared_from_this(), generation = ++timer_generation_](boost::system::error_code ec) {
          if (ec || generation != self->timer_generation_) return;  // re-armed or cancelled meanwhile
          self->timed_out_ = true;
          boost::system::error_code ignored;
          self->socket_.cancel(ignored);
        });
  }

  void reject() {
    const std::string id = server_.new_request_id();
    ApiResponse response = error_response(
        ApiErrorCode::kServiceUnavailable,
        "too many connections (api.max_connections = " + std::to_string(server_.config.max_connections) +
            "); retry later",
        id, server_.now());
    response.headers.emplace_back("Retry-After", "1");
    server_.metrics->connection_rejected();
    answer(std::move(response), id, false, false, 11, Clock::now());
  }

  void wait_for_request() {
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(server_.config.header_limit, UINT32_MAX)));
    if (buffer_.size() > 0) {  // a pipelined request is already here
      read_head();
      return;
    }
    arm(server_.config.idle_timeout);
    socket_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              self->on_first_bytes(ec, n);
                            });
  }

  void on_first_bytes(boost::system::error_code ec, std::size_t n) {
    if (ec) {
      if (timed_out_) server_.metrics->idle_timeout();
      finish();  // idle timeout, the client closed, or the server stops: nothing to answer
      return;
    }
    buffer_.commit(n);
    read_head();
  }

  void read_head() {
    arm(server_.config.header_timeout);
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) { self->on_head(ec, n); });
  }

  void on_head(boost::system::error_code ec, std::size_t head_size) {
    started_ = Clock::now();
    if (!ec && head_size > server_.config.header_limit) {
      // Beast applies header_limit to the request line and to the fields
      // separately; SPEC 5's 8 KiB is the whole head.
      answer_oversized(parser_->get().target().size() > server_.config.target_limit);
      return;
    }
    if (ec) {
      on_head_error(ec);
      return;
    }
    RequestHead head = request_head_from(*parser_);
    const auto client_id = find_header(head, "x-request-id");
    std::string id =
        client_id && is_sane_request_id(*client_id) ? std::string(*client_id) : server_.new_request_id();
    const std::int64_t now = server_.now();
    auto outcome = interpret_head(head, RequestLimits{server_.config.target_limit}, id, now);
    if (auto* refusal = std::get_if<RequestRefusal>(&outcome)) {
      ApiResponse response = error_response(refusal->status, refusal->code, refusal->message, id, now);
      if (refusal->allow_header) response.headers.emplace_back("Allow", "GET, HEAD");
      const bool keep_alive = !refusal->must_close && parser_->keep_alive();
      answer(std::move(response), id, false, keep_alive, head.version, started_);
      return;
    }
    const ApiRequest& request = std::get<ApiRequest>(outcome);
    answer(call_handler(request), id, request.method == "HEAD", parser_->keep_alive(), head.version,
           started_);
  }

  void on_head_error(boost::system::error_code ec) {
    const std::string id = server_.new_request_id();
    if (timed_out_) {
      server_.metrics->header_timeout();
      answer(error_response(ApiErrorCode::kTimeout,
                            "the request head did not arrive within the header timeout", id, server_.now()),
             id, false, false, 11, started_);
      return;
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      const auto data = buffer_.cdata();
      const std::string_view received(static_cast<const char*>(data.data()), data.size());
      answer_oversized(oversized_head_is_long_target(received, server_.config.target_limit));
      return;
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::partial_message && ec != http::error::end_of_stream) {
      answer(
          error_response(ApiErrorCode::kBadRequest, "malformed request: " + ec.message(), id, server_.now()),
          id, false, false, 11, started_);
      return;
    }
    finish();  // the client went away mid-request, or the server stops
  }

  // 414 when the request line is what is too long, else 431 (RFC 6585 §5); then close.
  void answer_oversized(bool long_target) {
    const std::string id = server_.new_request_id();
    const std::string limit =
        std::to_string(long_target ? server_.config.target_limit : server_.config.header_limit);
    answer(long_target
               ? error_response(ApiErrorCode::kUriTooLong,
                                "request target exceeds the limit of " + limit + " bytes", id, server_.now())
               : error_response(ApiErrorCode::kHeaderTooLarge,
                                "request head exceeds the limit of " + limit + " bytes", id, server_.now()),
           id, false, false, 11, started_);
  }

  ApiResponse call_handler(const ApiRequest& request) {
    try {
      return server_.handler(request);
    } catch (const std::exception& e) {
      server_.log("api: handler failed on " + request.method + " " + request.path + ": " + e.what());
    } catch (...) {
      server_.log("api: handler failed on " + request.method + " " + request.path + ": unknown exception");
    }
    return error_response(ApiErrorCode::kInternal, "internal error", request.request_id, request.now);
  }

  template <class Body>
  void set_common_fields(http::response<Body>& res, const ApiResponse& response, const std::string& id,
                         bool keep_alive) {
    res.set(http::field::content_type,
            response.content_type.empty() ? "application/json" : response.content_type);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Request-Id", id);
    res.set(http::field::date, http_date(server_.now()));  // RFC 9110 §6.6.1
    for (const auto& [name, value] : response.headers) {
      if (is_safe_header(name, value) && !is_server_owned(name)) res.insert(name, value);
    }
    res.keep_alive(keep_alive);
  }

  void answer(ApiResponse response, const std::string& id, bool head_only, bool keep_alive, unsigned version,
              Clock::time_point started) {
    if (response.status < 200 || response.status > 599) {
      server_.log("api: handler returned status " + std::to_string(response.status) + " on a request");
      response = error_response(ApiErrorCode::kInternal, "internal error", id, server_.now());
    }
    if (response.status == 204 || response.status == 304) response.body.clear();  // RFC 9110 §15.3.5, §15.4.5
    const unsigned status = response.status;
    server_.metrics->record(response.route, status,
                            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
    std::optional<http::message_generator> message;
    if (head_only) {
      // RFC 9110 §9.3.2: the GET's headers, Content-Length included, no content.
      http::response<http::empty_body> res{static_cast<http::status>(status), version};
      set_common_fields(res, response, id, keep_alive);
      res.content_length(response.body.size());
      message.emplace(std::move(res));
    } else {
      http::response<http::string_body> res{static_cast<http::status>(status), version};
      set_common_fields(res, response, id, keep_alive);
      res.body() = std::move(response.body);
      res.prepare_payload();
      message.emplace(std::move(res));
    }
    arm(server_.config.write_timeout);
    beast::async_write(socket_, std::move(*message),
                       [self = shared_from_this(), keep_alive](boost::system::error_code ec, std::size_t) {
                         self->on_written(ec, keep_alive);
                       });
  }

  void on_written(boost::system::error_code ec, bool keep_alive) {
    if (ec) {
      finish();
      return;
    }
    if (keep_alive) {
      wait_for_request();
    } else {
      linger_close();
    }
  }

  void linger_close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    arm(kLingerTime);
    do_linger();
  }

  void do_linger() {
    socket_.async_read_some(asio::buffer(linger_),
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ >= kLingerBytes) {
                                self->finish();
                              } else {
                                self->do_linger();
                              }
                            });
  }

  void finish() {
    ++timer_generation_;
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  ServerState& server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::array<char, 4096> linger_{};
  std::size_t lingered_ = 0;
  Clock::time_point started_{};
  bool timed_out_ = false;
  std::uint64_t timer_generation_ = 0;
  const std::uint64_t id_;
  const bool rejecting_;
};

void ServerState::do_accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void ServerState::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;  // stopping
  if (ec) {
    // EMFILE/ENFILE/ENOBUFS: back off and retry rather than spin or stop serving.
    log("api: accept failed: " + ec.message());
    accept_backoff.expires_after(kAcceptBackoff);
    accept_backoff.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec) do_accept();
    });
    return;
  }
  std::shared_ptr<Session> session;
  {
    const std::lock_guard lock(sessions_mutex);
    const bool serve = active < config.max_connections;
    if (serve || rejecting < config.max_connections) {
      const std::uint64_t id = next_session_id++;
      session = std::make_shared<Session>(*this, std::move(socket), id, !serve);
      sessions.emplace(id, session);
      ++(serve ? active : rejecting);
      if (serve) metrics->connection_opened();
    }
  }
  if (session) {
    session->start();
  } else {
    metrics->connection_rejected();  // beyond even the 503 budget: close at once
    boost::system::error_code ignored;
    socket.close(ignored);
  }
  do_accept();
}

void ServerState::unregister(std::uint64_t id, bool was_rejecting) {
  const std::lock_guard lock(sessions_mutex);
  sessions.erase(id);
  if (was_rejecting) {
    --rejecting;
  } else {
    --active;
    metrics->connection_closed();
  }
}

std::string ServerState::new_request_id() {
  std::array<std::uint8_t, 16> bytes{};
  {
    const std::lock_guard lock(rng_mutex);
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
      std::uint64_t word = rng();
      for (std::size_t k = 0; k < 8; ++k, word >>= 8) bytes[i + k] = static_cast<std::uint8_t>(word & 0xff);
    }
  }
  return request_id_from_bytes(bytes);
}

std::int64_t ServerState::now() const {
  if (config.clock) return config.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void ServerState::run_worker() {
  // An exception escaping a handler ends only the operation that threw
  // (its session is released); the worker keeps serving everyone else.
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      log(std::string("api: worker caught: ") + e.what());
    } catch (...) {
      log("api: worker caught an unknown exception");
    }
  }
}

void ServerState::stop() {
  if (stopped) return;
  stopped = true;
  work.reset();
  ioc.stop();
  for (auto& thread : threads) {
    if (thread.joinable()) thread.join();
  }
  // No worker runs now: close what is open. The sessions themselves go when
  // the io_context is destroyed with the handlers that hold them.
  boost::system::error_code ignored;
  acceptor.close(ignored);
  accept_backoff.cancel();
  std::vector<std::shared_ptr<Session>> open;
  {
    const std::lock_guard lock(sessions_mutex);
    for (auto& [id, weak] : sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (auto& session : open) session->close_now();
}

}  // namespace

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  stop();
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(ServerConfig config, ApiHandler handler,
                                                      std::shared_ptr<HttpMetrics> metrics) {
  if (!handler || !metrics || config.threads == 0 || config.max_connections == 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "api: server needs a handler, metrics, threads ≥ 1 and max_connections ≥ 1");
  }
  auto impl = std::make_unique<Impl>(std::move(config), std::move(handler), std::move(metrics));
  auto endpoint = resolve_listen(impl->config.listen, impl->ioc);
  if (!endpoint) return std::move(endpoint).error();
  boost::system::error_code ec;
  auto fail = [&](std::string_view what) {
    return make_error(ErrorCode::kIo,
                      "api.listen " + impl->config.listen + ": " + std::string(what) + ": " + ec.message());
  };
  impl->acceptor.open(endpoint->protocol(), ec);
  if (ec) return fail("open");
  impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("SO_REUSEADDR");
  impl->acceptor.bind(*endpoint, ec);
  if (ec) return fail("bind");
  impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  impl->port = impl->acceptor.local_endpoint(ec).port();
  if (ec) return fail("local_endpoint");
  impl->do_accept();
  Impl* raw = impl.get();
  for (std::size_t i = 0; i < raw->config.threads; ++i)
    raw->threads.emplace_back([raw] { raw->run_worker(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::uint16_t HttpServer::port() const noexcept {
  return impl_->port;
}

void HttpServer::stop() {
  if (impl_) impl_->stop();
}

}  // namespace csd
