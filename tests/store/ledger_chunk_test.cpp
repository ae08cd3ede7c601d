// The ledger's packed chunks (store/ledger_chunk.hpp): round trips, the byte
// layout, the row order, and a clear error for every way the bytes can be wrong.
#include "store/ledger_chunk.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "decoders/hex.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::evm;
using store_test::id32;

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

Bytes encode(const std::vector<LedgerRow>& rows) {
  Bytes chunk;
  begin_ledger_chunk(chunk);
  for (const LedgerRow& r : rows) append_ledger_row(r, chunk);
  return chunk;
}

TEST(LedgerChunk, RoundTripsRowsWithEveryAmountWidth) {
  const auto rows = sample_rows();
  auto back = decode_ledger_chunk(encode(rows), "chunk 1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, rows);
}

TEST(LedgerChunk, LayoutIsFixedFieldsThenAMinimalAmount) {
  const Bytes chunk = encode({row(1, 0x0102, 7, LedgerKind::kConsume, U256(0x0304))});
  // format, address 20, block 8, log_index 4, kind, flags, amount length 2 + 2 bytes, tx_hash 32, time 8
  ASSERT_EQ(chunk.size(), 1U + 20 + 8 + 4 + 1 + 1 + 1 + 2 + 32 + 8);
  EXPECT_EQ(to_hex(ByteSpan(chunk).subspan(21, 8), false), "0000000000000102");
  EXPECT_EQ(chunk[33], 9);  // kind consume
  EXPECT_EQ(chunk[34], 0);  // no counterparty
  EXPECT_EQ(to_hex(ByteSpan(chunk).subspan(35, 3), false), "020304");
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
  const Bytes chunk = encode(sample_rows());
  for (std::size_t size = 0; size < chunk.size(); ++size) {
    auto back = decode_ledger_chunk(ByteSpan(chunk).first(size), "chunk 3");
    if (back) continue;  // a cut between two rows is a shorter valid chunk
    EXPECT_EQ(back.error().code, ErrorCode::kMalformed);
    EXPECT_NE(back.error().message.find("chunk 3, offset"), std::string::npos) << back.error().message;
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
  refused(0, 2, "format 2");
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
  append_ledger_row(row(1, 1, 1, LedgerKind::kTransferIn, U256::max(), evm(2)), chunk);
  EXPECT_EQ(chunk.size() - 1, kLedgerRowMaxSize);
}

}  // namespace
}  // namespace csd
