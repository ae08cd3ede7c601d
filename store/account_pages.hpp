// Each address's BSC user state (store/user_state.hpp: TST running totals
// and open locks, stakes, reservations), packed into pages (table
// account_page; docs/store.md "Account totals in pages", "User state in
// pages"): a page holds the states of a range of addresses, sorted, in one
// BLOB of at most page_sizing().limit bytes (7 600 in a file of 16 KiB pages;
// more when one address's state is larger), keyed by
// the lowest address it may hold. A batch rewrites each page it touches once,
// instead of updating rows at random places in b-trees. The dump shows the
// states as rows (`tst_account`, `tst_open_*`), not pages, whose split points
// depend on the history.
//
// Page format 3 (schema 7): byte 0 = 3, then per address in ascending order:
// the address (20 bytes), the length of its state (LEB128) and the state
// (encode_user_state). Older formats are read, no longer written: format 2
// (schema 6) is laid out alike with a state body without quota use
// (store/user_state.hpp); format 1 (schemas 4–5): byte 0 = 1, then per
// address the address, `received`, `sent` (each a length byte n ≤ 32 and the
// value's n big-endian bytes without leading zeros). An address whose state
// is empty has no entry.
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
#include "store/user_state.hpp"

namespace csd {

namespace store_derive {
// States of several addresses, ascending by address, each address once.
using UserStateList = std::vector<std::pair<EvmAddress, UserState>>;
using UserStateMap = std::map<EvmAddress, UserState>;
}  // namespace store_derive

namespace account_pages {

using store_derive::AccountTotals;
using store_derive::UserState;
using store_derive::UserStateList;
using store_derive::UserStateMap;

inline constexpr std::uint8_t kPageFormat = store_derive::kStateFormat;                // 3
inline constexpr std::uint8_t kPageFormatNoQuota = store_derive::kStateFormatNoQuota;  // 2
inline constexpr std::uint8_t kPageFormatTotalsOnly = 1;
// How large a page grows before it is split, and how full the pieces are
// then (leaving room to grow), for a file of `db_page_size`-byte pages: two
// account pages to a b-tree page of 8 KiB or more (rows up to about half a
// page stay on it; fewer, larger rows cost fewer statements per batch — 4 %
// of ingest's instructions against ~4 KiB rows, docs/store.md), else one.
struct PageSizing {
  std::size_t limit;
  std::size_t fill;
};
[[nodiscard]] constexpr PageSizing page_sizing(std::int64_t db_page_size) noexcept {
  const auto size = static_cast<std::size_t>(db_page_size < 4096 ? 4096 : db_page_size);
  const std::size_t limit = size >= 8192 ? size / 2 - 592 : size - 296;
  return PageSizing{limit, limit * 5 / 8};
}

// The state of `address`; nullopt when it has none (empty).
template <class Txn>
[[nodiscard]] Result<std::optional<UserState>> read(Txn& txn, const EvmAddress& address);
// Only its totals (the balance), without decoding its objects.
template <class Txn>
[[nodiscard]] Result<std::optional<AccountTotals>> read_totals(Txn& txn, const EvmAddress& address);

// Sets the state of each address in `states` (ascending, each once); an empty state removes it.
[[nodiscard]] Status write(WriteTxn& txn, std::span<const std::pair<EvmAddress, const UserState*>> states);
// An address's entry as a format-3 page or a run chunk holds it: the
// address, the state's length and the state; a state of length 0 removes the
// address's entry (run chunks only).
struct EntryBytes {
  EvmAddress address;
  ByteSpan bytes;
  bool removes = false;  // the state's length is 0
};
// The states encoded as entries, into `buffer` (the spans point into it).
[[nodiscard]] std::vector<EntryBytes> encode_entries(
    std::span<const std::pair<EvmAddress, const UserState*>> states, Bytes& buffer);
// write() with the states already encoded (ascending, each address once),
// copied into the pages as they are (the fold of store/account_states.hpp).
[[nodiscard]] Status write_entries(WriteTxn& txn, std::span<const EntryBytes> entries);
[[nodiscard]] Status write(WriteTxn& txn, std::span<const UserStateList::value_type> states);

// Every address's state (the dump, tests).
template <class Txn>
[[nodiscard]] Result<UserStateMap> read_all(Txn& txn);
// Every address's state, ascending, or nullopt when there are more than `limit`.
[[nodiscard]] Result<std::optional<UserStateList>> read_all_up_to(WriteTxn& txn, std::size_t limit);

using PageEntries = UserStateList;

// Run chunks (store/account_states.hpp): laid out as format-3 pages, with
// one difference: an entry whose state is empty (length 0) records that the
// address's state was removed. Pure, fuzzed like the pages.
// A chunk of `entries` (ascending, each address once; encode_entries): the
// format byte, then the entries' bytes.
void encode_run_chunk(std::span<const EntryBytes> entries, Bytes& out);
// Every entry, removals as empty states.
[[nodiscard]] Result<PageEntries> decode_run_chunk(ByteSpan chunk, std::string_view what);
// Appends every entry of the chunk to `out` without decoding the states
// (the spans point into `chunk`); its first must follow `out`'s last in
// ascending order (the chunks of one run, in order).
[[nodiscard]] Status collect_run_entries(ByteSpan chunk, std::string_view what, std::vector<EntryBytes>& out);
// The state body of `address` in the chunk (empty: removed); nullopt when the chunk has no entry for it.
[[nodiscard]] Result<std::optional<ByteSpan>> find_in_run_chunk(ByteSpan chunk, const EvmAddress& address,
                                                                std::string_view what);

// Pure page codec (fuzzed): entries ascending by address, none empty.
// encode_page writes format 3 (or 2, for tests); decode_page reads formats 1 to 3.
void encode_page(const PageEntries& entries, Bytes& out, std::uint8_t format = kPageFormat);
[[nodiscard]] Result<PageEntries> decode_page(ByteSpan page, std::string_view what);

}  // namespace account_pages
}  // namespace csd
