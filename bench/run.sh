#!/usr/bin/env bash
# Newsdesk benchmark: one command, run from the repository root.
#
#   bench/run.sh [ARTICLES]        (default 100000)
#
# Builds the release binary, generates a corpus of ARTICLES articles on the embedded database,
# times an export/import round of it, measures cold start, then load-tests the real server with
# wrk (server pinned to core 0, wrk to core 1) on the home page, a section page, a deep archive
# page, an article, a search and a feed, and — in the same run — nginx serving the very same
# article bytes as a static file (plain and with gzip on), reporting Newsdesk's throughput as a
# ratio to nginx's. Results go to bench/results/latest.md (copy the figures into BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES="${1:-100000}"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
PORT=18081
NGINX_PORT=18082
WORK="$(mktemp -d /tmp/newsdesk-bench.XXXXXX)"
OUT=bench/results/latest.md
mkdir -p bench/results

. bench/lib.sh
need wrk wrk
need nginx nginx
need curl curl
need taskset util-linux

cores=$(nproc)
if [ "$cores" -ge 2 ]; then SERVER_CPU="taskset -c 0"; LOAD_CPU="taskset -c 1"; else SERVER_CPU=""; LOAD_CPU=""; fi

echo "building release binary..."
cargo build --release --quiet
BIN=target/release/newsdesk
export NEWSDESK_LOG=warn

now_ms() { date +%s%3N; }

echo "generating $ARTICLES articles..."
t0=$(now_ms)
$BIN --data "$WORK/site" demo --articles "$ARTICLES" 2>/dev/null
t1=$(now_ms)
GEN_S=$(echo "scale=1; ($t1-$t0)/1000" | bc)

echo "export and import..."
$BIN --data "$WORK/site" export --out "$WORK/corpus.jsonl" 2>/dev/null
t0=$(now_ms)
$BIN --data "$WORK/imported" import "$WORK/corpus.jsonl" 2>/dev/null
t1=$(now_ms)
IMPORT_S=$(echo "scale=1; ($t1-$t0)/1000" | bc)
rm -rf "$WORK/imported" "$WORK/corpus.jsonl"

start_server() {
  $SERVER_CPU $BIN --data "$WORK/site" serve --addr "127.0.0.1:$PORT" 2>"$WORK/server.log" &
  SERVER_PID=$!
}
wait_healthy() {
  for _ in $(seq 1 2000); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.005
  done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}

# Cold start: process start to the first 200 on /healthz (best of 3). The first start builds
# the search index (and merges it into one segment); it is left to finish before measuring.
echo "cold start..."
NEWSDESK_LOG=info start_server; wait_healthy
for _ in $(seq 1 600); do
  grep -q "search index built" "$WORK/server.log" && break
  sleep 0.5
done
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
BEST=999999
for _ in 1 2 3; do
  t0=$(now_ms); start_server; wait_healthy; t1=$(now_ms)
  d=$((t1-t0)); [ "$d" -lt "$BEST" ] && BEST=$d
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
done
COLD_MS=$BEST

start_server; wait_healthy
BASE="http://127.0.0.1:$PORT"
ARTICLE=$(curl -s "$BASE/en/" | grep -o 'class="news-title"><a href="[^"]*"' | head -n 1 | sed 's/.*href="//; s/"$//')
SECTION=$(echo "$ARTICLE" | cut -d/ -f3)
echo "article: $ARTICLE"

# Uncached renders, twice over 200 distinct articles and archive pages 1,990–2,009: first the
# very first request for each since the server started ("cold": nothing about them is in
# memory), then the first request for each after a change (an article imported by another
# process, which empties the page cache on every page).
cat > "$WORK/uncached.py" <<'PY'
import http.client, sys, time, re, statistics
base, phase = sys.argv[1].replace("http://", ""), sys.argv[2]
c = http.client.HTTPConnection(base)
def get(path):
    t = time.perf_counter(); c.request("GET", path); r = c.getresponse(); body = r.read(); return time.perf_counter() - t, r.status, body
