#include "daemon/chain_metrics_export.hpp"

#include <array>
#include <string>

namespace csd::daemon {

void write_chain_metrics(MetricsText& out, std::string_view chain, const ChainMetrics& metrics,
                         const RpcStatsSnapshot& rpc) {
  const MetricLabels labels{{"chain", std::string(chain)}};
  const auto relaxed = std::memory_order_relaxed;
  out.gauge("chainsyncd_chain_head_block", "Highest block (slot) the node reported", labels,
            metrics.head.load(relaxed));
  out.gauge("chainsyncd_chain_indexed_block", "Checkpoint height committed to the store", labels,
            metrics.indexed.load(relaxed));
  out.gauge("chainsyncd_chain_finalized_block", "The node's finalized block (or head minus confirmations)",
            labels, metrics.finalized.load(relaxed));
  out.gauge("chainsyncd_chain_lag_blocks", "Head minus indexed", labels, metrics.lag());
  out.gauge("chainsyncd_chain_syncing", "1 while backfilling far behind the head", labels,
            metrics.syncing.load(relaxed) ? 1 : 0);
  out.counter("chainsyncd_events_stored_total", "Logs (events) committed to the store", labels,
              metrics.logs_stored.load(relaxed));
  out.counter("chainsyncd_blocks_stored_total", "Block headers committed to the store", labels,
              metrics.blocks_stored.load(relaxed));
  out.counter("chainsyncd_reorgs_total", "Reorgs detected and rolled back", labels,
              metrics.reorgs.load(relaxed));
  out.counter("chainsyncd_reorged_blocks_total", "Blocks rolled back by reorgs", labels,
              metrics.reorged_blocks.load(relaxed));
  out.counter("chainsyncd_getlogs_range_splits_total", "eth_getLogs ranges halved after a too-large answer",
              labels, metrics.range_splits.load(relaxed));
  out.counter("chainsyncd_rpc_requests_total", "RPC attempts sent (each retry counts)", labels, rpc.requests);
  out.counter("chainsyncd_rpc_errors_total", "RPC attempts that failed", labels, rpc.errors);
  out.counter("chainsyncd_rpc_timeouts_total", "RPC attempts that timed out", labels, rpc.timeouts);
  out.counter("chainsyncd_rpc_rate_limited_total", "RPC attempts answered 429", labels, rpc.rate_limited);
  out.counter("chainsyncd_rpc_failovers_total", "Switches to another rpc_urls endpoint", labels,
              rpc.failovers);
  std::array<std::uint64_t, kRpcLatencyBucketsMs.size()> bounds_us{};
  for (std::size_t i = 0; i < bounds_us.size(); ++i)
    bounds_us[i] = std::uint64_t{kRpcLatencyBucketsMs[i]} * 1000;
  out.histogram("chainsyncd_rpc_request_duration_seconds", "RPC attempt latency", labels, bounds_us,
                rpc.latency_buckets, rpc.latency_sum_us);
}

void write_store_metrics(MetricsText& out, const WriterCounters& counters) {
  out.counter("chainsyncd_store_batches_total", "Batches committed", {}, counters.batches);
  out.counter("chainsyncd_store_rollbacks_total", "Rollbacks (reorgs and reindex)", {}, counters.rollbacks);
  for (std::size_t i = 0; i < kAnomalyKindCount; ++i) {
    const auto kind = static_cast<AnomalyKind>(i + 1);
    out.counter("chainsyncd_store_anomalies_total", "Inputs ignored for the state, by kind",
                {{"kind", std::string(anomaly_kind_name(kind))}}, counters.anomaly(kind));
  }
}

}  // namespace csd::daemon
