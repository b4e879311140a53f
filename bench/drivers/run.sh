#!/usr/bin/env bash
# Issue 7 benchmark: U-Boot drivers against their peers on real U-Boot 2023.01 boards (QEMU virt).
#   YMODEM: ours vs `sz --ymodem` (lrzsz), 1 MiB into the same board's `loady`
#   TFTP:   ours vs tftpd-hpa, the same 16 MiB file to the same board's `tftpboot` over its tap
#   burns:  wall time of two boards burned at once vs one (uboot-tftp, 16 MiB, virtio + read-back)
# Targets: YMODEM and TFTP ratios >= 1.0 (ours no slower); two boards <= 1.3x one.
# Usage: bench/drivers/run.sh [YMODEM_ROUNDS=3] [TFTP_ROUNDS=5] [PARALLEL_ROUNDS=5]
# Needs root (tap + network namespace), a JDK 17, Maven, and the Debian packages
# qemu-system-arm u-boot-qemu lrzsz iproute2 (as the tests) plus tftpd-hpa (installed here if
# missing; only its in.tftpd binary is used, run by the benchmark inside the board's namespace,
# never its service).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

[ "$(id -u)" = 0 ] || { echo "run as root: the boards' Ethernet is a tap in a network namespace" >&2; exit 2; }
for pair in qemu-system-arm:qemu-system-arm sz:lrzsz ip:iproute2 ss:iproute2 java:openjdk-17-jdk-headless mvn:maven; do
  command -v "${pair%%:*}" >/dev/null || { echo "missing ${pair%%:*} (apt-get install ${pair#*:})" >&2; exit 2; }
done
[ -f /usr/lib/u-boot/qemu_arm/u-boot.bin ] || { echo "missing U-Boot (apt-get install u-boot-qemu)" >&2; exit 2; }
if [ ! -x /usr/sbin/in.tftpd ]; then
  # Debian's policy-rc.d or systemd may start the packaged service on 0.0.0.0:69 of the host; the
  # benchmark does not use it (it runs in.tftpd itself in the board's namespace).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q tftpd-hpa
fi

cd "$ROOT"
mvn -B -q -Dquick -pl burner-drivers -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
CP="burner-drivers/target/test-classes:burner-drivers/target/classes:$(cat burner-drivers/target/bench-cp.txt)"

echo "java: $(java -version 2>&1 | head -1)"
echo "qemu: $(qemu-system-arm --version | head -1)"
echo "lrzsz: $(sz --version 2>&1 | head -1)"
echo "tftpd-hpa: $(/usr/sbin/in.tftpd -V 2>&1 | head -1)"
exec java -Xmx256m -Dlogback.configurationFile="$HERE/logback.xml" -cp "$CP" \
  io.burnguard.drivers.bench.UBootBench "${1:-3}" "${2:-5}" "${3:-5}"
