#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test session (no systemd).
# usage: pg.sh start|stop     env: PG_ROOT (folder), PG_PORT
# Fast-but-unsafe settings (fsync off): test data only.
set -euo pipefail
cd /   # postgres may not be able to read the caller's cwd
PG_ROOT=${PG_ROOT:?PG_ROOT must be set}
PG_PORT=${PG_PORT:?PG_PORT must be set}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PG_BIN" ] && command -v pg_ctl >/dev/null; then PG_BIN=$(dirname "$(command -v pg_ctl)"); fi
[ -n "$PG_BIN" ] || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; exit 3; }
PGDATA=$PG_ROOT/data
# initdb and postgres refuse to run as root
if [ "$(id -u)" = 0 ]; then AS="runuser -u postgres --"; else AS=""; fi
case "${1:-}" in
  start)
    mkdir -p "$PG_ROOT/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PG_ROOT"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      $AS "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$PG_ROOT/initdb.log" 2>&1 || { cat "$PG_ROOT/initdb.log" >&2; exit 1; }
    fi
    $AS "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_ROOT/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_ROOT/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null || { cat "$PG_ROOT/server.log" >&2; exit 1; }
    ;;
  stop)
    $AS "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
