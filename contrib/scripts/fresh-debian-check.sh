#!/usr/bin/env bash
# Proves the README's two commands on a truly fresh Debian 12 (bookworm): builds
# a minimal chroot from a Debian mirror (debootstrap --variant=minbase), puts a
# fresh clone of the repository at /work/main inside it (and a copy of the
# specification directory at /work/shared, the README's ../shared), then runs,
# as root with a clean environment, exactly the commands of the README's first
# ```sh block: the first (the devnet demo), then the example curl queries it
# printed (each must answer), then stops what it left running (the daemon and
# anvil, as its last line says); and/or the second (install, asan build, every
# test). Records each command's exit status, wall time and full output, prints
# their tails, and removes the chroot.
#
# Run as root on a Debian 12 host. The chroot shares the host's network, so the
# demo's ports (8545 and 8645 unless DEVNET_PORT/DEVNET_API say otherwise) must
# be free; DEVNET_PORT, DEVNET_API, DEVNET_DIR and DEVNET_STEPS are passed into
# the chroot (a relative DEVNET_DIR is under /work/main there). Needs git, tar
# and debootstrap (installed with apt when missing); about 6 GB free under the
# chroot directory.
#
#   contrib/scripts/fresh-debian-check.sh [options] [run|test|both]   # default both
#
#   --mirror URL      Debian mirror (default http://deb.debian.org/debian; the
#                     security suite comes from its -security sibling on
#                     deb.debian.org)
#   --repo DIR        repository to clone (default: this script's repository;
#                     the clone holds its committed HEAD, not uncommitted edits)
#   --overlay PATH    copy this repo-relative file from --repo's working tree over
#                     the clone (repeatable): tries an uncommitted fix
#   --root DIR        chroot directory (default /srv/deb12; must not exist or be
#                     a previous chroot of this script)
#   --base FILE       tarball of the bare debootstrap result (default
#                     /srv/deb12-base.tgz): unpacked when present, written after
#                     debootstrap when not, so retries skip the download yet each
#                     one starts from an untouched system
#   --logs DIR        where outputs go (default /srv/fresh-debian-check-logs)
#   --keep            leave the chroot directory in place (still unmounted)
#   --no-host-ca      do not copy the host's local CA certificates
#                     (/usr/local/share/ca-certificates/*.crt) into the chroot's;
#                     by default they are, so a host whose HTTPS egress goes
#                     through a TLS-inspecting proxy reaches the npm registry
#                     from the chroot as a fresh machine on that network would
#                     (Debian's ca-certificates, installed by install-deps.sh,
#                     adds them to /etc/ssl/certs)
#
# Exit status: 0 every requested command passed, 1 one failed, 2 usage or setup
# error. Every exit path stops the processes left in the chroot and unmounts
# everything this script mounted (trap on EXIT, INT and TERM).
set -euo pipefail

die() { echo "fresh-debian-check: $1" >&2; exit "${2:-2}"; }
say() { echo "fresh-debian-check: $*"; }

script_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mirror="http://deb.debian.org/debian"
repo="$script_repo"
root="/srv/deb12"
base="/srv/deb12-base.tgz"
logs="/srv/fresh-debian-check-logs"
keep=0
host_ca=1
overlays=()
which_commands="both"

while (($# > 0)); do
  case "$1" in
    --mirror) mirror="${2:?--mirror needs a URL}"; shift 2 ;;
    --repo) repo="${2:?--repo needs a directory}"; shift 2 ;;
    --overlay) overlays+=("${2:?--overlay needs a path}"); shift 2 ;;
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --base) base="${2:?--base needs a file}"; shift 2 ;;
    --logs) logs="${2:?--logs needs a directory}"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-host-ca) host_ca=0; shift ;;
    run | test | both) which_commands="$1"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

((EUID == 0)) || die "run as root (debootstrap, chroot and mount need it)"
[[ "$root" == /* && "$root" != / ]] || die "--root must be an absolute path other than /"
root="${root%/}"
git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || die "--repo $repo is not a git repository"
repo="$(cd "$repo" && pwd)"
for path in "${overlays[@]}"; do
  [[ -f "$repo/$path" ]] || die "--overlay $path: no such file in $repo"
done
port="${DEVNET_PORT:-8545}"
api="${DEVNET_API:-127.0.0.1:8645}"

# Lists the mount points at or under $root, deepest first (so they unmount in order).
mounts_under_root() {
  awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Stops every process whose root directory is the chroot, by pid (only ours live there).
stop_chroot_processes() {
  local signal pid link found
  for signal in TERM KILL; do
    found=0
    for link in /proc/[0-9]*/root; do
      pid="${link#/proc/}"; pid="${pid%/root}"
      [[ "$(readlink "$link" 2>/dev/null)" == "$root" ]] || continue
      found=1
      kill "-$signal" "$pid" 2>/dev/null || true
    done
    ((found)) || return 0
    sleep 2
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -d "$root" ]]; then
    stop_chroot_processes
    local point
    for point in $(mounts_under_root); do
      umount "$point" 2>/dev/null || umount -l "$point" || echo "fresh-debian-check: could not unmount $point" >&2
    done
    if [[ -n "$(mounts_under_root)" ]]; then
      echo "fresh-debian-check: still mounted under $root, not removing it:" >&2
      mounts_under_root >&2
      status=2
    elif ((keep == 0)); then
      rm -rf --one-file-system "$root"
    fi
  fi
  exit "$status"
}

