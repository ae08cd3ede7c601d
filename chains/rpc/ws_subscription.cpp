#include "chains/rpc/ws_subscription.hpp"

#include <atomic>
#include <optional>
#include <random>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <openssl/evp.h>
#include <simdjson.h>

#include "chains/rpc/tls_context.hpp"
#include "chains/rpc/url.hpp"
#include "store/unix_clock.hpp"

namespace csd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCodeSys = boost::system::error_code;

std::string millis_text(std::chrono::milliseconds value) {
  return std::to_string(value.count()) + " ms";
}

// RFC 7617 Basic credentials.
std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return out;
}

// What one message is: a notification's params.result, the answer to the
// subscribe request, or something to ignore.
struct Classified {
  enum class Kind { kNotification, kSubscribed, kRejected, kIgnored, kMalformed } kind = Kind::kIgnored;
  std::string text;  // params.result (minified) or the reason
};

Classified classify(simdjson::dom::parser& parser, std::string_view message) {
  simdjson::dom::element root;
  if (parser.parse(message.data(), message.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return {Classified::Kind::kMalformed, "malformed JSON message"};
  }
  simdjson::dom::element params;
  if (root["params"].get(params) == simdjson::SUCCESS && root["method"].error() == simdjson::SUCCESS) {
    simdjson::dom::element result;
    if (params["result"].get(result) != simdjson::SUCCESS)
      return {Classified::Kind::kMalformed, "no params.result"};
    return {Classified::Kind::kNotification, simdjson::minify(result)};
  }
  simdjson::dom::element error;
  if (root["error"].get(error) == simdjson::SUCCESS && !error.is_null()) {
    return {Classified::Kind::kRejected, "subscribe rejected: " + simdjson::minify(error)};
  }
  if (root["id"].error() == simdjson::SUCCESS && root["result"].error() == simdjson::SUCCESS) {
    return {Classified::Kind::kSubscribed, {}};
  }
  return {};
}

}  // namespace

class WsSubscription::Impl {
 public:
  Impl(WsSubscriptionConfig config, Url url, std::unique_ptr<ssl::context> tls,
       NotificationHandler on_notification, StateHandler on_state)
      : config_(std::move(config)),
        url_(std::move(url)),
        tls_(std::move(tls)),
        on_notification_(std::move(on_notification)),
        on_state_(std::move(on_state)),
        rng_(std::random_device{}()) {
    stats_.set_endpoint(url_.redacted());
  }

  void start() {
    asio::post(ioc_, [this] { connect(); });
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void stop() {
    if (!thread_.joinable()) return;
    stopping_.store(true);
    ioc_.stop();
    thread_.join();
  }

  const RpcStats& stats() const noexcept { return stats_; }
  std::uint64_t subscriptions() const noexcept { return subscriptions_.load(std::memory_order_relaxed); }

  // Called by a session on the io thread.
  void on_subscribed() {
    failures_ = 0;
    subscriptions_.fetch_add(1, std::memory_order_relaxed);
    stats_.record_success();
    reported_connected_ = true;
    on_state_(true, {});
  }
  void on_message(std::string_view message, bool& subscribed, std::string& failure);
  void on_session_end(const std::string& reason);

  const WsSubscriptionConfig& config() const noexcept { return config_; }
  const Url& url() const noexcept { return url_; }
  ssl::context* tls() const noexcept { return tls_.get(); }
  asio::io_context& ioc() noexcept { return ioc_; }
  bool stopping() const noexcept { return stopping_.load(); }
  RpcStats& mutable_stats() noexcept { return stats_; }

 private:
  void connect();

  // Constant after construction.
  const WsSubscriptionConfig config_;
  const Url url_;
  const std::unique_ptr<ssl::context> tls_;
  const NotificationHandler on_notification_;
  const StateHandler on_state_;
  // Owned by the io thread.
  std::mt19937_64 rng_;
  simdjson::dom::parser parser_;
  unsigned failures_ = 0;
  bool reported_connected_ = false;
  bool reported_first_failure_ = false;
  // Any thread.
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> subscriptions_{0};
  RpcStats stats_;
  // Declared last among what sessions use: destroyed first, with the
  // pending handlers that hold the sessions.
  asio::io_context ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  asio::steady_timer reconnect_timer_{ioc_};
  std::thread thread_;
};

namespace {

// One connection: connect, handshake, subscribe, read until it fails. The
// shared_ptr held by each pending handler keeps it alive (Beast's shape).
template <class WsStream>
class Session : public std::enable_shared_from_this<Session<WsStream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<WsStream, websocket::stream<beast::tcp_stream>>;

