// Fuzzes the decoder of the user states' pages (store/account_pages.hpp,
// store/user_state.hpp), which reads bytes from the store file. Invariants:
// never reads outside the input; whatever decodes is ascending, has no empty
// entry, has each object list in (block, log_index) order, and re-encodes to
// exactly the input bytes (formats 3 and 2, each in its own format; a format-1
// or 2 page re-encodes as format 3 and decodes to the same entries).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "store/account_pages.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using csd::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const csd::ByteSpan input(data, size);
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
