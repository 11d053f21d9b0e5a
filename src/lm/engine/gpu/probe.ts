// Run as its own process by the automatic backend choice (src/lm/engine/backend.ts): asks Dawn
// which WebGPU adapter it offers and prints one JSON line. Software Vulkan drivers print warnings
// on stderr when Dawn opens them; doing this in a child keeps them out of the user's terminal.

import { GpuKernels, GpuUnavailableError } from './kernels.js';

try {
  process.stdout.write(JSON.stringify({ adapter: await GpuKernels.adapterInfo() }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ unavailable: e instanceof GpuUnavailableError ? e.reason : (e as Error).message }) + '\n');
}
process.exit(0);
