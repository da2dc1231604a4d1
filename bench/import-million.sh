#!/usr/bin/env bash
# Imports a generated WordPress export of N posts (default 1,000,000) into an empty site on the
# embedded database, measuring wall time and peak memory, and, in the same run, the same
# measures for a reference: Python's streaming XML parser (xml.etree.iterparse) merely reading
# the same file. Run from the repository root:
#
#   bench/import-million.sh [POSTS]
#
# NEWSDESK_BIN selects a binary (default: builds target/release/newsdesk). Results are printed
# and written to bench/results/import.md.
set -euo pipefail
cd "$(dirname "$0")/.."
POSTS="${1:-1000000}"
WORK="$(mktemp -d /tmp/newsdesk-import.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
OUT=bench/results/import.md
mkdir -p bench/results
command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
BIN="${NEWSDESK_BIN:-}"
if [ -z "$BIN" ]; then cargo build --release --quiet; BIN=target/release/newsdesk; fi
export NEWSDESK_LOG=warn

echo "generating $POSTS posts..."
python3 bench/wxr_generate.py "$POSTS" > "$WORK/export.xml"
SIZE=$(stat -c %s "$WORK/export.xml")

measure() { # measure LABEL COMMAND... → "seconds max_rss_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$label.time" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err" \
    || { cat "$WORK/$label.err" >&2; exit 1; }
  cat "$WORK/$label.time" | tail -1
}

echo "reference: python iterparse..."
read -r REF_S REF_KB < <(measure reference python3 -c '
import sys, xml.etree.ElementTree as ET
n = 0
for _, e in ET.iterparse(sys.argv[1]):
    if e.tag == "item":
        n += 1
        e.clear()
print(n)' "$WORK/export.xml")
echo "newsdesk import..."
read -r ND_S ND_KB < <(measure import "$BIN" --data "$WORK/site" import "$WORK/export.xml")
grep -E "^imported" "$WORK/import.err" || true
ARTICLES=$("$BIN" --data "$WORK/site" export 2>/dev/null | grep -c '"type":"article"' || true)
echo "newsdesk import again (idempotent re-run)..."
read -r RE_S RE_KB < <(measure reimport "$BIN" --data "$WORK/site" import "$WORK/export.xml")
grep -E "^imported" "$WORK/reimport.err" || true

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
{
  echo "### Import of a generated WordPress export, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB. Export: $POSTS posts, $((SIZE / 1048576)) MiB. Articles in the site afterwards: $ARTICLES."
  echo
  echo "| what | seconds | posts/s | peak memory MiB | time vs reference |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| reference: Python iterparse, reading only | $REF_S | $(python3 -c "print(int($POSTS/max($REF_S,0.01)))") | $((REF_KB / 1024)) | 1.00 |"
  echo "| newsdesk import (empty site) | $ND_S | $(python3 -c "print(int($POSTS/max($ND_S,0.01)))") | $((ND_KB / 1024)) | $(ratio "$ND_S" "$REF_S") |"
  echo "| newsdesk import again (all unchanged) | $RE_S | $(python3 -c "print(int($POSTS/max($RE_S,0.01)))") | $((RE_KB / 1024)) | $(ratio "$RE_S" "$REF_S") |"
} | tee "$OUT"
