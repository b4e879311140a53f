# Shared by the issue-11 scripts: build the agent (reactor, no install) and compile the
# generator and verify benchmark (bench/ledger/gen, package io.burnguard.agent.audit) against it.
# Sets CP (agent jars + compiled bench classes) and JAVA (java with the -Xmx64m cap for verify).
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$root" && mvn -B -q -Dquick -DskipTests -pl agent -am package)
fi
classes=${GEN_CLASSES:-${TMPDIR:-/tmp}/burnguard-ledger-gen}
mkdir -p "$classes"
javac -d "$classes" -cp "$root/agent/target/burnguard/lib/*" \
  "$root"/bench/ledger/gen/io/burnguard/agent/audit/*.java
CP="$root/agent/target/burnguard/lib/*:$classes"
