#!/usr/bin/env bash
# Starts a throw-away local PostgreSQL server for the postgres target and the
# cross-engine test: data folder $SCORECARD_PG_DATA (default
# /tmp/scorecard-postgres-<port>: outside the project, because as root the
# server runs as user `postgres`, who may not reach the project's folders),
# 127.0.0.1:$SCORECARD_PG_PORT (5433),
# trust authentication, no fsync (test data, rebuilt at will). Idempotent: a
# server already answering on the port is reused. As root the server runs as
# the `postgres` user (PostgreSQL refuses to run as root).
#   scripts/start_postgres.sh          start (or reuse)
#   scripts/start_postgres.sh stop     stop the server of $SCORECARD_PG_DATA
set -euo pipefail

PORT="${SCORECARD_PG_PORT:-5433}"
DATA="$(realpath -m "${SCORECARD_PG_DATA:-/tmp/scorecard-postgres-$PORT}")"
SOCKET_DIR="${SCORECARD_PG_SOCKET_DIR:-/tmp/scorecard-pgsock}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ]; then
    echo "PostgreSQL is not installed: run scripts/install_engines.sh (apt-get install postgresql)." >&2
    exit 1
fi

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-start}" = "stop" ]; then
    if [ -f "$DATA/postmaster.pid" ]; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop
    fi
    exit 0
fi

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "PostgreSQL already running on 127.0.0.1:$PORT"
    exit 0
fi

mkdir -p "$DATA" "$SOCKET_DIR"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$DATA" "$SOCKET_DIR"
fi
chmod 700 "$DATA"
if [ ! -f "$DATA/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
fi
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKET_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC" >/dev/null
echo "PostgreSQL running on 127.0.0.1:$PORT (data: $DATA)"
