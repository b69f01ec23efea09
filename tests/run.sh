#!/usr/bin/env bash
# Everything the tests need, then the suite: installs Debian's Redis, PostgreSQL and Chromium when
# missing, starts throwaway instances on loopback, runs the suite on SQLite and on PostgreSQL,
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

echo "== suite on SQLite (with the pure unit tests) =="
"$PY" -m pytest tests -q -p no:cacheprovider
echo "== suite on PostgreSQL =="
TEST_DATABASE_URL="$TEST_PG_URL" "$PY" -m pytest tests/integration tests/browser -q -p no:cacheprovider
