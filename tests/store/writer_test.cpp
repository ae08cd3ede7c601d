// Writer: the derivation rules of SPEC 3.1–3.3 on the write side, anomalies,
// batch validation, checkpoints and recent blocks.
#include "store/writer.hpp"

#include <map>

#include <gtest/gtest.h>

#include "decoders/tron_address.hpp"
#include "store/account_states.hpp"
#include "store/raw_pack.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::evm;
using store_test::header;
using store_test::id32;
using store_test::LogMaker;
using store_test::TempDir;

class WriterTest : public ::testing::Test {
 protected:
  // One batch holding the given logs; every block 1..top is included.
  Status apply_logs(ChainId chain, std::vector<RawLog> logs, std::vector<TronTxInfo> txs = {}) {
    Batch batch;
    std::uint64_t top = next_;
    for (const RawLog& log : logs) top = std::max(top, log.block);
    for (std::uint64_t h = next_; h <= top; ++h) batch.blocks.push_back(block(h));
    batch.logs = std::move(logs);
    batch.tron_txs = std::move(txs);
    batch.checkpoint = batch.blocks.back();
    next_ = top + 1;
    return writer_.apply(chain, batch);
  }
  BlockHeader block(std::uint64_t h) {
    BlockHeader b = header(h);
    if (auto it = times_.find(h); it != times_.end()) b.time = it->second;
    return b;
  }
  // Assertions read the ledger as the schema-2 table (store_test::load_ledger_table).
  void load_ledger_if_read(std::string_view sql) {
    if (sql.find("tst_ledger") != sql.npos || sql.find("tst_transfer") != sql.npos ||
        sql.find("tst_account") != sql.npos)
      store_test::load_ledger_table(writer_.database());
  }
  std::int64_t count(std::string_view sql) {
    load_ledger_if_read(sql);
    return writer_.database().query_int64(sql).value();
  }
  // The raw logs stored for block `height` (raw_block, one row per block).
  std::vector<RawLog> raw_logs(std::uint64_t height) {
    auto st = writer_.database().prepare("SELECT logs FROM raw_block WHERE chain = 1 AND height = ?1");
    EXPECT_TRUE(st);
    st->bind_int64(1, static_cast<std::int64_t>(height));
    if (!st->step().value()) return {};
    return unpack_block_logs(height, st->column_blob(0)).value();
  }
  // The address's state in its account page (totals and open objects).
  store_derive::UserState state(const EvmAddress& address) {
    auto txn = writer_.database().begin_read();
    EXPECT_TRUE(txn);
    return account_states::read(*txn, address).value().value_or(store_derive::UserState{});
  }
  U256 u256(std::string_view sql) {
    load_ledger_if_read(sql);
    auto st = writer_.database().prepare(sql);
    EXPECT_TRUE(st);
    EXPECT_TRUE(st->step().value());
    return st->column_u256(0).value();
  }

  TempDir dir_;
  StoreContracts contracts_ = store_test::test_contracts();
  LogMaker make_{contracts_};
  Writer writer_ = store_test::open_writer(dir_.file("store.db"), contracts_);
  std::uint64_t next_ = 1;
  std::map<std::uint64_t, std::int64_t> times_;
};

TEST_F(WriterTest, TransferMovesRunningTotalsAndWritesTwoLedgerRows) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(1, 0, evm(1), evm(2), U256(10)),
                                         make_.transfer(1, 1, evm(2), evm(3), U256(3))}));
  EXPECT_EQ(count("SELECT count(*) FROM tst_transfer"), 2);
  EXPECT_EQ(
      u256(
          "SELECT received FROM tst_account WHERE hex(address) = 'E000000000000000000000000000000000000002'"),
      U256(10));
  EXPECT_EQ(
      u256("SELECT sent FROM tst_account WHERE hex(address) = 'E000000000000000000000000000000000000002'"),
      U256(3));
  EXPECT_EQ(
      u256("SELECT sent FROM tst_account WHERE hex(address) = 'E000000000000000000000000000000000000001'"),
      U256(10));
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE kind = 1 AND hex(counterparty) = "
                  "'E000000000000000000000000000000000000001' AND time = " +
                  std::to_string(header(1).time)),
            1);
}

TEST_F(WriterTest, TransferToSelfIsTwoLedgerRowsAndLeavesTheBalance) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(1, 0, evm(1), evm(1), U256(7))}));
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE kind IN (1, 2)"), 2);
  EXPECT_EQ(u256("SELECT received FROM tst_account"), U256(7));
  EXPECT_EQ(u256("SELECT sent FROM tst_account"), U256(7));
}