paths = []
for page in range(50, 90):
    _, _, body = get(f"/en/archive?page={page}")
    paths += re.findall(r'class="news-title"><a href="([^"]+)"', body.decode())
if phase == "change":
    # Wait until the change has reached this node (the page cache was emptied).
    deadline = time.time() + 10
    while b"Benchmark change" not in get("/en/")[2] and time.time() < deadline:
        time.sleep(0.05)
arts = sorted(get(p)[0] * 1000 for p in paths[:200])
deep = sorted(get(f"/en/archive?page={p}")[0] * 1000 for p in range(1990, 2010))
print(f"{statistics.median(arts):.2f} {arts[int(len(arts)*0.99)-1]:.2f} {statistics.median(deep):.2f} {max(deep):.2f}")
PY
python3 "$WORK/uncached.py" "$BASE" cold > "$WORK/uncached.txt"
read -r ART_MED ART_P99 DEEP_MED DEEP_MAX < "$WORK/uncached.txt"
echo '{"title":"Benchmark change","published_at":"2030-01-01","lang":"en","section":"news","lead":"A change.","body_html":"<p>A change.</p>"}' > "$WORK/change.jsonl"
sed -i "s/2030-01-01/$(date -u -d "-5 seconds" +%Y-%m-%dT%H:%M:%S+00:00)/" "$WORK/change.jsonl"
$BIN --data "$WORK/site" import "$WORK/change.jsonl" >/dev/null 2>&1
python3 "$WORK/uncached.py" "$BASE" change > "$WORK/uncached-change.txt"
read -r CH_ART_MED CH_ART_P99 CH_DEEP_MED CH_DEEP_MAX < "$WORK/uncached-change.txt"

run_wrk() { # run_wrk URL [HEADER] -> "rps p50 p99 non2xx errors"
  local url=$1; shift
  local args=()
  [ $# -gt 0 ] && args=(-H "$1")
  $LOAD_CPU wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" "$url" > "$WORK/wrk.txt" 2>&1 || true
  wrk_summary "$WORK/wrk.txt"
}

declare -A R
echo "load: newsdesk..."
for name in home section deep article search feed article_gzip; do
  case $name in
    home) R[$name]=$(run_wrk "$BASE/en/") ;;
    section) R[$name]=$(run_wrk "$BASE/en/$SECTION") ;;
    deep) R[$name]=$(run_wrk "$BASE/en/archive?page=2000") ;;
    article) R[$name]=$(run_wrk "$BASE$ARTICLE") ;;
    search) R[$name]=$(run_wrk "$BASE/en/search?q=conference+security") ;; # one popular query: cached
    feed) R[$name]=$(run_wrk "$BASE/en/feed.xml") ;;
    article_gzip) R[$name]=$(run_wrk "$BASE$ARTICLE" "Accept-Encoding: gzip") ;;
  esac
  echo "  $name: ${R[$name]}"
done
# Search without the page cache: distinct queries, each answered fresh.
python3 - "$BASE" > "$WORK/search.txt" <<'PY'
import http.client, itertools, sys, time, statistics
c = http.client.HTTPConnection(sys.argv[1].replace("http://", ""))
words = ["conference", "security", "meeting", "exercise", "cooperation", "summit", "council", "ministers",
         "training", "agreement", "border", "crisis", "terrorism", "migration", "delegation", "experts",
         "information", "peacekeeping", "transport", "infrastructure"]
# 300 distinct queries (190 word pairs, then the second page of 110 of them): none is cached.
pairs = list(itertools.combinations(words, 2))
queries = [f"{a}+{b}" for a, b in pairs] + [f"{a}+{b}&page=2" for a, b in pairs[:110]]
ts = []
for q in queries:
    t = time.perf_counter(); c.request("GET", f"/en/search?q={q}"); c.getresponse().read(); ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print(f"{statistics.median(ts):.2f} {ts[int(len(ts) * 0.99) - 1]:.2f}")
PY
read -r SEARCH_MED SEARCH_P99 < "$WORK/search.txt"
RSS_KB=$(ps -o rss= -p "$SERVER_PID" | tr -d ' ')

