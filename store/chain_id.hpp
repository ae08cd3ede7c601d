// ChainId: which chain a checkpoint, block or row belongs to. The numeric
// values are stored in the database and must never change.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace csd {

enum class ChainId : std::uint8_t {
  kBsc = 1,
  kSolana = 2,
  kTron = 3,
};

inline constexpr ChainId kAllChains[] = {ChainId::kBsc, ChainId::kSolana, ChainId::kTron};

// "bsc", "solana", "tron": the names used in config, CLI and JSON.
[[nodiscard]] std::string_view chain_name(ChainId chain) noexcept;
[[nodiscard]] std::optional<ChainId> parse_chain_name(std::string_view name) noexcept;

}  // namespace csd
