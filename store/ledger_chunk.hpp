// The TST ledger's rows packed into chunks (tables ledger_run/ledger_chunk,
// docs/store.md "The ledger as sorted runs"): a batch writes its ledger rows
// as one run sorted by (address, block, log_index, kind), cut into chunks of
// a few KiB, so ingest appends a few rows per batch instead of inserting one
// index entry per movement at a random place. Pure functions, no I/O; the
// decoder checks every length and the order, and names what is wrong.
//
// Format 2 (schema 9): byte 0 = 2, then rows in ascending (address, block,
// log_index, kind) order, each:
//   address 20 | block u64 | log_index u32 | kind u8 | flags u8 (bit 0: a
//   counterparty follows; 0 for a transfer) | unless the kind is transfer_in
//   or transfer_out: amount (u8 length n ≤ 32, then n bytes: the value,
//   big-endian, no leading zero byte) and the counterparty 20 (if flagged)
//                                                   — integers big-endian
// A row names its raw log by (block, log_index), which holds the rest: every
// row's tx_hash and time, and a transfer's amount and counterparty are read
// back from the raw log (store/ledger_fill.hpp), not stored twice.
//
// Format 1 (schemas 3–8), read by migration 9 only: the same rows, each with
// its amount and counterparty whatever its kind, then tx_hash 32 and time
// i64 (two's complement).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "store/key_order.hpp"
#include "store/views.hpp"

namespace csd {

// One ledger row: the address it belongs to and its entry.
struct LedgerRow {
  EvmAddress address;
  LedgerEntry entry;
  friend bool operator==(const LedgerRow&, const LedgerRow&) = default;
};

// The order of rows in a run: (address, block, log_index, kind).
[[nodiscard]] inline bool ledger_row_less(const LedgerRow& a, const LedgerRow& b) noexcept {
  if (a.address != b.address) return a.address < b.address;
  return std::tuple(a.entry.block, a.entry.log_index, a.entry.type) <
         std::tuple(b.entry.block, b.entry.log_index, b.entry.type);
}

inline constexpr std::uint8_t kLedgerChunkFormat = 2;
inline constexpr std::uint8_t kLedgerChunkFormat1 = 1;
// A chunk is closed once it reaches this size: rows of a rowid table up to
// ~4 KiB stay on their b-tree page (no overflow page).
inline constexpr std::size_t kLedgerChunkTarget = 3800;
inline constexpr std::size_t kLedgerRowMaxSize = 20 + 8 + 4 + 1 + 1 + 33 + 20;
inline constexpr std::size_t kLedgerRowMaxSizeFormat1 = kLedgerRowMaxSize + 32 + 8;

// Whether rows of `kind` take their amount and counterparty from their raw
// log (a Transfer) instead of storing them.
[[nodiscard]] constexpr bool ledger_kind_reads_log(LedgerKind kind) noexcept {
  return kind == LedgerKind::kTransferIn || kind == LedgerKind::kTransferOut;
}

// Appends `row` to `chunk` (which starts with the format byte:
// begin_ledger_chunk). In format 2, its tx_hash and time, and a transfer's
// amount and counterparty, are left out; format 1 is written by migration 3
// only (a schema-3 store), so that migration 9 checks each row it converts.
void append_ledger_row(const LedgerRow& row, Bytes& chunk, std::uint8_t format = kLedgerChunkFormat);
void begin_ledger_chunk(Bytes& chunk, std::uint8_t format = kLedgerChunkFormat);
// What a format-2 chunk keeps of `row`: decode_ledger_chunk returns this.
[[nodiscard]] LedgerRow stored_ledger_row(LedgerRow row) noexcept;

// An encoded row starts with its key, (address, block, log_index, kind) in
// big-endian bytes, so comparing the first kLedgerKeySize bytes (as memcmp)
// orders encoded rows as ledger_row_less orders rows: runs merge and sort
// without decoding.
inline constexpr std::size_t kLedgerKeySize = 20 + 8 + 4 + 1;
[[nodiscard]] inline bool ledger_key_less(ByteSpan a, ByteSpan b) noexcept {
  return key_order::less<kLedgerKeySize>(a.data(), b.data());
}
// The size of the format-2 row at `offset` of `chunk` (kind, flags, amount
// length and the bytes present checked); `what` names the chunk in errors.
[[nodiscard]] Result<std::size_t> ledger_row_size(ByteSpan chunk, std::size_t offset, std::string_view what);
// Fields of an encoded row. REQUIRES: `row` is a whole encoded row.
[[nodiscard]] inline EvmAddress ledger_row_address(ByteSpan row) noexcept {
  return EvmAddress::from(row.first<EvmAddress::kSize>());
}
[[nodiscard]] inline std::uint64_t ledger_row_block(ByteSpan row) noexcept {
  std::uint64_t block = 0;
  for (std::size_t i = 20; i < 28; ++i) block = (block << 8) | row[i];
  return block;
}

// The format-2 row at `offset` of `chunk` (which ledger_row_size has sized):
// a reader that wants a few rows of a chunk decodes only those.
[[nodiscard]] Result<LedgerRow> decode_ledger_row(ByteSpan chunk, std::size_t offset, std::string_view what);

// The rows of a chunk; kMalformed naming `what` (e.g. "ledger_chunk 12"),
// the offset and the fault for anything that is not format 1 or 2 exactly.
// Rows of format 2 come as stored: tx_hash zero, time 0, and a transfer's
// amount 0 and no counterparty, until complete_ledger_rows fills them in.
[[nodiscard]] Result<std::vector<LedgerRow>> decode_ledger_chunk(ByteSpan chunk, std::string_view what);

}  // namespace csd
