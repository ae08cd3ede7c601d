#!/usr/bin/env bash
# Starts or stops the local BSC devnet: anvil from npm
# (contrib/node/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil) with
# chain id 56 on 127.0.0.1, a fresh in-memory chain (no state file), silent.
#
#   contrib/devnet/anvil.sh start [PORT]   # default 8545; returns once eth_chainId answers 0x38
#   contrib/devnet/anvil.sh stop  [PORT]
#   contrib/devnet/anvil.sh status [PORT]
#
# Environment: ANVIL_PID_FILE (default ${TMPDIR:-/tmp}/chainsyncd-devnet-anvil-PORT.pid; the
# log goes next to it with .log), DEVNET_GENESIS_TIME (unix seconds of the genesis block;
# default: the wall clock), ANVIL_BIN (another anvil binary).
# Flags given to anvil: --chain-id 56 --host 127.0.0.1 --port PORT --silent [--timestamp T].
# Exit status: 0 done, 2 usage error, 1 failure (message on stderr).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
anvil="${ANVIL_BIN:-$here/../node/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}"

die() { echo "anvil.sh: $1" >&2; exit "${2:-1}"; }
usage() { die "usage: anvil.sh start|stop|status [PORT]" 2; }

(($# >= 1 && $# <= 2)) || usage
command="$1"
port="${2:-8545}"
[[ "$port" =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) || die "bad port '$port'" 2
pid_file="${ANVIL_PID_FILE:-${TMPDIR:-/tmp}/chainsyncd-devnet-anvil-$port.pid}"
log_file="$pid_file.log"

# Prints the chain id the port answers (decimal), or nothing.
chain_id_at() {
  node -e '
    fetch(process.argv[1], {method: "POST", headers: {"content-type": "application/json"},
      body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "eth_chainId", params: []}),
      signal: AbortSignal.timeout(2000)})
      .then((r) => r.json()).then((j) => console.log(Number(BigInt(j.result))))
      .catch(() => {});' "http://127.0.0.1:$port"
}

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # Only our anvil: a recycled pid of another program is not ours to signal.
  grep -q anvil "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

case "$command" in
  start)
    [[ -x "$anvil" ]] || die "anvil binary not found at $anvil (run contrib/install-deps.sh)"
    if pid="$(running_pid)"; then die "already running (pid $pid, $pid_file)"; fi
    [[ -z "$(chain_id_at)" ]] || die "port $port already answers JSON-RPC (another node?)"
    args=(--chain-id 56 --host 127.0.0.1 --port "$port" --silent)
    if [[ -n "${DEVNET_GENESIS_TIME:-}" ]]; then
      [[ "$DEVNET_GENESIS_TIME" =~ ^[0-9]+$ ]] || die "DEVNET_GENESIS_TIME must be unix seconds" 2
      args+=(--timestamp "$DEVNET_GENESIS_TIME")
    fi
    mkdir -p "$(dirname "$pid_file")"
    # setsid: the node outlives this script and its terminal.
    setsid "$anvil" "${args[@]}" >"$log_file" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pid_file"
    for _ in $(seq 1 300); do  # up to 30 s on a loaded machine
      if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$pid_file"
        die "anvil exited at start: $(tail -n 5 "$log_file")"
      fi
      id="$(chain_id_at)"
      if [[ "$id" == 56 ]]; then
        echo "anvil.sh: running on http://127.0.0.1:$port (pid $pid, chain id 56)"
        exit 0
      fi
      [[ -z "$id" ]] || { kill "$pid"; rm -f "$pid_file"; die "port $port answers chain id $id, not 56"; }
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    die "anvil did not answer eth_chainId on port $port within 30 s"
    ;;
  stop)
    pid="$(running_pid)" || { rm -f "$pid_file"; die "not running (no live anvil in $pid_file)"; }
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; echo "anvil.sh: stopped (pid $pid)"; exit 0; }
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    echo "anvil.sh: killed (pid $pid)"
    ;;
  status)
    if pid="$(running_pid)"; then echo "anvil.sh: running (pid $pid, port $port)"; else die "not running"; fi
    ;;
  *) usage ;;
esac
