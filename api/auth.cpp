// Wallet-signature and bearer-token auth of SPEC 5; see api/auth.hpp.
#include "api/auth.hpp"

#include <array>
#include <utility>

#include "decoders/base58.hpp"
#include "decoders/evm_address.hpp"
#include "decoders/hex.hpp"
#include "decoders/signature.hpp"
#include "decoders/tron_address.hpp"

namespace csd {
namespace {

constexpr std::size_t kMaxSignedAtDigits = 18;  // keeps the value far inside int64

bool equal_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

ByteSpan text_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// X-Signed-At: unix seconds, digits only.
std::optional<std::int64_t> parse_signed_at(std::string_view text) noexcept {
  if (text.empty() || text.size() > kMaxSignedAtDigits) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// 0x-hex (or bare hex) of exactly `size` bytes.
std::optional<Bytes> hex_signature(std::string_view text, std::size_t size) {
  auto bytes = from_hex(text);
  if (!bytes || bytes->size() != size) return std::nullopt;
  return std::move(*bytes);
}

// ed25519 signatures travel as base58 (Solana wallets) or 0x-hex.
std::optional<Bytes> solana_signature(std::string_view text) {
  if (has_hex_prefix(text)) return hex_signature(text, kEd25519SignatureSize);
  auto bytes = base58_decode(text, 128);
  if (!bytes || bytes->size() != kEd25519SignatureSize) return std::nullopt;
  return std::move(*bytes);
}

}  // namespace

std::string auth_message(std::string_view method, std::string_view path, std::string_view signed_at) {
  std::string message = "chainsyncd:";
  message += method;
  message += ':';
  message += path;
  message += ':';
  message += signed_at;
  return message;
}

std::string_view target_path(std::string_view raw_target) noexcept {
  const auto query = raw_target.find('?');
  return query == std::string_view::npos ? raw_target : raw_target.substr(0, query);
}

Authenticator::Authenticator(AuthConfig config) : config_(std::move(config)) {
  for (const std::string& token : config_.bearer_tokens) token_digests_.push_back(sha256(token));
}

bool Authenticator::token_matches(std::string_view token) const noexcept {
  // Comparing fixed-size digests of every configured token, without an early
  // exit, takes the same time whatever the token and wherever it differs.
  const Hash32 digest = sha256(token);
  bool any = false;
  for (const Hash32& expected : token_digests_) {
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < Hash32::kSize; ++i) {
      diff = static_cast<std::uint8_t>(diff | (digest.bytes[i] ^ expected.bytes[i]));
    }
    any = any | (diff == 0);
  }
  return any && !token.empty();
}

std::optional<std::string> Authenticator::check(const ApiRequest& request, const AuthSubject& subject) const {
  if (config_.mode == AuthConfig::Mode::kNone || subject.kind == AuthSubject::Kind::kOpen)
    return std::nullopt;
  if (auto authorization = request.header("authorization")) {
    const std::string_view value = *authorization;
    const auto space = value.find(' ');
    // RFC 9110 §11.1: the auth scheme is case-insensitive.
    if (space == std::string_view::npos || !equal_ignore_case(value.substr(0, space), "bearer")) {
      return "Authorization: only the Bearer scheme is accepted";
    }
    std::string_view token = value.substr(space + 1);
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    if (!token_matches(token)) return "Authorization: bearer token not accepted";
    return std::nullopt;
  }
  if (subject.kind == AuthSubject::Kind::kOperator) {
    return "this view needs an operator bearer token (Authorization: Bearer <token>)";
  }
  return check_signature(request, subject);
}

std::optional<std::string> Authenticator::check_signature(const ApiRequest& request,
                                                          const AuthSubject& subject) const {
  const auto signed_at_text = request.header("x-signed-at");
  if (!signed_at_text) return "missing X-Signed-At header (unix seconds of the signature)";
  const auto signature_text = request.header("x-signature");
  if (!signature_text) return "missing X-Signature header";
  const auto signed_at = parse_signed_at(*signed_at_text);
  if (!signed_at) return "X-Signed-At: must be unix seconds (digits only)";
  const std::int64_t skew = request.now - *signed_at;
  const std::string limit = std::to_string(config_.max_skew_s) + " s";
  if (skew > config_.max_skew_s) {
    return "X-Signed-At is stale: signed " + std::to_string(skew) + " s ago, more than " + limit;
  }
  if (-skew > config_.max_skew_s) {
    return "X-Signed-At is " + std::to_string(-skew) + " s in the future, more than " + limit;
  }
  const std::string_view path =
      request.raw_target.empty() ? std::string_view(request.path) : target_path(request.raw_target);
  const std::string message = auth_message(request.method, path, *signed_at_text);
  const ByteSpan message_bytes = text_bytes(message);

  switch (subject.kind) {
    case AuthSubject::Kind::kBsc: {
      auto signature = hex_signature(*signature_text, kRecoverableSignatureSize);
      if (!signature) return "X-Signature: must be 65 bytes (r, s, v) as 0x-hex";
      auto signer = recover_eip191_signer(message_bytes, *signature);
      if (!signer) return "X-Signature does not verify: " + signer.error().message;
      if (*signer != subject.bsc) {
        return "X-Signature is by " + to_lower_hex(*signer) + ", not by the address of this request";
      }
      return std::nullopt;
    }
    case AuthSubject::Kind::kTron: {
      auto signature = hex_signature(*signature_text, kRecoverableSignatureSize);
      if (!signature) return "X-Signature: must be 65 bytes (r, s, v) as 0x-hex";
      auto signer = recover_tron_signer(message_bytes, *signature);
      if (!signer) return "X-Signature does not verify: " + signer.error().message;
      if (*signer != subject.tron) {
        return "X-Signature is by " + to_base58(*signer) + ", not by the address of this request";
      }
      return std::nullopt;
    }
    case AuthSubject::Kind::kSolana: {
      auto signature = solana_signature(*signature_text);
      if (!signature) return "X-Signature: must be a 64-byte ed25519 signature as base58 or 0x-hex";
      const std::span<const std::uint8_t, kEd25519SignatureSize> fixed(signature->data(),
                                                                       kEd25519SignatureSize);
      if (!verify_ed25519(subject.solana.span(), message_bytes, fixed)) {
        return "X-Signature does not verify for this wallet (ed25519)";
      }
      return std::nullopt;
    }
    case AuthSubject::Kind::kOpen:
    case AuthSubject::Kind::kOperator:
      break;
  }
  return "this view needs an operator bearer token (Authorization: Bearer <token>)";
}

}  // namespace csd
