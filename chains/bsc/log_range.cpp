#include "chains/bsc/log_range.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

namespace csd {

void AdaptiveRange::shrink() noexcept {
  span_ = std::max<std::uint64_t>(1, span_ / 2);
  successes_ = 0;
}

void AdaptiveRange::succeeded() noexcept {
  if (span_ >= max_span_) return;
  if (++successes_ < kGrowAfter) return;
  successes_ = 0;
  span_ = span_ > max_span_ / 2 ? max_span_ : span_ * 2;
}

bool is_range_too_large(const Error& error) noexcept {
  if (error.code == ErrorCode::kTimeout || error.code == ErrorCode::kOutOfRange) return true;
  if (error.code != ErrorCode::kRpcError) return false;
  std::string lower(error.message);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Phrases of geth, BSC, Erigon, Nethermind, Besu and the big providers.
  static constexpr std::array<std::string_view, 12> kPhrases{
      "too many", "more than",     "range",   "limit exceeded", "exceed",  "too large",
      "-32005",   "response size", "timeout", "timed out",      "too big", "query returned"};
  return std::any_of(kPhrases.begin(), kPhrases.end(),
                     [&](std::string_view phrase) { return lower.find(phrase) != std::string::npos; });
}

}  // namespace csd
