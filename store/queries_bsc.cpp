// BSC views (SPEC 3.1, SPEC 5): access, tier, requirements and ledger, from
// the account totals' pages, the open tst_lock/tst_stake/tst_reservation rows, tst_quota_use
// and the ledger's runs, with the view-time rules of store/rules.hpp.
#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "store/account_pages.hpp"
#include "store/ledger_runs.hpp"
#include "store/queries.hpp"
#include "store/try.hpp"

namespace csd {
namespace {

Result<U256> balance(ReadTxn& txn, const EvmAddress& address) {
  CSD_TRY(totals, account_pages::read(txn, address));
  if (!totals) return U256(0);
  // Never negative when indexing starts at the token's deployment; clamped otherwise (docs/store.md).
  return totals->received >= totals->sent ? totals->received - totals->sent : U256(0);
}

struct OpenStakes {
  std::vector<StakeView> stakes;  // newest first
  std::uint8_t current_tier = 0;
  std::optional<std::int64_t> tier_active_until;
  std::optional<Hash32> tier_stake_id;
  U256 staked;
};

Result<OpenStakes> open_stakes(ReadTxn& txn, const EvmAddress& address, std::int64_t now) {
  auto st = txn.prepare(
      "SELECT stake_id, tier, amount, time, expires_at, tx_hash FROM tst_stake "
      "WHERE user = ?1 AND closed_block IS NULL ORDER BY block DESC, log_index DESC");
  if (!st) return std::move(st).error();
  st->bind_bytes(1, address);
  OpenStakes out;
  for (;;) {
    CSD_TRY(row, st->step());
    if (!row) break;
    CSD_TRY(stake_id, (st->column_bytes<32, Hash32Tag>(0)));
    CSD_TRY(amount, st->column_u256(2));
    CSD_TRY(tx_hash, (st->column_bytes<32, Hash32Tag>(5)));
    StakeView stake{stake_id,
                    static_cast<std::uint8_t>(std::clamp<std::int64_t>(st->column_int64(1), 0, 255)),
                    amount,
                    st->column_int64(3),
                    st->column_int64(4),
                    stake_status(st->column_int64(4), now),
                    tx_hash};
    auto sum = checked_add(out.staked, amount);
    if (!sum) return with_context(std::move(sum).error(), "store: tst_staked");
    out.staked = *sum;
    // SPEC 3.1: current_tier = highest tier among active stakes; tier_active_until
    // = that stake's expiresAt. Two active stakes of that tier: the later expiry.
    if (stake.status == StakeStatus::kActive && stake.tier > 0 &&
        (stake.tier > out.current_tier ||
         (stake.tier == out.current_tier && stake.expires_at > out.tier_active_until.value_or(0)))) {
      out.current_tier = stake.tier;
      out.tier_active_until = stake.expires_at;
      out.tier_stake_id = stake.stake_id;
    }
    out.stakes.push_back(std::move(stake));
  }
  return out;
}

Result<std::vector<LockView>> open_locks(ReadTxn& txn, const TierTable& tiers, const EvmAddress& address,
                                         std::int64_t now) {
  auto st = txn.prepare(
      "SELECT lock_id, agreement_id, amount, locked_until, tx_hash FROM tst_lock "
      "WHERE user = ?1 AND closed_block IS NULL ORDER BY block DESC, log_index DESC");
  if (!st) return std::move(st).error();
  st->bind_bytes(1, address);
  std::vector<LockView> locks;
  for (;;) {
    CSD_TRY(row, st->step());
    if (!row) break;
    CSD_TRY(lock_id, (st->column_bytes<32, Hash32Tag>(0)));
    CSD_TRY(amount, st->column_u256(2));
    CSD_TRY(tx_hash, (st->column_bytes<32, Hash32Tag>(4)));
    const std::int64_t until = st->column_int64(3);
    locks.push_back(LockView{lock_id, st->column_text(1), amount, lock_tier(tiers, amount), until,
                             lock_status(until, now), days_remaining(until, now), tx_hash});
  }
  return locks;
}

Result<std::uint64_t> used_in(ReadTxn& txn, const Hash32& reservation_id, const DayWindow& day) {
  // SPEC 3.1: units consumed in blocks whose timestamp falls in the current UTC day.
  auto st = txn.prepare(
      "SELECT coalesce(sum(units), 0) FROM tst_quota_use WHERE reservation_id = ?1 AND time >= ?2 AND time < "
      "?3");
  if (!st) return std::move(st).error();
  st->bind_bytes(1, reservation_id).bind_int64(2, day.start).bind_int64(3, day.end);
  CSD_TRY(row, st->step());
  return row ? static_cast<std::uint64_t>(st->column_int64(0)) : 0;
}

Result<EntityQuotas> entity_quotas(ReadTxn& txn, const EvmAddress& address, std::int64_t now) {
  // Active open reservations, the longest-reserved first (ties: the newest).
  auto st = txn.prepare(
      "SELECT reservation_id, entity_type, quota_per_day, reserved_until FROM tst_reservation "
      "WHERE user = ?1 AND closed_block IS NULL AND reserved_until > ?2 "
      "ORDER BY reserved_until DESC, block DESC, log_index DESC");
  if (!st) return std::move(st).error();
  st->bind_bytes(1, address).bind_int64(2, now);
  struct Found {
    Hash32 id;
    std::int64_t type;
    std::uint32_t quota;
    std::int64_t until;
  };
  // The first row of each entity type is the one shown: the scan stops once
  // all three are found (a user may hold many open reservations).
  std::array<std::optional<Found>, 3> shown;  // risk, strategy, memory
  std::size_t types_found = 0;
  while (types_found < shown.size()) {
    CSD_TRY(row, st->step());
    if (!row) break;
    const std::int64_t type = st->column_int64(1);
    if (type < 1 || type > 3 || shown[static_cast<std::size_t>(type - 1)])
      continue;  // unknown type, or a longer reservation already shown
    CSD_TRY(id, (st->column_bytes<32, Hash32Tag>(0)));
    const std::int64_t quota =
        std::clamp<std::int64_t>(st->column_int64(2), 0, std::numeric_limits<std::uint32_t>::max());
    shown[static_cast<std::size_t>(type - 1)] =
        Found{id, type, static_cast<std::uint32_t>(quota), st->column_int64(3)};
    ++types_found;
  }
  st->reset();  // the rest is not read
  const DayWindow day = utc_day(now);
  EntityQuotas quotas;
  std::optional<EntityQuotaView>* const slots[] = {&quotas.risk, &quotas.strategy, &quotas.memory};
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (!shown[i]) continue;
    const Found& f = *shown[i];
    CSD_TRY(used, used_in(txn, f.id, day));
    *slots[i] = EntityQuotaView{f.id, f.quota, used, quota_available(f.quota, used), day.end, f.until};
  }
  return quotas;
}

TierBenefits benefits_of(const TierRow& row) {
  return TierBenefits{row.analyses_per_day, row.execution_wait_s, row.priority, row.max_agreement_value};
}

}  // namespace

