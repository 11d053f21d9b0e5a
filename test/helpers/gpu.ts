// Opens the GPU backend for a test file, or gives the reason it cannot run here, so the GPU tests
// skip with an explicit message where Dawn finds no adapter. `npm run setup` installs Mesa's
// lavapipe (a software Vulkan driver), so on CI and on a fresh Debian machine they run for real.

import { GpuKernels, GpuUnavailableError } from '../../src/lm/engine/gpu/kernels.js';

/** The kernels on the first adapter Dawn offers (software ones included), or why there are none. */
export async function openGpu(): Promise<GpuKernels | string> {
  try {
    return await GpuKernels.create({ allowFallback: true });
  } catch (e) {
    if (e instanceof GpuUnavailableError) return `skipped: ${e.message}; the GPU tests run where Dawn finds a WebGPU adapter`;
    throw e;
  }
}
