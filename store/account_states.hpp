// The BSC user states as the writer and the views see them (docs/store.md
// "State runs"): the account pages (store/account_pages.hpp) overlaid with
// the runs written since the last fold. A batch writes only the states it
// touched, as one run (table account_run, chunks of about half a b-tree page,
// the first starting at the zero address); the batch that would make
// kRunsPerFold runs folds them and itself into the pages instead, rewriting
// each page once for that many batches. A state is read from the newest run
// that has its address, else from its page; a run entry with an empty state
// records a removal. Which states sit in runs and which in pages depends on
// the batch history, so the dump shows the overlaid states only.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <utility>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "store/account_pages.hpp"
#include "store/database.hpp"

namespace csd::account_states {

using account_pages::AccountTotals;
using account_pages::UserState;
using account_pages::UserStateList;
using account_pages::UserStateMap;

// Runs at most kRunsPerFold - 1 are kept: a read probes that many at most.
// 8 rather than 4: 2.7 % fewer instructions per ingested log, and the access
// view with seven runs as fast as with three (docs/store.md).
inline constexpr std::int64_t kRunsPerFold = 8;

// The state of `address`; nullopt when it has none (empty).
template <class Txn>
[[nodiscard]] Result<std::optional<UserState>> read(Txn& txn, const EvmAddress& address);
// Only its totals (the balance), without decoding its objects.
template <class Txn>
[[nodiscard]] Result<std::optional<AccountTotals>> read_totals(Txn& txn, const EvmAddress& address);

// Sets the state of each address in `states` (ascending, each once); an
// empty state removes it. Writes a run, or folds the runs into the pages.
[[nodiscard]] Status write(WriteTxn& txn, std::span<const std::pair<EvmAddress, const UserState*>> states);
[[nodiscard]] Status write(WriteTxn& txn, std::span<const UserStateList::value_type> states);
// write() with the states already encoded (account_pages::encode_entries).
[[nodiscard]] Status write_encoded(WriteTxn& txn, std::span<const account_pages::EntryBytes> entries);
// Folds every run into the pages (nothing when there is none).
[[nodiscard]] Status fold(WriteTxn& txn);

// Every address's state (the dump, tests).
template <class Txn>
[[nodiscard]] Result<UserStateMap> read_all(Txn& txn);
// Every address's state, ascending, or nullopt when there are more than `limit`.
[[nodiscard]] Result<std::optional<UserStateList>> read_all_up_to(WriteTxn& txn, std::size_t limit);

}  // namespace csd::account_states
