// Authenticator: the optional wallet-signature auth of SPEC 5
// (`api.auth = "signature"`). Under kSignature, a per-address view needs
//   X-Signed-At: <unix seconds>, |now − t| ≤ max_skew_s (default 300)
//   X-Signature: a signature of "chainsyncd:<METHOD>:<path>:<X-Signed-At>"
// where <path> is the request target as sent, without its query. The signer
// must be the address the view is about:
//   BSC    EIP-191 personal_sign, 65 bytes r‖s‖v as 0x-hex, recovered (libsecp256k1)
//   TRON   TronWeb signMessageV2 ("\x19TRON Signed Message:\n" prefix), 0x-hex, recovered
//   Solana ed25519 over the message bytes, 64 bytes as base58 or 0x-hex (libsodium)
// `Authorization: Bearer <token>` with a configured token reads every view;
// operator views (payout by id, unfiltered payout lists, batches, stats) need
// one. Open views (status, health, metrics, openapi, discount-tiers,
// requirements without an address) never need anything. Under kNone every
// view is open.
//
// Thread safety: immutable after construction; check() may run concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/http_message.hpp"
#include "decoders/bytes.hpp"
#include "decoders/sha256.hpp"

namespace csd {

struct AuthConfig {
  enum class Mode { kNone, kSignature };
  Mode mode = Mode::kNone;
  std::vector<std::string> bearer_tokens;
  std::int64_t max_skew_s = 300;  // SPEC 5
};

// Whom a request must prove to be.
struct AuthSubject {
  enum class Kind { kOpen, kOperator, kBsc, kTron, kSolana };
  Kind kind = Kind::kOpen;
  EvmAddress bsc;
  TronAddress tron;
  SolanaPubkey solana;

  [[nodiscard]] static AuthSubject open() { return {}; }
  [[nodiscard]] static AuthSubject operator_only() { return {Kind::kOperator, {}, {}, {}}; }
  [[nodiscard]] static AuthSubject of(const EvmAddress& a) { return {Kind::kBsc, a, {}, {}}; }
  [[nodiscard]] static AuthSubject of(const TronAddress& a) { return {Kind::kTron, {}, a, {}}; }
  [[nodiscard]] static AuthSubject of(const SolanaPubkey& a) { return {Kind::kSolana, {}, {}, a}; }
};

// The message a wallet signs (SPEC 5).
[[nodiscard]] std::string auth_message(std::string_view method, std::string_view path,
                                       std::string_view signed_at);
// The path part of a raw request target ("/v1/x?y" → "/v1/x").
[[nodiscard]] std::string_view target_path(std::string_view raw_target) noexcept;

class Authenticator {
 public:
  explicit Authenticator(AuthConfig config);

  // nullopt: allowed. Otherwise why not (the 401 message): a missing header,
  // a malformed or stale X-Signed-At, a signature that does not verify or is
  // by someone else, a bearer token that is not configured.
  [[nodiscard]] std::optional<std::string> check(const ApiRequest& request, const AuthSubject& subject) const;

  [[nodiscard]] bool enabled() const noexcept { return config_.mode == AuthConfig::Mode::kSignature; }

 private:
  [[nodiscard]] bool token_matches(std::string_view token) const noexcept;
  [[nodiscard]] std::optional<std::string> check_signature(const ApiRequest& request,
                                                           const AuthSubject& subject) const;

  // Constant after construction.
  AuthConfig config_;
  std::vector<Hash32> token_digests_;  // sha256 of each bearer token: compared in constant time
};

}  // namespace csd
