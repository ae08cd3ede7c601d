// Fuzzes the decoder of the ledger's packed chunks (store/ledger_chunk.hpp),
// which reads bytes from the store file. Invariants: never reads outside the
// input; whatever decodes is in ascending row order and re-encodes to exactly
// the input bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "store/ledger_chunk.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using csd::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const csd::ByteSpan input(data, size);
  auto rows = csd::decode_ledger_chunk(input, "fuzz chunk");
  if (!rows) {
    check(rows.error().code == csd::ErrorCode::kMalformed);
    return 0;
  }
  check(!rows->empty());
  csd::Bytes encoded;
  csd::begin_ledger_chunk(encoded);
  for (std::size_t i = 0; i < rows->size(); ++i) {
    if (i > 0) check(csd::ledger_row_less((*rows)[i - 1], (*rows)[i]));
    csd::append_ledger_row((*rows)[i], encoded);
  }
  check(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
  return 0;
}
