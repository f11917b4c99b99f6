#!/usr/bin/env bash
# Fuzzes the gitops backend through its OpenAPI file (plugins/gitops-backend/src/schema/openapi.yaml)
# with schemathesis: a real backend on PostgreSQL (fresh databases, dropped on exit), the portal
# routes with a guest user's token and the agent routes with an agent token. Fails on any 5xx
# and on any response that does not conform to the schema. About 3 minutes (GITOPS_FUZZ_SECONDS
# of fuzzing per half, 60 by default). Every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

source scripts/node-env.sh
source scripts/lib/portal.sh
source scripts/services.sh
yarn() { node "$ROOT/.yarn/releases/yarn-4.13.0.cjs" "$@"; }

SCHEMATHESIS=$(bash scripts/build-schemathesis.sh)
PORT=${GITOPS_FUZZ_PORT:-7108}
SECONDS_PER_HALF=${GITOPS_FUZZ_SECONDS:-60}
BASE_URL="http://localhost:$PORT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gitops-fuzz.XXXXXX")
ARTIFACTS="$ROOT/artifacts/fuzz"
mkdir -p "$ARTIFACTS"
PG_URL=$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
DB_PREFIX="gitops_fuzz_$(date +%s)_$$_"
# A token made for this run only: nothing in the repository is accepted.
AGENT_TOKEN=$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')

if curl -fsS -o /dev/null "$BASE_URL" 2>/dev/null; then
  echo "[fuzz] port $PORT is taken; set GITOPS_FUZZ_PORT to a free port" >&2
  exit 1
fi

backend_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$backend_pid" ]; then
    kill -TERM -- "-$backend_pid" 2>/dev/null || kill -TERM "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  for db in $(psql "$PG_URL/postgres" -Atc "select datname from pg_database where datname like '${DB_PREFIX}%'" 2>/dev/null); do
    psql "$PG_URL/postgres" -qc "drop database if exists \"$db\"" >/dev/null 2>&1 || true
  done
  if [ $status -ne 0 ] && [ -f "$WORK/backend.log" ]; then
    cp "$WORK/backend.log" "$ARTIFACTS/backend.log"
    echo "[fuzz] backend log: artifacts/fuzz/backend.log" >&2
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM

read -r PG_HOST PG_PORT PG_USER PG_PASSWORD < <(node -e '
  const u = new URL(process.argv[1]);
  console.log(u.hostname, u.port || 5432, decodeURIComponent(u.username), decodeURIComponent(u.password));
' "$PG_URL")

cat >"$WORK/app-config.fuzz.yaml" <<YAML
app:
  baseUrl: $BASE_URL
backend:
  baseUrl: $BASE_URL
  listen:
    port: $PORT
  database:
    client: pg
    prefix: $DB_PREFIX
    connection:
      host: $PG_HOST
      port: $PG_PORT
      user: $PG_USER
      password: $PG_PASSWORD
  auth:
    externalAccess:
      - type: static
        options:
          token: $AGENT_TOKEN
          subject: gitops-agent-fuzz
        accessRestrictions:
          - plugin: gitops
# The fuzzer reaches the write paths too (link, Sync, Refresh).
demo:
  allowAllPermissions: true
gitops:
  agents:
    - subject: gitops-agent-fuzz
      tenant: default
      cluster: fuzz
YAML

echo "[fuzz] starting the backend on :$PORT (PostgreSQL databases ${DB_PREFIX}*)"
start_backend fuzz "$WORK/backend.log" --config "$ROOT/app-config.yaml" --config "$WORK/app-config.fuzz.yaml"

# Stored resources, so that reads, links and commands meet real rows too.
echo "[fuzz] pushing examples/clusters/prod-eu through the agent CLI"
GITOPS_AGENT_TOKEN="$AGENT_TOKEN" GITOPS_ALLOW_HTTP=true yarn gitops-agent push --backend-url "$BASE_URL" \
  --files "$ROOT"/examples/clusters/prod-eu/*.yaml >"$WORK/push.log" 2>&1 || { cat "$WORK/push.log" >&2; exit 1; }

USER_TOKEN=$(guest_token)

# Both credentials work, so the fuzzer reaches the handlers rather than the 401 path.
resources=$(curl -fsS -H "Authorization: Bearer $USER_TOKEN" "$BASE_URL/api/gitops/v1/resources?limit=1" |
  node -e 'let s="";process.stdin.on("data",d=>(s+=d)).on("end",()=>process.stdout.write(String(JSON.parse(s).totalCount)))')
[ "$resources" -gt 0 ] || { echo "[fuzz] the user token lists no resources" >&2; exit 1; }
curl -fsS -o /dev/null -H "Authorization: Bearer $AGENT_TOKEN" "$BASE_URL/api/gitops/agent/v1/commands?wait=0" ||
  { echo "[fuzz] the agent token is refused" >&2; exit 1; }

# The long-poll waits up to `wait` seconds for a command that never comes: fuzz it without waiting.
cat >"$WORK/schemathesis.toml" <<'TOML'
[[operations]]
include-operation-id = "AgentPollCommands"
parameters = { "query.wait" = 0 }
TOML

# filter_too_much is a check of the generator, not of the API: path ids made of URL-unsafe
# characters are discarded by chance, and a run must not fail on the draw of its seed.
fuzz() {
  local name=$1 token=$2 paths=$3
  echo "[fuzz] $name routes ($paths), ${SECONDS_PER_HALF}s"
  (cd "$WORK" && "$SCHEMATHESIS" --config-file "$WORK/schemathesis.toml" run "$ROOT/plugins/gitops-backend/src/schema/openapi.yaml" \
    --url "$BASE_URL/api/gitops" \
    --header "Authorization: Bearer $token" \
    --include-path-regex "$paths" \
    --checks not_a_server_error,response_schema_conformance \
    --max-time "$SECONDS_PER_HALF" \
    --workers 1 \
    --generation-database none \
    --suppress-health-check=filter_too_much \
    --no-color \
    --report junit --report-junit-path "$ARTIFACTS/$name.junit.xml")
}

failed=0
fuzz portal "$USER_TOKEN" '^/(v1/|health$)' || failed=1
fuzz agent "$AGENT_TOKEN" '^/agent/' || failed=1
[ $failed -eq 0 ] || { echo "[fuzz] schemathesis found failures (above)" >&2; exit 1; }
echo "[fuzz] no 5xx, every response conforms to the schema"
