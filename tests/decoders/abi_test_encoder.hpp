// A small Solidity ABI encoder for tests only: it turns AbiValues back into
// log topics and data by the rules of the ABI spec (docs.soliditylang.org,
// "Contract ABI Specification": formal encoding, "Events" and "Encoding of
// indexed event parameters"), always in the canonical layout (tails in order,
// no gaps). The round-trip tests and the fuzz target decode what it produces.
// It trusts its input: values must match their types.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "decoders/abi.hpp"
#include "decoders/keccak.hpp"

namespace csd::abi_test {

inline void append_word(Bytes& out, const std::array<std::uint8_t, 32>& word) {
  out.insert(out.end(), word.begin(), word.end());
}

inline void append_u64_word(Bytes& out, std::uint64_t value) {
  append_word(out, U256(value).to_be_bytes());
}

// Right-pads to a multiple of 32 bytes.
inline void append_padded(Bytes& out, ByteSpan content) {
  out.insert(out.end(), content.begin(), content.end());
  out.resize(out.size() + (32 - content.size() % 32) % 32, 0);
}

inline ByteSpan dynamic_content(const AbiValue& value) {
  if (const auto* text = std::get_if<std::string>(&value.storage)) {
    return ByteSpan(reinterpret_cast<const std::uint8_t*>(text->data()), text->size());
  }
  return std::get<Bytes>(value.storage);
}

// The 32-byte word of a static elementary value.
inline std::array<std::uint8_t, 32> encode_word(const AbiValue& value) {
  std::array<std::uint8_t, 32> word{};
  switch (value.kind()) {
    case AbiValueKind::kUint:
      return std::get<U256>(value.storage).to_be_bytes();
    case AbiValueKind::kInt:
      return std::get<I256>(value.storage).to_twos_complement().to_be_bytes();
    case AbiValueKind::kAddress: {
      const auto& address = std::get<EvmAddress>(value.storage);
      std::copy(address.bytes.begin(), address.bytes.end(), word.begin() + 12);
      return word;
    }
    case AbiValueKind::kBool:
      word[31] = std::get<bool>(value.storage) ? 1 : 0;
      return word;
    case AbiValueKind::kFixedBytes: {
      const auto& fixed = std::get<AbiFixedBytes>(value.storage);
      std::copy(fixed.bytes.begin(), fixed.bytes.begin() + fixed.size, word.begin());
      return word;
    }
    default:
      std::abort();  // not a word type
  }
}

inline Bytes encode_value(const AbiType& type, std::size_t dims, const AbiValue& value);

// enc((X1, ..., Xk)): heads, then the tails of the dynamic members in order.
inline Bytes encode_sequence(const AbiType& type, std::size_t element_dims, std::span<const AbiValue> items) {
  const bool dynamic = type.is_dynamic(element_dims);
  const std::size_t head_size = items.size() * type.head_size(element_dims);
  Bytes head;
  Bytes tail;
  for (const AbiValue& item : items) {
    Bytes encoded = encode_value(type, element_dims, item);
    if (dynamic) {
      append_u64_word(head, head_size + tail.size());
      tail.insert(tail.end(), encoded.begin(), encoded.end());
    } else {
      head.insert(head.end(), encoded.begin(), encoded.end());
    }
  }
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// enc(X) of a value of the type made of `type.base` and its first `dims` dimensions.
inline Bytes encode_value(const AbiType& type, std::size_t dims, const AbiValue& value) {
  Bytes out;
  if (dims > 0) {
    const auto& items = std::get<std::vector<AbiValue>>(value.storage);
    if (type.dims[dims - 1] == AbiType::kDynamicDim) append_u64_word(out, items.size());
    Bytes body = encode_sequence(type, dims - 1, items);
    out.insert(out.end(), body.begin(), body.end());
    return out;
  }
  if (type.base == AbiBaseKind::kString || type.base == AbiBaseKind::kBytes) {
    const ByteSpan content = dynamic_content(value);
    append_u64_word(out, content.size());
    append_padded(out, content);
    return out;
  }
  append_word(out, encode_word(value));
  return out;
}

// ABI spec "Encoding of indexed event parameters": string/bytes are their raw
// contents; arrays concatenate their elements' in-place encodings, each padded
// to 32 bytes, without length prefixes or offsets.
inline void append_indexed_encoding(const AbiType& type, std::size_t dims, const AbiValue& value, bool nested,
                                    Bytes& out) {
  if (dims > 0) {
    for (const AbiValue& item : std::get<std::vector<AbiValue>>(value.storage)) {
      append_indexed_encoding(type, dims - 1, item, true, out);
    }
    return;
  }
  if (type.base == AbiBaseKind::kString || type.base == AbiBaseKind::kBytes) {
    const ByteSpan content = dynamic_content(value);
    if (nested) {
      append_padded(out, content);
    } else {
      out.insert(out.end(), content.begin(), content.end());
    }
    return;
  }
  append_word(out, encode_word(value));
}

// The topic of an indexed parameter. A value that already is a topic hash (as
// decode_log returns for indexed dynamic parameters) is used as it is.
inline Hash32 indexed_topic(const AbiType& type, const AbiValue& value) {
  if (const auto* topic = std::get_if<AbiTopicHash>(&value.storage)) return topic->hash;
  if (type.is_array() || type.is_dynamic()) {
    Bytes encoding;
    append_indexed_encoding(type, type.dims.size(), value, false, encoding);
    return keccak256(ByteSpan(encoding));
  }
  return Hash32::from(encode_word(value));
}

struct EncodedLog {
  std::vector<Hash32> topics;
  Bytes data;
};

// REQUIRES: values.size() == signature.params().size(), in signature order.
inline EncodedLog encode_log(const EventSignature& signature, std::span<const AbiValue> values) {
  EncodedLog log;
  log.topics.push_back(signature.topic0());
  Bytes head;
  Bytes tail;
  const std::size_t head_size = signature.data_head_size();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const EventParam& param = signature.params()[i];
    if (param.indexed) {
      log.topics.push_back(indexed_topic(param.type, values[i]));
      continue;
    }
    Bytes encoded = encode_value(param.type, param.type.dims.size(), values[i]);
    if (param.type.is_dynamic()) {
      append_u64_word(head, head_size + tail.size());
      tail.insert(tail.end(), encoded.begin(), encoded.end());
    } else {
      head.insert(head.end(), encoded.begin(), encoded.end());
    }
  }
  log.data = std::move(head);
  log.data.insert(log.data.end(), tail.begin(), tail.end());
  return log;
}

// What decode_log returns for `values`: indexed dynamic values become their topic hash.
inline std::vector<AbiValue> expected_decoded(const EventSignature& signature,
                                              std::span<const AbiValue> values) {
  std::vector<AbiValue> out(values.begin(), values.end());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const EventParam& param = signature.params()[i];
    if (param.indexed && (param.type.is_array() || param.type.is_dynamic())) {
      out[i].storage = AbiTopicHash{indexed_topic(param.type, values[i])};
    }
  }
  return out;
}

}  // namespace csd::abi_test
