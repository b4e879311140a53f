#!/bin/sh
# Fleet benchmark (issue 16): N stations ship to a private PostgreSQL over TLS, then trace p99,
# a recall as CSV, fleet audit rate and the burn time with shipping on vs off.
# Usage: bench/fleet/run.sh [stations] [burns per station] [batch size] [shipper threads]
# FLEET_GEN=GROUP: station ledgers are written by the issue-11 bulk generator (bench/ledger/gen)
#   instead of burn by burn, GROUP stations at a time (generated, shipped, deleted); the recall
#   then lists the 1 % of units burned with version 5.4.2. The factory-scale run of the issue:
#   FLEET_GEN=50 bench/fleet/run.sh 500 20000 1000 8      (10M burns, 20M entries)
# FLEET_BENCH_OPTS: extra JVM options, e.g. -Dfleet.bench.hold=FILE keeps the server up for psql,
# bench/fleet/TraceProbe.java or the installed CLI while FILE exists; -Dfleet.bench.recalls=N,
# -Dfleet.bench.shipInterval=PT1S, -Dfleet.bench.pin=false (see FleetBench).
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -o -Dquick -pl agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
cp=agent/target/test-classes:agent/target/classes:$(cat agent/target/cp.txt)
opts=
if [ -n "${FLEET_GEN:-}" ]; then
  . bench/ledger/lib.sh
  cp=$cp:$classes
  opts=-Dfleet.bench.group=$FLEET_GEN
fi
# shellcheck disable=SC2086
java -Xmx256m $opts ${FLEET_BENCH_OPTS:-} -cp "$cp" \
  io.burnguard.agent.fleet.FleetBench "${1:-10}" "${2:-500}" "${3:-1000}" "${4:-8}" \
  2>&1 | grep --line-buffered -v ' INFO '
