#include "chains/rpc/rpc_stats.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace csd {
namespace {

using std::chrono::microseconds;

TEST(RpcStats, LatencyBucketsAreInclusiveUpperBounds) {
  RpcStats stats;
  stats.record_latency(microseconds(5'000));       // le=5
  stats.record_latency(microseconds(5'001));       // le=10
  stats.record_latency(microseconds(0));           // le=5
  stats.record_latency(microseconds(30'000'000));  // le=30000
  stats.record_latency(microseconds(30'000'001));  // +Inf
  const auto snap = stats.snapshot();
  EXPECT_EQ(snap.latency_buckets[0], 2u);
  EXPECT_EQ(snap.latency_buckets[1], 1u);
  EXPECT_EQ(snap.latency_buckets[kRpcLatencyBucketsMs.size() - 1], 1u);
  EXPECT_EQ(snap.latency_buckets[kRpcLatencyBucketsMs.size()], 1u);
  EXPECT_EQ(snap.latency_count, 5u);
  EXPECT_EQ(snap.latency_sum_us, 5'000u + 5'001u + 30'000'000u + 30'000'001u);
}

TEST(RpcStats, LastErrorClearsOnSuccess) {
  RpcStats stats;
  stats.set_endpoint("http://a:80/");
  stats.record_failure(RpcStats::Failure::kTimeout, "timed out", 1700000000);
  stats.record_failure(RpcStats::Failure::kRateLimited, "HTTP 429", 1700000001);
  auto snap = stats.snapshot();
  EXPECT_EQ(snap.errors, 2u);
  EXPECT_EQ(snap.timeouts, 1u);
  EXPECT_EQ(snap.rate_limited, 1u);
  EXPECT_EQ(snap.last_error, "HTTP 429");
  EXPECT_EQ(snap.last_error_at, 1700000001);
  EXPECT_EQ(snap.endpoint, "http://a:80/");
  stats.record_success();
  snap = stats.snapshot();
  EXPECT_TRUE(snap.last_error.empty());
  EXPECT_EQ(snap.errors, 2u);  // counters never go back
}

TEST(RpcStats, CountsFromManyThreads) {
  RpcStats stats;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&stats] {
      for (int i = 0; i < 1000; ++i) {
        stats.record_request();
        stats.record_failover();
        (void)stats.snapshot();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(stats.snapshot().requests, 4000u);
  EXPECT_EQ(stats.snapshot().failovers, 4000u);
}

}  // namespace
}  // namespace csd