  explicit Session(WsSubscription::Impl& owner)
      : owner_(owner), resolver_(owner.ioc()), ping_timer_(owner.ioc()), ws_(make_stream(owner)) {}

  void run() {
    owner_.mutable_stats().record_request();
    connect_deadline_ = Clock::now() + owner_.config().connect_timeout;
    ping_timer_.expires_at(connect_deadline_);  // guards resolve, which has no timeout of its own
    ping_timer_.async_wait([self = this->shared_from_this()](ErrorCodeSys ec) {
      if (!ec && !self->subscribed_)
        self->fail("no subscription within " + millis_text(self->owner_.config().connect_timeout));
    });
    resolver_.async_resolve(
        owner_.url().host, std::to_string(owner_.url().port),
        [self = this->shared_from_this()](ErrorCodeSys ec, tcp::resolver::results_type found) {
          self->on_resolve(ec, std::move(found));
        });
  }

 private:
  static WsStream make_stream(WsSubscription::Impl& owner) {
    if constexpr (kTls) {
      return WsStream(owner.ioc(), *owner.tls());
    } else {
      return WsStream(owner.ioc());
    }
  }

  void on_resolve(ErrorCodeSys ec, tcp::resolver::results_type found) {
    if (ec) return fail("resolve " + owner_.url().host + ": " + ec.message());
    beast::get_lowest_layer(ws_).expires_at(connect_deadline_);
    beast::get_lowest_layer(ws_).async_connect(
        found, [self = this->shared_from_this()](ErrorCodeSys error, const tcp::endpoint&) {
          self->on_connect(error);
        });
  }

  void on_connect(ErrorCodeSys ec) {
    if (ec) return fail("connect " + owner_.url().host_header() + ": " + ec.message());
    if constexpr (kTls) {
      if (auto prepared = rpc_detail::prepare_tls_stream(ws_.next_layer().native_handle(), owner_.url());
          !prepared) {
        return fail(prepared.error().message);
      }
      ws_.next_layer().async_handshake(ssl::stream_base::client, [self = this->shared_from_this()](
                                                                     ErrorCodeSys error) {
        if (error)
          return self->fail(rpc_detail::tls_failure_reason(self->ws_.next_layer().native_handle(), error));
        self->handshake();
      });
    } else {
      handshake();
    }
  }

  void handshake() {
    beast::get_lowest_layer(ws_).expires_never();  // the websocket timeout takes over
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout =
        std::chrono::duration_cast<std::chrono::seconds>(owner_.config().connect_timeout) +
        std::chrono::seconds(1);
    timeout.idle_timeout = websocket::stream_base::none();  // our own pings (ping_interval / pong_timeout)
    timeout.keep_alive_pings = false;
    ws_.set_option(timeout);
    ws_.read_message_max(owner_.config().max_message_bytes);
    const std::string userinfo = owner_.url().userinfo;
    ws_.set_option(websocket::stream_base::decorator([userinfo](websocket::request_type& request) {
      request.set(beast::http::field::user_agent, "chainsyncd");
      if (!userinfo.empty()) request.set(beast::http::field::authorization, "Basic " + base64(userinfo));
    }));
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { last_frame_ = Clock::now(); });
    ws_.async_handshake(owner_.url().host_header(), owner_.url().target,
                        [self = this->shared_from_this()](ErrorCodeSys ec) {
                          if (ec) return self->fail("websocket handshake: " + ec.message());
                          self->subscribe();
                        });
  }

  void subscribe() {
    ws_.text(true);
    ws_.async_write(asio::buffer(owner_.config().subscribe_request),
                    [self = this->shared_from_this()](ErrorCodeSys ec, std::size_t) {
                      if (ec) return self->fail("subscribe: " + ec.message());
                      self->read();
                    });
  }