# nginx serving the very same article bytes (its workers run as an unprivileged user, so the
# work directory must be readable to them; every response must be a 200 to count).
chmod 755 "$WORK"
mkdir -p "$WORK/www"
curl -s "$BASE$ARTICLE" -o "$WORK/www/article.html"
chmod 644 "$WORK/www/article.html"
PAGE_BYTES=$(stat -c %s "$WORK/www/article.html")
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
echo "load: nginx..."
nginx_conf "$WORK" "$NGINX_PORT" off
$SERVER_CPU nginx -c "$WORK/nginx.conf" -g 'daemon off;' & NGINX_PID=$!
sleep 0.5
NGINX_PLAIN=$(run_wrk "http://127.0.0.1:$NGINX_PORT/article.html")
kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true
nginx_conf "$WORK" "$NGINX_PORT" on
$SERVER_CPU nginx -c "$WORK/nginx.conf" -g 'daemon off;' & NGINX_PID=$!
sleep 0.5
NGINX_GZIP=$(run_wrk "http://127.0.0.1:$NGINX_PORT/article.html" "Accept-Encoding: gzip")
kill "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true
echo "  nginx: $NGINX_PLAIN / gzip: $NGINX_GZIP"

f() { echo "$1" | cut -d' ' -f"$2"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}' if $2 else 'n/a')"; }
{
  echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB; server on core 0, wrk on core 1; $CONNECTIONS connections, $DURATION per test."
  echo "Command: \`bench/run.sh $ARTICLES\`. Corpus: $ARTICLES articles (both languages, ten years). Article page: $PAGE_BYTES bytes."
  echo
  echo "| what | requests/s | p50 ms | p99 ms | non-2xx | vs nginx |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for name in home section deep article search feed; do
    v=${R[$name]}
    echo "| $name | $(f "$v" 1) | $(f "$v" 2) | $(f "$v" 3) | $(f "$v" 4) | $(ratio "$(f "$v" 1)" "$(f "$NGINX_PLAIN" 1)") |"
  done
  echo "| article, gzip | $(f "${R[article_gzip]}" 1) | $(f "${R[article_gzip]}" 2) | $(f "${R[article_gzip]}" 3) | $(f "${R[article_gzip]}" 4) | $(ratio "$(f "${R[article_gzip]}" 1)" "$(f "$NGINX_GZIP" 1)") (vs nginx gzip on) |"
  echo "| nginx, same article bytes | $(f "$NGINX_PLAIN" 1) | $(f "$NGINX_PLAIN" 2) | $(f "$NGINX_PLAIN" 3) | $(f "$NGINX_PLAIN" 4) | 1.00 |"
  echo "| nginx, gzip on | $(f "$NGINX_GZIP" 1) | $(f "$NGINX_GZIP" 2) | $(f "$NGINX_GZIP" 3) | $(f "$NGINX_GZIP" 4) | |"
  echo
  echo "| measure | value |"
  echo "| --- | ---: |"
  echo "| uncached article render after a change, median / p99 (200 articles) | $CH_ART_MED ms / $CH_ART_P99 ms |"
  echo "| uncached deep archive page after a change (pages 1990–2009), median / max | $CH_DEEP_MED ms / $CH_DEEP_MAX ms |"
  echo "| cold article render (first request since start), median / p99 (200 articles) | $ART_MED ms / $ART_P99 ms |"
  echo "| cold deep archive page (first request since start), median / max | $DEEP_MED ms / $DEEP_MAX ms |"
  echo "| search, distinct queries (uncached), median / p99 | $SEARCH_MED ms / $SEARCH_P99 ms |"
  echo "| server memory (RSS) after the load | $((RSS_KB / 1024)) MB |"
  echo "| cold start to first 200 on /healthz (best of 3) | $COLD_MS ms |"
  echo "| generating $ARTICLES articles (newsdesk demo --articles) | $GEN_S s |"
  echo "| importing $ARTICLES articles (newsdesk import of the export) | $IMPORT_S s |"
} | tee "$OUT"
rm -rf "$WORK"
