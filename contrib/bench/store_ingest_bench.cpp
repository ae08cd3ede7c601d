// Store ingest speed (issue 4, "Benchmarks"): decoded BSC logs through
// Writer::apply — raw rows, derived rows and the checkpoint, one transaction
// per batch of 1 000 blocks — into a fresh file; and, in the same run, the
// machine's floor: a bare INSERT of the same raw rows into an index-free table
// in one transaction, same connection settings (WAL, and the commit durability
// of a BSC batch: synchronous = NORMAL, docs/store.md "Commit durability").
// Goals: ≥ 250 000 logs/s, ingest/floor ≥ 0.4. Also reports database bytes per
// stored log (file plus WAL after a WAL checkpoint).
//
// CSD_BENCH_INGEST_BATCHES (default 40) sets the batches per iteration;
// CSD_BENCH_PRAGMA, SQL run on the writer connection before ingest, tries
// connection settings (e.g. "PRAGMA cache_size = -65536") without a rebuild;
// CSD_BENCH_KEEP=path copies the first iteration's store there (VACUUM INTO),
// to look at its tables afterwards (e.g. with sqlite3's dbstat);
// CSD_BENCH_ONE_THREAD (set) turns WriterOptions::second_thread off;
// CSD_BENCH_BATCH_TIMES (set) prints each iteration's batch times in µs to
// stderr (the batches that fold, merge or restart the WAL stand out).
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
// Starts, then stops, instruction counting under `valgrind --tool=callgrind
// --collect-atstart=no` (contrib/bench/store_instructions.sh); nothing otherwise.
#define CSD_TOGGLE_INSTRUCTION_COUNT() CALLGRIND_TOGGLE_COLLECT
#else
#define CSD_TOGGLE_INSTRUCTION_COUNT()
#endif

#include "contrib/bench/store_bench_support.hpp"
#include "store/database.hpp"
#include "store/wal_checkpointer.hpp"
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

// Logs per second over quarter `q` (0..3) of the batches: whether ingest
// slows as the store grows (its indexes outgrow the page cache and each batch
// dirties more of their pages).
double quarter_rate(const std::vector<csd::Batch>& batches, const std::vector<double>& seconds,
                    std::size_t q) {
  const std::size_t from = batches.size() * q / 4;
  const std::size_t to = batches.size() * (q + 1) / 4;
  double logs = 0;
  double time = 0;
  for (std::size_t i = from; i < to; ++i) {
    logs += static_cast<double>(batches[i].logs.size());
    time += seconds[i];
  }
  return time > 0 ? logs / time : 0;
}

void BM_StoreIngest(benchmark::State& state) {
  const csd::StoreContracts contracts = csd::store_bench::bench_contracts();
  const std::vector<csd::Batch> batches = workload(contracts);
  const std::size_t logs = log_count(batches);
  std::uint64_t bytes = 0;
  double first_quarter = 0;
  double last_quarter = 0;
  std::uint64_t checkpoints = 0;  // by the writer's WalCheckpointer, last iteration
  std::uint64_t checkpointed_frames = 0;
  std::uint64_t wal_bytes =
      0;  // the WAL file's size when the last batch committed (it is not truncated before)
  bool kept = false;
  for (auto _ : state) {
    TempDir dir;
    csd::WriterOptions options;
    options.background_checkpoint_frames = static_cast<int>(csd::store_bench::env_u64(
        "CSD_BENCH_CHECKPOINT_FRAMES", static_cast<std::uint64_t>(options.background_checkpoint_frames)));
    options.second_thread = std::getenv("CSD_BENCH_ONE_THREAD") == nullptr;
    auto writer = ok_or_die(csd::Writer::open(
                                dir.file("store.db"), contracts, [] { return std::int64_t{0}; }, options),
                            "open");
    if (const char* pragma = std::getenv("CSD_BENCH_PRAGMA"))
      ok_or_die(writer.database().exec(pragma), "pragma");
    const auto start = std::chrono::steady_clock::now();
    CSD_TOGGLE_INSTRUCTION_COUNT();  // on: the timed part only
    std::vector<double> batch_seconds;
    for (const csd::Batch& batch : batches) {
      const auto batch_start = std::chrono::steady_clock::now();
      ok_or_die(writer.apply(csd::ChainId::kBsc, batch), "apply");
      batch_seconds.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - batch_start).count());
    }
    CSD_TOGGLE_INSTRUCTION_COUNT();  // off
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(elapsed.count());
    if (std::getenv("CSD_BENCH_BATCH_TIMES") != nullptr) {
      for (const double seconds : batch_seconds) std::cerr << static_cast<int>(seconds * 1e6) << " ";
      std::cerr << "\n";
    }
    std::error_code no_wal;
    wal_bytes = std::filesystem::file_size(dir.file("store.db-wal"), no_wal);
    checkpoints = writer.checkpointer() != nullptr ? writer.checkpointer()->completed() : 0;
    checkpointed_frames = writer.checkpointer() != nullptr ? writer.checkpointer()->copied_frames() : 0;
    first_quarter = quarter_rate(batches, batch_seconds, 0);
    last_quarter = quarter_rate(batches, batch_seconds, 3);
    if (writer.counters().anomalies != decltype(writer.counters().anomalies){}) {
      std::cerr << "workload produced anomalies\n";
      std::abort();
    }
    csd::store_bench::truncate_wal(writer.database());
    bytes = csd::store_bytes_on_disk(dir.file("store.db"));
    if (const char* keep = std::getenv("CSD_BENCH_KEEP"); keep != nullptr && !kept) {
      ok_or_die(writer.database().exec(std::string("VACUUM INTO '") + keep + "'"), "keep");
      kept = true;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(logs));
  state.counters["logs"] = static_cast<double>(logs);
  state.counters["bytes_per_log"] = static_cast<double>(bytes) / static_cast<double>(logs);
  state.counters["first_quarter_logs_per_s"] = first_quarter;  // of the last iteration
  state.counters["last_quarter_logs_per_s"] = last_quarter;
  state.counters["background_checkpoints"] = static_cast<double>(checkpoints);
  state.counters["background_checkpoint_frames"] = static_cast<double>(checkpointed_frames);
  state.counters["wal_bytes_at_end"] = static_cast<double>(wal_bytes);
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
    // open_writer: the store's own settings (WAL), and a BSC batch's durability.
    auto db = ok_or_die(csd::Database::open_writer(dir.file("floor.db")), "open");
    ok_or_die(db.set_commit_durability(csd::CommitDurability::kProcessCrash), "durability");
    ok_or_die(db.exec("CREATE TABLE floor_log(chain INTEGER, block INTEGER, log_index INTEGER, tx_hash BLOB, "
                      "address BLOB, topics BLOB, data BLOB)"),
              "create");
    const auto start = std::chrono::steady_clock::now();
    CSD_TOGGLE_INSTRUCTION_COUNT();  // on: the timed part only
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
    CSD_TOGGLE_INSTRUCTION_COUNT();  // off
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(elapsed.count());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(logs));
  state.counters["logs"] = static_cast<double>(logs);
}
BENCHMARK(BM_RawInsertFloor)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
