#!/usr/bin/env bash
# Installs what BurnGuard's build, tests and demo need on Debian 12, when it is missing.
# Idempotent: installs nothing when everything is present. Needs root (or sudo) only to install.
set -euo pipefail

# command -> Debian package that provides it
declare -A NEED=(
  [java]=openjdk-17-jdk-headless
  [javac]=openjdk-17-jdk-headless
  [mvn]=maven
  [openssl]=openssl
  [clamd]=clamav-daemon
  [sigtool]=clamav
  [socat]=socat
  [rz]=lrzsz
  [sz]=lrzsz
  [qemu-system-arm]=qemu-system-arm
  [umockdev-run]=umockdev
  [usbguard]=usbguard  # reference for port-monitor's rule parser and generate-policy tests
  [rsyslogd]=rsyslog  # a real syslog daemon receives the alerts in the syslog IT (issue 14)
  [runuser]=util-linux
  [sqlite3]=sqlite3
  [pg_ctlcluster]=postgresql  # private PostgreSQL servers for the fleet ledger tests (issue 16)
  [ip]=iproute2
  [mkfs.vfat]=dosfstools
  [fsck.vfat]=dosfstools
  [mkfs.exfat]=exfatprogs
  [fsck.exfat]=exfatprogs
  [mcopy]=mtools
  [mdir]=mtools
  [fls]=sleuthkit  # key parts: exFAT files read without mounting (fls lists, icat streams)
  [icat]=sleuthkit
  [mount.exfat-fuse]=exfat-fuse  # tests only: writes files into exFAT images (no kernel driver)
  [zip]=zip
  [losetup]=mount
  # the package: man pages from the generated AsciiDoc, and the package test
  [asciidoctor]=asciidoctor
  [lintian]=lintian
  [man]=man-db
)
# files -> package
declare -A NEED_FILES=(
  [/usr/lib/u-boot/qemu_arm/u-boot.bin]=u-boot-qemu
  [/usr/share/clamav-testfiles]=clamav-testfiles
  # umockdev's GObject API for Python: a testbed that outlives the daemon, and hotplug uevents
  # (HotplugDaemonIT, bench/ports; issue 14)
  [/usr/lib/x86_64-linux-gnu/girepository-1.0/UMockdev-1.0.typelib]=gir1.2-umockdev-1.0
  [/usr/lib/python3/dist-packages/gi]=python3-gi
)

missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${NEED[$cmd]}")
done
for f in "${!NEED_FILES[@]}"; do
  [ -e "$f" ] || missing+=("${NEED_FILES[$f]}")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
echo "burnguard setup: installing missing Debian packages: $pkgs" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "burnguard setup: need root to install: $pkgs (run as root or install sudo)" >&2
    exit 5
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# Keep package scripts from starting services (clamav-daemon would try to start without a
# signature database); our tests and demo start their own private clamd.
policy=/usr/sbin/policy-rc.d
created_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then $sudo rm -f "$policy"; fi; }
trap cleanup EXIT
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "burnguard setup: installed $pkgs" >&2
