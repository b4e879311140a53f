#!/usr/bin/env bash
# Issue 17 benchmark: how fast the CLI starts, earlier commits' launchers (BEFORE_REFS) against
# the working tree's, side by side in one run. hyperfine runs each command RUNS times per round;
# the rounds rotate which side goes first, and the median and minimum over all rounds are reported
# (the machine is shared: interleaving spreads the other builders' load over every side).
#   --version          JVM start, the version line, exit
#   burn, no daemon    `burn --socket` to a socket nobody serves: command line, request, connect,
#                      the answer "cannot reach the BurnGuard daemon", output, exit 5
#   burn, stand-in     the operator's line `burn --fixture --barcode` with the station config
#                      (BURNGUARD_CONFIG, as /etc/burnguard/station.yaml), whose socket a stand-in
#                      daemon serves (stand-in-daemon.py: a progress line, an info line, PASS): the
#                      whole client path of a burn, without the daemon's work and the driver
# Each launcher uses a class-data archive it made first (burnguard --make-cds-archive, as the
# package's postinst does), when it has that command. A real burn: bench/burn/run.sh.
# Usage: bench/cli/run.sh [BEFORE_REFS=main (comma-separated)] [ROUNDS=5] [RUNS=5]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
refs=${1:-main} rounds=${2:-5} runs=${3:-5}
command -v hyperfine >/dev/null || { echo "bench/cli: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
work=$(mktemp -d)
standin=""
trap '[ -z "$standin" ] || kill "$standin"; rm -rf "$work"' EXIT
sides="" i=0
for ref in ${refs//,/ }; do
  i=$((i + 1))
  app=$("$top/bench/cli/before-app.sh" "$ref")
  printf '%s\n' "$app" >"$work/side-$i.app"
  printf '%s (%s)\n' "$ref" "$(git -C "$top" rev-parse --short "$ref")" >"$work/side-$i.name"
  sides="$sides side-$i"
done
# a fresh lib/: copy-dependencies keeps a jar already there when it looks newer
rm -rf "$top/agent/target/burnguard"
(cd "$top" && mvn -B -q -o -Dquick -DskipTests -pl agent -am package)
printf '%s\n' "$top/agent/target/burnguard" >"$work/side-0.app"
echo "this tree ($(git -C "$top" rev-parse --short HEAD)$(git -C "$top" diff --quiet || echo +changes))" >"$work/side-0.name"
sides="side-0$sides"
for s in $sides; do
  app=$(cat "$work/$s.app")
  if grep -q -- --make-cds-archive "$app/bin/burnguard"; then
    BURNGUARD_CDS=$work/$s.jsa "$app/bin/burnguard" --make-cds-archive
  fi
done
python3 "$top/bench/cli/stand-in-daemon.py" "$work/standin.sock" &
standin=$!
cat >"$work/station.yaml" <<EOF
station:
  id: bench-cli
  dataDir: $work/data
  socket: $work/standin.sock
roles:
  nogroup: operator
server:
  url: https://127.0.0.1:1/releases
  caFile: $work/server-ca.pem
trust:
  releaseRoot: $work/release-root.pem
  crlDir: $work/crl
  signers: ["Bench"]
scanner:
  clamd: unix:$work/no-clamd.sock
EOF
for _ in $(seq 1 50); do [ -S "$work/standin.sock" ] && break; sleep 0.1; done
cd /
nobody="burn --fixture fx1 --barcode 6901230000017 --socket $work/nobody-serves.sock"
operator="burn --fixture fx1 --barcode 6901230000017"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
set -- $sides
n=$#
for r in $(seq 1 "$rounds"); do
  # rotate: round r starts with side (r-1) mod n
  order=""
  for k in $(seq 0 $((n - 1))); do
    idx=$(((r - 1 + k) % n + 1))
    order="$order ${!idx}"
  done
  for s in $order; do
    launcher=$(cat "$work/$s.app")/bin/burnguard
    BURNGUARD_CDS=$work/$s.jsa BURNGUARD_CONFIG=$work/station.yaml \
      hyperfine -N -i -w 1 -r "$runs" --style none --export-json "$work/$s-$r.json" \
      -n "$s --version" "$launcher --version" \
      -n "$s burn, no daemon" "$launcher $nobody" \
      -n "$s burn, stand-in" "$launcher $operator" >/dev/null
    echo "round $r $s: load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
BURNGUARD_CDS=$work/side-0.jsa BURNGUARD_CONFIG=$work/station.yaml BURNGUARD_TIMING=1 \
  "$(cat "$work/side-0.app")/bin/burnguard" $operator 2>&1 >/dev/null | grep 'timing' || true
python3 - "$work" $sides <<'PY'
import glob, json, statistics, sys
work, sides = sys.argv[1], sys.argv[2:]
t = {}
for f in glob.glob(work + "/side-*-*.json"):
    for r in json.load(open(f))["results"]:
        side, cmd = r["command"].split(" ", 1)
        d = t.setdefault((side, cmd), {"wall": [], "cpu": []})
        d["wall"] += r["times"]
        d["cpu"].append(r["user"] + r["system"])  # hyperfine gives the mean per batch
name = {s: open("%s/%s.name" % (work, s)).read().strip() for s in sides}
print("| command | launcher | wall median | wall min | CPU user+sys (median of batch means) | wall ratio to this tree (median) |")
print("|---|---|---|---|---|---|")
for cmd in ("--version", "burn, no daemon", "burn, stand-in"):
    after = statistics.median(t[("side-0", cmd)]["wall"])
    for s in sides:
        d = t[(s, cmd)]
        med = statistics.median(d["wall"])
        print("| `%s` | %s | %s%.0f ms%s | %.0f ms | %.0f ms | %.2f |" % (
            cmd, name[s], "**" if s == "side-0" else "", med * 1000, "**" if s == "side-0" else "",
            min(d["wall"]) * 1000, statistics.median(d["cpu"]) * 1000, med / after))
print("runs per command and launcher: %d" % len(t[("side-0", "burn, stand-in")]["wall"]))
PY
