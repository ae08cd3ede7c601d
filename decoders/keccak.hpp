// Keccak-256 as used by Ethereum: Keccak-f[1600], 24 rounds, rate 136 bytes,
// original Keccak padding (0x01 ... 0x80), not FIPS-202 SHA-3's 0x06. A port of
// the tiny-keccak design: a 25-lane state, absorb whole blocks, pad, squeeze.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "decoders/bytes.hpp"

namespace csd {

// Incremental hasher. Not thread-safe; cheap to copy (the copy continues independently).
class Keccak256 {
 public:
  static constexpr std::size_t kRate = 136;

  void update(ByteSpan data) noexcept;
  void update(std::string_view text) noexcept;
  // Finishes the hash. The hasher is reset afterwards and may be reused.
  [[nodiscard]] Hash32 finalize() noexcept;

 private:
  std::array<std::uint64_t, 25> state_{};
  std::array<std::uint8_t, kRate> buffer_{};
  std::size_t buffered_ = 0;
};

[[nodiscard]] Hash32 keccak256(ByteSpan data) noexcept;
[[nodiscard]] Hash32 keccak256(std::string_view text) noexcept;

// The permutation itself, exposed for tests and benchmarks.
void keccak_f1600(std::array<std::uint64_t, 25>& state) noexcept;

}  // namespace csd