TEST_F(WriterTest, ZeroTotalsLeaveNoAccountRow) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(1, 0, evm(1), evm(2), U256(0))}));
  EXPECT_EQ(count("SELECT count(*) FROM tst_transfer"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tst_account"), 0);
}

TEST_F(WriterTest, AmountsNearTheMaximumAreSummedExactlyAndOverflowIsAnAnomaly) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(1, 0, evm(1), evm(2), U256::max() - U256(1)),
                                         make_.transfer(2, 0, evm(3), evm(2), U256(1))}));
  EXPECT_EQ(u256("SELECT received FROM tst_account WHERE hex(address) LIKE '%2'"), U256::max());
  EXPECT_EQ(u256("SELECT u256_sum(amount) FROM tst_ledger WHERE kind = 1"), U256::max());
  // One more unit would pass 2^256-1: ignored for the state, recorded.
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(3, 0, evm(3), evm(2), U256(1))}));
  EXPECT_EQ(u256("SELECT received FROM tst_account WHERE hex(address) LIKE '%2'"), U256::max());
  EXPECT_EQ(count("SELECT count(*) FROM tst_transfer"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 4 AND block = 3"), 1);
  EXPECT_EQ(writer_.counters().anomaly(AnomalyKind::kAmountOverflow), 1U);
  store_test::load_ledger_table(writer_.database());
  EXPECT_FALSE(writer_.database().query_int64("SELECT length(u256_sum(amount)) FROM tst_ledger"));
}

TEST_F(WriterTest, LockReleasedClosesItOnce) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.locked(1, 0, id32(1), evm(1), U256(50), 1000, "agreement-7"),
                                         make_.released(2, 0, id32(1), evm(1), U256(50)),
                                         make_.released(3, 0, id32(1), evm(1), U256(50))}));
  EXPECT_EQ(count("SELECT count(*) FROM tst_lock_close c JOIN tst_lock l ON l.block = c.lock_block AND "
                  "l.log_index = c.lock_log_index WHERE c.block = 2 AND c.kind = 1 AND "
                  "l.agreement_id = 'agreement-7' AND l.locked_until = 1000 AND c.penalty IS NULL"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM tst_lock_close"), 1);
  EXPECT_TRUE(state(evm(1)).locks.empty());
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 3 AND block = 3"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE kind = 3"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE kind = 4"), 1);
  EXPECT_EQ(writer_.counters().anomaly(AnomalyKind::kNoOpenObject), 1U);
}

TEST_F(WriterTest, LockTerminatedEarlyRecordsReturnedAndPenalty) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.locked(1, 0, id32(1), evm(1), U256(250), 1000, "a"),
                                         make_.terminated(2, 3, id32(1), evm(1), U256(200), U256(50))}));
  EXPECT_EQ(count("SELECT kind FROM tst_lock_close"), 2);
  EXPECT_EQ(count("SELECT log_index FROM tst_lock_close"), 3);
  EXPECT_EQ(count("SELECT lock_block FROM tst_lock_close"), 1);
  EXPECT_EQ(u256("SELECT returned FROM tst_lock_close"), U256(200));
  EXPECT_EQ(u256("SELECT penalty FROM tst_lock_close"), U256(50));
  EXPECT_EQ(u256("SELECT amount FROM tst_ledger WHERE kind = 5"), U256(200));
}

TEST_F(WriterTest, ReleaseWithoutAnyLockIsIgnoredAndCounted) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.released(1, 0, id32(9), evm(1), U256(5)),
                                         make_.terminated(1, 1, id32(9), evm(1), U256(5), U256(0))}));
  EXPECT_EQ(count("SELECT count(*) FROM tst_lock"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 3"), 2);
  EXPECT_EQ(writer_.counters().anomaly(AnomalyKind::kNoOpenObject), 2U);
  auto cp = writer_.checkpoint(ChainId::kBsc);
  ASSERT_TRUE(cp && *cp);
  EXPECT_EQ((*cp)->height, 1U);  // the batch still committed
}

// An id names an object of its user: the same id open twice for one user is
// a duplicate (the first kept); another user's lock with that id is its own.
TEST_F(WriterTest, DuplicateOpenLockIdOfAUserKeepsTheFirst) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.locked(1, 0, id32(1), evm(1), U256(10), 100, "first"),
                                         make_.locked(2, 0, id32(1), evm(1), U256(99), 200, "second"),
                                         make_.locked(2, 1, id32(1), evm(2), U256(5), 300, "other user")}));
  EXPECT_EQ(count("SELECT count(*) FROM tst_lock WHERE agreement_id = 'first' AND block = 1"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tst_lock WHERE agreement_id = 'second'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 2 AND block = 2 AND log_index = 0"), 1);
  EXPECT_EQ(writer_.counters().anomaly(AnomalyKind::kDuplicateId), 1U);
  ASSERT_EQ(state(evm(1)).locks.size(), 1U);
  EXPECT_EQ(state(evm(1)).locks[0].agreement_id, "first");
  ASSERT_EQ(state(evm(2)).locks.size(), 1U);
  EXPECT_EQ(state(evm(2)).locks[0].amount, U256(5));
}

// The writer changes its remembered states in place while deriving: a batch
// that fails after that must not leave its changes for the next batch.
TEST_F(WriterTest, AFailedBatchLeavesNothingInTheStatesTheWriterRemembers) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(1, 0, evm(1), evm(2), U256(10))}));
  ASSERT_TRUE(
      writer_.database().exec("CREATE TEMP TRIGGER fail_lock BEFORE INSERT ON main.tst_lock BEGIN SELECT "
                              "RAISE(ABORT, 'injected'); END"));
  const std::uint64_t next = next_;
  EXPECT_FALSE(apply_logs(ChainId::kBsc, {make_.transfer(2, 0, evm(1), evm(2), U256(5)),
                                          make_.locked(2, 1, id32(1), evm(2), U256(1), 100, "x")}));
  next_ = next;
  ASSERT_TRUE(writer_.database().exec("DROP TRIGGER temp.fail_lock"));
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(2, 0, evm(2), evm(1), U256(3))}));
  EXPECT_EQ(state(evm(1)).totals, (store_derive::AccountTotals{U256(3), U256(10)}));
  EXPECT_EQ(state(evm(2)).totals, (store_derive::AccountTotals{U256(10), U256(3)}));
  EXPECT_TRUE(state(evm(2)).locks.empty());
}

