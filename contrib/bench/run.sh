#!/usr/bin/env bash
# Builds the release preset and runs the decoder benchmarks, then prints the
# figures the foundation issue names, each measured in the same run:
#   - Keccak-256 throughput as a ratio of OpenSSL's SHA3-256 (same permutation)
#     on 32 B, 1 KiB and 1 MiB inputs (goal >= 0.7);
#   - ABI decodes of a TierStaked log per second on one core (goal >= 3 M/s).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bench_dir=build/release/contrib/bench
for bench in keccak_bench abi_bench; do
  "$bench_dir/$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/$bench.json" --benchmark_out_format=json >/dev/null
done
node - "$out/keccak_bench.json" "$out/abi_bench.json" <<'JS'
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
JS
