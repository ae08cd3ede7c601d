// store_derive::AddressTable (store/address_table.hpp): the writer's hash
// table of account totals by address. Checked against std::map on addresses
// that differ in one byte anywhere (the cases a weak hash would pile into one
// probe chain), through several doublings; reserve() keeps references valid.
#include "store/address_table.hpp"

#include <map>
#include <random>

#include <gtest/gtest.h>

namespace csd {
namespace {

using store_derive::AddressTable;

EvmAddress with_byte(std::size_t at, std::uint8_t value) {
  EvmAddress address;
  address.bytes[at] = value;
  return address;
}

TEST(AddressTable, EmptyFindsNothing) {
  const AddressTable<int> table;
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.find(EvmAddress{}), nullptr);
}

TEST(AddressTable, InsertKeepsTheFirstValueInsertOrAssignReplacesIt) {
  AddressTable<int> table;
  EXPECT_EQ(table.insert(with_byte(0, 1), 5), 5);
  EXPECT_EQ(table.insert(with_byte(0, 1), 9), 5);  // present: the stored value
  table.insert_or_assign(with_byte(0, 1), 7);
  ASSERT_NE(table.find(with_byte(0, 1)), nullptr);
  EXPECT_EQ(*table.find(with_byte(0, 1)), 7);
  EXPECT_EQ(table.size(), 1U);
  table.insert(with_byte(0, 1), 0) = 11;  // the reference is the stored value
  EXPECT_EQ(*table.find(with_byte(0, 1)), 11);
}

TEST(AddressTable, AgreesWithAMapThroughGrowth) {
  AddressTable<std::uint64_t> table;
  std::map<EvmAddress, std::uint64_t> expected;
  std::mt19937_64 rng(42);
  for (std::size_t at = 0; at < EvmAddress::kSize; ++at) {
    for (unsigned value = 1; value < 256; ++value) {
      const EvmAddress address = with_byte(at, static_cast<std::uint8_t>(value));
      const std::uint64_t v = rng();
      table.insert_or_assign(address, v);
      expected[address] = v;
    }
  }
  for (int i = 0; i < 2000; ++i) {  // random addresses, some replaced twice
    EvmAddress address;
    for (auto& b : address.bytes) b = static_cast<std::uint8_t>(rng() % 4);
    const std::uint64_t v = rng();
    table.insert_or_assign(address, v);
    expected[address] = v;
  }
  ASSERT_EQ(table.size(), expected.size());
  for (const auto& [address, value] : expected) {
    const std::uint64_t* found = table.find(address);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, value);
  }
  std::size_t visited = 0;
  table.for_each([&](const EvmAddress& address, const std::uint64_t& value) {
    ++visited;
    EXPECT_EQ(expected.at(address), value);
  });
  EXPECT_EQ(visited, expected.size());
  EXPECT_EQ(table.find(with_byte(19, 0)), nullptr);  // the all-zero address was never inserted
  table.clear();
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.find(with_byte(0, 1)), nullptr);
}

TEST(AddressTable, ReserveKeepsReferencesValidForThatManyInserts) {
  AddressTable<int> table;
  for (unsigned i = 1; i <= 31; ++i) table.insert(with_byte(5, static_cast<std::uint8_t>(i)), 1);
  table.reserve(table.size() + 2);
  int& first = table.insert(with_byte(7, 1), 100);  // 32 entries: full at the minimum size
  table.insert(with_byte(7, 2), 200);
  first += 1;  // still the stored value
  EXPECT_EQ(*table.find(with_byte(7, 1)), 101);
  EXPECT_EQ(*table.find(with_byte(7, 2)), 200);
  EXPECT_EQ(table.size(), 33U);
}

}  // namespace
}  // namespace csd