// The same when the raw blocks fail to insert: with every state in the
// writer's cache that happens on the writer's thread while a second thread
// derives (WriterOptions::second_thread), which must end before apply returns.
TEST_F(WriterTest, AFailedRawInsertBesideTheDerivationLeavesNothing) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(1, 0, evm(1), evm(2), U256(10))}));
  const std::string before = store_test::dump(writer_);
  ASSERT_TRUE(
      writer_.database().exec("CREATE TEMP TRIGGER fail_raw BEFORE INSERT ON main.raw_block BEGIN SELECT "
                              "RAISE(ABORT, 'injected'); END"));
  const std::uint64_t next = next_;
  std::vector<RawLog> logs;
  for (std::uint32_t i = 0; i < 600; ++i) {  // several slices of rows
    logs.push_back(i % 2 == 0 ? make_.transfer(2, i, evm(1), evm(3 + i), U256(1))
                              : make_.locked(2, i, id32(i), evm(2), U256(1), 100, "x"));
  }
  const Status failed = apply_logs(ChainId::kBsc, logs);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("injected"), std::string::npos) << failed.error().message;
  next_ = next;
  ASSERT_TRUE(writer_.database().exec("DROP TRIGGER temp.fail_raw"));
  EXPECT_EQ(store_test::dump(writer_), before);
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(2, 0, evm(2), evm(1), U256(3))}));
  EXPECT_EQ(state(evm(1)).totals, (store_derive::AccountTotals{U256(3), U256(10)}));
  EXPECT_TRUE(state(evm(2)).locks.empty());
}

// WriterOptions::second_thread changes which thread derives, not what is
// stored: a random chain (with duplicates, closes of missing objects and
// overflowing totals) in batches of several sizes gives the same rows and
// counts both ways.
TEST(WriterThreads, OneAndTwoThreadsStoreTheSameRows) {
  const StoreContracts contracts = store_test::test_contracts();
  const auto blocks = store_test::random_chain(ChainId::kBsc, contracts, 23, 1, 400, 0);
  for (const std::size_t per_batch : {1U, 9U, 400U}) {
    TempDir dir;
    WriterOptions one_thread;
    one_thread.second_thread = false;
    Writer one = store_test::open_writer(dir.file("one.db"), contracts, one_thread);
    Writer two = store_test::open_writer(dir.file("two.db"), contracts);
    const auto batches = store_test::to_batches(blocks, per_batch);
    store_test::apply_all(one, ChainId::kBsc, batches);
    store_test::apply_all(two, ChainId::kBsc, batches);
    EXPECT_EQ(store_test::dump(one), store_test::dump(two)) << per_batch;
    EXPECT_EQ(one.counters().anomalies, two.counters().anomalies) << per_batch;
    EXPECT_GT(two.counters().anomalies[static_cast<std::size_t>(AnomalyKind::kNoOpenObject) - 1], 0u);
  }
}

TEST_F(WriterTest, TwoStakesOfTheSameTierAreBothOpen) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.staked(1, 0, id32(1), evm(1), 2, U256(25), 5000),
                                         make_.staked(1, 1, id32(2), evm(1), 2, U256(25), 6000)}));
  EXPECT_EQ(count("SELECT count(*) FROM tst_stake WHERE tier = 2"), 2);
  const auto open = state(evm(1)).stakes;
  ASSERT_EQ(open.size(), 2U);
  EXPECT_EQ(open[0].expires_at, 5000);
  EXPECT_EQ(open[1].expires_at, 6000);
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE kind = 6"), 2);
}

TEST_F(WriterTest, UnstakeClosesOnlyAnOpenStake) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.staked(1, 0, id32(1), evm(1), 1, U256(5), 5000),
                                         make_.unstaked(2, 0, id32(1), evm(1), U256(5), true),
                                         make_.unstaked(3, 0, id32(1), evm(1), U256(5), false),
                                         make_.unstaked(3, 1, id32(8), evm(1), U256(5), false)}));
  EXPECT_EQ(count("SELECT emergency FROM tst_stake_close WHERE block = 2 AND stake_block = 1"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tst_stake_close"), 1);
  EXPECT_TRUE(state(evm(1)).stakes.empty());
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 3 AND block = 3"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE kind = 7"), 1);
}

