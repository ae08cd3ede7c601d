// TRON views (SPEC 3.3, SPEC 5) read from a store filled through the Writer:
// payout status (pending/confirmed/failed), confirmations, confirmed_at, the
// filtered and paged list, batches and stats.
#include <gtest/gtest.h>

#include "decoders/tron_address.hpp"
#include "queries_test_support.hpp"

namespace csd::store_test {
namespace {

constexpr std::int64_t kT0 = kMidnight;
std::int64_t time_of(std::uint64_t height) {
  return kT0 + static_cast<std::int64_t>(height) * 3;
}

const Hash32 kA = id32(0xA);
const Hash32 kB = id32(0xB);
const Hash32 kC = id32(0xC);
const Hash32 kD = id32(0xD);
const Hash32 kE = id32(0xE);
const Hash32 kBatch = id32(0xBA);

// Blocks 1..6 (solid_confirmations 3, no solidified head: confirmed up to block 4):
//   1: A executed (V0, batch)       receipt SUCCESS  -> confirmed
//   2: B failed event (KYC)          receipt SUCCESS  -> failed
//   3: C executed (V0, batch)       receipt REVERT   -> failed
//   4: D executed (KYC, batch), BatchSettled(count 3) -> confirmed
//   5: E executed (V0, no batch)    receipt SUCCESS  -> pending
//   6: empty
class QueriesTron : public ::testing::Test {
 protected:
  void SetUp() override {
    store.config.solid_confirmations = 3;
    const auto& mk = store.make();
    const Hash32 none;
    auto receipt = [&](std::uint64_t h, std::uint32_t i, bool success, std::int64_t fee) {
      store.add_tx(TronTxInfo{LogMaker::tx_hash(h, i), h, success, success ? "SUCCESS" : "REVERT", fee});
    };
    auto h = store.block(time_of(1));
    store.add(mk.payout_executed(0, h, 0, kA, evm(1), U256(1'000'000), kBatch, "salary"));
    receipt(h, 0, true, 1'100'000);
    h = store.block(time_of(2));
    store.add(mk.payout_failed(1, h, 0, kB, evm(2), U256(2'000'000), "kyc expired"));
    receipt(h, 0, true, 0);
    h = store.block(time_of(3));
    store.add(mk.payout_executed(0, h, 0, kC, evm(1), U256(3'000'000), kBatch, "bonus"));
    receipt(h, 0, false, 500);
    h = store.block(time_of(4));
    store.add(mk.payout_executed(1, h, 0, kD, evm(3), U256(4'000'000), kBatch, "fee"));
    store.add(mk.batch_settled(1, h, 1, kBatch, U256(3), U256(8'000'000)));
    receipt(h, 0, true, 7);
    h = store.block(time_of(5));
    store.add(mk.payout_executed(0, h, 0, kE, evm(1), U256(5'000'000), none, "later"));
    receipt(h, 0, true, 9);
    store.block(time_of(6));
    store.commit(ChainId::kTron);
  }

  PayoutView payout(const Hash32& id) {
    return store.read([&](Queries& q) { return ok(q.payout(id)); });
  }
  PayoutList list(const PayoutFilters& filters, PageRequest page = {}) {
    return store.read([&](Queries& q) { return ok(q.payouts(filters, page)); });
  }
  static std::vector<Hash32> ids(const PayoutList& list) {
    std::vector<Hash32> out;
    for (const auto& p : list.payouts) out.push_back(p.payout_id);
    return out;
  }

