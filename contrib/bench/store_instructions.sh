#!/usr/bin/env bash
# Instructions per log of store ingest (Writer::apply: raw rows, derived rows
# and checkpoint, a transaction per 1 000 blocks) and of the floor (a bare
# INSERT of the same raw rows in one transaction), counted by callgrind over
# the timed part of store_ingest_bench only, and their ratio. Unlike the wall
# clock (run.sh), the count does not move with the shared machine's load: the
# same binary and input give the same figure, so a change's effect shows even
# when it is smaller than the noise. CSD_BENCH_INGEST_BATCHES (default 10 here)
# sets the batches; callgrind runs ~50x slower than native.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! command -v valgrind >/dev/null || [[ ! -f /usr/include/valgrind/callgrind.h ]]; then
  echo "store_instructions.sh: needs Debian's valgrind (apt-get install valgrind), then a rebuild" >&2
  exit 1
fi
build_dir="${CSD_BENCH_BUILD_DIR:-build/release}"
cmake --preset release -B "$build_dir" >/dev/null
cmake --build "$build_dir" -j2 --target store_ingest_bench >/dev/null
export CSD_BENCH_INGEST_BATCHES="${CSD_BENCH_INGEST_BATCHES:-10}"
# One thread: the count is switched on and off by the benchmark's thread, and
# callgrind would leave out the instructions of the writer's second thread.
export CSD_BENCH_ONE_THREAD=1
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for bench in StoreIngest RawInsertFloor; do
  valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/$bench.callgrind" \
    "$build_dir/contrib/bench/store_ingest_bench" --benchmark_filter="^BM_$bench" \
    --benchmark_format=json >"$out/$bench.json" 2>"$out/$bench.log"
done
node - "$out" <<'JS'
const fs = require('fs');
const dir = process.argv[2];
const perLog = (bench) => {
  const run = JSON.parse(fs.readFileSync(`${dir}/${bench}.json`)).benchmarks[0];
  const text = fs.readFileSync(`${dir}/${bench}.callgrind`, 'utf8');
  const total = Number((text.match(/^(?:summary|totals): (\d+)/m) || [])[1]);
  if (!total) throw new Error(`${bench}: no instruction total in the callgrind output`);
  return total / (run.iterations * run.logs);
};
const ingest = perLog('StoreIngest');
const floor = perLog('RawInsertFloor');
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`ingest: ${fmt(ingest)} instructions per log`);
console.log(`floor:  ${fmt(floor)} instructions per log`);
console.log(`floor/ingest (the instruction-count ratio; goal of the wall-clock ratio >= 0.4): ${(floor / ingest).toFixed(3)}`);
JS
