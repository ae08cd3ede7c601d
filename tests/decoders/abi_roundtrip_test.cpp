// Round-trip property tests: random event signatures (nested and dynamic
// arrays, strings, every elementary type) with random values are encoded by
// the test-only encoder (canonical ABI layout) and must decode to the same
// values; the same data one byte short must be rejected.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decoders/abi.hpp"
#include "tests/decoders/abi_test_encoder.hpp"

namespace csd {
namespace {

using Rng = std::mt19937_64;

std::uint64_t below(Rng& rng, std::uint64_t bound) {
  return rng() % bound;
}

std::string random_type_text(Rng& rng) {
  std::string text;
  switch (below(rng, 7)) {
    case 0:
      text = "uint" + std::to_string(8 * (1 + below(rng, 32)));
      break;
    case 1:
      text = "int" + std::to_string(8 * (1 + below(rng, 32)));
      break;
    case 2:
      text = "address";
      break;
    case 3:
      text = "bool";
      break;
    case 4:
      text = "bytes" + std::to_string(1 + below(rng, 32));
      break;
    case 5:
      text = "bytes";
      break;
    default:
      text = "string";
      break;
  }
  // Mostly shallow, sometimes three levels of nesting.
  const std::uint64_t dims = below(rng, 10) < 5 ? 0 : 1 + below(rng, 3);
  for (std::uint64_t i = 0; i < dims; ++i) {
    text += below(rng, 2) == 0 ? std::string("[]") : "[" + std::to_string(1 + below(rng, 3)) + "]";
  }
  return text;
}

U256 random_u256(Rng& rng) {
  const U256 full(rng(), rng(), rng(), rng());
  switch (below(rng, 4)) {
    case 0:
      return full;
    case 1:
      return full >> static_cast<unsigned>(below(rng, 256));
    case 2:
      return U256(below(rng, 3));
    default:
      return U256::max();
  }
}

Bytes random_bytes(Rng& rng, std::size_t size) {
  Bytes out(size);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

AbiValue random_value(Rng& rng, const AbiType& type, std::size_t dims) {
  if (dims > 0) {
    const std::uint32_t dim = type.dims[dims - 1];
    const std::size_t count = dim == AbiType::kDynamicDim ? below(rng, 4) : dim;
    std::vector<AbiValue> items;
    for (std::size_t i = 0; i < count; ++i) items.push_back(random_value(rng, type, dims - 1));
    return AbiValue{std::move(items)};
  }
  const unsigned width = type.width;
  switch (type.base) {
    case AbiBaseKind::kUint: {
      const U256 v = random_u256(rng);
      return AbiValue{width == 256 ? v : v & ((U256(1) << width) - U256(1))};
    }
    case AbiBaseKind::kInt: {
      // Keep the low `width` bits, then sign-extend: every intN value is reachable.
      U256 v = random_u256(rng);
      if (width < 256) {
        v = v & ((U256(1) << width) - U256(1));
        if (v.bit(width - 1)) v = v | (U256::max() << width);
      }
      return AbiValue{I256::from_twos_complement(v)};
    }
    case AbiBaseKind::kAddress: {
      EvmAddress address;
      const Bytes raw = random_bytes(rng, 20);
      std::copy(raw.begin(), raw.end(), address.bytes.begin());
      return AbiValue{address};
    }
    case AbiBaseKind::kBool:
      return AbiValue{below(rng, 2) == 1};
    case AbiBaseKind::kFixedBytes: {
      AbiFixedBytes fixed;
      fixed.size = static_cast<std::uint8_t>(width);
      const Bytes raw = random_bytes(rng, width);
      std::copy(raw.begin(), raw.end(), fixed.bytes.begin());
      return AbiValue{fixed};
    }
    case AbiBaseKind::kBytes:
      return AbiValue{random_bytes(rng, below(rng, 70))};
    case AbiBaseKind::kString: {
      // Arbitrary bytes, not only UTF-8: the decoder keeps them as they are.
      const Bytes raw = random_bytes(rng, below(rng, 70));
      return AbiValue{std::string(raw.begin(), raw.end())};
    }
  }
  std::abort();
}

struct RandomEvent {
  EventSignature signature;
  std::vector<AbiValue> values;
};

RandomEvent random_event(Rng& rng, int index) {
  const std::uint64_t count = below(rng, 7);
  std::string text = "event E" + std::to_string(index) + "(";
  std::size_t indexed = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (i > 0) text += ", ";
    text += random_type_text(rng);
    if (indexed < EventSignature::kMaxIndexed && below(rng, 3) == 0) {
      text += " indexed";
      ++indexed;
    }
    text += " p" + std::to_string(i);
  }
  text += ")";
  auto signature = parse_event_signature(text);
  if (!signature) {
    ADD_FAILURE() << text << ": " << signature.error().message;
    std::abort();
  }
  RandomEvent event{std::move(*signature), {}};
  for (const EventParam& param : event.signature.params()) {
    event.values.push_back(random_value(rng, param.type, param.type.dims.size()));
  }
  return event;
}

TEST(AbiRoundTrip, RandomEventsDecodeToTheirValues) {
  Rng rng(0xab1'2026);
  int with_data = 0;
  for (int i = 0; i < 4000; ++i) {
    const RandomEvent event = random_event(rng, i);
    const abi_test::EncodedLog encoded = abi_test::encode_log(event.signature, event.values);
    const std::vector<AbiValue> expected = abi_test::expected_decoded(event.signature, event.values);
    auto log = decode_log(event.signature, encoded.topics, encoded.data);
    ASSERT_TRUE(log.has_value()) << event.signature.canonical() << ": " << log.error().message;
    ASSERT_EQ(log->params.size(), expected.size());
    for (std::size_t p = 0; p < expected.size(); ++p) {
      EXPECT_TRUE(log->params[p].value == expected[p])
          << "case " << i << " " << event.signature.canonical() << " parameter " << p;
      EXPECT_EQ(log->params[p].type, &event.signature.params()[p].type);
    }
    // Every byte of a canonical encoding is needed: one byte short fails.
    if (!encoded.data.empty()) {
      ++with_data;
      const ByteSpan short_data(encoded.data.data(), encoded.data.size() - 1);
      EXPECT_FALSE(decode_log(event.signature, encoded.topics, short_data).has_value())
          << "case " << i << " " << event.signature.canonical();
    }
  }
  EXPECT_GT(with_data, 3000);
}

// The encoder itself matches the ABI spec's g(uint256[][],string[]) example,
// so the round trip is not merely self-consistent.
TEST(AbiRoundTrip, EncoderMatchesSolidityDocsExample) {
  auto signature = parse_event_signature("g(uint256[][],string[])");
  ASSERT_TRUE(signature.has_value());
  const auto arr = [](std::vector<AbiValue> items) { return AbiValue{std::move(items)}; };
  const std::vector<AbiValue> values = {
      arr({arr({AbiValue{U256(1)}, AbiValue{U256(2)}}), arr({AbiValue{U256(3)}})}),
      arr({AbiValue{std::string("one")}, AbiValue{std::string("two")}, AbiValue{std::string("three")}})};
  const Bytes data = abi_test::encode_log(*signature, values).data;
  ASSERT_EQ(data.size(), 20u * 32u);  // 20 words in the spec's listing
  const auto word = [&](std::size_t i) {
    return U256::from_be_bytes(std::span<const std::uint8_t, 32>(data.data() + 32 * i, 32));
  };
  EXPECT_EQ(word(0), U256(0x40));   // f
  EXPECT_EQ(word(1), U256(0x140));  // g
  EXPECT_EQ(word(4), U256(0xa0));   // offset of [3]
  EXPECT_EQ(word(13), U256(0xe0));  // offset for "three"
  EXPECT_EQ(word(18), U256(5));     // count for "three"
}

}  // namespace
}  // namespace csd
