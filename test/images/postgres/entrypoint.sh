#!/bin/sh
# First start: initialise the cluster with the password generated at install time
# (POSTGRES_PASSWORD); it is passed through a 0600 file, never on a command line.
set -eu
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
  pwfile=$(mktemp); printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"; chown postgres "$pwfile"; chmod 600 "$pwfile"
  su postgres -s /bin/sh -c "initdb -D '$PGDATA' -U postgres --pwfile='$pwfile' --auth-host=scram-sha-256 --auth-local=peer" >/dev/null
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ -n "${POSTGRES_DB:-}" ]; then
    su postgres -s /bin/sh -c "postgres --single -D '$PGDATA' -j postgres" <<SQL >/dev/null
CREATE DATABASE "${POSTGRES_DB}";
SQL
  fi
fi
exec su postgres -s /bin/sh -c "exec postgres -D '$PGDATA' -c listen_addresses='*'"
