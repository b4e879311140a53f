#!/usr/bin/env bash
# Issue 4 benchmark: vet a 256 MiB image served over local HTTPS.
#   ours:       one pass of HTTPS fetch + SHA-256 + clamd INSTREAM (VetBench.java), measured twice per
#               round: through the daemon's real ReleaseFetcher (signed release, verify, scan, encrypt
#               into the cache) and through the scanning stage alone (ImageScan.tee into a file)
#   sequential: curl -o, then sha256sum, then clamdscan --stream (same image, same clamd, same run)
# Target: ours <= 1.15x the slowest single stage, and faster than the sequential sum.
# Usage: bench/scan/run.sh [SIZE_MIB=256] [ROUNDS=3]     (from the repository root or anywhere)
# Needs: clamav-daemon clamav clamdscan curl openssl python3 (apt), a JDK 17 and Maven.
set -euo pipefail
SIZE_MIB=${1:-256}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LIB="$ROOT/agent/target/burnguard/lib"
TESTCLASSES="$ROOT/agent/target/test-classes"

for tool in /usr/sbin/clamd sigtool clamdscan curl sha256sum openssl python3 java; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install clamav-daemon clamav clamdscan curl openssl python3)" >&2; exit 2; }
done
if [ ! -f "$LIB/agent-0.1.0-SNAPSHOT.jar" ] || [ ! -f "$TESTCLASSES/io/burnguard/agent/vetting/TestPkiAccess.class" ]; then
  (cd "$ROOT" && mvn -B -q -Dquick -pl agent -am package -DskipTests)
fi

W=$(mktemp -d /tmp/bg-scan-bench.XXXXXX)
CLAMD_PID=; HTTPS_PID=
cleanup() {
  [ -n "$HTTPS_PID" ] && kill "$HTTPS_PID" 2>/dev/null || true
  [ -n "$CLAMD_PID" ] && kill "$CLAMD_PID" 2>/dev/null || true
  [ -n "$CLAMD_PID" ] && wait "$CLAMD_PID" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

# The image (named in BENCHMARKS.md: bench/scan/make_image.py filler, SIZE_MIB MiB).
mkdir -p "$W/www/releases/big/1.0" "$W/db" "$W/build" "$W/tmp" "$W/station"
IMAGE="$W/www/releases/big/1.0/big.bin"
python3 "$HERE/make_image.py" "$IMAGE" "$SIZE_MIB"

# Local HTTPS server with a self-signed certificate for 127.0.0.1.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
python3 "$HERE/https_server.py" "$W/www" "$W/cert.pem" "$W/key.pem" "$W/port" &
HTTPS_PID=$!

# Private clamd with a generated, dated database (as agent's ClamdFixture does).
EICAR='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
printf 'BurnGuard.Test.EICAR:0:*:%s\n' "$(printf '%s' "$EICAR" | od -An -tx1 | tr -d ' \n')" > "$W/build/daily.ndb"
sigtool --md5 /usr/share/clamav-testfiles/clam.exe 2>/dev/null | sed 's/:[^:]*$/:BurnGuard.Test.ClamExe/' > "$W/build/daily.hdb"
echo "BurnGuard benchmark signatures" > "$W/build/COPYING"
(cd "$W/build" && echo bench | sigtool --datadir="$W/build" --build=daily.cud --unsigned --cvd-version=1 --no-cdiff >/dev/null 2>&1)
mv "$W/build/daily.cud" "$W/db/"
cat > "$W/clamd.conf" <<CONF
Foreground yes
LocalSocket $W/clamd.sock
DatabaseDirectory $W/db
TemporaryDirectory $W/tmp
LogFile $W/clamd.log
StreamMaxLength 1G
MaxFileSize 1G
MaxScanSize 1G
AlertExceedsMax yes
Bytecode no
CONF
/usr/sbin/clamd -c "$W/clamd.conf" >/dev/null 2>&1 &
CLAMD_PID=$!
for _ in $(seq 1 500); do
  [ -S "$W/clamd.sock" ] && [ -s "$W/port" ] && break
  sleep 0.02
done
clamdscan -c "$W/clamd.conf" --ping 20 >/dev/null
BASE="https://127.0.0.1:$(cat "$W/port")/"
URL="${BASE}releases/big/1.0/big.bin"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$W/curl.t"; : > "$W/sha.t"; : > "$W/scan.t"; : > "$W/seq.t"; : > "$W/bound.t"
for k in fetcher_seconds fetcher_pass fetcher_after stage_seconds stage_pass verdict_wait; do : > "$W/$k.t"; done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# Ours runs in one JVM (started once, like the daemon) fed one "go" per round, interleaved with the
# peer so that both sides see the same load on a shared machine. Round 0 warms both up.
coproc VET { exec java -Dlogback.configurationFile="$HERE/logback.xml" -cp "$LIB/*:$TESTCLASSES" "$HERE/VetBench.java" "$BASE" "$W/www" "$W/cert.pem" "unix:$W/clamd.sock" "$W/station" 0 2>"$W/vetbench.err"; }
VET_PID=$VET_PID
for r in $(seq 0 "$ROUNDS"); do
  t0=$(now); curl -sS --fail --cacert "$W/cert.pem" -o "$W/dl.bin" "$URL"
  t1=$(now); sha256sum "$W/dl.bin" >/dev/null
  t2=$(now); out=$(clamdscan -c "$W/clamd.conf" --stream --no-summary "$W/dl.bin")
  t3=$(now)
  case "$out" in *": OK"*) ;; *) echo "clamdscan did not pass the image: $out" >&2; exit 1 ;; esac
  echo go >&"${VET[1]}"
  read -r line <&"${VET[0]}" || { echo "VetBench failed:" >&2; cat "$W/vetbench.err" >&2; exit 1; }
  echo "  round $r: curl $(echo "$t1 - $t0" | bc -l | cut -c1-5) sha256sum $(echo "$t2 - $t1" | bc -l | cut -c1-5) clamdscan $(echo "$t3 - $t2" | bc -l | cut -c1-5) | $line" >&2
  [ "$r" = 0 ] && continue
  echo "$t1 - $t0" | bc -l >> "$W/curl.t"
  echo "$t2 - $t1" | bc -l >> "$W/sha.t"
  echo "$t3 - $t2" | bc -l >> "$W/scan.t"
  echo "$t3 - $t0" | bc -l >> "$W/seq.t"
  for k in fetcher_seconds fetcher_pass fetcher_after stage_seconds stage_pass verdict_wait; do
    echo "$line" | grep -o "$k=[0-9.]*" | cut -d= -f2 >> "$W/$k.t"
  done
  # clamd matches only after the stream's last chunk (it spools INSTREAM to a temp file), so no
  # INSTREAM design can beat fetch + clamd's post-stream scan; verdict_wait measures the latter.
  w=$(echo "$line" | grep -o 'verdict_wait=[0-9.]*' | cut -d= -f2)
  echo "$t1 - $t0 + $w" | bc -l >> "$W/bound.t"
