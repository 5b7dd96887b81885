#!/usr/bin/env bash
# Prepares the real test environment: a Docker engine, Chromium, and the local Debian
# base image the stack's test images are built from. Idempotent, and quick when done.
# On a workstation that already has these it changes nothing. A prerequisite that
# cannot be provided fails loudly: tests never skip because something is absent.
set -euo pipefail

BASE_IMAGE="${MEDAI_BASE_IMAGE:-medai/debian-base:bookworm}"
SUITE="${MEDAI_BASE_SUITE:-bookworm}"
MIRROR="${MEDAI_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
log() { printf '[test-env] %s\n' "$*"; }
die() { printf '[test-env] FATAL: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to install $* (or install it yourself: apt-get install -y $*)"
  if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- Debian packages the tests use as real peers -------------------------------------
need_pkgs=()
command -v dockerd >/dev/null || need_pkgs+=(docker.io)
command -v chromium >/dev/null || need_pkgs+=(chromium)
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
[ -x /usr/bin/busybox ] || need_pkgs+=(busybox-static)
# Browser tests: Chinese must render (no command proves a font package, so ask fontconfig).
[ -n "$(fc-list ':lang=zh' family 2>/dev/null)" ] || need_pkgs+=(fonts-noto-cjk)
# Capabilities add what their tests need below (one line each):
[ -f "$(dirname "$0")/packages.txt" ] && while read -r p bin; do
  [ -z "$p" ] || [ "${p#\#}" != "$p" ] && continue
  command -v "${bin:-$p}" >/dev/null || need_pkgs+=("$p")
done < "$(dirname "$0")/packages.txt"
if [ ${#need_pkgs[@]} -gt 0 ]; then log "installing ${need_pkgs[*]}"; apt_install "${need_pkgs[@]}"; fi

# --- Docker engine ----------------------------------------------------------------------
bash "$(dirname "$0")/../../scripts/ensure-docker.sh"
log "docker engine $(docker version --format '{{.Server.Version}}') ($(docker info --format '{{.Driver}}'))"

# --- Local base image (no registry is reachable: debootstrap + docker import) ----------
if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  root=$(mktemp -d /tmp/medai-rootfs.XXXXXX)
  log "building $BASE_IMAGE with debootstrap ($SUITE)"
  debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >/tmp/medai-debootstrap.log 2>&1 || die "debootstrap failed; see /tmp/medai-debootstrap.log"
  tar -C "$root" -c . | docker import -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
fi
log "base image $BASE_IMAGE $(docker image inspect -f '{{.Id}}' "$BASE_IMAGE" | cut -c1-19)"
[ -x /usr/bin/chromium ] || die "chromium missing"
log "ready"
