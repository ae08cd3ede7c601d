// HttpTestClient: a small HTTP/1.1 client over a real loopback socket for the
// api tests (server and routes). One connection, reused across requests
// (keep-alive) and reopened when the server closed it. Every operation runs
// under a generous deadline; a transport failure is reported as status 0 with
// the reason in `body`, so a test fails with a message instead of hanging.
//
//   HttpTestClient client{server->port()};
//   const auto response = client.get("/v1/status", {{"X-Request-Id", "abc"}});
//   EXPECT_EQ(response.status, 200);
//   EXPECT_EQ(response.header("content-type"), "application/json");
//
// Raw mode for malformed input and pipelining: send_raw(bytes), then
// read_response() once per expected answer, or read_until_close().
//
// Not thread-safe: one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace csd::testing_support {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpTestResponse {
  unsigned status = 0;  // 0: no response (the reason is in body)
  HttpHeaders headers;  // names lower-case, in order
  std::string body;

  [[nodiscard]] std::optional<std::string> header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return std::nullopt;
  }
  // Whether the server said it closes the connection after this response.
  [[nodiscard]] bool closes() const {
    const auto connection = header("connection");
    return connection && connection->find("close") != std::string::npos;
  }
};

class HttpTestClient {
 public:
  explicit HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(60))
      : port_(port), timeout_(timeout) {}

  // GET (or any method) with optional headers; Host is added unless given.
  HttpTestResponse get(std::string_view target, const HttpHeaders& headers = {}) {
    return request("GET", target, headers);
  }
  HttpTestResponse head(std::string_view target, const HttpHeaders& headers = {}) {
    return request("HEAD", target, headers);
  }
  HttpTestResponse request(std::string_view method, std::string_view target, const HttpHeaders& headers = {},
                           std::string_view body = {}) {
    std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
    bool has_host = false;
    for (const auto& [name, value] : headers) {
      has_host = has_host || name == "Host" || name == "host";
      text += name + ": " + value + "\r\n";
    }
    if (!has_host) text += "Host: 127.0.0.1\r\n";
    if (!body.empty()) text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    text += "\r\n";
    text += body;
    // A kept-alive connection the server has since closed: retry once on a fresh one.
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = stream_.has_value();
      if (!send_raw(text)) return failure("send failed: " + error_);
      HttpTestResponse response = read_response(method == "HEAD");
      if (response.status != 0 || !reused) return response;
      close();
    }
    return failure("no response on a fresh connection: " + error_);
  }

  // Opens the connection if needed; false (reason in last_error()) on failure.
  bool connect() {
    if (stream_) return true;
    stream_.emplace(ioc_);
    buffer_.clear();
    boost::system::error_code result = boost::asio::error::would_block;
    stream_->expires_after(timeout_);
    stream_->async_connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_),
                           [&](boost::system::error_code ec) { result = ec; });
    run();
    if (result) {
      error_ = "connect: " + result.message();
      stream_.reset();
      return false;
    }
    return true;
  }

  // Writes bytes as they are (malformed requests, pipelines, partial heads).
  bool send_raw(std::string_view bytes) {
    if (!connect()) return false;
    boost::system::error_code result = boost::asio::error::would_block;
    stream_->expires_after(timeout_);
    boost::asio::async_write(*stream_, boost::asio::buffer(bytes.data(), bytes.size()),
                             [&](boost::system::error_code ec, std::size_t) { result = ec; });
    run();
    if (result) {
      error_ = "write: " + result.message();
      return false;
    }
    return true;
  }

  // Reads one response (for a HEAD request pass head_request: no body follows).
  HttpTestResponse read_response(bool head_request = false) {
    if (!stream_) return failure("not connected");
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head_request);
    boost::system::error_code result = boost::asio::error::would_block;
    stream_->expires_after(timeout_);
    boost::beast::http::async_read(*stream_, buffer_, parser,
                                   [&](boost::system::error_code ec, std::size_t) { result = ec; });
    run();
    if (result) {
      close();
      return failure("read: " + result.message());
    }
    const auto& message = parser.get();
    HttpTestResponse response;
    response.status = message.result_int();
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
      response.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    response.body = message.body();
    if (!message.keep_alive()) close();
    return response;
  }

  // Everything the server sends until it closes the connection (or the
  // deadline passes: then timed_out() is true).
  std::string read_until_close() {
    std::string out;
    timed_out_ = false;
    if (!stream_) return out;
    const auto data = buffer_.cdata();
    out.append(static_cast<const char*>(data.data()), data.size());
    buffer_.clear();
    std::string chunk(4096, '\0');
    stream_->expires_after(timeout_);
    for (;;) {
      boost::system::error_code result = boost::asio::error::would_block;
      std::size_t n = 0;
      stream_->async_read_some(boost::asio::buffer(chunk),
                               [&](boost::system::error_code ec, std::size_t got) {
                                 result = ec;
                                 n = got;
                               });
      run();
      out.append(chunk.data(), n);
      if (result) {
        timed_out_ = result == boost::beast::error::timeout;
        break;
      }
    }
    close();
    return out;
  }

  // True when the server closed the connection (EOF or reset) before the deadline.
  bool wait_closed_by_peer() {
    read_until_close();
    return !timed_out_;
  }

  void close() {
    if (!stream_) return;
    boost::system::error_code ignored;
    stream_->socket().close(ignored);
    stream_.reset();
    buffer_.clear();
  }

  [[nodiscard]] bool connected() const { return stream_.has_value(); }
  [[nodiscard]] bool timed_out() const { return timed_out_; }
  [[nodiscard]] const std::string& last_error() const { return error_; }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }
  HttpTestResponse failure(std::string reason) {
    error_ = reason;
    HttpTestResponse response;
    response.body = std::move(reason);
    return response;
  }

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::string error_;
  bool timed_out_ = false;
};

}  // namespace csd::testing_support
