// Shared by the store's packed BLOB formats (raw_pack, ledger_chunk,
// account_pages): big-endian integers, fixed-size byte strings and minimal
// 256-bit amounts, written by appending and read by a bounds-checked reader
// whose errors name the BLOB, the offset and the field.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"
#include "store/key_order.hpp"

namespace csd::pack {

// The put_* writers over a fixed buffer, for a record whose largest size is
// known: no capacity check per byte. REQUIRES: the buffer holds what is put.
class Sink {
 public:
  explicit Sink(std::span<std::uint8_t> buffer) noexcept : buffer_(buffer) {}
  // A Sink over `bytes` bytes appended to `out` (valid until `out` changes).
  [[nodiscard]] static Sink append_to(Bytes& out, std::size_t bytes) {
    const std::size_t at = out.size();
    out.resize(at + bytes);
    return Sink(std::span<std::uint8_t>(out).subspan(at));
  }
  void put_byte(std::uint8_t byte) noexcept { buffer_[at_++] = byte; }
  void put_be(std::uint64_t value, int bytes) noexcept {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
      put_byte(static_cast<std::uint8_t>(value >> shift));
  }
  template <std::size_t N, class Tag>
  void put_fixed(const FixedBytes<N, Tag>& value) noexcept {
    std::copy(value.bytes.begin(), value.bytes.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(at_));
    at_ += N;
  }
  void put_bytes(const std::uint8_t* bytes, std::size_t n) noexcept {
    std::memcpy(buffer_.data() + at_, bytes, n);
    at_ += n;
  }
  // A 32-byte big-endian word as a length byte n ≤ 32 and its last n bytes,
  // its leading zero bytes left out (an amount, an address in a topic).
  void put_word(const std::uint8_t* word) noexcept {
    std::size_t zeros = 0;
    for (std::size_t at = 0; at < 32; at += 8) {
      const std::uint64_t part = key_order::load_be64(word + at);
      if (part != 0) {
        zeros += static_cast<std::size_t>(std::countl_zero(part)) / 8;
        break;
      }
      zeros += 8;
    }
    put_byte(static_cast<std::uint8_t>(32 - zeros));
    put_bytes(word + zeros, 32 - zeros);
  }
  void put_amount(const U256& amount) noexcept {
    const auto bytes = amount.to_be_bytes();
    put_word(bytes.data());
  }
  // LEB128: 7 bits per byte, least significant first, the top bit set on every
  // byte but the last. Minimal: no trailing 0x80…00 padding (the reader refuses it).
  void put_varint(std::uint64_t value) noexcept {
    while (value >= 0x80) {
      put_byte(static_cast<std::uint8_t>(value | 0x80));
      value >>= 7;
    }
    put_byte(static_cast<std::uint8_t>(value));
  }
  [[nodiscard]] std::size_t size() const noexcept { return at_; }

 private:
  std::span<std::uint8_t> buffer_;
  std::size_t at_ = 0;
};

// The bytes Sink::put_amount and Sink::put_varint write for a value.
[[nodiscard]] inline std::size_t amount_size(const U256& amount) noexcept {
  for (std::size_t i = 4; i-- > 0;) {
    if (amount.limbs[i] != 0)
      return 1 + 8 * i + static_cast<std::size_t>(std::bit_width(amount.limbs[i]) + 7) / 8;
  }
  return 1;
}
[[nodiscard]] inline std::size_t varint_size(std::uint64_t value) noexcept {
  return value < 0x80 ? 1 : static_cast<std::size_t>(std::bit_width(value) + 6) / 7;
}

// Appending forms of the Sink's writers. REQUIRES (put_be): bytes ≤ 8.
inline void put_be(Bytes& out, std::uint64_t value, int bytes) {
  std::array<std::uint8_t, 8> buffer;
  Sink sink(buffer);
  sink.put_be(value, bytes);
  out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(sink.size()));
}

template <std::size_t N, class Tag>
void put_fixed(Bytes& out, const FixedBytes<N, Tag>& value) {
  out.insert(out.end(), value.bytes.begin(), value.bytes.end());
}

