#include "store/ledger_runs.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "store/address_table.hpp"
#include "store/key_order.hpp"
#include "store/try.hpp"

namespace csd::ledger_runs {
namespace {

constexpr std::string_view kChunksOfRun =
    "SELECT id, packed FROM ledger_chunk WHERE run = ?1 ORDER BY last_address, id";

std::string chunk_name(std::int64_t id) {
  return "ledger_chunk " + std::to_string(id);
}

// Chunks walked row by row (merges, probes) must be of the format ledger_row_size reads.
Status check_walkable(ByteSpan chunk, const std::string& name) {
  if (chunk.size() >= 2 && chunk[0] == kLedgerChunkFormat) return {};
  return make_error(ErrorCode::kMalformed, "store: " + name + ": not a format-" +
                                               std::to_string(kLedgerChunkFormat) + " chunk with rows");
}

// Reads one run's encoded rows in order, a chunk at a time, without decoding them.
class RunReader {
 public:
  static Result<RunReader> open(WriteTxn& txn, std::int64_t run) {
    CSD_TRY(st, txn.prepare(kChunksOfRun));
    st.bind_int64(1, run);
    RunReader reader(std::move(st));
    if (auto status = reader.refill(); !status) return std::move(status).error();
    return reader;
  }
  [[nodiscard]] bool done() const noexcept { return at_ >= chunk_.size(); }
  [[nodiscard]] ByteSpan front() const noexcept { return ByteSpan(chunk_).subspan(at_, size_); }
  Status pop() {
    at_ += size_;
    return at_ < chunk_.size() ? size_row() : refill();
  }

