#!/usr/bin/env bash
# Packs what scripts/device-gpu.sh needs on a lent GPU machine that has no Node: this machine's
# node binary and the runtime modules the LM tests and bench:lm load, x86-64 Linux builds only
# (the full node_modules is over the device tool's 64 MiB), into .gpu/bundle.tar.xz (~45 MiB),
# and the Vulkan loader's and glvnd's .debs into .gl/ (NVIDIA's Vulkan driver is libGLX_nvidia, which
# needs glvnd's dispatch libraries). Both folders are kept out of git by .git/info/exclude.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qx '/.gpu/' .git/info/exclude || echo /.gpu/ >>.git/info/exclude
grep -qx '/.gl/' .git/info/exclude || echo /.gl/ >>.git/info/exclude
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/node_modules" .gpu .gl
cp "$(command -v node)" "$stage/bin/node"
tar cf - --exclude='*.d.ts' --exclude='*.map' -C node_modules @lezer async-mutex tslib z3-solver onnxruntime-common |
  tar xf - -C "$stage/node_modules"
nm="$stage/node_modules"
mkdir -p "$nm/webgpu/dist" "$nm/onnxruntime-node/bin/napi-v6/linux"
cp node_modules/webgpu/{index.js,package.json} "$nm/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$nm/webgpu/dist/"
cp -r node_modules/onnxruntime-node/{package.json,dist,lib} "$nm/onnxruntime-node/"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 "$nm/onnxruntime-node/bin/napi-v6/linux/"
tar cf - -C "$stage" bin node_modules | xz -6 -T0 >.gpu/bundle.tar.xz
lists=$(mktemp -d)
o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
apt-get $o update >/dev/null
(cd .gl && apt-get $o download libvulkan1 libglvnd0 libglx0 libgl1 libegl1 libgles2 libopengl0)
rm -rf "$lists"
ls -la .gpu .gl