TEST_F(WriterTest, QuotaConsumptionRowsCarryTheirBlockTimes) {
  // 2023-11-14 00:00:00 UTC is 1699920000 (19675 · 86400): one second before and at midnight.
  times_[2] = 1'699'919'999;
  times_[3] = 1'699'920'000;
  ASSERT_TRUE(apply_logs(ChainId::kBsc,
                         {make_.reserved(1, 0, id32(1), evm(1), 2, U256(100), 28, 1'800'000'000),
                          make_.consumed(2, 0, id32(1), evm(1), 3), make_.consumed(3, 0, id32(1), evm(1), 4),
                          make_.consumed(3, 1, id32(5), evm(1), 1)}));
  EXPECT_EQ(count("SELECT units FROM tst_quota_use WHERE time = 1699919999"), 3);
  EXPECT_EQ(count("SELECT units FROM tst_quota_use WHERE time = 1699920000"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 3 AND block = 3 AND log_index = 1"), 1);
  EXPECT_EQ(count("SELECT quota_per_day FROM tst_reservation"), 28);
  EXPECT_EQ(count("SELECT entity_type FROM tst_reservation"), 2);
  EXPECT_EQ(u256("SELECT amount FROM tst_ledger WHERE kind = 9 AND block = 3"), U256(4));
}

TEST_F(WriterTest, ConsumptionAfterReleaseIsAnAnomaly) {
  ASSERT_TRUE(
      apply_logs(ChainId::kBsc,
                 {make_.reserved(1, 0, id32(1), evm(1), 1, U256(100), 3, 2'000'000'000),
                  make_.reservation_released(2, 0, id32(1), evm(1)), make_.consumed(3, 0, id32(1), evm(1), 1),
                  make_.reservation_released(4, 0, id32(1), evm(1))}));
  EXPECT_EQ(count("SELECT block FROM tst_reservation_close"), 2);
  EXPECT_TRUE(state(evm(1)).reservations.empty());
  EXPECT_EQ(count("SELECT count(*) FROM tst_quota_use"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 3"), 2);
  EXPECT_EQ(u256("SELECT amount FROM tst_ledger WHERE kind = 10"), U256(100));
}

TEST_F(WriterTest, UndecodableLogOfAConfiguredContractIsAnAnomalyOthersAreIgnored) {
  RawLog bad = make_.staked(1, 0, id32(1), evm(1), 1, U256(5), 5000);
  bad.data.resize(64);  // three words expected
  RawLog foreign = make_.transfer(1, 1, evm(1), evm(2), U256(5));
  foreign.address = evm(999);  // another token's Transfer
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {bad, foreign}));
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 1 AND block = 1 AND log_index = 0"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly"), 1);
  EXPECT_EQ(raw_logs(1), (std::vector<RawLog>{bad, foreign}));  // both kept raw
  EXPECT_EQ(count("SELECT count(*) FROM tst_transfer"), 0);
  EXPECT_EQ(writer_.counters().anomaly(AnomalyKind::kUndecodableLog), 1U);
}

TEST_F(WriterTest, PayoutsExecutedFailedAndBatches) {
  const std::vector<RawLog> logs = {
      make_.payout_executed(0, 1, 0, id32(1), evm(5), U256(1'500'000), id32(77), "salary"),
      make_.payout_failed(1, 1, 1, id32(2), evm(6), U256(2), "no funds"),
      make_.batch_settled(0, 2, 0, id32(77), U256(2), U256(1'500'002)),
  };
  const std::vector<TronTxInfo> txs = {{logs[0].tx_hash, 1, true, "SUCCESS", 345000},
                                       {logs[1].tx_hash, 1, false, "REVERT", 1000},
                                       {logs[2].tx_hash, 2, true, "SUCCESS", 0}};
  ASSERT_TRUE(apply_logs(ChainId::kTron, logs, txs));
  EXPECT_EQ(count("SELECT count(*) FROM payout WHERE kind = 1 AND router_type = 1 AND reason = 'salary' "
                  "AND error IS NULL AND block_time = " +
                  std::to_string(header(1).time)),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM payout WHERE kind = 2 AND router_type = 2 AND error = 'no funds' "
                  "AND batch_id IS NULL AND reason IS NULL"),
            1);
  const TronAddress recipient = tron_address_from_evm20(evm(5));
  auto st = writer_.database().prepare("SELECT recipient, amount FROM payout WHERE kind = 1");
  ASSERT_TRUE(st);
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ((st->column_bytes<21, TronAddressTag>(0).value()), recipient);
  EXPECT_EQ(st->column_u256(1).value(), U256(1'500'000));
  EXPECT_EQ(u256("SELECT total_amount FROM payout_batch"), U256(1'500'002));
  EXPECT_EQ(count("SELECT count(*) FROM tron_tx WHERE success = 0 AND result = 'REVERT' AND fee_sun = 1000"),
            1);
}

// ---- Solana ----

class SolanaWriterTest : public WriterTest {
 protected:
  Status apply_versions(std::uint64_t slot, std::vector<SolanaAccountVersion> versions) {
    Batch batch;
    batch.accounts = std::move(versions);
    batch.checkpoint = header(slot);
    return writer_.apply(ChainId::kSolana, batch);
  }
};

TEST_F(SolanaWriterTest, NewestValidVersionIsTheStakeClosedRemovesIt) {
  const auto account = store_test::user_stake_account(contracts_, 1, 1'000'000);
  UserStake later = account.stake;
  later.staked_amount = 2'500'000;
  ASSERT_TRUE(apply_versions(10, {{account.address, 10, store_test::account_bytes(account.stake)}}));
  EXPECT_EQ(u256("SELECT staked_amount FROM solana_stake"), U256(1'000'000));
  ASSERT_TRUE(apply_versions(11, {{account.address, 11, store_test::account_bytes(later)}}));
  EXPECT_EQ(u256("SELECT staked_amount FROM solana_stake"), U256(2'500'000));
  EXPECT_EQ(count("SELECT slot FROM solana_stake"), 11);
  ASSERT_TRUE(apply_versions(12, {{account.address, 12, std::nullopt}}));
  EXPECT_EQ(count("SELECT count(*) FROM solana_stake"), 0);    // SPEC 3.2: closed accounts have no stake
  EXPECT_EQ(count("SELECT count(*) FROM solana_account"), 3);  // the history stays
  EXPECT_EQ(count("SELECT count(*) FROM anomaly"), 0);
}

TEST_F(SolanaWriterTest, VersionsOutOfOrderInABatchKeepTheNewest) {
  const auto account = store_test::user_stake_account(contracts_, 2, 5);
  UserStake older = account.stake;
  older.staked_amount = 1;
  ASSERT_TRUE(apply_versions(20, {{account.address, 20, store_test::account_bytes(account.stake)},
                                  {account.address, 19, store_test::account_bytes(older)}}));
  EXPECT_EQ(u256("SELECT staked_amount FROM solana_stake"), U256(5));
}

TEST_F(SolanaWriterTest, InvalidAccountsAreIgnoredAndCountedByReason) {
  const auto valid = store_test::user_stake_account(contracts_, 3, 10);
  UserStake other_pool = valid.stake;
  other_pool.pool = store_test::pubkey(999);
  Bytes wrong_discriminator = store_test::account_bytes(valid.stake);
  wrong_discriminator[0] ^= 1;
  Bytes short_data = store_test::account_bytes(valid.stake);
  short_data.pop_back();
  ASSERT_TRUE(apply_versions(30, {{valid.address, 30, store_test::account_bytes(other_pool)},
                                  {store_test::pubkey(1), 30, wrong_discriminator},
                                  {store_test::pubkey(2), 30, short_data},
                                  {store_test::pubkey(3), 30, store_test::account_bytes(valid.stake)}}));
  EXPECT_EQ(count("SELECT count(*) FROM solana_stake"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE kind = 5 AND block = 30"), 4);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE detail LIKE '%: wrong_pool: %'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE detail LIKE '%: wrong_discriminator: %'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE detail LIKE '%: wrong_size: %'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM anomaly WHERE detail LIKE '%: not_pda: %'"), 1);
  EXPECT_EQ(writer_.counters().anomaly(AnomalyKind::kInvalidAccount), 4U);
  // A valid version afterwards makes the account count again.
  ASSERT_TRUE(apply_versions(31, {{valid.address, 31, store_test::account_bytes(valid.stake)}}));
  EXPECT_EQ(count("SELECT count(*) FROM solana_stake"), 1);
}

// The commit durability of each kind of write (store/writer.cpp, durability_of_batch):
// `PRAGMA synchronous` on the writer connection after each, 1 NORMAL, 2 FULL.
TEST_F(SolanaWriterTest, BatchesThatANodeCanServeAgainCommitWithoutFsyncTheRestWithIt) {
  auto synchronous = [&] { return writer_.database().query_int64("PRAGMA synchronous").value(); };
  EXPECT_EQ(synchronous(), 2);  // a fresh writer connection
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(1, 0, evm(1), evm(2), U256(1))}));
  EXPECT_EQ(synchronous(), 1);  // BSC logs can be fetched again after a power cut
  const auto account = store_test::user_stake_account(contracts_, 1, 1'000'000);
  ASSERT_TRUE(apply_versions(10, {{account.address, 10, store_test::account_bytes(account.stake)}}));
  EXPECT_EQ(synchronous(), 2);  // observed Solana versions cannot be
  ASSERT_TRUE(apply_logs(ChainId::kTron, {}));
  EXPECT_EQ(synchronous(), 1);
  ASSERT_TRUE(writer_.rollback(ChainId::kBsc, 0));
  EXPECT_EQ(synchronous(), 2);  // an operator's reindex must not come undone
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(5, 0, evm(1), evm(2), U256(1))}));
  EXPECT_EQ(synchronous(), 1);
  ASSERT_TRUE(writer_.rederive(ChainId::kBsc, 0));
  EXPECT_EQ(synchronous(), 2);
  EXPECT_EQ(count("SELECT count(*) FROM solana_stake"), 1);
}

