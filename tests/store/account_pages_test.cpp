// TST account totals in pages (store/account_pages.hpp): reads and writes
// against a plain map of the same totals, page splits, a page lowered for an
// address below every page, removal at zero, and the page codec's errors.
#include "store/account_pages.hpp"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using account_pages::AccountTotals;
using account_pages::AccountTotalsMap;
using store_test::evm;
using store_test::TempDir;

class AccountPagesTest : public ::testing::Test {
 protected:
  void write(const AccountTotalsMap& updates) {
    auto txn = db_.begin_write();
    ASSERT_TRUE(txn);
    ASSERT_TRUE(account_pages::write(*txn, account_pages::AccountTotalsList(updates.begin(), updates.end())));
    ASSERT_TRUE(txn->commit());
    for (const auto& [address, totals] : updates) {
      if (totals.received.is_zero() && totals.sent.is_zero()) {
        expected_.erase(address);
      } else {
        expected_[address] = totals;
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
      }
    }
  }
  std::int64_t pages() { return db_.query_int64("SELECT count(*) FROM account_page").value(); }

  TempDir dir_;
  Database db_ = Database::open_writer(dir_.file("store.db")).value();
  AccountTotalsMap expected_;
};

TEST_F(AccountPagesTest, RandomBatchesMatchAPlainMapAndSplitIntoPages) {
  std::mt19937_64 rng(3);
  for (int batch = 0; batch < 30; ++batch) {
    AccountTotalsMap updates;
    for (int i = 0; i < 200; ++i) {
      const std::uint64_t n = 1 + rng() % 3000;
      const std::uint64_t roll = rng() % 10;
      // One in ten goes back to zero (removed); some amounts are the largest.
      updates[evm(n)] = roll == 0   ? AccountTotals{}
                        : roll == 1 ? AccountTotals{U256::max(), U256::max() - U256(1)}
                                    : AccountTotals{U256(rng()), U256(rng() % 1000)};
    }
    write(updates);
  }
  EXPECT_GT(pages(), 10);
  expect_stored_equals_expected(3001);
  // Every page fits the limit, and pages hold disjoint ascending ranges.
  auto st = db_.prepare("SELECT max(length(packed)) FROM account_page");
  ASSERT_TRUE(st && st->step().value());
  EXPECT_LE(static_cast<std::size_t>(st->column_int64(0)), account_pages::kPageLimit);
}

TEST_F(AccountPagesTest, AnAddressBelowEveryPageLowersTheFirstPage) {
  write({{evm(500), AccountTotals{U256(5), U256(0)}}});
  write({{evm(100), AccountTotals{U256(1), U256(0)}}});
  EXPECT_EQ(pages(), 1);
  expect_stored_equals_expected(600);
}

TEST_F(AccountPagesTest, BackToZeroRemovesTheEntryAndAnEmptyPage) {
  write({{evm(1), AccountTotals{U256(5), U256(5)}}, {evm(2), AccountTotals{U256(1), U256(0)}}});
  write({{evm(1), AccountTotals{}}});
  expect_stored_equals_expected(3);
  write({{evm(2), AccountTotals{}}});
  EXPECT_EQ(pages(), 0);
  write({{evm(9), AccountTotals{}}});  // removing what is not there changes nothing
  EXPECT_EQ(pages(), 0);
  write({{evm(2), AccountTotals{U256(3), U256(0)}}});
  expect_stored_equals_expected(10);
}

TEST_F(AccountPagesTest, ReadAllUpToGivesEveryAccountOrNothingPastTheLimit) {
  AccountTotalsMap updates;
  for (std::uint64_t n = 1; n <= 300; ++n) updates[evm(n)] = AccountTotals{U256(n), U256(n + 1)};
  write(updates);
  ASSERT_GT(pages(), 1);
  auto txn = db_.begin_write();
  ASSERT_TRUE(txn);
  auto all = account_pages::read_all_up_to(*txn, 300).value();
  ASSERT_TRUE(all);
  EXPECT_EQ(AccountTotalsMap(all->begin(), all->end()), expected_);
  EXPECT_TRUE(std::is_sorted(all->begin(), all->end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));
  EXPECT_FALSE(account_pages::read_all_up_to(*txn, 299).value());
  EXPECT_FALSE(account_pages::read_all_up_to(*txn, 0).value());
}

TEST_F(AccountPagesTest, ACorruptPageIsAnErrorNamingItForReadsAndWrites) {
  write({{evm(1), AccountTotals{U256(5), U256(0)}}});
  // An entry whose first amount claims 40 bytes.
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
  const account_pages::AccountTotalsList update = {{evm(2), AccountTotals{U256(1), U256(0)}}};
  auto status = account_pages::write(*txn, update);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("account_page 1"), std::string::npos) << status.error().message;
}

TEST(AccountPageCodec, RoundTripsAndRefusesBadPages) {
  const account_pages::PageEntries entries = {{evm(1), AccountTotals{U256(1), U256(0)}},
                                              {evm(2), AccountTotals{U256::max(), U256(255)}}};
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
  Bytes zero;
  account_pages::encode_page({{evm(1), AccountTotals{}}}, zero);
  auto refused = account_pages::decode_page(zero, "p");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("both zero"), std::string::npos);
}

}  // namespace
}  // namespace csd
