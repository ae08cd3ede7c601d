// Fuzz target for the ABI event decoder and the signature parser.
//
// Input, byte 0 = mode:
//   bit 7 set: the rest is signature text. If it parses, its canonical form
//              must parse to the same canonical form and topic0.
//   otherwise: bits 0-2 pick one of kSignatures; bits 3-4 adjust the topic
//              count (0: exact, 1: one fewer, 2: one more); bit 5 takes topic0
//              from the input instead of the signature's. Then 32 bytes per
//              topic (topic0 first when bit 5 is set), then the log data.
// Invariant: a log that decodes re-encodes (canonical layout) to data that
// decodes to the same values and re-encodes to the same bytes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "decoders/abi.hpp"
#include "tests/decoders/abi_test_encoder.hpp"

namespace {

constexpr std::array<const char*, 8> kSignatures = {
    "event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 "
    "expiresAt)",
    "event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, uint64 lockedUntil, "
    "string agreementId)",
    "event Transfer(address indexed from, address indexed to, uint256 value)",
    "f(uint256 a, uint32[] b, bytes10 c, bytes d)",
    "g(uint256[][] a, string[] b)",
    "N(string[][2] a, bytes[] indexed b, int16[3][] c, bool d)",
    "H(uint8[2][] indexed x, address[] y, bytes32 z, int256 w, bytes1[][] v)",
    "K(string[][][] s, bytes b, int8 indexed i, bytes4 f, uint8[2][2][] m)",
};

std::vector<csd::EventSignature> parse_signatures() {
  std::vector<csd::EventSignature> out;
  for (const char* text : kSignatures) {
    auto signature = csd::parse_event_signature(text);
    if (!signature) __builtin_trap();
    out.push_back(std::move(*signature));
  }
  return out;
}

void check_signature_text(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto signature = csd::parse_event_signature(text);
  if (!signature) return;
  if (signature->indexed_count() > csd::EventSignature::kMaxIndexed) __builtin_trap();
  auto again = csd::parse_event_signature(signature->canonical());
  if (!again || again->canonical() != signature->canonical() || again->topic0() != signature->topic0() ||
      again->params().size() != signature->params().size()) {
    __builtin_trap();
  }
}

std::vector<csd::AbiValue> values_of(const csd::DecodedLog& log) {
  std::vector<csd::AbiValue> values;
  for (const auto& param : log.params) values.push_back(param.value);
  return values;
}

void check_log(const csd::EventSignature& signature, std::uint8_t mode, const std::uint8_t* data,
               std::size_t size) {
  std::size_t topic_count = 1 + signature.indexed_count();
  const unsigned adjust = (mode >> 3) & 3u;
  if (adjust == 1) --topic_count;
  if (adjust == 2) ++topic_count;
  const bool topic0_from_input = (mode & 0x20u) != 0;
  std::vector<csd::Hash32> topics;
  if (!topic0_from_input) topics.push_back(signature.topic0());
  while (topics.size() < topic_count) {
    if (size < 32) return;
    topics.push_back(csd::Hash32::from(std::span<const std::uint8_t, 32>(data, 32)));
    data += 32;
    size -= 32;
  }
  auto log = csd::decode_log(signature, topics, csd::ByteSpan(data, size));
  if (!log) return;
  if (topics.size() != 1 + signature.indexed_count() || log->params.size() != signature.params().size()) {
    __builtin_trap();
  }
  const std::vector<csd::AbiValue> values = values_of(*log);
  const auto encoded = csd::abi_test::encode_log(signature, values);
  // Strict word decoding means indexed values re-encode to the very same topics.
  // (The data may differ: the input may alias tails, leave gaps or trail bytes.)
  if (encoded.topics != topics) __builtin_trap();
  auto again = csd::decode_log(signature, encoded.topics, encoded.data);
  if (!again || values_of(*again) != values) __builtin_trap();
  if (csd::abi_test::encode_log(signature, values_of(*again)).data != encoded.data) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<csd::EventSignature> signatures = parse_signatures();
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  if ((mode & 0x80u) != 0) {
    check_signature_text(data + 1, size - 1);
    return 0;
  }
  check_log(signatures[mode & 7u], mode, data + 1, size - 1);
  return 0;
}
