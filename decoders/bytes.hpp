// Byte containers and fixed-size identities. Inputs are spans; owned bytes are
// vectors; identities are distinct types over std::array so that, say, a pool
// key cannot be passed where an owner key is expected.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace csd {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

// A fixed-size byte string with a tag type so that each identity is its own type.
template <std::size_t N, class Tag>
struct FixedBytes {
  static constexpr std::size_t kSize = N;
  std::array<std::uint8_t, N> bytes{};

  [[nodiscard]] constexpr std::span<const std::uint8_t, N> span() const noexcept { return bytes; }
  [[nodiscard]] constexpr const std::uint8_t* data() const noexcept { return bytes.data(); }
  [[nodiscard]] constexpr std::uint8_t* data() noexcept { return bytes.data(); }
  [[nodiscard]] static constexpr std::size_t size() noexcept { return N; }
  [[nodiscard]] static constexpr FixedBytes from(std::span<const std::uint8_t, N> in) noexcept {
    FixedBytes out;
    for (std::size_t i = 0; i < N; ++i) out.bytes[i] = in[i];
    return out;
  }
  friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
};

struct Hash32Tag {};
struct EvmAddressTag {};
struct TronAddressTag {};
struct SolanaPubkeyTag {};

using Hash32 = FixedBytes<32, Hash32Tag>;              // Keccak/SHA-256 digests, bytes32 ids
using EvmAddress = FixedBytes<20, EvmAddressTag>;      // 20-byte EVM account
using TronAddress = FixedBytes<21, TronAddressTag>;    // 0x41 prefix + 20 bytes
using SolanaPubkey = FixedBytes<32, SolanaPubkeyTag>;  // ed25519 public key or PDA

}  // namespace csd
