#!/usr/bin/env bash
# Issue 16: real burns with shipping off and on (agent e2e ShippingBurnBench): a 16 MiB image over
# TFTP into the QEMU U-Boot board through the real CLI and daemon, blocks of burns alternating with
# and without the station.yaml fleet section (a private PostgreSQL over TLS).
# Usage (root): bench/fleet/burn.sh [ROUNDS=4] [BURNS_PER_BLOCK=6] [IMAGE_MIB=16] [INTERVAL=1s]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/installer/dev/setup.sh"
cd "$top"
rm -rf "$top/agent/target/burnguard"
mvn -B -q -DskipTests -pl agent -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dburnguard.app="$top/agent/target/burnguard" \
  -cp "$top/agent/target/test-classes:$top/agent/target/classes:$(cat "$top/agent/target/classpath.txt")" \
  io.burnguard.agent.e2e.ShippingBurnBench "${1:-4}" "${2:-6}" "${3:-16}" "${4:-1s}" \
  2>&1 | grep --line-buffered -v ' INFO '
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
