#!/usr/bin/env bash
# Builds the medical-ai-service image offline: compiles the service, stages the Node 20
# binary, production node_modules (from the workspace install, Linux x64 only) and the
# verified default model, then `docker build` FROM the local Debian base.
# Cached by tag and source hash: a second run with unchanged sources does nothing.
# Usage: service-build-image.sh [tag]   (default medai/medical-ai-service:<version>)
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"   # service/
ROOT="$(cd "$HERE/.." && pwd)"
VERSION=$(node -p "require('$HERE/package.json').version")
TAG="${1:-medai/medical-ai-service:$VERSION}"
BASE_IMAGE="${MEDAI_BASE_IMAGE:-medai/debian-base:bookworm}"
NODE_BIN="${MEDAI_NODE_BIN:-$(readlink -f "$(command -v node)")}"
log() { printf '[service-image] %s\n' "$*" >&2; }
die() { printf '[service-image] FATAL: %s\n' "$*" >&2; exit 1; }

"$NODE_BIN" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "$NODE_BIN is not Node >= 20"
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "base image $BASE_IMAGE missing: run bash test/env/setup.sh"
MODEL_DIR=$(bash "$HERE/scripts/service-fetch-model.sh")

# Source hash: service sources, lockfile, Dockerfile, model manifest and node version.
SRC_HASH=$( (cd "$HERE" && find src Dockerfile package.json tsconfig.json -type f -print0 | sort -z | xargs -0 sha256sum;
  sha256sum "$ROOT/package-lock.json" "$MODEL_DIR/manifest.json"; "$NODE_BIN" --version) | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "io.medai.source-hash"}}' "$TAG" 2>/dev/null || true)" = "$SRC_HASH" ]; then
  log "$TAG is up to date ($SRC_HASH)"; echo "$TAG"; exit 0
fi

log "compiling service"
(cd "$HERE" && "$ROOT/node_modules/.bin/tsc" -p tsconfig.json)
STAGE=$(mktemp -d /tmp/medai-service-image.XXXXXX); trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/app/node_modules" "$STAGE/models"
cp "$NODE_BIN" "$STAGE/node"
cp -r "$HERE/dist" "$STAGE/app/dist"
find "$STAGE/app/dist" -name '*.map' -delete
cp "$HERE/package.json" "$STAGE/app/package.json"
# The production dependency closure of the workspace, as npm resolved it in the one lockfile.
(cd "$HERE" && npm ls --omit=dev --all --parseable 2>/dev/null) | while read -r p; do
  case "$p" in "$ROOT/node_modules/"*) ;; *) continue ;; esac
  rel="${p#"$ROOT/"}"
  mkdir -p "$STAGE/app/$(dirname "$rel")"
  [ -e "$STAGE/app/$rel" ] || cp -r "$p" "$STAGE/app/$rel"
done
[ -d "$STAGE/app/node_modules/onnxruntime-node" ] || die "onnxruntime-node not staged; run npm install at the repository root"
# onnxruntime-node ships every platform's binaries; keep Linux x64.
find "$STAGE/app/node_modules/onnxruntime-node/bin" -mindepth 3 -maxdepth 3 -type d ! -path '*/linux/x64' -exec rm -rf {} +
cp -r "$MODEL_DIR" "$STAGE/models/"
cp "$HERE/Dockerfile" "$STAGE/Dockerfile"
log "docker build $TAG from $BASE_IMAGE ($(du -sh "$STAGE" | cut -f1) context)"
docker build --quiet --network none --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg VERSION="$VERSION" \
  --label "io.medai.source-hash=$SRC_HASH" -t "$TAG" "$STAGE" >/dev/null
echo "$TAG"
