# Shell helpers shared by tests/run.sh and tests/benchmarks/load.sh (sourced, not run).
# Expects $PY (the venv's python).

# ensure_debian_packages CHECK:PACKAGE ...  installs each PACKAGE whose CHECK command fails.
ensure_debian_packages() {
  local missing=() pair
  for pair in "$@"; do
    eval "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} from Debian ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

# start_postgres DIR PORT DBNAME: a throwaway cluster in DIR/pg on loopback (no fsync: test data).
start_postgres() {
  local dir=$1 port=$2 name=$3 bin
  bin=$(pg_bin)
  mkdir -p "$dir/pg" && chown postgres:postgres "$dir/pg"
  runuser -u postgres -- "$bin/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" \
    -o "-p $port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" -w start >/dev/null
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
}

# stop_postgres DIR [MODE]: stops the cluster start_postgres made in DIR, if it runs.
stop_postgres() {
  [ -f "$1/pg/data/postmaster.pid" ] && runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$1/pg/data" -m "${2:-fast}" stop >/dev/null 2>&1
  return 0
}
