# Checks of the package test (sourced by package-test.sh, which sets deb, work, root, bg).
# Each check prints "ok - ..." or "FAIL - ...: found ..., expected ..."; summary exits 1 on any FAIL.
passed=0
failed=0
skipped=0

ok() {
  passed=$((passed + 1))
  echo "ok - $1"
}
fail() {
  failed=$((failed + 1))
  echo "FAIL - $1" >&2
}
skip() {
  skipped=$((skipped + 1))
  echo "SKIP - $1"
}
# check NAME COMMAND...: the command must succeed
check() {
  local name=$1
  shift
  local out
  if out=$("$@" 2>&1); then ok "$name"; else fail "$name: $(printf '%s' "$out" | tail -5)"; fi
}
# contains NAME TEXT PATTERN (grep -E)
contains() {
  if printf '%s' "$2" | grep -Eq -- "$3"; then ok "$1"; else
    fail "$1: expected /$3/ in: $(printf "%s" "$2" | head -8)"
  fi
}
need() {
  command -v "$1" >/dev/null 2>&1 || {
    fail "the package test needs '$1' (installer/dev/setup.sh installs it)"
    summary
  }
}
summary() {
  echo "package test: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ] || exit 1
  exit 0
}

inspect_package() {
  need dpkg-deb
  local field
  field=$(dpkg-deb -f "$deb" Version)
  [ "$field" = "$DEB_VERSION" ] && ok "Version is $DEB_VERSION" ||
    fail "Version: found '$field', expected '$DEB_VERSION'"
  field=$(dpkg-deb -f "$deb" Maintainer)
  contains "Maintainer is 'Name <user@host.domain>'" "$field" '^[^<>@]+ <[^<>@ ]+@[a-z0-9.-]+\.[a-z]{2,}>$'
  if printf '%s' "$field" | grep -Eqi '@(invalid|localhost|example)'; then
    fail "Maintainer '$field' has a host lintian calls bogus"
  fi
  contains "Depends on a Java 17 runtime and clamd" "$(dpkg-deb -f "$deb" Depends)" \
    'openjdk-17-jre-headless.*clamav-daemon'

  local info
  info=$(dpkg-deb -I "$deb")
  for s in postinst prerm postrm; do
    contains "maintainer script $s is executable" "$info" "[*] +$s +#!/bin/sh"
  done
  dpkg-deb -e "$deb" "$work/control"
  for s in postinst prerm postrm; do check "$s is valid sh" sh -n "$work/control/$s"; done
  contains "postinst makes the CLI's class-data archive" "$(cat "$work/control/postinst")" \
    'burnguard --make-cds-archive'
  contains "a JVM change triggers a new class-data archive" "$(cat "$work/control/triggers")" \
    '^interest-noawait /usr/lib/jvm$' 
  contains "postinst uses sysusers.d" "$(cat "$work/control/postinst")" \
    'systemd-sysusers .*burnguard.conf'
  contains "postinst uses tmpfiles.d" "$(cat "$work/control/postinst")" \
    'systemd-tmpfiles .*--create burnguard.conf'
  contains "postinst falls back to adduser without systemd" "$(cat "$work/control/postinst")" \
    'adduser --system'
  local removes
  # (the CLI's class-data archive in /var/cache/burnguard is made by postinst and may go)
  removes=$(grep -Ev '^[[:space:]]*#' "$work/control/postrm" | grep -v ' /var/cache/burnguard$' |
    grep -E '(^|[;&| ])rm +-|userdel|deluser|delgroup|groupdel')
  [ -z "$removes" ] && ok "postrm keeps /var/lib/burnguard and the users" ||
    fail "postrm must keep the ledger, keys and users; found: $removes"
  [ "$(cat "$work/control/conffiles")" = "/etc/burnguard/station.yaml" ] &&
    ok "conffiles is /etc/burnguard/station.yaml" ||
    fail "conffiles: found '$(cat "$work/control/conffiles")', expected /etc/burnguard/station.yaml"

  local listing
  listing=$(dpkg-deb -c "$deb" | awk '{print $1, $2, $6, $7, $8}')
  while read -r mode path; do
    contains "ships $path as $mode root/root" "$listing" "^$mode root/root \./$path( |$)"
  done <<'EOF'
-rwxr-xr-x usr/share/burnguard/bin/burnguard
l......... usr/bin/burnguard -> \.\./share/burnguard/bin/burnguard
-rw-r--r-- usr/share/burnguard/lib/agent-.*\.jar
-rw-r----- etc/burnguard/station.yaml
-rw-r--r-- lib/systemd/system/burnguard.service
-rw-r--r-- usr/lib/sysusers.d/burnguard.conf
-rw-r--r-- usr/lib/tmpfiles.d/burnguard.conf
-rw-r--r-- usr/lib/udev/rules.d/70-burnguard.rules
-rw-r--r-- usr/lib/modules-load.d/burnguard.conf
-rw-r--r-- usr/share/man/man1/burnguard.1.gz
-rw-r--r-- usr/share/man/man1/burnguard-burn.1.gz
-rw-r--r-- usr/share/man/man1/burnguard-agent-run.1.gz
-rw-r--r-- usr/share/bash-completion/completions/burnguard
-rw-r--r-- usr/share/doc/burnguard/copyright
-rw-r--r-- usr/share/doc/burnguard/changelog.gz
-rw-r--r-- usr/share/lintian/overrides/burnguard
EOF
  if printf '%s\n' "$listing" | grep -q ' \./var/'; then
    fail "the package must not ship /var (tmpfiles.d creates it): $(printf '%s\n' "$listing" | grep ' \./var/')"
  else ok "no /var in the package (tmpfiles.d creates /var/lib/burnguard)"; fi
}

