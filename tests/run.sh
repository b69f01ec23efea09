#!/usr/bin/env bash
# Everything the tests need, then the suite: installs Debian's Redis, PostgreSQL and Chromium when
# missing, starts throwaway instances on loopback, runs the suite on SQLite and the dialect-bound
# part (`-m postgres`) on PostgreSQL, both under pytest-xdist,
# and stops the services whatever happens.  `--bench` runs the benchmarks instead.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-}"
PY=.venv/bin/python

if [ "$MODE" != "--bench" ]; then
  echo "== ruff: security rules (S) and pyflakes (F) =="
  "$PY" -m ruff check app config.py wsgi.py tests
fi

. tests/services.sh
NEEDS=("command -v redis-server:redis-server" "ls /usr/lib/postgresql/*/bin/initdb:postgresql")
[ "$MODE" = "--bench" ] || NEEDS+=("test -x /usr/lib/chromium/chromium:chromium")
ensure_debian_packages "${NEEDS[@]}"
PGBIN=$(pg_bin)

D=$(mktemp -d /tmp/barnstorm-test.XXXXXX)
chmod 755 "$D"
REDIS_PORT=$(free_port)
PG_PORT=$(free_port)

cleanup() {
  set +e
  stop_postgres "$D" immediate
  [ -f "$D/redis.pid" ] && kill "$(cat "$D/redis.pid")" 2>/dev/null
  [ -f "$D/prism.pid" ] && kill "$(cat "$D/prism.pid")" 2>/dev/null
  rm -rf "$D"
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$D" --save "" --appendonly no \
  --daemonize yes --pidfile "$D/redis.pid" --logfile "$D/redis.log"

start_postgres "$D" "$PG_PORT" app_test

export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/app_test"
export TEST_SERVICES_DIR="$D"
export PGBIN REDIS_PORT PG_PORT

# The benchmarks need PostgreSQL and Redis only: no mock mail server, no npm, no browser.
if [ "$MODE" = "--bench" ]; then
  "$PY" -m tests.benchmarks.run_all
  exit 0
fi

# SendGrid's own API description, served and validated by Stoplight Prism (from npm).
SPEC="$(cd .. && pwd)/shared/sendgrid-oas/oas_v3.json"
[ -f "$SPEC" ] || SPEC="$(pwd)/tests/sendgrid-oas/oas_v3.json"
if [ ! -x tests/.node/node_modules/.bin/prism ]; then
  echo "Installing Stoplight Prism from npm ..."
  mkdir -p tests/.node
  (cd tests/.node && npm install --no-audit --no-fund --silent --prefix . @stoplight/prism-cli@5 >/dev/null)
fi
# axe-core, injected by the browser tests (tests/browser/test_every_page.py).
if [ ! -f tests/.node/node_modules/axe-core/axe.min.js ]; then
  echo "Installing axe-core from npm ..."
  (cd tests/.node && npm install --no-audit --no-fund --silent --prefix . axe-core@4 >/dev/null)
fi
PRISM_PORT=$(free_port)
tests/.node/node_modules/.bin/prism mock -h 127.0.0.1 -p "$PRISM_PORT" "$SPEC" >"$D/prism.log" 2>&1 &
echo $! >"$D/prism.pid"
for _ in $(seq 1 120); do
  grep -q "Prism is listening" "$D/prism.log" && break
  sleep 0.5
done
grep -q "Prism is listening" "$D/prism.log" || { echo "Prism did not start:"; tail -20 "$D/prism.log"; exit 1; }
export TEST_SENDGRID_URL="http://127.0.0.1:$PRISM_PORT"

export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/app_test"
export TEST_SERVICES_DIR="$D"
export PGBIN REDIS_PORT PG_PORT

# pytest-xdist: one process per core (at most 8: each takes a Redis database number of the 16).
# Each worker has its own SQLite file, PostgreSQL database and Redis database (tests/conftest.py).
# loadgroup: tests spread one by one, except the every-page browser test, one group on one worker
# (one demo site, each page loaded once for both of its checks). The journeys spread like the rest.
XDIST=(-n auto --maxprocesses 8 --dist loadgroup)

# run_pass NAME ARGS...: one pytest run, timed. Exit code 5 (no tests collected) is a failure too:
# an empty selection would otherwise look like a green pass.
run_pass() {
  local name=$1 code=0 TIMEFORMAT
  shift
  echo "== $name =="
  TIMEFORMAT="== $name: %0R s wall, %0U s user + %0S s system CPU =="
  time "$PY" -m pytest "$@" -q -p no:cacheprovider "${XDIST[@]}" --durations=10 || code=$?
  if [ "$code" -eq 5 ]; then
    echo "$name collected no tests: the selection is wrong"
  fi
  return "$code"
}

run_pass "suite on SQLite (every test)" tests
# The second pass only where the dialect matters: tests marked `postgres` (docs/BENCHMARKS.md says which
# and why). Tests that start their own PostgreSQL (faults, scale-out) already ran in the first pass.
TEST_DATABASE_URL="$TEST_PG_URL" run_pass "suite on PostgreSQL (-m postgres)" tests -m postgres
