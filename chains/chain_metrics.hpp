// ChainMetrics: the live figures one chain's sync loop publishes for
// /metrics, /v1/status and the backfill progress lines (SPEC 5 metrics:
// per-chain head/indexed/lag gauges, events decoded, reorgs). The RPC
// counters live with each transport (chains/rpc/rpc_stats.hpp).
//
// Thread safety: every field is an atomic written by the chain's sync thread
// and read by anyone (relaxed: each is an independent gauge or counter).
#pragma once

#include <atomic>
#include <cstdint>

namespace csd {

struct ChainMetrics {
  std::atomic<std::uint64_t> head{0};       // highest block the node reported
  std::atomic<std::uint64_t> indexed{0};    // checkpoint height in the store
  std::atomic<std::uint64_t> finalized{0};  // the node's finalized (or head − confirmations)
  std::atomic<std::uint64_t> logs_stored{0};
  std::atomic<std::uint64_t> blocks_stored{0};
  std::atomic<std::uint64_t> batches_stored{0};
  std::atomic<std::uint64_t> reorgs{0};
  std::atomic<std::uint64_t> reorged_blocks{0};  // blocks rolled back by reorgs
  std::atomic<std::uint64_t> range_splits{0};    // eth_getLogs ranges halved after a "too large" answer
  std::atomic<bool> syncing{false};              // backfilling: the checkpoint is far behind the head
  std::atomic<bool> ready{false};                // the chain id checked and the first poll answered

  [[nodiscard]] std::uint64_t lag() const noexcept {
    const std::uint64_t h = head.load(std::memory_order_relaxed);
    const std::uint64_t i = indexed.load(std::memory_order_relaxed);
    return h > i ? h - i : 0;
  }
};

}  // namespace csd
