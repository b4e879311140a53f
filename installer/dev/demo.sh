#!/usr/bin/env bash
# BurnGuard demo (README Quick start, command 1). Installs what is missing, builds, then runs a
# whole station in a temporary directory through the real burnguard CLI: a release PKI and a
# release signed by two signers on a local HTTPS designated server, a private clamd, a QEMU
# U-Boot board on a fixture, the daemon, a work order, three burned units, a tampered and an
# infected release refused, then trace, units and audit verify. Stops everything it started and
# removes the temporary directory. Needs root (the board's network namespace and tap).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/installer/dev/setup.sh"
if [ "$(id -u)" -ne 0 ]; then
  echo "burnguard demo: run as root (it creates a network namespace for the QEMU board)" >&2
  exit 2
fi
printf '\033[1m== Building BurnGuard (tests skipped: installer/dev/test.sh runs them)\033[0m\n'
cd "$top"
mvn -B -q -DskipTests -pl agent -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
exec java -Dburnguard.app="$top/agent/target/burnguard" \
  -cp "$top/agent/target/test-classes:$top/agent/target/classes:$(cat "$top/agent/target/classpath.txt")" \
  io.burnguard.agent.e2e.Demo
