// TST running totals per address (received, sent), packed into pages
// (table account_page, schema 4; docs/store.md "Account totals in pages"): a
// page holds the totals of a range of addresses, sorted, in one BLOB of at
// most ~4 KiB, keyed by the lowest address it may hold. A batch rewrites each
// page it touches once, instead of updating one row per address at a random
// place in a b-tree. The dump shows the totals as rows (`tst_account`), not
// pages, whose split points depend on the history.
//
// Page format 1: byte 0 = 1, then per address in ascending order: the address
// (20 bytes), `received`, `sent` (each a length byte n ≤ 32 and the value's n
// big-endian bytes without leading zeros). An address whose totals are both
// zero has no entry.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"
#include "store/database.hpp"

namespace csd {

namespace store_derive {
// An address's running totals (both zero: no entry).
struct AccountTotals {
  U256 received;
  U256 sent;
  friend bool operator==(const AccountTotals&, const AccountTotals&) = default;
};
using AccountTotalsMap = std::map<EvmAddress, AccountTotals>;
// Totals of several addresses, ascending by address, each address once.
using AccountTotalsList = std::vector<std::pair<EvmAddress, AccountTotals>>;
}  // namespace store_derive

namespace account_pages {

using store_derive::AccountTotals;
using store_derive::AccountTotalsList;
using store_derive::AccountTotalsMap;

inline constexpr std::uint8_t kPageFormat = 1;
// A page is split when it outgrows this (rows of a rowid table up to ~4 KiB
// need no overflow page); the pieces are filled to kFillBytes, leaving room.
inline constexpr std::size_t kPageLimit = 3800;
inline constexpr std::size_t kFillBytes = 2400;

// The totals of `address`; nullopt when it has none (both zero).
template <class Txn>
[[nodiscard]] Result<std::optional<AccountTotals>> read(Txn& txn, const EvmAddress& address);

// Sets the totals of each address in `totals` (ascending, each once); both zero removes it.
[[nodiscard]] Status write(WriteTxn& txn, std::span<const AccountTotalsList::value_type> totals);

// Every address's totals (the dump, tests).
template <class Txn>
[[nodiscard]] Result<AccountTotalsMap> read_all(Txn& txn);
// Every address's totals, ascending, or nullopt when there are more than `limit`.
[[nodiscard]] Result<std::optional<AccountTotalsList>> read_all_up_to(WriteTxn& txn, std::size_t limit);

// Pure page codec (fuzzed): entries ascending by address, none both zero.
using PageEntries = AccountTotalsList;
void encode_page(const PageEntries& entries, Bytes& out);
[[nodiscard]] Result<PageEntries> decode_page(ByteSpan page, std::string_view what);

}  // namespace account_pages
}  // namespace csd
