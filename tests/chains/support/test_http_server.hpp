// TestHttpServer: a scriptable local HTTP(S) server for the transport tests.
// Binds 127.0.0.1 port 0, accepts on its own thread and serves each
// connection on a thread of its own (synchronous Beast), answering each
// request with the next queued Behavior (or the fallback). Every request is
// recorded with its connection number and arrival time.
//
// Thread safety: all public members may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sys/socket.h>

namespace csd::testing_support {

struct Behavior {
  unsigned status = 200;
  std::string body = "{}";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};  // before answering (a slow node)
  bool close_without_answer = false;   // read the request, then close
  bool truncate = false;               // announce the whole body, send half, close
  bool close_after = false;            // answer with Connection: close
  bool hang_up_after = false;          // answer as keep-alive, then close anyway (a stale keep-alive socket)

  static Behavior answer(unsigned code, std::string text) {
    Behavior b;
    b.status = code;
    b.body = std::move(text);
    return b;
  }
  static Behavior ok(std::string text) { return answer(200, std::move(text)); }
  static Behavior status_code(unsigned code, std::string text = "error") {
    return answer(code, std::move(text));
  }
  static Behavior rate_limited(std::string retry_after) {
    Behavior b = answer(429, "slow down");
    b.headers.emplace_back("Retry-After", std::move(retry_after));
    return b;
  }
  static Behavior closed() {
    Behavior b;
    b.close_without_answer = true;
    return b;
  }
  static Behavior truncated(std::string text) {
    Behavior b = answer(200, std::move(text));
    b.truncate = true;
    return b;
  }
  static Behavior slow(std::chrono::milliseconds wait, std::string text) {
    Behavior b = answer(200, std::move(text));
    b.delay = wait;
    return b;
  }
};

struct RecordedRequest {
  std::uint64_t connection = 0;  // 1, 2, ... in accept order
  std::string method;
  std::string target;
  std::string body;
  std::string authorization;
  std::string api_key;  // TRON-PRO-API-KEY
  std::chrono::steady_clock::time_point at;
};

class TestHttpServer {
 public:
  using Fallback = std::function<Behavior(const RecordedRequest&)>;

  // tls: serve HTTPS with this context (certificate loaded); null: plain HTTP.
  explicit TestHttpServer(std::shared_ptr<boost::asio::ssl::context> tls = nullptr) : tls_(std::move(tls)) {
    namespace asio = boost::asio;
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;
  ~TestHttpServer() { stop(); }

  void stop() {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
      for (const int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // wakes blocked reads
    }
    wake_.notify_all();
    // Wake the blocking accept with a connection of our own.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket poke(ioc);
    boost::system::error_code ignored;
    poke.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ignored);
    accept_thread_.join();
    for (auto& thread : connection_threads_) thread.join();
  }

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string url(const std::string& host = "127.0.0.1", const std::string& path = "") const {
    return std::string(tls_ ? "https" : "http") + "://" + host + ":" + std::to_string(port_) + path;
  }

  void push(Behavior behavior) {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(behavior));
  }
  void set_fallback(Fallback fallback) {
    const std::lock_guard lock(mutex_);
    fallback_ = std::move(fallback);
  }
  [[nodiscard]] std::vector<RecordedRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return recorded_;
  }
  [[nodiscard]] std::size_t request_count() const {
    const std::lock_guard lock(mutex_);
    return recorded_.size();
  }
  [[nodiscard]] std::uint64_t connections() const noexcept { return connections_.load(); }

 private:
  void accept_loop() {
    for (;;) {
      boost::asio::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      const std::lock_guard lock(mutex_);
      if (stopping_) return;
      if (ec) continue;
      const std::uint64_t id = connections_.fetch_add(1) + 1;
      open_fds_.push_back(socket.native_handle());
      connection_threads_.emplace_back(
          [this, id, s = std::make_shared<boost::asio::ip::tcp::socket>(std::move(socket))]() mutable {
            serve_connection(id, *s);
            const std::lock_guard inner(mutex_);
            std::erase(open_fds_, s->native_handle());
            boost::system::error_code ignored;
            s->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
            s->close(ignored);
          });
    }
  }

  void serve_connection(std::uint64_t id, boost::asio::ip::tcp::socket& socket) {
    if (!tls_) {
      serve(id, socket);
      return;
    }
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket&> stream(socket, *tls_);
    boost::system::error_code ec;
    stream.handshake(boost::asio::ssl::stream_base::server, ec);
    if (!ec) serve(id, stream);
  }

  Behavior next_behavior(const RecordedRequest& request) {
    const std::lock_guard lock(mutex_);
    recorded_.push_back(request);
    if (!queue_.empty()) {
      Behavior behavior = std::move(queue_.front());
      queue_.pop_front();
      return behavior;
    }
    if (fallback_) return fallback_(request);
    return Behavior::ok("{}");
  }

  // False when the server is stopping.
  bool wait(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, delay, [this] { return stopping_; });
  }

  template <class Stream>
  void serve(std::uint64_t id, Stream& stream) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      boost::system::error_code ec;
      http::read(stream, buffer, request, ec);
      if (ec) return;
      RecordedRequest recorded{id,
                               std::string(request.method_string()),
                               std::string(request.target()),
                               request.body(),
                               std::string(request[http::field::authorization]),
                               std::string(request["TRON-PRO-API-KEY"]),
                               std::chrono::steady_clock::now()};
      Behavior behavior = next_behavior(recorded);
      if (behavior.delay.count() > 0 && !wait(behavior.delay)) return;
      if (behavior.close_without_answer) return;
      if (behavior.truncate) {
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                 std::to_string(behavior.body.size()) + "\r\n\r\n" +
                                 behavior.body.substr(0, behavior.body.size() / 2);
        boost::asio::write(stream, boost::asio::buffer(head), ec);
        return;
      }
      http::response<http::string_body> response{static_cast<http::status>(behavior.status),
                                                 request.version()};
      response.set(http::field::content_type, "application/json");
      for (const auto& [name, value] : behavior.headers) response.set(name, value);
      response.body() = behavior.body;
      response.keep_alive(request.keep_alive() && !behavior.close_after);
      response.prepare_payload();
      http::write(stream, response, ec);
      if (ec || !response.keep_alive() || behavior.hang_up_after) return;
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  std::uint16_t port_ = 0;
  const std::shared_ptr<boost::asio::ssl::context> tls_;
  std::atomic<std::uint64_t> connections_{0};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                        // guarded by mutex_
  std::deque<Behavior> queue_;                   // guarded by mutex_
  Fallback fallback_;                            // guarded by mutex_
  std::vector<RecordedRequest> recorded_;        // guarded by mutex_
  std::vector<int> open_fds_;                    // guarded by mutex_
  std::vector<std::thread> connection_threads_;  // guarded by mutex_ (joined after accept_thread_)
  std::thread accept_thread_;
};

// An ssl::context serving the PKI's server certificate.
inline std::shared_ptr<boost::asio::ssl::context> make_server_tls(const std::string& cert_pem,
                                                                  const std::string& key_pem,
                                                                  const std::string& ca_pem) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  const std::string chain = cert_pem + ca_pem;
  context->use_certificate_chain(boost::asio::buffer(chain));
  context->use_private_key(boost::asio::buffer(key_pem), ssl::context::pem);
  return context;
}

}  // namespace csd::testing_support
