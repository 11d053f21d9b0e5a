// Opens the GPU backend for a test file, or gives the reason it cannot run here, so the GPU tests
// skip with an explicit message where Dawn finds no adapter. `npm run setup` installs Mesa's
// lavapipe (a software Vulkan driver), so on CI and on a fresh Debian machine they run for real.

import { after, before, type TestContext } from 'node:test';
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

/**
 * Opens the GPU once for the calling test file (and closes it after its tests). Each test calls
 * the returned function: it gives the kernels, or marks the test skipped with the reason and
 * gives undefined.
 */
export function gpuSuite(): (t: TestContext) => GpuKernels | undefined {
  let opened: GpuKernels | string = 'not opened';
  before(async () => {
    opened = await openGpu();
    if (typeof opened !== 'string') console.log(`# GPU adapter: ${opened.adapter.description}${opened.adapter.fallback ? ' (software)' : ''}`);
  });
  after(async () => {
    if (typeof opened !== 'string') await opened.close();
  });
  return (t) => {
    if (typeof opened === 'string') {
      t.skip(opened);
      return undefined;
    }
    return opened;
  };
}
