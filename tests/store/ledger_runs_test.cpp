// The ledger's runs (store/ledger_runs.hpp): rows written per batch, merged
// by level, probed per address, and cut back above a height; checked against
// the plain list of rows they hold.
#include "store/ledger_runs.hpp"

#include <algorithm>
#include <array>
#include <random>

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::evm;
using store_test::id32;
using store_test::TempDir;

// A batch of rows for blocks [from, to]: a few addresses, one of them (7) busy.
std::vector<LedgerRow> batch_rows(std::uint64_t from, std::uint64_t to, std::mt19937_64& rng) {
  std::vector<LedgerRow> rows;
  for (std::uint64_t block = from; block <= to; ++block) {
    for (std::uint32_t index = 0; index < 3; ++index) {
      const std::uint64_t who = rng() % 3 == 0 ? 7 : rng() % 40;
      // Transfers, which keep only their key, and locks, which keep their amount and contract.
      const LedgerKind kind = rng() % 4 == 0 ? LedgerKind::kLock : LedgerKind::kTransferIn;
      rows.push_back(stored_ledger_row(LedgerRow{
          evm(who), LedgerEntry{kind, U256(rng() % 1'000'000), evm(rng() % 40), id32(block * 10 + index),
                                block, index, static_cast<std::int64_t>(block * 3)}}));
    }
  }
  return rows;
}

class LedgerRunsTest : public ::testing::Test {
 protected:
  // Writes blocks [from, to] in batches of `per_batch` blocks, compacting after each.
  void write(std::uint64_t from, std::uint64_t to, std::uint64_t per_batch,
             const ledger_runs::Options& options) {
    for (std::uint64_t start = from; start <= to; start += per_batch) {
      const std::uint64_t end = std::min(to, start + per_batch - 1);
      auto rows = batch_rows(start, end, rng_);
      expected_.insert(expected_.end(), rows.begin(), rows.end());
      auto txn = db_.begin_write();
      ASSERT_TRUE(txn);
      ASSERT_TRUE(ledger_runs::write_run(*txn, rows));
      ASSERT_TRUE(ledger_runs::compact(*txn, end, options));
      ASSERT_TRUE(txn->commit());
    }
  }
  std::vector<LedgerRow> stored_rows_of(const EvmAddress& address) {
    auto txn = db_.begin_read();
    EXPECT_TRUE(txn);
    return ledger_runs::rows_of(*txn, address).value();
  }
  std::vector<LedgerRow> expected_rows_of(const EvmAddress& address) const {
    std::vector<LedgerRow> out;
    for (const LedgerRow& r : expected_)
      if (r.address == address) out.push_back(r);
    std::sort(out.begin(), out.end(), ledger_row_less);
    return out;
  }
  void expect_every_address_matches() {
    for (std::uint64_t who = 0; who < 41; ++who)
      EXPECT_EQ(stored_rows_of(evm(who)), expected_rows_of(evm(who))) << "address " << who;
    auto txn = db_.begin_read();
    ASSERT_TRUE(txn);
    auto all = ledger_runs::rows_above(*txn, -1).value();
    std::sort(all.begin(), all.end(), ledger_row_less);
    auto expected = expected_;
    std::sort(expected.begin(), expected.end(), ledger_row_less);
    EXPECT_EQ(all, expected);
  }
  std::int64_t runs_at(std::int64_t level) {
    return db_.query_int64("SELECT count(*) FROM ledger_run WHERE level = " + std::to_string(level)).value();
  }

  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
  std::mt19937_64 rng_{11};
  std::vector<LedgerRow> expected_;
};

TEST_F(LedgerRunsTest, EveryBatchIsARunUntilFanoutRunsMergeIntoTheNextLevel) {
  const ledger_runs::Options options{4, 0};
  write(1, 3, 1, options);
  EXPECT_EQ(runs_at(0), 3);
  write(4, 4, 1, options);  // the fourth level-0 run: merged into one level-1 run
  EXPECT_EQ(runs_at(0), 0);
  EXPECT_EQ(runs_at(1), 1);
  write(5, 16, 1, options);  // 16 batches: 4 level-1 runs, merged into one level-2 run
  EXPECT_EQ(runs_at(0), 0);
  EXPECT_EQ(runs_at(1), 0);
  EXPECT_EQ(runs_at(2), 1);
  expect_every_address_matches();
}

TEST_F(LedgerRunsTest, AnAddressSpanningManyChunksIsReadWhole) {
  write(1, 600, 600, ledger_runs::Options{});  // one run; address 7 has ~600 rows
  EXPECT_GT(db_.query_int64("SELECT count(*) FROM ledger_chunk").value(), 10);
  EXPECT_GT(expected_rows_of(evm(7)).size(), 450U);
  expect_every_address_matches();
}

