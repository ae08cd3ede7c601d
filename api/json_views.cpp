// JSON of the SPEC 5 views; see api/json_views.hpp.
#include "api/json_views.hpp"

#include <optional>

#include "api/errors.hpp"
#include "decoders/evm_address.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/hex.hpp"
#include "decoders/solana_pubkey.hpp"
#include "decoders/tron_address.hpp"
#include "decoders/u256.hpp"
#include "store/rules.hpp"

namespace csd::api_json {
namespace {

template <class T, class F>
Json optional_json(const std::optional<T>& value, F&& to_json) {
  return value ? Json(to_json(*value)) : Json(nullptr);
}

Json time_or_null(const std::optional<std::int64_t>& t) {
  return optional_json(t, [](std::int64_t v) { return rfc3339_utc(v); });
}
// 0 means "never" in the status row.
Json time_or_never(std::int64_t t) {
  return t == 0 ? Json(nullptr) : Json(rfc3339_utc(t));
}
Json text_or_null(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}
Json usdt(const U256& raw) {
  return format_units(raw, kUsdtDecimals);
}

Json tier_benefits_json(const TierBenefits& b) {
  Json out = Json::object();
  out["entity_analysis_per_day"] =
      optional_json(b.entity_analysis_per_day, [](std::uint32_t v) { return v; });
  out["execution_wait_time"] = b.execution_wait_time;  // seconds; 0 = instant
  out["priority_level"] = tier_priority_name(b.priority_level);
  // An amount: a decimal string of whole units; null = unlimited, "0" = no P2P agreements.
  out["max_capital"] = optional_json(b.max_capital, [](std::uint64_t v) { return std::to_string(v); });
  return out;
}

Json discount_benefits_json(const DiscountBenefits& b) {
  Json out = Json::object();
  out["concurrent_escrow_slots"] =
      optional_json(b.concurrent_escrow_slots, [](std::uint32_t v) { return v; });
  out["negotiation_timeout_hours"] =
      optional_json(b.negotiation_timeout_hours, [](std::uint32_t v) { return v; });
  out["auto_mediation"] = b.auto_mediation;
  out["support"] = support_level_name(b.support);
  return out;
}

Json lock_json(const LockView& lock) {
  Json out = Json::object();
  out["lock_id"] = hash_json(lock.lock_id);
  out["agreement_id"] = lock.agreement_id;
  out["amount"] = to_decimal(lock.amount);
  out["tier"] = lock.tier;
  out["locked_until"] = rfc3339_utc(lock.locked_until);
  out["status"] = lock_status_name(lock.status);
  out["days_remaining"] = lock.days_remaining;
  out["tx_hash"] = hash_json(lock.tx_hash);
  return out;
}

Json stake_json(const StakeView& stake) {
  Json out = Json::object();
  out["stake_id"] = hash_json(stake.stake_id);
  out["tier"] = stake.tier;
  out["amount"] = to_decimal(stake.amount);
  out["staked_at"] = rfc3339_utc(stake.staked_at);
  out["expires_at"] = rfc3339_utc(stake.expires_at);
  out["status"] = stake_status_name(stake.status);
  out["tx_hash"] = hash_json(stake.tx_hash);
  return out;
}

Json quota_json(const std::optional<EntityQuotaView>& quota) {
  if (!quota) return nullptr;
  Json out = Json::object();
  out["reservation_id"] = hash_json(quota->reservation_id);
  out["total"] = quota->total;
  out["used_today"] = quota->used_today;
  out["available"] = quota->available;
  out["reset_at"] = rfc3339_utc(quota->reset_at);
  out["reserved_until"] = rfc3339_utc(quota->reserved_until);
  return out;
}

Json as_of_or_null(const std::optional<AsOf>& as_of) {
  return as_of ? as_of_json(*as_of) : Json(nullptr);
}

Json filters_json(const PayoutFilters& f) {
  Json out = Json::object();
  out["status"] = optional_json(f.status, [](PayoutStatus s) { return payout_status_name(s); });
  out["router_type"] =
      optional_json(f.router_type, [](PayoutRouterType t) { return payout_router_type_name(t); });
  out["recipient"] = optional_json(f.recipient, [](const TronAddress& a) { return to_base58(a); });
  out["txid"] = optional_json(f.txid, [](const Hash32& h) { return to_hex(h.bytes); });
  out["start_date"] = time_or_null(f.start_date);
  out["end_date"] = time_or_null(f.end_date);
  return out;
}

}  // namespace

std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json hash_json(const Hash32& hash) {
  return to_hex(hash.bytes);
}

Json evm_json(const EvmAddress& address) {
  return to_lower_hex(address);
}

Json as_of_json(const AsOf& as_of) {
  Json out = Json::object();
  out["chain"] = chain_name(as_of.chain);
  out["block"] = as_of.block;
  out["block_hash"] = hash_json(as_of.block_hash);
  out["block_time"] = rfc3339_utc(as_of.block_time);
  out["finalized_block"] = optional_json(as_of.finalized_block, [](std::uint64_t v) { return v; });
  return out;
}

Json pagination_json(const Pagination& p) {
  Json out = Json::object();
  out["total"] = p.total;
  out["limit"] = p.limit;
  out["offset"] = p.offset;
  out["has_next"] = p.has_next;
  out["has_previous"] = p.has_previous;
  return out;
}

Json access_json(const AccessView& view) {
  Json out = Json::object();
  out["address"] = evm_json(view.address);
  out["current_tier"] = view.current_tier;
  out["tier_active_until"] = time_or_null(view.tier_active_until);
  out["tst_balance"] = to_decimal(view.tst_balance);
  out["tst_staked"] = to_decimal(view.tst_staked);
  out["tst_locked"] = to_decimal(view.tst_locked);
  out["tst_available"] = to_decimal(view.tst_available);
  out["tst_total"] = to_decimal(view.tst_total);
  Json locks = Json::array();
  for (const LockView& lock : view.locks) locks.push_back(lock_json(lock));
  out["locks"] = std::move(locks);
  Json stakes = Json::array();
  for (const StakeView& stake : view.stakes) stakes.push_back(stake_json(stake));
  out["stakes"] = std::move(stakes);
  Json quotas = Json::object();
  quotas["risk"] = quota_json(view.entity_quotas.risk);
  quotas["strategy"] = quota_json(view.entity_quotas.strategy);
  quotas["memory"] = quota_json(view.entity_quotas.memory);
  out["entity_quotas"] = std::move(quotas);
  out["as_of"] = as_of_or_null(view.as_of);
  return out;
}

Json tier_json(const TierView& view) {
  Json out = Json::object();
  out["address"] = evm_json(view.address);
  out["tier"] = view.tier;
  out["expires_at"] = time_or_null(view.expires_at);
  out["stake_id"] = optional_json(view.stake_id, [](const Hash32& h) { return hash_json(h); });
  out["benefits"] = tier_benefits_json(view.benefits);
  out["as_of"] = as_of_or_null(view.as_of);
  return out;
}

Json requirements_json(const RequirementsView& view) {
  Json out = Json::object();
  out["action"] = requirement_action_name(view.action);
  out["description"] = view.description;
  Json tiers = Json::array();
  for (const RequirementTier& tier : view.tiers) {
    Json row = Json::object();
    row["tier"] = tier.tier;
    row["required"] = to_decimal(tier.required);
    row["benefits"] = tier_benefits_json(tier.benefits);
    row["entity_quota"] = Json{{"risk", tier.entity_quota.risk},
                               {"strategy", tier.entity_quota.strategy},
                               {"memory", tier.entity_quota.memory}};
    tiers.push_back(std::move(row));
  }
  out["tiers"] = std::move(tiers);
  if (view.user) {
    Json user = Json::object();
    user["address"] = evm_json(view.user->address);
    user["tst_balance"] = to_decimal(view.user->tst_balance);
    user["qualified_tier"] = view.user->qualified_tier;
    user["status"] = requirement_status_name(view.user->status);
    user["shortfall"] = to_decimal(view.user->shortfall);
    out["user"] = std::move(user);
  } else {
    out["user"] = nullptr;
  }
  out["as_of"] = as_of_or_null(view.as_of);
  return out;
}

Json ledger_json(const LedgerPage& page) {
  Json out = Json::object();
  out["address"] = evm_json(page.address);
  Json entries = Json::array();
  for (const LedgerEntry& e : page.entries) {
    Json row = Json::object();
    row["type"] = ledger_kind_name(e.type);
    row["amount"] = to_decimal(e.amount);
    row["counterparty"] = optional_json(e.counterparty, [](const EvmAddress& a) { return to_lower_hex(a); });
    row["tx_hash"] = hash_json(e.tx_hash);
    row["block"] = e.block;
    row["log_index"] = e.log_index;
    row["time"] = rfc3339_utc(e.time);
    entries.push_back(std::move(row));
  }
  out["entries"] = std::move(entries);
  out["pagination"] = pagination_json(page.pagination);
  out["as_of"] = as_of_or_null(page.as_of);
  return out;
}

Json discount_json(const DiscountView& view) {
  Json out = Json::object();
  out["wallet"] = to_base58(view.wallet);
  out["stake_account"] =
      optional_json(view.stake_account, [](const SolanaPubkey& k) { return to_base58(k); });
  out["staked_amount"] = to_decimal(view.staked_amount);
  out["staked_amount_ui"] = format_decimal(view.staked_amount_ui);
  out["discount_tier"] = discount_tier_name(view.discount_tier);
  out["discount_percent"] = view.discount_percent;
  out["priority_level"] = discount_priority_name(view.priority_level);
  out["benefits"] = discount_benefits_json(view.benefits);
  out["slot"] = optional_json(view.slot, [](std::uint64_t v) { return v; });
  if (view.price) {
    out["original_price"] = format_decimal(view.price->original_price);
    out["discounted_price"] = format_decimal(view.price->discounted_price);
    out["savings"] = format_decimal(view.price->savings);
  }
  out["as_of"] = as_of_or_null(view.as_of);
  return out;
}

Json discount_tiers_json(const DiscountTable& table) {
  Json tiers = Json::array();
  for (const DiscountRow& row : table.rows) {
    Json out = Json::object();
    out["tier"] = discount_tier_name(row.tier);
    out["min_staked"] = std::to_string(row.min_whole_tokens);  // whole KAMIYO
    auto scale = pow10(table.token_decimals);
    out["min_staked_raw"] = scale ? Json(to_decimal(U256(row.min_whole_tokens) * *scale)) : Json(nullptr);
    out["discount_percent"] = row.percent;
    out["priority_level"] = discount_priority_name(row.priority);
    out["benefits"] = discount_benefits_json(discount_benefits(row.priority));
    tiers.push_back(std::move(out));
  }
  Json out = Json::object();
  out["token_decimals"] = table.token_decimals;
  out["tiers"] = std::move(tiers);
  return out;
}

Json payout_json(const PayoutView& view) {
  Json out = Json::object();
  out["payout_id"] = hash_json(view.payout_id);
  out["status"] = payout_status_name(view.status);
  out["router_type"] = payout_router_type_name(view.router_type);
  out["router_address"] = to_base58(view.router_address);
  out["recipient_address"] = to_base58(view.recipient_address);
  out["amount"] = to_decimal(view.amount);
  out["amount_usdt"] = usdt(view.amount);
  out["batch_id"] = optional_json(view.batch_id, [](const Hash32& h) { return hash_json(h); });
  out["reason"] = optional_json(view.reason, [](const std::string& s) { return s; });
  out["error"] = optional_json(view.error, [](const std::string& s) { return s; });
  out["txid"] = hash_json(view.txid);
  out["block_number"] = view.block_number;
  out["block_timestamp"] = rfc3339_utc(view.block_timestamp);
  out["confirmations"] = view.confirmations;
  // SPEC 3.3: fee_trx = fee in sun / 10^6; null without a stored receipt.
  out["fee_trx"] = optional_json(view.fee_sun, [](std::int64_t sun) {
    return sun < 0 ? std::string("0") : format_units(U256(static_cast<std::uint64_t>(sun)), kTrxDecimals);
  });
  out["receipt_result"] = optional_json(view.receipt_result, [](const std::string& s) { return s; });
  out["confirmed_at"] = time_or_null(view.confirmed_at);
  return out;
}

Json payout_list_json(const PayoutList& list) {
  Json out = Json::object();
  Json payouts = Json::array();
  for (const PayoutView& p : list.payouts) payouts.push_back(payout_json(p));
  out["payouts"] = std::move(payouts);
  out["pagination"] = pagination_json(list.pagination);
  out["filters"] = filters_json(list.filters);
  out["as_of"] = as_of_or_null(list.as_of);
  return out;
}

Json batch_json(const BatchView& view) {
  Json out = Json::object();
  out["batch_id"] = hash_json(view.batch_id);
  out["total_payouts"] = view.total_payouts;
  out["completed_payouts"] = view.completed_payouts;
  out["failed_payouts"] = view.failed_payouts;
  out["pending_payouts"] = view.pending_payouts;
  out["status"] = batch_status_name(view.status);
  out["total_amount_usdt"] = usdt(view.total_amount);
  out["completed_amount_usdt"] = usdt(view.completed_amount);
  out["settled_count"] = optional_json(view.settled_count, [](const U256& v) { return to_decimal(v); });
  out["settled_txid"] = optional_json(view.settled_txid, [](const Hash32& h) { return hash_json(h); });
  out["as_of"] = as_of_or_null(view.as_of);
  return out;
}

Json stats_json(const PayoutStats& stats) {
  Json out = Json::object();
  out["period"] = stats_period_name(stats.period);
  out["router_type"] =
      optional_json(stats.router_type, [](PayoutRouterType t) { return payout_router_type_name(t); });
  out["window_start"] = rfc3339_utc(stats.window_start);
  out["window_end"] = rfc3339_utc(stats.window_end);
  out["total_payouts"] = stats.total_payouts;
  out["confirmed_payouts"] = stats.confirmed_payouts;
  out["failed_payouts"] = stats.failed_payouts;
  out["pending_payouts"] = stats.pending_payouts;
  out["total_amount_usdt"] = usdt(stats.total_amount);
  out["success_rate"] = format_decimal(stats.success_rate);  // percent, exact
  out["average_amount_usdt"] = usdt(stats.average_amount);
  Json by_router = Json::array();
  for (const RouterStats& r : stats.payouts_by_router) {
    Json row = Json::object();
    row["router_type"] = payout_router_type_name(r.router_type);
    row["total_payouts"] = r.total_payouts;
    row["total_amount_usdt"] = usdt(r.total_amount);
    by_router.push_back(std::move(row));
  }
  out["payouts_by_router"] = std::move(by_router);
  out["as_of"] = as_of_or_null(stats.as_of);
  return out;
}

Json chain_status_json(const ChainStatusView& view, bool enabled) {
  Json out = Json::object();
  out["chain"] = chain_name(view.chain);
  out["enabled"] = enabled;
  out["head"] = optional_json(view.head, [](std::uint64_t v) { return v; });
  out["indexed"] = optional_json(view.indexed, [](std::uint64_t v) { return v; });
  out["indexed_hash"] = view.indexed ? hash_json(view.indexed_hash) : Json(nullptr);
  out["indexed_time"] = view.indexed ? Json(rfc3339_utc(view.indexed_time)) : Json(nullptr);
  out["finalized"] = optional_json(view.finalized, [](std::uint64_t v) { return v; });
  out["lag"] = view.head && view.indexed
                   ? Json(*view.head > *view.indexed ? *view.head - *view.indexed : std::uint64_t{0})
                   : Json(nullptr);
  out["syncing"] = view.syncing;
  out["rpc_endpoint"] = text_or_null(view.rpc_endpoint);
  out["last_error"] = text_or_null(view.last_error);
  out["last_error_at"] = time_or_never(view.last_error_at);
  out["updated_at"] = view.indexed ? time_or_never(view.updated_at) : Json(nullptr);
  out["sync_updated_at"] = time_or_never(view.sync_updated_at);
  out["anomalies"] = view.anomalies;
  if (view.chain == ChainId::kSolana) {
    out["slot"] = optional_json(view.indexed, [](std::uint64_t v) { return v; });
    out["accounts_tracked"] = view.accounts_tracked.value_or(0);
    out["last_reconciliation"] = time_or_null(view.last_reconciliation);
  }
  return out;
}

}  // namespace csd::api_json
