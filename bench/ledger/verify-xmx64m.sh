#!/bin/sh
# Issue 11: "A 10M-row ledger verifies under -Xmx64m". Runs `burnguard audit verify --db DB` (the
# CLI, offline) and then the timed VerifyBench, both in JVMs capped at -Xmx64m that exit non-zero
# on OutOfMemoryError. Fails (non-zero) when either verification fails or the heap cap is hit.
# Usage: bench/ledger/verify-xmx64m.sh DB [full-only]
set -eu
db=$1
. "$(dirname "$0")/lib.sh"
cap="-Xmx64m -XX:+ExitOnOutOfMemoryError"
echo "== burnguard audit verify --db $db (-Xmx64m)"
start=$(date +%s)
java $cap -cp "$CP" io.burnguard.agent.cli.Main audit verify --db "$db"
echo "== CLI verified in $(($(date +%s) - start)) s"
echo "== VerifyBench (-Xmx64m)"
java $cap -cp "$CP" io.burnguard.agent.audit.VerifyBench "$db" ${2:-}
echo "== PASS: $db verifies under -Xmx64m"
