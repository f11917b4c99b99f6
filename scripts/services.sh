# Sourced by scripts/test.sh: makes sure the services the tests use run on loopback,
# installing them from Debian's packages when missing (needs root), and exports how to
# reach them. A test suite never skips because a service is absent: it fails.
set -euo pipefail

_svc_log() { echo "[services] $*" >&2; }

_svc_apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    _svc_log "missing Debian packages: ${missing[*]} (install them, or run as root)"; return 1
  fi
  _svc_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

_svc_apt_install postgresql redis-server chromium

# PostgreSQL: the Debian cluster, with a password for TCP logins.
if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    _svc_log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect 15 main start 2>/dev/null || service postgresql start >&2
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres:postgres@127.0.0.1:5432
fi

# Redis: for the shared-cache tests (two backend replicas, one cache).
if [ -z "${GITOPS_TEST_REDIS_URL:-}" ]; then
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    _svc_log "starting Redis"
    redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 1 30); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  export GITOPS_TEST_REDIS_URL=redis://127.0.0.1:6379
fi

export GITOPS_CHROMIUM=${GITOPS_CHROMIUM:-/usr/bin/chromium}
