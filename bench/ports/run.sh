#!/bin/sh
# Port monitor benchmark (issue 14). Usage: bench/ports/run.sh [ADDS] [DEVICES] [ROUNDS]
#   ADDS     measured hotplug adds (default 1000, after 50 warm-up)
#   DEVICES  devices in the scan tree (default 500)
#   ROUNDS   scan / generate-policy rounds per side (default 20)
# Needs umockdev, gir1.2-umockdev-1.0, python3-gi and usbguard (installer/dev/setup.sh), and root
# (usbguard-daemon). Do not run beside a running USBGuard service: its IPC socket name is fixed.
# The JVM runs with the options bin/burnguard gives the daemon (serial GC, C1 only, -Xshare:auto; the
# install's own class-data archive is not made here); PORTS_JVM_OPTS replaces them, e.g. "-XX:+UseSerialGC" for the JDK's
# default compilers (the runs before 2026-12-01 used that). With a C compiler (cc), section 1 also
# times bench/ports/floor.c, a program that only reads each uevent and writes authorized: the
# harness's own floor.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
adds=${1:-1000}
devices=${2:-500}
rounds=${3:-20}
for c in umockdev-run usbguard usbguard-daemon; do
  command -v "$c" >/dev/null || { echo "$c is needed: installer/dev/setup.sh" >&2; exit 2; }
done
/usr/bin/python3 -c "import gi; gi.require_version('UMockdev', '1.0')" 2>/dev/null ||
  { echo "gir1.2-umockdev-1.0 and python3-gi are needed: installer/dev/setup.sh" >&2; exit 2; }
mvn -B -q -Dquick -DskipTests -pl agent -am package
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=bench/ports
jvm=${PORTS_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto}
probe() {
  # shellcheck disable=SC2086 # jvm is a list of options
  java $jvm -Dlogback.configurationFile=$here/logback.xml \
    -cp "agent/target/burnguard/lib/*" $here/PortsProbe.java "$@"
}
preload() { LD_PRELOAD=libumockdev-preload.so.0 "$@"; }
printf 'allow\n' >"$work/allow.rules"
chmod 600 "$work/allow.rules"
cat >"$work/usbguard.conf" <<CONF
RuleFile=$work/allow.rules
ImplicitPolicyTarget=block
PresentDevicePolicy=apply-policy
PresentControllerPolicy=apply-policy
InsertedDevicePolicy=apply-policy
AuthorizedDefault=none
RestoreControllerDeviceState=false
DeviceManagerBackend=uevent
IPCAllowedUsers=root
AuditBackend=FileAudit
AuditFilePath=$work/audit.log
CONF
chmod 600 "$work/usbguard.conf"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(uptime | sed 's/.*load/load/'), $(java -version 2>&1 | head -1), JVM options: $jvm"

echo "## 1. decision latency: uevent sent by umockdev -> authorized written (close), $adds adds"
# shellcheck disable=SC2086
preload /usr/bin/python3 $here/latency.py "$adds" 50 "$work/ours.log" -- \
  java $jvm -Dlogback.configurationFile=$here/logback.xml -Dprobe.inner="$work/inner.us" \
  -cp "agent/target/burnguard/lib/*" $here/PortsProbe.java hotplug "$work/allow.rules" \
  >"$work/ours.lat"
/usr/bin/python3 $here/stats.py "$work/ours.lat" "ours: uevent() -> authorized" 1000 ms
awk '{print $2}' "$work/ours.lat" >"$work/call.lat"
/usr/bin/python3 $here/stats.py "$work/call.lat" "  of which umockdev's uevent() call" 1000 ms
# umockdev sends every uevent twice: the last 2*ADDS decisions are those of the measured adds
tail -n $((2 * adds)) "$work/inner.us" >"$work/inner.tail"
/usr/bin/python3 $here/stats.py "$work/inner.tail" "  in the JVM, recvmsg returned -> event after the write (both copies)" 1000 ms
awk '{print $2}' "$work/inner.tail" >"$work/inner.cpu"
/usr/bin/python3 $here/stats.py "$work/inner.cpu" "  same interval, CPU time of the reading thread" 1000 ms
if command -v cc >/dev/null && cc -O2 -o "$work/floor" $here/floor.c; then
  preload /usr/bin/python3 $here/latency.py "$adds" 50 "$work/floor.log" -- "$work/floor" >"$work/floor.lat"
  /usr/bin/python3 $here/stats.py "$work/floor.lat" "floor: $here/floor.c (recvmsg, write authorized, nothing else)" 1000 ms
fi
echo "usbguard-daemon, same harness (20 adds, 10 s to decide the first):"
if SETTLE_SECONDS=3 READY_SECONDS=10 preload /usr/bin/python3 $here/latency.py 20 0 \
  "$work/usbguard.log" -- usbguard-daemon -d -s -k -c "$work/usbguard.conf" >"$work/ug.lat" 2>"$work/ug.err"; then
  /usr/bin/python3 $here/stats.py "$work/ug.lat" "usbguard-daemon: uevent() -> authorized" 1000 ms