run_from_root() {
  need dpkg
  dpkg -x "$deb" "$root"
  [ -L "$bg" ] && ok "usr/bin/burnguard is a symbolic link" || fail "usr/bin/burnguard is not a symlink"
  local expect="^BurnGuard ${PROJECT_VERSION//./\\.} \((commit [0-9a-f]{7,}|unknown commit)\)$"
  contains "--version through the symlink, from /" "$(cd / && "$bg" --version 2>&1)" "$expect"
  contains "--version through PATH, from the work dir" \
    "$(cd "$work" && PATH="$root/usr/bin:$PATH" burnguard --version 2>&1)" "$expect"
  contains "--version from the app directory" \
    "$(cd "$root/usr/share/burnguard" && bin/burnguard --version 2>&1)" "$expect"
  cp "$root/usr/share/burnguard/bin/burnguard" "$work/copied-launcher"
  contains "--version of a copied launcher with BURNGUARD_HOME" \
    "$(BURNGUARD_HOME=$root/usr/share/burnguard "$work/copied-launcher" --version 2>&1)" "$expect"
  contains "a copied launcher without BURNGUARD_HOME says what to set" \
    "$("$work/copied-launcher" --version 2>&1)" 'set BURNGUARD_HOME'
  local help
  help=$("$bg" --help 2>&1)
  contains "--help shows the usage" "$help" '^Usage: burnguard'
  contains "--help lists the burn command" "$help" '^  burn '
  check "config check of the packaged example" "$bg" config check "$root/etc/burnguard/station.yaml"
}

