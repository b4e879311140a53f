#!/usr/bin/env bash
# Issue 17 benchmark: how fast the CLI starts, today's launcher (an earlier commit, BEFORE_REF)
# against the working tree's, side by side in one run. hyperfine runs each command RUNS times per
# round; the rounds alternate which side goes first, and the medians over all rounds are reported
# (the machine is shared: interleaving spreads the other builders' load over both sides).
#   --version                      JVM start, the version line, exit
#   burn to a socket nobody serves the whole client path of `burnguard burn` (command line,
#                                  request, connect, the answer, output, exit) without a daemon:
#                                  it ends with exit 5 "cannot reach the BurnGuard daemon"
# The working tree's launcher uses a class-data archive it made first (burnguard
# --make-cds-archive, as the package's postinst does). A real burn: bench/burn/run.sh.
# Usage: bench/cli/run.sh [BEFORE_REF=main] [ROUNDS=5] [RUNS=5]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ref=${1:-main} rounds=${2:-5} runs=${3:-5}
command -v hyperfine >/dev/null || { echo "bench/cli: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
before=$("$top/bench/cli/before-app.sh" "$ref")/bin/burnguard
# a fresh lib/: copy-dependencies keeps a jar already there when it looks newer
rm -rf "$top/agent/target/burnguard"
(cd "$top" && mvn -B -q -o -Dquick -DskipTests -pl agent -am package)
after=$top/agent/target/burnguard/bin/burnguard
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BURNGUARD_CDS=$work/cli.jsa
"$after" --make-cds-archive
cd /
burn="burn --fixture fx1 --barcode 6901230000017 --socket $work/nobody-serves.sock"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
  for side in $order; do
    launcher=$before
    [ "$side" = after ] && launcher=$after
    hyperfine -N -i -w 1 -r "$runs" --style none --export-json "$work/$side-$r.json" \
      -n "$side --version" "$launcher --version" \
      -n "$side burn" "$launcher $burn" >/dev/null
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
BURNGUARD_TIMING=1 "$after" $burn 2>&1 >/dev/null | grep 'timing' || true
python3 - "$work" <<'PY'
import glob, json, statistics, sys
times = {}
for f in glob.glob(sys.argv[1] + "/*.json"):
    for r in json.load(open(f))["results"]:
        t = times.setdefault(r["command"], {"wall": [], "user": [], "system": []})
        t["wall"] += r["times"]
        t["user"] += [r["user"]] * len(r["times"])
        t["system"] += [r["system"]] * len(r["times"])
med = {k: {m: statistics.median(v) * 1000 for m, v in t.items()} for k, t in times.items()}
print("| command | today's launcher: wall (median) | CPU user+sys | this tree: wall (median) | CPU user+sys | wall ratio |")
print("|---|---|---|---|---|---|")
for c, label in (("--version", "`burnguard --version`"), ("burn", "`burnguard burn` (no daemon)")):
    b, a = med["before " + c], med["after " + c]
    print("| %s | %.0f ms | %.0f ms | **%.0f ms** | %.0f ms | %.2f |" % (
        label, b["wall"], b["user"] + b["system"], a["wall"], a["user"] + a["system"],
        b["wall"] / a["wall"]))
print("runs per command: %d" % len(times["after burn"]["wall"]))
PY
