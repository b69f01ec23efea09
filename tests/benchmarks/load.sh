#!/usr/bin/env bash
# `make load`: a throwaway PostgreSQL on loopback, a large seeded marketplace, gunicorn, and wrk
# against the main pages beside a hello-world route. Installs Debian's PostgreSQL and wrk when
# missing; stops everything it started, whatever happens. Figures go to docs/BENCHMARKS.md ("Load").
#   LOAD_DURATION=10s  wrk duration per page
#   LOAD_WORKERS=4 LOAD_WORKER_CLASS=sync (or gthread, with LOAD_THREADS=4)  gunicorn; the default is
#   the Procfile's web process: sync workers, 2 per core
#   LOAD_NO_WRITE=1  print only, leave docs/BENCHMARKS.md alone
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
DURATION="${LOAD_DURATION:-10s}"
WORKERS="${LOAD_WORKERS:-4}"
THREADS="${LOAD_THREADS:-4}"
KIND="${LOAD_WORKER_CLASS:-sync}"
[ "$KIND" = gthread ] || THREADS=1

. tests/services.sh
ensure_debian_packages "ls /usr/lib/postgresql/*/bin/initdb:postgresql" "command -v wrk:wrk"

D=$(mktemp -d /tmp/barnstorm-load.XXXXXX)
chmod 755 "$D"
PG_PORT=$(free_port)
WEB_PORT=$(free_port)
cleanup() {
  set +e
  [ -f "$D/gunicorn.pid" ] && kill "$(cat "$D/gunicorn.pid")" 2>/dev/null && sleep 1
  stop_postgres "$D"
  rm -rf "$D"
}
trap cleanup EXIT

# Throwaway data: no fsync. Everything else is PostgreSQL's defaults.
start_postgres "$D" "$PG_PORT" barnstorm_load
export DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/barnstorm_load"
export BARNSTORM_INSTANCE="$D/instance"

echo "== seeding =="
"$PY" -m tests.benchmarks.load_seed --out "$D/load.json"

SERVER="gunicorn $WORKERS $KIND workers"
[ "$KIND" = gthread ] && SERVER="$SERVER x $THREADS threads"
echo "== $SERVER on 127.0.0.1:$WEB_PORT =="
.venv/bin/gunicorn -w "$WORKERS" -k "$KIND" --threads "$THREADS" -b "127.0.0.1:$WEB_PORT" --preload \
  --pid "$D/gunicorn.pid" --log-level warning tests.benchmarks.load_wsgi:app >"$D/gunicorn.log" 2>&1 &
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$WEB_PORT/_hello" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$WEB_PORT/_hello" >/dev/null || { echo "gunicorn did not start:"; tail -30 "$D/gunicorn.log"; exit 1; }

echo "== wrk, $DURATION per page =="
"$PY" -m tests.benchmarks.load_run --base "http://127.0.0.1:$WEB_PORT" --info "$D/load.json" --duration "$DURATION" --workers "$WORKERS" \
  --server "$SERVER" ${LOAD_NO_WRITE:+--no-write}
