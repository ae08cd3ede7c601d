// A stored raw BSC log by its position (block, log_index), read from the
// block's raw_block row (store/raw_pack.hpp). Derived rows that name their log
// read back what the raw log holds instead of storing it twice: the ledger's
// tx hashes, times and transfers (store/ledger_fill.hpp), a QuotaConsumed's
// user in migration 7. The last block read is kept, so lookups in block order
// read and unpack each block once.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "decoders/result.hpp"
#include "store/batch.hpp"
#include "store/database.hpp"

namespace csd {

class RawLogLookup {
 public:
  template <class Txn>
  [[nodiscard]] static Result<RawLogLookup> open(Txn& txn) {
    auto select = txn.prepare("SELECT time, logs FROM raw_block WHERE id = ?1");
    if (!select) return std::move(select).error();
    return RawLogLookup(std::move(*select));
  }

  struct Found {
    const RawLog* log;  // valid until the next lookup of another block
    std::int64_t block_time;
  };
  // The log at (block, log_index); kNotFound naming the position when the
  // block has no raw_block row or no such log, kMalformed for a row that does
  // not unpack.
  [[nodiscard]] Result<Found> at(std::uint64_t block, std::uint32_t log_index);

 private:
  explicit RawLogLookup(Statement select) : select_(std::move(select)) {}
  [[nodiscard]] Status load(std::uint64_t block);

  Statement select_;
  std::optional<std::uint64_t> block_;  // the block logs_ and time_ hold
  std::vector<RawLog> logs_;            // ascending log_index; empty: no row
  std::int64_t time_ = 0;
};

}  // namespace csd
