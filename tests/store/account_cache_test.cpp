// The writer's cache of user states (store/derive.hpp AccountCache): complete
// after load() when the store has few enough accounts (an address it lacks
// then has an empty state, with no page read), incomplete when there are more
// or after it outgrows its bound, reset by clear(); a batch changes states in
// place and gets the touched ones back sorted.
#include <gtest/gtest.h>

#include "store/derive.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_derive::AccountCache;
using store_derive::AccountTotals;
using store_derive::UserState;
using store_derive::UserStateList;
using store_test::evm;
using store_test::TempDir;

class AccountCacheTest : public ::testing::Test {
 protected:
  void store(const UserStateList& totals) {
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(account_pages::write(*txn, totals));
    ASSERT_TRUE(txn->commit());
  }
  void load(AccountCache& cache) {
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(cache.load(*txn));
    ASSERT_TRUE(txn->commit());
  }
  // Totals of addresses 1..n: received = address number, sent = 1.
  static UserStateList numbered(std::uint64_t from, std::uint64_t to) {
    UserStateList out;
    for (std::uint64_t n = from; n <= to; ++n)
      out.emplace_back(evm(n), UserState{AccountTotals{U256(n), U256(1)}, {}, {}, {}});
    return out;
  }
  // What the deriver takes from the cache: the committed totals when known
  // (zero for an address a complete cache lacks), nullopt when unknown.
  static std::optional<AccountTotals> totals(const AccountCache& cache, const EvmAddress& address) {
    if (const UserState* state = cache.find(address)) return state->totals;
    if (cache.complete()) return AccountTotals{};
    return std::nullopt;
  }

  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
};

TEST_F(AccountCacheTest, AnEmptyStoreLoadsCompleteAndAnUnknownAddressHasZeroTotals) {
  AccountCache cache;
  EXPECT_FALSE(totals(cache, evm(1)));  // not loaded: unknown
  load(cache);
  EXPECT_TRUE(cache.complete());
  EXPECT_EQ(totals(cache, evm(1)), AccountTotals{});
}

TEST_F(AccountCacheTest, LoadReadsEveryStoredAccount) {
  store(numbered(1, 500));  // several pages
  AccountCache cache;
  load(cache);
  ASSERT_TRUE(cache.complete());
  for (std::uint64_t n = 1; n <= 500; ++n)
    EXPECT_EQ(totals(cache, evm(n)), (AccountTotals{U256(n), U256(1)})) << n;
  EXPECT_EQ(totals(cache, evm(501)), AccountTotals{});
}

TEST_F(AccountCacheTest, LoadRunsOncePerClear) {
  AccountCache cache;
  load(cache);
  store(numbered(1, 3));  // written behind the cache's back: a second load() must not read it
  load(cache);
  EXPECT_EQ(totals(cache, evm(2)), AccountTotals{});
  cache.clear();
  EXPECT_FALSE(cache.complete());
  EXPECT_FALSE(totals(cache, evm(2)));
  load(cache);
  EXPECT_EQ(totals(cache, evm(2)), (AccountTotals{U256(2), U256(1)}));
}

TEST_F(AccountCacheTest, TouchedStatesChangeInPlaceAndComeOutSortedOnce) {
  store(numbered(1, 2));
  AccountCache cache;
  load(cache);
  auto txn = db_.begin_write();
  ASSERT_TRUE(txn);
  UserState* two = cache.touch(*txn, evm(2)).value();
  two->totals.received = U256(7);
  two->stakes.push_back(
      store_derive::OpenStake{store_test::id32(5), {3, 1}, store_test::id32(6), 100, 2, U256(25), 200});
  const UserState changed = *two;
  UserState* nine = cache.touch(*txn, evm(9)).value();  // unknown to a complete cache: empty
  EXPECT_TRUE(nine->empty());
  nine->totals.sent = U256(1);
  ASSERT_TRUE(cache.touch(*txn, evm(2)));  // again: listed once
  const auto touched = cache.take_touched();
  ASSERT_EQ(touched.size(), 2U);
  EXPECT_EQ(touched[0].first, evm(2));
  EXPECT_EQ(*touched[0].second, changed);
  EXPECT_EQ(touched[1].first, evm(9));
  EXPECT_TRUE(cache.take_touched().empty());
  cache.committed();
  EXPECT_EQ(*cache.find(evm(2)), changed);  // totals and open objects
  EXPECT_EQ(totals(cache, evm(1)), (AccountTotals{U256(1), U256(1)}));
  EXPECT_EQ(totals(cache, evm(9)), (AccountTotals{U256(0), U256(1)}));
  EXPECT_TRUE(cache.complete());
}

TEST_F(AccountCacheTest, AnIncompleteCacheReadsTheStateOfAnUnknownAddressFromItsPage) {
  UserStateList stored = numbered(5, 5);
  stored[0].second.locks.push_back(
      store_derive::OpenLock{store_test::id32(1), {4, 0}, store_test::id32(2), U256(3), 100, "a"});
  store(stored);
  AccountCache cache;  // not loaded: incomplete
  auto txn = db_.begin_write();
  ASSERT_TRUE(txn);
  EXPECT_EQ(*cache.touch(*txn, evm(5)).value(), stored[0].second);
  EXPECT_TRUE(cache.touch(*txn, evm(6)).value()->empty());
}

TEST_F(AccountCacheTest, OutgrowingTheBoundStartsOverIncomplete) {
  AccountCache cache;
  load(cache);
  auto txn = db_.begin_write();
  ASSERT_TRUE(txn);
  for (std::uint64_t n = 1; n <= AccountCache::kMaxEntries; ++n)
    cache.touch(*txn, evm(n)).value()->totals.received = U256(n);
  EXPECT_EQ(cache.take_touched().size(), AccountCache::kMaxEntries);
  cache.committed();
  EXPECT_TRUE(cache.complete());
  cache.touch(*txn, evm(AccountCache::kMaxEntries + 1)).value()->totals.received = U256(1);
  EXPECT_EQ(cache.take_touched().size(), 1U);
  cache.committed();
  EXPECT_FALSE(cache.complete());
  EXPECT_FALSE(totals(cache, evm(1)));  // dropped: unknown, not zero
  EXPECT_FALSE(totals(cache, evm(AccountCache::kMaxEntries + 1)));
}

TEST_F(AccountCacheTest, AStoreWithMoreAccountsThanTheBoundLoadsIncomplete) {
  store(numbered(1, AccountCache::kMaxEntries + 1));
  AccountCache cache;
  load(cache);
  EXPECT_FALSE(cache.complete());
  EXPECT_FALSE(totals(cache, evm(1)));
}

}  // namespace
}  // namespace csd
