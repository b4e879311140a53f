#!/usr/bin/env bash
# Generates the package's files that come from the code, so they cannot drift from it:
#   man1/*.1.gz      man pages from the picocli command tree (picocli-codegen's ManPageGenerator
#                    writes AsciiDoc, asciidoctor turns it into troff), one per command
#   completion/burnguard   bash completion (picocli's AutoComplete)
#   doc/changelog.gz the Debian changelog with this build's version and maintainer
# Usage: generate.sh OUT_DIR CLASSPATH DEB_VERSION MAINTAINER SOURCE_DATE CHANGELOG_TEMPLATE
# Run by installer/pom.xml in prepare-package.
set -euo pipefail
out=$1 cp=$2 version=$3 maintainer=$4 source_date=$5 changelog=$6
top=io.burnguard.agent.cli.BurnguardCommand

if ! command -v asciidoctor >/dev/null 2>&1; then
  echo "burnguard package: asciidoctor is needed to turn the generated AsciiDoc into man pages;" \
    "install it with installer/dev/setup.sh (Debian package asciidoctor)" >&2
  exit 1
fi
# Dates inside the man pages come from the build's fixed timestamp (reproducible package).
SOURCE_DATE_EPOCH=$(date -u -d "$source_date" +%s)
export SOURCE_DATE_EPOCH

rm -rf "$out"
mkdir -p "$out/adoc" "$out/man1" "$out/completion" "$out/doc"

java -cp "$cp" picocli.codegen.docgen.manpage.ManPageGenerator --outdir="$out/adoc" "$top"
asciidoctor -b manpage -a reproducible -D "$out/man1" "$out"/adoc/*.adoc
gzip -9n "$out"/man1/*.1

java -cp "$cp" picocli.AutoComplete --force --name=burnguard \
  --completionScript="$out/completion/burnguard" "$top"
# bash-completion sources the file; it is not run, so it needs no interpreter line
sed -i '1{/^#!/d}' "$out/completion/burnguard"

sed -e "s|@DEB_VERSION@|$version|" -e "s|@DEB_MAINTAINER@|$maintainer|" "$changelog" \
  >"$out/doc/changelog"
gzip -9n "$out/doc/changelog"
echo "burnguard package: generated $(ls "$out/man1" | wc -l) man pages, bash completion, changelog"
