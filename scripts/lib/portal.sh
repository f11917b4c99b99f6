# Sourced by e2e.sh and fuzz.sh: start this repository's backend and talk to it as a guest.
# Expects ROOT and BASE_URL; sets backend_pid (the caller's cleanup stops its process group).

# start_backend LABEL LOG CONFIG_ARGS...: starts packages/backend and waits until it is healthy.
start_backend() {
  local label=$1 log=$2
  shift 2
  set -m
  (cd "$ROOT/packages/backend" && exec node "$ROOT/.yarn/releases/yarn-4.13.0.cjs" backstage-cli package start "$@") \
    >"$log" 2>&1 &
  backend_pid=$!
  set +m
  for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "$BASE_URL/api/gitops/health" 2>/dev/null && return 0
    kill -0 "$backend_pid" 2>/dev/null || { echo "[$label] the backend exited" >&2; tail -50 "$log" >&2; exit 1; }
    sleep 2
  done
  echo "[$label] backend not healthy" >&2
  exit 1
}

# A guest user's Backstage token.
guest_token() {
  curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$BASE_URL/api/auth/guest/refresh" |
    node -e 'let s="";process.stdin.on("data",d=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s).backstageIdentity.token))'
}
