#!/usr/bin/env bash
# Issue 5 benchmark: the overhead BurnGuard adds to a burn (daemon pipeline minus the driver's
# own transfer + write + read-back, measured in the same run), over TFTP into a QEMU U-Boot board.
# Usage (root): bench/burn/run.sh [BURNS=10] [IMAGE_MIB=16]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/installer/dev/setup.sh"
cd "$top"
mvn -B -q -DskipTests -pl agent -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
exec java -Dburnguard.app="$top/agent/target/burnguard" \
  -cp "$top/agent/target/test-classes:$top/agent/target/classes:$(cat "$top/agent/target/classpath.txt")" \
  io.burnguard.agent.e2e.BurnOverheadBench "${1:-10}" "${2:-16}"
