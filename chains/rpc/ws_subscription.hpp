// WsSubscription: one JSON-RPC subscription over WebSocket (ws/wss), e.g.
// eth_subscribe("newHeads") or Solana's programSubscribe, kept alive with
// pings and re-established with backoff forever (SPEC 3.1/3.2). A missed
// message is never a missed block: on_state tells the caller when to poll.
// Beast over OpenSSL behind a pimpl, on its own thread.
//
// Thread safety: start()/stop() from the owner's thread; the callbacks run on
// the subscription's thread (never after stop() returns); stats() from any
// thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "chains/rpc/retry_policy.hpp"
#include "chains/rpc/rpc_stats.hpp"
#include "decoders/result.hpp"

namespace csd {

struct WsSubscriptionConfig {
  std::string url;  // ws:// or wss://
  std::string
      subscribe_request;  // e.g. {"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}
  std::chrono::milliseconds ping_interval{
      20'000};  // a ping this often; no pong/any frame within pong_timeout -> reconnect
  std::chrono::milliseconds pong_timeout{10'000};
  std::chrono::milliseconds connect_timeout{
      10'000};  // resolve + connect + TLS + WebSocket handshake + subscribe answer
  std::size_t max_message_bytes = 16u << 20;
  RetryPolicy reconnect;  // backoff between reconnects (max_attempts ignored: forever)
  std::string ca_file;
};

class WsSubscription {
 public:
  using NotificationHandler = std::function<void(std::string_view params_result_json)>;
  using StateHandler = std::function<void(bool connected, std::string_view reason)>;

  // Connects, sends subscribe_request, then calls on_notification(JSON text
  // of params.result) for every subscription message. on_state(true, "")
  // after each (re)subscription, on_state(false, reason) on each loss (and
  // when the first attempt fails). Errors only for a bad URL or CA file.
  [[nodiscard]] static Result<std::unique_ptr<WsSubscription>> start(WsSubscriptionConfig config,
                                                                     NotificationHandler on_notification,
                                                                     StateHandler on_state);
  WsSubscription(const WsSubscription&) = delete;
  WsSubscription& operator=(const WsSubscription&) = delete;
  void stop();  // idempotent, joins the thread; the destructor calls it
  ~WsSubscription();

  [[nodiscard]] const RpcStats& stats() const noexcept;
  // Completed subscriptions so far (1 after the first, +1 per resubscription).
  [[nodiscard]] std::uint64_t subscriptions() const noexcept;

  class Impl;

 private:
  explicit WsSubscription(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd
