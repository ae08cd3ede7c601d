// Test helpers for the store's writer-side tests: a temporary directory, the
// test contracts, ABI-encoded raw logs of the SPEC 3.1/3.3 events (encoded by
// the ABI spec's rules: docs.soliditylang.org, "Contract ABI Specification",
// "Events"), UserStake accounts, and a seeded generator of random chains.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "decoders/evm_events.hpp"
#include "decoders/solana_pda.hpp"
#include "decoders/u256.hpp"
#include "decoders/user_stake.hpp"
#include "store/account_pages.hpp"
#include "store/account_states.hpp"
#include "store/batch.hpp"
#include "store/dump.hpp"
#include "store/ledger_fill.hpp"
#include "store/ledger_runs.hpp"
#include "store/writer.hpp"
#include "tests/support/spec_log_maker.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd::store_test {

using testing_support::TempDir;

inline constexpr std::int64_t kNow = 1'700'000'000;
inline Writer::Clock fixed_clock() {
  return [] { return kNow; };
}

using spec_logs::fixed;
inline EvmAddress evm(std::uint64_t n) {
  return fixed<EvmAddress>(0xE0, n);
}
inline Hash32 id32(std::uint64_t n) {
  return fixed<Hash32>(0x1D, n);
}
inline SolanaPubkey pubkey(std::uint64_t n) {
  return fixed<SolanaPubkey>(0x50, n);
}

inline StoreContracts test_contracts() {
  StoreContracts c;
  c.bsc = TstContracts{fixed<EvmAddress>(0xC0, 1), fixed<EvmAddress>(0xC0, 2), fixed<EvmAddress>(0xC0, 3),
                       fixed<EvmAddress>(0xC0, 4)};
  c.tron_routers = {PayoutRouter{PayoutRouterType::kV0, fixed<EvmAddress>(0xC1, 1)},
                    PayoutRouter{PayoutRouterType::kKyc, fixed<EvmAddress>(0xC1, 2)}};
  c.solana_program_id = fixed<SolanaPubkey>(0xC2, 1);
  c.solana_pool = fixed<SolanaPubkey>(0xC2, 2);
  return c;
}

