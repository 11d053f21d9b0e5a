#!/usr/bin/env bash
# Runs the language model's test files and `bench:lm` on a lent GPU machine (the workplace's
# `device` tool), which has no Node, no npm registry and maybe no Vulkan loader. Everything comes
# with the working tree, in three ignored folders named in the call's `carry`:
#   .gpu/bundle.tar.xz  this machine's node binary (bin/node) and the runtime node_modules the LM
#                       tests and the bench load (scripts/pack-device.sh makes it);
#   .gl/*.deb           the Vulkan loader (libvulkan1), unpacked into / when none is installed;
#   dist/               the build (`npm run build`).
# Logs go to $OUT (tests.log, bench.log, adapter.txt); the last lines printed are the summary.
#
# Usage (device tool): carry [".gpu", ".gl", "dist"], command "bash scripts/device-gpu.sh".
# Steps have their own time limits (TEST_LIMIT_S, BENCH_LIMIT_S) so one hang cannot eat the lease.
set -u
out=${OUT:-/tmp/gns-device-out}
mkdir -p "$out"
TEST_LIMIT_S=${TEST_LIMIT_S:-270}
BENCH_LIMIT_S=${BENCH_LIMIT_S:-200}

# ---- the Vulkan loader and the NVIDIA driver ---------------------------------------------------
# NVIDIA's Vulkan driver lives in libGLX_nvidia, which needs glvnd's dispatch libraries: the
# image has neither those nor the loader, so .gl carries all of them (the device README's list).
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
# The image keeps NVIDIA's driver manifest outside the loader's search path. Adding it (rather
# than replacing the search path) keeps the loader's driver filters working, which a test uses.
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -e "$nvidia_icd" ] && ! compgen -G '/usr/share/vulkan/icd.d/nvidia*.json' >/dev/null && ! compgen -G '/etc/vulkan/icd.d/nvidia*.json' >/dev/null; then
  export VK_ADD_DRIVER_FILES=$nvidia_icd
fi

# ---- node and the modules ----------------------------------------------------------------------
mkdir -p /tmp/gns-node
tar xJf .gpu/bundle.tar.xz -C /tmp/gns-node
export PATH=/tmp/gns-node/bin:$PATH
rm -rf node_modules
ln -s /tmp/gns-node/node_modules node_modules

probe_adapter() {
  node --input-type=module -e "
    import { GpuKernels } from './dist/src/lm/engine/gpu/kernels.js';
    const k = await GpuKernels.create();
    console.log(JSON.stringify(k.adapter));
    await k.close();"
}
# An older loader ignores VK_ADD_DRIVER_FILES: then name the manifest as the only driver.
if [ -n "${VK_ADD_DRIVER_FILES:-}" ] && ! probe_adapter >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$nvidia_icd
fi

{
  env | grep -E '^VK_' || true
  nvidia-smi -L
  nproc
  node --version
  probe_adapter
} 2>&1 | tee "$out/adapter.txt"

# ---- the LM tests, GPU ones included (auto picks the GPU here: it is a hardware adapter) --------
# lm-cli.test.js builds its corpus with the cross compilers, which that machine lacks; the CLI is
# run below instead, on a corpus built here (.gpu/corpus, from `gns data build`).
set -o pipefail
tests=$(ls dist/test/lm-*.test.js | grep -v lm-cli)
timeout "$TEST_LIMIT_S" node --test --test-concurrency=6 $tests >"$out/tests.log" 2>&1
echo "tests exit $?" | tee -a "$out/tests.log"

# ---- the CLI: gns train on each backend, and what auto picks ------------------------------------
if [ -d .gpu/corpus ]; then
  cfg=/tmp/gns-tiny.json
  vocab=$(node -p "JSON.parse(require('fs').readFileSync('.gpu/corpus/manifest.json', 'utf8')).vocab.size")
  echo '{"vocab":'$vocab',"dModel":16,"nHeads":2,"dFF":32,"encoderLayers":1,"decoderLayers":1,"maxLen":72,"tiedEmbeddings":true,"positions":"sinusoidal"}' >$cfg
  for backend in gpu cpu auto; do
    timeout 120 node bin/gns.js train --config $cfg --data .gpu/corpus --steps 20 --batch 4 --lr 3e-3 --out /tmp/gns-model-$backend --backend $backend --json >"$out/train-$backend.json" 2>"$out/train-$backend.err"
    echo "gns train --backend $backend: exit $?"
    node -e "const s = JSON.parse(require('fs').readFileSync('$out/train-$backend.json', 'utf8')); console.log(s.backend, '|', s.backendNote, '| loss', s.loss.first, '->', s.loss.last)" 2>&1 | head -3
    head -c 400 "$out/train-$backend.err"
  done
fi

# ---- the benchmark -----------------------------------------------------------------------------
timeout "$BENCH_LIMIT_S" node dist/bench/lm.js --runs 15 2>&1 | tee "$out/bench.log"
echo "bench exit $?"

echo '---- summary ----'
grep -E '^# (tests|pass|fail|skipped|cancelled)|^not ok|GPU adapter' "$out/tests.log" | sort | uniq -c | head -40
grep -E 'duration_ms: [0-9]{5,}' -B3 "$out/tests.log" | grep -E '^(ok|not ok)' | head -10
tail -1 "$out/bench.log"
