#include <gtest/gtest.h>

#include "chains/rpc/retry_policy.hpp"

namespace csd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RpcRetryPolicy, FullJitterStaysUnderTheDoublingCap) {
  const RetryPolicy policy{milliseconds(100), milliseconds(1000), 6, milliseconds(0)};
  // random % (cap + 1): the largest draw reaches the cap exactly.
  EXPECT_EQ(backoff_delay(policy, 1, 100), milliseconds(100));
  EXPECT_EQ(backoff_delay(policy, 2, 200), milliseconds(200));
  EXPECT_EQ(backoff_delay(policy, 3, 400), milliseconds(400));
  EXPECT_EQ(backoff_delay(policy, 4, 800), milliseconds(800));
  EXPECT_EQ(backoff_delay(policy, 5, 1000), milliseconds(1000));   // capped at max_backoff
  EXPECT_EQ(backoff_delay(policy, 60, 1000), milliseconds(1000));  // no overflow for huge exponents
  EXPECT_EQ(backoff_delay(policy, 3, 0), milliseconds(0));
  for (std::uint64_t r = 0; r < 5000; r += 7) {
    EXPECT_LE(backoff_delay(policy, 2, r), milliseconds(200));
    EXPECT_LE(backoff_delay(policy, 9, r * 1'000'003), milliseconds(1000));
  }
}

TEST(RpcRetryPolicy, ZeroBackoffIsZero) {
  const RetryPolicy policy{milliseconds(0), milliseconds(0), 3, milliseconds(0)};
  EXPECT_EQ(backoff_delay(policy, 1, 12345), milliseconds(0));
}

TEST(RpcRetryPolicy, RetryAfterSeconds) {
  EXPECT_EQ(parse_retry_after("0", 0), seconds(0));
  EXPECT_EQ(parse_retry_after("120", 0), seconds(120));
  EXPECT_EQ(parse_retry_after("  7 ", 0), seconds(7));
  EXPECT_FALSE(parse_retry_after("", 0));
  EXPECT_FALSE(parse_retry_after("-1", 0));
  EXPECT_FALSE(parse_retry_after("1.5", 0));
  EXPECT_FALSE(parse_retry_after("soon", 0));
}

TEST(RpcRetryPolicy, RetryAfterHttpDate) {
  // RFC 9110 §5.6.7's example instant: Sun, 06 Nov 1994 08:49:37 GMT = 784111777.
  const std::int64_t at = 784111777;
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 30), seconds(30));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", at - 30), seconds(30));  // obsolete RFC 850
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", at - 30), seconds(30));        // obsolete asctime
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 100), seconds(0));   // past: now
  EXPECT_FALSE(parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", at));
  EXPECT_FALSE(parse_retry_after("Sun, 06 Nov 1994 25:49:37 GMT", at));
}

}  // namespace
}  // namespace csd
