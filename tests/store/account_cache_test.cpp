// The writer's cache of committed account totals (store/derive.hpp
// AccountCache): complete after load() when the store has few enough accounts
// (an address it lacks then has zero totals, with no page read), incomplete
// when there are more or after it outgrows its bound, reset by clear().
#include <gtest/gtest.h>

#include "store/derive.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_derive::AccountCache;
using store_derive::AccountTotals;
using store_derive::AccountTotalsList;
using store_test::evm;
using store_test::TempDir;

class AccountCacheTest : public ::testing::Test {
 protected:
  void store(const AccountTotalsList& totals) {
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
  static AccountTotalsList numbered(std::uint64_t from, std::uint64_t to) {
    AccountTotalsList out;
    for (std::uint64_t n = from; n <= to; ++n) out.emplace_back(evm(n), AccountTotals{U256(n), U256(1)});
    return out;
  }

  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
};

TEST_F(AccountCacheTest, AnEmptyStoreLoadsCompleteAndAnUnknownAddressHasZeroTotals) {
  AccountCache cache;
  EXPECT_FALSE(cache.find(evm(1)));  // not loaded: unknown
  load(cache);
  EXPECT_TRUE(cache.complete());
  EXPECT_EQ(cache.find(evm(1)), AccountTotals{});
}

TEST_F(AccountCacheTest, LoadReadsEveryStoredAccount) {
  store(numbered(1, 500));  // several pages
  AccountCache cache;
  load(cache);
  ASSERT_TRUE(cache.complete());
  for (std::uint64_t n = 1; n <= 500; ++n)
    EXPECT_EQ(cache.find(evm(n)), (AccountTotals{U256(n), U256(1)})) << n;
  EXPECT_EQ(cache.find(evm(501)), AccountTotals{});
}

TEST_F(AccountCacheTest, LoadRunsOncePerClear) {
  AccountCache cache;
  load(cache);
  store(numbered(1, 3));  // written behind the cache's back: a second load() must not read it
  load(cache);
  EXPECT_EQ(cache.find(evm(2)), AccountTotals{});
  cache.clear();
  EXPECT_FALSE(cache.complete());
  EXPECT_FALSE(cache.find(evm(2)));
  load(cache);
  EXPECT_EQ(cache.find(evm(2)), (AccountTotals{U256(2), U256(1)}));
}

TEST_F(AccountCacheTest, MergedTotalsReplaceCachedOnes) {
  AccountCache cache;
  load(cache);
  cache.merge(numbered(1, 2));
  cache.merge({{evm(2), AccountTotals{U256(7), U256(8)}}});
  EXPECT_EQ(cache.find(evm(1)), (AccountTotals{U256(1), U256(1)}));
  EXPECT_EQ(cache.find(evm(2)), (AccountTotals{U256(7), U256(8)}));
  EXPECT_TRUE(cache.complete());
}

TEST_F(AccountCacheTest, OutgrowingTheBoundStartsOverIncomplete) {
  AccountCache cache;
  load(cache);
  cache.merge(numbered(1, AccountCache::kMaxEntries));
  EXPECT_TRUE(cache.complete());
  cache.merge(numbered(AccountCache::kMaxEntries + 1, AccountCache::kMaxEntries + 1));
  EXPECT_FALSE(cache.complete());
  EXPECT_FALSE(cache.find(evm(1)));  // dropped: unknown, not zero
  EXPECT_EQ(cache.find(evm(AccountCache::kMaxEntries + 1)),
            (AccountTotals{U256(AccountCache::kMaxEntries + 1), U256(1)}));
}

TEST_F(AccountCacheTest, AStoreWithMoreAccountsThanTheBoundLoadsIncomplete) {
  store(numbered(1, AccountCache::kMaxEntries + 1));
  AccountCache cache;
  load(cache);
  EXPECT_FALSE(cache.complete());
  EXPECT_FALSE(cache.find(evm(1)));
}

}  // namespace
}  // namespace csd
