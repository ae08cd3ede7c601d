// BSC user states in pages (store/account_pages.hpp): reads and writes
// against a plain map of the same states, page splits, a page lowered for an
// address below every page, removal when empty, open objects, format-1 pages
// still read and rewritten as format 2, and the page codec's errors.
#include "store/account_pages.hpp"

#include <algorithm>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using account_pages::AccountTotals;
using account_pages::UserState;
using account_pages::UserStateMap;
using store_test::evm;
using store_test::id32;
using store_test::TempDir;

UserState totals(U256 received, U256 sent) {
  return UserState{AccountTotals{received, sent}, {}, {}, {}};
}
UserState no_state() {
  return UserState{};
}

// A state with `locks` open locks, a stake and a reservation besides its totals.
UserState with_objects(std::uint64_t seed, std::size_t locks) {
  UserState state = totals(U256(seed), U256(0));
  for (std::size_t i = 0; i < locks; ++i) {
    state.locks.push_back(store_derive::OpenLock{id32(seed * 1000 + i),
                                                 {seed, static_cast<std::uint32_t>(i)},
                                                 id32(7),
                                                 U256(10 + i),
                                                 4'000'000'000,
                                                 "agreement-" + std::to_string(i)});
  }
  state.stakes.push_back(store_derive::OpenStake{
      id32(seed + 1), {seed + 1, 0}, id32(8), -5, 3, U256::max(), std::numeric_limits<std::int64_t>::max()});
  state.reservations.push_back(
      store_derive::OpenReservation{id32(seed + 2),
                                    {seed + 2, 9},
                                    2,
                                    U256(1),
                                    std::numeric_limits<std::uint32_t>::max(),
                                    77,
                                    store_derive::QuotaUse{19'700 + static_cast<std::int64_t>(seed), 12, 3}});
  return state;
}

class AccountPagesTest : public ::testing::Test {
 protected:
  void write(const UserStateMap& updates) {
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(account_pages::write(*txn, account_pages::UserStateList(updates.begin(), updates.end())));
    ASSERT_TRUE(txn->commit());
    for (const auto& [address, state] : updates) {
      if (state.empty()) {
        expected_.erase(address);
      } else {
        expected_[address] = state;
      }
    }
  }
  void expect_stored_equals_expected(std::uint64_t probe_up_to) {
    auto txn = db_.begin_read();
    ASSERT_TRUE(txn);
    EXPECT_EQ(account_pages::read_all(*txn).value(), expected_);
    for (std::uint64_t n = 0; n <= probe_up_to; ++n) {
      auto stored = account_pages::read(*txn, evm(n)).value();
      auto it = expected_.find(evm(n));
      if (it == expected_.end()) {
        EXPECT_FALSE(stored) << n;
      } else {
        ASSERT_TRUE(stored) << n;
        EXPECT_EQ(*stored, it->second) << n;
        EXPECT_EQ(account_pages::read_totals(*txn, evm(n)).value(), it->second.totals) << n;
      }
    }
  }
  std::int64_t pages() { return db_.query_int64("SELECT count(*) FROM account_page").value(); }

  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
  UserStateMap expected_;
};

TEST_F(AccountPagesTest, RandomBatchesMatchAPlainMapAndSplitIntoPages) {
  std::mt19937_64 rng(3);
  for (int batch = 0; batch < 30; ++batch) {
    UserStateMap updates;
    for (int i = 0; i < 200; ++i) {
      const std::uint64_t n = 1 + rng() % 3000;
      const std::uint64_t roll = rng() % 10;
      // One in ten goes back to empty (removed); some amounts are the largest; some hold objects.
      updates[evm(n)] = roll == 0   ? no_state()
                        : roll == 1 ? totals(U256::max(), U256::max() - U256(1))
                        : roll == 2 ? with_objects(n, rng() % 3)
                                    : totals(U256(rng()), U256(rng() % 1000));
    }
    write(updates);
  }
  EXPECT_GT(pages(), 10);
  expect_stored_equals_expected(3001);
  // Every page fits the limit, and pages hold disjoint ascending ranges.
  auto st = db_.prepare("SELECT max(length(packed)) FROM account_page");
  ASSERT_TRUE(st && st->step().value());
  const auto sizing = account_pages::page_sizing(db_.query_int64("PRAGMA page_size").value());
  EXPECT_EQ(sizing.limit, 7600U);  // a new store's 16 KiB pages: two account pages to a b-tree page
  EXPECT_LE(static_cast<std::size_t>(st->column_int64(0)), sizing.limit);
}

TEST_F(AccountPagesTest, AnAddressBelowEveryPageLowersTheFirstPage) {
  write({{evm(500), totals(U256(5), U256(0))}});
  write({{evm(100), totals(U256(1), U256(0))}});
  EXPECT_EQ(pages(), 1);
  expect_stored_equals_expected(600);
}

TEST_F(AccountPagesTest, AnEmptyStateRemovesTheEntryAndAnEmptyPage) {
  write({{evm(1), totals(U256(5), U256(5))}, {evm(2), totals(U256(1), U256(0))}});
  write({{evm(1), no_state()}});
  expect_stored_equals_expected(3);
  write({{evm(2), no_state()}});
  EXPECT_EQ(pages(), 0);
  write({{evm(9), no_state()}});  // removing what is not there changes nothing
  EXPECT_EQ(pages(), 0);
  write({{evm(2), totals(U256(3), U256(0))}});
  expect_stored_equals_expected(10);
}

TEST_F(AccountPagesTest, ZeroTotalsWithAnOpenObjectKeepTheEntry) {
  UserState state = with_objects(4, 1);
  state.totals = AccountTotals{};
  write({{evm(4), state}});
  expect_stored_equals_expected(5);
  state.locks.clear();
  state.stakes.clear();
  state.reservations.clear();
  write({{evm(4), state}});
  EXPECT_EQ(pages(), 0);
}

TEST_F(AccountPagesTest, AStateLargerThanAPageGetsAPageOfItsOwn) {
  UserStateMap updates;
  for (std::uint64_t n = 1; n <= 40; ++n) updates[evm(n)] = totals(U256(n), U256(0));
  updates[evm(20)] = with_objects(20, 200);  // ~25 KiB of open locks
  write(updates);
  expect_stored_equals_expected(41);
  updates.clear();
  updates[evm(21)] = totals(U256(99), U256(1));
  write(updates);
  expect_stored_equals_expected(41);
}

TEST_F(AccountPagesTest, AFormatOnePageIsReadAndRewrittenAsFormatThree) {
  // A schema-4/5 page: address, received, sent per entry.
  Bytes v1 = {account_pages::kPageFormatTotalsOnly};
  for (std::uint64_t n : {std::uint64_t{3}, std::uint64_t{5}}) {
    pack::put_fixed(v1, evm(n));
    pack::put_amount(v1, U256(n * 100));
    pack::put_amount(v1, U256(n));
  }
  auto insert = db_.prepare("INSERT INTO account_page(first_address, packed) VALUES(?1, ?2)");
  ASSERT_TRUE(insert);
  insert->bind_bytes(1, evm(3)).bind_blob(2, v1);
  ASSERT_TRUE(insert->run());
  expected_[evm(3)] = totals(U256(300), U256(3));
  expected_[evm(5)] = totals(U256(500), U256(5));
  expect_stored_equals_expected(6);
  write({{evm(4), with_objects(4, 2)}});
  expect_stored_equals_expected(6);
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM account_page WHERE substr(packed, 1, 1) = x'03'").value(),
            pages());
}

TEST_F(AccountPagesTest, AFormatTwoPageIsReadWithoutQuotaUseAndRewrittenAsFormatThree) {
  // A schema-6 page: states whose reservations have no quota use.
  UserState six = with_objects(6, 2);
  UserState eight = with_objects(8, 1);
  Bytes v2;
  account_pages::encode_page({{evm(6), six}, {evm(8), eight}}, v2, account_pages::kPageFormatNoQuota);
  ASSERT_EQ(v2[0], 2);
  auto insert = db_.prepare("INSERT INTO account_page(first_address, packed) VALUES(?1, ?2)");
  ASSERT_TRUE(insert);
  insert->bind_bytes(1, evm(6)).bind_blob(2, v2);
  ASSERT_TRUE(insert->run());
  for (UserState* state : {&six, &eight}) {
    for (auto& reservation : state->reservations) reservation.quota = {};
  }
  expected_[evm(6)] = six;
  expected_[evm(8)] = eight;
  expect_stored_equals_expected(9);
  write({{evm(7), with_objects(7, 1)}});  // rewrites the page: the others are re-encoded
  expect_stored_equals_expected(9);
  EXPECT_EQ(db_.query_int64("SELECT count(*) FROM account_page WHERE substr(packed, 1, 1) = x'03'").value(),
            pages());
}

TEST_F(AccountPagesTest, ReadAllUpToGivesEveryAccountOrNothingPastTheLimit) {
  UserStateMap updates;
  for (std::uint64_t n = 1; n <= 300; ++n) updates[evm(n)] = totals(U256(n), U256(n + 1));
  write(updates);
  ASSERT_GT(pages(), 1);
  auto txn = db_.begin_write();
  ASSERT_TRUE(txn);
  auto all = account_pages::read_all_up_to(*txn, 300).value();
  ASSERT_TRUE(all);
  EXPECT_EQ(UserStateMap(all->begin(), all->end()), expected_);
  EXPECT_TRUE(std::is_sorted(all->begin(), all->end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));
  EXPECT_FALSE(account_pages::read_all_up_to(*txn, 299).value());
  EXPECT_FALSE(account_pages::read_all_up_to(*txn, 0).value());
}

TEST_F(AccountPagesTest, ACorruptPageIsAnErrorNamingItForReadsAndWrites) {
  write({{evm(1), totals(U256(5), U256(0))}});
  // A format-1 entry whose first amount claims 40 bytes.
  ASSERT_TRUE(db_.exec("UPDATE account_page SET packed = x'01" + std::string(40, '0') + "28' WHERE id = 1"));
  {
    auto txn = db_.begin_read();
    ASSERT_TRUE(txn);
    auto read = account_pages::read(*txn, evm(1));
    ASSERT_FALSE(read);
    EXPECT_NE(read.error().message.find("account_page 1, offset 21"), std::string::npos)
        << read.error().message;
  }
  auto txn = db_.begin_write();
  ASSERT_TRUE(txn);
  const account_pages::UserStateList update = {{evm(2), totals(U256(1), U256(0))}};
  auto status = account_pages::write(*txn, update);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("account_page 1"), std::string::npos) << status.error().message;
}

TEST(AccountPageCodec, RoundTripsAndRefusesBadPages) {
  const account_pages::PageEntries entries = {{evm(1), totals(U256(1), U256(0))},
                                              {evm(2), with_objects(2, 3)},
                                              {evm(3), totals(U256::max(), U256(255))}};
  Bytes page;
  account_pages::encode_page(entries, page);
  EXPECT_EQ(account_pages::decode_page(page, "p").value(), entries);
  for (std::size_t size = 0; size < page.size(); ++size) {
    auto cut = account_pages::decode_page(ByteSpan(page).first(size), "page 4");
    if (cut) continue;  // a cut between entries is a shorter valid page
    EXPECT_NE(cut.error().message.find("page 4, offset"), std::string::npos) << cut.error().message;
  }
  Bytes unsorted;
  account_pages::encode_page({entries[1], entries[0]}, unsorted);
  EXPECT_FALSE(account_pages::decode_page(unsorted, "p"));
  Bytes empty;
  account_pages::encode_page({{evm(1), no_state()}}, empty);
  auto refused = account_pages::decode_page(empty, "p");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("empty"), std::string::npos);
  // Objects out of (block, log_index) order.
  UserState swapped = with_objects(9, 2);
  std::swap(swapped.locks[0], swapped.locks[1]);
  Bytes disordered;
  account_pages::encode_page({{evm(9), swapped}}, disordered);
  auto out_of_order = account_pages::decode_page(disordered, "p");
  ASSERT_FALSE(out_of_order);
  EXPECT_NE(out_of_order.error().message.find("ascending (block, log_index)"), std::string::npos)
      << out_of_order.error().message;
  Bytes future = page;
  future[0] = 4;
  EXPECT_FALSE(account_pages::decode_page(future, "p"));
}

