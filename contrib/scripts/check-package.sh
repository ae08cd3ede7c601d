#!/usr/bin/env bash
# Builds the Debian package and checks it on this machine, end to end:
#   1. configure the release preset (benchmarks off), build, `cpack -G DEB`;
#   2. inspect the .deb (dpkg-deb --info/--contents): control fields,
#      library dependencies, conffiles, maintainer scripts, every file, the
#      DEP-5 copyright; lintian's verdict when lintian is installed;
#   3. `dpkg -i` it (root only; refuses if chainsyncd is already installed),
#      then check the system user, the state directory, the conffile's
#      owner and mode, the logrotate config (logrotate --debug), the unit
#      (systemd-analyze verify, and the exposure score of systemd-analyze
#      security, which must be <= 2.0), the man page,
#      `chainsyncd --version`, and `chainsyncd check-config` on the installed
#      configuration;
#   4. start the installed daemon as the chainsyncd user with the installed
#      configuration — outside systemd when systemd is not the running init
#      (a container) — wait until its database exists, run `status`, stop it
#      with SIGTERM and expect exit 0;
#   5. install again over itself (the upgrade path of the maintainer
#      scripts), then `dpkg --purge` and check that nothing is left but the
#      system user (Debian Policy leaves removing users to the admin).
#
# Slow (a full release build): not part of ctest.
# Environment: CHAINSYNCD_PACKAGE_BUILD_DIR (default build/package),
# JOBS (build parallelism, default 2), CHAINSYNCD_PACKAGE_DEB (check this
# .deb instead of building one).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${CHAINSYNCD_PACKAGE_BUILD_DIR:-$repo/build/package}"
jobs="${JOBS:-2}"

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
ok() { printf 'ok: %s\n' "$*"; }

if [ -n "${CHAINSYNCD_PACKAGE_DEB:-}" ]; then
  step "checking the given package (no build)"
  deb="$CHAINSYNCD_PACKAGE_DEB"
else
  step "build (release preset) and package"
  cmake --preset release -B "$build" -S "$repo" -DCHAINSYNCD_BENCH=OFF >/dev/null
  cmake --build "$build" -j "$jobs"
  rm -f "$build"/chainsyncd_*.deb
  (cd "$build" && cpack -G DEB)
  deb="$(ls "$build"/chainsyncd_*.deb)"
fi
[ -f "$deb" ] || fail "no package: $deb"
version="$(sed -n 's/^project(chainsyncd VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")"
ok "built $deb"

step "inspect the package"
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = chainsyncd ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), project says $version"
field Depends | grep -q 'libc6' || fail "Depends has no shared-library dependencies: $(field Depends)"
ok "Depends: $(field Depends)"
control="$(mktemp -d)"
trap 'rm -rf "$control"' EXIT
dpkg-deb --control "$deb" "$control"
grep -qx '/etc/chainsyncd/chainsyncd.toml' "$control/conffiles" || fail "conffiles lacks the config"
grep -qx '/etc/logrotate.d/chainsyncd' "$control/conffiles" || fail "conffiles lacks the logrotate config"
for script in postinst prerm postrm; do
  [ -x "$control/$script" ] || fail "$script missing or not executable"
  sh -n "$control/$script" || fail "$script: syntax error"
done
contents="$(dpkg-deb --contents "$deb" | awk '{print $1, $2, $NF}')"
expect_file() {  # mode owner/group path
  grep -qxF -- "$1 $2 $3" <<<"$contents" || fail "package: expected $1 $2 $3"
}
expect_file -rwxr-xr-x root/root ./usr/bin/chainsyncd
expect_file -rw-r--r-- root/root ./usr/lib/systemd/system/chainsyncd.service
expect_file -rw-r--r-- root/root ./usr/lib/sysusers.d/chainsyncd.conf
expect_file -rw-r--r-- root/root ./usr/share/man/man8/chainsyncd.8.gz
expect_file -rw-r--r-- root/root ./usr/share/doc/chainsyncd/chainsyncd.example.toml
expect_file -rw-r--r-- root/root ./usr/share/doc/chainsyncd/copyright
expect_file -rw-r--r-- root/root ./usr/share/doc/chainsyncd/changelog.gz
expect_file -rw-r--r-- root/root ./usr/share/lintian/overrides/chainsyncd
expect_file -rw-r----- root/root ./etc/chainsyncd/chainsyncd.toml
expect_file -rw-r--r-- root/root ./etc/logrotate.d/chainsyncd
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/chainsyncd/copyright |
  grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/$' ||
  fail "copyright is not in the DEP-5 format"
ok "package layout, modes and conffiles"
if command -v lintian >/dev/null 2>&1; then
  lintian "$deb" || true  # advisory: a CPack-built package is not a Debian source package
fi

step "install"
[ "$(id -u)" -eq 0 ] || fail "installing needs root (run the script as root, e.g. in a throwaway container)"
if dpkg-query -W -f='${Status}' chainsyncd 2>/dev/null | grep -q 'installed'; then
  fail "chainsyncd is already installed here; this check installs and purges its own copy"
fi
[ ! -e /usr/bin/chainsyncd ] || fail "/usr/bin/chainsyncd exists but belongs to no package"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill -KILL "$daemon_pid" 2>/dev/null || true; fi
  dpkg --purge chainsyncd >/dev/null 2>&1 || true
  rm -rf "$control"
}
trap cleanup EXIT
dpkg -i "$deb"
dpkg-query -W -f='${Package} ${Version} ${Status}\n' chainsyncd