// ---- batches, checkpoints, blocks ----

TEST_F(WriterTest, CheckpointAndRecentBlocks) {
  EXPECT_FALSE(writer_.checkpoint(ChainId::kBsc).value().has_value());
  Batch batch;
  for (std::uint64_t h = 1; h <= 5; ++h) batch.blocks.push_back(header(h));
  batch.checkpoint = header(5);
  batch.finalized_height = 2;
  ASSERT_TRUE(writer_.apply(ChainId::kBsc, batch));
  auto cp = writer_.checkpoint(ChainId::kBsc).value();
  ASSERT_TRUE(cp);
  EXPECT_EQ(cp->height, 5U);
  EXPECT_EQ(cp->hash, header(5).hash);
  EXPECT_EQ(cp->time, header(5).time);
  EXPECT_EQ(cp->finalized_height, std::optional<std::uint64_t>(2));
  EXPECT_EQ(cp->updated_at, store_test::kNow);
  auto recent = writer_.recent_blocks(ChainId::kBsc, 3).value();
  ASSERT_EQ(recent.size(), 3U);
  EXPECT_EQ(recent[0], header(5));
  EXPECT_EQ(recent[2], header(3));
  EXPECT_TRUE(writer_.recent_blocks(ChainId::kTron, 3).value().empty());
}