# A previous chroot is only removed when nothing is mounted under it.
if [[ -e "$root" ]]; then
  # Only a directory this script could have made: empty, or a Debian root.
  [[ -f "$root/etc/debian_version" || -z "$(ls -A "$root")" ]] ||
    die "$root exists and is not a Debian chroot; not removing it"
  [[ -z "$(mounts_under_root)" ]] || die "$root has mounts under it (another check running?): $(mounts_under_root | tr '\n' ' ')"
  say "removing the previous $root"
  rm -rf --one-file-system "$root"
fi
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$logs"

# ---- 1. a bare Debian 12 ----
if [[ -f "$base" ]]; then
  say "unpacking $base into $root"
  mkdir -p "$root"
  tar -C "$root" -xzf "$base"
else
  command -v debootstrap >/dev/null 2>&1 || {
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  say "debootstrap --variant=minbase bookworm $root $mirror"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$logs/debootstrap.log" 2>&1 ||
    die "debootstrap failed: $(tail -n 5 "$logs/debootstrap.log")"
  say "saving the bare system as $base"
  tar -C "$root" -czf "$base.tmp" . && mv "$base.tmp" "$base"
fi

# The suites a Debian 12 install has (updates and security, as the host does).
cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# debootstrap writes no /etc/hosts; every installed Debian has one (the
# installer's, or a cloud image's) resolving localhost, which the tests use.
cat >"$root/etc/hosts" <<'HOSTS'
127.0.0.1	localhost
::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
HOSTS
if ((host_ca)) && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  say "copied the host's local CA certificates: $(cd /usr/local/share/ca-certificates && echo *.crt)"
fi

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
for point in /dev /dev/pts /dev/shm; do
  mkdir -p "$root$point"
  mount --bind "$point" "$root$point"
  mount --make-private "$root$point"  # nothing mounted in the chroot leaks back to the host
done

# ---- 2. the repository, as a fresh clone, and ../shared ----
mkdir -p "$root/work"
git clone --quiet "$repo" "$root/work/main"
say "cloned $repo at $(git -C "$root/work/main" rev-parse --short HEAD) into $root/work/main"
for path in "${overlays[@]}"; do
  cp "$repo/$path" "$root/work/main/$path"
  say "overlaid the working tree's $path"
done
if [[ -d "$repo/../shared" ]]; then
  cp -a "$repo/../shared" "$root/work/shared"
fi

# The README's commands: the non-comment lines of its first ```sh block.
mapfile -t readme_commands < <(awk '/^```sh$/ { inside = 1; next } inside && /^```/ { exit }
  inside && !/^[[:space:]]*(#|$)/ { print }' "$root/work/main/README.md")
((${#readme_commands[@]} == 2)) || die "expected 2 commands in README.md's first sh block, found ${#readme_commands[@]}"

# Runs one command as root in the chroot with a login-like clean environment.
in_chroot() {
  chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${DEVNET_PORT:+DEVNET_PORT=$DEVNET_PORT} ${DEVNET_API:+DEVNET_API=$DEVNET_API} \
    ${DEVNET_DIR:+DEVNET_DIR=$DEVNET_DIR} ${DEVNET_STEPS:+DEVNET_STEPS=$DEVNET_STEPS} \
    /bin/bash -c "cd /work/main && $1"
}

summary=()
failed=0
run_readme_command() {  # name, command
  local name="$1" command="$2" log="$logs/$1.log" start status
  say "[$name] $command"
  start="$(date +%s)"
  set +e
  in_chroot "$command" </dev/null 2>&1 | tee "$log" | sed -u "s/^/  [$name] /"
  status="${PIPESTATUS[0]}"
  set -e
  local seconds=$(($(date +%s) - start))
  summary+=("$name: exit $status, $((seconds / 60))m$((seconds % 60))s, log $log")
  say "[$name] exit $status after ${seconds}s; last lines:"
  tail -n 25 "$log" | sed "s/^/  | /"
  ((status == 0)) || failed=1
}

if [[ "$which_commands" == run || "$which_commands" == both ]]; then
  if ss_out="$( (command -v ss >/dev/null && ss -ltnH) 2>/dev/null)"; then
    for taken in "127.0.0.1:$port" "0.0.0.0:$port" "$api"; do
      ! grep -qF " $taken " <<<"$ss_out " || die "$taken is in use on the host; set DEVNET_PORT/DEVNET_API"
    done
  fi
  run_readme_command run "${readme_commands[0]}"
  # The example queries the demo printed must answer (HTTP 2xx) while it runs.
  if ((failed == 0)); then
    queries=0
    while IFS= read -r query; do
      queries=$((queries + 1))
      if in_chroot "${query/curl -s /curl -sfS -o /dev/null }"; then
        say "[run] example query ok: $query"
      else
        say "[run] example query FAILED: $query"; failed=1
      fi
    done < <(sed -n 's/^  \(curl -s .*\)$/\1/p' "$logs/run.log")
    ((queries > 0)) || { say "[run] the demo printed no example queries"; failed=1; }
    summary+=("run: $queries example queries tried")
  fi
  # What the demo leaves running (its last line says how to stop it).
  # shellcheck disable=SC2016  # expands in the chroot's shell
  in_chroot 'd="${DEVNET_DIR:-build/devnet}"; [[ -f "$d/chainsyncd.pid" ]] && kill "$(cat "$d/chainsyncd.pid")";
    bash contrib/devnet/anvil.sh stop "${DEVNET_PORT:-8545}"' || true
  stop_chroot_processes
fi
if [[ "$which_commands" == test || "$which_commands" == both ]]; then
  run_readme_command test "${readme_commands[1]}"
fi

say "disk used by $root: $(du -sh --one-file-system "$root" | cut -f1)"
for line in "${summary[@]}"; do say "$line"; done
((failed == 0)) || exit 1
