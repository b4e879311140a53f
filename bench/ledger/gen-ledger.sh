#!/bin/sh
# Issue 11: generate a station database with BURNS burns, as the daemon writes it, fast.
# Usage: bench/ledger/gen-ledger.sh BURNS DIR
#   DIR is created with a new station (schema, key, snapshot marker, work orders of 1,000,000
#   units) through the daemon's own code, then the burns are added by LedgerGen in bulk with the
#   production codecs (each burn: its row, a burn.started and a burn.passed entry, signed).
#   An existing DIR is extended from the burns it already has (re-run after an interruption).
#   GEN_THREADS signing threads (default 3).
set -eu
burns=$1
dir=$2
. "$(dirname "$0")/lib.sh"
mkdir -p "$dir"
if [ ! -f "$dir/burnguard.db" ]; then
  java -cp "$CP" io.burnguard.agent.audit.LedgerGen setup "$dir" $(((burns + 999999) / 1000000))
fi
have=$(sqlite3 "$dir/burnguard.db" "SELECT count(*) FROM burns")
java -Xmx512m -Dgen.threads="${GEN_THREADS:-3}" -cp "$CP" io.burnguard.agent.audit.LedgerGen \
  bulk "$dir" "$have" "$burns" tick
ls -l "$dir"
