#!/bin/sh
# Fleet benchmark (issue 16): N stations ship to a private PostgreSQL over TLS, then trace p99,
# a recall as CSV, fleet audit rate and the burn time with shipping on vs off.
# Usage: bench/fleet/run.sh [stations] [burns per station] [batch size] [shipper threads]
# FLEET_BENCH_OPTS: extra JVM options, e.g. -Dfleet.bench.hold=FILE keeps the server up for psql
# while FILE exists.
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -o -Dquick -pl agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
# shellcheck disable=SC2086
java -Xmx256m ${FLEET_BENCH_OPTS:-} \
  -cp agent/target/test-classes:agent/target/classes:$(cat agent/target/cp.txt) \
  io.burnguard.agent.fleet.FleetBench "${1:-10}" "${2:-500}" "${3:-1000}" "${4:-8}" \
  2>&1 | grep --line-buffered -v ' INFO '
