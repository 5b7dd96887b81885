#!/usr/bin/env bash
# Real peers for the medical-ai-service tests: PostgreSQL 15 and Redis 7 from Debian's
# packages and Milvus 2.3 from PyPI's `milvus` package (an embedded standalone server),
# each on 127.0.0.1 on a non-default port with generated passwords.
# Idempotent and quick when they already run. Writes $DIR/env (0600) with the variables
# the service reads.
#
#   service-peers.sh start [pg|redis|milvus|all]   (default all)
#   service-peers.sh stop  [pg|redis|milvus|all]
#   service-peers.sh env                            print the env file path
set -euo pipefail

DIR="${MEDAI_SERVICE_PEERS_DIR:-/var/tmp/medai-service-peers}"
CACHE_DIR="${MEDAI_CACHE_DIR:-$HOME/.cache/medai}"
PG_PORT="${MEDAI_TEST_PG_PORT:-25432}"
REDIS_PORT="${MEDAI_TEST_REDIS_PORT:-26379}"
MILVUS_PORT="${MEDAI_TEST_MILVUS_PORT:-29530}"
MILVUS_VERSION=2.3.5
PGBIN=/usr/lib/postgresql/15/bin
log() { printf '[service-peers] %s\n' "$*" >&2; }
die() { printf '[service-peers] FATAL: %s\n' "$*" >&2; exit 1; }

