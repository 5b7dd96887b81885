#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io when dockerd is missing
# and starts dockerd in the background when nothing answers (hosts without systemd).
# On a machine whose engine already answers it changes nothing.
set -euo pipefail
log() { printf '[docker] %s\n' "$*"; }
die() { printf '[docker] FATAL: %s\n' "$*" >&2; exit 1; }

docker info >/dev/null 2>&1 && exit 0
[ "$(id -u)" = 0 ] || die "the Docker engine does not answer; as root run: apt-get install -y docker.io && systemctl start docker"
if ! command -v dockerd >/dev/null; then
  log "installing docker.io"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
  systemctl start docker
else
  log "starting dockerd in the background (log: /var/log/medai-dockerd.log)"
  (setsid dockerd >/var/log/medai-dockerd.log 2>&1 &)
fi
for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done
die "dockerd did not come up; see /var/log/medai-dockerd.log"
