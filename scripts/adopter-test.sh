#!/usr/bin/env bash
# The adopter's path, from packed tarballs: packs the four packages as they would be published
# (Backstage prepack), creates a fresh app outside the repository with the newest
# @backstage/create-app (its default app on the new frontend system and the app of its
# --legacy template beside it, one install), brings it to the repository's Backstage line with
# `backstage-cli versions:bump`, installs the tarballs and applies exactly the install lines of
# the plugin READMEs, then: tsc, `backstage-cli config:check --strict`, starts the app, pushes
# demo objects with the packed agent CLI and checks in Chromium that /gitops and an entity's
# Operations tab show them, for each frontend system. Prints the lines added per plugin and the
# time to a populated page.
# The created and installed base app is cached outside the repository, keyed by the create-app
# version and the repository's Backstage line (GITOPS_ADOPTER_CACHE; default
# ~/.cache/shoehorn-gitops-adopter); each run works in it after git has put its committed
# state back, one run at a time. Every process started here is stopped on exit; a failure
# names the step and shows its log (also in artifacts/adopter/).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

source scripts/node-env.sh
# The fresh app has no lockfile of ours to keep: its installs may write theirs (CI=true
# would make them immutable).
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
yarn() { node "$ROOT/.yarn/releases/yarn-4.13.0.cjs" "$@"; }

PORT=${GITOPS_ADOPTER_PORT:-7117}
BASE_URL="http://localhost:$PORT"
CACHE=${GITOPS_ADOPTER_CACHE:-$HOME/.cache/shoehorn-gitops-adopter}
ARTIFACTS="$ROOT/artifacts/adopter"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gitops-adopter.XXXXXX")
LOG="$WORK/step.log"
STARTED=$(date +%s)
STEP=starting
mkdir -p "$ARTIFACTS" "$CACHE" "$WORK/tarballs"
rm -f "$ARTIFACTS"/*.png "$ARTIFACTS"/*.log

if curl -fsS -o /dev/null "$BASE_URL" 2>/dev/null; then
  echo "[adopter] port $PORT is taken; set GITOPS_ADOPTER_PORT to a free port" >&2
  exit 1
fi

backend_pid=
stop_backend() {
  if [ -n "$backend_pid" ]; then
    kill -TERM -- "-$backend_pid" 2>/dev/null || kill -TERM "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
    backend_pid=
  fi
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_backend
  if [ $status -ne 0 ]; then
    echo "[adopter] FAILED at: $STEP (after $(($(date +%s) - STARTED)) s)" >&2
    if [ -s "$LOG" ]; then
      cp "$LOG" "$ARTIFACTS/failed-step.log"
      echo "[adopter] last lines of its log (all in artifacts/adopter/failed-step.log):" >&2
      tail -40 "$LOG" >&2
    fi
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM

# Runs one step with its output in $LOG; the failure report shows that log.
step() {
  STEP=$1
  shift
  echo "[adopter] $STEP ($(($(date +%s) - STARTED)) s)"
  : >"$LOG"
  ("$@") >>"$LOG" 2>&1
}
in_app() { (cd "$APP" && node .yarn/releases/yarn-4.13.0.cjs "$@"); }

# ---- The packages, as published
step "building the packages" yarn build
# One yarn run packs all four (each package's prepack points its exports at dist).
pack() {
  yarn workspaces foreach -A --include '@shoehorn/plugin-gitops' --include '@shoehorn/plugin-gitops-backend' \
    --include '@shoehorn/plugin-gitops-common' --include '@shoehorn/gitops-agent' \
    pack --out "$WORK/tarballs/%s.tgz"
  # %s is the package's slug (@shoehorn-plugin-gitops); the file names drop the @.
  local tarball
  for tarball in "$WORK"/tarballs/@*.tgz; do mv "$tarball" "${tarball/@/}"; done
  for tarball in "$WORK"/tarballs/*.tgz; do
    if tar -xOzf "$tarball" package/package.json | grep -q '"workspace:'; then
      echo "$tarball: the packed package.json still has workspace: ranges" >&2
      return 1
    fi
    if tar -xOzf "$tarball" package/package.json | grep -q '"\./src/'; then
      echo "$tarball: the packed package.json still points into src/" >&2
      return 1
    fi
  done
  [ "$(ls "$WORK"/tarballs/*.tgz | wc -l)" = 4 ] || { echo "expected four tarballs" >&2; return 1; }
}
step "packing the four packages (prepack: exports point at dist)" pack

# ---- The fresh app (cached once per create-app version and Backstage line)
CREATE_APP_VERSION=$(npm view @backstage/create-app version 2>/dev/null || true)
[ -n "$CREATE_APP_VERSION" ] || {
  STEP="looking up the newest @backstage/create-app"
  echo "[adopter] could not look up the newest @backstage/create-app" >&2
  exit 1
}
LINE=$(node -p "require('./backstage.json').version")
BASE="$CACHE/app-create-app-$CREATE_APP_VERSION-backstage-$LINE"
APP=$BASE
# One run at a time uses the cached app.
exec 9>"$CACHE/.lock"
flock 9
# create-app checks that a `yarn` command exists; the app brings its own release.
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' "$ROOT" >"$WORK/bin/yarn"
chmod +x "$WORK/bin/yarn"

create_base() {
  local tmp="$CACHE/.creating-$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  local t0
  t0=$(date +%s)
  # The seed lockfile comes from outside the registries: create-app warns and goes on.
  (cd "$tmp" && PATH="$WORK/bin:$PATH" BACKSTAGE_APP_NAME=adopter-app \
    npx -y "@backstage/create-app@$CREATE_APP_VERSION" --path app --skip-install </dev/null)
  (cd "$tmp" && PATH="$WORK/bin:$PATH" BACKSTAGE_APP_NAME=adopter-legacy \
    npx -y "@backstage/create-app@$CREATE_APP_VERSION" --legacy --path legacy --skip-install </dev/null)
  # The legacy template's app joins the default app's workspace: one install serves both.
  mv "$tmp/legacy/packages/app" "$tmp/app/packages/app-legacy"
  node -e 'const f=process.argv[1],p=require(f);p.name="app-legacy";require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")' \
    "$tmp/app/packages/app-legacy/package.json"
  # The plugin READMEs' first step for an app older than their line: versions:bump.
  node scripts/adopter/release-manifest.mjs "$ROOT" >"$tmp/manifest.json"
  (cd "$tmp/app" && BACKSTAGE_MANIFEST_FILE="$tmp/manifest.json" \
    node "$ROOT/node_modules/@backstage/cli/bin/backstage-cli" versions:bump --skip-install --skip-migrate)
  (cd "$tmp/app" && node .yarn/releases/yarn-4.13.0.cjs install)
  [ -d "$tmp/app/.git" ] || git -C "$tmp/app" init -q
  git -C "$tmp/app" add -A
  git -C "$tmp/app" -c user.name=adopter-test -c user.email=adopter-test@localhost \
    commit -qm "base: create-app default and legacy apps, bumped, installed"
  echo $(($(date +%s) - t0)) >"$tmp/app/.adopter-base-seconds"
  rm -rf "$BASE" && mv "$tmp/app" "$BASE" && rm -rf "$tmp"
}
if [ ! -f "$BASE/.adopter-base-seconds" ]; then
  step "creating the base app with @backstage/create-app $CREATE_APP_VERSION (new and --legacy), bumped to $LINE, installed (cached)" create_base
fi
BASE_SECONDS=$(cat "$BASE/.adopter-base-seconds")
APP_STARTED=$(date +%s)
# The steps run in the base app itself and git puts its sources back before each run: copying
# its installed modules costs minutes, and yarn keeps them matched to its own state files.
reset_base() {
  git -C "$BASE" checkout -q -- .
  git -C "$BASE" clean -fdq -e .adopter-base-seconds
  rm -rf "$BASE"/packages/*/dist "$BASE/dist-types"
}
step "resetting the base app to its committed state" reset_base

