// AdaptiveRange and the "ask for less" classification of eth_getLogs errors
// (issue 5: halve on "too many results" / "range too large" / "limit
// exceeded" / timeouts, grow again on success, never above the maximum).
#include "chains/bsc/log_range.hpp"

#include <gtest/gtest.h>

namespace csd {
namespace {

TEST(AdaptiveRange, StartsAtTheMaximumAndHalvesDownToOne) {
  AdaptiveRange range(5000);
  EXPECT_EQ(range.span(), 5000u);
  range.shrink();
  EXPECT_EQ(range.span(), 2500u);
  for (int i = 0; i < 20; ++i) range.shrink();
  EXPECT_EQ(range.span(), 1u);
  EXPECT_TRUE(range.at_minimum());
  range.shrink();
  EXPECT_EQ(range.span(), 1u);
}

TEST(AdaptiveRange, GrowsBackAfterSuccessesButNeverAboveTheMaximum) {
  AdaptiveRange range(1000);
  range.shrink();  // 500
  range.shrink();  // 250
  range.succeeded();
  EXPECT_EQ(range.span(), 250u) << "one success is not enough";
  range.succeeded();
  EXPECT_EQ(range.span(), 500u);
  range.succeeded();
  range.succeeded();
  EXPECT_EQ(range.span(), 1000u);
  for (int i = 0; i < 10; ++i) range.succeeded();
  EXPECT_EQ(range.span(), 1000u);
}

TEST(AdaptiveRange, AFailureResetsTheSuccessStreak) {
  AdaptiveRange range(64);
  range.shrink();  // 32
  range.succeeded();
  range.shrink();  // 16, streak reset
  range.succeeded();
  EXPECT_EQ(range.span(), 16u);
  range.succeeded();
  EXPECT_EQ(range.span(), 32u);
}

TEST(AdaptiveRange, OddMaximumIsReachedExactly) {
  AdaptiveRange range(1001);
  range.shrink();  // 500
  range.succeeded();
  range.succeeded();
  EXPECT_EQ(range.span(), 1000u);
  range.succeeded();
  range.succeeded();
  EXPECT_EQ(range.span(), 1001u);
}

TEST(RangeTooLarge, NodeMessagesThatMeanAskForLess) {
  // Texts as geth, BSC, Erigon/Alchemy, Infura and QuickNode word them.
  for (const char* text : {"eth_getLogs: node error -32005: query returned more than 10000 results",
                           "eth_getLogs: node error -32000: exceed maximum block range: 5000",
                           "eth_getLogs: node error -32602: Log response size exceeded.",
                           "eth_getLogs: node error -32000: limit exceeded",
                           "eth_getLogs: node error -32614: eth_getLogs is limited to a 10,000 range",
                           "eth_getLogs: node error -32000: block range too large"}) {
    EXPECT_TRUE(is_range_too_large(make_error(ErrorCode::kRpcError, text))) << text;
  }
  EXPECT_TRUE(is_range_too_large(make_error(ErrorCode::kTimeout, "request timed out after 30000 ms")));
  EXPECT_TRUE(is_range_too_large(make_error(ErrorCode::kOutOfRange, "response over 268435456 bytes")));
}

TEST(RangeTooLarge, OtherFailuresAreNotRangeErrors) {
  EXPECT_FALSE(is_range_too_large(make_error(ErrorCode::kUnavailable, "connection refused")));
  EXPECT_FALSE(is_range_too_large(
      make_error(ErrorCode::kRpcError, "eth_getLogs: node error -32601: method not found")));
  EXPECT_FALSE(is_range_too_large(make_error(ErrorCode::kMalformed, "eth_getLogs: result is not an array")));
  EXPECT_FALSE(is_range_too_large(make_error(ErrorCode::kCancelled, "stopping")));
}

}  // namespace
}  // namespace csd
