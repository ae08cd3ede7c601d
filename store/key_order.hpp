// Ordering of fixed-size big-endian keys (addresses, encoded ledger keys) as
// unsigned 64-bit words: a batch sorts thousands of them, and a compare of
// 20–33 bytes a word at a time costs a few instructions where memcmp through
// a call, or the byte-wise compare of std::array, costs tens.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace csd::key_order {

[[nodiscard]] inline std::uint64_t load_be64(const std::uint8_t* bytes) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof(word));
  if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
  return word;
}

// Whether the N bytes at `a` sort before the N bytes at `b` (as memcmp(a, b, N) < 0).
template <std::size_t N>
[[nodiscard]] inline bool less(const std::uint8_t* a, const std::uint8_t* b) noexcept {
  std::size_t at = 0;
  for (; at + 8 <= N; at += 8) {
    const std::uint64_t x = load_be64(a + at);
    const std::uint64_t y = load_be64(b + at);
    if (x != y) return x < y;
  }
  for (; at < N; ++at) {
    if (a[at] != b[at]) return a[at] < b[at];
  }
  return false;
}

// The N bytes of a key as native 64-bit words, the last one zero-padded at
// its low end, so words compare as the bytes do (memcmp). A batch's sort
// loads each key once and then compares integers held in its elements,
// instead of bytes behind a pointer on every compare.
template <std::size_t N>
struct WordKey {
  std::array<std::uint64_t, (N + 7) / 8> words{};

  [[nodiscard]] static WordKey load(const std::uint8_t* bytes) noexcept {
    WordKey key;
    std::size_t at = 0;
    for (std::size_t i = 0; at + 8 <= N; ++i, at += 8) key.words[i] = load_be64(bytes + at);
    for (std::size_t shift = 56; at < N; ++at, shift -= 8)
      key.words.back() |= static_cast<std::uint64_t>(bytes[at]) << shift;
    return key;
  }
  [[nodiscard]] friend bool operator<(const WordKey& a, const WordKey& b) noexcept {
    for (std::size_t i = 0; i < a.words.size(); ++i) {
      if (a.words[i] != b.words[i]) return a.words[i] < b.words[i];
    }
    return false;
  }
};

}  // namespace csd::key_order
