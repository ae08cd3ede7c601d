// Rollback and rederive: after rolling back k blocks and applying another
// branch, the store equals the final branch applied to an empty store (a
// canonical dump of every table); rederive rebuilds exactly what apply built.
// Random chains from fixed seeds, for each chain kind.
#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::BlockData;
using store_test::TempDir;

struct Scenario {
  ChainId chain;
  std::uint32_t seed;
};

std::string scenario_name(const Scenario& s) {
  return std::string(chain_name(s.chain)) + "_" + std::to_string(s.seed);
}
void PrintTo(const Scenario& s, std::ostream* out) {
  *out << scenario_name(s);
}

class RollbackScenario : public ::testing::TestWithParam<Scenario> {};

TEST_P(RollbackScenario, RollbackThenOtherBranchEqualsFreshFinalBranch) {
  const auto [chain, seed] = GetParam();
  const StoreContracts contracts = store_test::test_contracts();
  std::mt19937 rng(seed);
  const std::uint64_t n = 20 + rng() % 30;
  const std::uint64_t k = 1 + rng() % 15;
  const std::uint64_t h = n - k;
  const std::uint64_t m = h + 1 + rng() % 25;
  const std::size_t per_batch = 1 + rng() % 6;

  const std::vector<BlockData> a = store_test::random_chain(chain, contracts, seed, 1, n, 0);
  std::vector<BlockData> b(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(h));
  const auto tail = store_test::random_chain(chain, contracts, seed + 1000, h + 1, m, 1);
  b.insert(b.end(), tail.begin(), tail.end());

  TempDir dir;
  // Every header kept: a header pruned below the reorg window cannot come
  // back, so with pruning the block table depends on the highest checkpoint
  // ever reached (pruning has its own tests in writer_test.cpp).
  WriterOptions keep_headers;
  keep_headers.max_reorg_depth = 0;
  // Small fanouts merge the ledger's runs across several levels within a few
  // batches, so rollbacks cut through merged runs (store/ledger_runs.hpp).
  keep_headers.ledger_run_fanout = 2 + seed % 3;
  Writer reorged = store_test::open_writer(dir.file("reorged.db"), contracts, keep_headers);
  store_test::apply_all(reorged, chain, store_test::to_batches(a, per_batch));
  ASSERT_TRUE(reorged.rollback(chain, h));
  EXPECT_EQ(reorged.checkpoint(chain).value()->height, h);
  store_test::apply_all(reorged, chain, store_test::to_batches(tail, per_batch));

  Writer fresh = store_test::open_writer(dir.file("fresh.db"), contracts, keep_headers);
  store_test::apply_all(fresh, chain, store_test::to_batches(b, per_batch + 1));

  const std::string expected = store_test::dump(fresh);
  EXPECT_EQ(store_test::dump(reorged), expected);

  // Rolled back to h and then to 0 equals an empty store plus the prefix.
  ASSERT_TRUE(reorged.rollback(chain, h));
  Writer prefix = store_test::open_writer(dir.file("prefix.db"), contracts, keep_headers);
  store_test::apply_all(
      prefix, chain,
      store_test::to_batches(std::vector<BlockData>(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(h)),
                             per_batch));
  EXPECT_EQ(store_test::dump(reorged), store_test::dump(prefix));
}

