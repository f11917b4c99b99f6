#!/usr/bin/env bash
# Builds the binaries the integration tests run for real (kube-apiserver, etcd, helm) from
# the Go module proxy into a cache outside the repository, keyed by version. Idempotent.
# Prints `export KUBEBUILDER_ASSETS=…` and `export HELM_BIN=…` lines for eval.
set -euo pipefail

KUBE_VERSION=${KUBE_VERSION:-v1.35.4}
ETCD_VERSION=${ETCD_VERSION:-v3.6.8}
HELM_VERSION=${HELM_VERSION:-v3.21.4}
CACHE=${GITOPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shoehorn-gitops-tools}

log() { echo "[build-tools] $*" >&2; }

ASSETS="$CACHE/k8s-$KUBE_VERSION-etcd-$ETCD_VERSION"
HELM_DIR="$CACHE/helm-$HELM_VERSION"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

build_kube_apiserver() {
  [ -x "$ASSETS/kube-apiserver" ] && return
  log "building kube-apiserver $KUBE_VERSION (several minutes, once)"
  local work; work=$(mktemp -d); pushd "$work" >/dev/null
  local staging="v0.${KUBE_VERSION#v1.}" minor; minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  go mod init local/kube-tools >/dev/null 2>&1
  go mod edit -go=1.25.0 -godebug=default=go1.25
  local modfile; modfile=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  # Every staging module k8s.io/kubernetes requires at v0.0.0 needs a replace here.
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) v0\.0\.0$#\1#p' "$modfile"); do
    go mod edit -replace="$m=$m@$staging"
  done
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" >&2
  local V=k8s.io/component-base/version C=k8s.io/client-go/pkg/version
  mkdir -p "$ASSETS"
  CGO_ENABLED=0 go build -trimpath -tags=selinux,notest -o "$ASSETS/kube-apiserver.tmp" \
    -ldflags "-s -w -X $V.gitVersion=$KUBE_VERSION -X $V.gitMajor=1 -X $V.gitMinor=$minor -X $V.gitTreeState=clean -X $C.gitVersion=$KUBE_VERSION -X $C.gitMajor=1 -X $C.gitMinor=$minor" \
    k8s.io/kubernetes/cmd/kube-apiserver
  mv "$ASSETS/kube-apiserver.tmp" "$ASSETS/kube-apiserver"
  popd >/dev/null; rm -rf "$work"
}

build_etcd() {
  [ -x "$ASSETS/etcd" ] && return
  log "building etcd $ETCD_VERSION"
  local work; work=$(mktemp -d); pushd "$work" >/dev/null
  go mod init local/etcd-build >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  mkdir -p "$ASSETS"
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$ASSETS/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$ASSETS/etcd.tmp" "$ASSETS/etcd"
  popd >/dev/null; rm -rf "$work"
}

build_helm() {
  [ -x "$HELM_DIR/helm" ] && return
  log "building helm $HELM_VERSION"
  local work; work=$(mktemp -d); pushd "$work" >/dev/null
  go mod init local/helm-build >/dev/null 2>&1
  go get "helm.sh/helm/v3@$HELM_VERSION" >&2
  mkdir -p "$HELM_DIR"
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    -o "$HELM_DIR/helm.tmp" helm.sh/helm/v3/cmd/helm
  mv "$HELM_DIR/helm.tmp" "$HELM_DIR/helm"
  popd >/dev/null; rm -rf "$work"
}

case "${1:-all}" in
  kube) build_etcd; build_kube_apiserver ;;
  helm) build_helm ;;
  all) build_etcd; build_kube_apiserver; build_helm ;;
  *) echo "usage: $0 [all|kube|helm]" >&2; exit 2 ;;
esac
echo "export KUBEBUILDER_ASSETS=$ASSETS"
echo "export HELM_BIN=$HELM_DIR/helm"
