#!/bin/sh
# Issue 11: "A 10M-row ledger verifies under -Xmx64m". Verifies DB offline in a JVM capped at
# -Xmx64m that exits non-zero on OutOfMemoryError, so this script fails (non-zero) when the
# verification fails or the heap cap is hit.
# Usage: bench/ledger/verify-xmx64m.sh DB          `burnguard audit verify --db DB` (the CLI)
#        bench/ledger/verify-xmx64m.sh DB bench    VerifyBench instead: the same verification
#                                                  (AuditVerifier.verifyDatabase), timed, heap
#                                                  peak, then the projection pass alone
# Make DB with gen-ledger.sh (e.g. 10000000 burns); prove-gen.sh runs this on small ones.
set -eu
db=$1
. "$(dirname "$0")/lib.sh"
cap="-Xmx${VERIFY_HEAP:-64m} -XX:+ExitOnOutOfMemoryError" # VERIFY_HEAP: only to show the cap bites
start=$(date +%s)
if [ "${2:-}" = bench ]; then
  echo "== VerifyBench $db (-Xmx${VERIFY_HEAP:-64m})"
  java $cap -cp "$CP" io.burnguard.agent.audit.VerifyBench "$db"
else
  echo "== burnguard audit verify --db $db (-Xmx${VERIFY_HEAP:-64m})"
  java $cap -cp "$CP" io.burnguard.agent.cli.Main audit verify --db "$db"
fi
echo "== PASS in $(($(date +%s) - start)) s: $db verifies under -Xmx64m"
