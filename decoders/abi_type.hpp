// AbiType: one Solidity ABI parameter type as written in an event signature —
// an elementary type (uintN, intN, address, bool, bytesN, bytes, string)
// wrapped in zero or more array dimensions (T[] and T[k], nested). Tuples,
// fixed-point and function types are not supported (SPEC 3.1 needs none).
// A plain value type: copyable, no pointers, so an EventSignature can hold its
// parameter types inline and decoders can address "the element type" as the
// same AbiType with fewer dimensions (see `dims_used` below). Types are parsed
// from text by parse_abi_type (decoders/abi_signature.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace csd {

enum class AbiBaseKind : std::uint8_t {
  kUint,        // uintN, N in 8..256 step 8
  kInt,         // intN, two's complement
  kAddress,     // 20 bytes, left-padded
  kBool,        // 0 or 1
  kFixedBytes,  // bytesN, N in 1..32, right-padded
  kBytes,       // dynamic byte string
  kString,      // dynamic UTF-8 text (not validated)
};

struct AbiType {
  // Array nesting is capped: types come from configuration, but a bound keeps
  // recursion depth and size arithmetic trivially safe.
  static constexpr std::size_t kMaxDims = 16;
  // Dimension value meaning "T[]"; fixed dimensions are >= 1 (T[0] is rejected:
  // the ABI spec allows it but Solidity cannot declare it).
  static constexpr std::uint32_t kDynamicDim = 0;
  // Largest static (in-place) encoding of one type, in bytes. Bounds T[k]...[k]
  // so size arithmetic never overflows; far above any real event.
  static constexpr std::size_t kMaxStaticSize = std::size_t{1} << 24;

  AbiBaseKind base = AbiBaseKind::kUint;
  // uintN/intN: N in bits; bytesN: N in bytes; otherwise 0.
  std::uint16_t width = 256;
  // Array dimensions as written, left to right: "uint8[2][]" is {2, kDynamicDim},
  // so dims.back() is the outermost array. A type built by hand rather than by
  // parse_abi_type must keep the parser's bounds (kMaxDims, kMaxStaticSize).
  std::vector<std::uint32_t> dims;

  friend bool operator==(const AbiType&, const AbiType&) = default;

  // The queries below take `dims_used`: the type made of `base` and the first
  // `dims_used` dimensions. dims_used == dims.size() is the type itself;
  // dims_used - 1 is the element type of an array. REQUIRES: dims_used <= dims.size().
  [[nodiscard]] bool is_array() const noexcept { return !dims.empty(); }
  [[nodiscard]] bool is_dynamic() const noexcept { return is_dynamic(dims.size()); }
  [[nodiscard]] bool is_dynamic(std::size_t dims_used) const noexcept;
  // Bytes the type occupies in a tuple head: 32 for a dynamic type (its offset),
  // else its whole in-place encoding (32 per element word).
  [[nodiscard]] std::size_t head_size() const noexcept { return head_size(dims.size()); }
  [[nodiscard]] std::size_t head_size(std::size_t dims_used) const noexcept;

  // Canonical spelling used for topic0 and selectors: "uint256", "bytes32[2][]".
  [[nodiscard]] std::string canonical() const { return canonical(dims.size()); }
  [[nodiscard]] std::string canonical(std::size_t dims_used) const;
  // Just the elementary part: "uint8" for "uint8[2][]".
  [[nodiscard]] std::string base_name() const;
};

}  // namespace csd
