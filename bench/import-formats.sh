#!/usr/bin/env bash
# Imports generated files of N posts (default 100,000) in the formats other than WordPress's
# (JSON Lines, a Ghost export, RSS 2.0 with full text; bench/formats_generate.py) into empty
# sites on the embedded database, measuring wall time and peak memory, and, in the same run,
# a reference per format: Python merely reading the same file (json.loads line by line,
# json.load of the whole Ghost document, xml.etree.iterparse). Run from the repository root:
#
#   bench/import-formats.sh [POSTS]
#
# NEWSDESK_BIN selects a binary (default: builds target/release/newsdesk). Results are printed
# and written to bench/results/import-formats.md.
set -euo pipefail
cd "$(dirname "$0")/.."
POSTS="${1:-100000}"
WORK="$(mktemp -d /tmp/newsdesk-formats.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
OUT=bench/results/import-formats.md
mkdir -p bench/results
command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
BIN="${NEWSDESK_BIN:-}"
if [ -z "$BIN" ]; then cargo build --release --quiet; BIN=target/release/newsdesk; fi
export NEWSDESK_LOG=warn

measure() { # measure LABEL COMMAND... → "seconds max_rss_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$label.time" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err" \
    || { cat "$WORK/$label.err" >&2; exit 1; }
  tail -1 "$WORK/$label.time"
}

reference() { # reference FORMAT FILE
  case $1 in
    jsonl) python3 -c 'import json, sys
n = sum(1 for line in open(sys.argv[1], encoding="utf-8") if json.loads(line))
print(n)' "$2" ;;
    ghost) python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1], encoding="utf-8"))["db"][0]["data"]["posts"]))' "$2" ;;
    rss) python3 -c 'import sys, xml.etree.ElementTree as ET
n = 0
for _, e in ET.iterparse(sys.argv[1]):
    if e.tag == "item":
        n += 1
        e.clear()
print(n)' "$2" ;;
  esac
}

ROWS=""
for FORMAT in jsonl ghost rss; do
  FILE="$WORK/export.$FORMAT"
  echo "generating $POSTS posts as $FORMAT..."
  python3 bench/formats_generate.py "$FORMAT" "$POSTS" > "$FILE"
  SIZE=$(stat -c %s "$FILE")
  echo "reference ($FORMAT)..."
  read -r REF_S REF_KB < <(measure "ref-$FORMAT" bash -c "$(declare -f reference); reference $FORMAT $FILE")
  echo "newsdesk import ($FORMAT)..."
  read -r ND_S ND_KB < <(measure "nd-$FORMAT" "$BIN" --data "$WORK/site-$FORMAT" import "$FILE")
  grep -E "^imported" "$WORK/nd-$FORMAT.err" || true
  ARTICLES=$("$BIN" --data "$WORK/site-$FORMAT" export 2>/dev/null | grep -c '"type":"article"' || true)
  ROWS+="| $FORMAT | $((SIZE / 1048576)) | $ARTICLES | $REF_S | $((REF_KB / 1024)) | $ND_S | $((ND_KB / 1024)) | $(python3 -c "print(int($POSTS/max($ND_S,0.01)))") | $(python3 -c "print(f'{$ND_S/$REF_S:.2f}')") |"$'\n'
  rm -rf "$FILE" "$WORK/site-$FORMAT"
done
{
  echo "### Imports of generated files, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB. $POSTS posts per file; each imported into an empty site on the embedded database (checked whole, then saved in chunks)."
  echo
  echo "| format | file MiB | articles after | reference s | reference peak MiB | newsdesk s | newsdesk peak MiB | posts/s | time vs reference |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf "%s" "$ROWS"
} | tee "$OUT"
