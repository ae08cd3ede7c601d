#!/usr/bin/env bash
# Installs everything chainsyncd's build and tests need on a fresh Debian 12,
# run as root. Idempotent: a second run installs nothing and takes seconds.
# Debian packages come from apt; the npm test tools (ethers, @solana/web3.js,
# tronweb, anvil, solc, ...) from the npm registry into contrib/node/, pinned by
# its lockfile. Nothing is downloaded at build time.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# curl: the devnet demo's example queries (contrib/scripts/devnet-demo.sh).
# clang-format-14: the clang_format test (cmake/format_check.cmake).
# prometheus: promtool, which checks /metrics (see below for its server).
debian_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libboost1.81-dev libssl-dev
  libsodium-dev libsecp256k1-dev
  libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev
  libsimdjson-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  libsystemd-dev prometheus
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format-14
)

missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js and npm run the test tools. A machine may already carry a newer
# Node.js from another source; only install Debian's when there is none.
# Debian 12's nodejs 18 and npm 9 run every locked tool (checked by
# contrib/scripts/fresh-debian-check.sh); npm ci only warns that some
# packages ask for Node 20.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Only promtool is wanted, but the package also enables a Prometheus server
  # on :9090. One installed here is stopped and disabled again; a server the
  # machine already had is left alone.
  if [[ " ${missing[*]} " == *" prometheus "* && -d /run/systemd/system ]]; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
    echo "install-deps: prometheus installed for promtool; its server is disabled"
  fi
else
  echo "install-deps: Debian packages already installed"
fi

# npm test tools, exactly as locked. A stamp of the lockfile's hash skips the
# reinstall when nothing changed.
node_dir="$repo_root/contrib/node"
if [[ -f "$node_dir/package-lock.json" ]]; then
  stamp="$node_dir/node_modules/.chainsyncd-lock-sha256"
  want="$(sha256sum "$node_dir/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    echo "install-deps: npm ci in contrib/node"
    npm ci --prefix "$node_dir" --no-audit --no-fund --loglevel=error
    echo "$want" >"$stamp"
  else
    echo "install-deps: npm test tools already installed"
  fi
fi
node "$repo_root/contrib/devnet/build.mjs"  # compiles the devnet contracts (contrib/devnet/README.md); a no-op when unchanged
