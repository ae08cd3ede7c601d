// A hash table keyed by EVM address with the values in its slots (open
// addressing, linear probing, at most half full). The writer looks up account
// totals for every transfer: a node-based std::unordered_map chases a bucket
// and a node per lookup, and those cache misses were ~5 % of ingest's wall
// time (docs/store.md, "Ingest cost"). An insert may move every entry, so a
// pointer or reference into the table lasts until the next insert, unless
// reserve() made room first.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "decoders/bytes.hpp"

namespace csd::store_derive {

template <class Value>
class AddressTable {
 public:
  struct Slot {
    EvmAddress address;
    bool used = false;
    Value value{};
  };

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  // The value of `address`, or nullptr.
  [[nodiscard]] const Value* find(const EvmAddress& address) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = first_slot(address);; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (!slot.used) return nullptr;  // at most half full: a free slot ends every probe
      if (same(slot.address, address)) return &slot.value;
    }
  }
  [[nodiscard]] Value* find(const EvmAddress& address) noexcept {
    return const_cast<Value*>(static_cast<const AddressTable&>(*this).find(address));
  }

  // The value of `address`, inserted as `initial` when absent.
  template <class V>
  Value& insert(const EvmAddress& address, V&& initial) {
    reserve(size_ + 1);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = first_slot(address);; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (!slot.used) {
        slot.address = address;
        slot.used = true;
        slot.value = std::forward<V>(initial);
        ++size_;
        return slot.value;
      }
      if (same(slot.address, address)) return slot.value;
    }
  }
  template <class V>
  void insert_or_assign(const EvmAddress& address, V&& value) {
    if (Value* found = find(address)) {
      *found = std::forward<V>(value);
      return;
    }
    insert(address, std::forward<V>(value));
  }

  // Room for `count` entries: inserts up to that size move nothing.
  void reserve(std::size_t count) {
    if (2 * count <= slots_.size()) return;
    std::size_t capacity = kMinSlots;
    while (capacity < 2 * count) capacity *= 2;
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
    size_ = 0;
    for (Slot& slot : old) {
      if (slot.used) insert(slot.address, std::move(slot.value));
    }
  }

  void clear() noexcept {
    slots_.clear();
    size_ = 0;
  }

  // Calls fn(address, value) for every entry, in no particular order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& slot : slots_) {
      if (slot.used) fn(slot.address, slot.value);
    }
  }

 private:
  static constexpr std::size_t kMinSlots = 64;

  static bool same(const EvmAddress& a, const EvmAddress& b) noexcept {
    return std::memcmp(a.data(), b.data(), EvmAddress::kSize) == 0;
  }
  // The top bits of the address's words mixed by multiplying with the golden
  // ratio (Fibonacci hashing): they depend on every byte, so addresses that
  // differ in one byte anywhere spread (keccak outputs do anyway; test
  // addresses share long runs of equal bytes).
  std::size_t first_slot(const EvmAddress& address) const noexcept {
    constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
    std::uint64_t words[3] = {};
    std::memcpy(&words[0], address.data(), 8);
    std::memcpy(&words[1], address.data() + 8, 8);
    std::memcpy(&words[2], address.data() + EvmAddress::kSize - 8, 8);
    std::uint64_t mixed = (words[0] ^ std::rotl(words[1], 32)) * kGolden;
    mixed = (mixed ^ (mixed >> 29) ^ words[2]) * kGolden;
    const auto bits = static_cast<unsigned>(std::countr_zero(slots_.size()));
    return static_cast<std::size_t>(mixed >> (64 - bits));
  }

  std::vector<Slot> slots_;  // empty, or a power of two at most half full
  std::size_t size_ = 0;
};

}  // namespace csd::store_derive
