#!/usr/bin/env bash
# Newsdesk at scale: ARTICLES articles (default 1,000,000) on PostgreSQL, three nodes behind
# HAProxy. Run from the repository root:
#
#   bench/cluster-million.sh [ARTICLES]
#
# Needs a PostgreSQL server (NEWSDESK_BENCH_POSTGRES, default
# postgres://postgres@127.0.0.1:5432/postgres, where databases are created and dropped);
# installs haproxy, nginx, wrk and curl when missing. NEWSDESK_BIN: a release binary already
# built. BENCH_DB=NAME uses (and keeps) a database an earlier run generated with
# BENCH_KEEP_DB=1, instead of generating one. BENCH_SKIP_IMPORT=1 skips the export/import round (the longest part);
# BENCH_SKIP_CLUSTER=1 stops after it (the nodes are not started).
#
# Measures, against #12's targets:
#   - generating the corpus (`newsdesk demo --articles`) and importing its export into an empty
#     database (`newsdesk import`, JSON Lines): wall time and peak memory (target < 10 min);
#   - the first node on the migrated database with an empty data directory: time to /healthz
#     (cold start, < 1 s) and to /readyz (a new node ready, < 60 s), once building its search
#     index from the database, once from the snapshot of the index that node 1 publishes to
#     the shared S3 bucket (a Garage server started here: the photos' store, as a cluster has
#     it), and once seeded with `newsdesk copy-index` of a serving node;
#   - a node restarted with its data directory: time to /healthz and to /readyz;
#   - 100 publications through node 1's API, on node 2's and 3's pages (< 100 ms p99);
#   - search, 300 distinct queries on one node (p99 < 10 ms);
#   - cached home and article on each node with wrk, against nginx serving the same home and
#     article bytes in the same run (each >= 0.9); the node under load and nginx on core 0, wrk on core 1;
#   - memory (RSS) of each node after all that (< 300 MB).
# Three nodes share this machine's cores, so each runs one request worker (TOKIO_WORKER_THREADS=1),
# as nginx runs one worker process: two workers squeezed onto the one core a node gets under
# wrk served as many requests but with a p99 of 3.3 ms instead of 0.6 ms.
# Results go to bench/results/cluster-million.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES="${1:-1000000}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
ADMIN_URL="${NEWSDESK_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
DB="${BENCH_DB:-newsdesk_million_$$}"
DB_URL="${ADMIN_URL%/*}/$DB"
IMPORT_DB="newsdesk_million_import_$$"
WORK="$(mktemp -d /tmp/newsdesk-million.XXXXXX)"
OUT=bench/results/cluster-million.md
PORTS=(18191 18192 18193)
LB_PORT=18190
NGINX_PORT=18194
mkdir -p bench/results

. bench/lib.sh
need wrk wrk
need nginx nginx
need haproxy haproxy
need curl curl
need taskset util-linux
[ -x /usr/bin/time ] || need /usr/bin/time time
GARAGE="$(command -v garage || echo "${HOME:-/root}/.cargo/bin/garage")"
[ -x "$GARAGE" ] || { echo "garage is missing: cargo install garage --locked --version 2.5.0 --no-default-features --features bundled-libs,lmdb (as .ci/run does)"; exit 1; }

BIN="${NEWSDESK_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/newsdesk
fi
export NEWSDESK_LOG=warn