TEST_F(WriterTest, BlocksWithoutLogsMayBeAbsentTheCheckpointHeaderIsKept) {
  Batch batch;
  batch.blocks = {header(3)};
  batch.logs = {make_.transfer(3, 0, evm(1), evm(2), U256(1))};
  batch.checkpoint = header(9);
  ASSERT_TRUE(writer_.apply(ChainId::kBsc, batch));
  EXPECT_EQ(count("SELECT count(*) FROM block"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM block WHERE height IN (3, 9)"), 2);
  EXPECT_EQ(writer_.recent_blocks(ChainId::kBsc, 64).value().front(), header(9));
}

TEST_F(WriterTest, InvalidBatchesWriteNothing) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.transfer(2, 0, evm(1), evm(2), U256(1))}));
  const std::string before = store_test::dump(writer_);
  Batch stale;  // a block at the checkpoint
  stale.blocks = {header(2)};
  stale.checkpoint = header(3);
  EXPECT_FALSE(writer_.apply(ChainId::kBsc, stale));
  Batch unordered;
  unordered.blocks = {header(3)};
  unordered.logs = {make_.transfer(3, 1, evm(1), evm(2), U256(1)),
                    make_.transfer(3, 0, evm(1), evm(2), U256(1))};
  unordered.checkpoint = header(3);
  EXPECT_FALSE(writer_.apply(ChainId::kBsc, unordered));
  Batch orphan_log;
  orphan_log.blocks = {header(3)};
  orphan_log.logs = {make_.transfer(4, 0, evm(1), evm(2), U256(1))};
  orphan_log.checkpoint = header(4);
  auto status = writer_.apply(ChainId::kBsc, orphan_log);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("without its block header"), std::string::npos)
      << status.error().message;
  Batch backwards;
  backwards.checkpoint = header(1);
  EXPECT_FALSE(writer_.apply(ChainId::kBsc, backwards));
  Batch wrong_chain;
  wrong_chain.checkpoint = header(5);
  wrong_chain.accounts = {{store_test::pubkey(1), 5, std::nullopt}};
  EXPECT_FALSE(writer_.apply(ChainId::kBsc, wrong_chain));
  // The object histories key a log by block · 2^24 + log_index: a log_index past 2^24 − 1 is refused.
  Batch far_index;
  far_index.blocks = {header(3)};
  far_index.logs = {make_.transfer(3, 1U << 24, evm(1), evm(2), U256(1))};
  far_index.checkpoint = header(3);
  auto beyond = writer_.apply(ChainId::kBsc, far_index);
  ASSERT_FALSE(beyond);
  EXPECT_NE(beyond.error().message.find("log 16777216 of block 3 beyond the store's limits"),
            std::string::npos)
      << beyond.error().message;
  far_index.logs[0].log_index = (1U << 24) - 1;  // the largest that fits
  EXPECT_TRUE(writer_.apply(ChainId::kBsc, far_index));
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE log_index = 16777215"), 2);
  EXPECT_TRUE(writer_.rollback(ChainId::kBsc, 2));
  EXPECT_EQ(store_test::dump(writer_), before);
}

