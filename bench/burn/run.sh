#!/usr/bin/env bash
# Issue 5 benchmark: the overhead BurnGuard adds to a burn (daemon pipeline minus the driver's
# own transfer + write + read-back, measured in the same run), over TFTP into a QEMU U-Boot board.
# Issue 17 adds, in the same run: the CLI's wall time through an earlier commit's launcher
# (BEFORE_REF, interleaved burn by burn), and station mode's units per hour (STATION_UNITS).
# The working tree's launcher uses a class-data archive of its own (BURNGUARD_CDS, made by the
# first CLI run of the bench) as a station's does from the package's postinst.
# Usage (root): bench/burn/run.sh [BURNS=10] [IMAGE_MIB=16] [STATION_UNITS=0] [BEFORE_REF]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/installer/dev/setup.sh"
cd "$top"
before=""
if [ -n "${4:-}" ]; then
  before=$("$top/bench/cli/before-app.sh" "$4")
fi
# a fresh lib/: copy-dependencies keeps a jar already there when it looks newer
rm -rf "$top/agent/target/burnguard"
mvn -B -q -DskipTests -pl agent -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
cds_dir=$(mktemp -d)
chmod 0755 "$cds_dir"
trap 'rm -rf "$cds_dir"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
BURNGUARD_CDS=$cds_dir/cli.jsa java -Dburnguard.app="$top/agent/target/burnguard" \
  -Dburnguard.app.before="$before" \
  -cp "$top/agent/target/test-classes:$top/agent/target/classes:$(cat "$top/agent/target/classpath.txt")" \
  io.burnguard.agent.e2e.BurnOverheadBench "${1:-10}" "${2:-16}" "${3:-0}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