declare -A PID
OTHER_PIDS=()
cleanup() {
  for p in "${PID[@]}" "${OTHER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -z "${BENCH_DB:-}" ] && [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  fi
  psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $IMPORT_DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
secs() { python3 -c "print(f'{($2-$1)/1000:.1f}')"; }
peak_mib() { awk '/Maximum resident/{printf "%d", $6/1024}' "$1"; }
log() { printf '[%s] %s\n' "$(date -u +%T)" "$*"; }

GEN_V="not measured (an earlier run's database)"
if [ -z "${BENCH_DB:-}" ]; then
  psql "$ADMIN_URL" -qAtc "CREATE DATABASE $DB" >/dev/null
  [ "${BENCH_KEEP_DB:-0}" = 1 ] && log "database $DB is kept (BENCH_KEEP_DB=1)"
  log "generating $ARTICLES articles on PostgreSQL..."
  t0=$(now_ms)
  /usr/bin/time -v "$BIN" --data "$WORK/gen" --database-url "$DB_URL" demo --articles "$ARTICLES" \
    >/dev/null 2>"$WORK/gen.time"
  t1=$(now_ms)
  GEN_V="$(secs "$t0" "$t1") s, $(peak_mib "$WORK/gen.time") MiB"
  log "  $GEN_V (peak)"
fi

IMPORT_V="skipped"; EXPORT_V="skipped"
if [ "${BENCH_SKIP_IMPORT:-0}" != 1 ]; then
  log "export and import into an empty database..."
  t0=$(now_ms)
  "$BIN" --data "$WORK/gen" --database-url "$DB_URL" export --out "$WORK/corpus.jsonl" >/dev/null 2>&1
  t1=$(now_ms)
  EXPORT_S=$(secs "$t0" "$t1"); EXPORT_V="$EXPORT_S s"
  psql "$ADMIN_URL" -qAtc "CREATE DATABASE $IMPORT_DB" >/dev/null
  t0=$(now_ms)
  /usr/bin/time -v "$BIN" --data "$WORK/imported" --database-url "${ADMIN_URL%/*}/$IMPORT_DB" \
    import "$WORK/corpus.jsonl" >"$WORK/import.out" 2>"$WORK/import.time"
  t1=$(now_ms)
  IMPORT_S=$(secs "$t0" "$t1"); IMPORT_MIB=$(peak_mib "$WORK/import.time")
  IMPORT_V="$IMPORT_S s, $IMPORT_MIB MiB"
  IMPORTED=$(psql "${ADMIN_URL%/*}/$IMPORT_DB" -qAtc "SELECT count(*) FROM articles")
  log "  export $EXPORT_S s; import $IMPORT_S s, peak $IMPORT_MIB MiB, $IMPORTED articles"
  psql "$ADMIN_URL" -qAtc "DROP DATABASE $IMPORT_DB" >/dev/null
  rm -rf "$WORK/imported" "$WORK/corpus.jsonl"
fi

if [ "${BENCH_SKIP_CLUSTER:-0}" = 1 ]; then
  {
    echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC'): the corpus only"
    echo
    echo "Command: \`BENCH_SKIP_CLUSTER=1 bench/cluster-million.sh $ARTICLES\`."
    echo
    echo "| measure | value | target |"
    echo "| --- | ---: | --- |"
    echo "| generating the corpus (newsdesk demo --articles), peak memory | $GEN_V | |"
    echo "| exporting it to JSON Lines | $EXPORT_V | |"
    echo "| importing the export into an empty database, peak memory | $IMPORT_V | < 600 s |"
  } | tee "${OUT%.md}-corpus.md"
  exit 0
fi

# The nodes' shared S3 bucket: a single-node Garage, as the tests start it.
hex() { python3 -c "import secrets; print(secrets.token_hex($1))"; }
S3_PORT=18195
mkdir -p "$WORK/garage"
cat > "$WORK/garage/garage.toml" <<TOML
metadata_dir = "$WORK/garage/meta"
data_dir = "$WORK/garage/data"
db_engine = "lmdb"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:0"
rpc_public_addr = "127.0.0.1:0"
rpc_secret = "$(hex 32)"
[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:$S3_PORT"
TOML
export AWS_ACCESS_KEY_ID="GK$(hex 12)" AWS_SECRET_ACCESS_KEY="$(hex 32)"
GARAGE_DEFAULT_ACCESS_KEY="$AWS_ACCESS_KEY_ID" GARAGE_DEFAULT_SECRET_KEY="$AWS_SECRET_ACCESS_KEY" \
  GARAGE_DEFAULT_BUCKET=newsdesk-media RUST_LOG=warn \
  "$GARAGE" -c "$WORK/garage/garage.toml" server --single-node --default-bucket 2>"$WORK/garage.log" >/dev/null &
OTHER_PIDS+=($!)
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3_PORT/")" = 403 ] && break
  sleep 0.1
done
export NEWSDESK_MEDIA_STORE=s3 NEWSDESK_MEDIA_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" \
  NEWSDESK_MEDIA_S3_BUCKET=newsdesk-media NEWSDESK_MEDIA_S3_REGION=garage

start_node() { # start_node INDEX [CPU]
  local i=$1 cpu=${2:-}
  local pin=()
  [ -n "$cpu" ] && pin=(taskset -c "$cpu")
  TOKIO_WORKER_THREADS=1 "${pin[@]}" "$BIN" --data "$WORK/n$i" --database-url "$DB_URL" serve --addr "127.0.0.1:${PORTS[$i]}" \
    2>>"$WORK/n$i.log" &
  PID[$i]=$!
}
stop_node() { kill "${PID[$1]}" 2>/dev/null || true; wait "${PID[$1]}" 2>/dev/null || true; unset "PID[$1]"; }
wait_for() { # wait_for INDEX PATH TIMEOUT_S -> milliseconds from now until PATH answers 200
  local i=$1 path=$2 limit=$(( $3 * 100 )) t0
  t0=$(now_ms)
  for _ in $(seq 1 "$limit"); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORTS[$i]}$path")" = 200 ] && { echo $(( $(now_ms) - t0 )); return; }
    sleep 0.01
  done
  echo "timeout"
}
start_timed() { # start_timed INDEX: sets H and R, ms from the process start to /healthz and /readyz
  local i=$1 t0
  t0=$(now_ms); start_node "$i"
  H=$(wait_for "$i" /healthz 30); [ "$H" != timeout ] && H=$(( $(now_ms) - t0 ))
  R=$(wait_for "$i" /readyz 1800); [ "$R" != timeout ] && R=$(( $(now_ms) - t0 ))
}

