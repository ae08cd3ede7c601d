// TRON views (SPEC 3.3, SPEC 5): a payout, the payouts list, a batch and the
// stats, from the latest payout row of each payout_id joined with its
// transaction's receipt. The status rule is one SQL expression (latest_sql), so
// the list filter and the status shown can never disagree.
#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "decoders/hex.hpp"
#include "store/queries.hpp"

namespace csd {
namespace {

static_assert(static_cast<int>(PayoutStatus::kPending) == 0 &&
              static_cast<int>(PayoutStatus::kConfirmed) == 1 &&
              static_cast<int>(PayoutStatus::kFailed) == 2);
static_assert(static_cast<int>(PayoutKind::kFailed) == 2);

// The latest state of each payout (its row with latest = 1, which the schema's
// triggers keep on the newest row of its id), with its status:
// 2 failed (a PayoutFailed, or a receipt that is not SUCCESS), 1 confirmed
// (block ≤ ?1, the confirmed_max of PayoutContext), else 0 pending. Callers
// append filters on `p` and close the parenthesis.
// With `confirmed`, also confirmed_time, the time of block (block + ?10) (?10 =
// solid_confirmations − 1), in the same statement: one statement per page
// instead of one more per confirmed row. The stats and counts leave it out.
constexpr std::string_view kLatestHead =
    "WITH latest AS (SELECT p.payout_id, p.kind, p.router_type, p.router_address, p.recipient, p.amount, "
    "p.batch_id, p.reason, p.error, p.tx_hash, p.block, p.log_index, p.block_time, t.success, t.result, "
    "t.fee_sun, "
    "CASE WHEN p.kind = 2 OR t.success = 0 THEN 2 WHEN p.block <= ?1 THEN 1 ELSE 0 END AS status";
// `confirmed`: with confirmed_time; else without (the stats and counts).
std::string latest_sql(bool confirmed) {
  std::string sql(kLatestHead);
  if (confirmed) {
    sql +=
        ", c.time AS confirmed_time FROM payout p LEFT JOIN tron_tx t ON t.tx_hash = p.tx_hash "
        "LEFT JOIN block c ON c.chain = 3 AND c.height = p.block + ?10 WHERE p.latest = 1";
  } else {
    sql += " FROM payout p LEFT JOIN tron_tx t ON t.tx_hash = p.tx_hash WHERE p.latest = 1";
  }
  return sql;
}
constexpr std::string_view kColumns =
    "SELECT payout_id, kind, router_type, router_address, recipient, amount, batch_id, reason, error, "
    "tx_hash, "
    "block, log_index, block_time, success, result, fee_sun, status, confirmed_time FROM latest";

// What the status rule needs from the TRON checkpoint.
struct PayoutContext {
  std::optional<AsOf> as_of;
  std::int64_t confirmed_max = -1;  // highest confirmed block; -1: none
  std::uint64_t solid_confirmations = 19;
};

PayoutContext payout_context(const std::optional<AsOf>& as_of, std::uint64_t solid_confirmations) {
  PayoutContext ctx{as_of, -1, std::max<std::uint64_t>(solid_confirmations, 1)};
  if (!as_of) return ctx;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (as_of->finalized_block) {
    // SPEC 3.3: confirmed once solidified.
    ctx.confirmed_max = static_cast<std::int64_t>(std::min(*as_of->finalized_block, kMax));
  } else if (as_of->block + 1 >= ctx.solid_confirmations) {
    // No solidified head known: head − block + 1 ≥ solid_confirmations.
    ctx.confirmed_max = static_cast<std::int64_t>(std::min(as_of->block + 1 - ctx.solid_confirmations, kMax));
  }
  return ctx;
}

// ?10 of latest_sql(true).
void bind_confirmed_offset(Statement& st, const PayoutContext& ctx) {
  st.bind_uint64_clamped(10, ctx.solid_confirmations - 1);
}

// One row of kColumns.
Result<PayoutView> read_payout(Statement& st, const PayoutContext& ctx) {
  PayoutView v;
  auto id = st.column_bytes<32, Hash32Tag>(0);
  auto router = st.column_bytes<21, TronAddressTag>(3);
  auto recipient = st.column_bytes<21, TronAddressTag>(4);
  auto amount = st.column_u256(5);
  auto txid = st.column_bytes<32, Hash32Tag>(9);
  if (!id) return std::move(id).error();
  if (!router) return std::move(router).error();
  if (!recipient) return std::move(recipient).error();
  if (!amount) return std::move(amount).error();
  if (!txid) return std::move(txid).error();
  v.payout_id = *id;
  v.router_type = static_cast<PayoutRouterType>(st.column_int64(2));
  v.router_address = *router;
  v.recipient_address = *recipient;
  v.amount = *amount;
  if (!st.is_null(6)) {
    auto batch = st.column_bytes<32, Hash32Tag>(6);
    if (!batch) return std::move(batch).error();
    v.batch_id = *batch;
  }
  if (!st.is_null(7)) v.reason = st.column_text(7);
  if (!st.is_null(8)) v.error = st.column_text(8);
  v.txid = *txid;
  v.block_number = static_cast<std::uint64_t>(st.column_int64(10));
  v.block_timestamp = st.column_int64(12);
  if (!st.is_null(14)) v.receipt_result = st.column_text(14);
  if (!st.is_null(15)) v.fee_sun = st.column_int64(15);
  v.status = static_cast<PayoutStatus>(st.column_int64(16));
  // SPEC 3.3: confirmations = head − block + 1 (head: the indexed TRON checkpoint).
  if (ctx.as_of && ctx.as_of->block >= v.block_number)
    v.confirmations = ctx.as_of->block - v.block_number + 1;
  // SPEC 3.3: confirmed_at = timestamp of block (block + solid_confirmations − 1), when stored.
  if (v.status == PayoutStatus::kConfirmed && !st.is_null(17)) v.confirmed_at = st.column_int64(17);
  return v;
}

Result<std::vector<PayoutView>> read_payouts(Statement& st, const PayoutContext& ctx) {
  std::vector<PayoutView> out;
  for (;;) {
    auto row = st.step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    auto view = read_payout(st, ctx);
    if (!view) return std::move(view).error();
    out.push_back(std::move(*view));
  }
  return out;
}

Error limit_error(std::uint32_t limit) {
  return make_error(ErrorCode::kOutOfRange, "payouts: limit " + std::to_string(limit) + " above maximum " +
                                                std::to_string(kMaxPageLimit));
}

// Filters on the latest rows; parameter numbers are fixed (?2..?7). `inner`
// closes the CTE; `outer` filters its rows by status; `conditions` is `inner`
// without the parenthesis, for a count straight off payout.
struct FilterSql {
  std::string inner;
  std::string outer;
  std::string conditions;
};
FilterSql filter_sql(const PayoutFilters& f) {
  std::string sql;
  if (f.router_type) sql += " AND p.router_type = ?3";
  if (f.recipient) sql += " AND p.recipient = ?4";
  if (f.txid) sql += " AND p.tx_hash = ?5";
  if (f.start_date) sql += " AND p.block_time >= ?6";
  if (f.end_date) sql += " AND p.block_time <= ?7";
  return FilterSql{sql + ")", f.status ? " WHERE status = ?2" : "", sql};
}

void bind_filters(Statement& st, const PayoutFilters& f, const PayoutContext& ctx) {
  st.bind_int64(1, ctx.confirmed_max);
  if (f.status) st.bind_int64(2, static_cast<std::int64_t>(*f.status));
  if (f.router_type) st.bind_int64(3, static_cast<std::int64_t>(*f.router_type));
  if (f.recipient) st.bind_bytes(4, *f.recipient);
  if (f.txid) st.bind_bytes(5, *f.txid);
  if (f.start_date) st.bind_int64(6, *f.start_date);
  if (f.end_date) st.bind_int64(7, *f.end_date);
}

}  // namespace

Result<PayoutView> Queries::payout(const Hash32& payout_id) {
  auto as_of_value = as_of(ChainId::kTron);
  if (!as_of_value) return std::move(as_of_value).error();
  const PayoutContext ctx = payout_context(*as_of_value, config_->solid_confirmations);
  auto st = txn_->prepare(latest_sql(true) + " AND p.payout_id = ?2) " + std::string(kColumns));
  if (!st) return std::move(st).error();
  st->bind_int64(1, ctx.confirmed_max).bind_bytes(2, payout_id);
  bind_confirmed_offset(*st, ctx);
  auto rows = read_payouts(*st, ctx);
  if (!rows) return std::move(rows).error();
  if (rows->empty())
    return make_error(ErrorCode::kNotFound, "payout " + to_hex(payout_id.span()) + " not found");
  return std::move(rows->front());
}

Result<PayoutList> Queries::payouts(const PayoutFilters& filters, const PageRequest& page) {
  if (page.limit > kMaxPageLimit) return limit_error(page.limit);
  PayoutList out;
  out.filters = filters;
  auto as_of_value = as_of(ChainId::kTron);
  if (!as_of_value) return std::move(as_of_value).error();
  out.as_of = *as_of_value;
  const PayoutContext ctx = payout_context(*as_of_value, config_->solid_confirmations);
  const FilterSql where = filter_sql(filters);
  if (filters == PayoutFilters{}) {
    // Unfiltered: the count of payout_ids the newest row carries, not a scan.
    auto count = txn_->prepare("SELECT ids_through FROM payout ORDER BY block DESC, log_index DESC LIMIT 1");
    if (!count) return std::move(count).error();
    auto row = count->step();
    if (!row) return std::move(row).error();
    out.pagination.total = *row ? static_cast<std::uint64_t>(count->column_int64(0)) : 0;
  } else {
    // Without a status filter the count needs neither the receipt join nor the
    // status: an index-only count where an index serves the filter.
    auto count = txn_->prepare(
        filters.status ? latest_sql(false) + where.inner + " SELECT count(*) FROM latest" + where.outer
                       : "SELECT count(*) FROM payout p WHERE p.latest = 1" + where.conditions);
    if (!count) return std::move(count).error();
    bind_filters(*count, filters, ctx);
    auto row = count->step();
    if (!row) return std::move(row).error();
    out.pagination.total = *row ? static_cast<std::uint64_t>(count->column_int64(0)) : 0;
  }
  auto st = txn_->prepare(latest_sql(true) + where.inner + " " + std::string(kColumns) + where.outer +
                          " ORDER BY block DESC, log_index DESC LIMIT ?8 OFFSET ?9");
  if (!st) return std::move(st).error();
  bind_filters(*st, filters, ctx);
  const auto offset = static_cast<std::int64_t>(
      std::min<std::uint64_t>(page.offset, std::numeric_limits<std::int64_t>::max()));
  st->bind_int64(8, page.limit).bind_int64(9, offset);
  bind_confirmed_offset(*st, ctx);
  auto rows = read_payouts(*st, ctx);
  if (!rows) return std::move(rows).error();
  out.payouts = std::move(*rows);
  out.pagination.limit = page.limit;
  out.pagination.offset = page.offset;
  out.pagination.has_previous = page.offset > 0;
  out.pagination.has_next =
      page.offset < out.pagination.total && out.pagination.total - page.offset > out.payouts.size();
  return out;
}

Result<BatchView> Queries::batch(const Hash32& batch_id) {
  BatchView view;
  view.batch_id = batch_id;
  auto as_of_value = as_of(ChainId::kTron);
  if (!as_of_value) return std::move(as_of_value).error();
  view.as_of = *as_of_value;
  const PayoutContext ctx = payout_context(*as_of_value, config_->solid_confirmations);
  auto st = txn_->prepare(latest_sql(true) + " AND p.batch_id = ?2) " + std::string(kColumns));
  if (!st) return std::move(st).error();
  st->bind_int64(1, ctx.confirmed_max).bind_bytes(2, batch_id);
  bind_confirmed_offset(*st, ctx);
  auto rows = read_payouts(*st, ctx);
  if (!rows) return std::move(rows).error();
  U256 sum;
  for (const PayoutView& p : *rows) {
    ++view.total_payouts;
    // Wrapping is impossible in practice (USDT supply); checked anyway.
    auto next = checked_add(sum, p.amount);
    if (!next) return with_context(std::move(next).error(), "batch total");
    sum = *next;
    if (p.status == PayoutStatus::kConfirmed) {
      ++view.completed_payouts;
      auto done = checked_add(view.completed_amount, p.amount);
      if (!done) return with_context(std::move(done).error(), "batch completed amount");
      view.completed_amount = *done;
    } else if (p.status == PayoutStatus::kFailed) {
      ++view.failed_payouts;
    } else {
      ++view.pending_payouts;
    }
  }
  view.total_amount = sum;
  auto settled = txn_->prepare(
      "SELECT count, total_amount, tx_hash FROM payout_batch WHERE batch_id = ?1 ORDER BY block DESC, "
      "log_index DESC LIMIT 1");
  if (!settled) return std::move(settled).error();
  settled->bind_bytes(1, batch_id);
  auto row = settled->step();
  if (!row) return std::move(row).error();
  if (*row) {
    auto count = settled->column_u256(0);
    auto total = settled->column_u256(1);
    auto txid = settled->column_bytes<32, Hash32Tag>(2);
    if (!count) return std::move(count).error();
    if (!total) return std::move(total).error();
    if (!txid) return std::move(txid).error();
    view.settled_count = *count;
    view.settled_txid = *txid;
    view.total_amount = *total;
  } else if (view.total_payouts == 0) {
    return make_error(ErrorCode::kNotFound, "batch " + to_hex(batch_id.span()) + " not found");
  }
  if (view.pending_payouts > 0 || view.total_payouts == 0) {
    view.status = BatchStatus::kPending;
  } else if (view.failed_payouts == view.total_payouts) {
    view.status = BatchStatus::kFailed;
  } else if (view.failed_payouts > 0) {
    view.status = BatchStatus::kPartiallyFailed;
  } else {
    view.status = BatchStatus::kCompleted;
  }
  return view;
}

Result<PayoutStats> Queries::payout_stats(StatsPeriod period,
                                          const std::optional<PayoutRouterType>& router_type,
                                          std::int64_t now) {
  PayoutStats stats;
  stats.period = period;
  stats.router_type = router_type;
  stats.window_end = now;
  stats.window_start = now - stats_period_seconds(period);
  auto as_of_value = as_of(ChainId::kTron);
  if (!as_of_value) return std::move(as_of_value).error();
  stats.as_of = *as_of_value;
  const PayoutContext ctx = payout_context(*as_of_value, config_->solid_confirmations);
  // Only what the stats need; no confirmed_at lookups.
  std::string sql = latest_sql(false) + " AND p.block_time > ?2 AND p.block_time <= ?3";
  if (router_type) sql += " AND p.router_type = ?4";
  sql += ") SELECT router_type, amount, status FROM latest";
  auto st = txn_->prepare(sql);
  if (!st) return std::move(st).error();
  st->bind_int64(1, ctx.confirmed_max).bind_int64(2, stats.window_start).bind_int64(3, now);
  if (router_type) st->bind_int64(4, static_cast<std::int64_t>(*router_type));
  std::map<std::int64_t, RouterStats> by_router;
  for (;;) {
    auto row = st->step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    auto amount = st->column_u256(1);
    if (!amount) return std::move(amount).error();
    const std::int64_t type = st->column_int64(0);
    RouterStats& r = by_router.try_emplace(type, RouterStats{static_cast<PayoutRouterType>(type), 0, U256(0)})
                         .first->second;
    auto total = checked_add(stats.total_amount, *amount);
    auto router_total = checked_add(r.total_amount, *amount);
    if (!total || !router_total)
      return make_error(ErrorCode::kOverflow, "payout stats: total amount exceeds 2^256-1");
    stats.total_amount = *total;
    r.total_amount = *router_total;
    ++r.total_payouts;
    ++stats.total_payouts;
    switch (static_cast<PayoutStatus>(st->column_int64(2))) {
      case PayoutStatus::kConfirmed:
        ++stats.confirmed_payouts;
        break;
      case PayoutStatus::kFailed:
        ++stats.failed_payouts;
        break;
      case PayoutStatus::kPending:
        ++stats.pending_payouts;
        break;
    }
  }
  for (const auto& [type, r] : by_router) stats.payouts_by_router.push_back(r);
  stats.success_rate = percentage(stats.confirmed_payouts, stats.confirmed_payouts + stats.failed_payouts);
  if (stats.total_payouts > 0)
    stats.average_amount = divmod_small(stats.total_amount, stats.total_payouts).quotient;
  return stats;
}

}  // namespace csd
