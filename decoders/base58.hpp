// Base58 with the Bitcoin alphabet (also Solana's and TRON's), and base58check
// (payload ‖ first 4 bytes of double SHA-256). Each leading zero byte is one
// leading '1'. The codec is quadratic in its input, so decoding takes a cap on
// the text length and rejects longer text before doing any work.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"

namespace csd {

// Default cap on the text decoded: far above any address (Solana 44, TRON 34)
// yet small enough that the quadratic decode stays cheap.
inline constexpr std::size_t kBase58DefaultMaxText = 256;

[[nodiscard]] std::string base58_encode(ByteSpan bytes);

// Errors: text longer than max_text (kOutOfRange) or a character outside the
// alphabet, named with its position (kInvalidArgument).
[[nodiscard]] Result<Bytes> base58_decode(std::string_view text,
                                          std::size_t max_text = kBase58DefaultMaxText);

[[nodiscard]] std::string base58check_encode(ByteSpan payload);

// Returns the payload without its checksum. Errors: those of base58_decode,
// fewer than 4 decoded bytes (kMalformed), checksum mismatch (kVerificationFailed).
[[nodiscard]] Result<Bytes> base58check_decode(std::string_view text,
                                               std::size_t max_text = kBase58DefaultMaxText);

}  // namespace csd
