// BSC user states as runs over the pages (store/account_states.hpp): after
// every write, reads (one address, its totals, every state) equal a plain
// map of the same states, whether a state sits in a run or a page; runs fold
// into the pages on the kRunsPerFold-th write; a removal in a run hides the
// page's state; a run larger than a chunk splits; and the run chunk codec's
// errors.
#include "store/account_states.hpp"

#include <random>

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using account_states::AccountTotals;
using account_states::UserState;
using account_states::UserStateMap;
using store_test::evm;
using store_test::id32;
using store_test::TempDir;

UserState totals(std::uint64_t received, std::uint64_t sent) {
  return UserState{AccountTotals{U256(received), U256(sent)}, {}, {}, {}};
}

// A state whose open locks make it about `locks` × 100 bytes.
UserState with_locks(std::uint64_t seed, std::size_t locks) {
  UserState state = totals(seed, 0);
  for (std::size_t i = 0; i < locks; ++i) {
    state.locks.push_back(store_derive::OpenLock{id32(seed * 1000 + i),
                                                 {seed, static_cast<std::uint32_t>(i)},
                                                 id32(7),
                                                 U256::max(),
                                                 4'000'000'000,
                                                 "agreement-" + std::to_string(i)});
  }
  return state;
}

class AccountStatesTest : public ::testing::Test {
 protected:
  void write(const UserStateMap& updates) {
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(account_states::write(*txn, account_states::UserStateList(updates.begin(), updates.end())));
    ASSERT_TRUE(txn->commit());
    for (const auto& [address, state] : updates) {
      if (state.empty()) {
        expected_.erase(address);
      } else {
        expected_[address] = state;
      }
    }
  }
  void expect_stored_equals_expected(std::uint64_t probe_up_to) {
    auto txn = db_.begin_read();
    ASSERT_TRUE(txn);
    EXPECT_EQ(account_states::read_all(*txn).value(), expected_);
    for (std::uint64_t n = 0; n <= probe_up_to; ++n) {
      auto stored = account_states::read(*txn, evm(n)).value();
      auto it = expected_.find(evm(n));
      if (it == expected_.end()) {
        EXPECT_FALSE(stored) << n;
        EXPECT_FALSE(account_states::read_totals(*txn, evm(n)).value()) << n;
      } else {
        ASSERT_TRUE(stored) << n;
        EXPECT_EQ(*stored, it->second) << n;
        EXPECT_EQ(account_states::read_totals(*txn, evm(n)).value(), it->second.totals) << n;
      }
    }
  }
  std::int64_t runs() { return db_.query_int64("SELECT count(DISTINCT seq) FROM account_run").value(); }
  std::int64_t page_entries() {
    auto txn = db_.begin_read();
    return static_cast<std::int64_t>(account_pages::read_all(*txn).value().size());
  }

  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
  UserStateMap expected_;
};

TEST_F(AccountStatesTest, WritesRunUntilTheFoldAndReadsTheNewestState) {
  write({{evm(1), totals(5, 0)}, {evm(2), totals(7, 1)}});
  EXPECT_EQ(runs(), 1);
  EXPECT_EQ(page_entries(), 0);
  expect_stored_equals_expected(4);
  // A newer run changes one state and removes another.
  write({{evm(1), totals(6, 0)}, {evm(2), UserState{}}, {evm(3), with_locks(3, 2)}});
  EXPECT_EQ(runs(), 2);
  expect_stored_equals_expected(4);
  for (std::int64_t run = 3; run < account_states::kRunsPerFold; ++run) {
    write({{evm(2), totals(9, static_cast<std::uint64_t>(run))}});
    EXPECT_EQ(runs(), run);
    expect_stored_equals_expected(4);
  }
  // The next write folds the runs and itself into the pages.
  write({{evm(3), UserState{}}, {evm(4), totals(1, 1)}});
  EXPECT_EQ(runs(), 0);
  EXPECT_EQ(page_entries(), 3);
  expect_stored_equals_expected(5);
  // A run's removal hides the state in the page until the next fold removes it there.
  write({{evm(4), UserState{}}});
  EXPECT_EQ(page_entries(), 3);
  expect_stored_equals_expected(5);
  {
    auto txn = db_.begin_write();
    ASSERT_TRUE(account_states::fold(*txn));
    ASSERT_TRUE(txn->commit());
  }
  EXPECT_EQ(runs(), 0);
  EXPECT_EQ(page_entries(), 2);
  expect_stored_equals_expected(5);
}

