// The writer's input (docs/store.md "Writer input"): a batch of one chain's
// blocks with their raw inputs exactly as the node returned them, and the
// checkpoint the batch advances to. The store decodes and derives itself, so
// `apply` and `rederive` run the same code. Also the Checkpoint it reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "decoders/bytes.hpp"

namespace csd {

struct BlockHeader {
  std::uint64_t height = 0;  // block number (BSC, TRON) or slot (Solana)
  Hash32 hash;
  Hash32 parent_hash;
  std::int64_t time = 0;  // unix seconds
  friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

// An EVM or TRON log, exactly as the node returned it.
struct RawLog {
  std::uint64_t block = 0;
  std::uint32_t log_index = 0;  // index within the block
  Hash32 tx_hash;
  EvmAddress address;  // TRON: the 20-byte form of the contract
  std::vector<Hash32> topics;
  Bytes data;
  friend bool operator==(const RawLog&, const RawLog&) = default;
};

// A TRON transaction's receipt (gettransactioninfobyblocknum).
struct TronTxInfo {
  Hash32 tx_hash;
  std::uint64_t block = 0;
  bool success = false;  // receipt result is SUCCESS
  std::string result;    // the receipt's result text, e.g. "SUCCESS", "REVERT"
  std::int64_t fee_sun = 0;
  friend bool operator==(const TronTxInfo&, const TronTxInfo&) = default;
};

// One version of a Solana account at a slot.
struct SolanaAccountVersion {
  SolanaPubkey account;
  std::uint64_t slot = 0;
  std::optional<Bytes> data;  // nullopt: the account is closed (gone)
  friend bool operator==(const SolanaAccountVersion&, const SolanaAccountVersion&) = default;
};

// REQUIRES (checked by Writer::apply): blocks ascending by height (not
// necessarily contiguous: blocks without logs may be absent); logs ascending
// by (block, log_index), each in a block of `blocks`; every height ≤
// checkpoint.height; for BSC/TRON every height above the stored checkpoint.
struct Batch {
  std::vector<BlockHeader> blocks;
  std::vector<RawLog> logs;
  std::vector<TronTxInfo> tron_txs;            // TRON only
  std::vector<SolanaAccountVersion> accounts;  // Solana only
  BlockHeader checkpoint;                      // highest block/slot fully covered
  std::optional<std::uint64_t> finalized_height;
};

// A chain's stored progress: everything up to `height` is in the store.
struct Checkpoint {
  std::uint64_t height = 0;
  Hash32 hash;  // all zero when unknown (a rollback to a height whose block was not stored)
  std::int64_t time = 0;
  std::optional<std::uint64_t> finalized_height;
  std::int64_t updated_at = 0;  // writer clock, unix seconds
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

}  // namespace csd
