#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback for the tests (trust auth, its own data folder) and prints
# its URL. Installs the server from Debian's packages when missing. Idempotent: reuses a running one.
#   export FREEDOMPAY_TEST_POSTGRES_URL=$(scripts/dev-postgres.sh)
set -euo pipefail
PORT="${FREEDOMPAY_PGPORT:-55432}"
PGDATA="${FREEDOMPAY_PGDATA:-/tmp/freedompay-pg}"
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$PGDATA" && mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
  as_postgres "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on" start >&2
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
