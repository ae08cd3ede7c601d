// Signature auth of SPEC 5 (api.auth = "signature") with keys generated in the
// test: secp256k1 (libsecp256k1) signing the EIP-191 and TRON message digests,
// ed25519 (libsodium); valid, wrong signer, stale, future, replayed against
// another path, bearer tokens, and which views stay open.
#include "api/auth.hpp"

#include <array>
#include <memory>

#include <gtest/gtest.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include "decoders/base58.hpp"
#include "decoders/evm_address.hpp"
#include "decoders/hex.hpp"
#include "decoders/signature.hpp"
#include "decoders/solana_pubkey.hpp"
#include "decoders/tron_address.hpp"
#include "routes_test_support.hpp"

namespace csd::api_test {
namespace {

ByteSpan bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// A secp256k1 key made from libsodium randomness.
class SecpKey {
 public:
  SecpKey() : ctx_(secp256k1_context_create(SECP256K1_CONTEXT_NONE)) {
    if (sodium_init() < 0) throw std::runtime_error("sodium_init");
    do {
      randombytes_buf(secret_.data(), secret_.size());
    } while (secp256k1_ec_seckey_verify(ctx_.get(), secret_.data()) != 1);
    secp256k1_pubkey pubkey;
    if (secp256k1_ec_pubkey_create(ctx_.get(), &pubkey, secret_.data()) != 1)
      throw std::runtime_error("pubkey");
    std::array<std::uint8_t, 65> out{};
    std::size_t size = out.size();
    secp256k1_ec_pubkey_serialize(ctx_.get(), out.data(), &size, &pubkey, SECP256K1_EC_UNCOMPRESSED);
    address_ = evm_address_from_public_key(std::span<const std::uint8_t, 64>(out.data() + 1, 64));
  }
  // r ‖ s ‖ v (27/28) over a 32-byte digest, as 0x-hex.
  std::string sign(const Hash32& digest) const {
    secp256k1_ecdsa_recoverable_signature sig;
    if (secp256k1_ecdsa_sign_recoverable(ctx_.get(), &sig, digest.data(), secret_.data(), nullptr, nullptr) !=
        1) {
      throw std::runtime_error("sign");
    }
    std::array<std::uint8_t, 65> out{};
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx_.get(), out.data(), &recid, &sig);
    out[64] = static_cast<std::uint8_t>(27 + recid);
    return to_hex(out);
  }
  const EvmAddress& address() const { return address_; }

