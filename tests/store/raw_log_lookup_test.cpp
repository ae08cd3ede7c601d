// RawLogLookup (store/raw_log_lookup.hpp): a stored raw log by its position,
// its block's time, and a clear error for a position without a log or a
// raw_block row that does not unpack.
#include "store/raw_log_lookup.hpp"

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::evm;
using store_test::header;
using store_test::LogMaker;
using store_test::TempDir;

class RawLogLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const LogMaker make(contracts_);
    Batch batch;
    batch.blocks = {header(3), header(5)};
    batch.logs = {make.transfer(3, 0, evm(1), evm(2), U256(10)), make.transfer(3, 4, evm(2), evm(3), U256(7)),
                  make.transfer(5, 1, evm(3), evm(1), U256(2))};
    batch.checkpoint = header(5);
    logs_ = batch.logs;
    ASSERT_TRUE(writer_.apply(ChainId::kBsc, batch));
  }

  TempDir dir_;
  StoreContracts contracts_ = store_test::test_contracts();
  Writer writer_ = store_test::open_writer(dir_.file("store.db"), contracts_);
  std::vector<RawLog> logs_;
};

TEST_F(RawLogLookupTest, FindsEachLogWithItsBlockTimeInAnyOrder) {
  auto txn = writer_.database().begin_read();
  ASSERT_TRUE(txn);
  auto lookup = RawLogLookup::open(*txn);
  ASSERT_TRUE(lookup) << lookup.error().message;
  for (std::size_t i : {2U, 0U, 1U, 2U, 1U}) {  // across blocks and back: each reads its block
    auto found = lookup->at(logs_[i].block, logs_[i].log_index);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(*found->log, logs_[i]);
    EXPECT_EQ(found->block_time, header(logs_[i].block).time);
  }
}

TEST_F(RawLogLookupTest, APositionWithoutALogIsNotFoundNamingIt) {
  auto txn = writer_.database().begin_read();
  ASSERT_TRUE(txn);
  auto lookup = RawLogLookup::open(*txn).value();
  for (const auto& [block, index] :
       {std::pair<std::uint64_t, std::uint32_t>{3, 1}, {3, 5}, {4, 0}, {UINT64_MAX, 0}}) {
    auto found = lookup.at(block, index);
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
    EXPECT_NE(found.error().message.find("block " + std::to_string(block) + ", log " + std::to_string(index)),
              std::string::npos)
        << found.error().message;
  }
  EXPECT_TRUE(lookup.at(5, 1));  // and it still finds what is there
}

TEST_F(RawLogLookupTest, ARowThatDoesNotUnpackIsMalformed) {
  ASSERT_TRUE(writer_.database().exec("UPDATE raw_block SET logs = x'0100' WHERE height = 5"));
  auto txn = writer_.database().begin_read();
  ASSERT_TRUE(txn);
  auto lookup = RawLogLookup::open(*txn).value();
  auto found = lookup.at(5, 1);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kMalformed);
  EXPECT_TRUE(lookup.at(3, 4));
}

}  // namespace
}  // namespace csd
