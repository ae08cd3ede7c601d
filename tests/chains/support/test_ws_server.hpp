// TestWsServer: a scriptable local WebSocket server for the subscription
// tests. Async Beast on its own thread, 127.0.0.1 port 0. Each session
// records the subscribe request, answers it, then reads (which also answers
// pings) until dropped. Tests push notifications to every subscribed
// session, drop all connections, or make the next sessions stop reading
// (so they never answer a ping: a half-dead node).
//
// Thread safety: all public members may be called from any thread.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace csd::testing_support {

class TestWsServer {
 public:
  TestWsServer() {
    namespace asio = boost::asio;
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  TestWsServer(const TestWsServer&) = delete;
  TestWsServer& operator=(const TestWsServer&) = delete;
  ~TestWsServer() {
    work_.reset();
    ioc_.stop();
    thread_.join();
  }

  [[nodiscard]] std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/"; }

  // To every subscribed session.
  void notify(std::string text) {
    boost::asio::post(ioc_, [this, text = std::move(text)] {
      for (auto& session : sessions_) session->send(text);
    });
  }
  // Close every connection abruptly (TCP close, no WebSocket close frame).
  void drop_all() {
    boost::asio::post(ioc_, [this] {
      for (auto& session : sessions_) session->drop();
      sessions_.clear();
    });
  }
  // The next `count` sessions answer the subscription and then stop reading.
  void mute_next_sessions(int count) { mute_next_.store(count); }
  void set_subscribe_answer(std::string answer) {
    const std::lock_guard lock(mutex_);
    subscribe_answer_ = std::move(answer);
  }

  [[nodiscard]] std::vector<std::string> subscribe_requests() const {
    const std::lock_guard lock(mutex_);
    return subscribe_requests_;
  }
  [[nodiscard]] std::uint64_t connections() const noexcept { return connections_.load(); }

 private:
  using Ws = boost::beast::websocket::stream<boost::beast::tcp_stream>;

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(TestWsServer& server, boost::asio::ip::tcp::socket socket, bool muted)
        : server_(server), ws_(std::move(socket)), muted_(muted) {}

    void start() {
      ws_.async_accept([self = shared_from_this()](boost::system::error_code ec) {
        if (ec) return;
        self->ws_.async_read(self->buffer_, [self](boost::system::error_code error, std::size_t) {
          if (error) return;
          self->on_subscribe();
        });
      });
    }
    void send(const std::string& text) {
      if (!subscribed_) return;
      outbox_.push_back(text);
      if (outbox_.size() == 1) write_next();
    }
    void drop() {
      boost::system::error_code ignored;
      boost::beast::get_lowest_layer(ws_).socket().close(ignored);
    }

   private:
    void on_subscribe() {
      {
        const std::lock_guard lock(server_.mutex_);
        server_.subscribe_requests_.push_back(boost::beast::buffers_to_string(buffer_.data()));
        outbox_.push_back(server_.subscribe_answer_);
      }
      buffer_.clear();
      subscribed_ = true;
      write_next();
      if (!muted_) read_loop();
    }
    void read_loop() {
      ws_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (ec) return;
        self->buffer_.clear();
        self->read_loop();
      });
    }
    void write_next() {
      ws_.text(true);
      ws_.async_write(boost::asio::buffer(outbox_.front()),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (ec) return;
                        self->outbox_.pop_front();
                        if (!self->outbox_.empty()) self->write_next();
                      });
    }

    TestWsServer& server_;
    Ws ws_;
    boost::beast::flat_buffer buffer_;
    std::deque<std::string> outbox_;
    bool muted_;
    bool subscribed_ = false;
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
      if (ec) return;
      connections_.fetch_add(1);
      const bool muted = mute_next_.fetch_sub(1) > 0;
      auto session = std::make_shared<Session>(*this, std::move(socket), muted);
      sessions_.push_back(session);
      session->start();
      accept();
    });
  }

  boost::asio::io_context ioc_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{ioc_.get_executor()};
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  std::uint16_t port_ = 0;
  std::vector<std::shared_ptr<Session>> sessions_;  // io thread only
  std::atomic<int> mute_next_{0};
  std::atomic<std::uint64_t> connections_{0};
  mutable std::mutex mutex_;
  std::string subscribe_answer_ =
      R"({"jsonrpc":"2.0","id":1,"result":"0x9cef478923ff08bf67fde6c64013158d"})";  // guarded by mutex_
  std::vector<std::string> subscribe_requests_;                                     // guarded by mutex_
  std::thread thread_;
};

}  // namespace csd::testing_support
