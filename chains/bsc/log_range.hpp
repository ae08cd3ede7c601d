// Adaptive eth_getLogs ranges (issue 5): nodes cap a query by block span, by
// result count or by time, each with its own error text. The range halves on
// any such answer and grows back after successes, never above the configured
// getlogs_max_range.
//
// Thread safety: a plain value, owned by one sync loop.
#pragma once

#include <cstdint>

#include "decoders/result.hpp"

namespace csd {

class AdaptiveRange {
 public:
  // REQUIRES: max_span >= 1.
  explicit AdaptiveRange(std::uint64_t max_span) noexcept : max_span_(max_span), span_(max_span) {}

  [[nodiscard]] std::uint64_t span() const noexcept { return span_; }
  [[nodiscard]] std::uint64_t max_span() const noexcept { return max_span_; }
  [[nodiscard]] bool at_minimum() const noexcept { return span_ == 1; }

  // The node refused or could not finish the range: halve it (≥ 1).
  void shrink() noexcept;
  // A range of `span()` blocks succeeded: after kGrowAfter successes in a row,
  // double it (≤ max_span).
  void succeeded() noexcept;

  static constexpr unsigned kGrowAfter = 2;

 private:
  std::uint64_t max_span_;
  std::uint64_t span_;
  unsigned successes_ = 0;
};

// True when an eth_getLogs error means "ask for less": a timeout, an answer
// over the response size limit, or a node error about result counts, block
// ranges or limits (geth "query returned more than 10000 results", BSC
// "exceed maximum block range", Erigon/Alchemy "limit exceeded", -32005, …).
[[nodiscard]] bool is_range_too_large(const Error& error) noexcept;

}  // namespace csd