else
  echo "  usbguard-daemon decided none: $(grep -c 'unknown origin' "$work/usbguard.log" || true) uevents logged as \"received uevent of unknown origin: ignoring\""
fi

echo "## 2. start-up scan and decision of $devices devices (authorized=0 -> allow, each written)"
/usr/bin/python3 $here/tree.py "$devices" >"$work/tree.umockdev"
umockdev-run -d "$work/tree.umockdev" -- sh -c 'cp -a "$UMOCKDEV_DIR/sys" "$0"' "$work/sysfs"
probe scan "$work/sysfs" "$work/allow.rules" "$rounds" >"$work/scan-plain.ms"
head -n 1 "$work/scan-plain.ms" | awk '{printf "ours, plain directory, round 1 (a new JVM: class loading, interpreter): wall %.2fms, CPU %.2fms\n", $1, $3}'
tail -n +4 "$work/scan-plain.ms" >"$work/scan-plain.tail"
/usr/bin/python3 $here/stats.py "$work/scan-plain.tail" "ours, sysfs tree in a plain directory (rounds 4..), wall" 1 ms
awk '{print $3}' "$work/scan-plain.tail" >"$work/scan-plain.cpu"
/usr/bin/python3 $here/stats.py "$work/scan-plain.cpu" "  same rounds, CPU time of the scanning thread" 1 ms
umockdev-run -d "$work/tree.umockdev" -- sh -c "$(command -v java) $jvm -Dlogback.configurationFile=$here/logback.xml -cp 'agent/target/burnguard/lib/*' $here/PortsProbe.java scan /sys $work/allow.rules $rounds" >"$work/scan-mock.ms"
tail -n +4 "$work/scan-mock.ms" >"$work/scan-mock.tail"
/usr/bin/python3 $here/stats.py "$work/scan-mock.tail" "ours, under umockdev (rounds 4..), wall" 1 ms
awk '{print $3}' "$work/scan-mock.tail" >"$work/scan-mock.cpu"
/usr/bin/python3 $here/stats.py "$work/scan-mock.cpu" "  same rounds, CPU time of the scanning thread" 1 ms
: >"$work/ug-scan.ms"
i=0
while [ $i -lt 3 ]; do
  rm -f "$work/audit.log"
  umockdev-run -d "$work/tree.umockdev" -- sh -c '
    usbguard-daemon -s -k -c "$0" >/dev/null 2>&1 & pid=$!
    i=0; while [ $i -lt 600 ]; do
      n=$(grep -c "Policy.Device.Update" "$1" 2>/dev/null || true)
      [ "${n:-0}" -ge "$2" ] && break; i=$((i+1)); sleep 0.05; done
    kill $pid; i=0; while kill -0 $pid 2>/dev/null && [ $i -lt 60 ]; do i=$((i+1)); sleep 0.05; done
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null || true' "$work/usbguard.conf" "$work/audit.log" "$((devices + 1))"
  sed -n 's/^\[\([0-9.]*\)\].*type=.\(Device.Present\|Policy.Device.Update\).*/\1/p' "$work/audit.log" |
    awk 'NR==1{a=$1} {b=$1} END{printf "%.3f\n", (b-a)*1000}' >>"$work/ug-scan.ms"
  i=$((i + 1))
done
/usr/bin/python3 $here/stats.py "$work/ug-scan.ms" "usbguard-daemon, under umockdev, first Device.Present to last Policy.Device.Update (audit log)" 1 ms

echo "## 3. generate-policy of the $devices-device tree under umockdev"
umockdev-run -d "$work/tree.umockdev" -- sh -c "$(command -v java) $jvm -Dlogback.configurationFile=$here/logback.xml -cp 'agent/target/burnguard/lib/*' $here/PortsProbe.java generate /sys $rounds" >"$work/gen.ms"
tail -n +4 "$work/gen.ms" >"$work/gen.tail"
/usr/bin/python3 $here/stats.py "$work/gen.tail" "ours, in the JVM (rounds 4..), wall" 1 ms
awk '{print $3}' "$work/gen.tail" >"$work/gen.cpu"
/usr/bin/python3 $here/stats.py "$work/gen.cpu" "  same rounds, CPU time" 1 ms
umockdev-run -d "$work/tree.umockdev" -- sh -c '
  i=0; while [ $i -lt "$0" ]; do
    t0=$(date +%s%N); usbguard generate-policy >/dev/null; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )); i=$((i+1)); done' "$rounds" >"$work/ug-gen.us"
/usr/bin/python3 $here/stats.py "$work/ug-gen.us" "usbguard generate-policy, whole process, wall" 1000 ms
umockdev-run -d "$work/tree.umockdev" -- sh -c '
  i=0; while [ $i -lt "$0" ]; do /usr/bin/time -f "%U %S" usbguard generate-policy 2>&1 >/dev/null |
    awk "{printf \"%.1f\\n\", (\$1 + \$2) * 1000}"; i=$((i+1)); done' "$rounds" >"$work/ug-gen.cpu"
/usr/bin/python3 $here/stats.py "$work/ug-gen.cpu" "  CPU time (user+sys, 10 ms resolution)" 1 ms
echo "# $(uptime | sed 's/.*load/load/')"
