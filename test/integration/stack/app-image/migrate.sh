#!/bin/sh
# Versioned migration: v1 creates items; v2 adds a column and records schema 2.
# v3 ships the same migration as v2 (its failure is the health gate, not the schema).
set -eu
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }
psql -c "CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, body text NOT NULL)"
psql -c "CREATE TABLE IF NOT EXISTS schema_version (v int NOT NULL)"
if [ "${APP_VERSION}" -ge 2 ]; then
  psql -c "ALTER TABLE items ADD COLUMN IF NOT EXISTS tag text NOT NULL DEFAULT 'v2'"
fi
psql -c "DELETE FROM schema_version; INSERT INTO schema_version VALUES (LEAST(${APP_VERSION}, 2))"
echo "migrated to schema $(command psql -X -At "$DATABASE_URL" -c 'SELECT v FROM schema_version')"