TEST_F(LedgerRunsTest, RunsInTheReorgWindowStayAtLevelOne) {
  const ledger_runs::Options options{2, 10};
  write(1, 8, 1, options);  // checkpoint 8: nothing is below the window yet
  EXPECT_EQ(runs_at(0), 0);
  EXPECT_EQ(runs_at(1), 4);
  EXPECT_EQ(runs_at(2), 0);
  write(9, 30, 1, options);  // now the older level-1 runs are settled and merge on
  EXPECT_GT(runs_at(2) + runs_at(3) + runs_at(4), 0);
  // No run above level 1 holds a block of the window.
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM ledger_run WHERE level > 1 AND max_block > 20").value(), 0);
  expect_every_address_matches();
}

TEST_F(LedgerRunsTest, UnwindDropsRunsAboveAndRewritesTheOneThatStraddles) {
  const ledger_runs::Options options{3, 0};
  write(1, 40, 2, options);
  for (std::uint64_t height : {37ULL, 33ULL, 17ULL, 0ULL}) {
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(ledger_runs::unwind_above(*txn, height));
    ASSERT_TRUE(txn->commit());
    std::erase_if(expected_, [&](const LedgerRow& r) { return r.entry.block > height; });
    expect_every_address_matches();
    EXPECT_EQ(db_.query_int64("SELECT count(*) FROM ledger_run WHERE max_block > " + std::to_string(height))
                  .value(),
              0);
  }
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM ledger_chunk").value(), 0);
}

TEST_F(LedgerRunsTest, ACorruptChunkIsAnErrorNamingIt) {
  write(1, 2, 2, ledger_runs::Options{});
  ASSERT_TRUE(db_.exec("UPDATE ledger_chunk SET packed = x'01ff' WHERE id = 1"));
  auto txn = db_.begin_read();
  ASSERT_TRUE(txn);
  auto rows = ledger_runs::rows_above(*txn, -1);
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().message.find("ledger_chunk 1"), std::string::npos) << rows.error().message;
}

// write_run_by_address orders by the addresses' ranks when it can, and
// falls back to sorting when a row's address is missing or an address's rows
// are out of order; each way the run holds the same rows, in key order.
TEST_F(LedgerRunsTest, WriteRunByAddressStoresWhatWriteRunStores) {
  std::vector<LedgerRow> rows = batch_rows(1, 60, rng_);
  std::vector<EvmAddress> addresses;
  for (const LedgerRow& r : rows) addresses.push_back(r.address);
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  std::vector<LedgerRow> out_of_order = batch_rows(61, 70, rng_);
  std::reverse(out_of_order.begin(), out_of_order.end());
  const std::vector<LedgerRow> unlisted = {stored_ledger_row(
      LedgerRow{evm(999), LedgerEntry{LedgerKind::kTransferOut, U256(5), evm(1), id32(999), 71, 0, 213}})};
  for (const std::vector<LedgerRow>* batch :
       std::array<const std::vector<LedgerRow>*, 3>{&rows, &out_of_order, &unlisted}) {
    ledger_runs::RowBuffer buffer;
    for (const LedgerRow& r : *batch) buffer.add(r);
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(ledger_runs::write_run_by_address(*txn, buffer, addresses));
    ASSERT_TRUE(txn->commit());
    expected_.insert(expected_.end(), batch->begin(), batch->end());
  }
  expect_every_address_matches();
  EXPECT_EQ(stored_rows_of(evm(999)), unlisted);
  // Within each run, the chunks' rows are in key order (rows_above reads them so).
  auto txn = db_.begin_read();
  ASSERT_TRUE(txn);
  const auto all = ledger_runs::rows_above(*txn, -1).value();
  ASSERT_EQ(all.size(), rows.size() + out_of_order.size() + 1);
  EXPECT_TRUE(
      std::is_sorted(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(rows.size()), ledger_row_less));
  EXPECT_TRUE(std::is_sorted(all.begin() + static_cast<std::ptrdiff_t>(rows.size()),
                             all.begin() + static_cast<std::ptrdiff_t>(rows.size() + out_of_order.size()),
                             ledger_row_less));
}

TEST(LedgerRunsLevels, LevelForSizeGrowsByFanout) {
  const ledger_runs::Options options{8, 64};
  EXPECT_EQ(ledger_runs::level_for_size(1, options), 0);
  EXPECT_EQ(ledger_runs::level_for_size(8192, options), 0);
  EXPECT_EQ(ledger_runs::level_for_size(8193, options), 1);
  EXPECT_EQ(ledger_runs::level_for_size(8192 * 8 + 1, options), 2);
  EXPECT_LT(ledger_runs::level_for_size(UINT64_MAX, options), 64);
}

}  // namespace
}  // namespace csd