TEST(UserStateCodec, RoundTripsAndNamesWhatIsWrong) {
  const UserState state = with_objects(5, 4);
  Bytes body;
  store_derive::encode_user_state(state, body);
  EXPECT_EQ(store_derive::decode_user_state(body, "s").value(), state);
  EXPECT_EQ(store_derive::decode_user_totals(body, "s").value(), state.totals);
  ASSERT_FALSE(state.reservations.empty());
  ASSERT_NE(state.reservations[0].quota, store_derive::QuotaUse{});
  // Format 2 (schema 6) has no quota use: it reads back as none.
  Bytes body_v2;
  store_derive::encode_user_state(state, body_v2, store_derive::kStateFormatNoQuota);
  UserState without_quota = state;
  for (auto& reservation : without_quota.reservations) reservation.quota = {};
  EXPECT_EQ(store_derive::decode_user_state(body_v2, "s", store_derive::kStateFormatNoQuota).value(),
            without_quota);
  EXPECT_FALSE(store_derive::decode_user_state(body_v2, "s"));  // read as format 3: cut short
  EXPECT_FALSE(store_derive::decode_user_state(body, "s", 4));
  // Quota units past 2^63-1 (stored as SQLite integers elsewhere) are refused.
  UserState huge = state;
  huge.reservations[0].quota.units = std::uint64_t{1} << 63;
  Bytes huge_body;
  store_derive::encode_user_state(huge, huge_body);
  auto past = store_derive::decode_user_state(huge_body, "s");
  ASSERT_FALSE(past);
  EXPECT_NE(past.error().message.find("2^63-1"), std::string::npos) << past.error().message;
  for (std::size_t size = 0; size < body.size(); ++size) {
    auto cut = store_derive::decode_user_state(ByteSpan(body).first(size), "state 7");
    ASSERT_FALSE(cut) << size;
    EXPECT_NE(cut.error().message.find("state 7, offset"), std::string::npos) << cut.error().message;
  }
  Bytes longer = body;
  longer.push_back(0);
  EXPECT_FALSE(store_derive::decode_user_state(longer, "s"));
  // A count that is not minimally encoded (0x80 0x00 for zero).
  Bytes padded;
  pack::put_amount(padded, U256(1));
  pack::put_amount(padded, U256(0));
  padded.insert(padded.end(), {0x80, 0x00, 0x00, 0x00});
  auto refused = store_derive::decode_user_state(padded, "s");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("minimally"), std::string::npos) << refused.error().message;
}