 private:
  explicit RunReader(Statement st) : st_(std::move(st)) {}
  Status refill() {
    chunk_.clear();
    at_ = 0;
    CSD_TRY(row, st_.step());
    if (!row) return {};
    name_ = chunk_name(st_.column_int64(0));
    const ByteSpan blob = st_.column_blob(1);
    chunk_.assign(blob.begin(), blob.end());
    if (auto status = check_walkable(chunk_, name_); !status) return status;
    at_ = 1;
    return size_row();
  }
  Status size_row() {
    CSD_TRY(size, ledger_row_size(chunk_, at_, name_));
    size_ = size;
    return {};
  }
  Statement st_;
  Bytes chunk_;
  std::string name_;
  std::size_t at_ = 0;
  std::size_t size_ = 0;
};

Status delete_run(WriteTxn& txn, std::int64_t run) {
  for (std::string_view sql :
       {"DELETE FROM ledger_chunk WHERE run = ?1", "DELETE FROM ledger_run WHERE run = ?1"}) {
    CSD_TRY(st, txn.prepare(sql));
    st.bind_int64(1, run);
    if (auto status = st.run(); !status) return status;
  }
  return {};
}

// Merges `runs` (oldest first) into one new run at `level`, then deletes them.
Status merge(WriteTxn& txn, const std::vector<std::int64_t>& runs, std::int64_t level,
             std::uint64_t keep_through = UINT64_MAX) {
  std::vector<RunReader> readers;
  for (std::int64_t run : runs) {
    CSD_TRY(reader, RunReader::open(txn, run));
    readers.push_back(std::move(reader));
  }
  CSD_TRY(out, RunWriter::start(txn, level));
  for (;;) {
    RunReader* least = nullptr;
    for (RunReader& reader : readers) {
      if (!reader.done() && (least == nullptr || ledger_key_less(reader.front(), least->front())))
        least = &reader;
    }
    if (least == nullptr) break;
    if (ledger_row_block(least->front()) <= keep_through) {
      if (auto status = out.add_encoded(least->front()); !status) return status;
    }
    if (auto status = least->pop(); !status) return status;
  }
  if (auto status = out.finish(); !status) return status;
  for (std::int64_t run : runs) {
    if (auto status = delete_run(txn, run); !status) return status;
  }
  return {};
}

struct RunInfo {
  std::int64_t run = 0;
  std::int64_t level = 0;
  std::uint64_t min_block = 0;
  std::uint64_t max_block = 0;
};

template <class Txn>
Result<std::vector<RunInfo>> runs_where(Txn& txn, std::string_view sql, std::int64_t value) {
  CSD_TRY(st, txn.prepare(sql));
  st.bind_int64(1, value);
  std::vector<RunInfo> out;
  for (;;) {
    CSD_TRY(row, st.step());
    if (!row) break;
    out.push_back(RunInfo{st.column_int64(0), st.column_int64(1),
                          static_cast<std::uint64_t>(st.column_int64(2)),
                          static_cast<std::uint64_t>(st.column_int64(3))});
  }
  return out;
}

// Appends the rows of `address` in run `run` to `out`. The chunks are walked
// by row size and only the address's rows decoded: a chunk holds ~100 rows of
// other addresses.
template <class Txn>
Status probe(Txn& txn, std::int64_t run, const EvmAddress& address, std::vector<LedgerRow>& out) {
  CSD_TRY(st, txn.prepare("SELECT id, packed FROM ledger_chunk WHERE run = ?1 AND last_address >= ?2 "
                          "ORDER BY last_address, id"));
  st.bind_int64(1, run).bind_bytes_static(2, address);
  for (;;) {
    CSD_TRY(row, st.step());
    if (!row) return {};
    const std::string name = chunk_name(st.column_int64(0));
    const ByteSpan chunk = st.column_blob(1);
    if (auto status = check_walkable(chunk, name); !status) return status;
    for (std::size_t at = 1; at < chunk.size();) {
      CSD_TRY(size, ledger_row_size(chunk, at, name));
      const int order = std::memcmp(chunk.data() + at, address.data(), EvmAddress::kSize);
      if (order > 0) return {};  // past the address: no later row or chunk holds it
      if (order == 0) {
        CSD_TRY(decoded, decode_ledger_row(chunk, at, name));
        out.push_back(std::move(decoded));
      }
      at += size;
    }
  }
}

}  // namespace

Result<RunWriter> RunWriter::start(WriteTxn& txn, std::int64_t level, std::uint8_t format) {
  CSD_TRY(next, txn.query_int64("SELECT coalesce(max(run), 0) + 1 FROM ledger_run"));
  CSD_TRY(insert,
          txn.prepare(
              "INSERT INTO ledger_chunk(run, first_address, last_address, packed) VALUES(?1, ?2, ?3, ?4)"));
  return RunWriter(txn, next, level, format, std::move(insert));
}

RunWriter::RunWriter(WriteTxn& txn, std::int64_t run, std::int64_t level, std::uint8_t format,
                     Statement insert)
    : txn_(&txn), run_(run), level_(level), format_(format), insert_(std::move(insert)) {}

Status RunWriter::add(const LedgerRow& row) {
  scratch_.clear();
  append_ledger_row(row, scratch_, format_);
  return add_encoded(scratch_);
}

Status RunWriter::add_encoded(ByteSpan row) {
  if (chunk_rows_ == 0) {
    begin_ledger_chunk(chunk_, format_);
    first_ = ledger_row_address(row);
  }
  chunk_.insert(chunk_.end(), row.begin(), row.end());
  last_ = ledger_row_address(row);
  ++chunk_rows_;
  ++rows_;
  const std::uint64_t block = ledger_row_block(row);
  min_block_ = std::min(min_block_, block);
  max_block_ = std::max(max_block_, block);
  return chunk_.size() >= kLedgerChunkTarget ? flush() : Status{};
}

Status RunWriter::finish() {
  if (auto status = flush(); !status) return status;
  if (rows_ == 0) return {};
  CSD_TRY(
      st,
      txn_->prepare(
          "INSERT INTO ledger_run(run, level, min_block, max_block, row_count) VALUES(?1, ?2, ?3, ?4, ?5)"));
  st.bind_int64(1, run_).bind_int64(2, level_).bind_uint64_clamped(3, min_block_);
  st.bind_uint64_clamped(4, max_block_).bind_int64(5, static_cast<std::int64_t>(rows_));
  return st.run();
}

Status RunWriter::flush() {
  if (chunk_rows_ == 0) return {};
  insert_.bind_int64(1, run_).bind_bytes_static(2, first_).bind_bytes_static(3, last_);
  insert_.bind_blob_static(4, chunk_);
  chunk_rows_ = 0;
  return insert_.run();
}

void RowBuffer::add(const LedgerRow& row) {
  const std::size_t at = bytes_.size();
  append_ledger_row(row, bytes_);
  rows_.push_back(Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(bytes_.size() - at)});
}

