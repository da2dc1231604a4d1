#!/usr/bin/env bash
# Newsdesk publishing-burst benchmark: one command, run from the repository root.
#
#   bench/burst.sh [ARTICLES]        (default 100000)
#
# Builds the release binary, generates a corpus of ARTICLES articles, starts the server (pinned
# to core 0) and measures with wrk (pinned to core 1) the home page and an article page twice:
# quiet, then during a publishing burst made by bench/burst_writer.py through the editorial API
# (one publication a second and ten draft saves a second). For every publication the writer
# also measures how long after its 201 the new title is on the home page, on the article's own
# page and on its section's list, on this (the writing) node. Results go to
# bench/results/burst-latest.md (copy the figures into BENCHMARKS.md).
#
# Targets: read throughput under the burst >= 0.9 of the quiet figure, p99 < 2 ms, every
# publication on every page it touches within 50 ms.
#
# Environment: BENCH_DURATION (wrk duration per URL, default 20s), BENCH_CONNECTIONS (32),
# BURST_TOKENS (API tokens, default 4: the first publishes, the others each save a draft of
# their own; see BENCHMARKS.md for why one token is not enough), CARGO_TARGET_DIR (as cargo).
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES="${1:-100000}"
DURATION="${BENCH_DURATION:-20s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
TOKENS="${BURST_TOKENS:-4}"
PORT=18083
WORK="$(mktemp -d /tmp/newsdesk-burst.XXXXXX)"
OUT=bench/results/burst-latest.md
mkdir -p bench/results
SERVER_PID=""
WRITER_PID=""
cleanup() {
  [ -n "$WRITER_PID" ] && kill "$WRITER_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; } || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need curl curl
need taskset util-linux
need python3 python3

cores=$(nproc)
if [ "$cores" -ge 2 ]; then SERVER_CPU="taskset -c 0"; LOAD_CPU="taskset -c 1"; else SERVER_CPU=""; LOAD_CPU=""; fi

echo "building release binary..."
cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/newsdesk"
export NEWSDESK_LOG=warn
DUR_S=${DURATION%s}

echo "generating $ARTICLES articles..."
$BIN --data "$WORK/site" demo --articles "$ARTICLES" 2>/dev/null

# API tokens: the first publishes; the others each keep a draft of their own (an editor each).
TOKEN_LIST=""
for i in $(seq 1 "$TOKENS"); do
  t=$($BIN --data "$WORK/site" token create --role editor --name "bench $i" 2>/dev/null | tail -1)
  [ -n "$t" ] || { echo "token create gave no token"; exit 1; }
  TOKEN_LIST="${TOKEN_LIST:+$TOKEN_LIST,}$t"
done

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

# The first start builds the search index; let it finish so it does not load the quiet phase.
echo "starting the server (building the search index)..."
NEWSDESK_LOG=info start_server; wait_healthy
for _ in $(seq 1 600); do
  grep -q "search index built" "$WORK/server.log" && break
  sleep 0.5
done
grep -q "search index built" "$WORK/server.log" || { echo "search index not built after 300 s"; tail "$WORK/server.log"; exit 1; }
BASE="http://127.0.0.1:$PORT"

api_get() { # api_get PATH -> body, or print status and body and stop
  local code
  code=$(curl -s -o "$WORK/api.json" -w '%{http_code}' "$BASE$1")
  if [ "$code" != 200 ]; then echo "GET $1 answered $code:"; cat "$WORK/api.json"; echo; exit 1; fi
  cat "$WORK/api.json"
}
SECTION=$(api_get /api/v1/sections | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d if isinstance(d,list) else d.get("items",d.get("sections")); print(d[0]["slug"])')
ARTICLE=$(api_get "/api/v1/articles?lang=en&limit=1" | python3 -c 'import json,sys,urllib.parse; print(urllib.parse.urlsplit(json.load(sys.stdin)["items"][0]["url"]).path)')
echo "section: $SECTION; article: $ARTICLE"
for p in /en/ "$ARTICLE" "/en/$SECTION"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$p")
  [ "$code" = 200 ] || { echo "GET $p answered $code"; exit 1; }
done

run_wrk() { # run_wrk URL -> "rps p50 p99 non2xx errors"
  $LOAD_CPU wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" > "$WORK/wrk.txt" 2>&1 || true
  cat "$WORK/wrk.txt" >> "$WORK/wrk-all.txt"
  python3 - "$WORK/wrk.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v, unit):
    v = float(v); return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
lat = {m.group(1): ms(m.group(2), m.group(3)) for m in re.finditer(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", t)}
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
errors = sum(int(x) for x in err.groups()) if err else 0
print(f"{float(rps.group(1)) if rps else 0:.0f} {lat.get('50', 0):.3f} {lat.get('99', 0):.3f} {non2xx.group(1) if non2xx else 0} {errors}")
PY
}

echo "quiet: home, article ($DURATION each)..."
Q_HOME=$(run_wrk "$BASE/en/"); echo "  home: $Q_HOME"
Q_ART=$(run_wrk "$BASE$ARTICLE"); echo "  article: $Q_ART"

# The burst: the writer runs through both wrk runs plus a margin before and after.
WARMUP=3
WRITER_S=$((WARMUP + 2 * DUR_S + 3))
echo "burst: writer for ${WRITER_S}s, wrk on home and article ($DURATION each)..."
$LOAD_CPU python3 bench/burst_writer.py --base "$BASE" --section "$SECTION" --tokens "$TOKEN_LIST" \
  --duration "$WRITER_S" --out "$WORK/writer.json" 2> "$WORK/writer.log" &
WRITER_PID=$!
sleep "$WARMUP"
if ! kill -0 "$WRITER_PID" 2>/dev/null; then
  echo "the writer stopped early:"; cat "$WORK/writer.log"; exit 1
fi
B_HOME=$(run_wrk "$BASE/en/"); echo "  home: $B_HOME"
B_ART=$(run_wrk "$BASE$ARTICLE"); echo "  article: $B_ART"
WRITER_RC=0; wait "$WRITER_PID" || WRITER_RC=$?
WRITER_PID=""
cat "$WORK/writer.log"
if [ ! -s "$WORK/writer.json" ]; then echo "the writer wrote no summary (exit $WRITER_RC)"; exit 1; fi
RSS_KB=$(ps -o rss= -p "$SERVER_PID" | tr -d ' ')
if grep -qiE "error|panic" "$WORK/server.log"; then
  echo "server log has errors:"; grep -iE "error|panic" "$WORK/server.log" | tail -20
fi
cp "$WORK/writer.json" bench/results/burst-writer-latest.json

python3 - "$WORK/writer.json" "$Q_HOME" "$Q_ART" "$B_HOME" "$B_ART" > "$WORK/report.md" <<PY
import json, sys
w = json.load(open(sys.argv[1]))
q_home, q_art, b_home, b_art = (list(map(float, a.split())) for a in sys.argv[2:6])
rows = [("home \`/en/\`", q_home, b_home), ("article \`$ARTICLE\`", q_art, b_art)]
print("## Publishing burst, run of $(date -u '+%Y-%m-%d %H:%M UTC')")
print()
print("Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), "
      "$(free -g | awk '/Mem:/{print $2}') GiB; server on core 0, wrk and the writer on core 1; "
      "$CONNECTIONS connections, $DURATION per URL and phase.")
print("Command: \`bench/burst.sh $ARTICLES\`. Corpus: $ARTICLES articles. "
      "Source: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src migrations templates Cargo.toml Cargo.lock || echo ' with uncommitted changes').")
print()
print("| page | quiet req/s | burst req/s | burst/quiet | quiet p50 ms | burst p50 ms | quiet p99 ms | burst p99 ms | non-2xx, errors (burst) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
ok_ratio = ok_p99 = True
for name, q, b in rows:
    r = b[0] / q[0] if q[0] else 0
    ok_ratio &= r >= 0.9
    ok_p99 &= b[2] < 2 and q[2] < 2
    print(f"| {name} | {q[0]:.0f} | {b[0]:.0f} | {r:.3f} | {q[1]:.3f} | {b[1]:.3f} | {q[2]:.3f} | {b[2]:.3f} | {b[3]:.0f}, {b[4]:.0f} |")
print()
print(f"Writer ({w['duration_s']} s, {w['tokens']} editor tokens: one publishes, {w['drafts']} save a draft each): "
      f"{w['publications']} publications ({w['publications_per_s']}/s), {w['draft_saves']} draft saves "
      f"({w['draft_saves_per_s']}/s); API answers {json.dumps(w['api_statuses'])}; "
      f"errors: {json.dumps(w['errors']) if w['errors'] else 'none'}; "
      f"{w['page_polls']} page polls for visibility (every 2 ms until found; they load the server too).")
if w.get("failure"):
    print(f"\n**The writer stopped:** {w['failure']}")
print()
print("| API call | n | median ms | p95 ms | max ms |")
print("| --- | ---: | ---: | ---: | ---: |")
for k, label in (("publish", "create and publish (POST, 201)"), ("draft", "draft save (PATCH, 200)")):
    s = w["write_ms"][k]
    print(f"| {label} | {s['n']} | {s.get('median', '')} | {s.get('p95', '')} | {s.get('max', '')} |")
print()
print("| publication visible on (ms after its 201) | n | median | p95 | max |")
print("| --- | ---: | ---: | ---: | ---: |")
ok_vis = w["publications"] > 0 and not w.get("failure")
for k, label in (("home", "home page \`/en/\`"), ("article", "its article page"), ("section", "its section list \`/en/$SECTION\`")):
    s = w["visibility_ms"][k]
    ok_vis &= s["n"] == w["publications"] and s.get("max", 1e9) <= 50
    print(f"| {label} | {s['n']} | {s.get('median', '')} | {s.get('p95', '')} | {s.get('max', '')} |")
print()
print("| target | |")
print("| --- | --- |")
print(f"| burst/quiet read throughput >= 0.9 (home, article) | {'met' if ok_ratio else 'MISSED'} |")
print(f"| p99 < 2 ms, quiet and under the burst | {'met' if ok_p99 else 'MISSED'} |")
print(f"| every publication on every page it touches within 50 ms | {'met' if ok_vis else 'MISSED'} |")
print()
print(f"Server memory (RSS) after the burst: {int('$RSS_KB' or 0) // 1024} MB.")
PY
tee "$OUT" < "$WORK/report.md"
[ "$WRITER_RC" = 0 ] || { echo "the writer failed (exit $WRITER_RC); see above"; exit "$WRITER_RC"; }
