// BSC views (SPEC 3.1, SPEC 5): access, tier, requirements and ledger, from
// the users' states in the account pages (totals, open objects and the
// reservations' recent quota use), tst_quota_use for an older day, and the
// ledger's runs, with the view-time rules of store/rules.hpp.
#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "store/account_states.hpp"
#include "store/ledger_fill.hpp"
#include "store/ledger_runs.hpp"
#include "store/queries.hpp"
#include "store/try.hpp"

namespace csd {
namespace {

using store_derive::UserState;

U256 balance_of(const store_derive::AccountTotals& totals) {
  // Never negative when indexing starts at the token's deployment; clamped otherwise (docs/store.md).
  return totals.received >= totals.sent ? totals.received - totals.sent : U256(0);
}

Result<U256> balance(ReadTxn& txn, const EvmAddress& address) {
  CSD_TRY(totals, account_states::read_totals(txn, address));
  return totals ? balance_of(*totals) : U256(0);
}

// The address's state from its account page (empty when it has none).
Result<UserState> user_state(ReadTxn& txn, const EvmAddress& address) {
  CSD_TRY(state, account_states::read(txn, address));
  return state ? std::move(*state) : UserState{};
}

struct OpenStakes {
  std::vector<StakeView> stakes;  // newest first
  std::uint8_t current_tier = 0;
  std::optional<std::int64_t> tier_active_until;
  std::optional<Hash32> tier_stake_id;
  U256 staked;
};

Result<OpenStakes> open_stakes(const UserState& state, std::int64_t now) {
  OpenStakes out;
  for (auto it = state.stakes.rbegin(); it != state.stakes.rend(); ++it) {
    StakeView stake{it->id,     it->tier,       it->amount,
                    it->time,   it->expires_at, stake_status(it->expires_at, now),
                    it->tx_hash};
    auto sum = checked_add(out.staked, stake.amount);
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

std::vector<LockView> open_locks(const UserState& state, const TierTable& tiers, std::int64_t now) {
  std::vector<LockView> locks;
  locks.reserve(state.locks.size());
  for (auto it = state.locks.rbegin(); it != state.locks.rend(); ++it) {  // newest first
    locks.push_back(LockView{it->id, it->agreement_id, it->amount, lock_tier(tiers, it->amount),
                             it->locked_until, lock_status(it->locked_until, now),
                             days_remaining(it->locked_until, now), it->tx_hash});
  }
  return locks;
}

// SPEC 3.1: units consumed in blocks whose timestamp falls in the UTC day of
// `now`. The reservation keeps its latest two days' units; an older day (a
// `now` more than a day behind the chain) is summed from its uses' history,
// which lie from its opening block on.
Result<std::uint64_t> used_on(ReadTxn& txn, const store_derive::OpenReservation& reservation,
                              const DayWindow& day) {
  if (auto kept = store_derive::quota_used_on(reservation.quota, utc_day_number(day.start))) return *kept;
  auto st = txn.prepare(
      "SELECT coalesce(sum(units), 0) FROM tst_quota_use WHERE position >= ?1 * 16777216 AND "
      "reservation_block = ?1 AND reservation_log_index = ?2 AND time >= ?3 AND time < ?4");
  if (!st) return std::move(st).error();
  st->bind_uint64_clamped(1, reservation.opened.block).bind_int64(2, reservation.opened.log_index);
  st->bind_int64(3, day.start).bind_int64(4, day.end);
  CSD_TRY(row, st->step());
  return row ? static_cast<std::uint64_t>(st->column_int64(0)) : 0;
}

Result<EntityQuotas> entity_quotas(ReadTxn& txn, const UserState& state, std::int64_t now) {
  // Per entity type, the active open reservation reserved longest (ties: the newest).
  std::array<const store_derive::OpenReservation*, 3> shown{};  // risk, strategy, memory
  for (auto it = state.reservations.rbegin(); it != state.reservations.rend(); ++it) {
    if (it->reserved_until <= now || it->entity_type < 1 || it->entity_type > 3) continue;
    const store_derive::OpenReservation*& slot = shown[it->entity_type - 1U];
    if (slot == nullptr || it->reserved_until > slot->reserved_until) slot = &*it;
  }
  const DayWindow day = utc_day(now);
  EntityQuotas quotas;
  std::optional<EntityQuotaView>* const slots[] = {&quotas.risk, &quotas.strategy, &quotas.memory};
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (shown[i] == nullptr) continue;
    const store_derive::OpenReservation& r = *shown[i];
    CSD_TRY(used, used_on(txn, r, day));
    *slots[i] = EntityQuotaView{r.id,    r.quota_per_day, used, quota_available(r.quota_per_day, used),
                                day.end, r.reserved_until};
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
  CSD_TRY(state, user_state(*txn_, address));
  const U256 bal = balance_of(state.totals);
  CSD_TRY(stakes, open_stakes(state, now));
  std::vector<LockView> locks = open_locks(state, config_->tiers, now);
  CSD_TRY(quotas, entity_quotas(*txn_, state, now));
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
  CSD_TRY(state, user_state(*txn_, address));
  CSD_TRY(stakes, open_stakes(state, now));
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
      CSD_TRY(state, user_state(*txn_, *address));
      CSD_TRY(stakes, open_stakes(state, now));
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
  std::vector<LedgerRow> shown;
  shown.reserve(to - from);
  for (std::size_t i = from; i < to; ++i) shown.push_back(rows[rows.size() - 1 - i]);
  // Only the rows shown are completed from their raw logs (store/ledger_fill.hpp).
  if (auto status = complete_ledger_rows(*txn_, std::span<LedgerRow>(shown)); !status)
    return std::move(status).error();
  for (LedgerRow& row : shown) out.entries.push_back(std::move(row.entry));
  out.pagination.limit = page.limit;
  out.pagination.offset = page.offset;
  out.pagination.has_previous = page.offset > 0;
  out.pagination.has_next =
      page.offset < out.pagination.total && out.pagination.total - page.offset > out.entries.size();
  return out;
}

}  // namespace csd
