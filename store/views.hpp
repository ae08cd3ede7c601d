// Views: the plain result structs of the store's queries, one per view of
// SPEC section 5. Field names are the JSON names of SPEC 5, so the HTTP layer
// maps them one to one. Amounts are raw U256 (TST wei, KAMIYO raw units, USDT
// raw units); times are unix seconds; the HTTP layer formats both (decimal
// strings, RFC 3339, `*_usdt` = format_units(amount, 6), `fee_trx` =
// format_units(fee_sun, 6)). Where a field is optional, nullopt is JSON null.
//
// `as_of` (SPEC 3.4, 5) is nullopt while the chain has no checkpoint: the
// chain has indexed nothing yet and the HTTP layer answers 503 CHAIN_NOT_READY.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/u256.hpp"
#include "store/chain_id.hpp"
#include "store/rules.hpp"
#include "store/writer.hpp"

namespace csd {

// The block (slot) a view reflects: the chain's checkpoint.
struct AsOf {
  ChainId chain = ChainId::kBsc;
  std::uint64_t block = 0;
  Hash32 block_hash;  // all zero when unknown (a rollback to a block that was never stored)
  std::int64_t block_time = 0;
  std::optional<std::uint64_t> finalized_block;
  friend bool operator==(const AsOf&, const AsOf&) = default;
};

// ---- paging (ledger, payouts) ----

inline constexpr std::uint32_t kDefaultPageLimit = 20;  // SPEC 5
inline constexpr std::uint32_t kMaxPageLimit = 100;     // SPEC 5

struct PageRequest {
  std::uint32_t limit = kDefaultPageLimit;  // 0..kMaxPageLimit; 0 returns only the totals
  std::uint64_t offset = 0;
};

struct Pagination {
  std::uint64_t total = 0;
  std::uint32_t limit = 0;
  std::uint64_t offset = 0;
  bool has_next = false;      // offset + entries returned < total
  bool has_previous = false;  // offset > 0
  friend bool operator==(const Pagination&, const Pagination&) = default;
};

// ---- GET /v1/access/{bsc_address} ----

struct LockView {
  Hash32 lock_id;
  std::string agreement_id;  // raw bytes as emitted (UTF-8 not validated; the JSON writer escapes)
  U256 amount;
  std::uint8_t tier = 0;  // lock_tier(amount)
  std::int64_t locked_until = 0;
  LockStatus status = LockStatus::kActive;
  std::int64_t days_remaining = 0;  // rules.hpp days_remaining
  Hash32 tx_hash;
  friend bool operator==(const LockView&, const LockView&) = default;
};

struct StakeView {
  Hash32 stake_id;
  std::uint8_t tier = 0;  // as emitted by TierStaked
  U256 amount;
  std::int64_t staked_at = 0;  // time of the TierStaked block
  std::int64_t expires_at = 0;
  StakeStatus status = StakeStatus::kActive;
  Hash32 tx_hash;
  friend bool operator==(const StakeView&, const StakeView&) = default;
};

// One entity type's quota: the active open reservation of that type (the one
// reserved longest; ties: the newest). nullopt in EntityQuotas: none active.
struct EntityQuotaView {
  Hash32 reservation_id;
  std::uint32_t total = 0;  // the on-chain quotaPerDay
  std::uint64_t used_today = 0;
  std::uint32_t available = 0;
  std::int64_t reset_at = 0;  // next UTC midnight
  std::int64_t reserved_until = 0;
  friend bool operator==(const EntityQuotaView&, const EntityQuotaView&) = default;
};
struct EntityQuotas {
  std::optional<EntityQuotaView> risk;      // entity type 1
  std::optional<EntityQuotaView> strategy;  // entity type 2
  std::optional<EntityQuotaView> memory;    // entity type 3
  friend bool operator==(const EntityQuotas&, const EntityQuotas&) = default;
};

struct AccessView {
  EvmAddress address;
  std::uint8_t current_tier = 0;                  // highest tier among active stakes
  std::optional<std::int64_t> tier_active_until;  // that stake's expiresAt (latest among equals)
  U256 tst_balance;                               // received − sent, clamped at 0
  U256 tst_staked;                // Σ open stakes (active and expired: still in the contract)
  U256 tst_locked;                // Σ open locks
  U256 tst_available;             // = tst_balance (SPEC 3.1)
  U256 tst_total;                 // balance + staked + locked
  std::vector<LockView> locks;    // open locks, newest first
  std::vector<StakeView> stakes;  // open stakes, newest first
  EntityQuotas entity_quotas;
  std::optional<AsOf> as_of;
};

// ---- GET /v1/tier/{bsc_address} ----

struct TierBenefits {
  std::optional<std::uint32_t> entity_analysis_per_day;  // nullopt: unlimited
  std::int64_t execution_wait_time = 0;                  // seconds; 0: instant
  TierPriority priority_level = TierPriority::kNone;
  std::optional<std::uint64_t> max_capital;  // whole units; nullopt: unlimited; 0: no P2P agreements
  friend bool operator==(const TierBenefits&, const TierBenefits&) = default;
};

struct TierView {
  EvmAddress address;
  std::uint8_t tier = 0;
  std::optional<std::int64_t> expires_at;  // nullopt at tier 0
  std::optional<Hash32> stake_id;          // the stake giving the tier
  TierBenefits benefits;
  std::optional<AsOf> as_of;
};

// ---- GET /v1/requirements/{action}[?address=] ----

struct RequirementTier {
  std::uint8_t tier = 0;
  U256 required;  // TST wei the action needs for this tier (rules.hpp action_requirement)
  TierBenefits benefits;
  EntityQuota entity_quota;  // the table's per-day quotas (SPEC 3.1)
  friend bool operator==(const RequirementTier&, const RequirementTier&) = default;
};

enum class RequirementStatus : std::uint8_t { kQualified, kInsufficient };
[[nodiscard]] inline std::string_view requirement_status_name(RequirementStatus status) noexcept {
  return status == RequirementStatus::kQualified ? "qualified" : "insufficient";
}

// The user part. lock_p2p: qualified_tier = lock_tier(tst_balance);
// upgrade_tier: stake_tier(tst_balance); reserve_entity: current_tier (its
// active stakes). status qualified when qualified_tier ≥ 1; shortfall = what
// the balance lacks for tier 1 of the action (0 when qualified).
struct RequirementsUser {
  EvmAddress address;
  U256 tst_balance;
  std::uint8_t qualified_tier = 0;
  RequirementStatus status = RequirementStatus::kInsufficient;
  U256 shortfall;
  friend bool operator==(const RequirementsUser&, const RequirementsUser&) = default;
};

struct RequirementsView {
  RequirementAction action = RequirementAction::kLockP2p;
  std::string description;
  std::vector<RequirementTier> tiers;  // tiers 1..3
  std::optional<RequirementsUser> user;
  std::optional<AsOf> as_of;  // only with a user (the table itself is not chain state)
};

// ---- GET /v1/ledger/{bsc_address} ----

// "transfer_in", ..., "release_reservation" (SPEC 5 ledger types).
[[nodiscard]] inline std::string_view ledger_kind_name(LedgerKind kind) noexcept {
  switch (kind) {
    case LedgerKind::kTransferIn:
      return "transfer_in";
    case LedgerKind::kTransferOut:
      return "transfer_out";
    case LedgerKind::kLock:
      return "lock";
    case LedgerKind::kRelease:
      return "release";
    case LedgerKind::kTerminate:
      return "terminate";
    case LedgerKind::kStake:
      return "stake";
    case LedgerKind::kUnstake:
      return "unstake";
    case LedgerKind::kReserve:
      return "reserve";
    case LedgerKind::kConsume:
      return "consume";
    case LedgerKind::kReleaseReservation:
      return "release_reservation";
  }
  return "unknown";
}

struct LedgerEntry {
  LedgerKind type = LedgerKind::kTransferIn;
  U256 amount;                             // TST wei; for consume: quota units
  std::optional<EvmAddress> counterparty;  // the other party, or the contract
  Hash32 tx_hash;
  std::uint64_t block = 0;
  std::uint32_t log_index = 0;
  std::int64_t time = 0;
  friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

struct LedgerPage {
  EvmAddress address;
  std::vector<LedgerEntry> entries;  // newest first: (block, log_index) descending, then kind
  Pagination pagination;
  std::optional<AsOf> as_of;
};

// ---- GET /v1/discount/{solana_wallet}[?price=] and /v1/discount-tiers ----

struct DiscountView {
  SolanaPubkey wallet;
  std::optional<SolanaPubkey> stake_account;  // nullopt: no open UserStake
  U256 staked_amount;                         // raw units
  Decimal staked_amount_ui;                   // staked_amount / 10^token_decimals, exact
  DiscountTier discount_tier = DiscountTier::kNone;
  std::uint32_t discount_percent = 0;
  DiscountPriority priority_level = DiscountPriority::kStandard;
  DiscountBenefits benefits;
  std::optional<std::uint64_t> slot;     // slot of the stake's newest version; nullopt without a stake
  std::optional<DiscountedPrice> price;  // with ?price=
  std::optional<AsOf> as_of;
};

// ---- GET /v1/payouts/{payout_id}, /v1/payouts ----

enum class PayoutStatus : std::uint8_t { kPending, kConfirmed, kFailed };
[[nodiscard]] inline std::string_view payout_status_name(PayoutStatus status) noexcept {
  switch (status) {
    case PayoutStatus::kPending:
      return "pending";
    case PayoutStatus::kConfirmed:
      return "confirmed";
    case PayoutStatus::kFailed:
      return "failed";
  }
  return "pending";
}
[[nodiscard]] inline std::optional<PayoutStatus> parse_payout_status(std::string_view text) noexcept {
  for (PayoutStatus s : {PayoutStatus::kPending, PayoutStatus::kConfirmed, PayoutStatus::kFailed}) {
    if (text == payout_status_name(s)) return s;
  }
  return std::nullopt;
}

// A payout's latest state (its newest PayoutExecuted/PayoutFailed row).
struct PayoutView {
  Hash32 payout_id;
  PayoutStatus status = PayoutStatus::kPending;
  PayoutRouterType router_type = PayoutRouterType::kV0;
  TronAddress router_address;
  TronAddress recipient_address;
  U256 amount;                        // USDT raw units (amount_usdt = format_units(amount, 6))
  std::optional<Hash32> batch_id;     // PayoutExecuted only
  std::optional<std::string> reason;  // PayoutExecuted
  std::optional<std::string> error;   // PayoutFailed
  Hash32 txid;
  std::uint64_t block_number = 0;
  std::int64_t block_timestamp = 0;
  std::uint64_t confirmations = 0;            // head − block + 1, head = the TRON checkpoint
  std::optional<std::int64_t> fee_sun;        // receipt fee; nullopt without a stored receipt
  std::optional<std::string> receipt_result;  // the receipt's result text ("SUCCESS", "REVERT", ...)
  std::optional<std::int64_t> confirmed_at;  // confirmed only, when block + solid_confirmations − 1 is stored
  friend bool operator==(const PayoutView&, const PayoutView&) = default;
};

struct PayoutFilters {
  std::optional<PayoutStatus> status;
  std::optional<PayoutRouterType> router_type;
  std::optional<TronAddress> recipient;
  std::optional<Hash32> txid;
  std::optional<std::int64_t> start_date;  // block_timestamp ≥ start_date
  std::optional<std::int64_t> end_date;    // block_timestamp ≤ end_date
  friend bool operator==(const PayoutFilters&, const PayoutFilters&) = default;
};

struct PayoutList {
  std::vector<PayoutView> payouts;  // newest first by (block, log_index)
  Pagination pagination;
  PayoutFilters filters;
  std::optional<AsOf> as_of;
};

// ---- GET /v1/payouts/batch/{batch_id} ----

enum class BatchStatus : std::uint8_t { kPending, kCompleted, kPartiallyFailed, kFailed };
[[nodiscard]] inline std::string_view batch_status_name(BatchStatus status) noexcept {
  switch (status) {
    case BatchStatus::kPending:
      return "pending";
    case BatchStatus::kCompleted:
      return "completed";
    case BatchStatus::kPartiallyFailed:
      return "partially_failed";
    case BatchStatus::kFailed:
      return "failed";
  }
  return "pending";
}

// The payouts whose latest state names the batch (only PayoutExecuted carries
// a batch id). status: pending while any payout is pending or no payout is
// known yet; else failed when all failed, partially_failed when some did,
// completed otherwise. total_amount: the BatchSettled totalAmount when
// settled, else Σ amounts; completed_amount: Σ confirmed amounts.
struct BatchView {
  Hash32 batch_id;
  std::uint64_t total_payouts = 0;
  std::uint64_t completed_payouts = 0;
  std::uint64_t failed_payouts = 0;
  std::uint64_t pending_payouts = 0;
  BatchStatus status = BatchStatus::kPending;
  U256 total_amount;                  // total_amount_usdt
  U256 completed_amount;              // completed_amount_usdt
  std::optional<U256> settled_count;  // BatchSettled.count (newest), when settled
  std::optional<Hash32> settled_txid;
  std::optional<AsOf> as_of;
};

// ---- GET /v1/payouts/stats ----

enum class StatsPeriod : std::uint8_t { kHour, kDay, kWeek, kMonth };
[[nodiscard]] inline std::string_view stats_period_name(StatsPeriod period) noexcept {
  switch (period) {
    case StatsPeriod::kHour:
      return "hour";
    case StatsPeriod::kDay:
      return "day";
    case StatsPeriod::kWeek:
      return "week";
    case StatsPeriod::kMonth:
      return "month";
  }
  return "day";
}
[[nodiscard]] inline std::optional<StatsPeriod> parse_stats_period(std::string_view text) noexcept {
  for (StatsPeriod p : {StatsPeriod::kHour, StatsPeriod::kDay, StatsPeriod::kWeek, StatsPeriod::kMonth}) {
    if (text == stats_period_name(p)) return p;
  }
  return std::nullopt;
}
// Window length: 1 h, 24 h, 7 days, 30 days.
[[nodiscard]] inline std::int64_t stats_period_seconds(StatsPeriod period) noexcept {
  switch (period) {
    case StatsPeriod::kHour:
      return 3600;
    case StatsPeriod::kDay:
      return kSecondsPerDay;
    case StatsPeriod::kWeek:
      return 7 * kSecondsPerDay;
    case StatsPeriod::kMonth:
      return 30 * kSecondsPerDay;
  }
  return kSecondsPerDay;
}

struct RouterStats {
  PayoutRouterType router_type = PayoutRouterType::kV0;
  std::uint64_t total_payouts = 0;
  U256 total_amount;
  friend bool operator==(const RouterStats&, const RouterStats&) = default;
};

// Payouts (latest state per id) with block_timestamp in (now − period, now].
// success_rate = confirmed / (confirmed + failed) in percent, 2 decimals,
// truncated (pending payouts have no outcome yet); average_amount =
// total_amount / total_payouts, truncated to raw units.
struct PayoutStats {
  StatsPeriod period = StatsPeriod::kDay;
  std::optional<PayoutRouterType> router_type;
  std::int64_t window_start = 0;  // exclusive
  std::int64_t window_end = 0;    // inclusive (= now)
  std::uint64_t total_payouts = 0;
  std::uint64_t confirmed_payouts = 0;
  std::uint64_t failed_payouts = 0;
  std::uint64_t pending_payouts = 0;
  U256 total_amount;                           // total_amount_usdt
  Decimal success_rate;                        // percent
  U256 average_amount;                         // average_amount_usdt
  std::vector<RouterStats> payouts_by_router;  // by router type, ascending; types without payouts omitted
  std::optional<AsOf> as_of;
};

// ---- GET /v1/status (the store's part) ----

// What the database knows of a chain: its checkpoint, and the sync status the
// chain's sync loop last recorded (Writer::record_sync_status; zero/empty while
// none was recorded). `enabled` and `lag` are the HTTP layer's (config, head − indexed).
struct ChainStatusView {
  ChainId chain = ChainId::kBsc;
  std::optional<std::uint64_t> indexed;  // checkpoint height; nullopt: nothing indexed yet
  Hash32 indexed_hash;
  std::int64_t indexed_time = 0;
  std::optional<std::uint64_t> finalized;
  std::int64_t updated_at = 0;                    // when the writer last moved the checkpoint
  std::uint64_t anomalies = 0;                    // rows of the anomaly table for this chain
  std::optional<std::uint64_t> accounts_tracked;  // Solana: open valid UserStake accounts
  // From the sync status row (SyncStatus in store/writer.hpp).
  std::optional<std::uint64_t> head;  // node head seen (block / slot)
  std::string rpc_endpoint;           // URL in use, without credentials
  std::string last_error;             // empty when the last attempt succeeded
  std::int64_t last_error_at = 0;     // unix seconds, 0 = never
  bool syncing = false;
  std::optional<std::int64_t> last_reconciliation;  // Solana
  std::int64_t sync_updated_at = 0;                 // writer clock of the last record_sync_status; 0 = never
  friend bool operator==(const ChainStatusView&, const ChainStatusView&) = default;
};

struct StatusView {
  std::vector<ChainStatusView> chains;  // bsc, solana, tron
};

}  // namespace csd
