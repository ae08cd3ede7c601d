#include "store/account_states.hpp"

#include <string>
#include <vector>

#include "store/try.hpp"

namespace csd::account_states {

namespace {

using Ref = std::pair<EvmAddress, const UserState*>;

std::string run_name(std::int64_t seq) {
  return "account_run " + std::to_string(seq);
}

// The seq of the newest run (`newest`) or of the oldest; nullopt: no run.
template <class Txn>
Result<std::optional<std::int64_t>> end_run(Txn& txn, bool newest) {
  CSD_TRY(st, txn.prepare(newest ? "SELECT seq FROM account_run ORDER BY seq DESC LIMIT 1"
                                 : "SELECT seq FROM account_run ORDER BY seq LIMIT 1"));
  CSD_TRY(row, st.step());
  if (!row) return std::optional<std::int64_t>();
  return std::optional(st.column_int64(0));
}

// Calls `take(body, what)` (returning Status) with the state body of
// `address` in the newest run that has an entry for it (empty: removed);
// false when no run has one.
template <class Txn, class Take>
Result<bool> find_in_runs(Txn& txn, const EvmAddress& address, Take&& take) {
  CSD_TRY(newest, end_run(txn, true));
  if (!newest) return false;
  CSD_TRY(st, txn.prepare("SELECT packed FROM account_run WHERE seq = ?1 AND first_address <= ?2 "
                          "ORDER BY first_address DESC LIMIT 1"));
  // Runs are numbered without gaps since the last fold, and each one's first
  // chunk starts at the zero address: no row means no older run.
  for (std::int64_t seq = *newest;; --seq) {
    st.reset();
    st.bind_int64(1, seq).bind_bytes_static(2, address);
    CSD_TRY(row, st.step());
    if (!row) return false;
    const std::string what = run_name(seq);
    CSD_TRY(body, account_pages::find_in_run_chunk(st.column_blob(0), address, what));
    if (body) {
      if (auto status = take(*body, what); !status) return std::move(status).error();
      return true;
    }
  }
}

// Calls `visit(seq, chunk)` (returning Status) with every run's chunks, in
// address order, oldest run first; `chunk` lasts until `visit` returns.
template <class Txn, class Visit>
Status for_each_run_chunk(Txn& txn, Visit&& visit) {
  CSD_TRY(st, txn.prepare("SELECT seq, packed FROM account_run ORDER BY seq, first_address"));
  return for_each_row(
      st, [&](Statement& row) -> Status { return visit(row.column_int64(0), row.column_blob(1)); });
}

// Every run's entries, oldest run first, removals as empty states.
template <class Txn, class Take>
Status for_each_run_entry(Txn& txn, Take&& take) {
  return for_each_run_chunk(txn, [&](std::int64_t seq, ByteSpan chunk) -> Status {
    CSD_TRY(entries, account_pages::decode_run_chunk(chunk, run_name(seq)));
    for (auto& [address, state] : entries) take(address, std::move(state));
    return {};
  });
}

using account_pages::EntryBytes;

// `entries` (ascending) as one new run numbered `seq`, in chunks of up to the page limit.
Status write_run(WriteTxn& txn, std::int64_t seq, std::span<const EntryBytes> entries) {
  CSD_TRY(db_page_size, txn.query_int64("PRAGMA page_size"));
  const std::size_t limit = account_pages::page_sizing(db_page_size).limit;
  CSD_TRY(insert, txn.prepare("INSERT INTO account_run(seq, first_address, packed) VALUES(?1, ?2, ?3)"));
  Bytes chunk;
  std::size_t from = 0;
  const auto flush = [&](std::size_t to) -> Status {
    // The first chunk starts at the zero address (find_in_runs).
    const EvmAddress first = from == 0 ? EvmAddress{} : entries[from].address;
    account_pages::encode_run_chunk(entries.subspan(from, to - from), chunk);
    insert.bind_int64(1, seq).bind_bytes_static(2, first).bind_blob_static(3, chunk);
    from = to;
    return insert.run();
  };
  std::size_t bytes = 1;  // the format byte
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > from && bytes + entries[i].bytes.size() > limit) {
      if (auto status = flush(i); !status) return status;
      bytes = 1;
    }
    bytes += entries[i].bytes.size();
  }
  return flush(entries.size());
}

// `older` with `newer` over it (each ascending, each address once): an
// address in both takes the newer entry.
std::vector<EntryBytes> merge_newer(std::span<const EntryBytes> older, std::span<const EntryBytes> newer) {
  std::vector<EntryBytes> out;
  out.reserve(older.size() + newer.size());
  auto a = older.begin();
  auto b = newer.begin();
  while (a != older.end() || b != newer.end()) {
    if (b == newer.end() || (a != older.end() && a->address < b->address)) {
      out.push_back(*a++);
      continue;
    }
    if (a != older.end() && a->address == b->address) ++a;
    out.push_back(*b++);
  }
  return out;
}

