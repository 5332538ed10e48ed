#!/bin/bash
# First start (empty PGDATA): initdb with POSTGRES_USER / POSTGRES_PASSWORD (scram), run
# /docker-entrypoint-initdb.d/*.sql and *.sh on a server that listens on the Unix socket only,
# then stop it. Every start: exec postgres listening on every address, password required.
set -euo pipefail
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
POSTGRES_USER=${POSTGRES_USER:-postgres}
export PGUSER=$POSTGRES_USER PGDATABASE=postgres PGHOST=/var/run/postgresql
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) echo "init: $f"; psql -v ON_ERROR_STOP=1 -q -f "$f" ;;
      *.sh) echo "init: $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *) [ -e "$f" ] && echo "init: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "init: done"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