Result<AccessView> Queries::access(const EvmAddress& address, std::int64_t now) {
  AccessView view;
  view.address = address;
  CSD_TRY(as_of_value, as_of(ChainId::kBsc));
  view.as_of = as_of_value;
  CSD_TRY(bal, balance(*txn_, address));
  CSD_TRY(stakes, open_stakes(*txn_, address, now));
  CSD_TRY(locks, open_locks(*txn_, config_->tiers, address, now));
  CSD_TRY(quotas, entity_quotas(*txn_, address, now));
  U256 locked;
  for (const LockView& lock : locks) {
    auto sum = checked_add(locked, lock.amount);
    if (!sum) return with_context(std::move(sum).error(), "store: tst_locked");
    locked = *sum;
  }
  view.current_tier = stakes.current_tier;
  view.tier_active_until = stakes.tier_active_until;
  view.tst_balance = bal;
  view.tst_staked = stakes.staked;
  view.tst_locked = locked;
  view.tst_available = bal;  // SPEC 3.1: locked and staked TST sit in the contracts
  auto total = checked_add(bal, stakes.staked);
  if (total) total = checked_add(*total, locked);
  if (!total) return with_context(std::move(total).error(), "store: tst_total");
  view.tst_total = *total;
  view.locks = std::move(locks);
  view.stakes = std::move(stakes.stakes);
  view.entity_quotas = quotas;
  return view;
}

