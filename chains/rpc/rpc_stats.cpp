#include "chains/rpc/rpc_stats.hpp"

#include <algorithm>

namespace csd {

void RpcStats::record_latency(std::chrono::microseconds latency) noexcept {
  const auto micros = static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.count()));
  std::size_t bucket = 0;
  // `le` is inclusive (Prometheus): exactly 5 ms belongs to the 5 ms bucket.
  while (bucket < kRpcLatencyBucketsMs.size() &&
         micros > static_cast<std::uint64_t>(kRpcLatencyBucketsMs[bucket]) * 1000) {
    ++bucket;
  }
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(micros, std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
}

void RpcStats::record_success() {
  const std::lock_guard lock(mutex_);
  last_error_.clear();
}

void RpcStats::record_failure(Failure kind, std::string_view message, std::int64_t unix_seconds) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  if (kind == Failure::kTimeout) timeouts_.fetch_add(1, std::memory_order_relaxed);
  if (kind == Failure::kRateLimited) rate_limited_.fetch_add(1, std::memory_order_relaxed);
  const std::lock_guard lock(mutex_);
  last_error_ = std::string(message);
  last_error_at_ = unix_seconds;
}

void RpcStats::set_endpoint(std::string redacted_url) {
  const std::lock_guard lock(mutex_);
  endpoint_ = std::move(redacted_url);
}

RpcStatsSnapshot RpcStats::snapshot() const {
  RpcStatsSnapshot out;
  out.requests = requests_.load(std::memory_order_relaxed);
  out.errors = errors_.load(std::memory_order_relaxed);
  out.timeouts = timeouts_.load(std::memory_order_relaxed);
  out.rate_limited = rate_limited_.load(std::memory_order_relaxed);
  out.failovers = failovers_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < buckets_.size(); ++i)
    out.latency_buckets[i] = buckets_[i].load(std::memory_order_relaxed);
  out.latency_sum_us = latency_sum_us_.load(std::memory_order_relaxed);
  out.latency_count = latency_count_.load(std::memory_order_relaxed);
  const std::lock_guard lock(mutex_);
  out.endpoint = endpoint_;
  out.last_error = last_error_;
  out.last_error_at = last_error_at_;
  return out;
}

}  // namespace csd