done
exec {VET[1]}>&-
wait "$VET_PID" || true
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cmp -s "$W/station/stage.bin" "$IMAGE" || { echo "the stage's copy differs from the served image" >&2; exit 1; }

C=$(median < "$W/curl.t"); S=$(median < "$W/sha.t"); K=$(median < "$W/scan.t")
Q=$(median < "$W/seq.t"); B=$(median < "$W/bound.t")
F=$(median < "$W/fetcher_seconds.t"); FP=$(median < "$W/fetcher_pass.t"); FA=$(median < "$W/fetcher_after.t")
O=$(median < "$W/stage_seconds.t"); OP=$(median < "$W/stage_pass.t"); OW=$(median < "$W/verdict_wait.t")
SLOW=$(printf '%s\n%s\n%s\n' "$C" "$S" "$K" | sort -g | tail -1)
printf '\nImage: %s MiB, bench/scan/make_image.py filler; clamd %s; %s rounds after 1 warm-up, medians.\n' \
  "$SIZE_MIB" "$(clamdscan -c "$W/clamd.conf" --version)" "$ROUNDS"
printf 'Machine: %s x %s, load average %s before, %s after.\n\n' "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" "$LOAD_BEFORE" "$LOAD_AFTER"
printf '| step | seconds |\n|---|---|\n'
printf '| curl -o (HTTPS fetch) | %.3f |\n| sha256sum | %.3f |\n| clamdscan --stream | %.3f |\n' "$C" "$S" "$K"
printf '| sequential total (curl; sha256sum; clamdscan) | %.3f |\n' "$Q"
printf '| **BurnGuard scanning stage, single pass (HTTPS fetch + SHA-256 + INSTREAM into a file)** | **%.3f** |\n' "$O"
printf '| of which: until the last byte is read, hashed and streamed | %.3f |\n' "$OP"
printf '| of which: waiting for clamd verdict after the last byte | %.3f |\n' "$OW"
printf '| **BurnGuard ReleaseFetcher.fetch (verify + single pass + verdict + encrypt into cache)** | **%.3f** |\n' "$F"
printf '| of which: until the last image byte is on disk, hashed and streamed | %.3f |\n' "$FP"
printf '| of which: clamd verdict + AES-GCM encryption into the cache | %.3f |\n' "$FA"
printf '| stage / slowest single stage (target <= 1.15) | %.2f |\n' "$(echo "$O / $SLOW" | bc -l)"
printf '| stage / sequential (target < 1) | %.2f |\n' "$(echo "$O / $Q" | bc -l)"
printf '| fetcher / slowest single stage | %.2f |\n' "$(echo "$F / $SLOW" | bc -l)"
printf '| fetcher / sequential | %.2f |\n' "$(echo "$F / $Q" | bc -l)"
printf '| INSTREAM lower bound: curl + clamd post-stream scan | %.3f |\n' "$B"
printf '| stage / lower bound | %.2f |\n' "$(echo "$O / $B" | bc -l)"