inline void put_amount(Bytes& out, const U256& amount) {
  std::array<std::uint8_t, 33> buffer;
  Sink sink(buffer);
  sink.put_amount(amount);
  out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(sink.size()));
}

inline void put_varint(Bytes& out, std::uint64_t value) {
  std::array<std::uint8_t, 10> buffer;
  Sink sink(buffer);
  sink.put_varint(value);
  out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(sink.size()));
}

class Reader {
 public:
  // `what` names the BLOB in errors ("raw_block of block 7"); it must outlive the reader.
  Reader(ByteSpan input, std::string_view what) noexcept : input_(input), what_(what) {}

  [[nodiscard]] bool done() const noexcept { return at_ == input_.size(); }
  [[nodiscard]] std::size_t offset() const noexcept { return at_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return input_.size() - at_; }

  Result<ByteSpan> take(std::size_t n, const char* field) {
    if (input_.size() - at_ < n) {
      return malformed(std::string(field) + " needs " + std::to_string(n) + " bytes, " +
                       std::to_string(input_.size() - at_) + " left");
    }
    const ByteSpan out = input_.subspan(at_, n);
    at_ += n;
    return out;
  }
  Result<std::uint64_t> take_be(int bytes, const char* field) {
    auto raw = take(static_cast<std::size_t>(bytes), field);
    if (!raw) return std::move(raw).error();
    std::uint64_t value = 0;
    for (std::uint8_t b : *raw) value = (value << 8) | b;
    return value;
  }
  template <class Fixed>
  Result<Fixed> take_fixed(const char* field) {
    auto raw = take(Fixed::kSize, field);
    if (!raw) return std::move(raw).error();
    return Fixed::from(raw->template first<Fixed::kSize>());
  }
  // A word (Sink::put_word) into `out`'s 32 bytes.
  Status take_word(std::uint8_t* out, const char* field) {
    auto length = take(1, field);
    if (!length) return std::move(length).error();
    const std::size_t n = (*length)[0];
    if (n > 32) return malformed(std::string(field) + " of " + std::to_string(n) + " bytes");
    auto digits = take(n, field);
    if (!digits) return std::move(digits).error();
    if (n > 0 && (*digits)[0] == 0) return malformed(std::string(field) + " with a leading zero byte");
    std::fill(out, out + (32 - n), std::uint8_t{0});
    std::copy(digits->begin(), digits->end(), out + (32 - n));
    return {};
  }
  Result<U256> take_amount(const char* field) {
    std::array<std::uint8_t, 32> be{};
    if (auto status = take_word(be.data(), field); !status) return std::move(status).error();
    return U256::from_be_bytes(be);
  }
  Result<std::uint64_t> take_varint(const char* field) {
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      auto raw = take(1, field);
      if (!raw) return std::move(raw).error();
      const std::uint8_t byte = (*raw)[0];
      const std::uint64_t bits = byte & 0x7F;
      if (shift == 63 && bits > 1) return malformed(std::string(field) + " does not fit 64 bits");
      value |= bits << shift;
      if ((byte & 0x80) == 0) {
        if (byte == 0 && shift > 0) return malformed(std::string(field) + " is not minimally encoded");
        return value;
      }
      if (shift == 63) return malformed(std::string(field) + " does not fit 64 bits");
    }
  }
  // Reads the format byte; an error unless it is `expected`.
  Status expect_format(std::uint8_t expected) {
    auto format = take(1, "format byte");
    if (!format) return std::move(format).error();
    if ((*format)[0] != expected) {
      return malformed("format " + std::to_string((*format)[0]) + ", this binary reads format " +
                       std::to_string(expected));
    }
    return {};
  }

  [[nodiscard]] Error malformed(const std::string& fault) const { return malformed_at(at_, fault); }
  [[nodiscard]] Error malformed_at(std::size_t offset, const std::string& fault) const {
    return make_error(ErrorCode::kMalformed,
                      "store: " + std::string(what_) + ", offset " + std::to_string(offset) + ": " + fault);
  }

 private:
  ByteSpan input_;
  std::string_view what_;
  std::size_t at_ = 0;
};

}  // namespace csd::pack
