#!/usr/bin/env bash
# Newsdesk durability harness: kill -9 the server and the importer at random moments while a
# writer publishes through the back office, then prove that nothing acknowledged was lost.
#
#   bench/durability.sh [--rounds N] [--seed S] [--writers N] [--hangup-pct P]
#                       [--import-items N] [--import-kill-pct P] [--min-up SECONDS]
#                       [--max-up SECONDS] [--search-sample N] [--postgres URL] [--keep]
#
#   NEWSDESK_BIN=target/debug/newsdesk bench/durability.sh --rounds 3
#
# The binary is $NEWSDESK_BIN, else target/release/newsdesk, else target/debug/newsdesk (build
# it first). Defaults: 10 rounds, 2 writers, 5% hang-ups, imports of 3000 items, importer killed
# in ~70% of the rounds, server up 1.5-5 s per round, 300 tokens searched; about 1.5 minutes.
# The same --seed gives the same schedule (not the same interleaving). A failed run (or --keep)
# leaves its work directory in /tmp: writes-N.tsv (every attempt and its outcome), server.log,
# import logs, verify.txt.
#
# What one run does (see RELIABILITY.md for the figures of past runs):
#   1. a fresh data directory (and, with --postgres, the given empty database), an admin user,
#      `newsdesk serve` on a free 127.0.0.1 port;
#   2. --writers copies of bench/durability_writer.py (default 2) sign in and create and publish
#      articles through the back office (every 5th write edits one of their earlier articles),
#      logging a write as acknowledged only after the 303 success answer; they reconnect (and
#      sign in again if the session is gone) by themselves whenever the server goes away;
#      --hangup-pct percent of creations (default 5) are sent and then abandoned with a
#      connection reset after 0-30 ms, like a client that gives up;
#   3. N rounds: each round imports a new JSON Lines batch (one section plus --import-items
#      articles) with `newsdesk import`, kill -9s the importer at a random moment in
#      --import-kill-pct percent of the rounds, and kill -9s the server at a random moment
#      between --min-up and --max-up seconds after it became healthy; after each server kill the
#      SQLite file as the crash left it must pass PRAGMA integrity_check; after an importer kill
#      its batch must be either wholly absent or wholly present (one transaction), and a re-run
#      must succeed and leave it present exactly once; then the server restarts;
#   4. the writer stops, the server is stopped cleanly (SIGTERM), every acknowledged creation and
#      edit is looked up in the database, every batch must be whole, integrity_check must be ok;
#      the server is started again and search must agree with the database (the count of all
#      harness articles, then one search per token for a sample, plus absent tokens finding
#      nothing).
#
# Only 127.0.0.1 is contacted. Exit status 0 when everything held, 1 otherwise.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HELPER="$ROOT/bench/durability_writer.py"

ROUNDS=10
SEED=""
WRITERS=2
HANGUP_PCT=5
IMPORT_ITEMS=3000
IMPORT_KILL_PCT=70
MIN_UP=1.5
MAX_UP=5
SEARCH_SAMPLE=300
POSTGRES=""
KEEP=0

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --writers) WRITERS="$2"; shift 2 ;;
    --hangup-pct) HANGUP_PCT="$2"; shift 2 ;;
    --import-items) IMPORT_ITEMS="$2"; shift 2 ;;
    --import-kill-pct) IMPORT_KILL_PCT="$2"; shift 2 ;;
    --min-up) MIN_UP="$2"; shift 2 ;;
    --max-up) MAX_UP="$2"; shift 2 ;;
    --search-sample) SEARCH_SAMPLE="$2"; shift 2 ;;
    --postgres) POSTGRES="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done

if [ -n "${NEWSDESK_BIN:-}" ]; then
  BIN="$NEWSDESK_BIN"
elif [ -x "$ROOT/target/release/newsdesk" ]; then
  BIN="$ROOT/target/release/newsdesk"
else
  BIN="$ROOT/target/debug/newsdesk"