  QueryStore store;
};

TEST_F(QueriesTron, ConfirmedPayoutHasAllFields) {
  const PayoutView a = payout(kA);
  EXPECT_EQ(a.payout_id, kA);
  EXPECT_EQ(a.status, PayoutStatus::kConfirmed);
  EXPECT_EQ(a.router_type, PayoutRouterType::kV0);
  EXPECT_EQ(a.router_address, tron_address_from_evm20(store.contracts().tron_routers[0].address));
  EXPECT_EQ(a.recipient_address, tron_address_from_evm20(evm(1)));
  EXPECT_EQ(a.amount, U256(1'000'000));
  EXPECT_EQ(a.batch_id, kBatch);
  EXPECT_EQ(a.reason, "salary");
  EXPECT_EQ(a.error, std::nullopt);
  EXPECT_EQ(a.txid, LogMaker::tx_hash(1, 0));
  EXPECT_EQ(a.block_number, 1u);
  EXPECT_EQ(a.block_timestamp, time_of(1));
  EXPECT_EQ(a.confirmations, 6u);  // head 6 − block 1 + 1
  EXPECT_EQ(a.fee_sun, 1'100'000);
  EXPECT_EQ(a.receipt_result, "SUCCESS");
  EXPECT_EQ(a.confirmed_at, time_of(3));  // block 1 + 3 − 1
}

TEST_F(QueriesTron, StatusRules) {
  const PayoutView b = payout(kB);
  EXPECT_EQ(b.status, PayoutStatus::kFailed);  // PayoutFailed
  EXPECT_EQ(b.error, "kyc expired");
  EXPECT_EQ(b.batch_id, std::nullopt);
  EXPECT_EQ(b.confirmed_at, std::nullopt);
  const PayoutView c = payout(kC);
  EXPECT_EQ(c.status, PayoutStatus::kFailed);  // receipt not SUCCESS
  EXPECT_EQ(c.receipt_result, "REVERT");
  const PayoutView d = payout(kD);
  EXPECT_EQ(d.status, PayoutStatus::kConfirmed);  // exactly solid_confirmations confirmations
  EXPECT_EQ(d.confirmations, 3u);
  EXPECT_EQ(d.confirmed_at, time_of(6));
  const PayoutView e = payout(kE);
  EXPECT_EQ(e.status, PayoutStatus::kPending);  // one confirmation short
  EXPECT_EQ(e.confirmations, 2u);
  EXPECT_EQ(e.confirmed_at, std::nullopt);
}

TEST_F(QueriesTron, SolidifiedHeadConfirms) {
  store.block(time_of(7));
  store.commit(ChainId::kTron, 5);  // the node solidified block 5
  const PayoutView e = payout(kE);
  EXPECT_EQ(e.status, PayoutStatus::kConfirmed);
  EXPECT_EQ(e.confirmations, 3u);
  EXPECT_EQ(e.confirmed_at, time_of(7));
  store.block(time_of(8));
  store.block(time_of(9));
  store.commit(ChainId::kTron, 5);
  const PayoutView still = payout(kE);
  EXPECT_EQ(still.status, PayoutStatus::kConfirmed);
  EXPECT_EQ(still.confirmations, 5u);
}

TEST_F(QueriesTron, SolidifiedHeadBelowBlockKeepsPending) {
  for (int i = 0; i < 10; ++i) store.block(time_of(7 + static_cast<std::uint64_t>(i)));
  store.commit(ChainId::kTron, 4);  // 12 confirmations, but the solidified head is below block 5
  EXPECT_EQ(payout(kE).status, PayoutStatus::kPending);
}

TEST_F(QueriesTron, LatestEventIsTheState) {
  const auto h = store.block(time_of(7));
  store.add(store.make().payout_failed(0, h, 0, kA, evm(1), U256(1'000'000), "clawback"));
  store.commit(ChainId::kTron);
  const PayoutView a = payout(kA);
  EXPECT_EQ(a.status, PayoutStatus::kFailed);
  EXPECT_EQ(a.block_number, 7u);
  EXPECT_EQ(a.fee_sun, std::nullopt);        // no receipt stored for that transaction
  EXPECT_EQ(list({}).pagination.total, 5u);  // still one row per payout id
}

TEST_F(QueriesTron, UnknownPayoutIsNotFound) {
  const auto result = store.read([&](Queries& q) { return q.payout(id32(0xFF)); });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  const auto batch = store.read([&](Queries& q) { return q.batch(id32(0xFF)); });
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kNotFound);
}

TEST_F(QueriesTron, ListFiltersAndPagination) {
  const PayoutList all = list({});
  EXPECT_EQ(ids(all), (std::vector<Hash32>{kE, kD, kC, kB, kA}));
  EXPECT_EQ(all.pagination, (Pagination{5, 20, 0, false, false}));
  ASSERT_TRUE(all.as_of.has_value());
  EXPECT_EQ(all.as_of->block, 6u);

  PayoutFilters f;
  f.status = PayoutStatus::kFailed;
  EXPECT_EQ(ids(list(f)), (std::vector<Hash32>{kC, kB}));
  EXPECT_EQ(list(f).filters, f);
  f.status = PayoutStatus::kPending;
  EXPECT_EQ(ids(list(f)), (std::vector<Hash32>{kE}));
  f = {};
  f.router_type = PayoutRouterType::kKyc;
  EXPECT_EQ(ids(list(f)), (std::vector<Hash32>{kD, kB}));
  f = {};
  f.recipient = tron_address_from_evm20(evm(1));
  EXPECT_EQ(ids(list(f)), (std::vector<Hash32>{kE, kC, kA}));
  f.status = PayoutStatus::kConfirmed;
  EXPECT_EQ(ids(list(f)), (std::vector<Hash32>{kA}));
  f = {};
  f.txid = LogMaker::tx_hash(3, 0);
  EXPECT_EQ(ids(list(f)), (std::vector<Hash32>{kC}));
  f = {};
  f.start_date = time_of(2);  // inclusive bounds
  f.end_date = time_of(4);
  EXPECT_EQ(ids(list(f)), (std::vector<Hash32>{kD, kC, kB}));

  const PayoutList page = list({}, PageRequest{2, 2});
  EXPECT_EQ(ids(page), (std::vector<Hash32>{kC, kB}));
  EXPECT_EQ(page.pagination, (Pagination{5, 2, 2, true, true}));
  EXPECT_EQ(list({}, PageRequest{0, 0}).pagination, (Pagination{5, 0, 0, true, false}));
  EXPECT_EQ(list({}, PageRequest{100, 5}).pagination, (Pagination{5, 100, 5, false, true}));
  const auto too_many = store.read([&](Queries& q) { return q.payouts({}, PageRequest{101, 0}); });
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, ErrorCode::kOutOfRange);
}

