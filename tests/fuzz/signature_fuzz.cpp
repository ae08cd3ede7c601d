// Fuzzes decoders/signature on arbitrary bytes. Input layout: the first 65
// bytes are a recoverable signature r ‖ s ‖ v (a shorter input is all
// signature, exercising the length check), the rest is the message. The same
// input, read as key(32) ‖ signature(64) ‖ message, goes through ed25519.
// Invariants checked (trap on violation):
//  - recover_eip191_signer(m, sig) == recover_signer(eip191_message_hash(m), sig);
//  - success only for 65 bytes with v in {0, 1, 27, 28};
//  - v and v ± 27 give the same outcome;
//  - recover_tron_signer is 0x41 ‖ recover_signer over the TRON digest;
//  - the high-s twin (r, n - s, other parity) of an accepted signature recovers the same address.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "decoders/bytes.hpp"
#include "decoders/signature.hpp"
#include "decoders/u256.hpp"

namespace {

using csd::ByteSpan;
using csd::EvmAddress;
using csd::Result;

// secp256k1 group order n (SEC 2, section 2.4.1).
constexpr csd::U256 kOrderN(0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFFEULL, 0xBAAEDCE6AF48A03BULL,
                            0xBFD25E8CD0364141ULL);

void require(bool condition) {
  if (!condition) __builtin_trap();
}

bool same(const Result<EvmAddress>& a, const Result<EvmAddress>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (a.has_value()) return *a == *b;
  return a.error().code == b.error().code && a.error().message == b.error().message;
}

void check_v_aliases(const csd::Hash32& digest, ByteSpan signature, const Result<EvmAddress>& recovered) {
  const std::uint8_t v = signature[64];
  if (v != 0 && v != 1 && v != 27 && v != 28) return;
  std::array<std::uint8_t, 65> alias{};
  std::copy(signature.begin(), signature.end(), alias.begin());
  alias[64] = static_cast<std::uint8_t>(v < 27 ? v + 27 : v - 27);
  const auto other = csd::recover_signer(digest, alias);
  require(other.has_value() == recovered.has_value());
  if (other.has_value()) require(*other == *recovered);
}

void check_high_s_twin(const csd::Hash32& digest, ByteSpan signature, const EvmAddress& recovered) {
  // Accepted, so 0 < s < n and n - s is again in range.
  const csd::U256 s = csd::U256::from_be_bytes(signature.subspan(32).first<32>());
  std::array<std::uint8_t, 65> twin{};
  std::copy(signature.begin(), signature.end(), twin.begin());
  (kOrderN - s).store_be(std::span<std::uint8_t, 65>(twin).subspan<32, 32>());
  const std::uint8_t v = signature[64];
  twin[64] = static_cast<std::uint8_t>(v <= 1 ? v ^ 1 : 55 - v);  // 0 <-> 1, 27 <-> 28
  const auto other = csd::recover_signer(digest, twin);
  require(other.has_value());
  require(*other == recovered);
}

void fuzz_secp256k1(ByteSpan input) {
  const std::size_t signature_size = std::min(input.size(), csd::kRecoverableSignatureSize);
  const ByteSpan signature = input.first(signature_size);
  const ByteSpan message = input.subspan(signature_size);

  const csd::Hash32 digest = csd::eip191_message_hash(message);
  const auto eip191 = csd::recover_eip191_signer(message, signature);
  require(same(eip191, csd::recover_signer(digest, signature)));
  if (eip191.has_value()) {
    require(signature.size() == csd::kRecoverableSignatureSize);
    const std::uint8_t v = signature[64];
    require(v == 0 || v == 1 || v == 27 || v == 28);
    check_high_s_twin(digest, signature, *eip191);
  } else {
    require(!eip191.error().message.empty());
  }
  if (signature.size() == csd::kRecoverableSignatureSize) check_v_aliases(digest, signature, eip191);

  const auto tron = csd::recover_tron_signer(message, signature);
  const auto tron_evm = csd::recover_signer(csd::tron_message_hash(message), signature);
  require(tron.has_value() == tron_evm.has_value());
  if (tron.has_value()) {
    require(tron->bytes[0] == 0x41);
    require(std::equal(tron_evm->bytes.begin(), tron_evm->bytes.end(), tron->bytes.begin() + 1));
  }
}

void fuzz_ed25519(ByteSpan input) {
  constexpr std::size_t kKey = csd::kEd25519PublicKeySize;
  constexpr std::size_t kSig = csd::kEd25519SignatureSize;
  if (input.size() < kKey + kSig) return;
  const auto key = input.first<kKey>();
  const auto signature = input.subspan<kKey, kSig>();
  const ByteSpan message = input.subspan(kKey + kSig);
  const bool verified = csd::verify_ed25519(key, message, signature);
  require(verified == csd::verify_ed25519(key, message, signature));  // deterministic
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,  // NOLINT(readability-identifier-naming)
                                      std::size_t size) {
  const ByteSpan input(data, size);
  fuzz_secp256k1(input);
  fuzz_ed25519(input);
  return 0;
}
