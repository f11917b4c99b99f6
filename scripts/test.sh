#!/usr/bin/env bash
# The project's one test command: type-check, lint, unit and integration tests on SQLite
# and PostgreSQL, the agent against a real kube-apiserver, chart and Terraform tests with
# real helm and OpenTofu, the HTTP API fuzzed against its OpenAPI (scripts/fuzz.sh),
# end-to-end tests in Chromium, and the adopter path (the packed packages installed into a
# fresh Backstage app by their READMEs' lines). Works on a fresh machine; any failure exits
# non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=${CI:-true}

source scripts/node-env.sh
source scripts/services.sh

# The Go-built tools (cached outside the repository) build while dependencies install and
# the static checks run; the tests wait for them.
mkdir -p .data
tools_log=.data/build-tools.log
( bash scripts/build-tools.sh all && bash scripts/build-tofu.sh ) >"$tools_log.env" 2>"$tools_log" &
tools_pid=$!

yarn() { node "$PWD/.yarn/releases/yarn-4.13.0.cjs" "$@"; }
yarn install --immutable

echo "== type-check"; yarn tsc
echo "== formatting"; yarn prettier:check
echo "== lint"; yarn lint:all
echo "== API reports (an export change must come with its report)"; yarn build:api-reports --ci
echo "== one version of each @backstage package"; yarn versions:check

echo "== waiting for kube-apiserver, etcd, helm and tofu"
if ! wait "$tools_pid"; then
  cat "$tools_log" >&2
  echo "building the test tools failed" >&2
  exit 1
fi
eval "$(cat "$tools_log.env")"
export KUBEBUILDER_ASSETS HELM_BIN TOFU_BIN
export GITOPS_REQUIRE_TOOLS=1

echo "== unit and integration tests"; yarn test --maxWorkers=2
echo "== fuzzing the HTTP API against its OpenAPI (schemathesis, PostgreSQL)"; bash scripts/fuzz.sh
echo "== benchmarks, short mode (keeps the scripts working; figures: yarn bench)"; yarn bench --short
if [ -x scripts/e2e.sh ] || [ -f scripts/e2e.sh ]; then echo "== end-to-end"; bash scripts/e2e.sh; fi
echo "== adopter path: packed tarballs into a fresh create-app app, both frontend systems"; bash scripts/adopter-test.sh
echo "== all checks passed"
