// Compiles the AssemblyScript CPU kernels (kernels/cpu/*.ts) into dist/kernels/cpu.wasm: optimised,
// with SIMD and threads, importing one shared memory (env.memory) that every worker instantiates
// the module on. A second build, cpu-fma.wasm, adds relaxed SIMD for fused multiply-adds in the
// matmul; the loader uses it where the runtime accepts it (Node 22+, or a V8 flag on Node 20).
// The WGSL GPU kernels (kernels/gpu/*.wgsl) are copied to dist/kernels/gpu, where the GPU backend
// loads them. Runs as part of `npm run build`; skipped when the outputs are newer than their sources.
import asc from 'assemblyscript/asc';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const srcDir = join('kernels', 'cpu');
const outDir = join('dist', 'kernels');
const builds = [
  { out: join(outDir, 'cpu.wasm'), features: 'simd,threads' },
  { out: join(outDir, 'cpu-fma.wasm'), features: 'simd,threads,relaxed-simd' },
];
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.ts')).map((f) => join(srcDir, f));
const newest = Math.max(statSync('scripts/build-kernels.mjs').mtimeMs, ...sources.map((f) => statSync(f).mtimeMs));

mkdirSync(outDir, { recursive: true });
for (const { out, features } of builds) {
  if (existsSync(out) && statSync(out).mtimeMs >= newest) continue;
  await compile(out, features);
}

const gpuDir = join('kernels', 'gpu');
mkdirSync(join(outDir, 'gpu'), { recursive: true });
for (const f of readdirSync(gpuDir).filter((f) => f.endsWith('.wgsl'))) copyFileSync(join(gpuDir, f), join(outDir, 'gpu', f));

async function compile(out, features) {
  const { error, stderr } = await asc.main([
    join(srcDir, 'index.ts'),
    '--outFile', out,
    '-O3', '--noAssert',
    // No allocations happen in the kernels: the stub runtime keeps the module free of a GC.
    '--runtime', 'stub',
    '--enable', features,
    '--importMemory', '--sharedMemory',
    // 65536 pages = 4 GiB, the wasm32 limit; the loader picks the actual maximum.
    '--initialMemory', '1', '--maximumMemory', '65536',
  ]);
  if (error) {
    process.stderr.write(stderr.toString());
    console.error(`build-kernels: ${error.message}`);
    process.exit(1);
  }
  console.log(`compiled ${out}`);
}
