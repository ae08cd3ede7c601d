// Fuzzes the decoder of the ledger's packed chunks (store/ledger_chunk.hpp),
// which reads bytes from the store file, in formats 2 and 1. Invariants: never
// reads outside the input; whatever decodes is in ascending row order and
// re-encodes in its format to exactly the input bytes; a format-2 chunk's rows
// are each sized as the decoder read them.
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
  const std::uint8_t format = input[0];
  check(format == csd::kLedgerChunkFormat || format == csd::kLedgerChunkFormat1);
  csd::Bytes encoded;
  csd::begin_ledger_chunk(encoded, format);
  std::size_t at = 1;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    if (i > 0) check(csd::ledger_row_less((*rows)[i - 1], (*rows)[i]));
    const std::size_t before = encoded.size();
    csd::append_ledger_row((*rows)[i], encoded, format);
    if (format == csd::kLedgerChunkFormat) {
      auto row_size = csd::ledger_row_size(input, at, "fuzz chunk");
      check(row_size && *row_size == encoded.size() - before);
      at += *row_size;
    }
  }
  check(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
  return 0;
}
