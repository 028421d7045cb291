# PostgreSQL for the tests: a throw-away cluster (initdb + pg_ctl) under a test directory, on a free
# 127.0.0.1 port, run by a non-root user (initdb refuses root). Sourced by scripts/test.sh and
# scripts/bench.sh after common.sh.
#   postgres_bin_dir             the server binaries' folder (Debian: /usr/lib/postgresql/NN/bin)
#   start_postgres DIR [VAR]     initdb + start under DIR; exports VAR (default TEST_POSTGRES_URL)
#   stop_postgres DIR            stop it (fast shutdown); safe to call twice

postgres_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# _pg_as_owner CMD…: runs CMD as the cluster's owner (the `postgres` account when we are root).
_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local dir="$1" var="${2:-TEST_POSTGRES_URL}" bin port
  bin="$(postgres_bin_dir)" || die "PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql)"
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    # The cluster's owner must reach DIR: let it traverse (not list) the test's own folder.
    chmod o+x "$(dirname "$dir")"
    chown postgres: "$dir"
  fi
  _pg_as_owner "$bin/initdb" -D "$dir/data" -U trust --auth=trust --encoding=UTF8 --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  port="$(free_port)"
  # Unix sockets in the cluster's own folder only; TCP on loopback only.
  _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  _pg_as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U trust -d postgres -qc "CREATE DATABASE trust" >/dev/null
  echo "$port" >"$dir/port"
  export "$var=postgres://trust@127.0.0.1:$port/trust"
  export TEST_POSTGRES_BIN="$bin" TEST_POSTGRES_DATA="$dir/data" TEST_POSTGRES_OWNER_RUN="$([[ $(id -u) -eq 0 ]] && echo postgres)"
}

stop_postgres() {
  local dir="$1" bin
  [[ -f "$dir/data/postmaster.pid" ]] || return 0
  bin="$(postgres_bin_dir)" || return 0
  _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