TEST_P(RollbackScenario, WithPruningAReorgToALongerBranchEqualsFreshFinalBranch) {
  // A shallow window (8) so pruning runs in every batch; the new branch is at
  // least as long as the old, as in a real reorg, so both stores reached the
  // same highest checkpoint and pruned the same headers.
  const auto [chain, seed] = GetParam();
  const StoreContracts contracts = store_test::test_contracts();
  std::mt19937 rng(seed * 13 + 5);
  const std::uint64_t n = 20 + rng() % 30;
  const std::uint64_t h = n - 1 - rng() % 8;  // inside the window
  const std::uint64_t m = n + rng() % 10;
  const std::size_t per_batch = 1 + rng() % 6;
  WriterOptions shallow;
  shallow.max_reorg_depth = 8;
  shallow.ledger_run_fanout = 2;

  const std::vector<BlockData> a = store_test::random_chain(chain, contracts, seed, 1, n, 0);
  std::vector<BlockData> b(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(h));
  const auto tail = store_test::random_chain(chain, contracts, seed + 2000, h + 1, m, 1);
  b.insert(b.end(), tail.begin(), tail.end());

  TempDir dir;
  Writer reorged = store_test::open_writer(dir.file("reorged.db"), contracts, shallow);
  store_test::apply_all(reorged, chain, store_test::to_batches(a, per_batch));
  ASSERT_TRUE(reorged.rollback(chain, h));
  EXPECT_EQ(reorged.checkpoint(chain).value()->hash, a[h - 1].header.hash);  // header h was kept
  store_test::apply_all(reorged, chain, store_test::to_batches(tail, per_batch));
  Writer fresh = store_test::open_writer(dir.file("fresh.db"), contracts, shallow);
  store_test::apply_all(fresh, chain, store_test::to_batches(b, per_batch + 1));
  EXPECT_EQ(store_test::dump(reorged), store_test::dump(fresh));
  const auto recent = reorged.recent_blocks(chain, 9).value();
  ASSERT_EQ(recent.size(), 9U);  // the window is whole
  EXPECT_EQ(recent.front().height, m);
  EXPECT_EQ(recent.back().height, m - 8);
}

TEST_P(RollbackScenario, RederiveRebuildsWhatApplyBuilt) {
  const auto [chain, seed] = GetParam();
  const StoreContracts contracts = store_test::test_contracts();
  std::mt19937 rng(seed * 7 + 1);
  const std::uint64_t n = 20 + rng() % 30;
  const auto blocks = store_test::random_chain(chain, contracts, seed, 1, n, 0);
  TempDir dir;
  Writer writer = store_test::open_writer(dir.file("store.db"), contracts);
  store_test::apply_all(writer, chain, store_test::to_batches(blocks, 3));
  const std::string applied = store_test::dump(writer);
  for (std::uint64_t from : {std::uint64_t{0}, n / 2, n - 1, n, n + 5}) {
    ASSERT_TRUE(writer.rederive(chain, from));
    EXPECT_EQ(store_test::dump(writer), applied) << "rederive from " << from;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RollbackScenario,
                         ::testing::Values(Scenario{ChainId::kBsc, 1}, Scenario{ChainId::kBsc, 2},
                                           Scenario{ChainId::kBsc, 3}, Scenario{ChainId::kBsc, 4},
                                           Scenario{ChainId::kBsc, 5}, Scenario{ChainId::kBsc, 6},
                                           Scenario{ChainId::kTron, 11}, Scenario{ChainId::kTron, 12},
                                           Scenario{ChainId::kTron, 13}, Scenario{ChainId::kSolana, 21},
                                           Scenario{ChainId::kSolana, 22}, Scenario{ChainId::kSolana, 23}),
                         [](const ::testing::TestParamInfo<Scenario>& param_info) {
                           return scenario_name(param_info.param);
                         });

// Each quota use keeps the reservation's quota use it replaced, and each
// close the one the reservation had: a rollback to any height gives back
// exactly what applying up to that height gave, across days, reopened ids and
// two users' reservations of one id.
TEST(RollbackQuota, ToEveryHeightEqualsThePrefixAppliedAndRederiveEqualsApply) {
  const StoreContracts contracts = store_test::test_contracts();
  const std::vector<BlockData> blocks = store_test::quota_days_chain(contracts);
  const std::uint64_t n = blocks.size();
  TempDir dir;
  WriterOptions keep_headers;
  keep_headers.max_reorg_depth = 0;
  Writer full = store_test::open_writer(dir.file("full.db"), contracts, keep_headers);
  store_test::apply_all(full, ChainId::kBsc, store_test::to_batches(blocks, 2));
  const std::string applied = store_test::dump(full);
  // The open reservations' quota use (day 18 524 is the last block's): user 3's
  // reopened one used 1 that day and 1 the day before, user 4's 2 and none.
  ASSERT_NE(applied.find("|18524|1|1\n"), std::string::npos) << applied;
  ASSERT_NE(applied.find("|18524|2|0\n"), std::string::npos) << applied;
  // From 1: a rollback to 0 keeps a checkpoint row at height 0, which an empty store has not.
  for (std::uint64_t h = 1; h <= n; ++h) {
    const auto prefix_blocks =
        std::vector<BlockData>(blocks.begin(), blocks.begin() + static_cast<std::ptrdiff_t>(h));
    Writer rolled =
        store_test::open_writer(dir.file("rolled" + std::to_string(h) + ".db"), contracts, keep_headers);
    store_test::apply_all(rolled, ChainId::kBsc, store_test::to_batches(blocks, 3));
    ASSERT_TRUE(rolled.rollback(ChainId::kBsc, h));
    Writer prefix =
        store_test::open_writer(dir.file("prefix" + std::to_string(h) + ".db"), contracts, keep_headers);
    store_test::apply_all(prefix, ChainId::kBsc, store_test::to_batches(prefix_blocks, 1));
    EXPECT_EQ(store_test::dump(rolled), store_test::dump(prefix)) << "rolled back to " << h;
    const std::vector<BlockData> rest(blocks.begin() + static_cast<std::ptrdiff_t>(h), blocks.end());
    if (!rest.empty()) store_test::apply_all(rolled, ChainId::kBsc, store_test::to_batches(rest, 4));
    EXPECT_EQ(store_test::dump(rolled), applied) << "rolled back to " << h << " and applied again";
  }
  for (std::uint64_t from : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{5}, std::uint64_t{7}}) {
    ASSERT_TRUE(full.rederive(ChainId::kBsc, from));
    EXPECT_EQ(store_test::dump(full), applied) << "rederive from " << from;
  }
}

