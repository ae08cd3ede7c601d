#include "store/chain_id.hpp"

namespace csd {

std::string_view chain_name(ChainId chain) noexcept {
  switch (chain) {
    case ChainId::kBsc:
      return "bsc";
    case ChainId::kSolana:
      return "solana";
    case ChainId::kTron:
      return "tron";
  }
  return "unknown";
}

std::optional<ChainId> parse_chain_name(std::string_view name) noexcept {
  for (const ChainId chain : kAllChains) {
    if (chain_name(chain) == name) return chain;
  }
  return std::nullopt;
}

}  // namespace csd
