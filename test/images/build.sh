#!/usr/bin/env bash
# Builds the stack's images offline from Debian packages, FROM the local debootstrap
# base (test/env/setup.sh makes it). Idempotent and cached by tag and by a hash of the
# build context (label medai.context-hash): an image is rebuilt only when its Dockerfile or
# files changed, or when MEDAI_TEST_IMAGES_REBUILD=1.
#   bash test/images/build.sh            # all: postgres, redis, etcd, service stand-in, milvus
#   bash test/images/build.sh redis etcd # only the named ones
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BASE_IMAGE="${MEDAI_BASE_IMAGE:-medai/debian-base:bookworm}"

declare -A TAGS=(
  [postgres]=medai-test/postgres:15
  [redis]=medai-test/redis:7
  [etcd]=medai-test/etcd:3.4
  [service-standin]=medai-test/medical-ai-service-standin:0.1.0
  [milvus]=medai-test/milvus:2.3.5
)
DEFAULT=(postgres redis etcd service-standin milvus)
wanted=("$@"); [ ${#wanted[@]} -gt 0 ] || wanted=("${DEFAULT[@]}")

# Milvus comes from its PyPI wheel, fetched on the host (which trusts the registry proxy)
# into a cache, checked against a pinned sha256, and handed to the build in a temp context.
MILVUS_WHEEL=milvus-2.3.5-py3-none-manylinux2014_x86_64.whl
MILVUS_SHA=69515a0630ce29fd10e101fa442afea8ca1387b93a456cd9bd41fdf3deb93d04
milvus_context() {
  local cache="${MEDAI_CACHE_DIR:-$HOME/.cache/medai}/wheels" ctx
  mkdir -p "$cache"
  if [ ! -f "$cache/$MILVUS_WHEEL" ] || [ "$(sha256sum "$cache/$MILVUS_WHEEL" | cut -d' ' -f1)" != "$MILVUS_SHA" ]; then
    pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 --platform manylinux2014_x86_64 milvus==2.3.5 -d "$cache" >&2
  fi
  [ "$(sha256sum "$cache/$MILVUS_WHEEL" | cut -d' ' -f1)" = "$MILVUS_SHA" ] || { echo "milvus wheel checksum mismatch" >&2; exit 1; }
  ctx=$(mktemp -d /tmp/medai-milvus-ctx.XXXXXX)
  cp "$here/milvus/Dockerfile" "$cache/$MILVUS_WHEEL" "$ctx/"
  echo "$ctx"
}

docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { echo "base image $BASE_IMAGE missing: run test/env/setup.sh" >&2; exit 1; }
for name in "${wanted[@]}"; do
  tag=${TAGS[$name]:-}
  [ -n "$tag" ] || { echo "unknown test image $name (known: ${!TAGS[*]})" >&2; exit 1; }
  hash=$(cd "$here/$name" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  have=$(docker image inspect -f '{{index .Config.Labels "medai.context-hash"}}' "$tag" 2>/dev/null || true)
  if [ "${MEDAI_TEST_IMAGES_REBUILD:-0}" != 1 ] && [ "$have" = "$hash" ]; then
    echo "[test-images] $tag cached"
    continue
  fi
  echo "[test-images] building $tag"
  context="$here/$name"
  if [ "$name" = milvus ]; then context=$(milvus_context); fi
  docker build -q --label medai.test-image=1 --label "medai.context-hash=$hash" -t "$tag" "$context" >/dev/null
  [ "$context" = "$here/$name" ] || rm -rf "$context"
done
