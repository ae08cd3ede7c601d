#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "chains/rpc/ws_subscription.hpp"
#include "tests/chains/support/test_ws_server.hpp"

namespace csd {
namespace {

using namespace std::chrono_literals;
using testing_support::TestWsServer;

constexpr std::string_view kSubscribe =
    R"({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]})";

// What the callbacks saw, from the subscription's thread.
class Recorder {
 public:
  WsSubscription::NotificationHandler notifications() {
    return [this](std::string_view text) {
      const std::lock_guard lock(mutex_);
      notifications_.emplace_back(text);
    };
  }
  WsSubscription::StateHandler states() {
    return [this](bool connected, std::string_view reason) {
      const std::lock_guard lock(mutex_);
      states_.emplace_back(connected, std::string(reason));
    };
  }
  std::vector<std::string> received() const {
    const std::lock_guard lock(mutex_);
    return notifications_;
  }
  std::vector<std::pair<bool, std::string>> state_changes() const {
    const std::lock_guard lock(mutex_);
    return states_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> notifications_;            // guarded by mutex_
  std::vector<std::pair<bool, std::string>> states_;  // guarded by mutex_
};

template <class Pred>
bool wait_for(Pred pred) {
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

WsSubscriptionConfig config_for(const std::string& url) {
  WsSubscriptionConfig config;
  config.url = url;
  config.subscribe_request = std::string(kSubscribe);
  config.reconnect.initial_backoff = 1ms;
  config.reconnect.max_backoff = 20ms;
  return config;
}

std::string head_notification(int number) {
  return R"({"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0x9cef478923ff08bf67fde6c64013158d",)"
         R"("result":{"number":")" +
         std::to_string(number) + R"("}}})";
}

TEST(WsSubscription, SubscribesAndDeliversNotifications) {
  TestWsServer server;
  Recorder recorder;
  auto subscription =
      WsSubscription::start(config_for(server.url()), recorder.notifications(), recorder.states());
  ASSERT_TRUE(subscription) << subscription.error().message;
  ASSERT_TRUE(wait_for([&] { return (*subscription)->subscriptions() == 1; }));
  ASSERT_EQ(server.subscribe_requests().size(), 1u);
  EXPECT_EQ(server.subscribe_requests()[0], kSubscribe);
  for (int i = 1; i <= 3; ++i) server.notify(head_notification(i));
  ASSERT_TRUE(wait_for([&] { return recorder.received().size() == 3; }));
  EXPECT_EQ(recorder.received()[0], R"({"number":"1"})");
  EXPECT_EQ(recorder.received()[2], R"({"number":"3"})");
  const auto states = recorder.state_changes();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_TRUE(states[0].first);
  (*subscription)->stop();
  (*subscription)->stop();  // idempotent
}

TEST(WsSubscription, ReconnectsAndResubscribesAfterADrop) {
  TestWsServer server;
  Recorder recorder;
  auto subscription =
      WsSubscription::start(config_for(server.url()), recorder.notifications(), recorder.states());
  ASSERT_TRUE(subscription) << subscription.error().message;
  ASSERT_TRUE(wait_for([&] { return (*subscription)->subscriptions() == 1; }));
  server.drop_all();
  ASSERT_TRUE(wait_for([&] { return (*subscription)->subscriptions() == 2; }));
  EXPECT_EQ(server.subscribe_requests().size(), 2u);
  EXPECT_EQ(server.subscribe_requests()[1], kSubscribe);
  const auto states = recorder.state_changes();
  ASSERT_EQ(states.size(), 3u);  // up, lost, up again: the caller polls to close the gap
  EXPECT_TRUE(states[0].first);
  EXPECT_FALSE(states[1].first);
  EXPECT_FALSE(states[1].second.empty());
  EXPECT_TRUE(states[2].first);
  server.notify(head_notification(7));
  ASSERT_TRUE(wait_for([&] { return recorder.received().size() == 1; }));
  EXPECT_EQ(recorder.received()[0], R"({"number":"7"})");
  EXPECT_GE((*subscription)->stats().snapshot().errors, 1u);
}

TEST(WsSubscription, ServerThatStopsAnsweringPingsIsReplaced) {
  TestWsServer server;
  server.mute_next_sessions(1);
  Recorder recorder;
  auto config = config_for(server.url());
  config.ping_interval = 50ms;
  config.pong_timeout = 200ms;
  auto subscription = WsSubscription::start(config, recorder.notifications(), recorder.states());
  ASSERT_TRUE(subscription) << subscription.error().message;
  ASSERT_TRUE(wait_for([&] { return (*subscription)->subscriptions() >= 2; }));
  const auto states = recorder.state_changes();
  ASSERT_GE(states.size(), 3u);
  EXPECT_FALSE(states[1].first);
  EXPECT_NE(states[1].second.find("no pong within 200 ms"), std::string::npos) << states[1].second;
  EXPECT_GE((*subscription)->stats().snapshot().timeouts, 1u);
}

TEST(WsSubscription, RejectedSubscriptionIsRetried) {
  TestWsServer server;
  server.set_subscribe_answer(
      R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"notifications not supported"}})");
  Recorder recorder;
  auto subscription =
      WsSubscription::start(config_for(server.url()), recorder.notifications(), recorder.states());
  ASSERT_TRUE(subscription) << subscription.error().message;
  ASSERT_TRUE(wait_for([&] { return server.subscribe_requests().size() >= 3; }));
  EXPECT_EQ((*subscription)->subscriptions(), 0u);
  const auto states = recorder.state_changes();
  ASSERT_EQ(states.size(), 1u);  // reported once, not on every retry
  EXPECT_FALSE(states[0].first);
  EXPECT_NE(states[0].second.find("notifications not supported"), std::string::npos) << states[0].second;
}

TEST(WsSubscription, UnreachableNodeKeepsRetryingUntilStopped) {
  boost::asio::io_context ioc;
  std::uint16_t port = 0;
  {
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
  }
  Recorder recorder;
  auto subscription = WsSubscription::start(config_for("ws://127.0.0.1:" + std::to_string(port)),
                                            recorder.notifications(), recorder.states());
  ASSERT_TRUE(subscription) << subscription.error().message;
  ASSERT_TRUE(wait_for([&] { return (*subscription)->stats().snapshot().requests >= 3; }));
  (*subscription)->stop();
  const auto states = recorder.state_changes();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_FALSE(states[0].first);
  EXPECT_NE(states[0].second.find("connect"), std::string::npos) << states[0].second;
}

TEST(WsSubscription, StartValidates) {
  Recorder recorder;
  auto http =
      WsSubscription::start(config_for("http://127.0.0.1:1"), recorder.notifications(), recorder.states());
  ASSERT_FALSE(http);
  EXPECT_EQ(http.error().code, ErrorCode::kInvalidArgument);
  auto config = config_for("ws://127.0.0.1:1");
  config.subscribe_request.clear();
  EXPECT_FALSE(WsSubscription::start(config, recorder.notifications(), recorder.states()));
}

}  // namespace
}  // namespace csd
