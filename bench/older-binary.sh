#!/usr/bin/env bash
# A rolling upgrade and a rollback, tried for real: the binary of an older release (REV) serves, reads and writes a database
# that the current binary created and migrated, then the current binary serves what the older
# one wrote. Runs on the embedded database, and on PostgreSQL too when DATABASE_URL is set
# (an empty database; it is used as it is). Run from the repository root:
#
#   bench/older-binary.sh [REV]
#
# REV defaults to the newest commit before a schema change whose migrations all stand unchanged
# today, i.e. the release before the newest migrations.
# Builds both binaries in the repository's target directory (only the newsdesk crate is
# compiled twice when the dependencies are the same). Prints what it checked; exits non-zero
# at the first thing that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# The default: the newest commit before a schema change whose migrations all stand unchanged
# today (a released migration is never edited: every binary checks the ones it knows by
# checksum and refuses a database where one differs).
REV="${1:-}"
if [ -z "$REV" ]; then
  for c in $(git log --format=%H -- migrations/); do
    if git diff --quiet --diff-filter=MD "$c^" HEAD -- migrations/; then REV=$(git rev-parse "$c^"); break; fi
  done
fi
WORK="$(mktemp -d /tmp/newsdesk-older.XXXXXX)"
cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  [ -f "$WORK/newer" ] && cp --remove-destination "$WORK/newer" target/debug/newsdesk
  git worktree remove --force "$WORK/tree" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export NEWSDESK_LOG=warn CARGO_TARGET_DIR="$ROOT/target"

echo "older release: $(git log -1 --format='%h %s' "$REV" | cut -c1-90)"
# Both builds share the target directory, so the dependencies are built once. Cargo names a
# crate's build by its name and version, not its folder: the older tree gets a version of its
# own (and its lock file follows), or its build would overwrite the current one's. Both
# write target/debug/newsdesk, which is put back afterwards.
cargo build --locked --quiet --bin newsdesk
cp --remove-destination target/debug/newsdesk "$WORK/newer"
git worktree add --detach -q "$WORK/tree" "$REV"
sed -i '0,/^version = .*/s//version = "0.0.0-older"/' "$WORK/tree/Cargo.toml"
(cd "$WORK/tree" && cargo build --quiet --bin newsdesk)
cp --remove-destination target/debug/newsdesk "$WORK/older"
cp --remove-destination "$WORK/newer" target/debug/newsdesk
if cmp -s "$WORK/older" "$WORK/newer"; then echo "the two builds are the same binary"; exit 1; fi
echo "migrations: older knows $(ls "$WORK/tree/migrations/sqlite" | grep -c .), newer $(ls migrations/sqlite | grep -c .)"

PORT=18431
serve() { # serve BINARY DATA_ARGS...
  local bin=$1; shift
  "$bin" "$@" serve --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.log"; return 1; }
    sleep 0.1
  done
  echo "not ready in 60 s"; cat "$WORK/serve.log"; return 1
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }
get() { curl -fsS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$1"; }
check() { # check WHAT COMMAND...
  if "${@:2}" > "$WORK/check.out" 2>&1; then echo "  ok: $1"; else echo "  FAILED: $1"; cat "$WORK/check.out"; exit 1; fi
}

try() { # try LABEL DATA_ARGS...
  local label=$1; shift
  echo "$label:"
  "$WORK/newer" "$@" migrate > /dev/null
  # Demo content written by the newer binary, through its own editorial core.
  "$WORK/newer" "$@" serve --demo --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1 && break; sleep 0.1; done
  stop
  local status=0
  "$WORK/older" "$@" migrate --check > "$WORK/check.out" 2>&1 || status=$?
  check "the older binary's migrate --check says the database needs nothing from it (exit $status)" test "$status" = 0
  serve "$WORK/older" "$@"
  check "the older binary serves the home page" test "$(get /en/)" = 200
  local article
  article=$(curl -fsS "http://127.0.0.1:$PORT/en/" | grep -o 'href="/en/news/[a-z0-9-]*"' | head -1 | cut -d'"' -f2)
  check "… an article ($article)" test "$(get "$article")" = 200
  check "… search" bash -c "curl -fsS 'http://127.0.0.1:$PORT/en/search?q=secretary' | grep -q 'href=\"/en/news/secretary'"
  local token
  token=$("$WORK/older" "$@" token create --role editor --name older-binary | tail -1)
  local made
  made=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"lang":"en","title":"Written by the older release","section":"news","body_html":"<p>Rollback check.</p>"}' \
    "http://127.0.0.1:$PORT/api/v1/articles")
  local id
  id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<< "$made")
  check "the older binary writes an article through its API" test -n "$id"
  check "… and publishes it" curl -fsS -X POST -H "Authorization: Bearer $token" -H 'If-Match: "1"' \
    "http://127.0.0.1:$PORT/api/v1/articles/$id/publish"
  check "… which is on its home page" bash -c "curl -fsS http://127.0.0.1:$PORT/en/ | grep -q 'Written by the older release'"
  stop
  serve "$WORK/newer" "$@"
  check "the newer binary serves what the older one wrote" bash -c "curl -fsS http://127.0.0.1:$PORT/en/ | grep -q 'Written by the older release'"
  check "… and its event calendar and documents register" bash -c "curl -fsS -o /dev/null http://127.0.0.1:$PORT/en/events && curl -fsS -o /dev/null http://127.0.0.1:$PORT/en/documents"
  stop
}

try "embedded database (SQLite)" --data "$WORK/site"
if [ -n "${DATABASE_URL:-}" ]; then
  try "PostgreSQL" --data "$WORK/site-pg" --database-url "$DATABASE_URL"
fi
echo "the older release served, read and wrote the database the newer one migrated"
