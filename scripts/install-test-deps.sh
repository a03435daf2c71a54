#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine of the project's image (Debian 12, .NET SDK, Node, Python):
# Debian tools used as independent oracles, and the npm XenAPI client into a git-ignored folder.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(qemu-utils xxhash zstd libzstd1 gzip tar python3 nodejs npm curl)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from another install than Debian's packages: don't ask apt for them then.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if command -v python3 >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == python3 ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  echo "install-test-deps: apt-get install ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

npm_missing=0
for pkg in xen-api vhd-lib @xen-orchestra/xva smtp-server; do
  [[ -f tests/third-party/node_modules/$pkg/package.json ]] || npm_missing=1
done
if ((npm_missing)); then
  echo "install-test-deps: npm install (tests/third-party)"
  (cd tests/third-party && npm install --no-audit --no-fund --no-package-lock --loglevel=error)
fi
