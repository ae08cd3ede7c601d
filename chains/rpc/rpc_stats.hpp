// RpcStats: the counters one transport (HTTP or WebSocket) keeps for /metrics
// and /v1/status (SPEC 5: RPC requests, errors, latency histogram; the
// endpoint in use and the last error).
//
// Thread safety: recorded by the transport's thread, read by anyone.
// Counters are relaxed atomics (each is independent); the two strings are
// guarded by mutex_.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace csd {

// Upper bounds (ms) of the latency histogram buckets (Prometheus `le`).
inline constexpr std::array<std::uint32_t, 12> kRpcLatencyBucketsMs{5,   10,   25,   50,   100,   250,
                                                                    500, 1000, 2500, 5000, 10000, 30000};

struct RpcStatsSnapshot {
  std::uint64_t requests = 0;  // attempts sent (each retry counts)
  std::uint64_t errors = 0;    // failed attempts (any kind)
  std::uint64_t timeouts = 0, rate_limited = 0, failovers = 0;
  // Per bucket, NOT cumulative; the last one is +Inf.
  std::array<std::uint64_t, kRpcLatencyBucketsMs.size() + 1> latency_buckets{};
  std::uint64_t latency_sum_us = 0, latency_count = 0;
  std::string endpoint;            // redacted URL currently in use
  std::string last_error;          // empty after a success
  std::int64_t last_error_at = 0;  // unix seconds
};

class RpcStats {
 public:
  // Why an attempt failed, for the specific counters.
  enum class Failure { kOther, kTimeout, kRateLimited };

  RpcStats() = default;
  RpcStats(const RpcStats&) = delete;
  RpcStats& operator=(const RpcStats&) = delete;

  void record_request() noexcept { requests_.fetch_add(1, std::memory_order_relaxed); }
  // An attempt that got an answer (any status) or gave up: its latency.
  void record_latency(std::chrono::microseconds latency) noexcept;
  void record_success();
  void record_failure(Failure kind, std::string_view message, std::int64_t unix_seconds);
  void record_failover() noexcept { failovers_.fetch_add(1, std::memory_order_relaxed); }
  void set_endpoint(std::string redacted_url);

  [[nodiscard]] RpcStatsSnapshot snapshot() const;

 private:
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> errors_{0};
  std::atomic<std::uint64_t> timeouts_{0};
  std::atomic<std::uint64_t> rate_limited_{0};
  std::atomic<std::uint64_t> failovers_{0};
  std::array<std::atomic<std::uint64_t>, kRpcLatencyBucketsMs.size() + 1> buckets_{};
  std::atomic<std::uint64_t> latency_sum_us_{0};
  std::atomic<std::uint64_t> latency_count_{0};

  mutable std::mutex mutex_;
  std::string endpoint_;            // guarded by mutex_
  std::string last_error_;          // guarded by mutex_
  std::int64_t last_error_at_ = 0;  // guarded by mutex_
};

}  // namespace csd