fi
[ -x "$BIN" ] || { echo "no newsdesk binary at $BIN (cargo build --release, or set NEWSDESK_BIN)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }
if [ -n "$POSTGRES" ]; then
  command -v psql >/dev/null || { echo "--postgres needs psql" >&2; exit 2; }
fi

[ -n "$SEED" ] || SEED=$(( $(date +%s) % 100000 ))
RANDOM=$SEED
RUN=$(printf '%04x%02x' $(( SEED % 65536 )) $(( RANDOM % 256 )))
WORK="$(mktemp -d /tmp/newsdesk-durability.XXXXXX)"
DATA="$WORK/data"
mkdir -p "$DATA"
DBARGS=()
if [ -n "$POSTGRES" ]; then DBARGS=(--database-url "$POSTGRES"); SQLITE=""; else SQLITE="$DATA/newsdesk.db"; fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
EMAIL=admin@example.org
PASSWORD="durability-$RUN-password"
export NEWSDESK_LOG="${NEWSDESK_LOG:-warn}"

SERVER_PID=""; WRITER_PIDS=(); IMPORT_PID=""
cleanup() {
  for p in "$IMPORT_PID" "${WRITER_PIDS[@]}" "$SERVER_PID"; do
    [ -n "$p" ] && kill -9 "$p" 2>/dev/null
  done
  wait 2>/dev/null
  if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ms() { date +%s%3N; }
# rand_ms LOW_SECONDS HIGH_SECONDS: a random duration in milliseconds
rand_ms() { awk -v lo="$1" -v hi="$2" -v r="$(( (RANDOM << 15) | RANDOM ))" \
  'BEGIN { printf "%d", (lo + (hi - lo) * r / 1073741824) * 1000 }'; }
sleep_ms() { [ "$1" -gt 0 ] && sleep "$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')"; return 0; }
log() { printf '[%6.1fs] %s\n' "$(awk -v a="$T0" -v b="$(ms)" 'BEGIN { print (b - a) / 1000 }')" "$*"; }
nd() { "$BIN" --data "$DATA" "${DBARGS[@]}" "$@"; }

start_server() {
  local t; t=$(ms)
  for attempt in 1 2 3 4 5; do
    "$BIN" --data "$DATA" "${DBARGS[@]}" serve --addr "127.0.0.1:$PORT" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    if python3 "$HELPER" wait-healthz --port "$PORT" --timeout 60; then
      STARTUP_MS=$(( $(ms) - t ))
      return 0
    fi
    { kill -9 "$SERVER_PID"; wait "$SERVER_PID"; } 2>/dev/null
    echo "server did not become healthy (attempt $attempt); see $WORK/server.log" >&2
    sleep 1
  done
  return 1
}

batch_count() { python3 "$HELPER" batch-count ${SQLITE:+--sqlite "$SQLITE"} ${POSTGRES:+--postgres "$POSTGRES"} \
  --run "$RUN" --batch "$1"; }

FAIL=0
fail() { echo "FAILURE: $*" | tee -a "$WORK/failures.txt" >&2; FAIL=1; }

T0=$(ms)
echo "newsdesk durability harness: binary $BIN, ${POSTGRES:+PostgreSQL $POSTGRES, }work dir $WORK"
echo "seed $SEED (run id $RUN), $ROUNDS rounds, $WRITERS writers ($HANGUP_PCT% hang-ups), imports of $IMPORT_ITEMS items (importer killed in ~$IMPORT_KILL_PCT%), server up ${MIN_UP}-${MAX_UP}s per round"

if [ -n "$POSTGRES" ]; then
  has=$(psql -X -Atq -d "$POSTGRES" -c "SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles'") \
    || { echo "cannot connect to $POSTGRES" >&2; exit 2; }
  if [ "$has" != 0 ] && [ "$(psql -X -Atq -d "$POSTGRES" -c 'SELECT count(*) FROM articles')" != 0 ]; then
    echo "$POSTGRES already holds articles; give the harness an empty database (createdb)" >&2; exit 2
  fi
fi
echo "$PASSWORD" | nd user add "$EMAIL" --role admin >/dev/null 2>"$WORK/user.log" \
  || { cat "$WORK/user.log" >&2; exit 1; }
start_server || { tail -20 "$WORK/server.log" >&2; exit 1; }
log "server up on 127.0.0.1:$PORT in ${STARTUP_MS} ms"

LOGS=()
for ((w = 1; w <= WRITERS; w++)); do
  python3 "$HELPER" write --port "$PORT" --email "$EMAIL" --password "$PASSWORD" --run "$RUN" --writer "$w" \
    --seed "$(( SEED + w ))" --hangup-pct "$HANGUP_PCT" --log "$WORK/writes-$w.tsv" --stop "$WORK/stop" \
    2>"$WORK/writer-$w.err" &
  WRITER_PIDS+=($!); LOGS+=(--log "$WORK/writes-$w.tsv")
done

SERVER_KILLS=0; IMPORT_RUNS=0; IMPORT_KILLS=0; IMPORT_KILLED_BEFORE=0; IMPORT_KILLED_AFTER=0
IMPORT_RERUNS=0; IMPORT_FAILED=0; IMPORT_MISSED_KILL=0; CRASH_CHECKS=0; CRASH_CHECKS_OK=0
BATCHES=""; STARTUPS=""; LOCKED_BEFORE=0
IMPORT_EST_MS=$IMPORT_ITEMS   # about 1 ms an item until a whole import has been timed

run_import() { # run_import BATCH LOGFILE  (in the background; sets IMPORT_PID)
  "$BIN" --data "$DATA" "${DBARGS[@]}" import "$WORK/batch$1.jsonl" >"$2" 2>&1 &
  IMPORT_PID=$!
}

for ((r = 1; r <= ROUNDS; r++)); do
  python3 "$HELPER" gen-import --out "$WORK/batch$r.jsonl" --run "$RUN" --batch "$r" --count "$IMPORT_ITEMS"
  up_ms=$(rand_ms "$MIN_UP" "$MAX_UP")
  imp_start_ms=$(rand_ms 0 "$(awk -v u="$up_ms" 'BEGIN { print u / 2000 }')")
  kill_import=0
  if [ $(( RANDOM % 100 )) -lt "$IMPORT_KILL_PCT" ]; then
    kill_import=1
    imp_kill_ms=$(( imp_start_ms + $(rand_ms 0.05 "$(awk -v e="$IMPORT_EST_MS" 'BEGIN { print e / 1000 }')") ))
  fi
  # The round's timeline, in milliseconds after the server became healthy.
  events="$imp_start_ms import_start
$up_ms server_kill"
  [ "$kill_import" = 1 ] && events="$events
$imp_kill_ms import_kill"
  events=$(sort -n <<<"$events")
  round_t0=$(ms)
  imp_t0=0; imp_killed=0
  while read -r at what; do
    sleep_ms $(( at - ($(ms) - round_t0) ))
    case "$what" in
      import_start)
        run_import "$r" "$WORK/import$r.log"; imp_t0=$(ms); IMPORT_RUNS=$((IMPORT_RUNS + 1)) ;;
      import_kill)
        if kill -0 "$IMPORT_PID" 2>/dev/null; then
          imp_kill_at=$(ms)
          # Killed and reaped with stderr closed, so bash prints no "Killed" line.
          { kill -9 "$IMPORT_PID"; wait "$IMPORT_PID"; } 2>/dev/null; imp_rc=$?
          imp_killed=1
        fi ;;
      server_kill)
        { kill -9 "$SERVER_PID"; wait "$SERVER_PID"; } 2>/dev/null; SERVER_KILLS=$((SERVER_KILLS + 1))
        log "round $r: server killed after $(( at / 1000 )).$(( at % 1000 / 100 ))s up"
        if [ -n "$SQLITE" ]; then
          CRASH_CHECKS=$((CRASH_CHECKS + 1))
          if res=$(python3 "$HELPER" integrity --sqlite "$SQLITE" </dev/null 2>&1); then
            CRASH_CHECKS_OK=$((CRASH_CHECKS_OK + 1))
          else
            fail "round $r: integrity_check right after the server kill: $res"
          fi
        fi ;;
    esac
  done <<<"$events"

  # The importer: killed, finished, or still running (then let it finish).
  if [ "$imp_killed" = 1 ]; then rc=$imp_rc; else { wait "$IMPORT_PID"; } 2>/dev/null; rc=$?; fi
  imp_ms=$(( $(ms) - imp_t0 ))
  IMPORT_PID=""
  if [ "$imp_killed" = 1 ] && [ "$rc" = 137 ]; then
    IMPORT_KILLS=$((IMPORT_KILLS + 1))
    imp_ms=$(( imp_kill_at - imp_t0 ))
    read -r n distinct sec <<<"$(batch_count "$r")"
    if [ "$n" = 0 ] && [ "$sec" = 0 ]; then
      IMPORT_KILLED_BEFORE=$((IMPORT_KILLED_BEFORE + 1)); state="nothing committed"
    elif [ "$n" = "$IMPORT_ITEMS" ] && [ "$distinct" = "$IMPORT_ITEMS" ] && [ "$sec" = 1 ]; then
      IMPORT_KILLED_AFTER=$((IMPORT_KILLED_AFTER + 1)); state="already committed"
    else
      state="PARTIAL"
      fail "round $r: importer killed after ${imp_ms} ms left $n of $IMPORT_ITEMS articles (section: $sec): not atomic"
    fi
    log "round $r: importer killed after ${imp_ms} ms: $state; re-running it"
    t=$(ms)
    run_import "$r" "$WORK/import$r.rerun.log"; { wait "$IMPORT_PID"; } 2>/dev/null; rc=$?; IMPORT_PID=""
    IMPORT_RERUNS=$((IMPORT_RERUNS + 1))
    if [ "$rc" != 0 ]; then
      fail "round $r: the re-run of the import failed ($rc): $(tail -1 "$WORK/import$r.rerun.log")"
    else
      rerun_ms=$(( $(ms) - t ))
      log "round $r: re-run: $(grep -o 'imported.*' "$WORK/import$r.rerun.log" | tail -1) in ${rerun_ms} ms"
    fi
  else
    [ "$kill_import" = 1 ] && IMPORT_MISSED_KILL=$((IMPORT_MISSED_KILL + 1))
    if [ "$rc" != 0 ]; then
      IMPORT_FAILED=$((IMPORT_FAILED + 1))
      grep -q 'database is locked' "$WORK/import$r.log" && LOCKED_BEFORE=$((LOCKED_BEFORE + 1))
      log "round $r: import failed ($rc): $(tail -1 "$WORK/import$r.log"); re-running it"
      run_import "$r" "$WORK/import$r.rerun.log"; { wait "$IMPORT_PID"; } 2>/dev/null; rc=$?; IMPORT_PID=""
      IMPORT_RERUNS=$((IMPORT_RERUNS + 1))
      [ "$rc" = 0 ] || fail "round $r: the import failed twice: $(tail -1 "$WORK/import$r.rerun.log")"
    else
      # It may have finished well before it was waited for: its log was last written at the end.
      imp_ms=$(( $(date +%s%3N -r "$WORK/import$r.log") - imp_t0 ))
      IMPORT_EST_MS=$imp_ms
      log "round $r: import completed in ${imp_ms} ms: $(grep -o 'imported.*' "$WORK/import$r.log" | tail -1)"
    fi
  fi
  read -r n distinct sec <<<"$(batch_count "$r")"
  if [ "$n" != "$IMPORT_ITEMS" ] || [ "$distinct" != "$IMPORT_ITEMS" ] || [ "$sec" != 1 ]; then
    fail "round $r: after the import, batch $r has $n rows ($distinct distinct) of $IMPORT_ITEMS, section $sec"
  fi
  BATCHES="$BATCHES${BATCHES:+,}$r"

  start_server || { fail "round $r: the server does not start again"; tail -20 "$WORK/server.log" >&2; break; }
  STARTUPS="$STARTUPS $STARTUP_MS"
  log "round $r: server restarted, healthy after ${STARTUP_MS} ms"
