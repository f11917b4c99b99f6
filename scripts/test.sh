#!/usr/bin/env bash
# The project's one test command: type-check, lint, unit and integration tests on SQLite
# and PostgreSQL, the agent against a real kube-apiserver, chart tests with real helm,
# and end-to-end tests in Chromium. Works on a fresh machine; any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=${CI:-true}

source scripts/node-env.sh
source scripts/services.sh
node .yarn/releases/yarn-4.13.0.cjs install --immutable
eval "$(bash scripts/build-tools.sh all)"
eval "$(bash scripts/build-tofu.sh)"
export KUBEBUILDER_ASSETS HELM_BIN TOFU_BIN
export GITOPS_REQUIRE_TOOLS=1

yarn() { node "$PWD/.yarn/releases/yarn-4.13.0.cjs" "$@"; }

echo "== type-check"; yarn tsc
echo "== lint"; yarn lint:all
echo "== unit and integration tests"; yarn test --maxWorkers=2
if [ -x scripts/e2e.sh ]; then echo "== end-to-end"; bash scripts/e2e.sh; fi
echo "== all checks passed"
