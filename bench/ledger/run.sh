#!/bin/sh
# Ledger benchmark (issue 6). Usage: bench/ledger/run.sh [ROWS] [DIR]
#   ROWS  burn records to generate (default 10000000; about 4 GB of disk at 10M)
#   DIR   where to keep the database (default: a new temp dir; reused if it already has ROWS)
# The benchmark JVM runs with -Xmx64m so "units" streaming proves its heap bound.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed: apt-get install sqlite3" >&2; exit 2; }
mvn -B -q -Dquick -DskipTests -pl agent -am package
exec java -Xmx64m -cp "agent/target/burnguard/lib/*" bench/ledger/LedgerBench.java "$@"
