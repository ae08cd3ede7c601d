#!/usr/bin/env bash
# Builds the release preset and runs the decoder benchmarks, then prints the
# figures the foundation issue names, each measured in the same run:
#   - Keccak-256 throughput as a ratio of OpenSSL's SHA3-256 (same permutation)
#     on 32 B, 1 KiB and 1 MiB inputs (goal >= 0.7);
#   - ABI decodes of a TierStaked log per second on one core (goal >= 3 M/s);
# and the store figures of issue 4, each measured in the same run:
#   - ingest of BSC logs through Writer::apply (goal >= 250 000 logs/s), the
#     floor (bare INSERT of the same raw rows), their ratio (goal >= 0.4) and
#     database bytes per stored log;
#   - p50/p99 latency of the access and payouts queries in a 1 000 000-log
#     store (goal p50 < 50 us, p99 < 200 us). CSD_BENCH_STORE_LOGS shrinks the
#     store (the 1M build takes about 1.5 minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# CSD_BENCH_BUILD_DIR: another binary dir for the release preset (default build/release).
build_dir="${CSD_BENCH_BUILD_DIR:-build/release}"
cmake --preset release -B "$build_dir" >/dev/null
cmake --build "$build_dir" -j2 >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bench_dir="$build_dir/contrib/bench"
"$bench_dir/store_ingest_bench" --benchmark_out="$out/store_ingest_bench.json" --benchmark_out_format=json \
  >/dev/null
"$bench_dir/store_query_bench" --benchmark_out="$out/store_query_bench.json" --benchmark_out_format=json \
  >/dev/null 2>"$out/store_query_bench.log"
for bench in keccak_bench abi_bench; do
  "$bench_dir/$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/$bench.json" --benchmark_out_format=json >/dev/null
done
node - "$out/keccak_bench.json" "$out/abi_bench.json" "$out/store_ingest_bench.json" \
  "$out/store_query_bench.json" <<'JS'
const fs = require('fs');
const median = (file) => {
  const rows = JSON.parse(fs.readFileSync(file)).benchmarks.filter((b) => b.aggregate_name === 'median');
  return Object.fromEntries(rows.map((b) => [b.run_name, b]));
};
const keccak = median(process.argv[2]);
for (const size of ['32', '1024', '1048576']) {
  const ours = keccak[`BM_Keccak256/${size}`].bytes_per_second;
  const ossl = keccak[`BM_OpenSslSha3_256/${size}`].bytes_per_second;
  console.log(`keccak256 ${size.padStart(7)} B: ${(ours / 1e6).toFixed(1)} MB/s, OpenSSL SHA3-256 ` +
              `${(ossl / 1e6).toFixed(1)} MB/s, ratio ${(ours / ossl).toFixed(2)}`);
}
const abi = median(process.argv[3]);
for (const [name, row] of Object.entries(abi)) {
  console.log(`${name}: ${(row.items_per_second / 1e6).toFixed(2)} M logs/s`);
}
const rows = (file) => Object.fromEntries(
    JSON.parse(fs.readFileSync(file)).benchmarks.map((b) => [b.run_name.split('/')[0], b]));
const ingest = rows(process.argv[4]);
const ours = ingest.BM_StoreIngest.items_per_second;
const floor = ingest.BM_RawInsertFloor.items_per_second;
console.log(`store ingest: ${Math.round(ours)} logs/s, floor (bare INSERT) ${Math.round(floor)} logs/s, ` +
            `ratio ${(ours / floor).toFixed(3)}, ${ingest.BM_StoreIngest.bytes_per_log.toFixed(0)} bytes/log`);
const query = rows(process.argv[5]);
for (const [name, row] of Object.entries(query)) {
  console.log(`${name} (${Math.round(row.store_logs)} logs): p50 ${row.p50_us.toFixed(1)} us, ` +
              `p99 ${row.p99_us.toFixed(1)} us`);
}
JS
