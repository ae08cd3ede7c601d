// Fuzzes the decoder of the user states' pages (store/account_pages.hpp,
// store/user_state.hpp), which reads bytes from the store file. Invariants:
// never reads outside the input; whatever decodes is ascending, has no empty
// entry, has each object list in (block, log_index) order, and re-encodes to
// exactly the input bytes (formats 3 and 2, each in its own format; a format-1
// or 2 page re-encodes as format 3 and decodes to the same entries). The
// same input is also decoded as a state run's chunk, which may hold removals.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "store/account_pages.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using csd::fuzz::check;

namespace {

// The same bytes as a run chunk (store/account_states.hpp): ascending, each
// entry found by address and located alike without decoding, and re-encoded
// to exactly the input.
void check_run_chunk(csd::ByteSpan input) {
  auto entries = csd::account_pages::decode_run_chunk(input, "fuzz run chunk");
  std::vector<csd::account_pages::EntryBytes> located;
  const auto collected = csd::account_pages::collect_run_entries(input, "fuzz run chunk", located);
  if (!entries) {
    check(entries.error().code == csd::ErrorCode::kMalformed);
    // Locating without decoding checks less, never more.
    if (!collected) check(collected.error().code == csd::ErrorCode::kMalformed);
    return;
  }
  check(collected && located.size() == entries->size());
  for (std::size_t i = 0; i < located.size(); ++i) {
    check(located[i].address == (*entries)[i].first && located[i].removes == (*entries)[i].second.empty());
  }
  std::vector<std::pair<csd::EvmAddress, const csd::store_derive::UserState*>> states;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const auto& [address, state] = (*entries)[i];
    if (i > 0) check((*entries)[i - 1].first < address);
    auto body = csd::account_pages::find_in_run_chunk(input, address, "fuzz run chunk");
    check(body && body->has_value() && (*body)->empty() == state.empty());
    states.emplace_back(address, &state);
  }
  csd::Bytes buffer;
  csd::Bytes encoded;
  csd::account_pages::encode_run_chunk(csd::account_pages::encode_entries(states, buffer), encoded);
  check(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const csd::ByteSpan input(data, size);
  check_run_chunk(input);
  auto entries = csd::account_pages::decode_page(input, "fuzz page");
  if (!entries) {
    check(entries.error().code == csd::ErrorCode::kMalformed);
    return 0;
  }
  for (std::size_t i = 0; i < entries->size(); ++i) {
    if (i > 0) check((*entries)[i - 1].first < (*entries)[i].first);
    const auto& state = (*entries)[i].second;
    check(!state.empty());
    const auto ascending = [](const auto& list) {
      return std::adjacent_find(list.begin(), list.end(), [](const auto& a, const auto& b) {
               return !(a.opened < b.opened);
             }) == list.end();
    };
    check(ascending(state.locks) && ascending(state.stakes) && ascending(state.reservations));
  }
  csd::Bytes encoded;
  csd::account_pages::encode_page(*entries, encoded);
  if (input[0] == csd::account_pages::kPageFormat) {
    check(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
    return 0;
  }
  check(csd::account_pages::decode_page(encoded, "re-encoded").value() == *entries);
  if (input[0] == csd::account_pages::kPageFormatNoQuota) {
    csd::Bytes same_format;
    csd::account_pages::encode_page(*entries, same_format, csd::account_pages::kPageFormatNoQuota);
    check(std::equal(same_format.begin(), same_format.end(), input.begin(), input.end()));
  }
  return 0;
}
