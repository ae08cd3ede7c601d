// AbiValue: one decoded Solidity ABI value — an unsigned or signed integer, an
// address, a bool, a bytesN, dynamic bytes, a string, an array of values, or
// the topic hash standing in for an indexed dynamic parameter (the ABI spec
// stores only keccak256 of such values in the log, so they cannot be
// recovered). A plain value type; the typed accessors return a Result so a
// caller decoding a configured signature gets an error, not a crash, when the
// signature has an unexpected type.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"

namespace csd {

// A signed 256-bit integer as sign and magnitude. Zero is never negative;
// the magnitude of int256's minimum is 2^255.
struct I256 {
  U256 magnitude;
  bool negative = false;

  // The 256-bit two's complement word, as the ABI encodes it.
  [[nodiscard]] U256 to_twos_complement() const noexcept {
    return negative ? (~magnitude) + U256(1) : magnitude;
  }
  [[nodiscard]] static I256 from_twos_complement(const U256& word) noexcept {
    if (!word.bit(255)) return I256{word, false};
    return I256{(~word) + U256(1), true};
  }
  friend bool operator==(const I256&, const I256&) = default;
};

// bytesN (N <= 32) held inline: no allocation for bytes32 ids. Bytes past
// `size` are zero.
struct AbiFixedBytes {
  std::array<std::uint8_t, 32> bytes{};
  std::uint8_t size = 0;

  [[nodiscard]] ByteSpan span() const noexcept { return ByteSpan(bytes.data(), size); }
  friend bool operator==(const AbiFixedBytes&, const AbiFixedBytes&) = default;
};

// The topic of an indexed dynamic parameter (string, bytes, any array):
// keccak256 of its in-place encoding, ABI spec "Events".
struct AbiTopicHash {
  Hash32 hash;
  friend bool operator==(const AbiTopicHash&, const AbiTopicHash&) = default;
};

// Order matches the alternatives of AbiValue::Storage.
enum class AbiValueKind : std::uint8_t {
  kUint,
  kInt,
  kAddress,
  kBool,
  kFixedBytes,
  kBytes,
  kString,
  kArray,
  kTopicHash,
};

[[nodiscard]] const char* abi_value_kind_name(AbiValueKind kind) noexcept;

struct AbiValue {
  using Storage = std::variant<U256, I256, EvmAddress, bool, AbiFixedBytes, Bytes, std::string,
                               std::vector<AbiValue>, AbiTopicHash>;
  Storage storage;

  [[nodiscard]] AbiValueKind kind() const noexcept { return static_cast<AbiValueKind>(storage.index()); }

  // Typed access. An error (kInvalidArgument) names both kinds when the value
  // is of another kind. Views point into this value.
  [[nodiscard]] Result<U256> as_u256() const;          // uintN
  [[nodiscard]] Result<std::uint64_t> as_u64() const;  // uintN whose value fits 64 bits
  [[nodiscard]] Result<I256> as_i256() const;          // intN
  [[nodiscard]] Result<EvmAddress> as_address() const;
  [[nodiscard]] Result<bool> as_bool() const;
  [[nodiscard]] Result<ByteSpan> as_fixed_bytes() const;     // bytesN
  [[nodiscard]] Result<Hash32> as_bytes32() const;           // bytes32 exactly
  [[nodiscard]] Result<ByteSpan> as_bytes() const;           // dynamic bytes
  [[nodiscard]] Result<std::string_view> as_string() const;  // raw bytes of a string
  [[nodiscard]] Result<std::span<const AbiValue>> as_array() const;
  [[nodiscard]] Result<Hash32> as_topic_hash() const;  // indexed dynamic param

  friend bool operator==(const AbiValue&, const AbiValue&) = default;
};

}  // namespace csd
