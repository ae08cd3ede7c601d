// Generic EVM event decoding (SPEC 3.1): an EventSignature parsed from its
// human-readable form, its canonical form and topic0, and decode_log, which
// turns a log's topics and data into typed values by the Solidity ABI rules
// (docs.soliditylang.org, "Contract ABI Specification": formal encoding and
// "Events"). Malformed logs are rejected with a reason; nothing is read
// outside the given spans and work is bounded by the data size.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/abi_type.hpp"
#include "decoders/abi_value.hpp"
#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

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

struct DecodedParam {
  std::string_view name;          // points into the EventSignature
  const AbiType* type = nullptr;  // points into the EventSignature
  bool indexed = false;
  // For an indexed string, bytes or array parameter this is the topic hash
  // (AbiValueKind::kTopicHash); otherwise the decoded value.
  AbiValue value;
};

// The parameters of one log in signature order (indexed and not interleaved,
// as declared). REQUIRES: the EventSignature outlives it.
struct DecodedLog {
  std::vector<DecodedParam> params;

  // The parameter with this name, or nullptr (first match; names may repeat).
  [[nodiscard]] const DecodedParam* find(std::string_view name) const noexcept;
  // The value of the named parameter, or an error naming it.
  [[nodiscard]] Result<const AbiValue*> get(std::string_view name) const;
};

// Decodes a log. topics must be exactly topic0 plus one topic per indexed
// parameter, and topic0 must equal signature.topic0(). Indexed static values
// are read from their topic with the same strictness as data words. Strict
// about padding: a non-zero high byte in an address, uintN or bool, a bool
// above 1, a bad intN sign extension, non-zero bytes after a bytesN or after
// string/bytes content are errors. Offsets and lengths must stay inside the
// data. Lenient where Solidity's abi.decode and ethers.js are: bytes after the
// encoded values are ignored, and offsets may leave gaps or share a tail.
// Shared tails cannot blow up: decoding stops with an error once it has
// produced more than (AbiType::kMaxDims + 1) values per 32-byte data word,
// a bound no canonical encoding reaches.
[[nodiscard]] Result<DecodedLog> decode_log(const EventSignature& signature, std::span<const Hash32> topics,
                                            ByteSpan data);
// The result points into the signature: decoding against a temporary would dangle.
Result<DecodedLog> decode_log(const EventSignature&& signature, std::span<const Hash32> topics,
                              ByteSpan data) = delete;

}  // namespace csd
