// MetricsText: a builder of the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), used by
// /metrics for every family the daemon publishes. HttpMetrics: the HTTP
// server's own figures (requests by route and status, latency histogram,
// connections).
//
// Values are integers only (no double anywhere, STYLE "Money" applies to all
// amounts): durations are kept in integer microseconds and printed as exact
// decimal seconds ("0.005", "2.5", "1").
//
// Thread safety: MetricsText is a plain value, one per scrape (not shared).
// HttpMetrics is thread-safe: record() from every worker, write() from the
// /metrics handler.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace csd {

// Label name/value pairs of one sample, in the order they are printed.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Integer microseconds as exact decimal seconds: 5000 -> "0.005",
// 2'500'000 -> "2.5", 1'000'000 -> "1", 0 -> "0".
[[nodiscard]] std::string microseconds_as_seconds(std::uint64_t us);

// Prometheus text format 0.0.4. Samples of one family may be added in any
// order and interleaved with other families: take() prints each family once,
// contiguously, with its # HELP and # TYPE lines, families in order of first
// use and samples in order of addition.
// Label values are escaped (\\, \", \n); HELP text escapes \\ and \n.
// A metric or label name outside [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no ':'),
// a reserved label ("le" on a histogram), or one family used with two types is
// a caller bug: it throws std::logic_error (the server turns that into a 500).
class MetricsText {
 public:
  void counter(std::string_view name, std::string_view help, const MetricLabels& labels, std::uint64_t value);

  template <std::integral T>
  requires(!std::same_as<T, bool>) void gauge(std::string_view name, std::string_view help,
                                              const MetricLabels& labels, T value) {
    add_sample(name, help, Type::kGauge, labels, std::to_string(value));
  }

  // A histogram of durations, name ending in _seconds by convention.
  // bounds_us: the upper bounds (inclusive, "le") in microseconds, strictly
  // increasing; counts: per-bucket (NOT cumulative) observation counts with
  // counts.size() == bounds_us.size() + 1, the last being the observations
  // above the highest bound. Prints cumulative _bucket{le=…} lines ending in
  // le="+Inf", then _sum (seconds) and _count (= the sum of counts).
  void histogram(std::string_view name, std::string_view help, const MetricLabels& labels,
                 std::span<const std::uint64_t> bounds_us, std::span<const std::uint64_t> counts,
                 std::uint64_t sum_us);

  // The exposition text (ends with '\n' unless empty); leaves the builder empty.
  [[nodiscard]] std::string take();

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family {
    std::string name;
    std::string help;
    Type type;
    std::string samples;  // complete sample lines
  };

  Family& family(std::string_view name, std::string_view help, Type type);
  void add_sample(std::string_view name, std::string_view help, Type type, const MetricLabels& labels,
                  std::string_view value);

  std::vector<Family> families_;
  std::map<std::string, std::size_t, std::less<>> index_;  // family name -> families_ position
};

// The HTTP server's metrics (SPEC 5 /metrics: HTTP requests by route and
// status, latency histogram):
//   chainsyncd_http_requests_total{route,status}             counter
//   chainsyncd_http_request_duration_seconds{route}          histogram
//   chainsyncd_http_connections_open                         gauge
//   chainsyncd_http_connections_accepted_total               counter
//   chainsyncd_http_connections_rejected_total               counter (over max_connections)
//   chainsyncd_http_timeouts_total{kind="header"|"idle"}     counter
// Routes are templates ("/v1/access/{address}"), so label cardinality is
// bounded by the router; as a guard, routes beyond kMaxRoutes distinct ones
// are counted under "other".
//
// Thread-safe: every member may be called from any thread.
class HttpMetrics {
 public:
  static constexpr std::size_t kMaxRoutes = 64;
  // Upper bounds of the latency buckets, microseconds (100 µs .. 10 s).
  static constexpr std::array<std::uint64_t, 15> kBucketsUs = {
      100,    250,     500,     1'000,   2'500,     5'000,     10'000,    25'000,
      50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000, 10'000'000};

  void record(std::string_view route, unsigned status, std::chrono::microseconds took);
  void connection_opened() noexcept;
  void connection_closed() noexcept;
  void connection_rejected() noexcept;
  void header_timeout() noexcept;
  void idle_timeout() noexcept;

  // Requests recorded so far for (route, status); for tests and /v1/status.
  [[nodiscard]] std::uint64_t requests(std::string_view route, unsigned status) const;
  [[nodiscard]] std::int64_t connections_open() const noexcept;

  void write(MetricsText& out) const;

 private:
  struct RouteLatency {
    std::array<std::uint64_t, kBucketsUs.size() + 1> counts{};  // per bucket, last = above 10 s
    std::uint64_t sum_us = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;  // guarded by mutex_
  std::map<std::string, RouteLatency, std::less<>> latency_;            // guarded by mutex_

  std::atomic<std::int64_t> open_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> header_timeouts_{0};
  std::atomic<std::uint64_t> idle_timeouts_{0};
};

}  // namespace csd