check_docs() {
  need man
  local cmds page warn missing=""
  cmds=$("$bg" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ {print $1}')
  for c in $cmds; do
    [ -f "$root/usr/share/man/man1/burnguard-$c.1.gz" ] || missing="$missing $c"
  done
  [ -z "$missing" ] && ok "a man page for every command ($(echo $cmds | wc -w))" ||
    fail "no man page for:$missing (generated by src/build/generate.sh)"
  for page in burnguard burnguard-burn burnguard-agent-run; do
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null)
    [ -z "$warn" ] && ok "man $page renders without warnings" || fail "man $page: $warn"
  done
  contains "man burnguard-burn documents --barcode" \
    "$(MANWIDTH=80 man -l "$root/usr/share/man/man1/burnguard-burn.1.gz" 2>/dev/null)" '--barcode'
  # bash-completion's loader finds the file by the command's name under $XDG_DATA_DIRS (here the
  # temporary root's usr/share), then bash calls the function it registers
  need bash
  local words loader=/usr/share/bash-completion/bash_completion
  [ -r "$loader" ] || loader=/dev/null
  words=$(XDG_DATA_DIRS="$root/usr/share" bash -c '. "$1"
    if [ "$1" = /dev/null ]; then . "$2"; else __load_completion burnguard; fi
    f=$(complete -p burnguard | sed -E "s/.*-F ([^ ]+).*/\1/")
    COMP_WORDS=(burnguard b); COMP_CWORD=1; COMP_LINE="burnguard b"; COMP_POINT=11
    "$f"; printf "%s\n" "${COMPREPLY[@]}"' _ "$loader" \
    "$root/usr/share/bash-completion/completions/burnguard" 2>&1)
  contains "bash completes 'burnguard b<TAB>' to burn" "$words" '^burn$'
}

run_daemon() {
  local group data=$work/station
  group=$(id -gn)
  mkdir -p "$data"
  cat >"$data/station.yaml" <<EOF
station:
  id: package-test
  dataDir: $data/data
  socket: $data/run/control.sock
roles:
  $group: engineer
server:
  url: https://127.0.0.1:1/releases
  caFile: $data/server-ca.pem
trust:
  releaseRoot: $data/release-root.pem
  crlDir: $data/crl
  signers: ["Signer A"]
scanner:
  clamd: unix:$data/no-clamd.sock
EOF
  "$bg" agent run --config "$data/station.yaml" >"$data/daemon.out" 2>&1 &
  local pid=$! answer="" deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
    if [ -S "$data/run/control.sock" ]; then
      answer=$("$bg" doctor --socket "$data/run/control.sock" 2>&1)
      printf '%s' "$answer" | grep -q 'station package-test' && break
    fi
    sleep 0.3
  done
  contains "agent run through the symlink; its socket answers doctor" "$answer" 'station package-test'
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  local rc=$?
  [ "$rc" -eq 0 ] && ok "the daemon stops cleanly on SIGTERM" ||
    fail "the daemon exited $rc on SIGTERM: $(tail -5 "$data/daemon.out")"
}

# lintian takes half a minute (it opens every jar): it runs beside the other checks.
start_lintian() {
  need lintian
  lintian --fail-on none "$deb" >"$work/lintian.out" 2>"$work/lintian.err" &
  lintian_pid=$!
}

run_lintian() {
  local out bad
  if ! wait "$lintian_pid"; then
    fail "lintian did not run: $(tail -5 "$work/lintian.err")"
    return
  fi
  out=$(cat "$work/lintian.out")
  bad=$(printf '%s\n' "$out" | grep -E '^[EW]: ')
  [ -z "$bad" ] && ok "lintian: no errors, no warnings" ||
    fail "lintian (fix, or override with a reason in src/deb/lintian/burnguard): $bad"
}

check_unit() {
  if ! command -v systemd-analyze >/dev/null 2>&1; then
    skip "systemd unit: systemd-analyze is not installed"
    return
  fi
  local unit=$work/unit/burnguard.service
  mkdir -p "$work/unit"
  # verify checks that ExecStart exists: point it at the extracted launcher, the rest as shipped
  sed "s|/usr/bin/burnguard|$bg|" "$root/lib/systemd/system/burnguard.service" >"$unit"
  # and its Documentation= man pages at the extracted ones
  check "systemd-analyze verify burnguard.service" \
    env MANPATH="$root/usr/share/man" systemd-analyze verify "$unit"
  local score
  score=$(systemd-analyze security --offline=yes "$root/lib/systemd/system/burnguard.service" 2>&1 |
    sed -n 's/.*Overall exposure level for burnguard.service: \([0-9.]*\).*/\1/p')
  if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.2) }'; then
    ok "systemd exposure score $score <= 2.2"
  else fail "systemd exposure score: found '$score', expected at most 2.2"; fi
}