inline BlockHeader header(std::uint64_t height, std::uint8_t branch = 0) {
  return BlockHeader{height, fixed<Hash32>(static_cast<std::uint8_t>(0xB0 + branch), height),
                     fixed<Hash32>(static_cast<std::uint8_t>(0xB0 + branch), height - 1),
                     static_cast<std::int64_t>(1'600'000'000 + height * 3)};
}

// ABI encoding of the SPEC events lives in tests/support/spec_log_maker.hpp.
using spec_logs::LogMaker;
using spec_logs::put;
using spec_logs::put_string_tail;
using spec_logs::word;

// A valid UserStake of the test pool for owner n: its PDA address and bytes.
struct TestStakeAccount {
  SolanaPubkey address;
  UserStake stake;
};
inline TestStakeAccount user_stake_account(const StoreContracts& contracts, std::uint64_t owner_n,
                                           std::uint64_t amount) {
  UserStake stake;
  stake.owner = pubkey(owner_n);
  stake.pool = contracts.solana_pool;
  stake.staked_amount = amount;
  stake.staked_at = 1'650'000'000;
  stake.last_update = 1'650'000'100 + static_cast<std::int64_t>(amount % 1000);
  auto pda = derive_user_stake_address(stake.owner, stake.pool, contracts.solana_program_id);
  if (!pda) throw std::runtime_error("no PDA");
  stake.bump = pda->bump;
  return TestStakeAccount{pda->address, stake};
}
inline Bytes account_bytes(const UserStake& stake) {
  const auto bytes = serialize_user_stake(stake);
  return Bytes(bytes.begin(), bytes.end());
}

// ---- random chains ----

struct BlockData {
  BlockHeader header;
  std::vector<RawLog> logs;
  std::vector<TronTxInfo> txs;
  std::vector<SolanaAccountVersion> accounts;
};

// Blocks from..to of a random branch. Events draw ids and users from small
// pools, so closes of missing objects, duplicates and transfers to self occur.
inline std::vector<BlockData> random_chain(ChainId chain, const StoreContracts& contracts, std::uint32_t seed,
                                           std::uint64_t from, std::uint64_t to, std::uint8_t branch) {
  std::mt19937_64 rng(seed);
  const LogMaker make(contracts);
  auto pick = [&](std::uint64_t n) { return rng() % n; };
  auto amount = [&]() -> U256 {
    if (pick(40) == 0) return U256::max() - U256(pick(3));  // near 2^256-1: totals overflow
    return U256(pick(1'000'000'000'000ULL) + 1);
  };
  std::vector<TestStakeAccount> stake_accounts;
  if (chain == ChainId::kSolana) {
    for (std::uint64_t owner = 1; owner <= 4; ++owner)
      stake_accounts.push_back(user_stake_account(contracts, owner, 0));
  }
  std::vector<BlockData> blocks;
  for (std::uint64_t height = from; height <= to; ++height) {
    BlockData block{header(height, branch), {}, {}, {}};
    const std::uint32_t count = static_cast<std::uint32_t>(pick(4));
    for (std::uint32_t i = 0; i < count; ++i) {
      const EvmAddress user = evm(pick(4));
      const Hash32 id = id32(pick(6));
      if (chain == ChainId::kBsc) {
        switch (pick(10)) {
          case 0:
          case 1:
          case 2:
            block.logs.push_back(make.transfer(height, i, user, evm(pick(4)), amount()));
            break;
          case 3:
            block.logs.push_back(make.locked(height, i, id, user, amount(), height + 100, "agr"));
            break;
          case 4:
            block.logs.push_back(make.released(height, i, id, user, amount()));
            break;
          case 5:
            block.logs.push_back(make.terminated(height, i, id, user, U256(5), U256(1)));
            break;
          case 6:
            block.logs.push_back(
                make.staked(height, i, id, user, static_cast<std::uint8_t>(pick(4)), amount(), height + 50));
            break;
          case 7:
            block.logs.push_back(make.unstaked(height, i, id, user, amount(), pick(2) == 0));
            break;
          case 8:
            block.logs.push_back(
                pick(2) == 0 ? make.reserved(height, i, id, user, 1, amount(), 10, height + 70)
                             : make.consumed(height, i, id, user, static_cast<std::uint32_t>(pick(5))));
            break;
          default: {
            RawLog bad = make.transfer(height, i, user, user, U256(1));
            bad.data.pop_back();  // short data from the TST contract: undecodable
            block.logs.push_back(pick(2) == 0 ? bad : make.reservation_released(height, i, id, user));
          }
        }
      } else if (chain == ChainId::kTron) {
        const std::size_t router = pick(2);
        switch (pick(3)) {
          case 0:
            block.logs.push_back(make.payout_executed(router, height, i, id, user, amount(), id32(99), "r"));
            break;
          case 1:
            block.logs.push_back(make.payout_failed(router, height, i, id, user, amount(), "e"));
            break;
          default:
            block.logs.push_back(make.batch_settled(router, height, i, id32(99), U256(3), amount()));
        }
        block.txs.push_back(TronTxInfo{block.logs.back().tx_hash, height, pick(4) != 0, "SUCCESS",
                                       static_cast<std::int64_t>(pick(1000))});
      } else {
        const std::size_t which = pick(5);
        SolanaAccountVersion version{which < 4 ? stake_accounts[which].address : pubkey(77), height,
                                     std::nullopt};
        if (which < 4 && pick(4) != 0) {
          UserStake stake = stake_accounts[which].stake;
          stake.staked_amount = pick(1'000'000);
          version.data = account_bytes(stake);
        } else if (which == 4) {
          version.data = Bytes(97, 0x11);  // wrong discriminator
        }
        bool repeated = false;
        for (const auto& other : block.accounts) repeated = repeated || other.account == version.account;
        if (!repeated) block.accounts.push_back(std::move(version));
      }
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

// A BSC chain whose reservations' quota uses span several UTC days: two
// users' reservations with the same id, closes and reopens of an id, uses on
// consecutive days and after a gap, and a use of a closed id (an anomaly).
inline std::vector<BlockData> quota_days_chain(const StoreContracts& contracts) {
  const LogMaker make(contracts);
  constexpr std::int64_t kDay = 86'400;
  constexpr std::int64_t kDay0 = 1'600'041'600;  // a UTC midnight
  const EvmAddress u3 = evm(3);
  const EvmAddress u4 = evm(4);
  const Hash32 id = id32(6);
  constexpr std::uint64_t kForever = 4'000'000'000;
  std::vector<BlockData> blocks;
  const auto block = [&](std::int64_t time) -> BlockData& {
    BlockData data{header(blocks.size() + 1), {}, {}, {}};
    data.header.time = time;
    blocks.push_back(std::move(data));
    return blocks.back();
  };
  const auto index = [](const BlockData& b) { return static_cast<std::uint32_t>(b.logs.size()); };
  BlockData* b = &block(kDay0 + 100);
  b->logs.push_back(make.reserved(b->header.height, index(*b), id, u3, 1, U256(7), 10, kForever));
  b->logs.push_back(make.reserved(b->header.height, index(*b), id, u4, 1, U256(8), 10, kForever));
  b = &block(kDay0 + 200);
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u3, 4));
  b->logs.push_back(make.transfer(b->header.height, index(*b), u3, u4, U256(9)));
  b = &block(kDay0 + kDay + 10);
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u3, 2));
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u4, 5));
  b = &block(kDay0 + kDay + 500);
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u3, 1));
  b = &block(kDay0 + 2 * kDay + 10);
  b->logs.push_back(make.reservation_released(b->header.height, index(*b), id, u4));
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u3, 3));
  b = &block(kDay0 + 2 * kDay + 20);
  b->logs.push_back(make.reserved(b->header.height, index(*b), id, u4, 2, U256(9), 12, kForever));
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u4, 1));
  b = &block(kDay0 + 4 * kDay + 1);
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u3, 2));
  b->logs.push_back(make.reservation_released(b->header.height, index(*b), id, u3));
  b = &block(kDay0 + 4 * kDay + 2);
  b->logs.push_back(make.reserved(b->header.height, index(*b), id, u3, 3, U256(1), 5, kForever));
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u3, 1));
  b = &block(kDay0 + 5 * kDay + 3);
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u4, 2));
  b = &block(kDay0 + 5 * kDay + 4);
  b->logs.push_back(make.consumed(b->header.height, index(*b), id, u3, 1));
  b->logs.push_back(make.consumed(b->header.height, index(*b), id32(7), u3, 1));  // not open: an anomaly
  return blocks;
}

