#!/usr/bin/env bash
# A real SFTP peer for the backup tests: Debian's openssh-server on 127.0.0.1, its own
# config, host key and a generated client key for a dedicated user. Idempotent: a running
# server is reused. Prints the settings as KEY=value lines (also kept in $STATE/env).
#   bash test/env/backup-sftp.sh          # start (or reuse)
#   bash test/env/backup-sftp.sh stop
set -euo pipefail
STATE="${MEDAI_BACKUPTEST_SFTP_DIR:-/var/tmp/medai-backuptest-sftp}"
PORT="${MEDAI_BACKUPTEST_SFTP_PORT:-2222}"
USER_NAME=medaibackuptest
log() { printf '[backup-sftp] %s\n' "$*" >&2; }
die() { printf '[backup-sftp] FATAL: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = stop ]; then
  [ -f "$STATE/sshd.pid" ] && kill "$(cat "$STATE/sshd.pid")" 2>/dev/null || true
  rm -f "$STATE/sshd.pid"; exit 0
fi
[ "$(id -u)" = 0 ] || die "needs root (a dedicated user and sshd)"
if ! [ -x /usr/sbin/sshd ]; then
  log "installing openssh-server"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null || die "apt-get install openssh-server failed"
fi
mkdir -p "$STATE" /run/sshd && chmod 700 "$STATE"
id "$USER_NAME" >/dev/null 2>&1 || useradd --system --create-home --home-dir "/home/$USER_NAME" --shell /bin/sh "$USER_NAME"
usermod -p "*" "$USER_NAME"   # "!" (locked) makes sshd refuse even key logins without PAM
HOME_DIR=$(getent passwd "$USER_NAME" | cut -d: -f6)
[ -f "$STATE/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/host_ed25519"
[ -f "$STATE/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C medai-backuptest -f "$STATE/client_ed25519"
install -d -o "$USER_NAME" -m 700 "$HOME_DIR/.ssh" "$HOME_DIR/repos"
install -o "$USER_NAME" -m 600 "$STATE/client_ed25519.pub" "$HOME_DIR/.ssh/authorized_keys"
cat > "$STATE/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $STATE/host_ed25519
PidFile $STATE/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $USER_NAME
UsePAM no
Subsystem sftp internal-sftp
LogLevel ERROR
CONF
running() { [ -f "$STATE/sshd.pid" ] && kill -0 "$(cat "$STATE/sshd.pid")" 2>/dev/null; }
if ! running; then
  /usr/sbin/sshd -t -f "$STATE/sshd_config" || die "sshd config invalid"
  /usr/sbin/sshd -f "$STATE/sshd_config" -E "$STATE/sshd.log"
  for _ in $(seq 1 50); do ssh-keyscan -p "$PORT" 127.0.0.1 >/dev/null 2>&1 && break; sleep 0.1; done
fi
running || die "sshd did not start; see $STATE/sshd.log"
ssh -q -i "$STATE/client_ed25519" -p "$PORT" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "$USER_NAME@127.0.0.1" true \
  || die "key login to $USER_NAME@127.0.0.1:$PORT failed; see $STATE/sshd.log"
cat > "$STATE/env" <<ENV
SFTP_HOST=127.0.0.1
SFTP_PORT=$PORT
SFTP_USER=$USER_NAME
SFTP_KEY=$STATE/client_ed25519
SFTP_BASE=$HOME_DIR/repos
ENV
cat "$STATE/env"
