#!/bin/sh
# Issue 11: proves the bulk generator writes what the daemon writes. Makes one station, copies it,
# adds N burns to one copy through the real LedgerService (startBurn + finishBurn, as the daemon)
# and the same N burns to the other with LedgerGen bulk, both with the clock fixed, then:
#   1. the two databases' full SQL dumps and head files must be identical (Ed25519 signatures are
#      deterministic, so equal dumps mean equal payloads, hashes and signatures);
#   (the bulk side in transactions of 64 burns, so chunking and the pipeline are covered)
#   2. both verify under -Xmx64m (verify-xmx64m.sh);
#   3. a sqlite3 edit of one generated burn row must make `audit verify` fail.
# Usage: bench/ledger/prove-gen.sh [N] [WORKDIR]     Exits non-zero on any failure.
set -eu
n=${1:-200}
work=${2:-$(mktemp -d)}
. "$(dirname "$0")/lib.sh"
export SKIP_BUILD=1 GEN_CLASSES="$classes"
rm -rf "$work/base" "$work/writer" "$work/bulk" "$work/edited"
mkdir -p "$work/base"
java -cp "$CP" io.burnguard.agent.audit.LedgerGen setup "$work/base" 1
cp -a "$work/base" "$work/writer"
cp -a "$work/base" "$work/bulk"
t=$(date +%s.%N)
java -cp "$CP" io.burnguard.agent.audit.LedgerGen writer "$work/writer" 0 "$n"
echo "writer: $n burns in $(echo "$(date +%s.%N) - $t" | bc) s"
t=$(date +%s.%N)
java -Dgen.chunk=64 -cp "$CP" io.burnguard.agent.audit.LedgerGen bulk "$work/bulk" 0 "$n" fixed
echo "bulk:   $n burns in $(echo "$(date +%s.%N) - $t" | bc) s"
for d in writer bulk; do
  sqlite3 "$work/$d/burnguard.db" .dump > "$work/$d.sql"
done
cmp "$work/writer.sql" "$work/bulk.sql"
cmp "$work/writer/burnguard.db.head" "$work/bulk/burnguard.db.head"
echo "identical: SQL dumps ($(grep -c 'INSERT INTO audit_chain' "$work/bulk.sql") chain entries,"\
  "$(grep -c 'INSERT INTO burns' "$work/bulk.sql") burn rows) and head files"
sh "$(dirname "$0")/verify-xmx64m.sh" "$work/writer/burnguard.db"
sh "$(dirname "$0")/verify-xmx64m.sh" "$work/bulk/burnguard.db"
sh "$(dirname "$0")/verify-xmx64m.sh" "$work/bulk/burnguard.db" bench
cp -a "$work/bulk" "$work/edited"
sqlite3 "$work/edited/burnguard.db" \
  "UPDATE burns SET readback_match = 0 WHERE id = (SELECT max(id) / 2 FROM burns)"
if java -Xmx64m -cp "$CP" io.burnguard.agent.cli.Main audit verify --db "$work/edited/burnguard.db"
then
  echo "FAIL: audit verify accepted a sqlite3 edit of a generated burn row" >&2
  exit 1
fi
echo "PASS: generator output is byte-identical to the daemon's, verifies, and an edit is caught"