// Rewrites the pages with every run and then `states` over them, entry
// bytes copied as they are (no state is decoded), and deletes the runs.
Status fold_with(WriteTxn& txn, std::span<const EntryBytes> states) {
  std::vector<Bytes> chunks;  // owned: a row's blob lasts until the next step
  std::vector<std::int64_t> seqs;
  auto read = for_each_run_chunk(txn, [&](std::int64_t seq, ByteSpan chunk) -> Status {
    seqs.push_back(seq);
    chunks.emplace_back(chunk.begin(), chunk.end());
    return {};
  });
  if (!read) return read;
  std::vector<EntryBytes> merged;
  std::vector<EntryBytes> run;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (auto status = account_pages::collect_run_entries(chunks[i], run_name(seqs[i]), run); !status)
      return status;
    if (i + 1 == chunks.size() || seqs[i + 1] != seqs[i]) {
      merged = merge_newer(merged, run);
      run.clear();
    }
  }
  merged = merge_newer(merged, states);
  if (auto status = account_pages::write_entries(txn, merged); !status) return status;
  return txn.exec("DELETE FROM account_run");
}

// Sets each run entry over `states`, oldest run first; a removal erases.
template <class Txn>
Status overlay_runs(Txn& txn, UserStateMap& states) {
  return for_each_run_entry(txn, [&](const EvmAddress& address, UserState state) {
    if (state.empty()) {
      states.erase(address);
    } else {
      states.insert_or_assign(address, std::move(state));
    }
  });
}

}  // namespace

namespace {

// What `decode(body, what)` makes of the newest run entry of `address`
// (nullopt when it records a removal); without one, what `from_page()` reads.
template <class T, class Txn, class Decode, class FromPage>
Result<std::optional<T>> read_through(Txn& txn, const EvmAddress& address, Decode&& decode,
                                      FromPage&& from_page) {
  std::optional<T> out;
  CSD_TRY(in_run, find_in_runs(txn, address, [&](ByteSpan body, const std::string& what) -> Status {
            if (body.empty()) return {};
            CSD_TRY(value, decode(body, what));
            out = std::move(value);
            return {};
          }));
  if (in_run) return out;
  return from_page();
}

}  // namespace

template <class Txn>
Result<std::optional<UserState>> read(Txn& txn, const EvmAddress& address) {
  return read_through<UserState>(
      txn, address,
      [](ByteSpan body, const std::string& what) { return store_derive::decode_user_state(body, what); },
      [&] { return account_pages::read(txn, address); });
}

template <class Txn>
Result<std::optional<AccountTotals>> read_totals(Txn& txn, const EvmAddress& address) {
  return read_through<AccountTotals>(
      txn, address,
      [](ByteSpan body, const std::string& what) { return store_derive::decode_user_totals(body, what); },
      [&] { return account_pages::read_totals(txn, address); });
}

Status write(WriteTxn& txn, std::span<const UserStateList::value_type> states) {
  std::vector<Ref> refs;
  refs.reserve(states.size());
  for (const auto& [address, state] : states) refs.emplace_back(address, &state);
  return write(txn, std::span<const Ref>(refs));
}

Status write(WriteTxn& txn, std::span<const Ref> states) {
  Bytes buffer;
  return write_encoded(txn, account_pages::encode_entries(states, buffer));
}

Status write_encoded(WriteTxn& txn, std::span<const EntryBytes> entries) {
  if (entries.empty()) return {};
  CSD_TRY(newest, end_run(txn, true));
  CSD_TRY(oldest, end_run(txn, false));
  const std::int64_t runs = newest ? *newest - *oldest + 1 : 0;
  if (runs + 1 >= kRunsPerFold) return fold_with(txn, entries);
  return write_run(txn, newest ? *newest + 1 : 1, entries);
}

Status fold(WriteTxn& txn) {
  CSD_TRY(newest, end_run(txn, true));
  if (!newest) return {};
  return fold_with(txn, {});
}

template <class Txn>
Result<UserStateMap> read_all(Txn& txn) {
  CSD_TRY(out, account_pages::read_all(txn));
  if (auto status = overlay_runs(txn, out); !status) return std::move(status).error();
  return out;
}

Result<std::optional<UserStateList>> read_all_up_to(WriteTxn& txn, std::size_t limit) {
  CSD_TRY(newest, end_run(txn, true));
  CSD_TRY(pages, account_pages::read_all_up_to(txn, limit));
  if (!newest || !pages) return pages;
  UserStateMap merged(std::make_move_iterator(pages->begin()), std::make_move_iterator(pages->end()));
  if (auto status = overlay_runs(txn, merged); !status) return std::move(status).error();
  if (merged.size() > limit) return std::optional<UserStateList>();
  return std::optional(
      UserStateList(std::make_move_iterator(merged.begin()), std::make_move_iterator(merged.end())));
}

template Result<std::optional<UserState>> read(ReadTxn&, const EvmAddress&);
template Result<std::optional<UserState>> read(WriteTxn&, const EvmAddress&);
template Result<std::optional<AccountTotals>> read_totals(ReadTxn&, const EvmAddress&);
template Result<std::optional<AccountTotals>> read_totals(WriteTxn&, const EvmAddress&);
template Result<UserStateMap> read_all(ReadTxn&);
template Result<UserStateMap> read_all(WriteTxn&);

}  // namespace csd::account_states
