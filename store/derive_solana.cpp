// SPEC 3.2 derived state: solana_stake holds the newest version of each
// account when that version is a valid, open UserStake of the configured pool.
// Every version stays in solana_account (the history); invalid versions are
// recorded as anomalies at their slot.
#include <string>
#include <utility>

#include "decoders/solana_pubkey.hpp"
#include "decoders/user_stake.hpp"
#include "store/derive.hpp"

namespace csd::store_derive {
namespace {

Result<UserStake> valid_user_stake(const StoreContracts& contracts, const SolanaPubkey& account,
                                   ByteSpan data) {
  auto stake = parse_user_stake(data);
  if (!stake) return stake;
  // SPEC 3.2: not the PDA of its (owner, pool, bump), or another pool: ignored and counted.
  if (auto status = validate_user_stake(account, *stake, contracts.solana_pool, contracts.solana_program_id);
      !status) {
    return std::move(status).error();
  }
  return stake;
}

}  // namespace

Status check_solana_version(const StoreContracts& contracts, const SolanaPubkey& account, std::uint64_t slot,
                            const std::optional<ByteSpan>& data, AnomalyRecorder& anomalies) {
  if (!data) return {};  // closed: a valid state, no row
  auto stake = valid_user_stake(contracts, account, *data);
  if (stake) return {};
  // The account leads the detail, which keeps anomaly rows of one slot distinct.
  return anomalies.record(slot, 0, AnomalyKind::kInvalidAccount,
                          to_base58(account) + ": " + user_stake_rejection_reason(stake.error().code) + ": " +
                              stake.error().message);
}

Status recompute_solana_stake(WriteTxn& txn, const StoreContracts& contracts, const SolanaPubkey& account) {
  auto newest =
      txn.prepare("SELECT slot, data FROM solana_account WHERE account = ?1 ORDER BY slot DESC LIMIT 1");
  if (!newest) return std::move(newest).error();
  newest->bind_bytes(1, account);
  auto row = newest->step();
  if (!row) return std::move(row).error();
  std::optional<UserStake> stake;
  std::int64_t slot = 0;
  if (*row && !newest->is_null(1)) {
    slot = newest->column_int64(0);
    auto valid = valid_user_stake(contracts, account, newest->column_blob(1));
    if (valid) stake = *valid;
  }
  newest->reset();

  if (!stake) {
    auto remove = txn.prepare("DELETE FROM solana_stake WHERE account = ?1");
    if (!remove) return std::move(remove).error();
    remove->bind_bytes(1, account);
    return remove->run();
  }
  auto upsert = txn.prepare(
      "INSERT INTO solana_stake(account, owner, pool, staked_amount, staked_at, last_update, bump, slot) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(account) DO UPDATE SET owner = excluded.owner, "
      "pool = excluded.pool, staked_amount = excluded.staked_amount, staked_at = excluded.staked_at, "
      "last_update = excluded.last_update, bump = excluded.bump, slot = excluded.slot");
  // An upsert, not INSERT OR REPLACE: a REPLACE deletes without firing the
  // delete trigger that keeps row_count exact (schema.cpp).
  if (!upsert) return std::move(upsert).error();
  upsert->bind_bytes(1, account).bind_bytes(2, stake->owner).bind_bytes(3, stake->pool);
  upsert->bind_u256(4, U256(stake->staked_amount)).bind_int64(5, stake->staked_at);
  upsert->bind_int64(6, stake->last_update).bind_int64(7, stake->bump).bind_int64(8, slot);
  return upsert->run();
}

Result<std::vector<SolanaPubkey>> solana_accounts_above(WriteTxn& txn, std::uint64_t slot) {
  auto st = txn.prepare("SELECT DISTINCT account FROM solana_account WHERE slot > ?1 ORDER BY account");
  if (!st) return std::move(st).error();
  st->bind_uint64_clamped(1, slot);
  std::vector<SolanaPubkey> accounts;
  for (;;) {
    auto row = st->step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    auto account = st->column_bytes<32, SolanaPubkeyTag>(0);
    if (!account) return std::move(account).error();
    accounts.push_back(*account);
  }
  return accounts;
}

}  // namespace csd::store_derive
