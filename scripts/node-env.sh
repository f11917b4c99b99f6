# Sourced by the README commands and .ci/run: puts a Node >= 22.19 first on PATH.
# Keeps the system Node when it is new enough; otherwise installs Node 22 from the npm
# registry (the platform package that `node@22` itself installs) into .tools/, ignored by git.
# Sets npm_config_nodedir so native modules (better-sqlite3) build against local headers.

_gitops_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

_gitops_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)'
}

if ! _gitops_node_ok; then
  _gitops_pkg="node-$(uname -s | tr 'A-Z' 'a-z')-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
  _gitops_node_dir="$_gitops_root/.tools/node22/node_modules/$_gitops_pkg"
  if [ ! -x "$_gitops_node_dir/bin/node" ]; then
    echo "[node-env] installing $_gitops_pkg@22 into .tools/node22" >&2
    mkdir -p "$_gitops_root/.tools/node22"
    npm install --no-save --no-audit --no-fund --prefix "$_gitops_root/.tools/node22" "$_gitops_pkg@22" >&2
  fi
  export PATH="$_gitops_node_dir/bin:$PATH"
fi

export npm_config_nodedir="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
if [ ! -d "$npm_config_nodedir/include/node" ]; then
  echo "[node-env] warning: no headers in $npm_config_nodedir/include/node; native modules may fail" >&2
fi
unset _gitops_root _gitops_pkg _gitops_node_dir
unset -f _gitops_node_ok