# The CLI's class-data archive (issue 17): used when made for these jars, and never able to
# change what a command prints or make it fail when stale, foreign or corrupt.
check_cds() {
  local cds=$work/cds/cli.jsa expect="^BurnGuard ${PROJECT_VERSION//./\\.} " out
  mkdir -p "$work/cds"
  check "burnguard --make-cds-archive with BURNGUARD_CDS" env BURNGUARD_CDS="$cds" "$bg" --make-cds-archive
  out=$(cds_run "$bg")
  contains "--version with the archive" "$out" "$expect"
  contains "the archive is used for the jars it was made for" "$out" '^main: shared$'
  out=$(cds_run env BURNGUARD_HOME="$root/usr/share/burnguard" "$work/copied-launcher")
  contains "another class path: the same output" "$out" "$expect"
  contains "another class path: the archive is not used" "$out" '^main: from the jar$'
  cp "$cds" "$work/cds/good.jsa"
  chmod u+w "$cds"
  printf 'not an archive' >"$cds"
  out=$(cds_run "$bg")
  contains "a corrupt archive: the same output" "$out" "$expect"
  [ "$(printf '%s\n' "$out" | grep -vc '^main: ')" = 1 ] && ok "a corrupt archive: nothing else printed" ||
    fail "a corrupt archive changed the output: $out"
  cp -f "$work/cds/good.jsa" "$cds"
  local jar
  jar=$(ls "$root/usr/share/burnguard/lib/"picocli-*.jar)
  touch -d '1 hour ago' "$jar"
  out=$(cds_run "$bg")
  contains "a jar changed since the archive: the same output" "$out" "$expect"
  contains "a jar changed since the archive: the JVM does not use it" "$out" '^main: from the jar$'
  touch -d '2000-01-01 00:00' "$cds"
  out=$(cds_run "$bg")
  contains "an archive older than the jars: the same output" "$out" "$expect"
  local waited=0
  while { [ -e "$cds.making" ] || [ "$cds" -ot "$jar" ]; } && [ $waited -lt 180 ]; do
    sleep 1
    waited=$((waited + 1))
  done
  contains "an archive older than the jars is made again in the background" "$(cds_run "$bg")" \
    '^main: shared$'
}

# cds_run COMMAND...: runs COMMAND --version with the test's archive and prints its output, then
# "main: shared" or "main: from the jar" for where the JVM took the CLI's main class from
cds_run() {
  local log=$work/cds/classes.log
  rm -f "$log"
  BURNGUARD_CDS=$work/cds/cli.jsa BURNGUARD_JAVA_OPTS="-Xlog:class+load=info:file=$log" "$@" --version 2>&1
  if grep -q 'io\.burnguard\.agent\.cli\.Main source: shared objects file' "$log"; then
    echo "main: shared"
  else
    echo "main: from the jar"
  fi
}

