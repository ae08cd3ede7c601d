// The raw logs of one block packed into one BLOB (table raw_block, schema 2):
// one row per block instead of one per log, so ingest pays SQLite's per-row
// cost once per block (docs/store.md "Raw logs, one row per block"). Pure
// functions, no I/O; the unpacker checks every length against the input and
// names what is wrong, and accepts only what the packer writes (one encoding
// per block), so a repack gives the same bytes.
//
// Format 2 (schema 10): byte 0 = 2, then
//   emitters   varint count, then each address (20 bytes): the block's
//              distinct log addresses in order of first use
//   topic0s    varint count, then each topic (32 bytes): the distinct first
//              topics, in order of first use
//   each log in ascending log_index order:
//     log_index  varint
//     flags      u8: bit 0 — the tx_hash of the log before (never on the
//                first log, and set whenever it applies); bit 1 — data as
//                32-byte words (set exactly when the data is a non-empty
//                multiple of 32 bytes)
//     tx_hash    32 bytes, unless bit 0
//     address    varint: its index among the emitters
//     topics     u8 count; then, if any, topic0 as a varint index among the
//                topic0s, and each further topic as a word
//     data       varint length; with bit 1, length/32 words, else the bytes
//   A word is u8 n ≤ 32 and its last n bytes, the first of them non-zero: the
//   word's leading zero bytes are left out (an address, an amount).
//   Varints are minimal LEB128. A block's logs mostly come from a few
//   contracts with a few event signatures, their indexed addresses and amounts
//   are mostly zero bytes, and logs of one transaction share its hash.
//
// Format 1 (schemas 2–9), still read: byte 0 = 1, then each log in ascending
// log_index order: log_index u32 big-endian, tx_hash 32 bytes, address 20
// bytes, topics (u8 count, then 32 bytes each), data (u32 big-endian length,
// then the bytes).
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

inline constexpr std::uint8_t kRawPackFormat = 2;
inline constexpr std::uint8_t kRawPackFormat1 = 1;
inline constexpr std::size_t kRawPackMaxTopics = 255;

// Whether `log` fits the format (≤ 255 topics, data < 4 GiB); a clear error if not.
[[nodiscard]] Status check_packable(const RawLog& log);

// Replaces `out` with the packed form of `logs` (one block's logs, ascending
// log_index) in `format` (format 1: to test that it is still read).
// REQUIRES: check_packable holds for each log.
void pack_block_logs(std::span<const RawLog> logs, Bytes& out, std::uint8_t format = kRawPackFormat);

// The logs of block `block` from their packed form; kMalformed naming the
// offset and what is wrong for anything that is not format 2 or 1 exactly.
[[nodiscard]] Result<std::vector<RawLog>> unpack_block_logs(std::uint64_t block, ByteSpan packed);

}  // namespace csd