TEST(Rederive, NewContractConfigurationRebuildsFromRawLogsWithoutANode) {
  const StoreContracts right = store_test::test_contracts();
  StoreContracts wrong = right;
  wrong.bsc.staking = store_test::evm(12345);  // staking logs are not recognised
  wrong.bsc.escrow = store_test::evm(12346);
  const auto blocks = store_test::random_chain(ChainId::kBsc, right, 77, 1, 40, 0);
  TempDir dir;
  {
    Writer writer = store_test::open_writer(dir.file("store.db"), wrong);
    store_test::apply_all(writer, ChainId::kBsc, store_test::to_batches(blocks, 4));
  }
  Writer writer = store_test::open_writer(dir.file("store.db"), right);
  Writer fresh = store_test::open_writer(dir.file("fresh.db"), right);
  store_test::apply_all(fresh, ChainId::kBsc, store_test::to_batches(blocks, 4));
  EXPECT_NE(store_test::dump(writer), store_test::dump(fresh));
  ASSERT_TRUE(writer.rederive(ChainId::kBsc, 0));
  EXPECT_EQ(store_test::dump(writer), store_test::dump(fresh));
  EXPECT_EQ(writer.counters().rederives, 1U);
}

TEST(Rollback, ChainsAreIndependent) {
  const StoreContracts contracts = store_test::test_contracts();
  TempDir dir;
  Writer writer = store_test::open_writer(dir.file("store.db"), contracts);
  Writer bsc_only = store_test::open_writer(dir.file("bsc.db"), contracts);
  const auto bsc = store_test::random_chain(ChainId::kBsc, contracts, 5, 1, 30, 0);
  const auto tron = store_test::random_chain(ChainId::kTron, contracts, 6, 1, 30, 0);
  store_test::apply_all(writer, ChainId::kBsc, store_test::to_batches(bsc, 5));
  store_test::apply_all(writer, ChainId::kTron, store_test::to_batches(tron, 5));
  ASSERT_TRUE(writer.rollback(ChainId::kTron, 0));
  store_test::apply_all(bsc_only, ChainId::kBsc, store_test::to_batches(bsc, 5));
  // TRON rolled back to 0 keeps a checkpoint row at 0; otherwise equal to BSC alone.
  ASSERT_TRUE(writer.database().exec("DELETE FROM checkpoint WHERE chain = 3"));
  EXPECT_EQ(store_test::dump(writer), store_test::dump(bsc_only));
}

}  // namespace
}  // namespace csd
