// Generic EVM event decoding (SPEC 3.1): decode_log turns a log's topics and
// data into typed values, given the EventSignature (decoders/abi_signature.hpp)
// the log was emitted with, by the Solidity ABI rules (docs.soliditylang.org,
// "Contract ABI Specification": formal encoding and "Events"). Malformed logs
// are rejected with a reason; nothing is read outside the given spans and the
// work is bounded by the data size.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/abi_signature.hpp"
#include "decoders/abi_type.hpp"
#include "decoders/abi_value.hpp"
#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

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
