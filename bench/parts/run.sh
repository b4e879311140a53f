#!/usr/bin/env bash
# Issue 15 benchmark: sanitize + verify of a part, beside dd + cmp doing the same work.
#   ours:     PartsBench.java (Clear with zeros, O_DIRECT, fsync; full O_DIRECT read-back; mkfs.vfat)
#             under -Xmx64m, timed to the end of the read-back (mkfs timed separately)
#   peer:     dd if=/dev/zero of=TARGET bs=4M oflag=direct conv=fsync; cmp -n SIZE TARGET /dev/zero
# on an image file and (as root) on a loop device over it, ROUNDS rounds alternating peer and ours;
# the best round of each counts. Target: peer seconds / our seconds >= 0.95.
# Usage: bench/parts/run.sh [SIZE_MIB=1024] [ROUNDS=3] [DIR=a new dir under /var/tmp]
# Needs: dosfstools, coreutils, util-linux (losetup), a JDK 17 and Maven.
set -euo pipefail
SIZE_MIB=${1:-1024}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
for tool in dd cmp java mkfs.vfat; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] \
    || { echo "missing $tool (installer/dev/setup.sh installs it)" >&2; exit 2; }
done
if [ ! -d agent/target/burnguard/lib ]; then
  mvn -B -q -Dquick -DskipTests -pl agent -am package
fi
MADE_W=
if [ -n "${3:-}" ]; then W=$3; else W=$(mktemp -d /var/tmp/bg-parts-bench.XXXXXX); MADE_W=1; fi
mkdir -p "$W/data"
IMG="$W/part.img"
LOOP=
cleanup() {
  [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null || true
  rm -f "$IMG"
  rm -rf "$W/classes"
  if [ -n "$MADE_W" ]; then rm -rf "$W"; fi
}
trap cleanup EXIT
BYTES=$((SIZE_MIB * 1024 * 1024))
truncate -s "$BYTES" "$IMG"

now() { date +%s.%N; }
peer() { # target -> "dd+cmp seconds" and, in PEER_DD, the dd part alone
  local t0 t1 t2
  t0=$(now)
  dd if=/dev/zero of="$1" bs=4M count=$((SIZE_MIB / 4)) oflag=direct conv=fsync status=none
  t1=$(now)
  cmp -n "$BYTES" "$1" /dev/zero
  t2=$(now)
  echo "$t0 $t1 $t2" | awk '{printf "%.3f (dd %.3f, cmp %.3f)", $3 - $1, $2 - $1, $3 - $2}'
}
# Compiled once beforehand, so the heap figure is the sanitizer's, not the source launcher's javac.
mkdir -p "$W/classes"
javac -d "$W/classes" -cp "agent/target/burnguard/lib/*" bench/parts/PartsBench.java
ours() { # target -> "overwrite+verify total heap method io ..."
  java -Xmx64m -cp "$W/classes:agent/target/burnguard/lib/*" PartsBench "$1" "$W/data" \
    | awk '$1 == "ours" {$1 = ""; print substr($0, 2)}'
}
bench() { # label target
  local best_p=999999 best_o=999999 line p o
  for r in $(seq 1 "$ROUNDS"); do
    pl=$(peer "$2")
    p=${pl%% *}
    line=$(ours "$2")
    o=${line%% *}
    echo "  $1 round $r: dd+cmp ${pl}s; ours ${o}s (total with mkfs, heap peak MiB, method, io: ${line#* })"
    best_p=$(echo "$p $best_p" | awk '{print ($1 < $2) ? $1 : $2}')
    best_o=$(echo "$o $best_o" | awk '{print ($1 < $2) ? $1 : $2}')
  done
  echo "$1 ${SIZE_MIB}MiB: dd+cmp best ${best_p}s ($(echo "$SIZE_MIB $best_p" | awk '{printf "%.1f", 2*$1/$2}') MiB/s moved), ours best ${best_o}s ($(echo "$SIZE_MIB $best_o" | awk '{printf "%.1f", 2*$1/$2}') MiB/s), ratio dd/ours $(echo "$best_p $best_o" | awk '{printf "%.3f", $1/$2}') (target >= 0.95)"
}

echo "parts benchmark: $SIZE_MIB MiB, $ROUNDS rounds, $(nproc) cores, $(java -version 2>&1 | head -1)"
bench "image-file" "$IMG"
if [ "$(id -u)" -eq 0 ] && command -v losetup >/dev/null; then
  LOOP=$(losetup -f --show "$IMG")
  bench "loop-device" "$LOOP"
else
  echo "loop-device: skipped (needs root for losetup)"
fi