install_for_real() {
  if [ "$(id -u)" -ne 0 ]; then skip "apt-get install: not root"; return; fi
  if ! command -v apt-get >/dev/null; then skip "apt-get install: no apt-get"; return; fi
  if dpkg -s burnguard >/dev/null 2>&1; then
    skip "apt-get install: burnguard is already installed on this machine; not touching it"
    return
  fi
  local had_state="" had_user="" apt="apt-get -y -q -o DPkg::Lock::Timeout=120"
  [ -e /var/lib/burnguard ] && had_state=1
  getent passwd burnguard >/dev/null && had_user=1
  export DEBIAN_FRONTEND=noninteractive
  local deb_abs
  deb_abs=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
  if ! out=$($apt install "$deb_abs" 2>&1); then
    fail "apt-get install ./$(basename "$deb"): $(printf '%s' "$out" | tail -5)"
    return
  fi
  ok "apt-get install ./$(basename "$deb")"
  contains "burnguard --version from PATH" "$(cd / && burnguard --version 2>&1)" "^BurnGuard ${PROJECT_VERSION//./\\.} "
  check "man burnguard is installed" man -w burnguard
  check "postinst made the CLI's class-data archive" test -s /var/cache/burnguard/cli.jsa
  contains "burnguard from PATH uses it" "$(BURNGUARD_JAVA_OPTS=-Xlog:class+load burnguard --version 2>&1)" \
    'io\.burnguard\.agent\.cli\.Main source: shared objects file'
  local made
  made=$(stat -c %Y /var/cache/burnguard/cli.jsa 2>&1)
  sleep 1
  check "dpkg-trigger /usr/lib/jvm (as a JVM package would)" dpkg-trigger --no-await /usr/lib/jvm
  check "dpkg --configure --pending runs the trigger" dpkg --configure --pending
  [ "$(stat -c %Y /var/cache/burnguard/cli.jsa 2>&1)" != "$made" ] &&
    ok "the JVM trigger made the archive again" || fail "the JVM trigger did not remake /var/cache/burnguard/cli.jsa"
  if [ -r /usr/share/bash-completion/bash_completion ]; then
    # what bash does on the first TAB after `burnguard`: bash-completion's loader finds the file
    contains "bash-completion loads the completion for burnguard" \
      "$(bash -c '. /usr/share/bash-completion/bash_completion; __load_completion burnguard
        complete -p burnguard' 2>&1)" '-F _complete_burnguard'
  else
    skip "bash-completion loader: the bash-completion package is not installed"
  fi
  check "sysusers.d made the daemon user" getent passwd burnguard
  check "sysusers.d made the role group burnguard-op" getent group burnguard-op
  contains "tmpfiles.d made /var/lib/burnguard 0700 burnguard" \
    "$(stat -c '%a %U' /var/lib/burnguard 2>&1)" '^700 burnguard$'
  contains "postinst gave station.yaml to group burnguard" \
    "$(stat -c '%a %U:%G' /etc/burnguard/station.yaml 2>&1)" '^640 root:burnguard$'
  check "systemd-analyze verify of the installed unit" systemd-analyze verify burnguard.service
  touch /var/lib/burnguard/package-test-ledger
  check "dpkg --remove burnguard" dpkg --remove burnguard
  [ -e /var/lib/burnguard/package-test-ledger ] && [ -e /etc/burnguard/station.yaml ] &&
    ok "remove keeps the ledger and station.yaml" || fail "remove deleted the ledger or station.yaml"
  [ ! -e /var/cache/burnguard ] && ok "remove deletes the class-data archive" ||
    fail "remove kept /var/cache/burnguard"
  check "dpkg --purge burnguard" dpkg --purge burnguard
  [ ! -e /etc/burnguard/station.yaml ] && ok "purge deletes station.yaml" ||
    fail "purge kept /etc/burnguard/station.yaml"
  [ -e /var/lib/burnguard/package-test-ledger ] && ok "purge keeps the ledger" ||
    fail "purge deleted /var/lib/burnguard"
  # leave the machine as it was
  rm -f /var/lib/burnguard/package-test-ledger
  [ -n "$had_state" ] || rm -rf /var/lib/burnguard
  if [ -z "$had_user" ]; then
    userdel burnguard 2>/dev/null
    for g in burnguard burnguard-op burnguard-qa burnguard-sec burnguard-eng; do
      groupdel "$g" 2>/dev/null
    done
  fi
}