TEST_F(WriterTest, RollbackReopensObjectsClosedAboveTheHeight) {
  ASSERT_TRUE(apply_logs(ChainId::kBsc, {make_.locked(1, 0, id32(1), evm(1), U256(10), 100, "a"),
                                         make_.staked(1, 1, id32(2), evm(1), 1, U256(5), 100),
                                         make_.reserved(1, 2, id32(3), evm(1), 1, U256(5), 3, 100),
                                         make_.released(3, 0, id32(1), evm(1), U256(10)),
                                         make_.unstaked(3, 1, id32(2), evm(1), U256(5), true),
                                         make_.reservation_released(3, 2, id32(3), evm(1))}));
  ASSERT_TRUE(writer_.rollback(ChainId::kBsc, 2));
  EXPECT_EQ(count("SELECT count(*) FROM tst_lock_close") + count("SELECT count(*) FROM tst_stake_close") +
                count("SELECT count(*) FROM tst_reservation_close"),
            0);
  const store_derive::UserState reopened = state(evm(1));
  ASSERT_EQ(reopened.locks.size(), 1U);
  EXPECT_EQ(reopened.locks[0].id, id32(1));
  EXPECT_EQ(reopened.locks[0].agreement_id, "a");
  ASSERT_EQ(reopened.stakes.size(), 1U);
  EXPECT_EQ(reopened.stakes[0].opened, (store_derive::Opened{1, 1}));
  ASSERT_EQ(reopened.reservations.size(), 1U);
  EXPECT_EQ(reopened.reservations[0].quota_per_day, 3U);
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger"), 3);
  auto cp = writer_.checkpoint(ChainId::kBsc).value();
  ASSERT_TRUE(cp);
  EXPECT_EQ(cp->height, 2U);
  EXPECT_EQ(cp->hash, header(2).hash);
  EXPECT_EQ(writer_.counters().rollbacks, 1U);
}

TEST_F(WriterTest, RollbackToAnUnstoredHeightKeepsTheHeightWithAnUnknownHash) {
  Batch batch;
  batch.blocks = {header(10)};
  batch.logs = {make_.transfer(10, 0, evm(1), evm(2), U256(1))};
  batch.checkpoint = header(20);
  ASSERT_TRUE(writer_.apply(ChainId::kBsc, batch));
  ASSERT_TRUE(writer_.rollback(ChainId::kBsc, 15));
  auto cp = writer_.checkpoint(ChainId::kBsc).value();
  ASSERT_TRUE(cp);
  EXPECT_EQ(cp->height, 15U);
  EXPECT_EQ(cp->hash, Hash32{});
  EXPECT_EQ(count("SELECT count(*) FROM tst_transfer"), 1);
  ASSERT_TRUE(writer_.rollback(ChainId::kBsc, 30));  // above the checkpoint: nothing to do
  EXPECT_EQ(writer_.checkpoint(ChainId::kBsc).value()->height, 15U);
}

TEST_F(WriterTest, PruneKeepsTheReorgWindowBlocksWithLogsKeepHashAndTimeInRawBlock) {
  TempDir dir;
  WriterOptions keep_all;
  keep_all.max_reorg_depth = 0;  // no automatic pruning: prune_blocks does it
  Writer writer = Writer::open(dir.file("all.db"), contracts_, store_test::fixed_clock(), keep_all).value();
  Batch batch;
  for (std::uint64_t h = 1; h <= 100; ++h) batch.blocks.push_back(header(h));
  batch.logs = {make_.transfer(10, 0, evm(1), evm(2), U256(1))};
  batch.checkpoint = header(100);
  ASSERT_TRUE(writer.apply(ChainId::kBsc, batch));
  EXPECT_EQ(writer.database().query_int64("SELECT count(*) FROM block").value(), 100);
  EXPECT_EQ(writer.prune_blocks(ChainId::kBsc, 64).value(), 35U);                      // 1..35
  EXPECT_EQ(writer.database().query_int64("SELECT count(*) FROM block").value(), 65);  // 36..100
  EXPECT_EQ(writer.database().query_int64("SELECT min(height) FROM block").value(), 36);
  EXPECT_EQ(writer.prune_blocks(ChainId::kBsc, 64).value(), 0U);
  auto st = writer.database().prepare("SELECT hash, time FROM raw_block WHERE chain = 1 AND height = 10");
  ASSERT_TRUE(st);
  ASSERT_TRUE(st->step().value());
  EXPECT_EQ((st->column_bytes<32, Hash32Tag>(0).value()), header(10).hash);
  EXPECT_EQ(st->column_int64(1), header(10).time);
}

