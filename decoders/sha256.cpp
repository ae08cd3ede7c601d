#include "decoders/sha256.hpp"

#include <new>

#include <sodium.h>

namespace csd {
namespace {

static_assert(sizeof(crypto_hash_sha256_state) == 104, "Sha256::kStateSize must match libsodium");
static_assert(alignof(crypto_hash_sha256_state) <= 8,
              "Sha256 storage alignment must cover libsodium's state");

crypto_hash_sha256_state* as_state(std::array<std::uint8_t, 104>& storage) noexcept {
  return std::launder(reinterpret_cast<crypto_hash_sha256_state*>(storage.data()));
}

const unsigned char* as_uchars(const char* text) noexcept {
  return reinterpret_cast<const unsigned char*>(text);
}

}  // namespace

Sha256::Sha256() noexcept {
  ::new (static_cast<void*>(state_.data())) crypto_hash_sha256_state{};
  crypto_hash_sha256_init(as_state(state_));
}

void Sha256::update(ByteSpan data) noexcept {
  crypto_hash_sha256_update(as_state(state_), data.data(), data.size());
}

void Sha256::update(std::string_view text) noexcept {
  crypto_hash_sha256_update(as_state(state_), as_uchars(text.data()), text.size());
}

Hash32 Sha256::finalize() noexcept {
  Hash32 out;
  crypto_hash_sha256_final(as_state(state_), out.data());
  crypto_hash_sha256_init(as_state(state_));
  return out;
}

Hash32 sha256(ByteSpan data) noexcept {
  Hash32 out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Hash32 sha256(std::string_view text) noexcept {
  Hash32 out;
  crypto_hash_sha256(out.data(), as_uchars(text.data()), text.size());
  return out;
}

Hash32 double_sha256(ByteSpan data) noexcept {
  const Hash32 first = sha256(data);
  return sha256(ByteSpan(first.bytes));
}

}  // namespace csd
