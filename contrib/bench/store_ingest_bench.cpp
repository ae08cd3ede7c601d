// Store ingest speed (issue 4, "Benchmarks"): decoded BSC logs through
// Writer::apply — raw rows, derived rows and the checkpoint, one transaction
// per batch of 1 000 blocks — into a fresh file; and, in the same run, the
// machine's floor: a bare INSERT of the same raw rows into an index-free table
// in one transaction, same connection settings (WAL, synchronous = FULL).
// Goals: ≥ 250 000 logs/s, ingest/floor ≥ 0.4. Also reports database bytes per
// stored log (file plus WAL after a WAL checkpoint).
//
// CSD_BENCH_INGEST_BATCHES (default 40) sets the batches per iteration;
// CSD_BENCH_PRAGMA, SQL run on the writer connection before ingest, tries
// connection settings (e.g. "PRAGMA cache_size = -65536") without a rebuild.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "contrib/bench/store_bench_support.hpp"
#include "store/database.hpp"
#include "store/writer.hpp"

namespace {

using csd::store_bench::TempDir;

constexpr std::size_t kBlocksPerBatch = 1'000;
constexpr std::uint32_t kLogsPerBlock = 4;  // average; 1..7 per block

template <class T>
T ok_or_die(csd::Result<T> result, const char* what) {
  if (!result) {
    std::cerr << what << ": " << result.error().message << "\n";
    std::abort();
  }
  return std::move(*result);
}
void ok_or_die(const csd::Status& status, const char* what) {
  if (!status) {
    std::cerr << what << ": " << status.error().message << "\n";
    std::abort();
  }
}

std::vector<csd::Batch> workload(const csd::StoreContracts& contracts) {
  const std::size_t batches = csd::store_bench::env_u64("CSD_BENCH_INGEST_BATCHES", 40);
  csd::store_bench::BscWorkload work(contracts, 42, 20'000);
  std::mt19937_64 rng(7);
  return csd::store_bench::bsc_batches(work, 1, batches, kBlocksPerBatch, kLogsPerBlock, rng);
}

std::size_t log_count(const std::vector<csd::Batch>& batches) {
  std::size_t n = 0;
  for (const csd::Batch& b : batches) n += b.logs.size();
  return n;
}

void BM_StoreIngest(benchmark::State& state) {
  const csd::StoreContracts contracts = csd::store_bench::bench_contracts();
  const std::vector<csd::Batch> batches = workload(contracts);
  const std::size_t logs = log_count(batches);
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    TempDir dir;
    auto writer =
        ok_or_die(csd::Writer::open(dir.file("store.db"), contracts, [] { return std::int64_t{0}; }), "open");
    if (const char* pragma = std::getenv("CSD_BENCH_PRAGMA"))
      ok_or_die(writer.database().exec(pragma), "pragma");
    const auto start = std::chrono::steady_clock::now();
    for (const csd::Batch& batch : batches) ok_or_die(writer.apply(csd::ChainId::kBsc, batch), "apply");
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(elapsed.count());
    if (writer.counters().anomalies != decltype(writer.counters().anomalies){}) {
      std::cerr << "workload produced anomalies\n";
      std::abort();
    }
    ok_or_die(writer.database().exec("PRAGMA wal_checkpoint(TRUNCATE)"), "wal checkpoint");
    bytes = csd::store_bench::store_bytes(dir.file("store.db"));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(logs));
  state.counters["logs"] = static_cast<double>(logs);
  state.counters["bytes_per_log"] = static_cast<double>(bytes) / static_cast<double>(logs);
}
BENCHMARK(BM_StoreIngest)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

// The floor: the same raw rows, bare INSERT, no index (a rowid table), one
// transaction, one prepared statement; topics packed as the writer packs them.
void BM_RawInsertFloor(benchmark::State& state) {
  const csd::StoreContracts contracts = csd::store_bench::bench_contracts();
  const std::vector<csd::Batch> batches = workload(contracts);
  const std::size_t logs = log_count(batches);
  for (auto _ : state) {
    TempDir dir;
    // open_writer: the store's own settings (WAL, synchronous = FULL).
    auto db = ok_or_die(csd::Database::open_writer(dir.file("floor.db")), "open");
    ok_or_die(db.exec("CREATE TABLE floor_log(chain INTEGER, block INTEGER, log_index INTEGER, tx_hash BLOB, "
                      "address BLOB, topics BLOB, data BLOB)"),
              "create");
    const auto start = std::chrono::steady_clock::now();
    {
      auto txn = ok_or_die(db.begin_write(), "begin");
      auto insert = ok_or_die(txn.prepare("INSERT INTO floor_log(chain, block, log_index, tx_hash, address, "
                                          "topics, data) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                              "prepare");
      csd::Bytes topics;
      for (const csd::Batch& batch : batches) {
        for (const csd::RawLog& log : batch.logs) {
          topics.clear();
          for (const csd::Hash32& t : log.topics) topics.insert(topics.end(), t.bytes.begin(), t.bytes.end());
          insert.bind_int64(1, 1).bind_uint64_clamped(2, log.block).bind_int64(3, log.log_index);
          insert.bind_bytes(4, log.tx_hash).bind_bytes(5, log.address).bind_blob(6, topics);
          insert.bind_blob(7, log.data);
          ok_or_die(insert.run(), "insert");
        }
      }
      ok_or_die(txn.commit(), "commit");
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(elapsed.count());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(logs));
  state.counters["logs"] = static_cast<double>(logs);
}
BENCHMARK(BM_RawInsertFloor)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
