// Queries: the store's read side, one function per view of SPEC section 5,
// answered from one ReadTxn (one consistent snapshot: never a half-applied
// batch). Views that depend on the wall clock take `now` (unix seconds);
// everything else comes from stored rows and block times. The result structs
// are in store/views.hpp, the rules they apply in store/rules.hpp.
//
// An unknown wallet or address is not an error: it gets the zero state (tier
// 0, zero balances, no stake). An unknown payout or batch is kNotFound.
//
// Thread safety: a Queries borrows its ReadTxn (and through it one reader
// connection) and belongs to the thread that owns that connection. Use one
// per request: `auto lease = pool.acquire(); auto txn = lease->begin_read();
// Queries q(*txn, config); q.access(...)`.
#pragma once

#include <cstdint>
#include <optional>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"
#include "store/chain_id.hpp"
#include "store/database.hpp"
#include "store/rules.hpp"
#include "store/views.hpp"

namespace csd {

// The configurable inputs of the rules (SPEC 3.1/3.2 tables, SPEC 3.3
// solid_confirmations); defaults are the SPEC defaults.
struct QueryConfig {
  TierTable tiers = default_tier_table();
  DiscountTable discounts = default_discount_table();
  std::uint64_t solid_confirmations = 19;  // SPEC 3.3 / [tron] solid_confirmations; ≥ 1
};

class Queries {
 public:
  // REQUIRES: txn and config outlive the Queries.
  Queries(ReadTxn& txn, const QueryConfig& config) noexcept : txn_(&txn), config_(&config) {}

  // ---- BSC (SPEC 3.1; queries_bsc.cpp) ----
  [[nodiscard]] Result<AccessView> access(const EvmAddress& address, std::int64_t now);
  [[nodiscard]] Result<TierView> tier(const EvmAddress& address, std::int64_t now);
  [[nodiscard]] Result<RequirementsView> requirements(RequirementAction action,
                                                      const std::optional<EvmAddress>& address,
                                                      std::int64_t now);
  // Errors (kOutOfRange) for page.limit > kMaxPageLimit.
  [[nodiscard]] Result<LedgerPage> ledger(const EvmAddress& address, const PageRequest& page);

  // ---- Solana (SPEC 3.2; queries_solana.cpp) ----
  // With `price`: also the exact discounted price. Errors (kOverflow) for a
  // price too large to scale by 100.
  [[nodiscard]] Result<DiscountView> discount(const SolanaPubkey& wallet,
                                              const std::optional<Decimal>& price);

  // ---- TRON (SPEC 3.3; queries_tron.cpp) ----
  // Status rule: failed when the latest event is a PayoutFailed or its
  // transaction's stored receipt is not SUCCESS; else confirmed when its block
  // is at or below the solidified head (the checkpoint's finalized height), or,
  // while no solidified head is known, when it has ≥ solid_confirmations
  // confirmations (head = the checkpoint); else pending. kNotFound when the id
  // has no PayoutExecuted/PayoutFailed.
  [[nodiscard]] Result<PayoutView> payout(const Hash32& payout_id);
  // Errors (kOutOfRange) for page.limit > kMaxPageLimit.
  [[nodiscard]] Result<PayoutList> payouts(const PayoutFilters& filters, const PageRequest& page);
  // kNotFound when no payout names the batch and no BatchSettled has its id.
  [[nodiscard]] Result<BatchView> batch(const Hash32& batch_id);
  [[nodiscard]] Result<PayoutStats> payout_stats(StatsPeriod period,
                                                 const std::optional<PayoutRouterType>& router_type,
                                                 std::int64_t now);

  // ---- all chains (queries_status.cpp) ----
  // The chain's checkpoint as a view's `as_of`; nullopt while it has none.
  [[nodiscard]] Result<std::optional<AsOf>> as_of(ChainId chain);
  [[nodiscard]] Result<StatusView> status();

  [[nodiscard]] const QueryConfig& config() const noexcept { return *config_; }

 private:
  ReadTxn* txn_;
  const QueryConfig* config_;
};

}  // namespace csd
