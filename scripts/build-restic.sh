#!/usr/bin/env bash
# Builds the restic binary the app ships (resources/bin/restic) from source through the
# Go module proxy. Not committed (43 MB, platform-specific): the release build runs this.
# Why 0.18 and not Debian 12's 0.14: parallel restore (much faster restores: RTO), stable
# exit codes (10 no repo, 11 locked, 12 wrong password) and `init --json`; see
# docs/en/backup-restore/design.md. Cached: a binary of the pinned version is kept.
#   bash scripts/build-restic.sh            # -> resources/bin/restic
set -euo pipefail
VERSION="${MEDAI_RESTIC_VERSION:-v0.18.1}"
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/resources/bin/restic"
cache="${MEDAI_BUILD_CACHE:-/var/cache/medai-backuptest}/restic-${VERSION#v}"
if [ -x "$out" ] && "$out" version | grep -q "restic ${VERSION#v} "; then echo "[restic] $out is ${VERSION}"; exit 0; fi
if ! [ -x "$cache/restic" ]; then
  command -v go >/dev/null || { echo "[restic] go is needed to build restic ${VERSION}" >&2; exit 1; }
  mkdir -p "$cache"
  echo "[restic] building ${VERSION} (go install, a few minutes)"
  (cd /tmp && GOBIN="$cache" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "github.com/restic/restic/cmd/restic@${VERSION}")
fi
mkdir -p "$(dirname "$out")"
install -m 0755 "$cache/restic" "$out"
"$out" version