// encoded_size sizes the buffer the encoder writes through without a bounds
// check per byte: it must be exact for every width of every field.
TEST(UserStateCodec, EncodedSizeIsExactForEveryFieldWidth) {
  const U256 amounts[] = {U256(0),
                          U256(1),
                          U256(0xff),
                          U256(0x100),
                          U256(~std::uint64_t{0}),
                          U256(0, 1, 0, 0),
                          U256(0, 0, 0, std::uint64_t{1} << 63),
                          U256::max()};
  const std::size_t text_lengths[] = {0, 1, 127, 128, 16'383, 16'384, 70'000};
  const std::uint64_t counts[] = {0,
                                  1,
                                  127,
                                  128,
                                  16'383,
                                  16'384,
                                  std::uint64_t{1} << 62,
                                  std::uint64_t{std::numeric_limits<std::int64_t>::max()}};
  for (const U256& amount : amounts) {
    EXPECT_EQ(pack::amount_size(amount), [&] {
      Bytes out;
      pack::put_amount(out, amount);
      return out.size();
    }());
  }
  for (const std::uint64_t count : counts) {
    Bytes out;
    pack::put_varint(out, count);
    EXPECT_EQ(pack::varint_size(count), out.size()) << count;
  }
  for (std::size_t i = 0; i < std::size(amounts); ++i) {
    UserState state = with_objects(i, i % 3);
    state.totals = {amounts[i], amounts[std::size(amounts) - 1 - i]};
    for (auto& lock : state.locks) {
      lock.amount = amounts[(i + 1) % std::size(amounts)];
      lock.agreement_id.assign(text_lengths[i % std::size(text_lengths)], 'a');
    }
    state.stakes[0].amount = amounts[(i + 2) % std::size(amounts)];
    state.reservations[0].amount = amounts[(i + 3) % std::size(amounts)];
    state.reservations[0].quota =
        store_derive::QuotaUse{-static_cast<std::int64_t>(i), counts[i % std::size(counts)], counts[i]};
    for (const std::uint8_t format : {store_derive::kStateFormat, store_derive::kStateFormatNoQuota}) {
      Bytes body = {0xEE};  // appended after what is there
      store_derive::encode_user_state(state, body, format);
      EXPECT_EQ(body.size(), 1 + store_derive::encoded_size(state, format)) << i;
      EXPECT_EQ(body[0], 0xEE);
      if (format == store_derive::kStateFormat) {
        EXPECT_EQ(store_derive::decode_user_state(ByteSpan(body).subspan(1), "s").value(), state) << i;
      }
    }
  }
}

}  // namespace
}  // namespace csd
