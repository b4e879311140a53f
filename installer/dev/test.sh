#!/usr/bin/env bash
# Runs every BurnGuard test: installs what is missing, then `mvn -B verify` (unit tests,
# integration tests against the real clamd, QEMU U-Boot, SQLite, openssl; formatting and
# SpotBugs gates). Extra arguments go to Maven.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/installer/dev/setup.sh"
cd "$top"
exec mvn -B verify "$@"
