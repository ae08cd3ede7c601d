// Fuzzes the decoder of the account totals' pages (store/account_pages.hpp),
// which reads bytes from the store file. Invariants: never reads outside the
// input; whatever decodes is ascending, has no all-zero entry, and re-encodes
// to exactly the input bytes.
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
    check(!(*entries)[i].second.received.is_zero() || !(*entries)[i].second.sent.is_zero());
  }
  csd::Bytes encoded;
  csd::account_pages::encode_page(*entries, encoded);
  check(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
  return 0;
}
