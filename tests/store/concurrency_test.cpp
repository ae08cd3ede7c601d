// Readers against a live writer (issue 4): reader threads query continuously
// through the ReaderPool while the writer applies batches, and check in every
// snapshot invariants that a half-applied batch or a checkpoint ahead of (or
// behind) its rows would break. Also the pool's lending contract. The worst
// reader latency is printed, never asserted (STYLE: speed is measured, not tested).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "queries_test_support.hpp"
#include "store/reader_pool.hpp"

namespace csd::store_test {
namespace {

const EvmAddress kMint = evm(0);
const EvmAddress kAlice = evm(1);
const EvmAddress kBob = evm(2);

TEST(ReaderPool, LendsEachConnectionOnce) {
  QueryStore store;  // creates and migrates the file
  auto pool = ReaderPool::open(store.path(), 2);
  ASSERT_TRUE(pool) << pool.error().message;
  EXPECT_EQ((*pool)->size(), 2u);
  EXPECT_EQ((*pool)->available(), 2u);
  {
    ReaderPool::Lease first = (*pool)->acquire();
    ReaderPool::Lease second = (*pool)->acquire();
    EXPECT_NE(&first.db(), &second.db());
    EXPECT_EQ((*pool)->available(), 0u);
    EXPECT_FALSE((*pool)->try_acquire(std::chrono::milliseconds(0)).has_value());
    ReaderPool::Lease moved = std::move(first);  // a moved-from lease returns nothing
    EXPECT_EQ((*pool)->available(), 0u);
    EXPECT_TRUE(moved->read_only());
  }
  EXPECT_EQ((*pool)->available(), 2u);
  EXPECT_TRUE((*pool)->try_acquire(std::chrono::milliseconds(0)).has_value());
}

TEST(ReaderPool, BlockedAcquireWakesOnRelease) {
  QueryStore store;
  auto pool = ReaderPool::open(store.path(), 1);
  ASSERT_TRUE(pool) << pool.error().message;
  std::optional<ReaderPool::Lease> held((*pool)->acquire());
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    ReaderPool::Lease lease = (*pool)->acquire();  // blocks until `held` is released
    got = true;
  });
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ((*pool)->available(), 1u);
}

TEST(ReaderPool, ConnectionsAreReadOnly) {
  QueryStore store;
  auto pool = ReaderPool::open(store.path(), 1);
  ASSERT_TRUE(pool) << pool.error().message;
  ReaderPool::Lease lease = (*pool)->acquire();
  EXPECT_FALSE(lease->exec("DELETE FROM checkpoint"));
  EXPECT_FALSE(ReaderPool::open(store.path(), 0));
  EXPECT_FALSE(ReaderPool::open(store.path().parent_path() / "missing.db", 1));
}

// Every batch is one block holding two transfers of 1 TST from kMint, one to
// Alice and one to Bob. In any consistent snapshot at checkpoint n:
// balance(Alice) = balance(Bob) = n TST and each has n ledger rows.
TEST(StoreConcurrency, ReadersNeverSeeHalfAppliedBatches) {
  constexpr std::uint64_t kBatches = 300;
  constexpr std::size_t kReaders = 3;
  QueryStore store;
  auto pool_result = ReaderPool::open(store.path(), kReaders);
  ASSERT_TRUE(pool_result) << pool_result.error().message;
  ReaderPool& pool = **pool_result;
  const QueryConfig config;

  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> reads{0};
  std::atomic<std::uint64_t> violations{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::int64_t> worst_ns{0};
  std::atomic<std::uint64_t> highest_seen{0};

  auto reader = [&] {
    std::uint64_t last_seen = 0;
    while (!done.load()) {
      const auto start = std::chrono::steady_clock::now();
      ReaderPool::Lease lease = pool.acquire();
      auto txn = lease->begin_read();
      if (!txn) {
        ++errors;
        continue;
      }
      Queries q(*txn, config);
      auto alice = q.access(kAlice, kMidnight);
      auto bob = q.access(kBob, kMidnight);
      auto ledger = q.ledger(kAlice, PageRequest{0, 0});
      const auto elapsed = std::chrono::steady_clock::now() - start;
      if (!alice || !bob || !ledger) {
        ++errors;
        continue;
      }
      const std::uint64_t n = alice->as_of ? alice->as_of->block : 0;
      const bool consistent = alice->tst_balance == tst(n) && bob->tst_balance == tst(n) &&
                              ledger->pagination.total == n && bob->as_of == alice->as_of &&
                              n >= last_seen;  // snapshots never go back in time
      if (!consistent) ++violations;
      last_seen = n;
      std::uint64_t seen = highest_seen.load();
      while (n > seen && !highest_seen.compare_exchange_weak(seen, n)) {
      }
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
      std::int64_t prev = worst_ns.load();
      while (ns > prev && !worst_ns.compare_exchange_weak(prev, ns)) {
      }
      ++reads;
    }
  };

  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kReaders; ++i) threads.emplace_back(reader);
  for (std::uint64_t b = 1; b <= kBatches; ++b) {
    const auto h = store.block(kMidnight + static_cast<std::int64_t>(b));
    store.add(store.make().transfer(h, store.index(), kMint, kAlice, tst(1)));
    store.add(store.make().transfer(h, store.index(), kMint, kBob, tst(1)));
    store.commit(ChainId::kBsc);
    if (::testing::Test::HasFatalFailure()) break;
  }
  // Let every reader see the final state at least once before stopping.
  while (highest_seen.load() < kBatches && errors.load() == 0 && violations.load() == 0)
    std::this_thread::yield();
  done = true;
  for (auto& t : threads) t.join();

  EXPECT_EQ(violations.load(), 0u);
  EXPECT_EQ(errors.load(), 0u);
  EXPECT_EQ(highest_seen.load(), kBatches);
  EXPECT_GT(reads.load(), 0u);
  std::printf("[ concurrency ] %llu reads by %zu readers during %llu batches; worst reader latency %.3f ms\n",
              static_cast<unsigned long long>(reads.load()), kReaders,
              static_cast<unsigned long long>(kBatches), static_cast<double>(worst_ns.load()) / 1e6);
}

}  // namespace
}  // namespace csd::store_test