step "verify the installed files"
dpkg -L chainsyncd
getent passwd chainsyncd >/dev/null || fail "no chainsyncd user"
ok "user: $(getent passwd chainsyncd)"
[ "$(stat -c '%U:%G %a' /var/lib/chainsyncd)" = "chainsyncd:chainsyncd 750" ] ||
  fail "state directory: $(stat -c '%U:%G %a' /var/lib/chainsyncd)"
ok "state directory /var/lib/chainsyncd: chainsyncd:chainsyncd 750"
[ "$(stat -c '%U:%G %a' /etc/chainsyncd/chainsyncd.toml)" = "root:chainsyncd 640" ] ||
  fail "config: $(stat -c '%U:%G %a' /etc/chainsyncd/chainsyncd.toml)"
ok "config /etc/chainsyncd/chainsyncd.toml: root:chainsyncd 640"
if command -v logrotate >/dev/null 2>&1; then
  logrotate --debug /etc/logrotate.d/chainsyncd >/dev/null 2>&1 ||
    { logrotate --debug /etc/logrotate.d/chainsyncd || true; fail "logrotate rejects /etc/logrotate.d/chainsyncd"; }
  ok "logrotate --debug /etc/logrotate.d/chainsyncd: accepted"
fi
cmp -s /etc/chainsyncd/chainsyncd.toml /usr/share/doc/chainsyncd/chainsyncd.example.toml ||
  fail "installed config differs from the example"
unit=/usr/lib/systemd/system/chainsyncd.service
grep -q '^ExecStart=/usr/bin/chainsyncd run --config /etc/chainsyncd/chainsyncd.toml$' "$unit" ||
  fail "unit ExecStart: $(grep ExecStart= "$unit")"
systemd-analyze verify "$unit" || fail "systemd-analyze verify $unit"
ok "systemd-analyze verify $unit: clean"
exposure="$(systemd-analyze security --offline=true "$unit" | sed -n 's/.*Overall exposure level for chainsyncd.service: \([0-9.]*\).*/\1/p')"
[ -n "$exposure" ] || fail "no exposure score from systemd-analyze security"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure > 2.0"
ok "systemd-analyze security --offline=true $unit: exposure $exposure (<= 2.0)"
zcat /usr/share/man/man8/chainsyncd.8.gz | groff -man -Tutf8 -ww 2>&1 >/dev/null | (! grep .) || fail "man page warnings"
ok "man page chainsyncd(8) renders without warnings"
installed_version="$(/usr/bin/chainsyncd --version)"
[ "$installed_version" = "chainsyncd $version" ] || fail "--version printed: $installed_version"
ok "/usr/bin/chainsyncd --version: $installed_version"
# setpriv execs the command itself (no session wrapper), so $! below is the
# daemon and it receives SIGTERM directly.
as_service() { setpriv --reuid=chainsyncd --regid=chainsyncd --init-groups --reset-env -- "$@"; }
as_service /usr/bin/chainsyncd check-config --config /etc/chainsyncd/chainsyncd.toml ||
  fail "check-config on the installed config"
ok "check-config (as chainsyncd) on /etc/chainsyncd/chainsyncd.toml"

step "start the installed daemon"
if [ -d /run/systemd/system ]; then
  systemctl is-active --quiet chainsyncd.service || { systemctl status chainsyncd.service || true; fail "service not active"; }
  systemctl status --no-pager chainsyncd.service || true
  ok "chainsyncd.service is active under systemd"
else
  echo "systemd is not the running init here: postinst enabled the unit but could not start it;"
  echo "running the installed binary as the service user with the installed config instead"
  log="$(mktemp)"
  (cd / && umask 0077 && exec setpriv --reuid=chainsyncd --regid=chainsyncd --init-groups --reset-env -- \
    /usr/bin/chainsyncd run --config /etc/chainsyncd/chainsyncd.toml) >"$log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 1 300); do
    [ -f /var/lib/chainsyncd/chainsyncd.db ] && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$log"; fail "daemon exited early"; }
    sleep 0.1
  done
  [ -f /var/lib/chainsyncd/chainsyncd.db ] || { cat "$log"; fail "no database after 30 s"; }
  ok "database created: $(stat -c '%U:%G %a %n' /var/lib/chainsyncd/chainsyncd.db)"
  # The example config enables bsc at 127.0.0.1:8545: with no node there the
  # daemon must keep retrying, not exit.
  sleep 3
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$log"; fail "daemon exited within 3 s of starting"; }
  ok "daemon still running after 3 s"
  as_service /usr/bin/chainsyncd status --config /etc/chainsyncd/chainsyncd.toml || fail "status"
  kill -TERM "$daemon_pid"
  code=0
  wait "$daemon_pid" || code=$?
  daemon_pid=""
  sed 's/^/  daemon: /' "$log"
  rm -f "$log"
  [ "$code" -eq 0 ] || fail "daemon exit code after SIGTERM: $code"
  ok "SIGTERM: exit 0"
fi

step "reinstall over itself (upgrade path), then purge"
dpkg -i "$deb" >/dev/null
[ "$(stat -c '%U:%G %a' /etc/chainsyncd/chainsyncd.toml)" = "root:chainsyncd 640" ] || fail "config mode after reinstall"
ok "reinstall keeps the config's owner and mode"
dpkg --purge chainsyncd
for path in /usr/bin/chainsyncd "$unit" /usr/lib/sysusers.d/chainsyncd.conf /etc/chainsyncd /var/lib/chainsyncd \
  /usr/share/doc/chainsyncd /usr/share/man/man8/chainsyncd.8.gz /etc/logrotate.d/chainsyncd /var/log/chainsyncd \
  /usr/share/lintian/overrides/chainsyncd; do
  [ ! -e "$path" ] || fail "left after purge: $path"
done
ok "purge removed every file, the config and the state directory (the chainsyncd user stays, as policy says)"

step "package check passed: $deb"
