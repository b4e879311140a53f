#!/usr/bin/env bash
# Builds the app directory (bin/burnguard + lib/) of an earlier commit, to measure today's launcher
# side by side with the working tree's in one run (issue 17). Prints the app directory's path.
# Usage: bench/cli/before-app.sh REF (a commit, branch or tag). The build is cached by commit in
# target/bench-before/<commit>; it uses the local Maven repository read-only (package, no install).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ref=${1:?usage: before-app.sh REF}
commit=$(git -C "$top" rev-parse --verify "$ref^{commit}")
dir=$top/target/bench-before/$commit
app=$dir/src/agent/target/burnguard
if [ ! -x "$app/bin/burnguard" ]; then
  rm -rf "$dir"
  mkdir -p "$dir/src"
  git -C "$top" archive "$commit" | tar -x -C "$dir/src"
  (cd "$dir/src" && mvn -B -q -o -Dquick -DskipTests -pl agent -am package >&2)
  # the benches run the CLI as another user (nobody)
  chmod -R a+rX "$dir"
fi
echo "$app"
