// Derived-state rules of SPEC 3.1 (TST access tiers, locks, stakes, compute
// quotas) and SPEC 3.2 (KAMIYO discount tiers): pure functions of stored
// values and `now`, with the default tier tables as data. No SQLite, no clock:
// the queries (store/queries.hpp) read rows and apply these rules, and the
// tests pin every edge of them without a database.
//
// All amounts are exact U256 raw units (TST wei: 18 decimals; KAMIYO raw
// units: token_decimals, default 9); times are unix seconds.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "decoders/result.hpp"
#include "decoders/u256.hpp"

namespace csd {

inline constexpr unsigned kTstDecimals = 18;           // SPEC 3.1
inline constexpr unsigned kUsdtDecimals = 6;           // SPEC 3.3
inline constexpr unsigned kTrxDecimals = 6;            // SPEC 3.3: fee_trx = fee_sun / 10^6
inline constexpr unsigned kDefaultKamiyoDecimals = 9;  // SPEC 3.2 default token_decimals
inline constexpr std::int64_t kSecondsPerDay = 86'400;

// ---- SPEC 3.1: access tiers ----

enum class TierPriority : std::uint8_t { kNone, kLow, kMedium, kHigh };
[[nodiscard]] std::string_view tier_priority_name(TierPriority priority) noexcept;  // "none", "low", ...

// Per-day quotas of the compute reserve, by entity type (1 risk, 2 strategy, 3 memory).
struct EntityQuota {
  std::uint32_t risk = 0;
  std::uint32_t strategy = 0;
  std::uint32_t memory = 0;
  friend bool operator==(const EntityQuota&, const EntityQuota&) = default;
};

// One row of the SPEC 3.1 tier table.
struct TierRow {
  std::uint8_t tier = 0;
  U256 stake_wei;                                 // TST staked (30 days) for this tier
  std::optional<std::uint32_t> analyses_per_day;  // nullopt: unlimited
  std::int64_t execution_wait_s = 0;              // 0: instant
  TierPriority priority = TierPriority::kNone;
  std::optional<U256> lock_wei;  // TST locked for P2P; nullopt: no P2P ("—", tier 0)
  // Max agreement value in whole units; nullopt: unlimited. Tier 0 ("—") is 0: no P2P agreements.
  std::optional<std::uint64_t> max_agreement_value;
  EntityQuota entity_quota;  // SPEC 3.1 default entity quotas per day
  friend bool operator==(const TierRow&, const TierRow&) = default;
};

inline constexpr std::uint8_t kMaxTier = 3;

// The tier table: rows for tiers 0..3, index = tier. Thresholds ascend with
// the tier (checked by validate_tier_table).
struct TierTable {
  std::array<TierRow, kMaxTier + 1> rows;
  [[nodiscard]] const TierRow& row(std::uint8_t tier) const noexcept;  // tiers above 3 give row 3
};

// SPEC 3.1 defaults: stake 0/5/25/100 TST, analyses 1/3/10/unlimited, wait
// 24h/12h/1h/instant, priority none/low/medium/high, lock —/10/50/250 TST,
// max agreement value —/50 000/500 000/unlimited, entity quotas
// t1 3/12/7, t2 10/28/28, t3 1000/1000/1000.
[[nodiscard]] TierTable default_tier_table();
// Errors (kInvalidArgument) unless rows are tiers 0..3 in order with non-decreasing
// stake and lock thresholds (tier 0 needs nothing).
[[nodiscard]] Status validate_tier_table(const TierTable& table);

// Lock tier by locked amount (SPEC 3.1): the highest tier whose lock threshold
// the amount reaches (≥ 250 TST → 3, ≥ 50 → 2, ≥ 10 → 1), else 0.
[[nodiscard]] std::uint8_t lock_tier(const TierTable& table, const U256& amount_wei) noexcept;
// The highest tier whose stake threshold the amount reaches (≥ 100 TST → 3,
// ≥ 25 → 2, ≥ 5 → 1), else 0. What an amount could stake for.
[[nodiscard]] std::uint8_t stake_tier(const TierTable& table, const U256& amount_wei) noexcept;

// ---- SPEC 3.1: object status at `now` ----

enum class LockStatus : std::uint8_t { kActive, kUnlockable };
enum class StakeStatus : std::uint8_t { kActive, kExpired };
[[nodiscard]] std::string_view lock_status_name(LockStatus status) noexcept;    // "active", "unlockable"
[[nodiscard]] std::string_view stake_status_name(StakeStatus status) noexcept;  // "active", "expired"

// An open lock is active while now < lockedUntil, else unlockable.
[[nodiscard]] LockStatus lock_status(std::int64_t locked_until, std::int64_t now) noexcept;
// An open stake is active while now < expiresAt, else expired.
[[nodiscard]] StakeStatus stake_status(std::int64_t expires_at, std::int64_t now) noexcept;
// An open reservation is active while now < reservedUntil.
[[nodiscard]] bool reservation_active(std::int64_t reserved_until, std::int64_t now) noexcept;
// Whole days until the lock becomes unlockable, rounded up:
// ceil((locked_until − now) / 86400), 0 once now ≥ locked_until. A lock with
// one second left has 1 day remaining; at locked_until it has 0.
[[nodiscard]] std::int64_t days_remaining(std::int64_t locked_until, std::int64_t now) noexcept;

// ---- SPEC 3.1: quota windows (UTC days) ----

// The UTC day containing `now`: [start, end) with start = its midnight and
// end = the next midnight (= reset_at). Correct for times before 1970 too.
struct DayWindow {
  std::int64_t start = 0;
  std::int64_t end = 0;
  friend bool operator==(const DayWindow&, const DayWindow&) = default;
};
[[nodiscard]] DayWindow utc_day(std::int64_t now) noexcept;
// The number of that day since 1970-01-01 (day 0; negative before).
[[nodiscard]] std::int64_t utc_day_number(std::int64_t time) noexcept;
// available = max(0, quota_per_day − used_today).
[[nodiscard]] std::uint32_t quota_available(std::uint32_t quota_per_day, std::uint64_t used_today) noexcept;

// ---- SPEC 3.1: requirements view ----

enum class RequirementAction : std::uint8_t { kLockP2p, kUpgradeTier, kReserveEntity };
[[nodiscard]] std::string_view requirement_action_name(RequirementAction action) noexcept;
[[nodiscard]] std::optional<RequirementAction> parse_requirement_action(std::string_view text) noexcept;
[[nodiscard]] std::string_view requirement_action_description(RequirementAction action) noexcept;
// What the action needs for `tier`: lock_p2p the lock threshold, upgrade_tier
// and reserve_entity the stake threshold (reserving needs an active stake of a
// tier ≥ 1). Tier 0 needs 0.
[[nodiscard]] U256 action_requirement(const TierTable& table, RequirementAction action,
                                      std::uint8_t tier) noexcept;

// ---- SPEC 3.2: KAMIYO discount tiers ----

enum class DiscountTier : std::uint8_t { kNone, kSilver, kGold, kPlatinum };
enum class DiscountPriority : std::uint8_t { kStandard, kPriority, kPremium };
enum class SupportLevel : std::uint8_t { kStandard, kPriority, kDedicated };
[[nodiscard]] std::string_view discount_tier_name(DiscountTier tier) noexcept;       // "none", "silver", ...
[[nodiscard]] std::string_view discount_priority_name(DiscountPriority p) noexcept;  // "standard", ...
[[nodiscard]] std::string_view support_level_name(SupportLevel level) noexcept;      // "standard", ...

// SPEC 3.2 benefits. `standard` is not described by the SPEC: it carries no
// extra slots or timeout (nullopt: the platform's standard terms).
struct DiscountBenefits {
  std::optional<std::uint32_t> concurrent_escrow_slots;
  std::optional<std::uint32_t> negotiation_timeout_hours;
  bool auto_mediation = false;
  SupportLevel support = SupportLevel::kStandard;
  friend bool operator==(const DiscountBenefits&, const DiscountBenefits&) = default;
};
// priority: 5 slots, 36 h, priority support; premium: 10 slots, 48 h, auto-mediation, dedicated support.
[[nodiscard]] DiscountBenefits discount_benefits(DiscountPriority priority) noexcept;

struct DiscountRow {
  DiscountTier tier = DiscountTier::kNone;
  std::uint64_t min_whole_tokens = 0;  // whole KAMIYO
  std::uint32_t percent = 0;           // 0..100
  DiscountPriority priority = DiscountPriority::kStandard;
  friend bool operator==(const DiscountRow&, const DiscountRow&) = default;
};
// Rows by ascending threshold, index = DiscountTier: none 0 → 0 % standard,
// silver 100 000 → 10 % priority, gold 500 000 → 20 % priority,
// platinum 1 000 000 → 30 % premium.
struct DiscountTable {
  std::array<DiscountRow, 4> rows;
  unsigned token_decimals = kDefaultKamiyoDecimals;
};
[[nodiscard]] DiscountTable default_discount_table();
// Errors (kInvalidArgument) unless thresholds ascend, percents are ≤ 100 and
// non-decreasing, and token_decimals ≤ 30.
[[nodiscard]] Status validate_discount_table(const DiscountTable& table);

// The row for a raw staked amount: the highest whose threshold
// (min_whole_tokens × 10^token_decimals raw units) the amount reaches.
[[nodiscard]] const DiscountRow& discount_row(const DiscountTable& table, const U256& staked_raw) noexcept;

// Exact price arithmetic on decimals (SPEC 3.2 `?price=`):
// discounted = price × (100 − percent) / 100 and savings = price − discounted.
// Exact without rounding: the results have the price's scale + 2 fractional
// digits (the division by 100 moves the point), so nothing is lost; the
// formatter trims trailing zeros. Errors (kOverflow) when price × 100 does not
// fit 256 bits, (kInvalidArgument) for percent > 100 or scale > 75.
struct DiscountedPrice {
  Decimal original_price;
  Decimal discounted_price;
  Decimal savings;
};
[[nodiscard]] Result<DiscountedPrice> apply_discount(const Decimal& price, std::uint32_t percent);

// ---- SPEC 3.3: payouts ----

// Rounds a ratio down to basis-point-like fixed point: numerator/denominator
// as a percentage with 2 fractional digits, truncated ({9950, 2} = 99.5 %).
// 0 when denominator is 0.
[[nodiscard]] Decimal percentage(std::uint64_t numerator, std::uint64_t denominator) noexcept;

}  // namespace csd
