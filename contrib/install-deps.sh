#!/usr/bin/env bash
# Installs everything chainsyncd's build and tests need on a fresh Debian 12,
# run as root. Idempotent: a second run installs nothing and takes seconds.
# Debian packages come from apt; the npm test tools (ethers, @solana/web3.js,
# tronweb, anvil, solc, ...) from the npm registry into contrib/node/, pinned by
# its lockfile. Nothing is downloaded at build time.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

debian_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev libssl-dev
  libsodium-dev libsecp256k1-dev
  libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev
  libsimdjson-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  libsystemd-dev prometheus
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
)

missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js and npm run the test tools. A machine may already carry a newer
# Node.js from another source; only install Debian's when there is none.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
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
