// Fuzzes the base58 codec and the address parsers built on it. Invariants:
// decode(text) succeeding implies encode(decoded) == text (the encoding is
// canonical), encode(bytes) always decodes back to bytes, and the address
// parsers never crash and round-trip whatever they accept.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "decoders/base58.hpp"
#include "decoders/bytes.hpp"
#include "decoders/solana_pubkey.hpp"
#include "decoders/tron_address.hpp"

namespace {

// The codec is quadratic; bound the work per input, as real callers do.
constexpr std::size_t kMaxEncodeBytes = 512;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // 1. Arbitrary text through the decoder.
  if (auto decoded = csd::base58_decode(text)) {
    check(csd::base58_encode(*decoded) == text);
  } else {
    check(text.size() > csd::kBase58DefaultMaxText || !decoded.error().message.empty());
  }

  // 2. Arbitrary bytes through the encoder and back.
  const csd::ByteSpan bytes(data, size < kMaxEncodeBytes ? size : kMaxEncodeBytes);
  const std::string encoded = csd::base58_encode(bytes);
  auto back = csd::base58_decode(encoded, encoded.size());
  check(back.has_value() && std::equal(back->begin(), back->end(), bytes.begin(), bytes.end()));

  // 3. base58check both ways.
  if (auto payload = csd::base58check_decode(text)) {
    check(csd::base58check_encode(*payload) == text);
  }
  auto payload_back = csd::base58check_decode(csd::base58check_encode(bytes), 1024);
  check(payload_back.has_value() &&
        std::equal(payload_back->begin(), payload_back->end(), bytes.begin(), bytes.end()));

  // 4. Address parsers: accepted text re-encodes to an equivalent address.
  if (auto key = csd::parse_solana_pubkey(text)) {
    check(csd::to_base58(*key) == text);
  }
  if (auto tron = csd::parse_tron_address(text)) {
    check(tron->bytes[0] == csd::kTronAddressPrefix);
    check(csd::parse_tron_address(csd::to_base58(*tron)).value() == *tron);
    check(csd::parse_tron_address(csd::to_hex41(*tron)).value() == *tron);
  }
  return 0;
}