 private:
  struct ContextDeleter {
    void operator()(secp256k1_context* ctx) const noexcept { secp256k1_context_destroy(ctx); }
  };
  std::unique_ptr<secp256k1_context, ContextDeleter> ctx_;
  std::array<std::uint8_t, 32> secret_{};
  EvmAddress address_;
};

struct EdKey {
  EdKey() {
    if (sodium_init() < 0) throw std::runtime_error("sodium_init");
    crypto_sign_keypair(public_key.bytes.data(), secret.data());
  }
  Bytes sign(std::string_view message) const {
    Bytes sig(crypto_sign_BYTES);
    crypto_sign_detached(sig.data(), nullptr, bytes_of(message).data(), message.size(), secret.data());
    return sig;
  }
  SolanaPubkey public_key;
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> secret{};
};

TEST(AuthMessage, FormatAndPath) {
  EXPECT_EQ(auth_message("GET", "/v1/access/0xab", "1700000000"),
            "chainsyncd:GET:/v1/access/0xab:1700000000");
  EXPECT_EQ(target_path("/v1/ledger/0xab?limit=5&offset=1"), "/v1/ledger/0xab");
  EXPECT_EQ(target_path("/v1/status"), "/v1/status");
  EXPECT_EQ(target_path("/?"), "/");
}

class Auth : public RouteFixture {
 protected:
  void SetUp() override {
    for (const ChainId chain : kAllChains) {
      store.block(kMidnight);
      store.commit(chain);
    }
    config.auth.mode = AuthConfig::Mode::kSignature;
    config.auth.bearer_tokens = {"operator-token-1", "second"};
  }
  // Headers signing `path` at `signed_at` for BSC (EIP-191).
  static Params bsc_headers(const SecpKey& key, std::string_view path, std::int64_t signed_at,
                            std::string_view method = "GET") {
    const std::string at = std::to_string(signed_at);
    const std::string message = auth_message(method, path, at);
    return {{"x-signed-at", at}, {"x-signature", key.sign(eip191_message_hash(bytes_of(message)))}};
  }
  static std::string path_of(const SecpKey& key, std::string_view route = "/v1/access/") {
    return std::string(route) + to_lower_hex(key.address());
  }
  static std::string message_of(const Reply& reply) {
    return reply.body["error"]["message"].get<std::string>();
  }
};

TEST_F(Auth, BscSignatureOpensTheSignersViews) {
  const SecpKey key;
  for (const char* route : {"/v1/access/", "/v1/tier/", "/v1/ledger/"}) {
    const std::string path = path_of(key, route);
    const Reply reply = get(path, {}, bsc_headers(key, path, kNow));
    EXPECT_EQ(reply.status, 200u) << route << reply.raw.body;
  }
  // The signed path excludes the query.
  const std::string ledger = path_of(key, "/v1/ledger/");
  EXPECT_EQ(get(ledger, {{"limit", "5"}}, bsc_headers(key, ledger, kNow)).status, 200u);
  // The address in the path may be given in EIP-55 form; the raw target is what was signed.
  const std::string checksummed = "/v1/access/" + to_checksum_hex(key.address());
  EXPECT_EQ(get(checksummed, {}, bsc_headers(key, checksummed, kNow)).status, 200u);
  // requirements with ?address= is the address's view.
  const std::string req = "/v1/requirements/lock_p2p";
  const Reply user = get(req, {{"address", to_lower_hex(key.address())}}, bsc_headers(key, req, kNow));
  EXPECT_EQ(user.status, 200u) << user.raw.body;
}

TEST_F(Auth, MissingOrMalformedHeaders) {
  const SecpKey key;
  const std::string path = path_of(key);
  const Reply none = get(path);
  expect_error(none, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(none).find("missing X-Signed-At"), std::string::npos);
  ASSERT_EQ(none.raw.headers.size(), 1u);
  EXPECT_EQ(none.raw.headers[0].first, "WWW-Authenticate");

  const Reply no_sig = get(path, {}, {{"x-signed-at", std::to_string(kNow)}});
  expect_error(no_sig, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(no_sig).find("missing X-Signature"), std::string::npos);

  Params headers = bsc_headers(key, path, kNow);
  headers[0].second = "17e8";
  EXPECT_NE(message_of(get(path, {}, headers)).find("unix seconds"), std::string::npos);
  headers = bsc_headers(key, path, kNow);
  headers[1].second.pop_back();  // 64.5 bytes
  const Reply short_sig = get(path, {}, headers);
  expect_error(short_sig, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(short_sig).find("65 bytes"), std::string::npos);
  // requirements without ?address= stays open.
  EXPECT_EQ(get("/v1/requirements/lock_p2p").status, 200u);
}

TEST_F(Auth, WrongSignerIsRefused) {
  const SecpKey alice;
  const SecpKey mallory;
  const std::string path = path_of(alice);
  const Reply reply = get(path, {}, bsc_headers(mallory, path, kNow));
  expect_error(reply, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(reply).find(to_lower_hex(mallory.address())), std::string::npos);
}

TEST_F(Auth, StaleAndFutureSignaturesAreRefusedAtOnePastTheBound) {
  const SecpKey key;
  const std::string path = path_of(key);
  EXPECT_EQ(get(path, {}, bsc_headers(key, path, kNow - 300)).status, 200u);
  EXPECT_EQ(get(path, {}, bsc_headers(key, path, kNow + 300)).status, 200u);
  const Reply stale = get(path, {}, bsc_headers(key, path, kNow - 301));
  expect_error(stale, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(stale).find("stale"), std::string::npos);
  const Reply future = get(path, {}, bsc_headers(key, path, kNow + 301));
  expect_error(future, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(future).find("future"), std::string::npos);
}

TEST_F(Auth, SignatureReplayedAgainstAnotherPathOrMethodIsRefused) {
  const SecpKey key;
  const Params tier_headers = bsc_headers(key, path_of(key, "/v1/tier/"), kNow);
  expect_error(get(path_of(key, "/v1/access/"), {}, tier_headers), 401, "UNAUTHORIZED");
  expect_error(get(path_of(key, "/v1/ledger/"), {}, tier_headers), 401, "UNAUTHORIZED");
  // HEAD signs its own method.
  ApiRequest head = request(path_of(key), {}, bsc_headers(key, path_of(key), kNow, "GET"));
  head.method = "HEAD";
  expect_error(send(head), 401, "UNAUTHORIZED");
  head.headers = bsc_headers(key, path_of(key), kNow, "HEAD");
  EXPECT_EQ(send(head).status, 200u);
}

TEST_F(Auth, TronRecipientSignsWithTronsPrefix) {
  const SecpKey key;
  const std::string recipient = to_base58(tron_address_from_evm20(key.address()));
  const std::string at = std::to_string(kNow);
  const std::string message = auth_message("GET", "/v1/payouts", at);
  const Reply ok =
      get("/v1/payouts", {{"recipient", recipient}},
          {{"x-signed-at", at}, {"x-signature", key.sign(tron_message_hash(bytes_of(message)))}});
  EXPECT_EQ(ok.status, 200u) << ok.raw.body;
  // The Ethereum prefix recovers another address: refused.
  const Reply eth =
      get("/v1/payouts", {{"recipient", recipient}},
          {{"x-signed-at", at}, {"x-signature", key.sign(eip191_message_hash(bytes_of(message)))}});
  expect_error(eth, 401, "UNAUTHORIZED");
  // Without a recipient the list is every payout: an operator's view.
  const Reply all =
      get("/v1/payouts", {},
          {{"x-signed-at", at}, {"x-signature", key.sign(tron_message_hash(bytes_of(message)))}});
  expect_error(all, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(all).find("bearer"), std::string::npos);
}

TEST_F(Auth, SolanaWalletSignsWithEd25519) {
  const EdKey wallet;
  const EdKey other;
  const std::string path = "/v1/discount/" + to_base58(wallet.public_key);
  const std::string at = std::to_string(kNow);
  const Bytes sig = wallet.sign(auth_message("GET", path, at));
  EXPECT_EQ(get(path, {}, {{"x-signed-at", at}, {"x-signature", base58_encode(sig)}}).status, 200u);
  EXPECT_EQ(get(path, {}, {{"x-signed-at", at}, {"x-signature", to_hex(sig)}}).status, 200u);
  EXPECT_EQ(get(path, {{"price", "1"}}, {{"x-signed-at", at}, {"x-signature", base58_encode(sig)}}).status,
            200u);
  const Bytes wrong = other.sign(auth_message("GET", path, at));
  const Reply reply = get(path, {}, {{"x-signed-at", at}, {"x-signature", base58_encode(wrong)}});
  expect_error(reply, 401, "UNAUTHORIZED");
  EXPECT_NE(message_of(reply).find("ed25519"), std::string::npos);
  Bytes flipped = sig;
  flipped[10] ^= 1;
  expect_error(get(path, {}, {{"x-signed-at", at}, {"x-signature", base58_encode(flipped)}}), 401,
               "UNAUTHORIZED");
  expect_error(get(path, {}, {{"x-signed-at", at}, {"x-signature", "0x1234"}}), 401, "UNAUTHORIZED");
}

TEST_F(Auth, BearerTokenReadsEverything) {
  const SecpKey key;
  const Params bearer = {{"authorization", "Bearer operator-token-1"}};
  for (const std::string& path : {path_of(key), "/v1/payouts/" + hex_id(id32(1)), std::string("/v1/payouts"),
                                  std::string("/v1/payouts/stats"), "/v1/payouts/batch/" + hex_id(id32(2))}) {
    const Reply reply = get(path, {}, bearer);
    EXPECT_NE(reply.status, 401u) << path << reply.raw.body;  // 200, or 404 for the unknown ids
  }
  EXPECT_EQ(get(path_of(key), {}, {{"authorization", "bearer second"}}).status, 200u);  // RFC 9110 §11.1
  for (const char* value : {"Bearer operator-token-2", "Bearer operator-token-", "Bearer ", "Bearer",
                            "Basic b3BlcmF0b3I6eA==", "operator-token-1"}) {
    const Reply reply = get(path_of(key), {}, {{"authorization", value}});
    expect_error(reply, 401, "UNAUTHORIZED");
  }
  // A wrong token is refused even with a valid signature alongside.
  Params both = bsc_headers(key, path_of(key), kNow);
  both.emplace_back("authorization", "Bearer nope");
  expect_error(get(path_of(key), {}, both), 401, "UNAUTHORIZED");
}

TEST_F(Auth, OperatorViewsNeedABearerToken) {
  const SecpKey key;
  for (const std::string& path : {"/v1/payouts/" + hex_id(id32(1)), std::string("/v1/payouts/stats"),
                                  "/v1/payouts/batch/" + hex_id(id32(2))}) {
    const Reply reply = get(path, {}, bsc_headers(key, path, kNow));
    expect_error(reply, 401, "UNAUTHORIZED");
    EXPECT_NE(message_of(reply).find("bearer token"), std::string::npos) << path;
  }
}

TEST_F(Auth, OpenViewsNeedNothing) {
  for (const char* path : {"/v1/status", "/health", "/metrics", "/openapi.json", "/v1/discount-tiers",
                           "/v1/requirements/upgrade_tier"}) {
    EXPECT_NE(get(path).status, 401u) << path;
  }
}

TEST_F(Auth, ModeNoneOpensEveryView) {
  config.auth.mode = AuthConfig::Mode::kNone;
  const SecpKey key;
  EXPECT_EQ(get(path_of(key)).status, 200u);
  EXPECT_EQ(get("/v1/payouts/stats").status, 200u);
}

}  // namespace
}  // namespace csd::api_test