done

# Let the writer do a little more against the last server, then stop it.
sleep 1
touch "$WORK/stop"; wait "${WRITER_PIDS[@]}"; WRITER_PIDS=()
kill -TERM "$SERVER_PID"
for i in $(seq 1 200); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
  fail "the server did not stop within 20 s of SIGTERM"; kill -9 "$SERVER_PID"
fi
wait "$SERVER_PID"; stop_rc=$?; SERVER_PID=""
[ "$stop_rc" = 0 ] || fail "the server exited with status $stop_rc on SIGTERM"
log "writer stopped, server stopped cleanly; verifying"

VERIFY=(python3 "$HELPER" verify ${SQLITE:+--sqlite "$SQLITE"} ${POSTGRES:+--postgres "$POSTGRES"} --run "$RUN"
  "${LOGS[@]}" --batches "$BATCHES" --import-count "$IMPORT_ITEMS" --seed "$SEED")
"${VERIFY[@]}" --json "$WORK/verify-db.json" >"$WORK/verify-db.txt" 2>&1 || fail "database verification (see below)"

start_server || fail "the server does not start for the search check"
log "server started for the search check in ${STARTUP_MS} ms"
"${VERIFY[@]}" --port "$PORT" --search-sample "$SEARCH_SAMPLE" --json "$WORK/verify.json" >"$WORK/verify.txt" 2>&1 \
  || fail "verification with search (see below)"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
