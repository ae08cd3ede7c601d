// BSC views (SPEC 3.1, SPEC 5) read from a store filled through the Writer
// with ABI-encoded raw logs: balances, locks, stakes, quotas, tier,
// requirements and the ledger, at the edges of issue 4.
#include <gtest/gtest.h>

#include "queries_test_support.hpp"

namespace csd::store_test {
namespace {

const EvmAddress kAlice = evm(1);
const EvmAddress kBob = evm(2);
const EvmAddress kNobody = evm(99);

TEST(QueriesBsc, UnknownChainHasNoAsOfAndZeroState) {
  QueryStore store;
  store.block(kMidnight);
  store.commit(ChainId::kTron);  // only TRON has a checkpoint
  const AccessView view = store.read([&](Queries& q) { return ok(q.access(kAlice, kMidnight)); });
  EXPECT_FALSE(view.as_of.has_value());  // HTTP: 503 CHAIN_NOT_READY
  EXPECT_EQ(view.current_tier, 0);
  EXPECT_TRUE(view.tst_total.is_zero());
}

TEST(QueriesBsc, UnknownWalletGetsZeroState) {
  QueryStore store;
  const auto h = store.block(kMidnight);
  store.add(store.make().transfer(h, store.index(), kBob, kAlice, tst(7)));
  store.commit(ChainId::kBsc, h);
  const AccessView view = store.read([&](Queries& q) { return ok(q.access(kNobody, kMidnight)); });
  EXPECT_EQ(view.address, kNobody);
  EXPECT_EQ(view.current_tier, 0);
  EXPECT_EQ(view.tier_active_until, std::nullopt);
  EXPECT_TRUE(view.tst_balance.is_zero());
  EXPECT_TRUE(view.tst_total.is_zero());
  EXPECT_TRUE(view.locks.empty());
  EXPECT_TRUE(view.stakes.empty());
  EXPECT_EQ(view.entity_quotas, EntityQuotas{});
  ASSERT_TRUE(view.as_of.has_value());
  EXPECT_EQ(view.as_of->chain, ChainId::kBsc);
  EXPECT_EQ(view.as_of->block, h);
  EXPECT_EQ(view.as_of->block_hash, fixed<Hash32>(0xB0, h));
  EXPECT_EQ(view.as_of->block_time, kMidnight);
  EXPECT_EQ(view.as_of->finalized_block, h);
}

TEST(QueriesBsc, AccessBalancesLocksAndStakes) {
  QueryStore store;
  const auto& mk = store.make();
  const std::int64_t now = kMidnight + 1000;
  auto h = store.block(kMidnight - 500);
  store.add(mk.transfer(h, store.index(), kBob, kAlice, tst(1000)));
  store.add(mk.transfer(h, store.index(), kAlice, kBob, tst(100)));
  store.add(mk.transfer(h, store.index(), kAlice, kAlice, tst(3)));  // to self: balance unchanged
  store.add(
      mk.locked(h, store.index(), id32(1), kAlice, tst(50), now, "agr-at-now"));  // exactly at lockedUntil
  store.add(mk.locked(h, store.index(), id32(2), kAlice, tst(250) - U256(1), now + 1, "agr-1s"));
  store.add(mk.locked(h, store.index(), id32(3), kAlice, tst(10), now + 10, "released"));
  h = store.block(kMidnight - 400);
  store.add(mk.released(h, store.index(), id32(3), kAlice, tst(10)));
  store.add(mk.staked(h, store.index(), id32(10), kAlice, 3, tst(100),
                      static_cast<std::uint64_t>(now)));  // expires at now
  store.add(mk.staked(h, store.index(), id32(11), kAlice, 2, tst(25), static_cast<std::uint64_t>(now + 50)));
  store.add(mk.staked(h, store.index(), id32(12), kAlice, 2, tst(25), static_cast<std::uint64_t>(now + 90)));
  store.add(mk.staked(h, store.index(), id32(13), kAlice, 1, tst(5), static_cast<std::uint64_t>(now + 999)));
  store.add(
      mk.staked(h, store.index(), id32(14), kAlice, 3, tst(100), static_cast<std::uint64_t>(now + 999)));
  h = store.block(kMidnight - 300);
  store.add(mk.unstaked(h, store.index(), id32(14), kAlice, tst(100), false));
  store.commit(ChainId::kBsc);

  const AccessView view = store.read([&](Queries& q) { return ok(q.access(kAlice, now)); });
  EXPECT_EQ(view.tst_balance, tst(900));
  EXPECT_EQ(view.tst_available, tst(900));
  EXPECT_EQ(view.tst_locked, tst(300) - U256(1));
  EXPECT_EQ(view.tst_staked, tst(155));  // the expired stake still sits in the contract
  EXPECT_EQ(view.tst_total, tst(900 + 300 + 155) - U256(1));
  // Tier 3 stake expires at now: expired. Two active tier-2 stakes: the later expiry.
  EXPECT_EQ(view.current_tier, 2);
  EXPECT_EQ(view.tier_active_until, now + 90);

  ASSERT_EQ(view.locks.size(), 2u);  // newest first; the released one is gone
  EXPECT_EQ(view.locks[0].lock_id, id32(2));
  EXPECT_EQ(view.locks[0].tier, 2);  // one wei below 250 TST
  EXPECT_EQ(view.locks[0].status, LockStatus::kActive);
  EXPECT_EQ(view.locks[0].days_remaining, 1);
  EXPECT_EQ(view.locks[0].agreement_id, "agr-1s");
  EXPECT_EQ(view.locks[1].lock_id, id32(1));
  EXPECT_EQ(view.locks[1].tier, 2);  // exactly 50 TST
  EXPECT_EQ(view.locks[1].status, LockStatus::kUnlockable);
  EXPECT_EQ(view.locks[1].days_remaining, 0);
  EXPECT_EQ(view.locks[1].tx_hash, LogMaker::tx_hash(1, 3));

  ASSERT_EQ(view.stakes.size(), 4u);
  EXPECT_EQ(view.stakes[0].stake_id, id32(13));
  EXPECT_EQ(view.stakes[3].stake_id, id32(10));
  EXPECT_EQ(view.stakes[3].status, StakeStatus::kExpired);
  EXPECT_EQ(view.stakes[3].staked_at, kMidnight - 400);
  EXPECT_EQ(view.stakes[3].expires_at, now);
  EXPECT_EQ(view.stakes[2].status, StakeStatus::kActive);

  // One second earlier, the tier-3 stake is still active.
  const AccessView before = store.read([&](Queries& q) { return ok(q.access(kAlice, now - 1)); });
  EXPECT_EQ(before.current_tier, 3);
  EXPECT_EQ(before.tier_active_until, now);
  EXPECT_EQ(before.locks[1].status, LockStatus::kActive);
  EXPECT_EQ(before.locks[1].days_remaining, 1);
}

TEST(QueriesBsc, QuotaConsumedAt235959And000000Utc) {
  QueryStore store;
  const auto& mk = store.make();
  const std::uint64_t until = kMidnight + 10 * kSecondsPerDay;
  auto h = store.block(kMidnight - 3600);
  store.add(mk.reserved(h, store.index(), id32(20), kAlice, 1, tst(5), 10, until));
  store.add(
      mk.reserved(h, store.index(), id32(21), kAlice, 2, tst(5), 12, kMidnight));  // expires at midnight
  store.add(mk.reserved(h, store.index(), id32(22), kAlice, 3, tst(5), 7, until));
  store.add(mk.reserved(h, store.index(), id32(23), kAlice, 1, tst(5), 99, until - 1));  // shorter: not shown
  h = store.block(kMidnight - 1);                                                        // 23:59:59
  store.add(mk.consumed(h, store.index(), id32(20), kAlice, 4));
  h = store.block(kMidnight);  // 00:00:00
  store.add(mk.consumed(h, store.index(), id32(20), kAlice, 3));
  store.add(mk.consumed(h, store.index(), id32(22), kAlice, 9));
  h = store.block(kMidnight + 5);
  store.add(mk.reservation_released(h, store.index(), id32(22), kAlice));
  store.commit(ChainId::kBsc);

  const AccessView today = store.read([&](Queries& q) { return ok(q.access(kAlice, kMidnight + 60)); });
  ASSERT_TRUE(today.entity_quotas.risk.has_value());
  const EntityQuotaView& risk = *today.entity_quotas.risk;
  EXPECT_EQ(risk.reservation_id, id32(20));
  EXPECT_EQ(risk.total, 10u);
  EXPECT_EQ(risk.used_today, 3u);  // only the 00:00:00 consumption
  EXPECT_EQ(risk.available, 7u);
  EXPECT_EQ(risk.reset_at, kMidnight + kSecondsPerDay);
  EXPECT_EQ(risk.reserved_until, static_cast<std::int64_t>(until));
  EXPECT_FALSE(today.entity_quotas.strategy.has_value());  // reservedUntil = midnight: inactive from midnight
  EXPECT_FALSE(today.entity_quotas.memory.has_value());    // released

  const AccessView yesterday = store.read([&](Queries& q) { return ok(q.access(kAlice, kMidnight - 1)); });
  ASSERT_TRUE(yesterday.entity_quotas.risk.has_value());
  EXPECT_EQ(yesterday.entity_quotas.risk->used_today, 4u);  // only the 23:59:59 consumption
  EXPECT_EQ(yesterday.entity_quotas.risk->reset_at, kMidnight);
  ASSERT_TRUE(yesterday.entity_quotas.strategy.has_value());
  EXPECT_EQ(yesterday.entity_quotas.strategy->available, 12u);
}

TEST(QueriesBsc, UsedTodayOfADayBeforeTheTwoKeptComesFromTheHistory) {
  // The reservation keeps the units of its latest use's day and the day
  // before; a `now` further back is answered from its uses' rows, and a `now`
  // after the latest use's day has used nothing yet.
  QueryStore store;
  const auto& mk = store.make();
  const std::uint64_t until = kMidnight + 10 * kSecondsPerDay;
  auto h = store.block(kMidnight - 2 * kSecondsPerDay - 100);
  store.add(mk.reserved(h, store.index(), id32(20), kAlice, 1, tst(5), 10, until));
  store.add(mk.reserved(h, store.index(), id32(20), kBob, 1, tst(5), 10, until));  // the same id, Bob's
  h = store.block(kMidnight - 2 * kSecondsPerDay + 5);                             // day −2
  store.add(mk.consumed(h, store.index(), id32(20), kAlice, 6));
  store.add(mk.consumed(h, store.index(), id32(20), kBob, 1));
  h = store.block(kMidnight - kSecondsPerDay + 5);  // day −1
  store.add(mk.consumed(h, store.index(), id32(20), kAlice, 2));
  h = store.block(kMidnight + 5);  // day 0
  store.add(mk.consumed(h, store.index(), id32(20), kAlice, 3));
  store.add(mk.consumed(h, store.index(), id32(20), kAlice, 1));
  store.commit(ChainId::kBsc);

  const auto used_on = [&](std::int64_t now) {
    const AccessView view = store.read([&](Queries& q) { return ok(q.access(kAlice, now)); });
    EXPECT_TRUE(view.entity_quotas.risk.has_value());
    return view.entity_quotas.risk ? view.entity_quotas.risk->used_today : ~0ULL;
  };
  EXPECT_EQ(used_on(kMidnight + 60), 4u);
  EXPECT_EQ(used_on(kMidnight - 60), 2u);
  EXPECT_EQ(used_on(kMidnight - kSecondsPerDay - 60), 6u);      // from the history: Bob's use not counted
  EXPECT_EQ(used_on(kMidnight - 2 * kSecondsPerDay - 60), 0u);  // before any use
  EXPECT_EQ(used_on(kMidnight + kSecondsPerDay + 60), 0u);      // a day with no use yet
}

TEST(QueriesBsc, EachEntityTypeShowsItsLongestReservationAmongMany) {
  // Unknown entity types are skipped; once all three types are found, the
  // shorter reservations after them change nothing.
  QueryStore store;
  const auto& mk = store.make();
  const std::uint64_t base = kMidnight + 100 * kSecondsPerDay;
  const auto h = store.block(kMidnight);
  store.add(mk.reserved(h, store.index(), id32(30), kAlice, 1, tst(1), 5, base + 100));
  store.add(mk.reserved(h, store.index(), id32(31), kAlice, 1, tst(1), 6, base + 200));   // risk: longest
  store.add(mk.reserved(h, store.index(), id32(32), kAlice, 4, tst(1), 7, base + 300));   // unknown type
  store.add(mk.reserved(h, store.index(), id32(33), kAlice, 2, tst(1), 8, base + 50));    // strategy
  store.add(mk.reserved(h, store.index(), id32(34), kAlice, 3, tst(1), 9, base + 150));   // memory
  store.add(mk.reserved(h, store.index(), id32(35), kAlice, 2, tst(1), 10, base + 10));   // shorter strategy
  store.add(mk.reserved(h, store.index(), id32(36), kAlice, 3, tst(1), 11, base + 150));  // same until, newer
  store.commit(ChainId::kBsc);
  const AccessView view = store.read([&](Queries& q) { return ok(q.access(kAlice, kMidnight + 60)); });
  ASSERT_TRUE(view.entity_quotas.risk && view.entity_quotas.strategy && view.entity_quotas.memory);
  EXPECT_EQ(view.entity_quotas.risk->reservation_id, id32(31));
  EXPECT_EQ(view.entity_quotas.strategy->reservation_id, id32(33));
  // Equal reservedUntil: the newest reservation first (the view's tie rule).
  EXPECT_EQ(view.entity_quotas.memory->reservation_id, id32(36));
  EXPECT_EQ(view.entity_quotas.memory->total, 11u);
}

TEST(QueriesBsc, TierViewUsesTableBenefits) {
  QueryStore store;
  const auto h = store.block(kMidnight);
  store.add(store.make().staked(h, store.index(), id32(30), kAlice, 2, tst(25), kMidnight + 100));
  store.add(store.make().staked(h, store.index(), id32(31), kBob, 3, tst(100), kMidnight + 100));
  store.commit(ChainId::kBsc);
  const TierView alice = store.read([&](Queries& q) { return ok(q.tier(kAlice, kMidnight)); });
  EXPECT_EQ(alice.tier, 2);
  EXPECT_EQ(alice.expires_at, kMidnight + 100);
  EXPECT_EQ(alice.stake_id, id32(30));
  EXPECT_EQ(alice.benefits, (TierBenefits{10, 3600, TierPriority::kMedium, 500'000}));
  const TierView bob = store.read([&](Queries& q) { return ok(q.tier(kBob, kMidnight)); });
  EXPECT_EQ(bob.benefits, (TierBenefits{std::nullopt, 0, TierPriority::kHigh, std::nullopt}));
  const TierView expired = store.read([&](Queries& q) { return ok(q.tier(kAlice, kMidnight + 100)); });
  EXPECT_EQ(expired.tier, 0);
  EXPECT_EQ(expired.stake_id, std::nullopt);
  EXPECT_EQ(expired.benefits, (TierBenefits{1, 24 * 3600, TierPriority::kNone, 0}));
}

TEST(QueriesBsc, RequirementsAtThresholdsAndOneWeiBelow) {
  QueryStore store;
  const EvmAddress at_ten = evm(10);
  const EvmAddress below_ten = evm(11);
  const EvmAddress at_five = evm(12);
  const auto h = store.block(kMidnight);
  store.add(store.make().transfer(h, store.index(), kBob, at_ten, tst(10)));
  store.add(store.make().transfer(h, store.index(), kBob, below_ten, tst(10) - U256(1)));
  store.add(store.make().transfer(h, store.index(), kBob, at_five, tst(5)));
  store.commit(ChainId::kBsc);

  const auto lock = [&](const EvmAddress& a) {
    return store.read(
        [&](Queries& q) { return ok(q.requirements(RequirementAction::kLockP2p, a, kMidnight)); });
  };
  const RequirementsView qualified = lock(at_ten);
  ASSERT_TRUE(qualified.user.has_value());
  EXPECT_EQ(qualified.user->qualified_tier, 1);
  EXPECT_EQ(qualified.user->status, RequirementStatus::kQualified);
  EXPECT_TRUE(qualified.user->shortfall.is_zero());
  ASSERT_EQ(qualified.tiers.size(), 3u);
  EXPECT_EQ(qualified.tiers[2].required, tst(250));
  EXPECT_EQ(qualified.tiers[1].benefits.max_capital, 500'000u);
  EXPECT_TRUE(qualified.as_of.has_value());
  const RequirementsView short_one = lock(below_ten);
  EXPECT_EQ(short_one.user->qualified_tier, 0);
  EXPECT_EQ(short_one.user->status, RequirementStatus::kInsufficient);
  EXPECT_EQ(short_one.user->shortfall, U256(1));

  const RequirementsView upgrade = store.read(
      [&](Queries& q) { return ok(q.requirements(RequirementAction::kUpgradeTier, at_five, kMidnight)); });
  EXPECT_EQ(upgrade.user->qualified_tier, 1);
  EXPECT_EQ(upgrade.tiers[0].required, tst(5));
  // Reserving needs an active stake, not a balance.
  const RequirementsView reserve = store.read(
      [&](Queries& q) { return ok(q.requirements(RequirementAction::kReserveEntity, at_ten, kMidnight)); });
  EXPECT_EQ(reserve.user->qualified_tier, 0);
  EXPECT_EQ(reserve.user->status, RequirementStatus::kInsufficient);
  EXPECT_TRUE(reserve.user->shortfall.is_zero());  // the balance could stake tier 1
  EXPECT_EQ(reserve.tiers[0].entity_quota, (EntityQuota{3, 12, 7}));

  const RequirementsView table = store.read(
      [&](Queries& q) { return ok(q.requirements(RequirementAction::kLockP2p, std::nullopt, kMidnight)); });
  EXPECT_FALSE(table.user.has_value());
  EXPECT_FALSE(table.as_of.has_value());
  EXPECT_FALSE(table.description.empty());
}

TEST(QueriesBsc, LedgerNewestFirstWithPagination) {
  QueryStore store;
  const auto& mk = store.make();
  auto h = store.block(kMidnight);
  store.add(mk.transfer(h, store.index(), kBob, kAlice, tst(10)));   // 1:0 transfer_in
  store.add(mk.transfer(h, store.index(), kAlice, kAlice, tst(1)));  // 1:1 transfer_in + transfer_out
  h = store.block(kMidnight + 3);
  store.add(mk.locked(h, store.index(), id32(1), kAlice, tst(2), kMidnight + 99, "x"));     // 2:0 lock
  store.add(mk.reserved(h, store.index(), id32(2), kAlice, 1, tst(1), 5, kMidnight + 99));  // 2:1 reserve
  store.add(mk.consumed(h, store.index(), id32(2), kAlice, 2));                             // 2:2 consume
  store.add(mk.released(h, store.index(), id32(404), kAlice, tst(2)));  // no open lock: no ledger row
  store.commit(ChainId::kBsc);

  const LedgerPage all = store.read([&](Queries& q) { return ok(q.ledger(kAlice, PageRequest{100, 0})); });
  ASSERT_EQ(all.entries.size(), 6u);
  EXPECT_EQ(all.pagination, (Pagination{6, 100, 0, false, false}));
  EXPECT_EQ(all.entries[0].type, LedgerKind::kConsume);
  EXPECT_EQ(all.entries[0].amount, U256(2));
  EXPECT_EQ(all.entries[0].counterparty, store.contracts().bsc.compute_reserve);
  EXPECT_EQ(all.entries[2].type, LedgerKind::kLock);
  EXPECT_EQ(all.entries[2].time, kMidnight + 3);
  EXPECT_EQ(all.entries[3].type, LedgerKind::kTransferOut);  // the transfer to self: two rows
  EXPECT_EQ(all.entries[4].type, LedgerKind::kTransferIn);
  EXPECT_EQ(all.entries[4].log_index, 1u);
  EXPECT_EQ(all.entries[5].counterparty, kBob);
  EXPECT_EQ(all.entries[5].tx_hash, LogMaker::tx_hash(1, 0));

  const LedgerPage middle = store.read([&](Queries& q) { return ok(q.ledger(kAlice, PageRequest{2, 2})); });
  EXPECT_EQ(middle.pagination, (Pagination{6, 2, 2, true, true}));
  ASSERT_EQ(middle.entries.size(), 2u);
  EXPECT_EQ(middle.entries[0], all.entries[2]);
  const LedgerPage last = store.read([&](Queries& q) { return ok(q.ledger(kAlice, PageRequest{2, 4})); });
  EXPECT_EQ(last.pagination, (Pagination{6, 2, 4, false, true}));
  const LedgerPage past = store.read([&](Queries& q) { return ok(q.ledger(kAlice, PageRequest{20, 600})); });
  EXPECT_TRUE(past.entries.empty());
  EXPECT_EQ(past.pagination, (Pagination{6, 20, 600, false, true}));
  const LedgerPage none = store.read([&](Queries& q) { return ok(q.ledger(kAlice, PageRequest{0, 0})); });
  EXPECT_TRUE(none.entries.empty());
  EXPECT_EQ(none.pagination, (Pagination{6, 0, 0, true, false}));
  const LedgerPage max = store.read([&](Queries& q) { return ok(q.ledger(kNobody, PageRequest{100, 0})); });
  EXPECT_EQ(max.pagination, (Pagination{0, 100, 0, false, false}));
  const auto too_many = store.read([&](Queries& q) { return q.ledger(kAlice, PageRequest{101, 0}); });
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, ErrorCode::kOutOfRange);
}

TEST(QueriesBsc, ExtremeAmountsStayExact) {
  QueryStore store;
  const auto h = store.block(kMidnight);
  store.add(store.make().transfer(h, store.index(), kBob, kAlice, U256::max()));
  store.commit(ChainId::kBsc);
  const AccessView view = store.read([&](Queries& q) { return ok(q.access(kAlice, kMidnight)); });
  EXPECT_EQ(view.tst_balance, U256::max());
  EXPECT_EQ(view.tst_total, U256::max());
  // Bob sent 2^256-1 he never received: his balance clamps at 0 (docs/store.md).
  const AccessView bob = store.read([&](Queries& q) { return ok(q.access(kBob, kMidnight)); });
  EXPECT_TRUE(bob.tst_balance.is_zero());
}

}  // namespace
}  // namespace csd::store_test
