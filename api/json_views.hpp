// JSON of the views of SPEC 5: one function per store view struct
// (store/views.hpp), producing exactly the field names of SPEC 5 and the
// shapes /openapi.json documents. Amounts are decimal strings (raw units, or
// exact `*_usdt`/`*_ui` decimals), times RFC 3339 UTC with seconds, ids and
// hashes "0x" + 64 lowercase hex, BSC addresses lowercase, TRON and Solana
// base58. Optional values are JSON null. Times go through rfc3339_utc
// (api/errors.hpp), which clamps "forever" (INT64_MAX) to 9999-12-31T23:59:59Z.
//
// Internal to api/ (it exposes nlohmann::json): include it only from api/*.cpp.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "store/queries.hpp"
#include "store/views.hpp"

namespace csd::api_json {

using Json = nlohmann::ordered_json;

// Serializes with invalid UTF-8 replaced by U+FFFD (chain strings such as
// agreement ids are raw bytes), never throwing.
[[nodiscard]] std::string dump(const Json& value);

[[nodiscard]] Json hash_json(const Hash32& hash);
[[nodiscard]] Json evm_json(const EvmAddress& address);

[[nodiscard]] Json as_of_json(const AsOf& as_of);
[[nodiscard]] Json pagination_json(const Pagination& pagination);

[[nodiscard]] Json access_json(const AccessView& view);
[[nodiscard]] Json tier_json(const TierView& view);
[[nodiscard]] Json requirements_json(const RequirementsView& view);
[[nodiscard]] Json ledger_json(const LedgerPage& page);

[[nodiscard]] Json discount_json(const DiscountView& view);
[[nodiscard]] Json discount_tiers_json(const DiscountTable& table);

[[nodiscard]] Json payout_json(const PayoutView& view);
[[nodiscard]] Json payout_list_json(const PayoutList& list);
[[nodiscard]] Json batch_json(const BatchView& view);
[[nodiscard]] Json stats_json(const PayoutStats& stats);

// One chain of /v1/status (and the `details` of CHAIN_NOT_READY): the store's
// view merged with the chain's `enabled` flag; lag = head − indexed when both are known.
[[nodiscard]] Json chain_status_json(const ChainStatusView& view, bool enabled);

}  // namespace csd::api_json
