#include "store/account_pages.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "store/pack_codec.hpp"
#include "store/try.hpp"

namespace csd::account_pages {

using store_derive::decode_user_state;
using store_derive::decode_user_totals;
using store_derive::encode_user_state;

namespace {

std::string page_name(std::int64_t id) {
  return "account_page " + std::to_string(id);
}

// One entry of an encoded page, located without decoding its state.
struct RawEntry {
  const std::uint8_t* address;  // 20 bytes
  ByteSpan bytes;               // the whole entry
  ByteSpan body;                // the state: a format-2 or 3 body, or format 1's two amounts
};

// Walks an encoded page's entries (formats 1 to 3), checking the format byte,
// the lengths and that every byte is there (decode_page checks the rest).
// `visit(const RawEntry&)` returns false to stop.
template <class Visit>
Status scan_page(ByteSpan page, std::string_view what, Visit&& visit) {
  const auto fault = [&](std::size_t offset, const std::string& text) {
    return make_error(ErrorCode::kMalformed,
                      "store: " + std::string(what) + ", offset " + std::to_string(offset) + ": " + text);
  };
  if (page.empty() ||
      (page[0] != kPageFormat && page[0] != kPageFormatNoQuota && page[0] != kPageFormatTotalsOnly))
    return fault(0, "not a format-1, 2 or 3 page");
  const bool totals_only = page[0] == kPageFormatTotalsOnly;
  std::size_t at = 1;
  while (at < page.size()) {
    std::size_t body_at = at + EvmAddress::kSize;
    std::size_t end = body_at;
    if (totals_only) {
      for (int amount = 0; amount < 2; ++amount) {
        if (end >= page.size()) return fault(at, "entry cut short");
        if (page[end] > 32) return fault(end, "amount of more than 32 bytes");
        end += std::size_t{1} + page[end];
      }
    } else {
      if (body_at > page.size()) return fault(at, "entry cut short");
      pack::Reader in(page.subspan(body_at), what);
      auto length = in.take_varint("state length");
      if (!length) return fault(body_at, length.error().message);
      body_at += in.offset();
      if (*length > page.size() - body_at) return fault(at, "entry cut short");
      end = body_at + static_cast<std::size_t>(*length);
    }
    if (end > page.size()) return fault(at, "entry cut short");
    if (!visit(RawEntry{page.data() + at, page.subspan(at, end - at), page.subspan(body_at, end - body_at)}))
      return {};
    at = end;
  }
  return {};
}

int compare(const std::uint8_t* address, const EvmAddress& other) noexcept {
  return std::memcmp(address, other.data(), EvmAddress::kSize);
}

// address | state length | state. The state is encoded in place after a
// one-byte length (most states are shorter than 128 bytes); a longer one
// moves up to make room for its longer length. `body` is scratch space.
void put_entry(Bytes& out, const EvmAddress& address, const UserState& state,
               std::uint8_t format = kPageFormat) {
  // A run chunk's removal is an empty state, of length 0 (pages hold no empty state).
  const std::size_t length = state.empty() ? 0 : store_derive::encoded_size(state, format);
  auto sink = pack::Sink::append_to(out, EvmAddress::kSize + pack::varint_size(length) + length);
  sink.put_fixed(address);
  sink.put_varint(length);
  if (length != 0) encode_user_state(state, sink, format);
}

// The state of an entry of a page of format `format`.
Result<UserState> decode_entry(const RawEntry& entry, std::uint8_t format, std::string_view what) {
  if (format == kPageFormatTotalsOnly) {
    CSD_TRY(totals, decode_user_totals(entry.body, what));  // scan_page sized the body to the two amounts
    return UserState{totals, {}, {}, {}};
  }
  return decode_user_state(entry.body, what, format);
}

struct StoredPage {
  std::optional<std::int64_t> id;  // nullopt: none yet
  EvmAddress first;                // the lowest address the page may hold (lowered if need be)
  EvmAddress stored_first;         // first_address as stored
  Bytes packed;                    // format byte only when new
};

// Calls `visit(id, first_address, packed)` (returning Status) with the page
// that holds `address` — the one with the greatest first_address ≤ it — while
// its row is current (no copy); false when there is none.
template <class Txn, class Visit>
Result<bool> visit_page_of(Txn& txn, const EvmAddress& address, Visit&& visit) {
  CSD_TRY(st, txn.prepare("SELECT id, first_address, packed FROM account_page WHERE first_address <= ?1 "
                          "ORDER BY first_address DESC LIMIT 1"));
  st.bind_bytes_static(1, address);
  CSD_TRY(row, st.step());
  if (!row) return false;
  CSD_TRY(first, (st.template column_bytes<20, EvmAddressTag>(1)));
  if (auto status = visit(st.column_int64(0), first, st.column_blob(2)); !status)
    return std::move(status).error();
  return true;
}

// The page that holds `address`, copied.
Result<bool> page_of(WriteTxn& txn, const EvmAddress& address, StoredPage& out) {
  return visit_page_of(txn, address,
                       [&](std::int64_t id, const EvmAddress& first, ByteSpan packed) -> Status {
                         out.id = id;
                         out.first = out.stored_first = first;
                         out.packed.assign(packed.begin(), packed.end());
                         return {};
                       });
}

// The page where writing `address` starts: its page, or else the lowest page
// (lowered to start at `address`), or else a new page.
Result<StoredPage> load_page_for(WriteTxn& txn, const EvmAddress& address) {
  StoredPage page;
  CSD_TRY(found, page_of(txn, address, page));
  if (found) return page;
  CSD_TRY(st,
          txn.prepare("SELECT id, first_address, packed FROM account_page ORDER BY first_address LIMIT 1"));
  CSD_TRY(row, st.step());
  page.first = page.stored_first = address;
  if (!row) {
    page.packed = {kPageFormat};
    return page;
  }
  CSD_TRY(stored, (st.column_bytes<20, EvmAddressTag>(1)));
  page.id = st.column_int64(0);
  page.stored_first = stored;
  const ByteSpan blob = st.column_blob(2);
  page.packed.assign(blob.begin(), blob.end());
  return page;
}

// The first_address of the page after `first`, if any.
Result<std::optional<EvmAddress>> next_page_start(WriteTxn& txn, const EvmAddress& first) {
  CSD_TRY(
      st,
      txn.prepare(
          "SELECT first_address FROM account_page WHERE first_address > ?1 ORDER BY first_address LIMIT 1"));
  st.bind_bytes_static(1, first);
  CSD_TRY(row, st.step());
  if (!row) return std::optional<EvmAddress>();
  CSD_TRY(next, (st.column_bytes<20, EvmAddressTag>(0)));
  return std::optional(next);
}

// The page's bytes with `[from, to)` of the updates merged in: untouched
// entries are copied as they are. `starts` gets each entry's offset.
using Update = std::span<const EntryBytes>::iterator;

Status merge_updates(const StoredPage& page, Update from, Update to, Bytes& out,
                     std::vector<std::size_t>& starts) {
  out.assign(1, kPageFormat);
  starts.clear();
  auto update = from;
  const auto emit_updates_below = [&](const std::uint8_t* bound) {
    for (; update != to && (bound == nullptr || compare(bound, update->address) > 0); ++update) {
      if (update->removes) continue;
      starts.push_back(out.size());
      out.insert(out.end(), update->bytes.begin(), update->bytes.end());
    }
  };
  const std::string what = page.id ? page_name(*page.id) : std::string("new account_page");
  const std::uint8_t format = page.packed.empty() ? kPageFormat : page.packed[0];
  std::optional<Error> fault;
  auto status = scan_page(page.packed, what, [&](const RawEntry& entry) {
    emit_updates_below(entry.address);
    if (update != to && compare(entry.address, update->address) == 0) return true;  // replaced (or removed)
    starts.push_back(out.size());
    if (format == kPageFormat) {
      out.insert(out.end(), entry.bytes.begin(), entry.bytes.end());
      return true;
    }
    auto state = decode_entry(entry, format, what);  // an older format, rewritten as the current one
    if (!state) {
      fault = std::move(state).error();
      return false;
    }
    put_entry(out, EvmAddress::from(ByteSpan(entry.address, EvmAddress::kSize).first<20>()), *state);
    return true;
  });
  if (!status) return status;
  if (fault) return std::move(*fault);
  emit_updates_below(nullptr);
  return {};
}

Status store_page(WriteTxn& txn, const StoredPage& page, const Bytes& merged,
                  const std::vector<std::size_t>& starts, const PageSizing& sizing) {
  if (starts.empty()) {
    if (!page.id) return {};
    CSD_TRY(st, txn.prepare("DELETE FROM account_page WHERE id = ?1"));
    st.bind_int64(1, *page.id);
    return st.run();
  }
  // Pieces [starts[i], starts[j]) of up to sizing.fill bytes each; one piece when the page fits sizing.limit.
  std::vector<std::size_t> cuts = {0};
  if (merged.size() > sizing.limit) {
    std::size_t piece_start = starts[0];
    for (std::size_t i = 1; i < starts.size(); ++i) {
      if (starts[i] - piece_start > sizing.fill) {
        cuts.push_back(i);
        piece_start = starts[i];
      }
    }
  }
  CSD_TRY(update, txn.prepare("UPDATE account_page SET first_address = ?2, packed = ?3 WHERE id = ?1"));
  CSD_TRY(insert, txn.prepare("INSERT INTO account_page(first_address, packed) VALUES(?1, ?2)"));
  Bytes piece;
  for (std::size_t c = 0; c < cuts.size(); ++c) {
    const std::size_t begin = starts[cuts[c]];
    const std::size_t end = c + 1 < cuts.size() ? starts[cuts[c + 1]] : merged.size();
    piece.assign(1, kPageFormat);
    piece.insert(piece.end(), merged.begin() + static_cast<std::ptrdiff_t>(begin),
                 merged.begin() + static_cast<std::ptrdiff_t>(end));
    // The first piece keeps the page's start; each later one starts at its first address.
    const EvmAddress first =
        c == 0 ? page.first : EvmAddress::from(ByteSpan(merged).subspan(begin).first<20>());
    if (c == 0 && page.id) {
      update.bind_int64(1, *page.id).bind_bytes_static(2, first).bind_blob_static(3, piece);
      if (auto status = update.run(); !status) return status;
    } else {
      insert.bind_bytes_static(1, first).bind_blob_static(2, piece);
      if (auto status = insert.run(); !status) return status;
    }
  }
  return {};
}

}  // namespace

void encode_page(const PageEntries& entries, Bytes& out, std::uint8_t format) {
  out.clear();
  out.push_back(format);
  for (const auto& [address, state] : entries) put_entry(out, address, state, format);
}

namespace {

Status check_run_chunk_format(ByteSpan chunk, std::string_view what) {
  if (!chunk.empty() && chunk[0] == kPageFormat) return {};
  return make_error(ErrorCode::kMalformed,
                    "store: " + std::string(what) + ", offset 0: not a format-3 run chunk");
}

// A page's entries (`removals` false) or a run chunk's (true: an empty
// state records a removal; format 3 only).
Result<PageEntries> decode_entries(ByteSpan page, std::string_view what, bool removals) {
  if (removals) {
    if (auto status = check_run_chunk_format(page, what); !status) return std::move(status).error();
  }
  PageEntries entries;
  std::optional<Error> fault;
  auto status = scan_page(page, what, [&](const RawEntry& entry) {
    const EvmAddress address = EvmAddress::from(ByteSpan(entry.address, EvmAddress::kSize).first<20>());
    const auto offset = static_cast<std::size_t>(entry.bytes.data() - page.data());
    const auto fail = [&](const std::string& text) {
      fault = make_error(ErrorCode::kMalformed,
                         "store: " + std::string(what) + ", offset " + std::to_string(offset) + ": " + text);
      return false;
    };
    if (!entries.empty() && !(entries.back().first < address))
      return fail("addresses not in ascending order");
    if (entry.body.empty()) {
      if (!removals) return fail("an entry whose state is empty");
      entries.emplace_back(address, UserState{});
      return true;
    }
    auto decoded = decode_entry(entry, page[0], what);
    if (!decoded) return fail(decoded.error().message);
    UserState state = std::move(*decoded);
    if (state.empty()) return fail("an entry whose state is empty");
    entries.emplace_back(address, std::move(state));
    return true;
  });
  if (!status) return std::move(status).error();
  if (fault) return std::move(*fault);
  return entries;
}

}  // namespace

Result<PageEntries> decode_page(ByteSpan page, std::string_view what) {
  return decode_entries(page, what, false);
}

void encode_run_chunk(std::span<const EntryBytes> entries, Bytes& out) {
  out.assign(1, kPageFormat);
  for (const EntryBytes& entry : entries) out.insert(out.end(), entry.bytes.begin(), entry.bytes.end());
}

Result<PageEntries> decode_run_chunk(ByteSpan chunk, std::string_view what) {
  return decode_entries(chunk, what, true);
}

Result<std::optional<ByteSpan>> find_in_run_chunk(ByteSpan chunk, const EvmAddress& address,
                                                  std::string_view what) {
  if (auto status = check_run_chunk_format(chunk, what); !status) return std::move(status).error();
  std::optional<ByteSpan> hit;
  auto scanned = scan_page(chunk, what, [&](const RawEntry& entry) {
    const int order = compare(entry.address, address);
    if (order == 0) hit = entry.body;
    return order < 0;
  });
  if (!scanned) return std::move(scanned).error();
  return hit;
}

namespace {

// Calls `take(entry, format, what)` with the entry of `address`, if there is one.
template <class Txn, class Take>
Status visit_entry(Txn& txn, const EvmAddress& address, Take&& take) {
  auto found =
      visit_page_of(txn, address, [&](std::int64_t id, const EvmAddress&, ByteSpan packed) -> Status {
        const std::string what = page_name(id);
        std::optional<RawEntry> hit;
        auto scanned = scan_page(packed, what, [&](const RawEntry& entry) {
          const int order = compare(entry.address, address);
          if (order == 0) hit = entry;
          return order < 0;
        });
        if (!scanned) return scanned;
        if (!hit) return {};
        return take(*hit, packed[0], what);
      });
  if (!found) return std::move(found).error();
  return {};
}

}  // namespace

template <class Txn>
Result<std::optional<UserState>> read(Txn& txn, const EvmAddress& address) {
  std::optional<UserState> out;
  auto status = visit_entry(
      txn, address, [&](const RawEntry& entry, std::uint8_t format, const std::string& what) -> Status {
        CSD_TRY(state, decode_entry(entry, format, what));
        out = std::move(state);
        return {};
      });
  if (!status) return std::move(status).error();
  return out;
}

template <class Txn>
Result<std::optional<AccountTotals>> read_totals(Txn& txn, const EvmAddress& address) {
  std::optional<AccountTotals> out;
  auto status =
      visit_entry(txn, address, [&](const RawEntry& entry, std::uint8_t, const std::string& what) -> Status {
        CSD_TRY(totals, decode_user_totals(entry.body, what));
        out = totals;
        return {};
      });
  if (!status) return std::move(status).error();
  return out;
}

Status write(WriteTxn& txn, std::span<const UserStateList::value_type> states) {
  std::vector<std::pair<EvmAddress, const UserState*>> refs;
  refs.reserve(states.size());
  for (const auto& [address, state] : states) refs.emplace_back(address, &state);
  return write(txn, std::span<const std::pair<EvmAddress, const UserState*>>(refs));
}

// An address, its length byte and a state with a few open objects.
constexpr std::size_t kTypicalEntryBytes = 96;

std::vector<EntryBytes> encode_entries(std::span<const std::pair<EvmAddress, const UserState*>> states,
                                       Bytes& buffer) {
  buffer.clear();
  buffer.reserve(states.size() * kTypicalEntryBytes);  // one allocation, not a dozen growing copies
  std::vector<std::size_t> ends;
  ends.reserve(states.size());
  for (const auto& [address, state] : states) {
    put_entry(buffer, address, *state);
    ends.push_back(buffer.size());
  }
  std::vector<EntryBytes> entries;
  entries.reserve(states.size());
  std::size_t begin = 0;
  for (std::size_t i = 0; i < states.size(); ++i) {
    entries.push_back(EntryBytes{states[i].first, ByteSpan(buffer).subspan(begin, ends[i] - begin),
                                 states[i].second->empty()});
    begin = ends[i];
  }
  return entries;
}

Status write(WriteTxn& txn, std::span<const std::pair<EvmAddress, const UserState*>> states) {
  Bytes buffer;
  return write_entries(txn, encode_entries(states, buffer));
}

Status write_entries(WriteTxn& txn, std::span<const EntryBytes> entries) {
  CSD_TRY(db_page_size, txn.query_int64("PRAGMA page_size"));
  const PageSizing sizing = page_sizing(db_page_size);
  Bytes merged;
  std::vector<std::size_t> starts;
  for (auto it = entries.begin(); it != entries.end();) {
    CSD_TRY(page, load_page_for(txn, it->address));
    CSD_TRY(next, next_page_start(txn, page.stored_first));
    auto end = it;
    while (end != entries.end() && (!next || end->address < *next)) ++end;
    if (auto status = merge_updates(page, it, end, merged, starts); !status) return status;
    if (auto status = store_page(txn, page, merged, starts, sizing); !status) return status;
    it = end;
  }
  return {};
}

Status collect_run_entries(ByteSpan chunk, std::string_view what, std::vector<EntryBytes>& out) {
  if (auto status = check_run_chunk_format(chunk, what); !status) return status;
  std::optional<std::size_t> unordered_at;
  auto status = scan_page(chunk, what, [&](const RawEntry& entry) {
    const EvmAddress address = EvmAddress::from(ByteSpan(entry.address, EvmAddress::kSize).first<20>());
    if (!out.empty() && !(out.back().address < address)) {
      unordered_at = static_cast<std::size_t>(entry.bytes.data() - chunk.data());
      return false;
    }
    out.push_back(EntryBytes{address, entry.bytes, entry.body.empty()});
    return true;
  });
  if (!status) return status;
  if (unordered_at)
    return make_error(ErrorCode::kMalformed, "store: " + std::string(what) + ", offset " +
                                                 std::to_string(*unordered_at) +
                                                 ": addresses not in ascending order");
  return {};
}

namespace {

// Calls `take(entries)` with each page's decoded entries, in address order,
// until it returns false.
template <class Txn, class Take>
Status for_each_page(Txn& txn, Take&& take) {
  CSD_TRY(st, txn.prepare("SELECT id, packed FROM account_page ORDER BY first_address"));
  for (;;) {
    CSD_TRY(row, st.step());
    if (!row) return {};
    CSD_TRY(entries, decode_page(st.column_blob(1), page_name(st.column_int64(0))));
    if (!take(std::move(entries))) return {};
  }
}

}  // namespace

template <class Txn>
Result<UserStateMap> read_all(Txn& txn) {
  UserStateMap out;
  auto status = for_each_page(txn, [&](PageEntries entries) {
    for (auto& [address, state] : entries) out.emplace_hint(out.end(), address, std::move(state));
    return true;
  });
  if (!status) return std::move(status).error();
  return out;
}

Result<std::optional<UserStateList>> read_all_up_to(WriteTxn& txn, std::size_t limit) {
  UserStateList out;
  bool within = true;
  auto status = for_each_page(txn, [&](PageEntries entries) {
    within = out.size() + entries.size() <= limit;
    if (within)
      out.insert(out.end(), std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
    return within;
  });
  if (!status) return std::move(status).error();
  if (!within) return std::optional<UserStateList>();
  return std::optional(std::move(out));
}

template Result<std::optional<UserState>> read(ReadTxn&, const EvmAddress&);
template Result<std::optional<UserState>> read(WriteTxn&, const EvmAddress&);
template Result<std::optional<AccountTotals>> read_totals(ReadTxn&, const EvmAddress&);
template Result<std::optional<AccountTotals>> read_totals(WriteTxn&, const EvmAddress&);
template Result<UserStateMap> read_all(ReadTxn&);
template Result<UserStateMap> read_all(WriteTxn&);

}  // namespace csd::account_pages
