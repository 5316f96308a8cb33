#!/usr/bin/env bash
# A throwaway PostgreSQL server for rollcall's tests and benchmarks.
#
#   eval "$(scripts/postgres.sh start)"    # prints `export ROLLCALL_TEST_POSTGRES_URL=...`
#   scripts/postgres.sh stop               # stops the server and removes its data directory
#   scripts/postgres.sh run -- CMD ARGS    # start, run CMD with the URL in its environment, always stop
#   scripts/postgres.sh url                # prints the URL of the running server
#
# The server lives in one temporary directory (data, socket, log), listens on 127.0.0.1 on a free port,
# trusts local connections (it is never reachable from outside the machine) and holds one database,
# `rollcall`. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
# ROLLCALL_PG_STATE names the file that remembers the directory between `start` and `stop`; `run` uses a
# file of its own, so several runs can share the machine. A directory left by a killed run is removed by
# the next `start`. `run` reuses a server named by an existing ROLLCALL_TEST_POSTGRES_URL instead.
set -euo pipefail

state_file="${ROLLCALL_PG_STATE:-${TMPDIR:-/tmp}/rollcall-postgres.state}"

as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Binaries: the ones on the PATH, else Debian's versioned directory.
bin() {
  if command -v "$1" >/dev/null 2>&1; then
    command -v "$1"
  else
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$found" ] || { echo "postgres.sh: $1 not found (install PostgreSQL)" >&2; exit 2; }
    echo "$found"
  fi
}

free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  if [ -f "$state_file" ] && [ -d "$(cat "$state_file")/data" ]; then
    if as_server_user "$(bin pg_ctl)" -D "$(cat "$state_file")/data" status >/dev/null 2>&1; then
      echo "postgres.sh: a server is already running from $(cat "$state_file"); run 'stop' first" >&2
      exit 2
    fi
    stop # left over from a run that was killed: its server is gone, remove its directory
  fi
  local dir port url
  dir="$(mktemp -d "${TMPDIR:-/tmp}/rollcall-postgres.XXXXXX")"
  mkdir -p "$dir/data" "$dir/socket"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
  echo "$dir" >"$state_file"

  as_server_user "$(bin initdb)" -D "$dir/data" -U rollcall --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  port="$(free_port)"
  as_server_user "$(bin pg_ctl)" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/socket" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  as_server_user "$(bin createdb)" -h 127.0.0.1 -p "$port" -U rollcall rollcall

  url="postgres://rollcall@127.0.0.1:$port/rollcall"
  echo "$url" >"$dir/url"
  echo "export ROLLCALL_TEST_POSTGRES_URL=$url"
}

stop() {
  [ -f "$state_file" ] || { echo "postgres.sh: no server to stop" >&2; return 0; }
  local dir
  dir="$(cat "$state_file")"
  if [ -d "$dir/data" ]; then
    as_server_user "$(bin pg_ctl)" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  case "$dir" in
    "${TMPDIR:-/tmp}"/rollcall-postgres.*) rm -rf "$dir" ;;
  esac
  rm -f "$state_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) cat "$(cat "$state_file")/url" ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || { echo "usage: postgres.sh run -- CMD ARGS" >&2; exit 2; }
    if [ -n "${ROLLCALL_TEST_POSTGRES_URL:-}" ]; then
      exec "$@"
    fi
    state_file="$(mktemp "${TMPDIR:-/tmp}/rollcall-postgres-run.XXXXXX")"
    trap stop EXIT
    eval "$(start)"
    "$@"
    ;;
  *)
    echo "usage: postgres.sh start|stop|url|run -- CMD ARGS" >&2
    exit 2
    ;;
esac