log "node 1, new, empty data directory: builds its search index from the database..."
# (No snapshot from this first start: it is stopped as soon as it is ready; the restart below
# publishes it.)
NEWSDESK_SEARCH_SNAPSHOT_HOURS=0 start_timed 0; NEW_H=$H; NEW_R=$R
log "  healthz $NEW_H ms, readyz $NEW_R ms"
INDEX_MIB=$(du -sm "$WORK/n0/search" 2>/dev/null | cut -f1 || echo "?")
stop_node 0

log "node 1 restarted with its data directory..."
NEWSDESK_LOG="warn,newsdesk::server=info" start_timed 0; RE_H=$H; RE_R=$R
log "  healthz $RE_H ms, readyz $RE_R ms"

# Node 1 publishes its index's snapshot to the bucket by itself (the bucket has none yet).
t0=$(now_ms)
for _ in $(seq 1 6000); do
  curl -s "http://127.0.0.1:${PORTS[0]}/metrics" | grep -q '^newsdesk_search_snapshots_published_total [1-9]' && break
  sleep 0.1
done
SNAP_MS=$(( $(now_ms) - t0 ))
SNAP_LINE=$(grep "published a snapshot of the search index" "$WORK/n0.log" | tail -n 1 || true)
SNAP_S=$(echo "$SNAP_LINE" | grep -o 'seconds=[0-9.]*' | cut -d= -f2 | xargs -r printf '%.1f')
log "  node 1 published its snapshot: ${SNAP_S:-?} s (${SNAP_MS} ms after its restart)"

log "node 2, new, empty data directory, fetches the snapshot from the bucket..."
NEWSDESK_LOG="warn,newsdesk::cli=info" start_timed 1; SNAPR_H=$H; SNAPR_R=$R
grep -q "fetched the search index from its snapshot" "$WORK/n1.log" || { echo "node 2 did not use the snapshot:"; tail -n 20 "$WORK/n1.log"; exit 1; }
FETCH_S=$(grep "fetched the search index from its snapshot" "$WORK/n1.log" | grep -o 'seconds=[0-9.]*' | cut -d= -f2 | xargs -r printf '%.1f')
log "  healthz $SNAPR_H ms (fetched in ${FETCH_S:-?} s), readyz $SNAPR_R ms"

# A new node seeded with `newsdesk copy-index`, taken from node 1 while it serves (without a
# shared bucket); it catches up from the change log instead of indexing every article.
mkdir -p "$WORK/n2"
t0=$(now_ms)
"$BIN" --data "$WORK/n0" copy-index --out "$WORK/n2/search" >/dev/null
COPY_MS=$(( $(now_ms) - t0 ))
log "node 3, new, seeded with a copy of serving node 1's search index (copied in $COPY_MS ms)..."
start_timed 2; SEED_H=$H; SEED_R=$R
log "  healthz $SEED_H ms, readyz $SEED_R ms"

cat > "$WORK/haproxy.cfg" <<CFG
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
backend nodes
  balance roundrobin
  option httpchk GET /readyz
  server n1 127.0.0.1:${PORTS[0]} check inter 500ms
  server n2 127.0.0.1:${PORTS[1]} check inter 500ms
  server n3 127.0.0.1:${PORTS[2]} check inter 500ms
frontend web
  bind 127.0.0.1:$LB_PORT
  default_backend nodes
