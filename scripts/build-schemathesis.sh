#!/usr/bin/env bash
# Installs schemathesis, the API fuzzer scripts/fuzz.sh runs, from the Python package index
# with pip into a virtualenv cached outside the repository, keyed by version. Idempotent.
# Prints the path of its executable.
set -euo pipefail

SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
CACHE=${GITOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shoehorn-gitops-tools}
VENV="$CACHE/schemathesis-$SCHEMATHESIS_VERSION"

log() { echo "[build-schemathesis] $*" >&2; }

mkdir -p "$CACHE"
# One installer at a time; a virtualenv is not relocatable, so it is built in place and
# counts only once its stamp is written.
exec 9>"$VENV.lock"
flock 9
if [ ! -f "$VENV/.installed" ]; then
  command -v python3 >/dev/null || { log "python3 (>= 3.10) is needed"; exit 1; }
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV (once)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
  touch "$VENV/.installed"
fi
echo "$VENV/bin/schemathesis"
