// Store query latency (issue 4, "Benchmarks"): in a store of 1 000 000 logs
// (half BSC, half TRON, built once per process through Writer::apply), the
// `access` view of an address with 200 events and a `payouts` list page
// (default limit, newest first) without a filter and with a recipient filter.
// Each iteration opens a read snapshot and answers the view, in-process, as
// an HTTP request does; the per-iteration times give p50 and p99 (goal:
// p50 < 50 µs, p99 < 200 µs), reported as counters and printed. Also the
// status view, a page of the hot user's ledger, and the payout stats of the
// last hour and day (no goal; the stats must not read every row: row_count and
// the payout_block_time index).
//
// CSD_BENCH_STORE_LOGS (default 1 000 000) sets the store size,
// CSD_BENCH_QUERY_ITERATIONS (default 3 000) the samples per query;
// CSD_BENCH_READER_PRAGMA, SQL run on the reader connection first, tries
// connection settings (e.g. "PRAGMA mmap_size = 1073741824").
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "contrib/bench/store_bench_support.hpp"
#include "decoders/tron_address.hpp"
#include "store/account_states.hpp"
#include "store/database.hpp"
#include "store/queries.hpp"
#include "store/writer.hpp"

namespace {

namespace sb = csd::store_bench;

constexpr std::size_t kBlocksPerBatch = 1'000;
constexpr std::uint32_t kLogsPerBlock = 4;  // average; 1..7 per block
constexpr std::uint64_t kHotEvents = 200;

void die_on(const csd::Status& status, const char* what) {
  if (!status) {
    std::cerr << what << ": " << status.error().message << "\n";
    std::abort();
  }
}

// The store the queries read, and what they ask for.
struct QueryStore {
  sb::TempDir dir;
  csd::EvmAddress hot_user = sb::user(999'999'001);
  csd::EvmAddress hot_recipient = sb::user(999'999'002);
  std::int64_t now = 0;
  std::uint64_t logs = 0;
  std::int64_t state_runs = 0;  // live BSC state runs a state read probes
};

// Half the logs on each chain; the hot user and recipient get kHotEvents
// events each, spread evenly through their chain's blocks.
void build(QueryStore& store, std::uint64_t total_logs) {
  const csd::StoreContracts contracts = sb::bench_contracts();
  auto writer = csd::Writer::open(store.dir.file("store.db"), contracts, [] { return std::int64_t{0}; });
  if (!writer) {
    std::cerr << writer.error().message << "\n";
    std::abort();
  }
  std::mt19937_64 rng(11);
  const std::uint64_t blocks_per_chain = std::max<std::uint64_t>(total_logs / 2 / kLogsPerBlock, kHotEvents);
  const std::uint64_t hot_every = blocks_per_chain / kHotEvents;
  sb::BscWorkload bsc(contracts, 1, 20'000);
  sb::TronWorkload tron(contracts, 2, 5'000);
  std::uint64_t hot_n = 0;
  std::uint64_t hot_payouts = 0;
  for (std::uint64_t first = 1; first <= blocks_per_chain; first += kBlocksPerBatch) {
    const std::uint64_t last = std::min(blocks_per_chain, first + kBlocksPerBatch - 1);
    csd::Batch b;
    csd::Batch t;
    for (std::uint64_t h = first; h <= last; ++h) {
      b.blocks.push_back(sb::header(h));
      t.blocks.push_back(sb::header(h));
      const auto n = static_cast<std::uint32_t>(1 + rng() % (2 * kLogsPerBlock - 1));
      bsc.block_logs(h, 0, n, b.logs);
      const auto m = static_cast<std::uint32_t>(1 + rng() % (2 * kLogsPerBlock - 1));
      tron.block_logs(h, 0, m, t.logs, t.tron_txs);
      if (h % hot_every == 0 && hot_n < kHotEvents) {
        b.logs.push_back(bsc.hot_event(h, n, store.hot_user, hot_n++));
        t.logs.push_back(tron.payout_to(h, m, store.hot_recipient));
        t.tron_txs.push_back(csd::TronTxInfo{t.logs.back().tx_hash, h, true, "SUCCESS", 345'000});
        ++hot_payouts;
      }
    }
    b.checkpoint = b.blocks.back();
    t.checkpoint = t.blocks.back();
    t.finalized_height = last > 20 ? last - 20 : 0;  // a solidified head 20 blocks back
    store.logs += b.logs.size() + t.logs.size();
    die_on(writer->apply(csd::ChainId::kBsc, b), "apply bsc");
    die_on(writer->apply(csd::ChainId::kTron, t), "apply tron");
    store.now = b.checkpoint.time;
  }
  // The worst case for a state read: as many state runs as are ever kept
  // (store/account_states.hpp), topped up with one-block BSC batches.
  for (std::uint64_t h = blocks_per_chain + 1;; ++h) {
    auto runs = writer->database().query_int64("SELECT count(DISTINCT seq) FROM account_run");
    if (!runs) {
      std::cerr << "count state runs: " << runs.error().message << "\n";
      std::abort();
    }
    store.state_runs = *runs;
    if (*runs >= csd::account_states::kRunsPerFold - 1) break;
    csd::Batch b;
    b.blocks.push_back(sb::header(h));
    bsc.block_logs(h, 0, 2 * kLogsPerBlock, b.logs);
    b.checkpoint = b.blocks.back();
    store.logs += b.logs.size();
    die_on(writer->apply(csd::ChainId::kBsc, b), "apply bsc");
  }
  sb::truncate_wal(writer->database());
  std::fprintf(stderr,
               "store: %llu logs, %llu bytes (%.1f B/log), hot user %llu events, hot recipient %llu\n",
               static_cast<unsigned long long>(store.logs),
               static_cast<unsigned long long>(csd::store_bytes_on_disk(store.dir.file("store.db"))),
               static_cast<double>(csd::store_bytes_on_disk(store.dir.file("store.db"))) /
                   static_cast<double>(store.logs),
               static_cast<unsigned long long>(hot_n), static_cast<unsigned long long>(hot_payouts));
}

double percentile(std::vector<double> sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(sorted_us.size() - 1) + 0.5);
  return sorted_us[std::min(at, sorted_us.size() - 1)];
}

// Times `query` once per iteration on one reader connection (a fresh read
// snapshot each time); reports p50/p99 in microseconds.
void run_query(benchmark::State& state, const char* name, const QueryStore& store,
               const std::function<bool(csd::Queries&)>& query) {
  auto db = csd::Database::open_reader(store.dir.file("store.db"));
  if (!db) {
    state.SkipWithError(db.error().message.c_str());
    return;
  }
  if (const char* pragma = std::getenv("CSD_BENCH_READER_PRAGMA")) {
    if (auto status = db->exec(pragma); !status) {
      state.SkipWithError(status.error().message.c_str());
      return;
    }
  }
  const csd::QueryConfig config;
  const auto once = [&]() -> bool {
    auto txn = db->begin_read();
    if (!txn) return false;
    csd::Queries queries(*txn, config);
    return query(queries);
  };
  for (int i = 0; i < 20; ++i) {  // warm the page cache and the statement cache
    if (!once()) {
      state.SkipWithError("query failed");
      return;
    }
  }
  std::vector<double> samples_us;
  samples_us.reserve(static_cast<std::size_t>(state.max_iterations));
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const bool good = once();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (!good) {
      state.SkipWithError("query failed");
      return;
    }
    state.SetIterationTime(elapsed.count());
    samples_us.push_back(elapsed.count() * 1e6);
  }
  std::sort(samples_us.begin(), samples_us.end());
  const double p50 = percentile(samples_us, 0.50);
  const double p99 = percentile(samples_us, 0.99);
  state.counters["p50_us"] = p50;
  state.counters["p99_us"] = p99;
  state.counters["store_logs"] = static_cast<double>(store.logs);
  state.counters["state_runs"] = static_cast<double>(store.state_runs);
  std::fprintf(stderr, "%s: p50 %.1f us, p99 %.1f us (%zu samples)\n", name, p50, p99, samples_us.size());
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  QueryStore store;
  const auto start = std::chrono::steady_clock::now();
  build(store, sb::env_u64("CSD_BENCH_STORE_LOGS", 1'000'000));
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::fprintf(stderr, "store built in %.1f s\n", took.count());
  const auto iterations =
      static_cast<benchmark::IterationCount>(sb::env_u64("CSD_BENCH_QUERY_ITERATIONS", 3'000));

  // `cap`: at most this many samples (the stats windows read thousands of rows per call).
  const auto reg = [&](const char* name, std::function<bool(csd::Queries&)> query,
                       benchmark::IterationCount cap = 0) {
    benchmark::RegisterBenchmark(
        name, [&store, name, query](benchmark::State& state) { run_query(state, name, store, query); })
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond)
        ->Iterations(cap > 0 ? std::min(iterations, cap) : iterations);
  };
  reg("BM_Access200Events", [&store](csd::Queries& q) {
    auto view = q.access(store.hot_user, store.now);
    if (!view || view->locks.empty()) return false;
    benchmark::DoNotOptimize(view);
    return true;
  });
  reg("BM_PayoutsPage", [](csd::Queries& q) {
    auto list = q.payouts(csd::PayoutFilters{}, csd::PageRequest{});
    if (!list || list->payouts.size() != csd::kDefaultPageLimit) return false;
    benchmark::DoNotOptimize(list);
    return true;
  });
  reg("BM_PayoutsPageByRecipient", [&store](csd::Queries& q) {
    csd::PayoutFilters filters;
    filters.recipient = csd::tron_address_from_evm20(store.hot_recipient);
    auto list = q.payouts(filters, csd::PageRequest{});
    if (!list || list->payouts.size() != csd::kDefaultPageLimit || list->pagination.total != kHotEvents)
      return false;
    benchmark::DoNotOptimize(list);
    return true;
  });
  // The hot user's ledger, newest page first: each row shown is completed from
  // its raw log (store/ledger_fill.hpp). No goal; not a view of the list.
  reg("BM_LedgerPage", [&store](csd::Queries& q) {
    auto page = q.ledger(store.hot_user, csd::PageRequest{});
    if (!page || page->entries.size() != csd::kDefaultPageLimit || page->pagination.total < kHotEvents)
      return false;
    benchmark::DoNotOptimize(page);
    return true;
  });
  reg("BM_Status", [](csd::Queries& q) {
    auto view = q.status();
    if (!view || view->chains.size() != 3) return false;
    benchmark::DoNotOptimize(view);
    return true;
  });
  // A day of payouts (about a fifth of the TRON rows of the store); the month
  // window reads every latest row.
  reg(
      "BM_PayoutStatsDay",
      [&store](csd::Queries& q) {
        auto stats = q.payout_stats(csd::StatsPeriod::kDay, std::nullopt, store.now);
        if (!stats || stats->total_payouts == 0) return false;
        benchmark::DoNotOptimize(stats);
        return true;
      },
      30);
  reg(
      "BM_PayoutStatsHour",
      [&store](csd::Queries& q) {
        auto stats = q.payout_stats(csd::StatsPeriod::kHour, std::nullopt, store.now);
        if (!stats || stats->total_payouts == 0) return false;
        benchmark::DoNotOptimize(stats);
        return true;
      },
      300);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
