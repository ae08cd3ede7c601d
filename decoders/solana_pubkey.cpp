#include "decoders/solana_pubkey.hpp"

#include <algorithm>

#include "decoders/base58.hpp"

namespace csd {

Result<SolanaPubkey> parse_solana_pubkey(std::string_view text) {
  if (text.empty()) return make_error(ErrorCode::kInvalidArgument, "solana pubkey: empty text");
  if (text.size() > kSolanaPubkeyMaxText) {
    return make_error(ErrorCode::kInvalidArgument,
                      "solana pubkey: " + std::to_string(text.size()) + " characters, at most 44 allowed");
  }
  auto decoded = base58_decode(text, kSolanaPubkeyMaxText);
  if (!decoded) return with_context(std::move(decoded).error(), "solana pubkey");
  if (decoded->size() != SolanaPubkey::kSize) {
    return make_error(ErrorCode::kMalformed,
                      "solana pubkey: decodes to " + std::to_string(decoded->size()) + " bytes, expected 32");
  }
  SolanaPubkey out;
  std::copy(decoded->begin(), decoded->end(), out.bytes.begin());
  return out;
}

std::string to_base58(const SolanaPubkey& key) {
  return base58_encode(key.span());
}

}  // namespace csd
