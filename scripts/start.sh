#!/usr/bin/env bash
# Installs what the manager needs and starts it: the desktop window where the Electron
# runtime exists, otherwise the web console on http://127.0.0.1:8686 (token printed once).
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip

node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "Node.js >= 20.19 is required (found $(node --version))" >&2; exit 1; }
bash scripts/ensure-docker.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/cli/medai.cjs ] || [ -n "$(find electron renderer -newer dist/cli/medai.cjs -type f -print -quit)" ]; then
  npm run -s build
fi

electron_bin=node_modules/electron/dist/electron
if [ -x "$electron_bin" ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${MEDAI_HEADLESS:-}" != 1 ]; then
  exec "$electron_bin" dist/electron/main.cjs
fi
exec node dist/cli/medai.cjs console "$@"
