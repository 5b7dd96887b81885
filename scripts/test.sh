#!/usr/bin/env bash
# The whole test suite: environment, install, lint, typecheck, build, then unit,
# integration and browser tests on the real engine. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip
mkdir -p test-results
: > test-results/timings.txt
status=0
now() { date +%s.%N; }
phase() { # phase NAME COMMAND...
  local name=$1; shift
  local t0; t0=$(now)
  echo "=== $name"
  "$@"; local rc=$?
  printf "%-12s %6.1f s  %s\n" "$name" "$(awk -v a="$t0" -v b="$(now)" "BEGIN{print b-a}")" "$([ $rc = 0 ] && echo ok || echo "FAILED ($rc)")" >> test-results/timings.txt
  [ $rc = 0 ] || status=1
  return $rc
}
install_deps() {
  # npm ci only when the lockfile changed since the last install: reruns stay quick.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

# Without an environment, dependencies or a build no test can run: say so in the CI line.
abort() { echo "$1"; cat test-results/timings.txt; echo "0 passed, 1 failed"; exit 1; }
phase setup bash test/env/setup.sh || abort "the test environment could not be prepared"
phase install install_deps || abort "npm ci failed"
phase lint npm run -s lint
phase typecheck npm run -s typecheck
phase build npm run -s build || abort "the build failed"
for project in unit integration browser; do
  phase "$project" npx vitest run --project "$project" --reporter=default --reporter=json --outputFile="test-results/$project.json"
done

echo "=== timings"
cat test-results/timings.txt
node scripts/count-results.mjs test-results/unit.json test-results/integration.json test-results/browser.json || status=1
exit $status