void RowBuffer::clear() noexcept {
  bytes_.clear();
  rows_.clear();
}

Status write_run(WriteTxn& txn, RowBuffer& rows) {
  if (rows.rows_.empty()) return {};
  const Bytes& bytes = rows.bytes_;
  const auto row_of = [&](const RowBuffer::Span& span) {
    return ByteSpan(bytes).subspan(span.offset, span.size);
  };
  // Sorted by keys loaded once (key_order::WordKey), in ledger_key_less order.
  struct Keyed {
    key_order::WordKey<kLedgerKeySize> key;
    RowBuffer::Span span;
  };
  std::vector<Keyed> order;
  order.reserve(rows.rows_.size());
  for (const RowBuffer::Span& span : rows.rows_) {
    order.push_back(Keyed{key_order::WordKey<kLedgerKeySize>::load(bytes.data() + span.offset), span});
  }
  std::sort(order.begin(), order.end(), [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
  CSD_TRY(out, RunWriter::start(txn, 0));
  for (const Keyed& keyed : order) {
    if (auto status = out.add_encoded(row_of(keyed.span)); !status) return status;
  }
  return out.finish();
}

std::optional<std::vector<std::uint32_t>> order_by_address(const RowBuffer& rows,
                                                           std::span<const EvmAddress> addresses) {
  store_derive::AddressTable<std::uint32_t> rank_of;
  rank_of.reserve(addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i)
    rank_of.insert(addresses[i], static_cast<std::uint32_t>(i));
  const Bytes& bytes = rows.bytes_;
  // Rank per row, then a stable counting sort by rank.
  std::vector<std::uint32_t> ranks;
  ranks.reserve(rows.rows_.size());
  for (const RowBuffer::Span& span : rows.rows_) {
    const auto* rank =
        rank_of.find(EvmAddress::from(ByteSpan(bytes).subspan(span.offset).first<EvmAddress::kSize>()));
    if (rank == nullptr) return std::nullopt;
    ranks.push_back(*rank);
  }
  std::vector<std::uint32_t> start(addresses.size() + 1, 0);
  for (std::uint32_t rank : ranks) ++start[rank + 1];
  for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  std::vector<std::uint32_t> order(rows.rows_.size());
  for (std::size_t i = 0; i < ranks.size(); ++i) order[start[ranks[i]]++] = static_cast<std::uint32_t>(i);
  const auto key_of = [&](std::uint32_t i) { return bytes.data() + rows.rows_[i].offset; };
  for (std::size_t i = 1; i < order.size(); ++i) {  // one address's rows must have come in key order
    if (!key_order::less<kLedgerKeySize>(key_of(order[i - 1]), key_of(order[i]))) return std::nullopt;
  }
  return order;
}

Status write_run_in_order(WriteTxn& txn, RowBuffer& rows,
                          const std::optional<std::vector<std::uint32_t>>& order) {
  if (rows.rows_.empty()) return {};
  if (!order) return write_run(txn, rows);
  CSD_TRY(out, RunWriter::start(txn, 0));
  for (std::uint32_t i : *order) {
    const RowBuffer::Span& span = rows.rows_[i];
    if (auto status = out.add_encoded(ByteSpan(rows.bytes_).subspan(span.offset, span.size)); !status)
      return status;
  }
  return out.finish();
}

Status write_run_by_address(WriteTxn& txn, RowBuffer& rows, std::span<const EvmAddress> addresses) {
  return write_run_in_order(txn, rows, order_by_address(rows, addresses));
}

Status write_run(WriteTxn& txn, const std::vector<LedgerRow>& rows) {
  RowBuffer buffer;
  for (const LedgerRow& row : rows) buffer.add(row);
  return write_run(txn, buffer);
}

Status compact(WriteTxn& txn, std::uint64_t checkpoint_height, const Options& options) {
  const std::size_t fanout = std::max<std::size_t>(options.fanout, 2);
  const std::uint64_t settled_through =
      checkpoint_height > options.reorg_window ? checkpoint_height - options.reorg_window : 0;
  CSD_TRY(top, txn.query_int64("SELECT coalesce(max(level), -1) FROM ledger_run"));
  for (std::int64_t level = 0; level <= top; ++level) {
    for (;;) {
      CSD_TRY(
          runs,
          runs_where(txn,
                     "SELECT run, level, min_block, max_block FROM ledger_run WHERE level = ?1 ORDER BY run",
                     level));
      std::vector<std::int64_t> mergeable;
      for (const RunInfo& info : runs) {
        // Levels 0 and 1 take recent rows; higher levels only settled ones.
        if (level == 0 || info.max_block <= settled_through) mergeable.push_back(info.run);
        if (mergeable.size() == fanout) break;
      }
      if (mergeable.size() < fanout) break;
      if (auto status = merge(txn, mergeable, level + 1); !status) return status;
      top = std::max(top, level + 1);
    }
  }
  return {};
}

Status unwind_above(WriteTxn& txn, std::uint64_t height) {
  const auto h = static_cast<std::int64_t>(std::min<std::uint64_t>(height, INT64_MAX));
  CSD_TRY(
      runs,
      runs_where(txn,
                 "SELECT run, level, min_block, max_block FROM ledger_run WHERE max_block > ?1 ORDER BY run",
                 h));
  for (const RunInfo& info : runs) {
    if (info.min_block > height) {
      if (auto status = delete_run(txn, info.run); !status) return status;
      continue;
    }
    if (auto status = merge(txn, {info.run}, info.level, height); !status) return status;
  }
  return {};
}

template <class Txn>
Result<std::vector<LedgerRow>> rows_of(Txn& txn, const EvmAddress& address) {
  CSD_TRY(
      runs,
      runs_where(txn, "SELECT run, level, min_block, max_block FROM ledger_run WHERE run >= ?1 ORDER BY run",
                 0));
  std::vector<LedgerRow> out;
  for (const RunInfo& info : runs) {
    if (auto status = probe(txn, info.run, address, out); !status) return std::move(status).error();
  }
  std::sort(out.begin(), out.end(), ledger_row_less);
  return out;
}

template <class Txn>
Result<std::vector<LedgerRow>> rows_above(Txn& txn, std::int64_t height) {
  CSD_TRY(
      runs,
      runs_where(txn,
                 "SELECT run, level, min_block, max_block FROM ledger_run WHERE max_block > ?1 ORDER BY run",
                 height));
  std::vector<LedgerRow> out;
  for (const RunInfo& info : runs) {
    CSD_TRY(st, txn.prepare(kChunksOfRun));
    st.bind_int64(1, info.run);
    for (;;) {
      CSD_TRY(row, st.step());
      if (!row) break;
      CSD_TRY(rows, decode_ledger_chunk(st.column_blob(1), chunk_name(st.column_int64(0))));
      for (LedgerRow& r : rows)
        if (height < 0 || r.entry.block > static_cast<std::uint64_t>(height)) out.push_back(std::move(r));
    }
  }
  return out;
}

template Result<std::vector<LedgerRow>> rows_of(ReadTxn&, const EvmAddress&);
template Result<std::vector<LedgerRow>> rows_of(WriteTxn&, const EvmAddress&);
template Result<std::vector<LedgerRow>> rows_above(ReadTxn&, std::int64_t);
template Result<std::vector<LedgerRow>> rows_above(WriteTxn&, std::int64_t);

std::int64_t level_for_size(std::uint64_t rows, const Options& options) noexcept {
  constexpr std::uint64_t kLevelZeroRows = 8192;  // about one batch of 1 000 busy blocks
  const std::uint64_t fanout = std::max<std::size_t>(options.fanout, 2);
  std::int64_t level = 0;
  for (std::uint64_t size = kLevelZeroRows; rows > size && size < UINT64_MAX / fanout; size *= fanout)
    ++level;
  return level;
}

}  // namespace csd::ledger_runs
