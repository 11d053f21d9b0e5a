// Which engine runs the model: the GPU backend (WGSL kernels on Dawn), the CPU backend
// (WebAssembly SIMD kernels on worker threads) or the float64 reference (the oracle; slow).
// 'auto', the default, takes the GPU when Dawn finds a hardware adapter and the CPU otherwise: a
// software adapter (Mesa's lavapipe) is correct but slower than the CPU backend, so only an
// explicit `--backend gpu` uses one. A small decode (few rows of a small model per step) also
// stays on the CPU under 'auto': each GPU step waits for its logits, and with little work per step
// that round trip costs more than the CPU's arithmetic. `GNS_BACKEND` sets the choice where no
// flag does.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CpuKernels } from './cpu/kernels.js';
import { GpuKernels, GpuUnavailableError, type GpuAdapterInfo } from './gpu/kernels.js';

/** How long the adapter probe may take (starting Node and Dawn, opening the driver). */
const PROBE_TIMEOUT_MS = 30_000;

/** The engines. */
export type BackendName = 'gpu' | 'cpu' | 'reference';

/** What a user may ask for. */
export type BackendRequest = BackendName | 'auto';

export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'gpu', 'cpu', 'reference'];

/** An opened engine, with why it was chosen. */
export type Backend =
  | { readonly name: 'gpu'; readonly kernels: GpuKernels; readonly note: string }
  | { readonly name: 'cpu'; readonly kernels: CpuKernels; readonly note: string }
  | { readonly name: 'reference'; readonly note: string };

/** Raised when `gpu` is asked for and there is none; the message says why. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** Options of {@link openBackend}. */
export interface OpenBackendOptions {
  /** Threads of the CPU backend (default: every core). */
  readonly threads?: number;
  /** For decoding: the rows each step runs (sources x beam) and the model's parameter count. */
  readonly decode?: { readonly rows: number; readonly parameters: number };
}

/**
 * Under this much work per decoding step (parameters x rows), 'auto' decodes on the CPU. Measured
 * on an H200 against 16 Xeon cores (bench:lm, a 5M-parameter model): 8 rows ran at 0.64x the CPU
 * backend on the GPU, 32 rows at 1.6x; the threshold sits between, at 16 rows of that model.
 */
export const GPU_DECODE_MIN_WORK = 16 * 5e6;

/** Whether `x` names a backend request. */
export function isBackendRequest(x: string): x is BackendRequest {
  return (BACKEND_REQUESTS as readonly string[]).includes(x);
}

/**
 * Opens the engine `request` names (see the file comment for 'auto'). Throws
 * {@link BackendUnavailableError} for `gpu` where Dawn finds no adapter. Close a GPU or CPU
 * backend's kernels when done.
 */
export async function openBackend(request: BackendRequest, options: OpenBackendOptions = {}): Promise<Backend> {
  const cpu = async (note: string): Promise<Backend> => ({ name: 'cpu', kernels: await CpuKernels.create(options.threads !== undefined ? { threads: options.threads } : {}), note });
  switch (request) {
    case 'reference':
      return { name: 'reference', note: 'the float64 reference, as asked' };
    case 'cpu':
      return cpu('the CPU backend, as asked');
    case 'gpu': {
      // Asked in a child first: where there is no adapter, Dawn's complaints stay off stderr.
      const probe = await probeAdapter();
      if ('unavailable' in probe) throw new BackendUnavailableError(`--backend gpu: no GPU backend: ${probe.unavailable}; use --backend cpu`);
      try {
        const kernels = await GpuKernels.create({ allowFallback: true });
        return { name: 'gpu', kernels, note: `the GPU backend, as asked, on ${describe(kernels)}` };
      } catch (e) {
        if (e instanceof GpuUnavailableError) throw new BackendUnavailableError(`--backend gpu: ${e.message}; use --backend cpu`);
        throw e;
      }
    }
    case 'auto': {
      const work = options.decode && options.decode.rows * options.decode.parameters;
      if (work !== undefined && work < GPU_DECODE_MIN_WORK) {
        const { rows, parameters } = options.decode!;
        return cpu(`auto: the CPU backend (${rows} row(s) per step of a model of ${parameters.toLocaleString('en-US')} parameters: too little work per step for a GPU to pay for its round trip; --backend gpu uses one)`);
      }
      const probe = await probeAdapter();
      if ('unavailable' in probe) return cpu(`auto: the CPU backend (no GPU: ${probe.unavailable})`);
      if (probe.adapter.fallback) return cpu(`auto: the CPU backend (the only WebGPU adapter, ${probe.adapter.description}, is a software one; --backend gpu uses it)`);
      try {
        const kernels = await GpuKernels.create({ allowFallback: false });
        return { name: 'gpu', kernels, note: `auto: the GPU backend on ${describe(kernels)}` };
      } catch (e) {
        if (e instanceof GpuUnavailableError) return cpu(`auto: the CPU backend (no GPU: ${e.reason})`);
        throw e;
      }
    }
  }
}

/** Which adapter Dawn offers, asked in a child process (see gpu/probe.ts), or why there is none. */
function probeAdapter(): Promise<{ adapter: GpuAdapterInfo } | { unavailable: string }> {
  const script = fileURLToPath(new URL('./gpu/probe.js', import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { timeout: PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as { adapter: GpuAdapterInfo } | { unavailable: string };
        if ('adapter' in parsed || 'unavailable' in parsed) return resolve(parsed);
      } catch {
        // Reported below.
      }
      resolve({ unavailable: `the adapter probe failed (${error?.killed ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : (error?.message.split('\n')[0] ?? 'no output')})` });
    });
  });
}

function describe(kernels: GpuKernels): string {
  const a = kernels.adapter;
  return `${a.description || a.device || a.vendor}${a.fallback ? ' (a software adapter)' : ''}`;
}
