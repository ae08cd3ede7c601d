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

Hash32 evm_word(std::uint64_t n) {  // an address as an indexed topic holds it
  Hash32 word{};
  const EvmAddress address = evm(n);
  std::copy(address.bytes.begin(), address.bytes.end(), word.bytes.begin() + 12);
  return word;
}

std::vector<RawLog> sample_block(std::uint64_t height) {
  const LogMaker make(test_contracts());
  std::vector<RawLog> logs = {make.transfer(height, 0, evm(1), evm(2), U256(7)),
                              make.locked(height, 3, id32(9), evm(1), U256(5), 4'000'000'000, "agreement-1"),
                              make.transfer(height, 4, evm(2), evm(2), U256::max())};
  logs[1].tx_hash = logs[0].tx_hash;  // two logs of one transaction
  RawLog bare;                        // LOG0 with no data: the smallest log
  bare.block = height;
  bare.log_index = 0xFFFFFFFF;
  bare.tx_hash = id32(77);
  bare.address = evm(5);
  logs.push_back(bare);
  RawLog odd = bare;  // data that is not whole words, a zero topic and a full one
  odd.log_index = 0xFFFFFFFE;
  odd.tx_hash = id32(78);
  odd.topics = {id32(3), Hash32{}, id32(4)};
  odd.data = {0, 0, 0xAA};
  logs.insert(logs.end() - 1, odd);
  return logs;
}

Bytes pack(const std::vector<RawLog>& logs, std::uint8_t format = kRawPackFormat) {
  Bytes packed;
  pack_block_logs(logs, packed, format);
  return packed;
}

TEST(RawPack, RoundTripsABlockOfLogsInEitherFormat) {
  const std::vector<RawLog> logs = sample_block(1234);
  for (std::uint8_t format : {kRawPackFormat, kRawPackFormat1}) {
    const Bytes packed = pack(logs, format);
    EXPECT_EQ(packed[0], format);
    auto back = unpack_block_logs(1234, packed);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, logs);
  }
  EXPECT_LT(pack(logs).size(), pack(logs, kRawPackFormat1).size() * 3 / 4);
}

TEST(RawPack, Format1LayoutIsFixedFieldsBigEndian) {
  RawLog log;
  log.block = 1;
  log.log_index = 0x01020304;
  log.tx_hash = id32(1);
  log.address = evm(2);
  log.topics = {id32(3)};
  log.data = {0xAA, 0xBB};
  const Bytes packed = pack({log}, kRawPackFormat1);
  ASSERT_EQ(packed.size(), 1U + 4 + 32 + 20 + 1 + 32 + 4 + 2);
  EXPECT_EQ(packed[0], kRawPackFormat1);
  EXPECT_EQ(to_hex(ByteSpan(packed).subspan(1, 4), false), "01020304");
  EXPECT_EQ(packed[1 + 4 + 32 + 20], 1);  // topic count
  EXPECT_EQ(to_hex(ByteSpan(packed).last(6), false), "00000002aabb");
}

// Two logs of one transaction from one contract with one signature: the
// address and topic0 once, the second tx_hash as a flag, words without their
// leading zero bytes.
TEST(RawPack, Format2LayoutSharesWhatTheLogsShare) {
  RawLog a;
  a.block = 1;
  a.log_index = 300;
  a.tx_hash = id32(1);
  a.address = evm(2);
  a.topics = {id32(3), Hash32{}};
  a.data = Bytes(32, 0);
  a.data[31] = 0x05;
  RawLog b = a;
  b.log_index = 301;
  b.data = {0xAA};
  const Bytes packed = pack({a, b});
  const std::string expected =
      "02"  // format
      "01" +
      to_hex(evm(2).span(), false) +          // one emitter
      "01" + to_hex(id32(3).span(), false) +  // one topic0
      "ac02"
      "02" +
      to_hex(id32(1).span(), false) +  // 300, data as words, tx_hash
      "00"
      "02"
      "00"
      "00"  // emitter 0, 2 topics: topic0 0, a zero word
      "20"
      "0105"  // 32 bytes of data: one word, 0x05
      "ad02"
      "01"
      "00"
      "02"
      "00"
      "00"  // 301, same tx_hash, emitter 0, topics
      "01"
      "aa";  // 1 byte of data, as it is
  EXPECT_EQ(to_hex(packed, false), expected);
}

TEST(RawPack, IdKeepsChainsApartAndHeightsInOrder) {
  EXPECT_LT(raw_block_id(ChainId::kBsc, kMaxStoredHeight), raw_block_id(ChainId::kSolana, 0));
  EXPECT_LT(raw_block_id(ChainId::kTron, 5), raw_block_id(ChainId::kTron, 6));
  EXPECT_EQ(raw_block_id(ChainId::kTron, 0), 3 * kRawBlockChainSpan);
}

TEST(RawPack, EveryTruncationIsAnErrorNamingTheBlock) {
  for (std::uint8_t format : {kRawPackFormat, kRawPackFormat1}) {
    const Bytes packed = pack(sample_block(42), format);
    for (std::size_t size = 0; size < packed.size(); ++size) {
      auto back = unpack_block_logs(42, ByteSpan(packed).first(size));
      // A cut exactly between two logs is a shorter valid block.
      if (back) {
        EXPECT_GT(size, 1U);
        continue;
      }
      EXPECT_EQ(back.error().code, ErrorCode::kMalformed);
      EXPECT_NE(back.error().message.find("raw_block of block 42"), std::string::npos)
          << back.error().message;
    }
  }
}

