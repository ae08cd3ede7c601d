// EvmRpc: the Ethereum JSON-RPC calls the BSC sync needs (SPEC 3.1 node
// interface), answered as the store's types. Parsing is strict: a field that
// is missing, not hex or out of range is a kMalformed error naming it, so a
// broken node answer is retried, never stored.
//
// Thread safety: one thread at a time (it drives one JsonRpcClient).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string_view>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "store/batch.hpp"

namespace csd {

class JsonRpcClient;

// A log as eth_getLogs returns it, with the block hash the node claims for it.
struct EvmLog {
  RawLog log;
  Hash32 block_hash;
  bool removed = false;
};

// The eth_getLogs filter: addresses OR-ed, topic0 OR-ed (SPEC 3.1).
struct LogFilter {
  std::vector<EvmAddress> addresses;
  std::vector<Hash32> topic0s;
};

class EvmRpc {
 public:
  // REQUIRES: client outlives the EvmRpc.
  explicit EvmRpc(JsonRpcClient& client) noexcept : client_(&client) {}

  [[nodiscard]] Result<std::uint64_t> chain_id(std::stop_token stop);
  [[nodiscard]] Result<std::uint64_t> block_number(std::stop_token stop);
  // The header at a tag ("latest", "safe", "finalized"); nullopt when the node
  // has no such block (or does not know the tag: an error answer is reported
  // as such, the caller decides).
  [[nodiscard]] Result<std::optional<BlockHeader>> header_at_tag(std::string_view tag, std::stop_token stop);
  // Headers of the given heights in one batch, in the same order. A height
  // the node does not have (yet) is a kNotFound error.
  [[nodiscard]] Result<std::vector<BlockHeader>> headers(std::span<const std::uint64_t> heights,
                                                         std::stop_token stop);
  // Logs of [from, to], ascending by (block, log_index).
  [[nodiscard]] Result<std::vector<EvmLog>> logs(std::uint64_t from, std::uint64_t to,
                                                 const LogFilter& filter, std::stop_token stop);

 private:
  JsonRpcClient* client_;
};

}  // namespace csd