mkdir -p "$DIR"; chmod 0755 "$DIR"
secret() { # generated once, kept 0600
  local f="$DIR/$1.secret"
  [ -s "$f" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$f")
  cat "$f"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { local i; for i in $(seq 1 "${2:-120}"); do port_open "$1" && return 0; sleep 1; done; return 1; }

start_pg() {
  [ -x "$PGBIN/pg_ctl" ] || die "PostgreSQL 15 missing: apt-get install -y postgresql-15 (test/env/packages.txt)"
  local data="$DIR/pg" pw; pw=$(secret pg)
  if [ ! -s "$data/PG_VERSION" ]; then
    log "initdb $data"
    mkdir -p "$data"; chown postgres:postgres "$data"; chmod 0700 "$data"
    install -o postgres -m 0600 /dev/null "$DIR/pg.pwfile"; printf '%s\n' "$pw" > "$DIR/pg.pwfile"
    runuser -u postgres -- "$PGBIN/initdb" -D "$data" -U medai --pwfile="$DIR/pg.pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$DIR/pg.pwfile"
  fi
  if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $data -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 9>&- || die "postgres did not start; see $data/server.log"
  fi
  PGPASSWORD="$pw" psql -h 127.0.0.1 -p "$PG_PORT" -U medai -d postgres -tAc "select 1 from pg_database where datname='medai'" | grep -q 1 ||
    PGPASSWORD="$pw" psql -h 127.0.0.1 -p "$PG_PORT" -U medai -d postgres -qc "create database medai" >/dev/null
}
stop_pg() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/pg" -m fast -w stop >/dev/null 2>&1 || true; }

start_redis() {
  command -v redis-server >/dev/null || die "redis-server missing: apt-get install -y redis-server"
  local pw; pw=$(secret redis)
  if ! port_open "$REDIS_PORT"; then
    mkdir -p "$DIR/redis"
    (umask 077; printf 'bind 127.0.0.1\nport %s\nrequirepass %s\ndir %s\ndaemonize yes\npidfile %s\nlogfile %s\nsave ""\nappendonly no\n' \
      "$REDIS_PORT" "$pw" "$DIR/redis" "$DIR/redis/redis.pid" "$DIR/redis/redis.log" > "$DIR/redis/redis.conf")
    redis-server "$DIR/redis/redis.conf" 9>&-
    wait_port "$REDIS_PORT" 20 || die "redis did not start; see $DIR/redis/redis.log"
  fi
}
stop_redis() {
  [ -s "$DIR/redis/redis.pid" ] && kill "$(cat "$DIR/redis/redis.pid")" 2>/dev/null || true
  local i; for i in $(seq 1 50); do port_open "$REDIS_PORT" || return 0; sleep 0.1; done
}

milvus_venv() {
  local venv="$CACHE_DIR/milvus-venv"
  local have=""; [ -x "$venv/bin/milvus-server" ] && have=$("$venv/bin/pip" show milvus 2>/dev/null || true)
  if ! grep -qx "Version: $MILVUS_VERSION" <<<"$have"; then
    log "installing milvus==$MILVUS_VERSION from PyPI into $venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install -y python3-venv)"
    "$venv/bin/pip" install -q "milvus==$MILVUS_VERSION" || die "pip install milvus==$MILVUS_VERSION failed"
  fi
  echo "$venv"
}
milvus_alive() { # a zombie binary counts as dead
  ps -o stat=,comm= -g "$1" 2>/dev/null | awk '$2 == "milvus" && $1 !~ /^Z/ {found=1} END {exit !found}'
}
start_milvus() {
  if port_open "$MILVUS_PORT"; then return 0; fi
  stop_milvus # a wrapper left from a failed start would hold the pid file lock
  local venv; venv=$(milvus_venv)
  mkdir -p "$DIR/milvus"
  local p=$MILVUS_PORT attempt i pgid
  # Worker nodes take the next free port when theirs is busy; ports 10 apart keep a worker
  # from landing on a coordinator's port (then the proxy panics: "unknown service
  # ...DataCoord"). A failed start is retried from a clean stop.
  for attempt in 1 2 3; do
    log "starting milvus $MILVUS_VERSION on 127.0.0.1:$p (attempt $attempt)"
    PYTHONUNBUFFERED=1 setsid "$venv/bin/milvus-server" --data "$DIR/milvus" --etcd-port $((p - 151)) \
      --root-coord-port $((p - 230)) --proxy-port "$p" --proxy-internal-port $((p - 1)) \
      --query-coord-port $((p + 11)) --query-node-port $((p + 21)) --index-coord-port $((p + 31)) \
      --index-node-port $((p + 41)) --data-coord-port $((p + 51)) --data-node-port $((p + 61)) \
      >"$DIR/milvus.out" 2>&1 < /dev/null 9>&- &
    pgid=$!
    echo "$pgid" > "$DIR/milvus.pid"
    # A start that meets stale sessions (30 s TTL) can hang; 45 s then a clean retry.
    for i in $(seq 1 45); do
      # The wrapper prints its banner once /healthz answers OK; an open port alone is too early.
      port_open "$p" && grep -q "Welcome to use Milvus" "$DIR/milvus.out" && return 0
      [ "$i" -gt 5 ] && ! milvus_alive "$pgid" && break
      sleep 1
    done
    cp "$DIR/milvus/logs/milvus-stderr.log" "$DIR/milvus-failed-start.log" 2>/dev/null || true
    stop_milvus
    sleep 5
  done
  die "milvus did not open $p; see $DIR/milvus-failed-start.log and $DIR/milvus/logs"
}
mine() { # processes of this peers directory's Milvus: the wrapper and the binary it runs
  pgrep -f -- "--data $DIR/milvus( |\$)" || true
  pgrep -f -- "^$DIR/milvus/bin/milvus run" || true
}
stop_milvus() {
  # The python wrapper kills the binary 1 s after asking it to stop, which leaves its
  # sessions in the embedded etcd and makes the next start wait for them to expire. So the
  # binary gets SIGTERM first and time to deregister, then the wrapper is stopped. Found by
  # this directory (not only the pid file) so a start that lost track of one cannot leave
  # an orphan holding the embedded etcd port.
  local bin i pids
  bin=$(pgrep -f -- "^$DIR/milvus/bin/milvus run" || true)
  if [ -n "$bin" ]; then
    kill -TERM $bin 2>/dev/null || true
    for i in $(seq 1 150); do
      pids=$(pgrep -f -- "^$DIR/milvus/bin/milvus run" || true)
      [ -z "$pids" ] && break
      ps -o stat= -p $pids | grep -qv Z || break
      sleep 0.1
    done
  fi
  pids=$(mine); [ -n "$pids" ] && kill -INT $pids 2>/dev/null || true
  for i in $(seq 1 100); do [ -z "$(mine)" ] && break; sleep 0.1; done
  pids=$(mine); [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
  for i in $(seq 1 100); do port_open "$MILVUS_PORT" || break; sleep 0.1; done
  rm -f "$DIR/milvus.pid"
}

write_env() {
  (umask 077; cat > "$DIR/env" <<ENV
DATABASE_URL=postgres://medai:$(secret pg)@127.0.0.1:$PG_PORT/medai
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
REDIS_PASSWORD=$(secret redis)
MILVUS_HOST=127.0.0.1
MILVUS_PORT=$MILVUS_PORT
ENV
)
}

# Two test processes starting peers at once must not both launch a Milvus. The servers
# started below get `9>&-` so they do not inherit (and hold) this lock.
exec 9>"$DIR/lock"; flock 9
cmd="${1:-start}"; what="${2:-all}"
case "$cmd" in
  start)
    case "$what" in pg) start_pg ;; redis) start_redis ;; milvus) start_milvus ;;
      all) start_pg; start_redis; start_milvus ;; *) die "unknown peer $what" ;; esac
    write_env; echo "$DIR/env" ;;
  stop)
    case "$what" in pg) stop_pg ;; redis) stop_redis ;; milvus) stop_milvus ;;
      all) stop_milvus; stop_redis; stop_pg ;; *) die "unknown peer $what" ;; esac ;;
  env) write_env; echo "$DIR/env" ;;
  *) die "usage: $0 start|stop|env [pg|redis|milvus|all]" ;;
esac