if [ -n "$SQLITE" ]; then
  final_ic=$(python3 "$HELPER" integrity --sqlite "$SQLITE" 2>&1) || fail "final integrity_check: $final_ic"
fi

LOCKED=$(grep -c 'database is locked' "$WORK/server.log" "$WORK"/import*.log 2>/dev/null | awk -F: '{ s += $2 } END { print s + 0 }')
PANICS=$(grep -c 'panicked' "$WORK/server.log" 2>/dev/null)
DURATION=$(( ($(ms) - T0) / 1000 ))
v() { cat "$WORK/verify.txt" "$WORK/verify-db.txt" 2>/dev/null | grep "^$1=" | head -1 | cut -d= -f2-; }

echo
echo "== durability summary ($(date -u +%Y-%m-%dT%H:%M:%SZ)) =="
echo "backend:               ${POSTGRES:+PostgreSQL}${SQLITE:+SQLite}   binary: $BIN   seed: $SEED"
echo "rounds:                $ROUNDS (duration ${DURATION}s)"
echo "server kill -9:        $SERVER_KILLS; restarts healthy after (ms):$STARTUPS"
echo "imports:               $IMPORT_RUNS runs of $IMPORT_ITEMS items; importer kill -9: $IMPORT_KILLS" \
     "($IMPORT_KILLED_BEFORE before commit, $IMPORT_KILLED_AFTER after commit), kill came too late: $IMPORT_MISSED_KILL," \
     "failed on their own: $IMPORT_FAILED ('database is locked': $LOCKED_BEFORE), re-runs: $IMPORT_RERUNS"