TEST(RawPack, UnknownFormatEmptyAndDescendingIndexesAreRefused) {
  Bytes other_format = pack(sample_block(1));
  other_format[0] = 3;
  auto format = unpack_block_logs(1, other_format);
  ASSERT_FALSE(format);
  EXPECT_NE(format.error().message.find("format 3"), std::string::npos) << format.error().message;

  for (std::uint8_t f : {kRawPackFormat, kRawPackFormat1}) {
    auto empty = unpack_block_logs(1, f == kRawPackFormat ? Bytes{f, 0, 0} : Bytes{f});
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.error().message.find("no logs"), std::string::npos) << empty.error().message;

    std::vector<RawLog> logs = sample_block(1);
    std::swap(logs[0], logs[1]);  // indexes 3, 0, ...
    auto order = unpack_block_logs(1, pack(logs, f));
    ASSERT_FALSE(order);
    EXPECT_NE(order.error().message.find("log_index 0 not above 3"), std::string::npos)
        << order.error().message;
  }
}

// Format 2 has one encoding per block: anything the packer would not write is refused.
TEST(RawPack, Format2RefusesEveryOtherEncodingOfTheSameLogs) {
  RawLog a;
  a.block = 1;
  a.tx_hash = id32(1);
  a.address = evm(2);
  a.topics = {id32(3), evm_word(4)};
  a.data = {0xAA};
  RawLog b = a;
  b.log_index = 1;
  b.tx_hash = id32(2);
  const Bytes good = pack({a, b});
  ASSERT_TRUE(unpack_block_logs(1, good));
  const auto refused = [](const Bytes& bad, std::string_view fault) {
    auto back = unpack_block_logs(1, bad);
    ASSERT_FALSE(back) << fault;
    EXPECT_EQ(back.error().code, ErrorCode::kMalformed);
    EXPECT_NE(back.error().message.find(fault), std::string::npos) << back.error().message;
  };
  const std::size_t first_log = 1 + 1 + 20 + 1 + 32;
  Bytes edited = good;
  edited[first_log + 1] = 0x01;  // the first log says "the tx_hash before"
  refused(edited, "first log takes the tx_hash");
  edited = good;
  edited[first_log + 1] = 0x04;
  refused(edited, "flags 4");
  edited = good;
  edited[first_log + 1] = 0x02;  // one byte of data said to be words
  refused(edited, "data of 1 bytes with flags 2");
  // The second log repeating the first's tx_hash without the flag.
  RawLog same = b;
  same.tx_hash = a.tx_hash;
  Bytes spelled = pack({a, same});
  const std::size_t second_log = pack({a}).size();
  ASSERT_EQ(spelled[second_log + 1], 0x01);
  spelled[second_log + 1] = 0x00;
  spelled.insert(spelled.begin() + static_cast<std::ptrdiff_t>(second_log + 2), a.tx_hash.bytes.begin(),
                 a.tx_hash.bytes.end());
  refused(spelled, "tx_hash repeats");
  // An emitter listed twice, listed but unused, or used before the one listed first.
  RawLog c = b;
  c.log_index = 2;
  c.address = evm(3);
  Bytes two = pack({a, c});  // emitters evm(2), evm(3)
  Bytes duplicate = two;
  std::copy(duplicate.begin() + 2, duplicate.begin() + 22, duplicate.begin() + 22);
  refused(duplicate, "emitter 1 repeats");
  Bytes unused = pack({a, b});
  unused[1] = 2;  // two emitters, the second evm(3)
  const EvmAddress three = evm(3);
  const Bytes extra(three.bytes.begin(), three.bytes.end());
  unused.insert(unused.begin() + 22, extra.begin(), extra.end());
  refused(unused, "emitter 1 is listed but never used");
  Bytes early = two;
  const std::size_t emitter_of_first_log = 1 + 1 + 2 * 20 + 1 + 32 + 1 + 1 + 32;
  ASSERT_EQ(early[emitter_of_first_log], 0);
  early[emitter_of_first_log] = 1;
  refused(early, "emitter index 1 (2 listed, 0 used so far)");
  // A word with a leading zero byte (the indexed address, 20 bytes, as 21).
  Bytes padded = good;
  const std::size_t word_at = first_log + 1 + 1 + 32 + 1 + 1 + 1;
  ASSERT_EQ(padded[word_at], 20);
  padded[word_at] = 21;
  padded.insert(padded.begin() + static_cast<std::ptrdiff_t>(word_at + 1), 0);
  refused(padded, "topic with a leading zero byte");
}

TEST(RawPack, ALengthBeyondTheInputIsAnErrorNotARead) {
  const RawLog log = sample_block(1)[0];
  Bytes packed = pack({log}, kRawPackFormat1);
  // The data length field is the 4 bytes before the data.
  const std::size_t length_at = packed.size() - log.data.size() - 4;
  packed[length_at] = 0xFF;
  auto back = unpack_block_logs(1, packed);
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message.find("data needs"), std::string::npos) << back.error().message;
  // Format 2: a data length of 2^63 bytes, said to be words.
  RawLog words = log;
  Bytes v2 = pack({words});
  ASSERT_EQ(v2[v2.size() - 3], 32);  // 32 bytes of data: one word, 0x07
  v2.resize(v2.size() - 3);
  for (int i = 0; i < 9; ++i) v2.push_back(0x80);
  v2.push_back(0x01);  // varint 2^63
  auto huge = unpack_block_logs(1, v2);
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("data of 9223372036854775808 bytes"), std::string::npos)
      << huge.error().message;
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
