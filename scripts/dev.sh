#!/usr/bin/env bash
# The README's start command: the portal (backend on :7007, app on :3000) with three demo
# clusters pushing examples/clusters through the real agent protocol. Ctrl-C stops it all.
# Config: app-config.yaml + app-config.demo.yaml (the demo agents' tokens, allow-all).
# Extra arguments go to `backstage-cli repo start` (e.g. --config app-config.local.yaml);
# GITOPS_DEV_BACKEND_URL names the backend when such a config moves it off :7007.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

source scripts/node-env.sh
yarn() { node "$ROOT/.yarn/releases/yarn-4.13.0.cjs" "$@"; }

if [ ! -d node_modules/@backstage/cli ]; then
  echo "[dev] installing dependencies"
  yarn install
fi

BACKEND_URL=${GITOPS_DEV_BACKEND_URL:-http://localhost:7007}
LOG_DIR=.data/logs
mkdir -p "$LOG_DIR"

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "[dev] stopping"
  for pid in "${pids[@]}"; do
    # Each child leads its own process group (set -m below): stop the whole group.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT
set -m

echo "[dev] starting the backend and the app (:7007 and :3000 unless a --config moves them)"
yarn start --config "$ROOT/app-config.yaml" --config "$ROOT/app-config.demo.yaml" "$@" &
pids+=($!)

echo "[dev] waiting for $BACKEND_URL/api/gitops/health"
for _ in $(seq 1 300); do
  if curl -fsS "$BACKEND_URL/api/gitops/health" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "[dev] the portal exited before it became healthy" >&2
    exit 1
  fi
  sleep 2
done
curl -fsS "$BACKEND_URL/api/gitops/health" >/dev/null || {
  echo "[dev] the backend did not become healthy in 10 minutes" >&2
  exit 1
}

# cluster directory, token (the defaults of app-config.demo.yaml's credentials), extra options:
# prod-eu answers Sync and Refresh on its in-memory objects so the demo can show a Sync.
demo_agents=(
  "prod-eu ${GITOPS_AGENT_TOKEN_DEMO_ARGO:-dev-agent-token-demo-argo-0001} --simulate-commands"
  "prod-us ${GITOPS_AGENT_TOKEN_DEMO_FLUX:-dev-agent-token-demo-flux-0001}"
  "edge-lab ${GITOPS_AGENT_TOKEN_DEMO_EDGE:-dev-agent-token-demo-edge-0001}"
)
for entry in "${demo_agents[@]}"; do
  read -r cluster token extra <<<"$entry"
  echo "[dev] demo agent for $cluster (log: $LOG_DIR/agent-$cluster.log)"
  # shellcheck disable=SC2086 # extra holds zero or more options
  GITOPS_AGENT_TOKEN="$token" GITOPS_ALLOW_HTTP=true yarn gitops-agent push \
    --files "$ROOT"/examples/clusters/"$cluster"/*.yaml --watch $extra --backend-url "$BACKEND_URL" \
    >"$LOG_DIR/agent-$cluster.log" 2>&1 &
  pids+=($!)
done

echo "[dev] ready: http://localhost:3000/gitops (edit examples/clusters/* to see live updates)"
wait "${pids[0]}"
