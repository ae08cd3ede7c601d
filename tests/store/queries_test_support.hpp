// Test helpers for the store's read-side tests: a store in a temp dir filled
// through the Writer (block by block, with chosen block times) and read
// through Queries on a read-only connection, as the HTTP layer does.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "store/queries.hpp"
#include "store_test_support.hpp"

namespace csd::store_test {

inline U256 tst(std::uint64_t whole) {
  return U256(whole) * *pow10(kTstDecimals);
}

// 2023-11-14T00:00:00Z: 19675 days × 86400 s after the epoch.
inline constexpr std::int64_t kMidnight = 1'699'920'000;

class QueryStore {
 public:
  QueryStore() : writer_(open_writer(dir_.file("store.db"), contracts_)), make_(contracts_) {}

  [[nodiscard]] const LogMaker& make() const { return make_; }
  [[nodiscard]] const StoreContracts& contracts() const { return contracts_; }
  [[nodiscard]] Writer& writer() { return writer_; }
  [[nodiscard]] std::filesystem::path path() const { return dir_.file("store.db"); }
  QueryConfig config;

  // Starts the next block of the pending batch; returns its height.
  std::uint64_t block(std::int64_t time) {
    const std::uint64_t h = next_height_++;
    pending_.blocks.push_back(BlockHeader{h, fixed<Hash32>(0xB0, h), fixed<Hash32>(0xB0, h - 1), time});
    next_index_ = 0;
    return h;
  }
  // The last block started (committed or not).
  [[nodiscard]] std::uint64_t height() const { return next_height_ - 1; }
  // The next log index in the current block.
  std::uint32_t index() { return next_index_++; }
  void add(RawLog log) { pending_.logs.push_back(std::move(log)); }
  void add_tx(TronTxInfo tx) { pending_.tron_txs.push_back(std::move(tx)); }
  void add_account(SolanaAccountVersion version) { pending_.accounts.push_back(std::move(version)); }

  // Applies the pending batch; its checkpoint is its last block.
  void commit(ChainId chain, std::optional<std::uint64_t> finalized = std::nullopt) {
    ASSERT_FALSE(pending_.blocks.empty());
    pending_.checkpoint = pending_.blocks.back();
    pending_.finalized_height = finalized;
    auto status = writer_.apply(chain, pending_);
    ASSERT_TRUE(status) << status.error().message;
    pending_ = Batch{};
  }

  // Runs f(Queries&) on a fresh read-only connection and snapshot.
  template <class F>
  auto read(F&& f) {
    auto db = Database::open_reader(path());
    if (!db) throw std::runtime_error(db.error().message);
    auto txn = db->begin_read();
    if (!txn) throw std::runtime_error(txn.error().message);
    Queries queries(*txn, config);
    return f(queries);
  }

 private:
  TempDir dir_;
  StoreContracts contracts_ = test_contracts();
  Writer writer_;
  LogMaker make_;
  Batch pending_;
  std::uint64_t next_height_ = 1;
  std::uint32_t next_index_ = 0;
};

// The value of a Result, failing the test (and throwing) on an error.
template <class T>
T ok(Result<T> result) {
  if (!result) {
    ADD_FAILURE() << result.error().message;
    throw std::runtime_error(result.error().message);
  }
  return std::move(*result);
}

}  // namespace csd::store_test