CFG
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
OTHER_PIDS+=($!)
sleep 1.5
LB_HOME=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LB_PORT/en/")
log "three nodes ready; home through the load balancer: $LB_HOME"

log "100 publications through node 1, read on nodes 2 and 3..."
TOKEN=$("$BIN" --data "$WORK/n0" --database-url "$DB_URL" token create --role editor --name "Million bench" | tail -n 1)
SECTION=$(curl -s "http://127.0.0.1:${PORTS[0]}/api/v1/sections" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("items", d) if isinstance(d, dict) else d; print(next(s["slug"] for s in d if s.get("lang", "en") == "en"))')
python3 bench/converge_writer.py --writer "http://127.0.0.1:${PORTS[0]}" \
  --readers "http://127.0.0.1:${PORTS[1]},http://127.0.0.1:${PORTS[2]}" \
  --token "$TOKEN" --section "$SECTION" --count "${BENCH_PUBLICATIONS:-100}" --out "$WORK/converge.json" >/dev/null
CONVERGE=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); a=d.get("all", d); print(" ".join(str(a[k]) for k in ("median_ms","p90_ms","p99_ms","max_ms")))' "$WORK/converge.json")
log "  median/p90/p99/max ms: $CONVERGE"

log "search: 300 distinct queries on node 2 (no search since it started), then on node 1 after one search of each word..."
python3 bench/search_queries.py "http://127.0.0.1:${PORTS[1]}" > "$WORK/search-cold.txt"
read -r COLD_MED COLD_P99 < "$WORK/search-cold.txt"
log "  cold: median $COLD_MED ms, p99 $COLD_P99 ms"
python3 bench/search_queries.py "http://127.0.0.1:${PORTS[0]}" --warm > "$WORK/search.txt"
read -r SEARCH_MED SEARCH_P99 < "$WORK/search.txt"
log "  median $SEARCH_MED ms, p99 $SEARCH_P99 ms"

run_wrk() { # run_wrk URL -> "rps p50 p99 non2xx errors"
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" > "$WORK/wrk.txt" 2>&1 || true
  wrk_summary "$WORK/wrk.txt"
}

ARTICLE=$(curl -s "http://127.0.0.1:${PORTS[0]}/en/" | grep -o 'class="news-title"><a href="[^"]*"' | head -n 1 | sed 's/.*href="//; s/"$//')
declare -A R
for i in 0 1 2; do
  # The node under load alone on core 0; the two others and PostgreSQL on core 1 with wrk.
  for j in 0 1 2; do taskset -a -p -c "$([ "$j" = "$i" ] && echo 0 || echo 1)" "${PID[$j]}" >/dev/null; done
  base="http://127.0.0.1:${PORTS[$i]}"
  curl -s -o /dev/null "$base/en/"; curl -s -o /dev/null "$base$ARTICLE"
  R[home$i]=$(run_wrk "$base/en/")
  R[article$i]=$(run_wrk "$base$ARTICLE")
  log "  node $((i+1)): home ${R[home$i]}; article ${R[article$i]}"
done
declare -A RSS
for i in 0 1 2; do RSS[$i]=$(( $(ps -o rss= -p "${PID[$i]}" | tr -d ' ') / 1024 )); done
log "  memory: ${RSS[0]} / ${RSS[1]} / ${RSS[2]} MB"

# nginx serves the same home and article bytes under the nodes' conditions: alone on core 0, with the
# three nodes (idle) and PostgreSQL on core 1 beside wrk, as each node had the other two there.
chmod 755 "$WORK"
mkdir -p "$WORK/www"
curl -s "http://127.0.0.1:${PORTS[0]}$ARTICLE" -o "$WORK/www/article.html"
curl -s "http://127.0.0.1:${PORTS[0]}/en/" -o "$WORK/www/home.html"
chmod 644 "$WORK/www/article.html" "$WORK/www/home.html"
PAGE_BYTES=$(stat -c %s "$WORK/www/article.html")
HOME_BYTES=$(stat -c %s "$WORK/www/home.html")
for j in 0 1 2; do taskset -a -p -c 1 "${PID[$j]}" >/dev/null; done
nginx_conf "$WORK" "$NGINX_PORT" off
taskset -c 0 nginx -c "$WORK/nginx.conf" -g 'daemon off;' & OTHER_PIDS+=($!)
sleep 0.5
NGINX=$(run_wrk "http://127.0.0.1:$NGINX_PORT/article.html")
NGINX_HOME=$(run_wrk "http://127.0.0.1:$NGINX_PORT/home.html")
log "  nginx: article $NGINX; home $NGINX_HOME"
for i in 0 1 2; do stop_node "$i"; done

