#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: a private cluster in a temporary folder, listening on
# 127.0.0.1 only, on a free port, with trust authentication (nothing but this machine reaches it).
#
#   eval "$(scripts/pg_test_server.sh start)"   # exports STATION_CONSOLE_TEST_PG and PG_TEST_DIR
#   ... QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/unit/test_store.py ...
#   scripts/pg_test_server.sh stop "$PG_TEST_DIR"
#
# Installs Debian's postgresql packages when they are missing (needs root or sudo). PostgreSQL
# refuses to run as root, so as root the cluster belongs to the "postgres" user.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "pg_test_server: need root for: $*" >&2; return 1
  fi
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then
    echo "pg_test_server: installing PostgreSQL from the Debian packages" >&2
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

# Run a command as the cluster's owner (root cannot own a cluster).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bin dir port
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/station-console-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" \
    start >&2
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres station_console_test
  echo "export PG_TEST_DIR=$dir"
  echo "export STATION_CONSOLE_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:$port/station_console_test"
}

stop() {
  local dir=${1:?give the folder printed by start (PG_TEST_DIR)}
  [ -d "$dir/data" ] || { echo "pg_test_server: $dir is not a cluster folder" >&2; return 1; }
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-${PG_TEST_DIR:-}}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
