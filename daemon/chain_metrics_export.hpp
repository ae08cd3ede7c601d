// The chain and store figures of /metrics (SPEC 5: per-chain head/indexed/lag
// gauges, events decoded, RPC requests/errors/latency histogram, reorgs),
// written into the API's MetricsText. The daemon owns both sides, so this
// glue lives here and neither the chain layer nor the API knows the other.
//
// Thread safety: reads atomics and snapshots; call from any thread.
#pragma once

#include <string_view>

#include "api/metrics.hpp"
#include "chains/chain_metrics.hpp"
#include "chains/rpc/rpc_stats.hpp"
#include "store/writer.hpp"

namespace csd::daemon {

void write_chain_metrics(MetricsText& out, std::string_view chain, const ChainMetrics& metrics,
                         const RpcStatsSnapshot& rpc);

void write_store_metrics(MetricsText& out, const WriterCounters& counters);

}  // namespace csd::daemon