# ---- The READMEs' install lines
# The common package is a dependency of the others: it resolves to its tarball too.
node -e 'const f=process.argv[1],p=require(f);p.resolutions={...p.resolutions,"@shoehorn/plugin-gitops-common":"file:"+process.argv[2]};require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")' \
  "$APP/package.json" "$WORK/tarballs/shoehorn-plugin-gitops-common.tgz"
for target in backend new legacy; do
  step "applying the $target install lines of the READMEs" \
    node scripts/adopter/apply-install-lines.mjs "$ROOT" "$APP" "$target" "$WORK/tarballs"
  grep '^\[adopter\]' "$LOG" || true
done

cat >"$APP/app-config.adopter.yaml" <<YAML
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
  auth:
    externalAccess:
      - type: static
        options:
          token: \${GITOPS_AGENT_TOKEN_ADOPTER}
          subject: gitops-agent-adopter
        accessRestrictions:
          - plugin: gitops
gitops:
  agents:
    - subject: gitops-agent-adopter
      tenant: default
      cluster: adopter-cluster
catalog:
  locations:
    - type: file
      target: $WORK/catalog.yaml
YAML
cat >"$WORK/catalog.yaml" <<'YAML'
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: adopter-service
spec:
  type: service
  lifecycle: production
  owner: guests