Result<TierView> Queries::tier(const EvmAddress& address, std::int64_t now) {
  TierView view;
  view.address = address;
  CSD_TRY(as_of_value, as_of(ChainId::kBsc));
  view.as_of = as_of_value;
  CSD_TRY(stakes, open_stakes(*txn_, address, now));
  view.tier = stakes.current_tier;
  view.expires_at = stakes.tier_active_until;
  view.stake_id = stakes.tier_stake_id;
  view.benefits = benefits_of(config_->tiers.row(view.tier));
  return view;
}

Result<RequirementsView> Queries::requirements(RequirementAction action,
                                               const std::optional<EvmAddress>& address, std::int64_t now) {
  RequirementsView view;
  view.action = action;
  view.description = std::string(requirement_action_description(action));
  const TierTable& tiers = config_->tiers;
  for (std::uint8_t t = 1; t <= kMaxTier; ++t) {
    view.tiers.push_back(RequirementTier{t, action_requirement(tiers, action, t), benefits_of(tiers.row(t)),
                                         tiers.row(t).entity_quota});
  }
  if (!address) return view;

  CSD_TRY(as_of_value, as_of(ChainId::kBsc));
  view.as_of = as_of_value;
  CSD_TRY(bal, balance(*txn_, *address));
  RequirementsUser user;
  user.address = *address;
  user.tst_balance = bal;
  switch (action) {
    case RequirementAction::kLockP2p:
      user.qualified_tier = lock_tier(tiers, bal);
      break;
    case RequirementAction::kUpgradeTier:
      user.qualified_tier = stake_tier(tiers, bal);
      break;
    case RequirementAction::kReserveEntity: {
      CSD_TRY(stakes, open_stakes(*txn_, *address, now));
      user.qualified_tier = stakes.current_tier;
      break;
    }
  }
  user.status = user.qualified_tier >= 1 ? RequirementStatus::kQualified : RequirementStatus::kInsufficient;
  const U256 needed = action_requirement(tiers, action, 1);
  user.shortfall = user.status == RequirementStatus::kQualified || bal >= needed ? U256(0) : needed - bal;
  view.user = user;
  return view;
}

Result<LedgerPage> Queries::ledger(const EvmAddress& address, const PageRequest& page) {
  if (page.limit > kMaxPageLimit) {
    return make_error(ErrorCode::kOutOfRange, "ledger: limit " + std::to_string(page.limit) +
                                                  " above maximum " + std::to_string(kMaxPageLimit));
  }
  LedgerPage out;
  out.address = address;
  CSD_TRY(as_of_value, as_of(ChainId::kBsc));
  out.as_of = as_of_value;
  // The address's rows from every run of the ledger (store/ledger_runs.hpp), newest first.
  CSD_TRY(rows, ledger_runs::rows_of(*txn_, address));
  out.pagination.total = rows.size();
  const std::size_t from = std::min<std::uint64_t>(page.offset, rows.size());
  const std::size_t to = from + std::min<std::size_t>(page.limit, rows.size() - from);
  for (std::size_t i = from; i < to; ++i) out.entries.push_back(rows[rows.size() - 1 - i].entry);
  out.pagination.limit = page.limit;
  out.pagination.offset = page.offset;
  out.pagination.has_previous = page.offset > 0;
  out.pagination.has_next =
      page.offset < out.pagination.total && out.pagination.total - page.offset > out.entries.size();
  return out;
}

}  // namespace csd
