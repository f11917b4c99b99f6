#!/usr/bin/env bash
# Builds OpenTofu from the Go module proxy into the tools cache, keyed by version, so the
# Terraform module test can run `tofu fmt -check`. Idempotent. Prints `export TOFU_BIN=…` for eval.
set -euo pipefail

TOFU_VERSION=${TOFU_VERSION:-v1.10.10}
CACHE=${GITOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shoehorn-gitops-tools}
TOFU_DIR="$CACHE/tofu-$TOFU_VERSION"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

log() { echo "[build-tofu] $*" >&2; }

build_tofu() {
  [ -x "$TOFU_DIR/tofu" ] && return
  log "building OpenTofu $TOFU_VERSION (a few minutes, once)"
  local work; work=$(mktemp -d); pushd "$work" >/dev/null
  go mod init local/tofu-build >/dev/null 2>&1
  local modfile; modfile=$(go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  # Replace directives of a dependency are ignored, so carry OpenTofu's own (its HCL fork) over.
  sed -n 's#^replace \([^ ]*\) \([^ ]*\) => \([^ ]*\) \([^ ]*\)$#\1@\2=\3@\4#p' "$modfile" | while read -r rep; do
    go mod edit -replace="$rep"
  done
  go get "github.com/opentofu/opentofu@$TOFU_VERSION" >&2
  mkdir -p "$TOFU_DIR"
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "$TOFU_DIR/tofu.tmp" github.com/opentofu/opentofu/cmd/tofu
  mv "$TOFU_DIR/tofu.tmp" "$TOFU_DIR/tofu"
  popd >/dev/null; rm -rf "$work"
}

build_tofu
echo "export TOFU_BIN=$TOFU_DIR/tofu"