echo "writes sent:           $(v writes_attempted) (sign-ins: $(v signins); not sent, connection refused while the server was down: $(v refused_connection))"
echo "creations:             acked $(v creates_acked), refused $(v creates_nack), in doubt $(v creates_doubt) (present afterwards: $(v creates_doubt_present)), hung up $(v creates_hung_up) (present: $(v creates_hung_up_present))"
echo "edits:                 acked $(v edits_acked), refused $(v edits_nack), in doubt $(v edits_doubt)"
echo "refusals by status:    $(v nack_statuses)"
echo "LOST acked creations:  $(v creates_lost)"
echo "LOST acked edits:      $(v edits_lost)"
echo "import batches whole:  $(( $(v import_batches) - $(v import_batches_bad) ))/$(v import_batches) ($(v import_items_expected) items, each exactly once)"
if [ -n "$SQLITE" ]; then
echo "integrity_check:       after each server kill $CRASH_CHECKS_OK/$CRASH_CHECKS ok; after clean stop: $(v integrity_check); final: ${final_ic:-?}"
else
echo "integrity_check:       n/a (PostgreSQL)"
fi
echo "search vs database:    $(v search_marked_count) found / $(v published_marked_in_db) published (caught up in $(v search_caught_up_s)s);" \
     "tokens checked $(v search_tokens_checked), mismatched $(v search_tokens_mismatched)"
echo "'database is locked':  $LOCKED log lines; panics: $PANICS"
sed -E 's/\x1b\[[0-9;]*m//g' "$WORK/server.log" >"$WORK/server.plain.log"
echo "server log:            $(grep -c ' WARN ' "$WORK/server.plain.log") warnings, $(grep -c ' ERROR ' "$WORK/server.plain.log") errors, search index rebuilt $(grep -ci 'rebuil' "$WORK/server.plain.log") times"
grep -E ' (WARN|ERROR) ' "$WORK/server.plain.log" | sed -E 's/^[^ ]+ +//; s/[0-9]+/N/g' | cut -c1-160 \
  | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /'
grep '^PROBLEM' "$WORK/verify-db.txt" "$WORK/verify.txt" 2>/dev/null | sed 's/^/  /'
[ -f "$WORK/failures.txt" ] && sed 's/^/  /' "$WORK/failures.txt"
if [ "$FAIL" = 0 ]; then echo "RESULT: everything acknowledged held"; else echo "RESULT: FAILED"; fi
[ "$KEEP" = 1 ] || [ "$FAIL" = 0 ] || { KEEP=1; echo "(work dir kept for inspection)"; }
exit "$FAIL"
