#!/usr/bin/env bash
# The package test: proves the built .deb works the way a station gets it.
#   1. inspects it (dpkg-deb -I/-c: fields, maintainer scripts, conffiles, paths and modes)
#   2. extracts it into a temporary root and runs usr/bin/burnguard THROUGH ITS SYMLINK there,
#      with this machine's JVM: --version, --help, `config check` of the packaged example, the
#      man pages, bash completion, and `agent run` on a test station until `doctor` answers
#      and the CLI's class-data archive: used when made for these jars, harmless when not
#   3. lintian: no errors and no warnings (the rest is overridden with a reason in
#      src/deb/lintian/burnguard)
#   4. the systemd unit: `systemd-analyze verify` and an exposure score at most 2.2
#   5. as root with apt: `apt-get install ./burnguard_*.deb`, burnguard from PATH, then
#      dpkg --remove (ledger and keys stay) and --purge; otherwise skipped with the reason
# Usage: package-test.sh DEB WORK_DIR (installer/pom.xml runs it in integration-test).
# A missing tool (dpkg-deb, lintian, man) fails the test: it is not a reason to skip.
set -uo pipefail
deb=$1 work=$2
: "${PROJECT_VERSION:?set by installer/pom.xml}" "${DEB_VERSION:?set by installer/pom.xml}"
if [ "${SKIP_TESTS:-false}" = "true" ]; then
  echo "package test: skipped (-DskipTests)"
  exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

rm -rf "$work"
mkdir -p "$work"
root=$work/root
bg=$root/usr/bin/burnguard

start_lintian
for step in inspect_package run_from_root check_cds check_docs run_daemon check_unit install_for_real \
  run_lintian; do
  start=$SECONDS
  "$step"
  echo "package test: $step took $((SECONDS - start)) s"
done

summary
