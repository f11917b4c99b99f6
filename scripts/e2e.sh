#!/usr/bin/env bash
# End-to-end tests in Chromium: builds the app bundle once, serves it through the backend's
# app-backend on an e2e port (7107 unless GITOPS_E2E_PORT) with a fresh SQLite directory,
# pushes the demo clusters through the real agent CLI (prod-eu keeps running and answers
# Sync/Refresh with --simulate-commands, as in scripts/dev.sh), then runs packages/app/e2e.
# Screenshots go to artifacts/e2e/. Every process started here is stopped on exit.
# `scripts/e2e.sh --serve` prepares the same portal and keeps it up for debugging.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

source scripts/node-env.sh
source scripts/lib/portal.sh
yarn() { node "$ROOT/.yarn/releases/yarn-4.13.0.cjs" "$@"; }

PORT=${GITOPS_E2E_PORT:-7107}
BASE_URL="http://localhost:$PORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gitops-e2e.XXXXXX")
ARTIFACTS="$ROOT/artifacts/e2e"
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS/backend.log"
CHROMIUM=${GITOPS_CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$CHROMIUM" ]; then
  echo "[e2e] no Chromium at $CHROMIUM (apt-get install chromium, or set GITOPS_CHROMIUM)" >&2
  exit 1
fi
if curl -fsS -o /dev/null "$BASE_URL" 2>/dev/null; then
  echo "[e2e] port $PORT is taken; set GITOPS_E2E_PORT to a free port" >&2
  exit 1
fi

backend_pid=
agent_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$agent_pid" ]; then
    kill -TERM -- "-$agent_pid" 2>/dev/null || kill -TERM "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  if [ -n "$backend_pid" ]; then
    kill -TERM -- "-$backend_pid" 2>/dev/null || kill -TERM "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  if [ $status -ne 0 ] && [ -f "$WORK/backend.log" ]; then
    cp "$WORK/backend.log" "$ARTIFACTS/backend.log"
    echo "[e2e] backend log: artifacts/e2e/backend.log" >&2
  fi
  if [ $status -ne 0 ] && [ -f "$WORK/agent-prod-eu.log" ]; then
    cp "$WORK/agent-prod-eu.log" "$ARTIFACTS/agent-prod-eu.log"
    echo "[e2e] prod-eu agent log: artifacts/e2e/agent-prod-eu.log" >&2
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM

cat >"$WORK/app-config.e2e.yaml" <<YAML
app:
  baseUrl: $BASE_URL
backend:
  baseUrl: $BASE_URL
  listen:
    port: $PORT
  cors:
    origin: $BASE_URL
  database:
    client: better-sqlite3
    connection:
      directory: $WORK/sqlite
YAML
CONFIG=(--config "$ROOT/app-config.yaml" --config "$ROOT/app-config.demo.yaml" --config "$WORK/app-config.e2e.yaml")

echo "[e2e] building the app bundle"
(cd packages/app && yarn backstage-cli package build "${CONFIG[@]}") >"$WORK/build.log" 2>&1 || {
  cat "$WORK/build.log" >&2
  exit 1
}

echo "[e2e] starting the backend on :$PORT (SQLite in $WORK/sqlite)"
start_backend e2e "$WORK/backend.log" "${CONFIG[@]}"

# Pushes are linked against the catalog as it is then: wait until its first ingestion is done.
echo "[e2e] waiting for the catalog to list the demo entities"
demo_entities=$(grep -ciE '^kind: (component|system|api|resource)$' "$ROOT/examples/catalog/entities.yaml")
catalog_count() {
  local token
  token=$(guest_token) || return 1
  curl -fsS -H "Authorization: Bearer $token" \
    "$BASE_URL/api/catalog/entities/by-query?limit=0&filter=kind=component,kind=system,kind=api,kind=resource" |
    node -e 'let s="";process.stdin.on("data",d=>(s+=d)).on("end",()=>process.stdout.write(String(JSON.parse(s).totalItems)))'
}
for _ in $(seq 1 90); do
  [ "$(catalog_count 2>/dev/null)" = "$demo_entities" ] && break
  sleep 2
done
[ "$(catalog_count)" = "$demo_entities" ] || { echo "[e2e] the catalog never listed the $demo_entities demo entities" >&2; exit 1; }

echo "[e2e] pushing the demo clusters through the agent CLI"
push() {
  GITOPS_AGENT_TOKEN="$2" GITOPS_ALLOW_HTTP=true yarn gitops-agent push --backend-url "$BASE_URL" \
    --files "$ROOT"/examples/clusters/"$1"/*.yaml
}
set -m
GITOPS_AGENT_TOKEN="${GITOPS_AGENT_TOKEN_DEMO_ARGO:-dev-agent-token-demo-argo-0001}" GITOPS_ALLOW_HTTP=true \
  yarn gitops-agent push --backend-url "$BASE_URL" --watch --simulate-commands \
  --files "$ROOT"/examples/clusters/prod-eu/*.yaml >"$WORK/agent-prod-eu.log" 2>&1 &
agent_pid=$!
set +m
for _ in $(seq 1 90); do
  grep -q '^watching' "$WORK/agent-prod-eu.log" 2>/dev/null && break
  kill -0 "$agent_pid" 2>/dev/null || break
  sleep 1
done
grep -q '^watching' "$WORK/agent-prod-eu.log" || {
  echo "[e2e] the prod-eu agent did not start" >&2
  cat "$WORK/agent-prod-eu.log" >&2
  exit 1
}
push prod-us "${GITOPS_AGENT_TOKEN_DEMO_FLUX:-dev-agent-token-demo-flux-0001}"
push edge-lab "${GITOPS_AGENT_TOKEN_DEMO_EDGE:-dev-agent-token-demo-edge-0001}"

if [ "${1:-}" = "--serve" ]; then
  echo "[e2e] serving $BASE_URL until interrupted (no tests run)"
  wait "$backend_pid"
fi

echo "[e2e] running the browser tests"
GITOPS_E2E_BASE_URL="$BASE_URL" GITOPS_E2E_ARTIFACTS="$ARTIFACTS" GITOPS_CHROMIUM="$CHROMIUM" \
  node --test --test-concurrency=1 packages/app/e2e/gitops.e2e.mjs