TEST_F(QueriesTron, BatchCountsAndAmounts) {
  const BatchView b = store.read([&](Queries& q) { return ok(q.batch(kBatch)); });
  EXPECT_EQ(b.total_payouts, 3u);  // A, C, D
  EXPECT_EQ(b.completed_payouts, 2u);
  EXPECT_EQ(b.failed_payouts, 1u);
  EXPECT_EQ(b.pending_payouts, 0u);
  EXPECT_EQ(b.status, BatchStatus::kPartiallyFailed);
  EXPECT_EQ(b.total_amount, U256(8'000'000));  // BatchSettled.totalAmount
  EXPECT_EQ(b.completed_amount, U256(5'000'000));
  EXPECT_EQ(b.settled_count, U256(3));
  EXPECT_EQ(b.settled_txid, LogMaker::tx_hash(4, 1));
}

TEST_F(QueriesTron, StatsOverWindow) {
  const std::int64_t now = time_of(6);
  const PayoutStats all =
      store.read([&](Queries& q) { return ok(q.payout_stats(StatsPeriod::kHour, std::nullopt, now)); });
  EXPECT_EQ(all.total_payouts, 5u);
  EXPECT_EQ(all.confirmed_payouts, 2u);
  EXPECT_EQ(all.failed_payouts, 2u);
  EXPECT_EQ(all.pending_payouts, 1u);
  EXPECT_EQ(all.total_amount, U256(15'000'000));
  EXPECT_EQ(all.average_amount, U256(3'000'000));
  EXPECT_EQ(format_decimal(all.success_rate), "50");
  ASSERT_EQ(all.payouts_by_router.size(), 2u);
  EXPECT_EQ(all.payouts_by_router[0], (RouterStats{PayoutRouterType::kV0, 3, U256(9'000'000)}));
  EXPECT_EQ(all.payouts_by_router[1], (RouterStats{PayoutRouterType::kKyc, 2, U256(6'000'000)}));

  const PayoutStats kyc = store.read(
      [&](Queries& q) { return ok(q.payout_stats(StatsPeriod::kDay, PayoutRouterType::kKyc, now)); });
  EXPECT_EQ(kyc.total_payouts, 2u);
  EXPECT_EQ(format_decimal(kyc.success_rate), "50");
  // The window is (now − 1 h, now]: an hour after block 1, it has left.
  const PayoutStats later = store.read(
      [&](Queries& q) { return ok(q.payout_stats(StatsPeriod::kHour, std::nullopt, time_of(1) + 3600)); });
  EXPECT_EQ(later.total_payouts, 4u);
  EXPECT_EQ(later.window_start, time_of(1));
  const PayoutStats empty =
      store.read([&](Queries& q) { return ok(q.payout_stats(StatsPeriod::kWeek, std::nullopt, kT0 - 1)); });
  EXPECT_EQ(empty.total_payouts, 0u);
  EXPECT_TRUE(empty.average_amount.is_zero());
  EXPECT_EQ(format_decimal(empty.success_rate), "0");
}

TEST_F(QueriesTron, StatusReportsCheckpoints) {
  const StatusView status = store.read([&](Queries& q) { return ok(q.status()); });
  ASSERT_EQ(status.chains.size(), 3u);
  EXPECT_EQ(status.chains[0].chain, ChainId::kBsc);
  EXPECT_EQ(status.chains[0].indexed, std::nullopt);
  const ChainStatusView& tron = status.chains[2];
  EXPECT_EQ(tron.chain, ChainId::kTron);
  EXPECT_EQ(tron.indexed, 6u);
  EXPECT_EQ(tron.indexed_time, time_of(6));
  EXPECT_EQ(tron.finalized, std::nullopt);
  EXPECT_EQ(tron.updated_at, kNow);
  EXPECT_EQ(tron.anomalies, 0u);
  EXPECT_EQ(status.chains[1].accounts_tracked, 0u);
}

}  // namespace
}  // namespace csd::store_test
