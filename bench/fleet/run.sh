#!/bin/sh
# Fleet shipping rate (issue 16): N stations ship in parallel to a private PostgreSQL over TLS.
# Usage: bench/fleet/run.sh [stations] [burns per station] [batch size]
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -o -Dquick -pl agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
java -cp agent/target/test-classes:agent/target/classes:$(cat agent/target/cp.txt) \
  io.burnguard.agent.fleet.FleetBench "${1:-10}" "${2:-500}" "${3:-500}"
