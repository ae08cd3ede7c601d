// Writer::record_sync_status and its read side (Queries::status): one row per
// chain, upserted, stamped with the writer clock, independent of the
// checkpoint, left alone by rollback and rederive, and absent from dump_store.
#include <gtest/gtest.h>

#include "store/dump.hpp"
#include "tests/store/queries_test_support.hpp"

namespace csd::store_test {
namespace {

SyncStatus sample_status() {
  SyncStatus status;
  status.head = 123'456;
  status.rpc_endpoint = "https://bsc.example.org/";
  status.last_error = "rpc: timeout after 10000 ms";
  status.last_error_at = kNow - 30;
  status.syncing = true;
  return status;
}

ChainStatusView chain_status(QueryStore& store, ChainId chain) {
  const StatusView view = store.read([](Queries& q) { return ok(q.status()); });
  for (const ChainStatusView& c : view.chains) {
    if (c.chain == chain) return c;
  }
  ADD_FAILURE() << "no status for " << chain_name(chain);
  return {};
}

TEST(WriterSync, StatusIsEmptyUntilRecorded) {
  QueryStore store;
  const ChainStatusView bsc = chain_status(store, ChainId::kBsc);
  EXPECT_EQ(bsc.head, std::nullopt);
  EXPECT_EQ(bsc.rpc_endpoint, "");
  EXPECT_EQ(bsc.last_error, "");
  EXPECT_EQ(bsc.last_error_at, 0);
  EXPECT_FALSE(bsc.syncing);
  EXPECT_EQ(bsc.last_reconciliation, std::nullopt);
  EXPECT_EQ(bsc.sync_updated_at, 0);
}

TEST(WriterSync, RecordedStatusIsReadBackPerChainWithoutACheckpoint) {
  QueryStore store;
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kBsc, sample_status()));
  SyncStatus solana;
  solana.head = 300'000'000;
  solana.rpc_endpoint = "https://sol.example.org/";
  solana.last_reconciliation = kNow - 600;
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kSolana, solana));

  const ChainStatusView bsc = chain_status(store, ChainId::kBsc);
  EXPECT_EQ(bsc.head, 123'456u);
  EXPECT_EQ(bsc.rpc_endpoint, "https://bsc.example.org/");
  EXPECT_EQ(bsc.last_error, "rpc: timeout after 10000 ms");
  EXPECT_EQ(bsc.last_error_at, kNow - 30);
  EXPECT_TRUE(bsc.syncing);
  EXPECT_EQ(bsc.last_reconciliation, std::nullopt);
  EXPECT_EQ(bsc.sync_updated_at, kNow);  // the writer clock
  // Recording never creates or moves a checkpoint.
  EXPECT_EQ(bsc.indexed, std::nullopt);
  EXPECT_FALSE(store.writer().checkpoint(ChainId::kBsc).value().has_value());

  const ChainStatusView sol = chain_status(store, ChainId::kSolana);
  EXPECT_EQ(sol.head, 300'000'000u);
  EXPECT_EQ(sol.last_reconciliation, kNow - 600);
  EXPECT_EQ(sol.last_error, "");
  EXPECT_FALSE(sol.syncing);
  // TRON recorded nothing.
  EXPECT_EQ(chain_status(store, ChainId::kTron).sync_updated_at, 0);
}

TEST(WriterSync, RecordReplacesThePreviousRow) {
  QueryStore store;
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kTron, sample_status()));
  SyncStatus recovered;
  recovered.head = 123'500;
  recovered.rpc_endpoint = "https://tron-backup.example.org/";
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kTron, recovered));
  const ChainStatusView tron = chain_status(store, ChainId::kTron);
  EXPECT_EQ(tron.head, 123'500u);
  EXPECT_EQ(tron.rpc_endpoint, "https://tron-backup.example.org/");
  EXPECT_EQ(tron.last_error, "");  // the last attempt succeeded
  EXPECT_EQ(tron.last_error_at, 0);
  EXPECT_FALSE(tron.syncing);
  EXPECT_EQ(store.writer().database().query_int64("SELECT count(*) FROM sync_status").value(), 1);
}

TEST(WriterSync, HeadAboveInt64IsClamped) {
  QueryStore store;
  SyncStatus status;
  status.head = UINT64_MAX;
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kBsc, status));
  EXPECT_EQ(chain_status(store, ChainId::kBsc).head, static_cast<std::uint64_t>(INT64_MAX));
}

