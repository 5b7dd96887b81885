#!/usr/bin/env bash
# Builds the stack's images offline from Debian packages, FROM the local debootstrap
# base (test/env/setup.sh makes it). Idempotent and cached by tag: an image whose tag
# exists is not rebuilt unless MEDAI_TEST_IMAGES_REBUILD=1.
#   bash test/images/build.sh            # postgres, redis, etcd, service stand-in
#   bash test/images/build.sh milvus     # also (or only) the named ones
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BASE_IMAGE="${MEDAI_BASE_IMAGE:-medai/debian-base:bookworm}"

declare -A TAGS=(
  [postgres]=medai-test/postgres:15
  [redis]=medai-test/redis:7
  [etcd]=medai-test/etcd:3.4
  [service-standin]=medai-test/medical-ai-service-standin:0.1.0
  [milvus]=medai-test/milvus:2.3.9
)
DEFAULT=(postgres redis etcd service-standin)
wanted=("$@"); [ ${#wanted[@]} -gt 0 ] || wanted=("${DEFAULT[@]}")

docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || { echo "base image $BASE_IMAGE missing: run test/env/setup.sh" >&2; exit 1; }
for name in "${wanted[@]}"; do
  tag=${TAGS[$name]:-}
  [ -n "$tag" ] || { echo "unknown test image $name (known: ${!TAGS[*]})" >&2; exit 1; }
  if [ "${MEDAI_TEST_IMAGES_REBUILD:-0}" != 1 ] && docker image inspect "$tag" >/dev/null 2>&1; then
    echo "[test-images] $tag cached"
    continue
  fi
  echo "[test-images] building $tag"
  docker build -q --label medai.test-image=1 -t "$tag" "$here/$name" >/dev/null
done