  void read() {
    ws_.async_read(buffer_,
                   [self = this->shared_from_this()](ErrorCodeSys ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(ErrorCodeSys ec) {
    if (done_) return;
    if (ec == websocket::error::closed) return fail("closed by the server");
    if (ec) return fail("read: " + ec.message());
    last_frame_ = Clock::now();
    const auto data = buffer_.cdata();
    const std::string_view message(static_cast<const char*>(data.data()), data.size());
    const bool was_subscribed = subscribed_;
    std::string failure;
    owner_.on_message(message, subscribed_, failure);
    buffer_.clear();
    if (!failure.empty()) return fail(failure);
    if (!was_subscribed && subscribed_) schedule_ping();
    read();
  }

  // Every ping_interval a ping; any frame (pong or data) within pong_timeout
  // proves the connection alive, silence means it is dead (half-open TCP).
  void schedule_ping() {
    ping_timer_.expires_after(owner_.config().ping_interval);
    ping_timer_.async_wait([self = this->shared_from_this()](ErrorCodeSys ec) {
      if (ec || self->done_) return;
      self->ping_sent_ = Clock::now();
      self->ws_.async_ping({}, [self](ErrorCodeSys error) {
        if (error && !self->done_) self->fail("ping: " + error.message());
      });
      self->ping_timer_.expires_after(self->owner_.config().pong_timeout);
      self->ping_timer_.async_wait([self](ErrorCodeSys error) {
        if (error || self->done_) return;
        if (self->last_frame_ < self->ping_sent_) {
          return self->fail("no pong within " + millis_text(self->owner_.config().pong_timeout));
        }
        self->schedule_ping();
      });
    });
  }

  void fail(const std::string& reason) {
    if (done_) return;
    done_ = true;
    ping_timer_.cancel();
    resolver_.cancel();
    ErrorCodeSys ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    owner_.on_session_end(reason);
  }

  WsSubscription::Impl& owner_;
  tcp::resolver resolver_;
  asio::steady_timer ping_timer_;
  WsStream ws_;
  beast::flat_buffer buffer_;
  Clock::time_point connect_deadline_{};
  Clock::time_point last_frame_{};
  Clock::time_point ping_sent_{};
  bool subscribed_ = false;
  bool done_ = false;
};

}  // namespace

void WsSubscription::Impl::connect() {
  if (stopping()) return;
  if (url_.secure()) {
    std::make_shared<Session<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>>(*this)->run();
  } else {
    std::make_shared<Session<websocket::stream<beast::tcp_stream>>>(*this)->run();
  }
}

void WsSubscription::Impl::on_message(std::string_view message, bool& subscribed, std::string& failure) {
  auto classified = classify(parser_, message);
  switch (classified.kind) {
    case Classified::Kind::kNotification:
      if (subscribed) on_notification_(classified.text);
      return;
    case Classified::Kind::kSubscribed:
      if (!subscribed) {
        subscribed = true;
        on_subscribed();
      }
      return;
    case Classified::Kind::kRejected:
      if (!subscribed) failure = std::move(classified.text);
      return;
    case Classified::Kind::kMalformed:
      failure = std::move(classified.text);
      return;
    case Classified::Kind::kIgnored:
      return;
  }
}

void WsSubscription::Impl::on_session_end(const std::string& reason) {
  if (stopping()) return;
  const std::string text = url_.redacted() + ": " + reason;
  stats_.record_failure(reason.rfind("no pong", 0) == 0 || reason.rfind("no subscription", 0) == 0
                            ? RpcStats::Failure::kTimeout
                            : RpcStats::Failure::kOther,
                        text, unix_now());
  if (reported_connected_ || !reported_first_failure_) {
    reported_connected_ = false;
    reported_first_failure_ = true;
    on_state_(false, text);
  }
  ++failures_;
  reconnect_timer_.expires_after(backoff_delay(config_.reconnect, failures_, rng_()));
  reconnect_timer_.async_wait([this](ErrorCodeSys ec) {
    if (!ec) connect();
  });
}

Result<std::unique_ptr<WsSubscription>> WsSubscription::start(WsSubscriptionConfig config,
                                                              NotificationHandler on_notification,
                                                              StateHandler on_state) {
  auto url = parse_url(config.url);
  if (!url) return with_context(url.error(), "ws_url");
  if (url->scheme != "ws" && url->scheme != "wss") {
    return make_error(ErrorCode::kInvalidArgument,
                      "ws_url: " + url->redacted() + ": expected ws:// or wss://");
  }
  if (config.subscribe_request.empty())
    return make_error(ErrorCode::kInvalidArgument, "ws: empty subscribe request");
  if (!on_notification || !on_state) return make_error(ErrorCode::kInvalidArgument, "ws: missing callback");
  std::unique_ptr<ssl::context> tls;
  if (url->secure() || !config.ca_file.empty()) {
    auto context = rpc_detail::make_tls_client_context(config.ca_file);
    if (!context) return context.error();
    tls = std::move(*context);
  }
  auto impl = std::make_unique<Impl>(std::move(config), std::move(*url), std::move(tls),
                                     std::move(on_notification), std::move(on_state));
  impl->start();
  return std::unique_ptr<WsSubscription>(new WsSubscription(std::move(impl)));
}

WsSubscription::WsSubscription(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
WsSubscription::~WsSubscription() {
  stop();
}
void WsSubscription::stop() {
  impl_->stop();
}
const RpcStats& WsSubscription::stats() const noexcept {
  return impl_->stats();
}
std::uint64_t WsSubscription::subscriptions() const noexcept {
  return impl_->subscriptions();
}

}  // namespace csd