TEST_F(WriterTest, ApplyPrunesHeadersThatLeaveTheReorgWindow) {
  // Default max_reorg_depth 64: the same result as prune_blocks(64), in apply.
  times_[10] = 1'234'567;
  Batch batch;
  for (std::uint64_t h = 1; h <= 100; ++h) batch.blocks.push_back(block(h));
  batch.logs = {make_.transfer(10, 0, evm(1), evm(2), U256(1))};
  batch.tron_txs = {};
  batch.checkpoint = header(100);
  ASSERT_TRUE(writer_.apply(ChainId::kBsc, batch));
  EXPECT_EQ(count("SELECT count(*) FROM block"), 65);  // 36..100
  EXPECT_EQ(writer_.prune_blocks(ChainId::kBsc, 64).value(), 0U);
  // The next batches push 36..45 out of the window.
  Batch next;
  for (std::uint64_t h = 101; h <= 110; ++h) next.blocks.push_back(header(h));
  next.checkpoint = header(110);
  ASSERT_TRUE(writer_.apply(ChainId::kBsc, next));
  EXPECT_EQ(count("SELECT count(*) FROM block"), 65);  // 46..110
  EXPECT_EQ(count("SELECT min(height) FROM block"), 46);
  const auto recent = writer_.recent_blocks(ChainId::kBsc, 65).value();
  ASSERT_EQ(recent.size(), 65U);  // the whole window, contiguous
  EXPECT_EQ(recent.front(), header(110));
  EXPECT_EQ(recent.back(), header(46));
  // A rollback inside the window still finds its block's hash.
  ASSERT_TRUE(writer_.rollback(ChainId::kBsc, 50));
  EXPECT_EQ(writer_.checkpoint(ChainId::kBsc).value()->hash, header(50).hash);
  EXPECT_EQ(count("SELECT count(*) FROM tst_transfer"), 1);
  // Rederive takes the log's block time from its raw_block row.
  ASSERT_TRUE(writer_.rederive(ChainId::kBsc, 0));
  EXPECT_EQ(count("SELECT count(*) FROM tst_ledger WHERE time = 1234567"), 2);
  // Below the window: block 10 (with logs) is known by its raw_block row, block 5 is not.
  ASSERT_TRUE(writer_.rollback(ChainId::kBsc, 10));
  EXPECT_EQ(writer_.checkpoint(ChainId::kBsc).value()->hash, header(10).hash);
  EXPECT_EQ(writer_.checkpoint(ChainId::kBsc).value()->time, 1'234'567);
  ASSERT_TRUE(writer_.rollback(ChainId::kBsc, 5));
  EXPECT_EQ(writer_.checkpoint(ChainId::kBsc).value()->hash, Hash32{});
  EXPECT_EQ(count("SELECT count(*) FROM tst_transfer"), 0);
}

TEST_F(WriterTest, ApplyKeepsTronHeadersWithReceipts) {
  Batch batch;
  for (std::uint64_t h = 1; h <= 80; ++h) batch.blocks.push_back(header(h));
  batch.tron_txs = {TronTxInfo{store_test::id32(1), 5, true, "SUCCESS", 10}};
  batch.checkpoint = header(80);
  ASSERT_TRUE(writer_.apply(ChainId::kTron, batch));
  // Block 5 and the 18 after it (confirmed_at: block + solid_confirmations − 1),
  // and the window 16..80: 5..80. Below 5 nothing.
  EXPECT_EQ(count("SELECT count(*) FROM block WHERE height < 16"), 11);
  EXPECT_EQ(count("SELECT count(*) FROM block"), 76);
  EXPECT_EQ(count("SELECT min(height) FROM block"), 5);
  // 100 more blocks: 24..35 leave the window and carry nothing; 6..23 stay.
  Batch next;
  for (std::uint64_t h = 81; h <= 180; ++h) next.blocks.push_back(header(h));
  next.checkpoint = header(180);
  ASSERT_TRUE(writer_.apply(ChainId::kTron, next));
  EXPECT_EQ(count("SELECT count(*) FROM block WHERE height < 116"), 19);  // 5..23
  EXPECT_EQ(count("SELECT max(height) FROM block WHERE height < 116"), 23);
}

TEST_F(WriterTest, PruneBlocksAcrossItsWindowsKeepsTronHeadersAfterAReceipt) {
  // prune_blocks works in windows of 65 536 heights; a receipt just below a
  // window's start still keeps the 18 headers after it, in the next window.
  TempDir dir;
  WriterOptions keep_all;
  keep_all.max_reorg_depth = 0;
  Writer writer = Writer::open(dir.file("tron.db"), contracts_, store_test::fixed_clock(), keep_all).value();
  Batch batch;
  for (std::uint64_t h = 1; h <= 70'000; ++h) batch.blocks.push_back(header(h));
  batch.tron_txs = {TronTxInfo{store_test::id32(1), 65'530, true, "SUCCESS", 10}};
  batch.checkpoint = header(70'000);
  ASSERT_TRUE(writer.apply(ChainId::kTron, batch));
  // Kept: 65 530..65 548 (the receipt's block and the 18 after it) and 69 936..70 000 (the checkpoint
  // and the 64 below it).
  EXPECT_EQ(writer.prune_blocks(ChainId::kTron, 64).value(), 70'000U - 19 - 65);
  EXPECT_EQ(writer.database().query_int64("SELECT count(*) FROM block WHERE height < 69936").value(), 19);
  EXPECT_EQ(writer.database().query_int64("SELECT min(height) FROM block").value(), 65'530);
  EXPECT_EQ(writer.database().query_int64("SELECT max(height) FROM block WHERE height < 69936").value(),
            65'548);
}

}  // namespace
}  // namespace csd
