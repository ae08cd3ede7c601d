// The ledger's packed chunks (store/ledger_chunk.hpp): round trips, the byte
// layout of formats 2 and 1, the row order, and a clear error for every way
// the bytes can be wrong.
#include "store/ledger_chunk.hpp"

#include <algorithm>
#include <array>

#include <gtest/gtest.h>

#include "decoders/hex.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::evm;
using store_test::id32;

// A time as format 1 stores it: 8 bytes big-endian.
std::array<std::uint8_t, 8> pack_time(std::uint64_t time) {
  std::array<std::uint8_t, 8> out{};
  for (int i = 7; i >= 0; --i, time >>= 8) out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(time);
  return out;
}

LedgerRow row(std::uint64_t address, std::uint64_t block, std::uint32_t index, LedgerKind kind, U256 amount,
              std::optional<EvmAddress> counterparty = std::nullopt) {
  return LedgerRow{evm(address), LedgerEntry{kind, amount, counterparty, id32(block * 100 + index), block,
                                             index, static_cast<std::int64_t>(1'600'000'000 + block * 3)}};
}

std::vector<LedgerRow> sample_rows() {
  return {row(1, 5, 0, LedgerKind::kTransferIn, U256(0), evm(2)),
          row(1, 5, 0, LedgerKind::kTransferOut, U256::max(), evm(1)),
          row(1, 9, 3, LedgerKind::kLock, U256(1) << 255, evm(77)),
          row(2, 1, 0, LedgerKind::kConsume, U256(3)),
          row(2, UINT64_MAX, UINT32_MAX, LedgerKind::kReleaseReservation, U256(255))};
}

Bytes encode(const std::vector<LedgerRow>& rows, std::uint8_t format = kLedgerChunkFormat) {
  Bytes chunk;
  begin_ledger_chunk(chunk, format);
  for (const LedgerRow& r : rows) append_ledger_row(r, chunk, format);
  return chunk;
}

std::vector<LedgerRow> stored(std::vector<LedgerRow> rows) {
  for (LedgerRow& r : rows) r = stored_ledger_row(r);
  return rows;
}

TEST(LedgerChunk, RoundTripsWhatFormat2KeepsOfRowsWithEveryAmountWidth) {
  const auto rows = sample_rows();
  auto back = decode_ledger_chunk(encode(rows), "chunk 1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, stored(rows));
  // A transfer keeps its key only; other kinds keep their amount and counterparty.
  EXPECT_EQ((*back)[0].entry.amount, U256(0));
  EXPECT_FALSE((*back)[1].entry.counterparty);
  EXPECT_EQ((*back)[2].entry.amount, U256(1) << 255);
  EXPECT_EQ((*back)[2].entry.counterparty, evm(77));
  EXPECT_EQ((*back)[2].entry.tx_hash, Hash32{});
  EXPECT_EQ((*back)[2].entry.time, 0);
}

TEST(LedgerChunk, Format1RowsRoundTripWhole) {
  const auto rows = sample_rows();
  const Bytes chunk = encode(rows, kLedgerChunkFormat1);
  ASSERT_EQ(chunk[0], 1);
  auto back = decode_ledger_chunk(chunk, "chunk 1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, rows);
}

TEST(LedgerChunk, LayoutIsTheKeyThenAMinimalAmountExceptForATransfer) {
  const Bytes chunk = encode({row(1, 0x0102, 7, LedgerKind::kConsume, U256(0x0304))});
  // format, address 20, block 8, log_index 4, kind, flags, amount length 2 + 2 bytes
  ASSERT_EQ(chunk.size(), 1U + 20 + 8 + 4 + 1 + 1 + 1 + 2);
  EXPECT_EQ(chunk[0], 2);
  EXPECT_EQ(to_hex(ByteSpan(chunk).subspan(21, 8), false), "0000000000000102");
  EXPECT_EQ(chunk[33], 9);  // kind consume
  EXPECT_EQ(chunk[34], 0);  // no counterparty
  EXPECT_EQ(to_hex(ByteSpan(chunk).subspan(35, 3), false), "020304");
  // A transfer: the key and a zero flags byte.
  const Bytes transfer = encode({row(1, 0x0102, 7, LedgerKind::kTransferOut, U256(0x0304), evm(9))});
  ASSERT_EQ(transfer.size(), 1U + 20 + 8 + 4 + 1 + 1);
  EXPECT_EQ(transfer[33], 2);
  EXPECT_EQ(transfer[34], 0);
  // Format 1: every field, then tx_hash 32 and time 8.
  const Bytes format1 = encode({row(1, 0x0102, 7, LedgerKind::kConsume, U256(0x0304))}, kLedgerChunkFormat1);
  ASSERT_EQ(format1.size(), chunk.size() + 32 + 8);
  EXPECT_EQ(to_hex(ByteSpan(format1).subspan(chunk.size() + 32, 8), false),
            to_hex(ByteSpan(pack_time(1'600'000'000 + 0x0102 * 3)), false));
}

TEST(LedgerChunk, RowOrderIsAddressThenPositionThenKind) {
  auto rows = sample_rows();
  std::reverse(rows.begin(), rows.end());
  std::sort(rows.begin(), rows.end(), ledger_row_less);
  EXPECT_EQ(rows, sample_rows());
  auto unsorted = decode_ledger_chunk(encode({sample_rows()[1], sample_rows()[0]}), "chunk 9");
  ASSERT_FALSE(unsorted);
  EXPECT_NE(unsorted.error().message.find("chunk 9"), std::string::npos);
  EXPECT_NE(unsorted.error().message.find("not in ascending order"), std::string::npos);
}

TEST(LedgerChunk, EveryTruncationIsAnError) {
  for (std::uint8_t format : {kLedgerChunkFormat, kLedgerChunkFormat1}) {
    const Bytes chunk = encode(sample_rows(), format);
    for (std::size_t size = 0; size < chunk.size(); ++size) {
      auto back = decode_ledger_chunk(ByteSpan(chunk).first(size), "chunk 3");
      if (back) continue;  // a cut between two rows is a shorter valid chunk
      EXPECT_EQ(back.error().code, ErrorCode::kMalformed);
      EXPECT_NE(back.error().message.find("chunk 3, offset"), std::string::npos) << back.error().message;
    }
  }
  EXPECT_FALSE(decode_ledger_chunk(Bytes{kLedgerChunkFormat}, "x"));  // no rows
  EXPECT_FALSE(decode_ledger_chunk(Bytes{}, "x"));
}

TEST(LedgerChunk, BadFieldsAreRefused) {
  const Bytes good = encode({row(1, 1, 0, LedgerKind::kConsume, U256(5))});
  const auto refused = [&](std::size_t at, std::uint8_t value, std::string_view fault) {
    Bytes bad = good;
    bad[at] = value;
    auto back = decode_ledger_chunk(bad, "c");
    ASSERT_FALSE(back);
    EXPECT_NE(back.error().message.find(fault), std::string::npos) << back.error().message;
  };
  refused(0, 3, "format 3");
  refused(0, 0, "format 0");
  refused(33, 0, "kind 0");
  refused(33, 11, "kind 11");
  refused(34, 2, "flags 2");
  refused(35, 33, "amount of 33 bytes");
  Bytes padded = encode({row(1, 1, 0, LedgerKind::kConsume, U256(5))});
  padded[35] = 2;  // length 2 with a leading zero byte: not minimal
  padded.insert(padded.begin() + 36, 0);
  auto back = decode_ledger_chunk(padded, "c");
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message.find("leading zero"), std::string::npos);
  // A transfer stores no amount or counterparty: a flag saying otherwise is refused.
  Bytes flagged = encode({row(1, 1, 0, LedgerKind::kTransferIn, U256(5), evm(2))});
  flagged[34] = 1;
  auto transfer = decode_ledger_chunk(flagged, "c");
  ASSERT_FALSE(transfer);
  EXPECT_NE(transfer.error().message.find("flags 1 on a transfer"), std::string::npos)
      << transfer.error().message;
  EXPECT_FALSE(ledger_row_size(flagged, 1, "c"));
}

TEST(LedgerChunk, RowSizesWalkTheChunkAndKeysCompareAsRowsDo) {
  const auto rows = sample_rows();
  const Bytes chunk = encode(rows);
  std::size_t at = 1;
  std::vector<ByteSpan> encoded;
  while (at < chunk.size()) {
    auto size = ledger_row_size(chunk, at, "c");
    ASSERT_TRUE(size) << size.error().message;
    encoded.push_back(ByteSpan(chunk).subspan(at, *size));
    at += *size;
  }
  ASSERT_EQ(encoded.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(ledger_row_address(encoded[i]), rows[i].address);
    EXPECT_EQ(ledger_row_block(encoded[i]), rows[i].entry.block);
    for (std::size_t j = 0; j < rows.size(); ++j)
      EXPECT_EQ(ledger_key_less(encoded[i], encoded[j]), ledger_row_less(rows[i], rows[j])) << i << " " << j;
  }
  for (std::size_t size = 1; size < encoded[0].size(); ++size) {
    auto cut = ledger_row_size(ByteSpan(chunk).first(1 + size), 1, "c");
    ASSERT_FALSE(cut);
    EXPECT_NE(cut.error().message.find("c, offset 1"), std::string::npos) << cut.error().message;
  }
  Bytes bad = chunk;
  bad[1 + 32] = 0;  // kind 0
  EXPECT_FALSE(ledger_row_size(bad, 1, "c"));
}

TEST(LedgerChunk, ARowNeverExceedsItsBound) {
  Bytes chunk;
  begin_ledger_chunk(chunk);
  append_ledger_row(row(1, 1, 1, LedgerKind::kLock, U256::max(), evm(2)), chunk);
  EXPECT_EQ(chunk.size() - 1, kLedgerRowMaxSize);
  begin_ledger_chunk(chunk, kLedgerChunkFormat1);
  append_ledger_row(row(1, 1, 1, LedgerKind::kTransferIn, U256::max(), evm(2)), chunk, kLedgerChunkFormat1);
  EXPECT_EQ(chunk.size() - 1, kLedgerRowMaxSizeFormat1);
}

}  // namespace
}  // namespace csd
