#include "decoders/signature.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include "decoders/hex.hpp"
#include "decoders/keccak.hpp"
#include "decoders/tron_address.hpp"

namespace csd {
namespace {

// "\x19Ethereum Signed Message:\n", written with the octal escape \031 (= 0x19)
// because a hex escape would swallow the 'E'.
constexpr std::string_view kEip191Prefix = "\031Ethereum Signed Message:\n";  // EIP-191 version 0x45
constexpr std::string_view kTronPrefix = "\031TRON Signed Message:\n";        // TronWeb TRON_MESSAGE_PREFIX

// The secp256k1 group order n, big-endian (SEC 2, section 2.4.1).
constexpr std::array<std::uint8_t, 32> kCurveOrder = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

// keccak256(prefix ‖ decimal(len) ‖ message), the shape shared by EIP-191 and TronWeb.
Hash32 prefixed_message_hash(std::string_view prefix, ByteSpan message) noexcept {
  std::array<char, 24> digits{};  // a size_t has at most 20 decimal digits
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), message.size());
  (void)ec;  // cannot fail: the buffer holds any size_t
  Keccak256 hasher;
  hasher.update(prefix);
  hasher.update(std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
  hasher.update(message);
  return hasher.finalize();
}

// libsecp256k1 recommends a self-test before first use of its static context.
// It runs once (thread-safe static initialisation); on failure it aborts through
// the library's error callback, which is a broken build, not bad input.
const secp256k1_context* secp_context() noexcept {
  static const bool self_tested = (secp256k1_selftest(), true);
  (void)self_tested;
  return secp256k1_context_static;
}

// Ethereum's v: 27/28 (legacy, used by personal_sign) or 0/1 (bare recovery id).
std::optional<int> recovery_id_from_v(std::uint8_t v) noexcept {
  switch (v) {
    case 0:
    case 27:
      return 0;
    case 1:
    case 28:
      return 1;
    default:
      return std::nullopt;
  }
}

std::span<const std::uint8_t, 32> scalar_at(ByteSpan signature, std::size_t offset) noexcept {
  return signature.subspan(offset).first<32>();
}

bool is_zero(std::span<const std::uint8_t, 32> scalar) noexcept {
  return std::all_of(scalar.begin(), scalar.end(), [](std::uint8_t b) { return b == 0; });
}

bool below_order(std::span<const std::uint8_t, 32> scalar) noexcept {
  return std::lexicographical_compare(scalar.begin(), scalar.end(), kCurveOrder.begin(), kCurveOrder.end());
}

// Names the scalar libsecp256k1 refused, for the error message only; the library
// has already decided. parse_compact fails when r or s >= n.
Error out_of_range_error(ByteSpan signature) {
  const bool r_ok = below_order(scalar_at(signature, 0));
  const std::string which = !r_ok ? "r" : "s";
  const std::string value = to_hex(scalar_at(signature, r_ok ? 32 : 0));
  return make_error(ErrorCode::kInvalidArgument,
                    "signature: " + which + " = " + value + " is not below the secp256k1 order n");
}

// ecdsa_recover fails when r or s is zero or r is not the x-coordinate of a point.
Error unrecoverable_error(ByteSpan signature) {
  std::string why = "r is not the x-coordinate of a curve point";
  if (is_zero(scalar_at(signature, 0))) {
    why = "r is zero";
  } else if (is_zero(scalar_at(signature, 32))) {
    why = "s is zero";
  }
  return make_error(ErrorCode::kVerificationFailed, "signature: no public key recovers: " + why);
}

}  // namespace

Hash32 eip191_message_hash(ByteSpan message) noexcept {
  return prefixed_message_hash(kEip191Prefix, message);
}

Hash32 tron_message_hash(ByteSpan message) noexcept {
  return prefixed_message_hash(kTronPrefix, message);
}

EvmAddress evm_address_from_public_key(std::span<const std::uint8_t, 64> public_key_xy) noexcept {
  const Hash32 hash = keccak256(ByteSpan(public_key_xy));
  return EvmAddress::from(hash.span().last<EvmAddress::kSize>());
}

Result<EvmAddress> recover_signer(const Hash32& digest, ByteSpan signature65) {
  if (signature65.size() != kRecoverableSignatureSize) {
    return make_error(ErrorCode::kInvalidArgument,
                      "signature: expected 65 bytes (r ‖ s ‖ v), got " + std::to_string(signature65.size()));
  }
  const std::uint8_t v = signature65[64];
  const std::optional<int> recovery_id = recovery_id_from_v(v);
  if (!recovery_id) {
    return make_error(ErrorCode::kInvalidArgument,
                      "signature: v = " + std::to_string(v) + " is not one of 27, 28, 0, 1");
  }
  const secp256k1_context* ctx = secp_context();
  secp256k1_ecdsa_recoverable_signature parsed;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &parsed, signature65.data(), *recovery_id) !=
      1) {
    return out_of_range_error(signature65);
  }
  secp256k1_pubkey public_key;
  if (secp256k1_ecdsa_recover(ctx, &public_key, &parsed, digest.data()) != 1) {
    return unrecoverable_error(signature65);
  }
  std::array<std::uint8_t, 65> serialized{};  // 0x04 ‖ x ‖ y
  std::size_t serialized_size = serialized.size();
  secp256k1_ec_pubkey_serialize(ctx, serialized.data(), &serialized_size, &public_key,
                                SECP256K1_EC_UNCOMPRESSED);
  return evm_address_from_public_key(std::span<const std::uint8_t, 65>(serialized).last<64>());
}

Result<EvmAddress> recover_eip191_signer(ByteSpan message, ByteSpan signature65) {
  return recover_signer(eip191_message_hash(message), signature65);
}

Result<TronAddress> recover_tron_signer(ByteSpan message, ByteSpan signature65) {
  Result<EvmAddress> evm = recover_signer(tron_message_hash(message), signature65);
  if (!evm) return std::move(evm).error();
  return tron_address_from_evm20(*evm);  // 0x41 ‖ the same 20 bytes
}

bool verify_ed25519(std::span<const std::uint8_t, kEd25519PublicKeySize> public_key, ByteSpan message,
                    std::span<const std::uint8_t, kEd25519SignatureSize> signature) noexcept {
  // sodium_init returns 0 on first success, 1 when already initialised, -1 on failure.
  static const bool sodium_ready = sodium_init() >= 0;
  if (!sodium_ready) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) ==
         0;
}

}  // namespace csd
