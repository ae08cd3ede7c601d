// Fuzzes the unpacker of raw_block's packed logs (store/raw_pack.hpp), which
// reads bytes from the store file, in formats 2 and 1. Invariants: never reads
// outside the input; whatever unpacks repacks in its format to exactly the
// input bytes (format 2 has one encoding per block).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "store/raw_pack.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using csd::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const csd::ByteSpan input(data, size);
  auto logs = csd::unpack_block_logs(7, input);
  if (!logs) {
    check(logs.error().code == csd::ErrorCode::kMalformed);
    return 0;
  }
  check(!logs->empty());
  csd::Bytes packed;
  for (const csd::RawLog& log : *logs) check(log.block == 7 && csd::check_packable(log).has_value());
  csd::pack_block_logs(*logs, packed, input[0]);
  check(std::equal(packed.begin(), packed.end(), input.begin(), input.end()));
  return 0;
}
