// Tests of decoders/signature: EIP-191 and TronWeb message digests, secp256k1
// signer recovery, ed25519 verification. Every fixed vector names its public
// source; signatures made here are made with libsecp256k1 (an independent
// signer) and checked against published addresses.
#include "decoders/signature.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "decoders/evm_address.hpp"
#include "decoders/hex.hpp"
#include "decoders/keccak.hpp"
#include "decoders/tron_address.hpp"

namespace csd {
namespace {

using boost::multiprecision::cpp_int;

// secp256k1 group order n and field prime p (SEC 2, section 2.4.1).
cpp_int order_n() {
  return cpp_int("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
}
cpp_int prime_p() {
  return cpp_int("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
}
// Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032, section 5.1).
cpp_int ed25519_order_l() {
  return (cpp_int(1) << 252) + cpp_int("27742317777372353535851937790883648493");
}

Bytes hex_bytes(std::string_view text) {
  return from_hex(text).value();
}

template <class Fixed>
Fixed fixed_hex(std::string_view text) {
  return fixed_from_hex<Fixed>(text).value();
}

Bytes text_bytes(std::string_view text) {
  Bytes out;
  for (char c : text) out.push_back(static_cast<std::uint8_t>(c));
  return out;
}

EvmAddress evm(std::string_view text) {
  return parse_evm_address(text).value();
}

cpp_int from_be(ByteSpan bytes) {
  cpp_int value;
  import_bits(value, bytes.begin(), bytes.end());
  return value;
}

// REQUIRES: value < 2^256.
std::array<std::uint8_t, 32> to_be32(const cpp_int& value) {
  std::vector<std::uint8_t> raw;
  export_bits(value, std::back_inserter(raw), 8);
  std::array<std::uint8_t, 32> out{};
  std::copy(raw.begin(), raw.end(), out.end() - static_cast<std::ptrdiff_t>(raw.size()));
  return out;
}

// A secp256k1 signing context, created per test as the library asks for signing.
struct ContextDeleter {
  void operator()(secp256k1_context* ctx) const noexcept { secp256k1_context_destroy(ctx); }
};
using SigningContext = std::unique_ptr<secp256k1_context, ContextDeleter>;

SigningContext make_signing_context() {
  return SigningContext(secp256k1_context_create(SECP256K1_CONTEXT_NONE));
}

// r ‖ s ‖ (27 + recovery id), the personal_sign encoding. RFC 6979 nonces, so
// the result is deterministic and comparable with other RFC 6979 signers.
Bytes sign_recoverable(const Hash32& digest, ByteSpan private_key) {
  const SigningContext ctx = make_signing_context();
  secp256k1_ecdsa_recoverable_signature sig;
  EXPECT_EQ(private_key.size(), 32u);
  EXPECT_EQ(
      secp256k1_ecdsa_sign_recoverable(ctx.get(), &sig, digest.data(), private_key.data(), nullptr, nullptr),
      1);
  Bytes out(65);
  int recovery_id = -1;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx.get(), out.data(), &recovery_id, &sig);
  out[64] = static_cast<std::uint8_t>(27 + recovery_id);
  return out;
}

EvmAddress address_of_private_key(ByteSpan private_key) {
  const SigningContext ctx = make_signing_context();
  secp256k1_pubkey public_key;
  EXPECT_EQ(secp256k1_ec_pubkey_create(ctx.get(), &public_key, private_key.data()), 1);
  std::array<std::uint8_t, 65> serialized{};
  std::size_t size = serialized.size();
  secp256k1_ec_pubkey_serialize(ctx.get(), serialized.data(), &size, &public_key, SECP256K1_EC_UNCOMPRESSED);
  return evm_address_from_public_key(std::span<const std::uint8_t, 65>(serialized).last<64>());
}

Bytes with_v(Bytes signature, std::uint8_t v) {
  signature.at(64) = v;
  return signature;
}

Bytes with_scalar(Bytes signature, std::size_t offset, const std::array<std::uint8_t, 32>& scalar) {
  std::copy(scalar.begin(), scalar.end(), signature.begin() + static_cast<std::ptrdiff_t>(offset));
  return signature;
}

// web3.js docs, web3-eth-accounts `sign`:
// web3.eth.accounts.sign('Some data', '0x4c0883a6...') ->
// https://docs.web3js.org/api/web3-eth-accounts/function/sign
constexpr std::string_view kWeb3jsKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
constexpr std::string_view kWeb3jsMessage = "Some data";
constexpr std::string_view kWeb3jsHash = "0x1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655";
constexpr std::string_view kWeb3jsSignature =
    "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd"
    "6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";
// The account of that key, as eth-account's Account.recover_transaction doctest
// prints it (ethereum/eth-account, eth_account/account.py).
constexpr std::string_view kWeb3jsAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";

// Hardhat / Foundry anvil default account #0 (printed by `npx hardhat node` and `anvil`).
constexpr std::string_view kHardhatKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr std::string_view kHardhatAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

// ---------------------------------------------------------------- EIP-191 digest

// EIP-191 version 0x45 prefix "\x19Ethereum Signed Message:\n" (octal \031 = 0x19).
constexpr std::string_view kEip191PrefixText = "\031Ethereum Signed Message:\n";

TEST(Eip191MessageHash, MatchesWeb3jsAccountsSignExample) {
  EXPECT_EQ(eip191_message_hash(text_bytes(kWeb3jsMessage)), fixed_hex<Hash32>(kWeb3jsHash));
}

TEST(Eip191MessageHash, MatchesWeb3jsSigningGuideExample) {
  // web3.js guide "Signing operations" (https://docs.web3js.org/guides/wallet/signing):
  // account.sign('hello world').messageHash.
  EXPECT_EQ(eip191_message_hash(text_bytes("hello world")),
            fixed_hex<Hash32>("0xd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68"));
}

TEST(Eip191MessageHash, LengthIsTheDecimalByteCount) {
  // EIP-191 version 0x45: "\x19Ethereum Signed Message:\n" + len(message) + message, len in
  // decimal bytes. Lengths at each digit-count boundary, including the empty message.
  for (std::size_t length : {0u, 9u, 10u, 99u, 100u, 1000u}) {
    const Bytes message(length, 0xab);
    Bytes preimage = text_bytes(std::string(kEip191PrefixText) + std::to_string(length));
    preimage.insert(preimage.end(), message.begin(), message.end());
    EXPECT_EQ(eip191_message_hash(message), keccak256(ByteSpan(preimage))) << "length " << length;
  }
}

TEST(Eip191MessageHash, Utf8MessageCountsBytesNotCharacters) {
  // "Привет": 6 characters, 12 UTF-8 bytes; the prefix must say 12 (EIP-191, ethers hashMessage).
  const Bytes message = text_bytes("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
  Bytes preimage = text_bytes(std::string(kEip191PrefixText) + "12");
  preimage.insert(preimage.end(), message.begin(), message.end());
  EXPECT_EQ(eip191_message_hash(message), keccak256(ByteSpan(preimage)));
}

// ---------------------------------------------------------------- recovery, published vectors

TEST(RecoverSigner, Web3jsDocsSignatureRecoversDocumentedAccount) {
  const auto signer = recover_eip191_signer(text_bytes(kWeb3jsMessage), hex_bytes(kWeb3jsSignature));
  ASSERT_TRUE(signer.has_value()) << signer.error().message;
  EXPECT_EQ(*signer, evm(kWeb3jsAddress));
  // The same through the digest entry point.
  const auto by_digest = recover_signer(fixed_hex<Hash32>(kWeb3jsHash), hex_bytes(kWeb3jsSignature));
  ASSERT_TRUE(by_digest.has_value());
  EXPECT_EQ(*by_digest, evm(kWeb3jsAddress));
}

TEST(RecoverSigner, PrivateKeysMapToPublishedAddresses) {
  EXPECT_EQ(address_of_private_key(hex_bytes(kWeb3jsKey)), evm(kWeb3jsAddress));
  EXPECT_EQ(address_of_private_key(hex_bytes(kHardhatKey)), evm(kHardhatAddress));
}

TEST(RecoverSigner, LibsecpSignatureEqualsWeb3jsDocsSignature) {
  // Both sides use RFC 6979 nonces and low s, so libsecp256k1 reproduces the web3.js
  // docs signature byte for byte.
  const Bytes signature =
      sign_recoverable(eip191_message_hash(text_bytes(kWeb3jsMessage)), hex_bytes(kWeb3jsKey));
  EXPECT_EQ(to_hex(signature), kWeb3jsSignature);
}

TEST(RecoverSigner, SignAndRecoverWeb3jsKey) {
  const Bytes message = text_bytes("chainsyncd login nonce 42");
  const Bytes signature = sign_recoverable(eip191_message_hash(message), hex_bytes(kWeb3jsKey));
  const auto signer = recover_eip191_signer(message, signature);
  ASSERT_TRUE(signer.has_value()) << signer.error().message;
  EXPECT_EQ(*signer, evm(kWeb3jsAddress));
}

TEST(RecoverSigner, SignAndRecoverHardhatAccount0) {
  for (std::string_view text : {"", "hello world",
                                "a longer message that is more than one hundred bytes long, "
                                "so that its length prefix has three decimal digits ..."}) {
    const Bytes message = text_bytes(text);
    const Bytes signature = sign_recoverable(eip191_message_hash(message), hex_bytes(kHardhatKey));
    const auto signer = recover_eip191_signer(message, signature);
    ASSERT_TRUE(signer.has_value()) << signer.error().message;
    EXPECT_EQ(*signer, evm(kHardhatAddress)) << "message '" << text << "'";
  }
}

// ---------------------------------------------------------------- v, length, r and s bounds

TEST(RecoverSigner, VZeroAndOneEqualTwentySevenAndTwentyEight) {
  // ethers Signature.getNormalizedV: 0 -> 27, 1 -> 28.
  const Bytes docs = hex_bytes(kWeb3jsSignature);  // v = 28
  const auto legacy = recover_eip191_signer(text_bytes(kWeb3jsMessage), docs);
  const auto bare = recover_eip191_signer(text_bytes(kWeb3jsMessage), with_v(docs, 1));
  ASSERT_TRUE(legacy.has_value());
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(*bare, *legacy);
  // The other parity recovers a different key, with 27 and 0 alike.
  const auto other27 = recover_eip191_signer(text_bytes(kWeb3jsMessage), with_v(docs, 27));
  const auto other0 = recover_eip191_signer(text_bytes(kWeb3jsMessage), with_v(docs, 0));
  ASSERT_TRUE(other27.has_value());
  ASSERT_TRUE(other0.has_value());
  EXPECT_EQ(*other27, *other0);
  EXPECT_NE(*other27, *legacy);
}

TEST(RecoverSigner, RejectsVOutsideTheFourAcceptedValues) {
  const Bytes docs = hex_bytes(kWeb3jsSignature);
  // One past each accepted range (26, 29; 2), the unused recovery ids 2/3 as 29/30,
  // EIP-155 transaction v values (35, 37) and the extremes.
  for (int v : {2, 3, 26, 29, 30, 35, 37, 127, 255}) {
    const auto result =
        recover_eip191_signer(text_bytes(kWeb3jsMessage), with_v(docs, static_cast<std::uint8_t>(v)));
    ASSERT_FALSE(result.has_value()) << "v = " << v;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().message, "signature: v = " + std::to_string(v) + " is not one of 27, 28, 0, 1");
  }
}

TEST(RecoverSigner, RejectsLengthOtherThan65) {
  const Bytes docs = hex_bytes(kWeb3jsSignature);
  for (std::size_t length : {0u, 1u, 64u, 66u, 130u}) {
    Bytes signature = docs;
    signature.resize(length, 0x1c);
    const auto result = recover_eip191_signer(text_bytes(kWeb3jsMessage), signature);
    ASSERT_FALSE(result.has_value()) << "length " << length;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().message,
              "signature: expected 65 bytes (r ‖ s ‖ v), got " + std::to_string(length));
  }
}

TEST(RecoverSigner, RejectsZeroROrS) {
  const Bytes docs = hex_bytes(kWeb3jsSignature);
  const std::array<std::uint8_t, 32> zero{};
  const auto zero_r = recover_eip191_signer(text_bytes(kWeb3jsMessage), with_scalar(docs, 0, zero));
  ASSERT_FALSE(zero_r.has_value());
  EXPECT_EQ(zero_r.error().code, ErrorCode::kVerificationFailed);
  EXPECT_EQ(zero_r.error().message, "signature: no public key recovers: r is zero");
  const auto zero_s = recover_eip191_signer(text_bytes(kWeb3jsMessage), with_scalar(docs, 32, zero));
  ASSERT_FALSE(zero_s.has_value());
  EXPECT_EQ(zero_s.error().code, ErrorCode::kVerificationFailed);
  EXPECT_EQ(zero_s.error().message, "signature: no public key recovers: s is zero");
}

TEST(RecoverSigner, RejectsScalarsAtOrAboveTheOrder) {
  const Bytes docs = hex_bytes(kWeb3jsSignature);
  const Bytes message = text_bytes(kWeb3jsMessage);
  const auto n = to_be32(order_n());
  const auto all_ones = to_be32((cpp_int(1) << 256) - 1);

  const auto s_is_n = recover_eip191_signer(message, with_scalar(docs, 32, n));
  ASSERT_FALSE(s_is_n.has_value());
  EXPECT_EQ(s_is_n.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s_is_n.error().message, "signature: s = " + to_hex(n) + " is not below the secp256k1 order n");

  const auto r_is_n = recover_eip191_signer(message, with_scalar(docs, 0, n));
  ASSERT_FALSE(r_is_n.has_value());
  EXPECT_EQ(r_is_n.error().message, "signature: r = " + to_hex(n) + " is not below the secp256k1 order n");

  const auto s_max = recover_eip191_signer(message, with_scalar(docs, 32, all_ones));
  ASSERT_FALSE(s_max.has_value());
  EXPECT_EQ(s_max.error().code, ErrorCode::kInvalidArgument);

  // One below the bound: s = n - 1 is a valid scalar; some key recovers, not the signer.
  const auto s_below = recover_eip191_signer(message, with_scalar(docs, 32, to_be32(order_n() - 1)));
  ASSERT_TRUE(s_below.has_value()) << s_below.error().message;
  EXPECT_NE(*s_below, evm(kWeb3jsAddress));
}

TEST(RecoverSigner, RejectsRThatIsNoCurvePointX) {
  // Euler's criterion (cpp_int as the oracle): x is a point's x-coordinate iff
  // x^3 + 7 is a square mod p. Take the smallest x that is not, and the smallest that is.
  const cpp_int p = prime_p();
  const cpp_int half = (p - 1) / 2;
  cpp_int not_on_curve = 0;
  cpp_int on_curve = 0;
  for (cpp_int x = 1; not_on_curve == 0 || on_curve == 0; ++x) {
    const bool square = powm(cpp_int(x * x * x + 7), half, p) == 1;
    if (square && on_curve == 0) on_curve = x;
    if (!square && not_on_curve == 0) not_on_curve = x;
  }
  const Bytes docs = hex_bytes(kWeb3jsSignature);
  const auto rejected =
      recover_eip191_signer(text_bytes(kWeb3jsMessage), with_scalar(docs, 0, to_be32(not_on_curve)));
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().code, ErrorCode::kVerificationFailed);
  EXPECT_EQ(rejected.error().message,
            "signature: no public key recovers: r is not the x-coordinate of a curve point");
  const auto accepted =
      recover_eip191_signer(text_bytes(kWeb3jsMessage), with_scalar(docs, 0, to_be32(on_curve)));
  EXPECT_TRUE(accepted.has_value());
}

TEST(RecoverSigner, AcceptsHighSLikeEcrecover) {
  // (r, n - s, the other parity) is the malleated twin of (r, s, v) and recovers the same key.
  // EIP-2 bans high s in transactions only; the ecrecover precompile (Yellow Paper,
  // appendix E: 0 < s < n) and ethers v5 recoverAddress accept it, and so do we.
  const Bytes docs = hex_bytes(kWeb3jsSignature);
  const cpp_int s = from_be(ByteSpan(docs).subspan(32, 32));
  ASSERT_LE(s, order_n() / 2);  // the published signature is low-s
  Bytes high = with_scalar(docs, 32, to_be32(order_n() - s));
  high[64] = docs[64] == 27 ? 28 : 27;
  const auto signer = recover_eip191_signer(text_bytes(kWeb3jsMessage), high);
  ASSERT_TRUE(signer.has_value()) << signer.error().message;
  EXPECT_EQ(*signer, evm(kWeb3jsAddress));
}

TEST(RecoverSigner, TamperedMessageRecoversADifferentAddress) {
  // ECDSA recovery always yields some key; a changed message yields the wrong one,
  // which the caller's comparison with the expected address catches.
  const auto signer = recover_eip191_signer(text_bytes("Some datA"), hex_bytes(kWeb3jsSignature));
  ASSERT_TRUE(signer.has_value());
  EXPECT_NE(*signer, evm(kWeb3jsAddress));
  Hash32 digest = fixed_hex<Hash32>(kWeb3jsHash);
  digest.bytes[31] ^= 0x01;
  const auto by_digest = recover_signer(digest, hex_bytes(kWeb3jsSignature));
  ASSERT_TRUE(by_digest.has_value());
  EXPECT_NE(*by_digest, evm(kWeb3jsAddress));
}

// ---------------------------------------------------------------- TRON

// TronWeb's own test vectors for signMessageV2 / verifyMessageV2:
// tronprotocol/tronweb, test/testcases/src/sign-message.ts (run by test/utils/message.test.ts).
struct TronWebCase {
  const char* name;
  Bytes message;
  std::string_view message_hash;
  std::string_view private_key;
  std::string_view signature;
  std::string_view address;
};

// ethers id(text) as bytes: keccak256 of the UTF-8 text.
Bytes id_bytes(std::string_view text) {
  const Hash32 hash = keccak256(text);
  return Bytes(hash.bytes.begin(), hash.bytes.end());
}

std::vector<TronWebCase> tronweb_cases() {
  return {
      {"string(\"hello world\")", text_bytes("hello world"),
       "0xcf02daeb2bea196ed5692322a66ed50080ce74ff8cb711199f1b04f3c13bc10d",
       "0000000000000000000000000000000000000000000000000000000000000001",
       "0x0dc0b53d525e0103a6013061cf18e60cf158809149f2b8994a545af65a7004cb"
       "1eeaff560e801ab51b28df5d42549aa024c2aa7e9d34de1e01294b9afb5e6c7e1c",
       "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC"},
      {"bytes(0x47173285...4cb01fad)",
       hex_bytes("0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad"),
       "0x66733cf31ee3f133db9561efdca3d65ba930bdf57fb1af3b6cc0ba4966ecc882",
       "51d1d6047622bca92272d36b297799ecc152dc2ef91b229debf84fc41e8c73ee",
       "0xdc3ffce3ffa792a3c76b9ea6909f715ffed0386bb9be0d1ece2d80bde37c3680"
       "28eed4c9a6fd9608407b224050db7c648a8a7668a7582893efcb2c19d3327b811b",
       "TVEZYjZyemfJoLUdGtzsM2ua1HAnbsNgAF"},
      // message = arrayify(ethers id('0x7f23b5eed5bc7e89f267f339561b2697faab234a2')): the
      // keccak256 of that text, as 32 bytes.
      {"zero-prefixed signature", id_bytes("0x7f23b5eed5bc7e89f267f339561b2697faab234a2"),
       "0xc6bb689ca3663d132c07540d31f46e03b0e4291d990c77083c136a234f079455",
       "59f40af46420081988724249fb743e7597c8ddc1cbbc0738b96ceb1dbb149373",
       "0x4a32ec6cfd034304f6fb45767d98a2414a9ab439a829b60e756c79f7e3c0f4ed"
       "0d1f76d88839a4425146084a6ef3703a2a692fdacc76c80c269268f6ba6df38b1c",
       "TBzEvowPVErmNWVegYMQcurDF3jgHU4VME"},
  };
}

TEST(TronMessageHash, MatchesTronWebTestVectors) {
  for (const TronWebCase& c : tronweb_cases()) {
    EXPECT_EQ(tron_message_hash(c.message), fixed_hex<Hash32>(c.message_hash)) << c.name;
  }
}

TEST(TronMessageHash, DiffersFromEip191) {
  EXPECT_NE(tron_message_hash(text_bytes("hello world")), eip191_message_hash(text_bytes("hello world")));
}

TEST(RecoverTronSigner, RecoversTronWebTestVectorAddresses) {
  for (const TronWebCase& c : tronweb_cases()) {
    const auto signer = recover_tron_signer(c.message, hex_bytes(c.signature));
    ASSERT_TRUE(signer.has_value()) << c.name << ": " << signer.error().message;
    EXPECT_EQ(*signer, parse_tron_address(c.address).value()) << c.name;
    EXPECT_EQ(signer->bytes[0], 0x41) << c.name;
    // The same 20 bytes as the EVM address of the key.
    EXPECT_EQ(to_evm20(*signer), address_of_private_key(hex_bytes(c.private_key))) << c.name;
  }
}

TEST(RecoverTronSigner, LibsecpSignatureEqualsTronWebSignature) {
  // TronWeb signs with ethers SigningKey (RFC 6979, low s), so libsecp256k1 reproduces it.
  for (const TronWebCase& c : tronweb_cases()) {
    const Bytes signature = sign_recoverable(tron_message_hash(c.message), hex_bytes(c.private_key));
    EXPECT_EQ(to_hex(signature), c.signature) << c.name;
  }
}

TEST(RecoverTronSigner, IsTheEvmSignerOverTheTronDigest) {
  const Bytes message = text_bytes("payout batch 7");
  const Bytes signature = sign_recoverable(tron_message_hash(message), hex_bytes(kHardhatKey));
  const auto tron = recover_tron_signer(message, signature);
  const auto evm_signer = recover_signer(tron_message_hash(message), signature);
  ASSERT_TRUE(tron.has_value());
  ASSERT_TRUE(evm_signer.has_value());
  EXPECT_EQ(*tron, tron_address_from_evm20(*evm_signer));
  EXPECT_EQ(to_evm20(*tron), evm(kHardhatAddress));
  // Verified as an EIP-191 message instead, the same signature names someone else.
  const auto as_eip191 = recover_eip191_signer(message, signature);
  ASSERT_TRUE(as_eip191.has_value());
  EXPECT_NE(*as_eip191, evm(kHardhatAddress));
}

TEST(RecoverTronSigner, PassesErrorsThrough) {
  const auto short_sig = recover_tron_signer(text_bytes("x"), Bytes(64, 0x01));
  ASSERT_FALSE(short_sig.has_value());
  EXPECT_EQ(short_sig.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_sig.error().message, "signature: expected 65 bytes (r ‖ s ‖ v), got 64");
  const auto bad_v = recover_tron_signer(text_bytes("x"), with_v(Bytes(65, 0x01), 29));
  ASSERT_FALSE(bad_v.has_value());
  EXPECT_EQ(bad_v.error().message, "signature: v = 29 is not one of 27, 28, 0, 1");
}

// ---------------------------------------------------------------- ed25519

// RFC 8032, section 7.1 "Test Vectors for Ed25519".
struct Ed25519Case {
  const char* name;
  std::string_view public_key;
  std::string_view message;
  std::string_view signature;
};

constexpr Ed25519Case kRfc8032Cases[] = {
    {"TEST 1 (empty message)", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f"
     "0595bbe24"
     "655141438e7a100b"},
    {"TEST 2 (one byte 0x72)", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2ea"
     "eb4302aeeb0"
     "0d291612bb0c00"},
    {"TEST 3 (two bytes 0xaf82)", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e"
     "9716ed28dc0"
     "27beceea1ec40a"},
};

using Ed25519Key = std::array<std::uint8_t, 32>;
using Ed25519Sig = std::array<std::uint8_t, 64>;

Ed25519Key ed_key(std::string_view text) {
  Ed25519Key out{};
  EXPECT_TRUE(from_hex_exact(text, out).has_value());
  return out;
}

Ed25519Sig ed_sig(std::string_view text) {
  Ed25519Sig out{};
  EXPECT_TRUE(from_hex_exact(text, out).has_value());
  return out;
}

TEST(VerifyEd25519, Rfc8032VectorsVerify) {
  for (const Ed25519Case& c : kRfc8032Cases) {
    EXPECT_TRUE(verify_ed25519(ed_key(c.public_key), hex_bytes(c.message), ed_sig(c.signature))) << c.name;
  }
}

TEST(VerifyEd25519, FlippedSignatureBitFails) {
  for (const Ed25519Case& c : kRfc8032Cases) {
    // A bit in R (byte 0) and a bit in S (byte 40).
    for (std::size_t index : {0u, 40u, 63u}) {
      Ed25519Sig signature = ed_sig(c.signature);
      signature[index] ^= 0x01;
      EXPECT_FALSE(verify_ed25519(ed_key(c.public_key), hex_bytes(c.message), signature))
          << c.name << " byte " << index;
    }
  }
}

TEST(VerifyEd25519, ChangedMessageFails) {
  // TEST 2's signature over 0x72 does not cover 0x73, nor TEST 1's over the empty message one byte.
  EXPECT_FALSE(verify_ed25519(ed_key(kRfc8032Cases[1].public_key), hex_bytes("73"),
                              ed_sig(kRfc8032Cases[1].signature)));
  EXPECT_FALSE(verify_ed25519(ed_key(kRfc8032Cases[0].public_key), hex_bytes("00"),
                              ed_sig(kRfc8032Cases[0].signature)));
}

TEST(VerifyEd25519, WrongKeyFails) {
  // TEST 1's signature under TEST 2's key, and TEST 2's under TEST 1's.
  EXPECT_FALSE(verify_ed25519(ed_key(kRfc8032Cases[1].public_key), hex_bytes(kRfc8032Cases[0].message),
                              ed_sig(kRfc8032Cases[0].signature)));
  EXPECT_FALSE(verify_ed25519(ed_key(kRfc8032Cases[0].public_key), hex_bytes(kRfc8032Cases[1].message),
                              ed_sig(kRfc8032Cases[1].signature)));
}

TEST(VerifyEd25519, RejectsNonCanonicalS) {
  // RFC 8032 section 5.1.7: S must be below L. S + L satisfies the verification
  // equation but is the malleated form and must fail.
  const Ed25519Case& c = kRfc8032Cases[1];
  Ed25519Sig signature = ed_sig(c.signature);
  std::array<std::uint8_t, 32> s_le{};
  std::copy(signature.begin() + 32, signature.end(), s_le.begin());
  const std::array<std::uint8_t, 32> s_be = [&] {
    std::array<std::uint8_t, 32> be{};
    std::reverse_copy(s_le.begin(), s_le.end(), be.begin());
    return be;
  }();
  const cpp_int s = from_be(s_be);
  ASSERT_LT(s, ed25519_order_l());
  const auto malleated_be = to_be32(s + ed25519_order_l());
  std::reverse_copy(malleated_be.begin(), malleated_be.end(), signature.begin() + 32);
  EXPECT_FALSE(verify_ed25519(ed_key(c.public_key), hex_bytes(c.message), signature));
}

TEST(VerifyEd25519, AllZeroKeyAndSignatureFail) {
  // The identity point as key and R is small-order; libsodium rejects it.
  EXPECT_FALSE(verify_ed25519(Ed25519Key{}, Bytes{}, Ed25519Sig{}));
}

}  // namespace
}  // namespace csd