// Batches of `per_batch` blocks; every block header is included.
inline std::vector<Batch> to_batches(const std::vector<BlockData>& blocks, std::size_t per_batch) {
  std::vector<Batch> batches;
  for (std::size_t at = 0; at < blocks.size(); at += per_batch) {
    Batch batch;
    for (std::size_t i = at; i < std::min(blocks.size(), at + per_batch); ++i) {
      batch.blocks.push_back(blocks[i].header);
      batch.logs.insert(batch.logs.end(), blocks[i].logs.begin(), blocks[i].logs.end());
      batch.tron_txs.insert(batch.tron_txs.end(), blocks[i].txs.begin(), blocks[i].txs.end());
      batch.accounts.insert(batch.accounts.end(), blocks[i].accounts.begin(), blocks[i].accounts.end());
    }
    batch.checkpoint = batch.blocks.back();
    batches.push_back(std::move(batch));
  }
  return batches;
}

inline void apply_all(Writer& writer, ChainId chain, const std::vector<Batch>& batches) {
  for (const Batch& batch : batches) {
    auto status = writer.apply(chain, batch);
    ASSERT_TRUE(status) << status.error().message;
  }
}

inline std::string dump(Writer& writer) {
  auto text = dump_store(writer.database());
  EXPECT_TRUE(text) << (text ? "" : text.error().message);
  return text ? *text : std::string();
}

// The ledger table and transfer view of schema 2 and the account table of
// schema 3, rebuilt as TEMP objects on `db` from the ledger's runs and the
// account pages, so assertions read the rows with SQL. Temp objects live in
// the connection, never in the file.
inline void load_ledger_table(Database& db) {
  ASSERT_TRUE(db.exec(
      "DROP TABLE IF EXISTS temp.tst_account; "
      "CREATE TEMP TABLE tst_account(address BLOB, received BLOB, sent BLOB); "
      "DROP VIEW IF EXISTS temp.tst_transfer; DROP TABLE IF EXISTS temp.tst_ledger; "
      "CREATE TEMP TABLE tst_ledger(address BLOB, block INTEGER, log_index INTEGER, kind INTEGER, amount "
      "BLOB, "
      "counterparty BLOB, tx_hash BLOB, time INTEGER); "
      "CREATE TEMP VIEW tst_transfer(block, log_index, tx_hash, from_addr, to_addr, amount) AS "
      "SELECT block, log_index, tx_hash, counterparty, address, amount FROM temp.tst_ledger WHERE kind = 1"));
  std::vector<LedgerRow> rows;
  account_states::UserStateMap accounts;
  {
    auto txn = db.begin_read();
    ASSERT_TRUE(txn);
    auto all = ledger_runs::rows_above(*txn, -1);
    ASSERT_TRUE(all) << all.error().message;
    auto completed = complete_ledger_rows(*txn, std::span<LedgerRow>(*all));
    ASSERT_TRUE(completed) << completed.error().message;
    rows = std::move(*all);
    auto totals = account_states::read_all(*txn);
    ASSERT_TRUE(totals) << totals.error().message;
    accounts = std::move(*totals);
  }
  auto account = db.prepare("INSERT INTO temp.tst_account VALUES(?1, ?2, ?3)");
  ASSERT_TRUE(account);
  for (const auto& [address, state] : accounts) {
    if (state.totals.received.is_zero() && state.totals.sent.is_zero()) continue;
    account->bind_bytes(1, address).bind_u256(2, state.totals.received).bind_u256(3, state.totals.sent);
    ASSERT_TRUE(account->run());
  }
  auto insert = db.prepare("INSERT INTO temp.tst_ledger VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  ASSERT_TRUE(insert);
  for (const LedgerRow& r : rows) {
    insert->bind_bytes(1, r.address).bind_int64(2, static_cast<std::int64_t>(r.entry.block));
    insert->bind_int64(3, r.entry.log_index).bind_int64(4, static_cast<std::int64_t>(r.entry.type));
    insert->bind_u256(5, r.entry.amount);
    if (r.entry.counterparty) {
      insert->bind_bytes(6, *r.entry.counterparty);
    } else {
      insert->bind_null(6);
    }
    insert->bind_bytes(7, r.entry.tx_hash).bind_int64(8, r.entry.time);
    ASSERT_TRUE(insert->run());
  }
}

inline Writer open_writer(const std::filesystem::path& path,
                          const StoreContracts& contracts = test_contracts(), WriterOptions options = {}) {
  auto writer = Writer::open(path, contracts, fixed_clock(), options);
  if (!writer) throw std::runtime_error(writer.error().message);
  return std::move(*writer);
}

}  // namespace csd::store_test
