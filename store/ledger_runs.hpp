// The TST ledger stored as sorted runs (docs/store.md "The ledger as sorted
// runs"). Each apply writes its batch's ledger rows as one run, sorted by
// (address, block, log_index, kind) and packed into chunks
// (store/ledger_chunk.hpp): a few sequential row inserts per batch instead of
// one random index insert per movement. Runs of one level are merged into the
// next once `fanout` of them exist, so a reader probes a few runs per address.
// A rollback deletes the runs above a height and rewrites the one or two that
// straddle it. The set of rows is what matters; which runs hold them depends
// on the batch history, so the dump (store/dump.hpp) shows rows, not runs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "store/database.hpp"
#include "store/ledger_chunk.hpp"

namespace csd::ledger_runs {

struct Options {
  // Runs of one level merged into one run of the next.
  std::size_t fanout = 8;
  // Runs with rows in the newest `reorg_window` blocks below the checkpoint
  // stay at levels 0 and 1, so a reorg rewrites small runs only.
  std::uint64_t reorg_window = 64;
};

// Writes one new run at `level` from rows added in ascending
// ledger_row_less order, as chunks of ~kLedgerChunkTarget bytes.
class RunWriter {
 public:
  // `format`: of the chunks written (store/ledger_chunk.hpp); format 1 for migration 3 only.
  [[nodiscard]] static Result<RunWriter> start(WriteTxn& txn, std::int64_t level,
                                               std::uint8_t format = kLedgerChunkFormat);
  // REQUIRES: `row` sorts after the previous row added.
  [[nodiscard]] Status add(const LedgerRow& row);
  // An encoded row (store/ledger_chunk.hpp), copied as it is.
  [[nodiscard]] Status add_encoded(ByteSpan row);
  // Writes the last chunk and the ledger_run row (nothing when no rows were added).
  [[nodiscard]] Status finish();

 private:
  RunWriter(WriteTxn& txn, std::int64_t run, std::int64_t level, std::uint8_t format, Statement insert);
  [[nodiscard]] Status flush();

  WriteTxn* txn_;
  std::int64_t run_;
  std::int64_t level_;
  std::uint8_t format_;
  Statement insert_;
  Bytes chunk_;
  Bytes scratch_;
  EvmAddress first_;
  EvmAddress last_;
  std::size_t chunk_rows_ = 0;
  std::uint64_t rows_ = 0;
  std::uint64_t min_block_ = UINT64_MAX;
  std::uint64_t max_block_ = 0;
};

// A batch's ledger rows, encoded as they arrive (one buffer, no per-row objects).
class RowBuffer {
 public:
  void add(const LedgerRow& row);
  [[nodiscard]] std::size_t size() const noexcept { return rows_.size(); }
  void clear() noexcept;

 private:
  friend Status write_run(WriteTxn& txn, RowBuffer& rows);
  friend std::optional<std::vector<std::uint32_t>> order_by_address(const RowBuffer& rows,
                                                                    std::span<const EvmAddress> addresses);
  friend Status write_run_in_order(WriteTxn& txn, RowBuffer& rows,
                                   const std::optional<std::vector<std::uint32_t>>& order);
  struct Span {
    std::uint32_t offset;
    std::uint32_t size;
  };
  Bytes bytes_;
  std::vector<Span> rows_;
};

// Writes `rows` (any order; sorted here by their encoded keys) as one new
// level-0 run. Nothing for no rows.
[[nodiscard]] Status write_run(WriteTxn& txn, RowBuffer& rows);
[[nodiscard]] Status write_run(WriteTxn& txn, const std::vector<LedgerRow>& rows);
// The same run, ordered by each row's rank in `addresses` (ascending,
// distinct): a counting sort instead of a comparison sort, when every row's
// address is there and each address's rows were added in (block, log_index,
// kind) order, as a batch's derivation adds them; else as write_run.
[[nodiscard]] Status write_run_by_address(WriteTxn& txn, RowBuffer& rows,
                                          std::span<const EvmAddress> addresses);
// write_run_by_address in two steps, the first without the transaction: the
// rows' order by rank (nullopt: not every address there, or an address's rows
// out of key order), then the run written in that order (nullopt: as write_run).
[[nodiscard]] std::optional<std::vector<std::uint32_t>> order_by_address(
    const RowBuffer& rows, std::span<const EvmAddress> addresses);
[[nodiscard]] Status write_run_in_order(WriteTxn& txn, RowBuffer& rows,
                                        const std::optional<std::vector<std::uint32_t>>& order);

// Merges runs while a level holds `fanout` mergeable runs (see Options).
[[nodiscard]] Status compact(WriteTxn& txn, std::uint64_t checkpoint_height, const Options& options);

// Deletes every row with block > `height`: drops the runs entirely above it
// and rewrites the runs that straddle it.
[[nodiscard]] Status unwind_above(WriteTxn& txn, std::uint64_t height);

// The rows of `address`, in (block, log_index, kind) order.
template <class Txn>
[[nodiscard]] Result<std::vector<LedgerRow>> rows_of(Txn& txn, const EvmAddress& address);

// Every row with block > `height` (−1: every row), in
// (address, block, log_index, kind) order within each run, runs oldest first.
template <class Txn>
[[nodiscard]] Result<std::vector<LedgerRow>> rows_above(Txn& txn, std::int64_t height);

// The level a run of `rows` rows belongs to when its history is unknown (migration).
[[nodiscard]] std::int64_t level_for_size(std::uint64_t rows, const Options& options) noexcept;

}  // namespace csd::ledger_runs