YAML
# The repository's demo Applications plus one named like the catalog's service (name match).
cat >"$WORK/adopter-service.yaml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: adopter-service, namespace: argocd, uid: adopter-service-0001 }
spec:
  source: { repoURL: https://github.com/shoehorn-demo/deploy.git, path: adopter, targetRevision: main }
status:
  sync: { status: OutOfSync, revision: 1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d }
  health: { status: Healthy }
YAML
DEMO_FILES=("$ROOT/examples/clusters/prod-eu/applications.yaml" "$WORK/adopter-service.yaml")
DEMO_TOTAL=$(($(grep -c '^    kind: Application' "${DEMO_FILES[0]}") + 1))
export GITOPS_AGENT_TOKEN_ADOPTER=adopter-agent-token-0123456789
CONFIG=(--config "$APP/app-config.yaml" --config "$APP/app-config.adopter.yaml")

step "type-checking the app (tsc)" in_app tsc
step "backstage-cli config:check --strict" in_app backstage-cli config:check --strict "${CONFIG[@]}"

# The agent CLI as an operator installs it, from its tarball, outside the app.
install_agent() {
  mkdir -p "$WORK/agent"
  (cd "$WORK/agent" && npm install --no-save --no-audit --no-fund \
    "$WORK/tarballs/shoehorn-gitops-agent.tgz" "$WORK/tarballs/shoehorn-plugin-gitops-common.tgz")
  "$WORK/agent/node_modules/.bin/gitops-agent" push --help
}
step "installing the packed agent CLI" install_agent

# Serves one frontend system's app bundle through the backend, pushes, checks in Chromium.
serve_and_check() {
  local system=$1 dir=$2
  step "building the $system app bundle ($dir)" \
    bash -c "cd '$APP/$dir' && node ../../.yarn/releases/yarn-4.13.0.cjs backstage-cli package build ${CONFIG[*]}"
  local serve=("${CONFIG[@]}")
  if [ "$dir" != packages/app ]; then
    # The backend's app plugin serves the package that app.packageName names.
    printf 'app:\n  packageName: %s\n' "$(node -p "require('$APP/$dir/package.json').name")" >"$WORK/app-config.serve.yaml"
    serve+=(--config "$WORK/app-config.serve.yaml")
  fi
  STEP="starting the backend ($system)"
  echo "[adopter] $STEP ($(($(date +%s) - STARTED)) s)"
  set -m
  (cd "$APP/packages/backend" && exec node ../../.yarn/releases/yarn-4.13.0.cjs backstage-cli package start "${serve[@]}") \
    >"$LOG" 2>&1 &
  backend_pid=$!
  set +m
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$BASE_URL/api/gitops/health" 2>/dev/null && break
    kill -0 "$backend_pid" 2>/dev/null || return 1
    sleep 2
  done
  curl -fsS -o /dev/null "$BASE_URL/api/gitops/health"
  STEP="pushing $DEMO_TOTAL demo objects with the packed agent CLI ($system)"
  echo "[adopter] $STEP ($(($(date +%s) - STARTED)) s)"
  # Linking reads the catalog as it is at push time: wait for the service to be ingested.
  for _ in $(seq 1 60); do
    curl -fsS -o /dev/null -H "Authorization: Bearer $(guest_token)" \
      "$BASE_URL/api/catalog/entities/by-name/component/default/adopter-service" 2>/dev/null && break
    sleep 2
  done
  GITOPS_AGENT_TOKEN=$GITOPS_AGENT_TOKEN_ADOPTER GITOPS_ALLOW_HTTP=true \
    "$WORK/agent/node_modules/.bin/gitops-agent" push --backend-url "$BASE_URL" --files "${DEMO_FILES[@]}" >>"$LOG" 2>&1
  STEP="checking /gitops and the Operations tab in Chromium ($system)"
  echo "[adopter] $STEP ($(($(date +%s) - STARTED)) s)"
  mkdir -p "$ARTIFACTS/$system"
  node scripts/adopter/check-pages.mjs "$BASE_URL" "$DEMO_TOTAL" \
    /catalog/default/component/adopter-service adopter-service "$ARTIFACTS/$system"
  local since=$(($(date +%s) - APP_STARTED))
  echo "[adopter] $system frontend system: a populated page $((BASE_SECONDS + since)) s from create-app" \
    "(create-app, bump and install: $BASE_SECONDS s, cached; install lines to populated page: $since s)"
  stop_backend
}
guest_token() {
  curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$BASE_URL/api/auth/guest/refresh" |
    node -e 'let s="";process.stdin.on("data",d=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s).backstageIdentity.token))'
}

serve_and_check new packages/app
serve_and_check legacy packages/app-legacy
echo "[adopter] passed in $(($(date +%s) - STARTED)) s"
