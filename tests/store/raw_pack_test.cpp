// The packed form of one block's raw logs (store/raw_pack.hpp): round trips,
// the exact byte layout, and a clear error for every way the bytes can be wrong.
#include "store/raw_pack.hpp"

#include <gtest/gtest.h>

#include "decoders/hex.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::evm;
using store_test::id32;
using store_test::LogMaker;
using store_test::test_contracts;

std::vector<RawLog> sample_block(std::uint64_t height) {
  const LogMaker make(test_contracts());
  std::vector<RawLog> logs = {make.transfer(height, 0, evm(1), evm(2), U256(7)),
                              make.locked(height, 3, id32(9), evm(1), U256(5), 4'000'000'000, "agreement-1"),
                              make.transfer(height, 4, evm(2), evm(2), U256::max())};
  RawLog bare;  // LOG0 with no data: the smallest log
  bare.block = height;
  bare.log_index = 0xFFFFFFFF;
  bare.tx_hash = id32(77);
  bare.address = evm(5);
  logs.push_back(bare);
  return logs;
}

TEST(RawPack, RoundTripsABlockOfLogs) {
  const std::vector<RawLog> logs = sample_block(1234);
  Bytes packed;
  pack_block_logs(logs, packed);
  auto back = unpack_block_logs(1234, packed);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, logs);
}

TEST(RawPack, LayoutIsFormatByteThenFixedFieldsBigEndian) {
  RawLog log;
  log.block = 1;
  log.log_index = 0x01020304;
  log.tx_hash = id32(1);
  log.address = evm(2);
  log.topics = {id32(3)};
  log.data = {0xAA, 0xBB};
  Bytes packed;
  pack_block_logs(std::vector<RawLog>{log}, packed);
  ASSERT_EQ(packed.size(), 1U + 4 + 32 + 20 + 1 + 32 + 4 + 2);
  EXPECT_EQ(packed[0], kRawPackFormat);
  EXPECT_EQ(to_hex(ByteSpan(packed).subspan(1, 4), false), "01020304");
  EXPECT_EQ(packed[1 + 4 + 32 + 20], 1);  // topic count
  EXPECT_EQ(to_hex(ByteSpan(packed).last(6), false), "00000002aabb");
}

TEST(RawPack, IdKeepsChainsApartAndHeightsInOrder) {
  EXPECT_LT(raw_block_id(ChainId::kBsc, kMaxStoredHeight), raw_block_id(ChainId::kSolana, 0));
  EXPECT_LT(raw_block_id(ChainId::kTron, 5), raw_block_id(ChainId::kTron, 6));
  EXPECT_EQ(raw_block_id(ChainId::kTron, 0), 3 * kRawBlockChainSpan);
}

TEST(RawPack, EveryTruncationIsAnErrorNamingTheBlock) {
  Bytes packed;
  pack_block_logs(sample_block(42), packed);
  for (std::size_t size = 0; size < packed.size(); ++size) {
    auto back = unpack_block_logs(42, ByteSpan(packed).first(size));
    // A cut exactly between two logs is a shorter valid block.
    if (back) {
      EXPECT_GT(size, 1U);
      continue;
    }
    EXPECT_EQ(back.error().code, ErrorCode::kMalformed);
    EXPECT_NE(back.error().message.find("raw_block of block 42"), std::string::npos) << back.error().message;
  }
}

TEST(RawPack, UnknownFormatEmptyAndDescendingIndexesAreRefused) {
  Bytes packed;
  pack_block_logs(sample_block(1), packed);
  Bytes other_format = packed;
  other_format[0] = 2;
  auto format = unpack_block_logs(1, other_format);
  ASSERT_FALSE(format);
  EXPECT_NE(format.error().message.find("format 2"), std::string::npos) << format.error().message;

  auto empty = unpack_block_logs(1, Bytes{kRawPackFormat});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("no logs"), std::string::npos);

  std::vector<RawLog> logs = sample_block(1);
  std::swap(logs[0], logs[1]);  // indexes 3, 0, ...
  pack_block_logs(logs, packed);
  auto order = unpack_block_logs(1, packed);
  ASSERT_FALSE(order);
  EXPECT_NE(order.error().message.find("log_index 0 not above 3"), std::string::npos)
      << order.error().message;
}

TEST(RawPack, ALengthBeyondTheInputIsAnErrorNotARead) {
  const RawLog log = sample_block(1)[0];
  Bytes packed;
  pack_block_logs(std::vector<RawLog>{log}, packed);
  // The data length field is the 4 bytes before the data.
  const std::size_t length_at = packed.size() - log.data.size() - 4;
  packed[length_at] = 0xFF;
  auto back = unpack_block_logs(1, packed);
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message.find("data needs"), std::string::npos) << back.error().message;
}

TEST(RawPack, TooManyTopicsAreRefusedBeforePacking) {
  RawLog log = sample_block(1)[0];
  EXPECT_TRUE(check_packable(log));
  log.topics.resize(256);
  auto status = check_packable(log);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("256 topics"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace csd