f() { echo "$1" | cut -d' ' -f"$2"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}' if $2 else 'n/a')"; }
{
  echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; PostgreSQL $(psql "$ADMIN_URL" -qAtc 'show server_version' | cut -d' ' -f1) on the same machine."
  echo "Command: \`$([ -n "${BENCH_DB:-}" ] && echo "BENCH_DB=$BENCH_DB ")$([ "${BENCH_SKIP_IMPORT:-0}" = 1 ] && echo "BENCH_SKIP_IMPORT=1 ")bench/cluster-million.sh $ARTICLES\`. Corpus: $ARTICLES articles (both languages, ten years), $INDEX_MIB MiB of search index per node. Article page: $PAGE_BYTES bytes, home page: $HOME_BYTES bytes."
  echo
  echo "| measure | value | target |"
  echo "| --- | ---: | --- |"
  echo "| generating the corpus (newsdesk demo --articles), peak memory | $GEN_V | |"
  echo "| exporting it to JSON Lines | $EXPORT_V | |"
  echo "| importing the export into an empty database, peak memory | $IMPORT_V | < 600 s |"
  echo "| new node, empty data directory: process start to /healthz 200 | $NEW_H ms | cold start < 1 s |"
  echo "| new node, empty data directory: to /readyz 200 (search index built from the database) | $NEW_R ms | < 60 s |"
  echo "| publishing that node's index snapshot to the S3 bucket (Garage on this machine) | ${SNAP_S:-?} s | |"
  echo "| new node, empty data directory, snapshot fetched from the bucket: to /healthz (fetch included: ${FETCH_S:-?} s), to /readyz | $SNAPR_H ms, $SNAPR_R ms | < 60 s |"
  echo "| copying a serving node's search index (newsdesk copy-index, same file system) | $COPY_MS ms | |"
  echo "| new node seeded with that copy: to /healthz, to /readyz | $SEED_H ms, $SEED_R ms | < 60 s |"
  echo "| node restarted with its data directory: to /healthz, to /readyz | $RE_H ms, $RE_R ms | cold start < 1 s |"
  echo "| home page through HAProxy in front of the three nodes | HTTP $LB_HOME | |"
  echo "| publication on nodes 2 and 3 (article page and home), median / p90 / p99 / max | $(echo "$CONVERGE" | sed 's/ / ms \/ /g') ms | p99 < 100 ms |"
  echo "| search, 300 distinct two-word queries, after one search of each word, median / p99 | $SEARCH_MED ms / $SEARCH_P99 ms | p99 < 10 ms |"
  echo "| the same on a node that had not searched since its start, median / p99 | $COLD_MED ms / $COLD_P99 ms | |"
  echo "| memory (RSS) of nodes 1 / 2 / 3 after the run | ${RSS[0]} / ${RSS[1]} / ${RSS[2]} MB | < 300 MB each |"
  echo
  echo "Cached pages, wrk (1 thread, $CONNECTIONS connections, $DURATION) on core 1, the node under load alone on core 0, the other two and PostgreSQL on core 1; nginx measured the same way (alone on core 0, the three nodes idle on core 1):"
  echo
  echo "| what | requests/s | p50 ms | p99 ms | non-2xx | vs nginx |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for i in 0 1 2; do
    for page in home article; do
      v=${R[$page$i]}
      ref=$NGINX; [ "$page" = home ] && ref=$NGINX_HOME
      echo "| node $((i+1)), $page | $(f "$v" 1) | $(f "$v" 2) | $(f "$v" 3) | $(f "$v" 4) | $(ratio "$(f "$v" 1)" "$(f "$ref" 1)") |"
    done
  done
  echo "| nginx, same home bytes | $(f "$NGINX_HOME" 1) | $(f "$NGINX_HOME" 2) | $(f "$NGINX_HOME" 3) | $(f "$NGINX_HOME" 4) | 1.00 |"
  echo "| nginx, same article bytes | $(f "$NGINX" 1) | $(f "$NGINX" 2) | $(f "$NGINX" 3) | $(f "$NGINX" 4) | 1.00 |"
} | tee "$WORK/run.md"
# The newest run first; earlier runs stay below it.
{ cat "$WORK/run.md"; [ -f "$OUT" ] && { echo; cat "$OUT"; }; } > "$WORK/all.md"
mv "$WORK/all.md" "$OUT"
