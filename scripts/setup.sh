#!/usr/bin/env bash
# Installs what gns and its tests need on a Debian machine: the cross toolchains, qemu-user,
# csmith, llvm and gcc-12-source (gcc's C test programs, for the corpus) from apt (only when missing, so it is cheap to chain before every test run),
# then the npm dependencies, then the build.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu qemu-user csmith libcsmith-dev llvm libunicorn2 libunicorn-dev gcc-12-source)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi

npm run --silent build