TEST_F(AccountStatesTest, RandomWritesMatchAPlainMapThroughFolds) {
  std::mt19937_64 rng(11);
  for (int batch = 0; batch < 14; ++batch) {
    UserStateMap updates;
    for (int i = 0; i < 150; ++i) {
      const std::uint64_t n = 1 + rng() % 2000;
      const std::uint64_t roll = rng() % 10;
      updates[evm(n)] = roll == 0 ? UserState{} : roll == 1 ? with_locks(n, 1 + rng() % 3) : totals(rng(), n);
    }
    write(updates);
    EXPECT_EQ(runs(), (batch + 1) % account_states::kRunsPerFold) << batch;
    if (batch % 3 == 0) expect_stored_equals_expected(2001);
  }
  expect_stored_equals_expected(2001);
  auto txn = db_.begin_write();
  ASSERT_TRUE(txn);
  EXPECT_EQ(account_states::read_all_up_to(*txn, expected_.size()).value(),
            account_states::UserStateList(expected_.begin(), expected_.end()));
  EXPECT_FALSE(account_states::read_all_up_to(*txn, expected_.size() - 1).value());
}

TEST_F(AccountStatesTest, ALargeRunSplitsIntoChunksFromTheZeroAddress) {
  UserStateMap updates;
  for (std::uint64_t n = 10; n < 130; ++n) updates[evm(n)] = with_locks(n, 3);
  write(updates);
  EXPECT_EQ(runs(), 1);
  EXPECT_GT(db_.query_int64("SELECT count(*) FROM account_run").value(), 3);
  const auto limit = account_pages::page_sizing(db_.query_int64("PRAGMA page_size").value()).limit;
  EXPECT_LE(db_.query_int64("SELECT max(length(packed)) FROM account_run").value(),
            static_cast<std::int64_t>(limit));
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM account_run WHERE first_address = zeroblob(20)").value(),
            1);
  expect_stored_equals_expected(140);
}

TEST(AccountRunChunk, RoundTripsRemovalsAndNamesWhatIsWrong) {
  const UserState state = totals(3, 4);
  const UserState removed;
  const std::vector<std::pair<EvmAddress, const UserState*>> states = {{evm(1), &state}, {evm(2), &removed}};
  Bytes buffer;
  Bytes chunk;
  account_pages::encode_run_chunk(account_pages::encode_entries(states, buffer), chunk);
  const auto entries = account_pages::decode_run_chunk(chunk, "run").value();
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0], std::make_pair(evm(1), state));
  EXPECT_EQ(entries[1], std::make_pair(evm(2), removed));
  EXPECT_TRUE(account_pages::find_in_run_chunk(chunk, evm(2), "run").value()->empty());
  EXPECT_FALSE(account_pages::find_in_run_chunk(chunk, evm(3), "run").value());
  // A page would refuse the removal; a chunk refuses any format but 3.
  EXPECT_FALSE(account_pages::decode_page(chunk, "page"));
  chunk[0] = account_pages::kPageFormatNoQuota;
  auto wrong = account_pages::decode_run_chunk(chunk, "account_run 9");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("account_run 9, offset 0: not a format-3 run chunk"),
            std::string::npos)
      << wrong.error().message;
  chunk[0] = account_pages::kPageFormat;
  chunk.pop_back();  // cuts the last entry's length short
  EXPECT_FALSE(account_pages::decode_run_chunk(chunk, "run"));
}

}  // namespace
}  // namespace csd
