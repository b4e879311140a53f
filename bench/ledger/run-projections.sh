#!/bin/sh
# Issue 11 benchmark: audit verify with projections, and the per-burn ledger cost.
# Usage: bench/ledger/run-projections.sh [BURNS] [DIR]
#   BURNS  burns to generate through the real writer (default 10000000; each is chained twice)
#   DIR    where to keep the database (default: a new temp dir; reused if it already has BURNS)
# The benchmark JVM runs with -Xmx64m: verification must stream.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -B -q -Dquick -DskipTests -pl agent -am package
exec java -Xmx64m -cp "agent/target/burnguard/lib/*" bench/ledger/ProjectionBench.java "$@"
