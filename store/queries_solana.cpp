// Solana view (SPEC 3.2, SPEC 5): the KAMIYO discount of a wallet from its
// current UserStake (solana_stake holds the newest valid open version of each
// account of the configured pool; the writer keeps it so).
#include <utility>

#include "store/queries.hpp"

namespace csd {

Result<DiscountView> Queries::discount(const SolanaPubkey& wallet, const std::optional<Decimal>& price) {
  const DiscountTable& table = config_->discounts;
  DiscountView view;
  view.wallet = wallet;
  auto as_of_value = as_of(ChainId::kSolana);
  if (!as_of_value) return std::move(as_of_value).error();
  view.as_of = *as_of_value;

  // One UserStake PDA per (owner, pool) and one configured pool: at most one row.
  auto st = txn_->prepare(
      "SELECT account, staked_amount, slot FROM solana_stake WHERE owner = ?1 ORDER BY slot DESC LIMIT 1");
  if (!st) return std::move(st).error();
  st->bind_bytes(1, wallet);
  auto row = st->step();
  if (!row) return std::move(row).error();
  if (*row) {
    auto account = st->column_bytes<32, SolanaPubkeyTag>(0);
    if (!account) return std::move(account).error();
    auto amount = st->column_u256(1);
    if (!amount) return std::move(amount).error();
    view.stake_account = *account;
    view.staked_amount = *amount;
    view.slot = static_cast<std::uint64_t>(st->column_int64(2));
  }
  // A wallet without a stake gets tier none, not "not found" (SPEC 5).
  view.staked_amount_ui = Decimal{view.staked_amount, table.token_decimals};
  const DiscountRow& tier = discount_row(table, view.staked_amount);
  view.discount_tier = tier.tier;
  view.discount_percent = tier.percent;
  view.priority_level = tier.priority;
  view.benefits = discount_benefits(tier.priority);
  if (price) {
    auto discounted = apply_discount(*price, tier.percent);
    if (!discounted) return std::move(discounted).error();
    view.price = *discounted;
  }
  return view;
}

}  // namespace csd
