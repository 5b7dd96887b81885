#!/usr/bin/env bash
# A real S3 peer for the backup tests: MinIO built from source through the Go module
# proxy (no registry, no fake S3), on 127.0.0.1 with generated credentials kept 0600.
# Idempotent: the binary is cached and a running server is reused. Prints KEY=value lines.
#   bash test/env/backup-minio.sh          # build if needed, start (or reuse)
#   bash test/env/backup-minio.sh stop
set -euo pipefail
VERSION="${MEDAI_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
CACHE="${MEDAI_BUILD_CACHE:-/var/cache/medai-backuptest}/minio"
STATE="${MEDAI_BACKUPTEST_MINIO_DIR:-/var/tmp/medai-backuptest-minio}"
PORT="${MEDAI_BACKUPTEST_MINIO_PORT:-9900}"
log() { printf '[backup-minio] %s\n' "$*" >&2; }
die() { printf '[backup-minio] FATAL: %s\n' "$*" >&2; exit 1; }
running() { [ -f "$STATE/minio.pid" ] && kill -0 "$(cat "$STATE/minio.pid")" 2>/dev/null; }

if [ "${1:-}" = stop ]; then
  running && kill "$(cat "$STATE/minio.pid")" || true
  rm -f "$STATE/minio.pid"; exit 0
fi
if ! [ -x "$CACHE/minio" ]; then
  command -v go >/dev/null || die "go is needed to build MinIO from source"
  log "building MinIO $VERSION from source (go install; several minutes on 2 cores)"
  mkdir -p "$CACHE"
  (cd /tmp && GOBIN="$CACHE" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "github.com/minio/minio@$VERSION") >&2 || die "go install minio failed"
fi
mkdir -p "$STATE/data" && chmod 700 "$STATE"
if ! [ -s "$STATE/credentials" ]; then
  umask 077
  printf 'MINIO_ACCESS_KEY=%s\nMINIO_SECRET_KEY=%s\n' "medai$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')" > "$STATE/credentials"
fi
# shellcheck disable=SC1091
. "$STATE/credentials"
if ! running; then
  MINIO_ROOT_USER="$MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MINIO_SECRET_KEY" MINIO_BROWSER=off MINIO_UPDATE=off \
    nohup "$CACHE/minio" server --quiet --address "127.0.0.1:$PORT" --console-address "127.0.0.1:$((PORT + 1))" "$STATE/data" >"$STATE/minio.log" 2>&1 &
  echo $! > "$STATE/minio.pid"
fi
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/minio/health/live" >/dev/null 2>&1 && break
  running || die "minio exited; see $STATE/minio.log"
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/minio/health/live" >/dev/null || die "minio did not answer on 127.0.0.1:$PORT; see $STATE/minio.log"
printf 'MINIO_ENDPOINT=http://127.0.0.1:%s\nMINIO_ACCESS_KEY=%s\nMINIO_SECRET_KEY=%s\n' "$PORT" "$MINIO_ACCESS_KEY" "$MINIO_SECRET_KEY"
