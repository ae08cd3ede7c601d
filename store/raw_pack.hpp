// The raw logs of one block packed into one BLOB (table raw_block, schema 2):
// one row per block instead of one per log, so ingest pays SQLite's per-row
// cost once per block (docs/store.md "Raw logs, one row per block"). Pure
// functions, no I/O; the unpacker checks every length against the input and
// names what is wrong.
//
// Format 1: byte 0 = 1, then each log in ascending log_index order:
//   log_index  u32 big-endian
//   tx_hash    32 bytes
//   address    20 bytes
//   topics     u8 count, then 32 bytes each
//   data       u32 big-endian length, then the bytes
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "store/batch.hpp"
#include "store/chain_id.hpp"

namespace csd {

// raw_block's key: chain · 2^56 + height, so one rowid b-tree (no index, rows
// up to ~4 KiB without overflow pages) holds each chain's blocks in order.
inline constexpr std::int64_t kRawBlockChainSpan = std::int64_t{1} << 56;
inline constexpr std::uint64_t kMaxStoredHeight = (std::uint64_t{1} << 56) - 1;
// REQUIRES: height ≤ kMaxStoredHeight (Writer::apply checks every batch).
[[nodiscard]] constexpr std::int64_t raw_block_id(ChainId chain, std::uint64_t height) noexcept {
  return static_cast<std::int64_t>(chain) * kRawBlockChainSpan + static_cast<std::int64_t>(height);
}

inline constexpr std::uint8_t kRawPackFormat = 1;
inline constexpr std::size_t kRawPackMaxTopics = 255;

// Whether `log` fits the format (≤ 255 topics, data < 4 GiB); a clear error if not.
[[nodiscard]] Status check_packable(const RawLog& log);

// Replaces `out` with the packed form of `logs` (one block's logs, ascending).
// REQUIRES: check_packable holds for each log.
void pack_block_logs(std::span<const RawLog> logs, Bytes& out);

// The logs of block `block` from their packed form; kMalformed naming the
// offset and what is wrong for anything that is not format 1 exactly.
[[nodiscard]] Result<std::vector<RawLog>> unpack_block_logs(std::uint64_t block, ByteSpan packed);

}  // namespace csd
