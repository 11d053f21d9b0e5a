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

# The GPU backend's tests need a WebGPU adapter. Where the machine has no GPU, Dawn can run on
# Mesa's lavapipe, a software Vulkan driver; Debian 12's lavapipe (Mesa 22.3) lacks features Dawn
# requires, so on bookworm it comes from bookworm-backports (Mesa 25).
if ! dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -qE '^(2[3-9]|[3-9][0-9])\.'; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  echo "setup: installing Mesa's Vulkan drivers (lavapipe) for the GPU backend's tests" >&2
  if [ "$codename" = bookworm ]; then
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo 'deb http://deb.debian.org/debian bookworm-backports main' | $SUDO tee /etc/apt/sources.list.d/gns-bookworm-backports.list >/dev/null
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
  else
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
  fi
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi

npm run --silent build
