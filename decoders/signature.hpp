// Message signatures: who signed a message. Two schemes:
//  - secp256k1 recoverable ECDSA, 65 bytes r ‖ s ‖ v, over the EIP-191
//    personal-message digest (personal_sign, ethers hashMessage, web3.js
//    accounts.sign) or over TronWeb's signMessageV2 digest (same shape, "TRON"
//    in the prefix). The signer's address is recovered, not verified against a
//    key: the caller compares it with the address it expects.
//  - ed25519 detached signatures (RFC 8032), the Solana signature scheme.
// All functions are pure and thread-safe: libsecp256k1 runs on its static
// context and libsodium is initialised once behind a function-local static.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

inline constexpr std::size_t kRecoverableSignatureSize = 65;  // r(32) ‖ s(32) ‖ v(1)
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

// EIP-191 version 0x45: keccak256("\x19Ethereum Signed Message:\n" ‖ decimal(len) ‖ message),
// len being the byte length of message.
[[nodiscard]] Hash32 eip191_message_hash(ByteSpan message) noexcept;

// TronWeb signMessageV2 / verifyMessageV2 (src/utils/message.ts, TRON_MESSAGE_PREFIX):
// keccak256("\x19TRON Signed Message:\n" ‖ decimal(len) ‖ message).
[[nodiscard]] Hash32 tron_message_hash(ByteSpan message) noexcept;

// The EVM address of an uncompressed secp256k1 public key given as its 64-byte
// x ‖ y (the SEC1 form without the 0x04 tag): the last 20 bytes of keccak256(x ‖ y).
[[nodiscard]] EvmAddress evm_address_from_public_key(
    std::span<const std::uint8_t, 64> public_key_xy) noexcept;

// Recovers the address whose key signed `digest`. signature65 is r ‖ s ‖ v with
// v in {27, 28} (Ethereum's legacy encoding) or {0, 1} (the bare recovery id).
// Errors (kInvalidArgument): a length other than 65; any other v (ethers also
// reads v >= 35 as an EIP-155 transaction v, but message signatures never carry
// one, so we reject it); r or s not below the curve order n. Errors
// (kVerificationFailed): r or s zero, or no curve point has x = r, so no key
// recovers.
// High s (n/2 < s < n) is ACCEPTED, as the EVM's ecrecover precompile and
// ethers v5 recoverAddress (elliptic, raw 65-byte form) accept it: EIP-2's low-s
// rule covers transactions, not messages, and (r, n - s, the other parity)
// recovers the same address, so accepting it lets nobody forge a signer. Note
// that ethers v6 (and TronWeb 6's verifyMessageV2, which calls it) refuses
// s >= 2^255 ("non-canonical s"), which in practice is nearly every high s: a
// signature we accept may be refused there, never the other way round.
[[nodiscard]] Result<EvmAddress> recover_signer(const Hash32& digest, ByteSpan signature65);

// recover_signer over eip191_message_hash(message).
[[nodiscard]] Result<EvmAddress> recover_eip191_signer(ByteSpan message, ByteSpan signature65);

// recover_signer over tron_message_hash(message); the TRON address is 0x41 ‖ the
// same 20 bytes.
[[nodiscard]] Result<TronAddress> recover_tron_signer(ByteSpan message, ByteSpan signature65);

// RFC 8032 Ed25519 verification (libsodium crypto_sign_verify_detached, which
// also rejects S >= L and small-order public keys). Returns a bool, not a
// Result: the fixed-size spans rule out malformed input, and libsodium does not
// say why a signature fails, so "does not verify" is the only failure to report.
// Also false if libsodium cannot initialise (fail closed).
[[nodiscard]] bool verify_ed25519(std::span<const std::uint8_t, kEd25519PublicKeySize> public_key,
                                  ByteSpan message,
                                  std::span<const std::uint8_t, kEd25519SignatureSize> signature) noexcept;

}  // namespace csd
