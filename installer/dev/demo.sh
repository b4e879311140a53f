#!/usr/bin/env bash
# BurnGuard demo: installs what is missing, builds, then runs a throw-away station in a
# temporary directory: the daemon on the documented example config, `doctor`, a call refused
# for lack of a role, and a config with mistakes. Stops everything it started and removes the
# temporary directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/installer/dev/setup.sh"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building BurnGuard (mvn package, tests skipped: run installer/dev/test.sh for those)"
(cd "$top" && mvn -B -q -DskipTests package)
bg="$top/agent/target/burnguard/bin/burnguard"

work=$(mktemp -d -t burnguard-demo.XXXXXX)
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

me_group=$(id -gn)
step "A station in $work, from station-config/examples/station.yaml"
sed -e "s#/var/lib/burnguard#$work/data#g" \
    -e "s#/run/burnguard/control.sock#$work/run/control.sock#" \
    -e "s#socketGroup: burnguard#socketGroup: $me_group#" \
    -e "s#burnguard-eng: engineer#$me_group: engineer#" \
    "$top/station-config/examples/station.yaml" > "$work/station.yaml"
export BURNGUARD_CONFIG="$work/station.yaml"
echo "(data dir, socket and the engineer role's group rewritten for this demo: $me_group -> engineer)"
"$bg" config check "$work/station.yaml"

step "Starting the daemon: burnguard agent run --config $work/station.yaml"
"$bg" agent run --config "$work/station.yaml" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 150); do
  [ -S "$work/run/control.sock" ] && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log"; exit 5; }
  sleep 0.1
done

step "burnguard doctor"
"$bg" doctor

step "burnguard audit verify: needs the security role, which $me_group does not map to (exit 3)"
set +e
"$bg" audit verify
echo "exit code: $?"
set -e

step "A station.yaml with three mistakes: every problem is reported at once (exit 2)"
sed -e 's#dataDir: .*#dataDir: data#' -e 's#threshold: 2#threshold: two#' \
    -e 's#maxDatabaseAge: 3d#maxDatabaseAge: 3 days#' "$work/station.yaml" > "$work/bad.yaml"
set +e
"$bg" config check "$work/bad.yaml"
echo "exit code: $?"
set -e

step "Stopping the daemon with SIGTERM"
kill -TERM "$daemon_pid"
wait "$daemon_pid"
echo "daemon exited with status $?"
daemon_pid=""
tail -n 3 "$work/daemon.log"
step "Done; the temporary station is removed."
