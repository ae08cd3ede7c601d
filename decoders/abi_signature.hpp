// The human-readable ABI text grammar: parameter types ("uint8[2][]") and
// event signatures ("event Transfer(address indexed from, ...)"), parsed into
// AbiType and EventSignature, with the canonical form and topic0 that
// identify an event on chain (docs.soliditylang.org, "Contract ABI
// Specification": "Types" and "Events").
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/abi_type.hpp"
#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

// Parses one type, surrounding whitespace allowed: "uint" and "int" (aliases
// of uint256 and int256), "uint8".."uint256", "int8".."int256" in steps of 8,
// "address", "bool", "bytes1".."bytes32", "bytes", "string", each with up to
// AbiType::kMaxDims "[]" / "[k]" suffixes (whitespace allowed before '[').
// Errors (kInvalidArgument) name the problem: "type 'uint7': uintN needs N in
// 8..256, a multiple of 8", "tuple types are not supported", ...
[[nodiscard]] Result<AbiType> parse_abi_type(std::string_view text);

struct EventParam {
  std::string name;  // empty when the signature gives none
  AbiType type;
  bool indexed = false;
};

// A parsed event signature. Immutable once built, so it is safe to share
// between threads.
class EventSignature {
 public:
  // Up to three parameters may be indexed: a log has at most four topics.
  static constexpr std::size_t kMaxIndexed = 3;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] std::span<const EventParam> params() const noexcept { return params_; }
  [[nodiscard]] std::size_t indexed_count() const noexcept { return indexed_count_; }
  // "TSTLocked(bytes32,address,uint256,uint64,string)": no names, no spaces.
  [[nodiscard]] const std::string& canonical() const noexcept { return canonical_; }
  // keccak256(canonical()), the log's topics[0].
  [[nodiscard]] const Hash32& topic0() const noexcept { return topic0_; }
  // Bytes of the head of the non-indexed parameters: the least data a log can have.
  [[nodiscard]] std::size_t data_head_size() const noexcept { return data_head_size_; }

 private:
  friend Result<EventSignature> parse_event_signature(std::string_view text);
  EventSignature() = default;

  std::string name_;
  std::vector<EventParam> params_;
  std::size_t indexed_count_ = 0;
  std::size_t data_head_size_ = 0;
  std::string canonical_;
  Hash32 topic0_;
};

// Accepts the declaration form
//   "event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, ...)"
// and the canonical form "TSTLocked(bytes32,address,uint256,uint64,string)",
// each with an optional leading "event", optional "indexed" (also without a
// name: "Transfer(address indexed,address indexed,uint256)"), optional
// parameter names, arbitrary whitespace and an optional trailing ';'. Types are
// those of parse_abi_type. Errors (kInvalidArgument) quote the signature and say
// what is wrong: unknown type, missing ')', tuple, anonymous event, empty
// parameter, more than three indexed parameters, ...
[[nodiscard]] Result<EventSignature> parse_event_signature(std::string_view text);

}  // namespace csd
