// SHA-256 (FIPS 180-4), a thin wrapper over libsodium's crypto_hash_sha256.
// Used for Solana program-derived addresses, Anchor discriminators and the
// base58check checksums of TRON addresses. libsodium's SHA-256 has a single
// portable implementation and needs no sodium_init(), so nothing here keeps
// global state.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "decoders/bytes.hpp"

namespace csd {

// Incremental hasher. Not thread-safe; cheap to copy (the copy continues
// independently).
class Sha256 {
 public:
  Sha256() noexcept;

  void update(ByteSpan data) noexcept;
  void update(std::string_view text) noexcept;
  // Finishes the hash. The hasher is reset afterwards and may be reused.
  [[nodiscard]] Hash32 finalize() noexcept;

 private:
  // Opaque storage for crypto_hash_sha256_state (uint32[8] + uint64 + uint8[64]),
  // so this header does not pull in <sodium.h>; the .cpp checks size and alignment.
  static constexpr std::size_t kStateSize = 104;
  alignas(8) std::array<std::uint8_t, kStateSize> state_{};
};

[[nodiscard]] Hash32 sha256(ByteSpan data) noexcept;
[[nodiscard]] Hash32 sha256(std::string_view text) noexcept;

// sha256(sha256(data)): the checksum hash of base58check (Bitcoin, TRON).
[[nodiscard]] Hash32 double_sha256(ByteSpan data) noexcept;

}  // namespace csd