TEST(WriterSync, RollbackAndRederiveLeaveItAloneAndTheCheckpointStays) {
  QueryStore store;
  for (int i = 0; i < 5; ++i) {
    const std::uint64_t h = store.block(kMidnight + i * 3);
    store.add(store.make().transfer(h, store.index(), evm(1), evm(2), U256(10)));
  }
  store.commit(ChainId::kBsc);
  const auto before = store.writer().checkpoint(ChainId::kBsc).value();
  ASSERT_TRUE(store.writer().record_sync_status(ChainId::kBsc, sample_status()));
  EXPECT_EQ(store.writer().checkpoint(ChainId::kBsc).value(), before);
  const std::string dumped = dump(store.writer());
  EXPECT_EQ(dumped.find("sync_status"), std::string::npos);  // not chain state

  ASSERT_TRUE(store.writer().rederive(ChainId::kBsc, 0));
  ASSERT_TRUE(store.writer().rollback(ChainId::kBsc, 2));
  const ChainStatusView bsc = chain_status(store, ChainId::kBsc);
  EXPECT_EQ(bsc.indexed, 2u);
  EXPECT_EQ(bsc.head, 123'456u);
  EXPECT_EQ(bsc.rpc_endpoint, "https://bsc.example.org/");
  EXPECT_TRUE(bsc.syncing);
  auto table = dump_table(store.writer().database(), "sync_status");
  ASSERT_TRUE(table);
  EXPECT_NE(table->find("== sync_status\n1|123456|"), std::string::npos) << *table;
}

TEST(WriterSync, RecordFinalizedOnlyRaisesAnExistingCheckpoint) {
  // A chain idle at its head writes no batch; record_finalized carries the
  // node's finality to the views between batches (issue 7's demo showed a
  // finalized block frozen below the head).
  QueryStore store;
  for (int i = 0; i < 5; ++i) {
    const std::uint64_t h = store.block(kMidnight + i * 3);
    store.add(store.make().transfer(h, store.index(), evm(1), evm(2), U256(10)));
  }
  store.commit(ChainId::kBsc);
  EXPECT_EQ(chain_status(store, ChainId::kBsc).finalized, std::nullopt);
  ASSERT_TRUE(store.writer().record_finalized(ChainId::kBsc, 3));
  EXPECT_EQ(chain_status(store, ChainId::kBsc).finalized, 3u);
  const std::optional<AsOf> as_of = store.read([](Queries& q) { return ok(q.as_of(ChainId::kBsc)); });
  ASSERT_TRUE(as_of);
  EXPECT_EQ(as_of->finalized_block, 3u);
  ASSERT_TRUE(store.writer().record_finalized(ChainId::kBsc, 2));  // never lowered
  EXPECT_EQ(chain_status(store, ChainId::kBsc).finalized, 3u);
  EXPECT_EQ(chain_status(store, ChainId::kBsc).indexed, 5u);  // the checkpoint itself stays

  // No checkpoint: nothing is created.
  ASSERT_TRUE(store.writer().record_finalized(ChainId::kTron, 9));
  EXPECT_EQ(store.writer().checkpoint(ChainId::kTron).value(), std::nullopt);

  // A rollback lowers it with the checkpoint; the next news raises it again.
  ASSERT_TRUE(store.writer().rollback(ChainId::kBsc, 2));
  EXPECT_EQ(chain_status(store, ChainId::kBsc).finalized, 2u);
  ASSERT_TRUE(store.writer().record_finalized(ChainId::kBsc, 4));
  EXPECT_EQ(chain_status(store, ChainId::kBsc).finalized, 4u);
}

TEST(WriterSync, StatusCountsFollowAnomaliesThroughRollback) {
  // The counts come from row_count (kept by triggers), not a scan: they must
  // follow inserts and the deletes of a rollback exactly.
  QueryStore store;
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t h = store.block(kMidnight + i * 3);
    store.add(
        store.make().released(h, store.index(), id32(50 + static_cast<std::uint64_t>(i)), evm(1), U256(1)));
  }
  store.commit(ChainId::kBsc);
  EXPECT_EQ(chain_status(store, ChainId::kBsc).anomalies, 3u);  // releases of locks never opened
  EXPECT_EQ(chain_status(store, ChainId::kTron).anomalies, 0u);
  ASSERT_TRUE(store.writer().rollback(ChainId::kBsc, 1));
  EXPECT_EQ(chain_status(store, ChainId::kBsc).anomalies, 1u);
  ASSERT_TRUE(store.writer().rollback(ChainId::kBsc, 0));
  EXPECT_EQ(chain_status(store, ChainId::kBsc).anomalies, 0u);
  EXPECT_EQ(store.writer().database().query_int64("SELECT count(*) FROM row_count").value(), 0);
}

TEST(WriterSync, StatusCountsTrackedSolanaStakes) {
  QueryStore store;
  const TestStakeAccount a = user_stake_account(store.contracts(), 1, 500);
  const TestStakeAccount b = user_stake_account(store.contracts(), 2, 700);
  store.block(kMidnight);
  store.add_account(SolanaAccountVersion{a.address, 1, account_bytes(a.stake)});
  store.add_account(SolanaAccountVersion{b.address, 1, account_bytes(b.stake)});
  store.commit(ChainId::kSolana);
  EXPECT_EQ(chain_status(store, ChainId::kSolana).accounts_tracked, 2u);
  UserStake more = a.stake;
  more.staked_amount = 900;  // an update is not a second account
  store.block(kMidnight + 1);
  store.add_account(SolanaAccountVersion{a.address, 2, account_bytes(more)});
  store.add_account(SolanaAccountVersion{b.address, 2, std::nullopt});  // closed
  store.commit(ChainId::kSolana);
  EXPECT_EQ(chain_status(store, ChainId::kSolana).accounts_tracked, 1u);
  ASSERT_TRUE(store.writer().rollback(ChainId::kSolana, 1));
  EXPECT_EQ(chain_status(store, ChainId::kSolana).accounts_tracked, 2u);
}

}  // namespace
}  // namespace csd::store_test
