// complete_ledger_rows (store/ledger_fill.hpp): what a format-2 ledger row
// leaves out comes back from its raw log, and a row its raw log does not
// back is an error naming the row.
#include "store/ledger_fill.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "decoders/hex.hpp"
#include "store/ledger_runs.hpp"
#include "tests/store/store_test_support.hpp"

namespace csd {
namespace {

using store_test::evm;
using store_test::header;
using store_test::id32;
using store_test::LogMaker;
using store_test::TempDir;

class LedgerFillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const LogMaker make(contracts_);
    Batch batch;
    batch.blocks = {header(3), header(5)};
    batch.logs = {make.transfer(3, 0, evm(1), evm(2), U256::max()),
                  make.locked(3, 2, id32(9), evm(1), U256(4), 2'000'000'000, "A-1"),
                  make.transfer(5, 1, evm(2), evm(2), U256(0))};  // to self, of nothing
    batch.checkpoint = header(5);
    logs_ = batch.logs;
    ASSERT_TRUE(writer_.apply(ChainId::kBsc, batch));
  }
  LedgerRow row(std::uint64_t address, std::uint64_t block, std::uint32_t index, LedgerKind kind) const {
    LedgerRow out;
    out.address = evm(address);
    out.entry.block = block;
    out.entry.log_index = index;
    out.entry.type = kind;
    return out;
  }
  Status complete(std::vector<LedgerRow>& rows) {
    auto txn = writer_.database().begin_read();
    if (!txn) return std::move(txn).error();
    return complete_ledger_rows(*txn, std::span<LedgerRow>(rows));
  }

  TempDir dir_;
  StoreContracts contracts_ = store_test::test_contracts();
  Writer writer_ = store_test::open_writer(dir_.file("store.db"), contracts_);
  std::vector<RawLog> logs_;
};

TEST_F(LedgerFillTest, TheStoredRowsComeBackWhole) {
  std::vector<LedgerRow> rows;
  {
    auto txn = writer_.database().begin_read();
    ASSERT_TRUE(txn);
    rows = ledger_runs::rows_above(*txn, -1).value();
  }
  ASSERT_EQ(rows.size(), 5U);  // in and out of each transfer, and the lock
  ASSERT_TRUE(complete(rows));
  std::sort(rows.begin(), rows.end(), ledger_row_less);
  const std::int64_t t3 = header(3).time;
  const std::int64_t t5 = header(5).time;
  const std::vector<LedgerRow> expected = {
      {evm(1), {LedgerKind::kTransferOut, U256::max(), evm(2), logs_[0].tx_hash, 3, 0, t3}},
      {evm(1), {LedgerKind::kLock, U256(4), contracts_.bsc.escrow, logs_[1].tx_hash, 3, 2, t3}},
      {evm(2), {LedgerKind::kTransferIn, U256::max(), evm(1), logs_[0].tx_hash, 3, 0, t3}},
      {evm(2), {LedgerKind::kTransferIn, U256(0), evm(2), logs_[2].tx_hash, 5, 1, t5}},
      {evm(2), {LedgerKind::kTransferOut, U256(0), evm(2), logs_[2].tx_hash, 5, 1, t5}},
  };
  EXPECT_EQ(rows, expected);
}

TEST_F(LedgerFillTest, ARowItsRawLogDoesNotBackIsAnErrorNamingIt) {
  const auto refused = [&](LedgerRow bad, std::string_view fault) {
    std::vector<LedgerRow> rows = {row(1, 3, 0, LedgerKind::kTransferOut), bad};
    auto status = complete(rows);
    ASSERT_FALSE(status);
    const std::string& message = status.error().message;
    EXPECT_NE(message.find("ledger row of " + to_hex(bad.address.span()) + " at block " +
                           std::to_string(bad.entry.block) + ", log " + std::to_string(bad.entry.log_index)),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(fault), std::string::npos) << message;
  };
  refused(row(1, 3, 1, LedgerKind::kTransferOut), "no raw log at block 3, log 1");
  refused(row(1, 4, 0, LedgerKind::kLock), "no raw log at block 4, log 0");
  refused(row(1, 3, 2, LedgerKind::kTransferIn), "not a Transfer");       // the lock's log
  refused(row(1, 3, 0, LedgerKind::kTransferIn), "its raw Transfer is");  // evm(1) sent it
  refused(row(3, 3, 0, LedgerKind::kTransferOut), "its raw Transfer is");
}

TEST_F(LedgerFillTest, NoRowsReadNothing) {
  std::vector<LedgerRow> none;
  EXPECT_TRUE(complete(none));
}

}  // namespace
}  // namespace csd
