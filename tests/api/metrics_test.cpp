// Tests of api/metrics.hpp: the Prometheus text format 0.0.4 builder
// (https://prometheus.io/docs/instrumenting/exposition_formats/) and the
// HTTP server's metrics. The output is also checked with `promtool check
// metrics` when promtool (Debian package prometheus) is installed.
#include "api/metrics.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace csd {
namespace {

using namespace std::chrono_literals;

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// Runs promtool on the text; nullopt when promtool is not installed.
std::optional<int> promtool_check(const std::string& text) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
  const testing_support::TempDir dir;
  const auto file = dir.file("metrics.txt");
  std::ofstream(file) << text;
  const std::string command =
      "promtool check metrics < '" + file.string() + "' > '" + dir.file("out.txt").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  if (status != 0) {
    std::ifstream in(dir.file("out.txt"));
    std::string line;
    while (std::getline(in, line)) ADD_FAILURE() << "promtool: " << line;
  }
  return status;
}

TEST(MicrosecondsAsSeconds, ExactDecimals) {
  EXPECT_EQ(microseconds_as_seconds(0), "0");
  EXPECT_EQ(microseconds_as_seconds(1), "0.000001");
  EXPECT_EQ(microseconds_as_seconds(100), "0.0001");
  EXPECT_EQ(microseconds_as_seconds(5'000), "0.005");
  EXPECT_EQ(microseconds_as_seconds(250'000), "0.25");
  EXPECT_EQ(microseconds_as_seconds(1'000'000), "1");
  EXPECT_EQ(microseconds_as_seconds(2'500'000), "2.5");
  EXPECT_EQ(microseconds_as_seconds(10'000'001), "10.000001");
  EXPECT_EQ(microseconds_as_seconds(18'446'744'073'709'551'615u), "18446744073709.551615");
}

TEST(MetricsText, CounterAndGaugeLines) {
  MetricsText text;
  text.counter("chainsyncd_reorgs_total", "Reorgs seen.", {{"chain", "bsc"}}, 3);
  text.gauge("chainsyncd_chain_lag_blocks", "Blocks behind the head.", {{"chain", "bsc"}}, std::int64_t{-2});
  text.gauge("chainsyncd_up", "One.", {}, std::uint64_t{1});
  EXPECT_EQ(text.take(),
            "# HELP chainsyncd_reorgs_total Reorgs seen.\n"
            "# TYPE chainsyncd_reorgs_total counter\n"
            "chainsyncd_reorgs_total{chain=\"bsc\"} 3\n"
            "# HELP chainsyncd_chain_lag_blocks Blocks behind the head.\n"
            "# TYPE chainsyncd_chain_lag_blocks gauge\n"
            "chainsyncd_chain_lag_blocks{chain=\"bsc\"} -2\n"
            "# HELP chainsyncd_up One.\n"
            "# TYPE chainsyncd_up gauge\n"
            "chainsyncd_up 1\n");
  EXPECT_EQ(text.take(), "");  // take() empties the builder
}

TEST(MetricsText, FamiliesStayContiguousWhenInterleaved) {
  MetricsText text;
  text.counter("a_total", "A.", {{"k", "1"}}, 1);
  text.counter("b_total", "B.", {}, 2);
  text.counter("a_total", "A.", {{"k", "2"}}, 3);
  const std::string out = text.take();
  EXPECT_EQ(count_of(out, "# TYPE a_total"), 1u);
  EXPECT_EQ(count_of(out, "# HELP a_total"), 1u);
  EXPECT_LT(out.find("a_total{k=\"2\"}"), out.find("# HELP b_total"));
  EXPECT_LT(out.find("a_total{k=\"1\"}"), out.find("a_total{k=\"2\"}"));
}

TEST(MetricsText, EscapesLabelValuesAndHelp) {
  MetricsText text;
  text.counter("x_total", "Help with \\ and\nnewline \"kept\".", {{"path", "a\\b\"c\nd"}}, 1);
  const std::string out = text.take();
  EXPECT_NE(out.find("# HELP x_total Help with \\\\ and\\nnewline \"kept\".\n"), std::string::npos) << out;
  EXPECT_NE(out.find("x_total{path=\"a\\\\b\\\"c\\nd\"} 1\n"), std::string::npos) << out;
  EXPECT_EQ(promtool_check(out).value_or(0), 0);
}

TEST(MetricsText, HistogramIsCumulativeWithInfEqualToCount) {
  MetricsText text;
  const std::array<std::uint64_t, 3> bounds = {5'000, 100'000, 1'000'000};
  const std::array<std::uint64_t, 4> counts = {2, 0, 3, 1};  // per bucket; the last above 1 s
  text.histogram("rpc_latency_seconds", "RPC latency.", {{"chain", "tron"}}, bounds, counts, 4'250'000);
  EXPECT_EQ(text.take(),
            "# HELP rpc_latency_seconds RPC latency.\n"
            "# TYPE rpc_latency_seconds histogram\n"
            "rpc_latency_seconds_bucket{chain=\"tron\",le=\"0.005\"} 2\n"
            "rpc_latency_seconds_bucket{chain=\"tron\",le=\"0.1\"} 2\n"
            "rpc_latency_seconds_bucket{chain=\"tron\",le=\"1\"} 5\n"
            "rpc_latency_seconds_bucket{chain=\"tron\",le=\"+Inf\"} 6\n"
            "rpc_latency_seconds_sum{chain=\"tron\"} 4.25\n"
            "rpc_latency_seconds_count{chain=\"tron\"} 6\n");
}

TEST(MetricsText, CallerBugsThrow) {
  MetricsText text;
  const std::array<std::uint64_t, 2> bounds = {10, 5};
  const std::array<std::uint64_t, 3> counts = {0, 0, 0};
  EXPECT_THROW(text.counter("1bad", "x", {}, 1), std::logic_error);
  EXPECT_THROW(text.counter("bad-name", "x", {}, 1), std::logic_error);
  EXPECT_THROW(text.counter("ok_total", "x", {{"bad:label", "v"}}, 1), std::logic_error);
  EXPECT_THROW(text.counter("ok_total", "x", {{"__reserved", "v"}}, 1), std::logic_error);
  EXPECT_THROW(text.histogram("h_seconds", "x", {}, bounds, counts, 0), std::logic_error);  // not increasing
  EXPECT_THROW(
      text.histogram("h_seconds", "x", {{"le", "1"}}, std::span<const std::uint64_t>(bounds).first(1),
                     std::span<const std::uint64_t>(counts).first(2), 0),
      std::logic_error);
  EXPECT_THROW(
      text.histogram("h_seconds", "x", {}, std::span<const std::uint64_t>(bounds).first(1), counts, 0),
      std::logic_error);  // counts.size() != bounds + 1
  text.counter("same", "x", {}, 1);
  EXPECT_THROW(text.gauge("same", "x", {}, 1), std::logic_error);
  EXPECT_NO_THROW(text.counter("name:with_colon_total", "x", {}, 1));
}

TEST(HttpMetrics, RecordsRequestsAndLatencyBuckets) {
  HttpMetrics metrics;
  metrics.record("/v1/status", 200, 50us);   // first bucket (≤ 100 µs)
  metrics.record("/v1/status", 200, 100us);  // bound is inclusive
  metrics.record("/v1/status", 200, 101us);  // second bucket
  metrics.record("/v1/status", 503, 20s);    // above the highest bound
  metrics.record("unmatched", 404, 1ms);
  EXPECT_EQ(metrics.requests("/v1/status", 200), 3u);
  EXPECT_EQ(metrics.requests("/v1/status", 503), 1u);
  EXPECT_EQ(metrics.requests("unmatched", 404), 1u);
  EXPECT_EQ(metrics.requests("unmatched", 200), 0u);

  MetricsText text;
  metrics.write(text);
  const std::string out = text.take();
  EXPECT_NE(out.find("chainsyncd_http_requests_total{route=\"/v1/status\",status=\"200\"} 3\n"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("chainsyncd_http_request_duration_seconds_bucket{route=\"/v1/status\",le=\"0.0001\"} 2\n"),
      std::string::npos);
  EXPECT_NE(
      out.find("chainsyncd_http_request_duration_seconds_bucket{route=\"/v1/status\",le=\"0.00025\"} 3\n"),
      std::string::npos);
  EXPECT_NE(out.find("chainsyncd_http_request_duration_seconds_bucket{route=\"/v1/status\",le=\"10\"} 3\n"),
            std::string::npos);
  EXPECT_NE(out.find("chainsyncd_http_request_duration_seconds_bucket{route=\"/v1/status\",le=\"+Inf\"} 4\n"),
            std::string::npos);
  EXPECT_NE(out.find("chainsyncd_http_request_duration_seconds_sum{route=\"/v1/status\"} 20.000251\n"),
            std::string::npos);
  EXPECT_NE(out.find("chainsyncd_http_request_duration_seconds_count{route=\"/v1/status\"} 4\n"),
            std::string::npos);
  EXPECT_EQ(promtool_check(out).value_or(0), 0);
}

TEST(HttpMetrics, ConnectionCountersAndTimeouts) {
  HttpMetrics metrics;
  metrics.connection_opened();
  metrics.connection_opened();
  metrics.connection_closed();
  metrics.connection_rejected();
  metrics.header_timeout();
  metrics.idle_timeout();
  metrics.idle_timeout();
  EXPECT_EQ(metrics.connections_open(), 1);
  MetricsText text;
  metrics.write(text);
  const std::string out = text.take();
  EXPECT_NE(out.find("chainsyncd_http_connections_open 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("chainsyncd_http_connections_accepted_total 2\n"), std::string::npos);
  EXPECT_NE(out.find("chainsyncd_http_connections_rejected_total 1\n"), std::string::npos);
  EXPECT_NE(out.find("chainsyncd_http_timeouts_total{kind=\"header\"} 1\n"), std::string::npos);
  EXPECT_NE(out.find("chainsyncd_http_timeouts_total{kind=\"idle\"} 2\n"), std::string::npos);
  EXPECT_EQ(promtool_check(out).value_or(0), 0);
}

TEST(HttpMetrics, RouteCardinalityIsBounded) {
  HttpMetrics metrics;
  for (std::size_t i = 0; i < HttpMetrics::kMaxRoutes + 10; ++i)
    metrics.record("/r" + std::to_string(i), 200, 1us);
  EXPECT_EQ(metrics.requests("/r0", 200), 1u);
  EXPECT_EQ(metrics.requests("/r" + std::to_string(HttpMetrics::kMaxRoutes - 1), 200), 1u);
  EXPECT_EQ(metrics.requests("/r" + std::to_string(HttpMetrics::kMaxRoutes), 200), 0u);
  EXPECT_EQ(metrics.requests("other", 200), 10u);
}

TEST(HttpMetrics, EmptyMetricsStillPassPromtool) {
  HttpMetrics metrics;
  MetricsText text;
  metrics.write(text);
  const std::string out = text.take();
  EXPECT_EQ(out.find("chainsyncd_http_requests_total"), std::string::npos);  // no sample, no family
  EXPECT_EQ(promtool_check(out).value_or(0), 0);
}

}  // namespace
}  // namespace csd
