#!/usr/bin/env bash
# Newsdesk convergence benchmark: three nodes on one PostgreSQL database; publications made
# through one node's API, timed until they are on the article's page and the home page of the
# two others. Run from the repository root:
#
#   bench/converge.sh [PUBLICATIONS]        (default 100)
#
# Needs a PostgreSQL server (NEWSDESK_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432/postgres,
# where a database is created and dropped). NEWSDESK_BIN: a release binary already built.
# Target (#12): a publication on every page it touches on every node within 100 ms p99.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-100}"
ADMIN_URL="${NEWSDESK_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
DB="newsdesk_converge_$$"
DB_URL="${ADMIN_URL%/*}/$DB"
WORK="$(mktemp -d /tmp/newsdesk-converge.XXXXXX)"
OUT=bench/results/converge-latest.md
mkdir -p bench/results
BIN="${NEWSDESK_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/newsdesk
fi
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
psql "$ADMIN_URL" -qAtc "CREATE DATABASE $DB" >/dev/null
export NEWSDESK_LOG=warn
"$BIN" --data "$WORK/n0" --database-url "$DB_URL" demo >/dev/null
PORTS=(18181 18182 18183)
for i in 0 1 2; do
  "$BIN" --data "$WORK/n$i" --database-url "$DB_URL" serve --addr "127.0.0.1:${PORTS[$i]}" &
  PIDS+=($!)
done
for p in "${PORTS[@]}"; do
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/readyz")" = 200 ] && break
    sleep 0.1
  done
done
TOKEN=$("$BIN" --data "$WORK/n0" --database-url "$DB_URL" token create --role editor --name "Convergence bench" | tail -n 1)
SECTION=$(curl -s http://127.0.0.1:${PORTS[0]}/api/v1/sections | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("items", d) if isinstance(d, dict) else d; print(next(s["slug"] for s in d if s.get("lang", "en") == "en"))')
python3 bench/converge_writer.py --writer "http://127.0.0.1:${PORTS[0]}" \
  --readers "http://127.0.0.1:${PORTS[1]},http://127.0.0.1:${PORTS[2]}" \
  --token "$TOKEN" --section "$SECTION" --count "$COUNT" --out "$WORK/summary.json"
{
  echo "# Convergence: $COUNT publications through node 1, read on nodes 2 and 3 ($(date -u +%F))"
  echo
  echo '```json'
  cat "$WORK/summary.json"
  echo '```'
} > "$OUT"
cat "$OUT"
