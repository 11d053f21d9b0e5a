// The CPU backend's compute kernels: AssemblyScript compiled to WebAssembly SIMD (dist/kernels/
// cpu.wasm, or cpu-fma.wasm with relaxed-SIMD fused multiply-adds), run by the main thread plus a
// pool of worker threads that all instantiate the module on one shared WebAssembly.Memory.
// Tensors are f32 (and i32 index) buffers carved out of that memory by a bump allocator. Each call
// is cut into chunks that own disjoint outputs and compute them in a fixed order: results are
// bit-identical for any thread count. Calls are synchronous; the main thread claims chunks too.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import {
  ARGS_BYTE, CHUNKS, CTL_BYTE, CTL_END, CTL_INTS, ERR, FINISHED, KERNELS, KIND, MAX_ARGS, MAX_CHUNKS, NARGS, NEXT,
  SEQ, SPIN, STOP, jobTag, kernelFns, runChunks, type KernelFn, type KernelName, type WorkerInit,
} from './protocol.js';

const PAGE = 65536;
const ALIGN = 64;
/** Below these sizes a call runs on the main thread alone: waking the workers would cost more. */
const PAR_MIN_FLOPS = 1 << 18;
const PAR_MIN_ELEMENTS = 1 << 14;
/** Chunks per thread for a split call: enough for a late thread to cost little, few enough that
 *  per-chunk overheads (re-packing, re-streaming) stay small. */
const CHUNKS_PER_THREAD = 4;

/** An f32 tensor in the kernels' shared memory. `data` views it (it stays valid as memory grows). */
export interface F32Buffer {
  /** Byte offset in the wasm memory. */
  readonly ptr: number;
  readonly length: number;
  readonly data: Float32Array;
}

/** An i32 tensor (token ids, targets) in the kernels' shared memory. */
export interface I32Buffer {
  readonly ptr: number;
  readonly length: number;
  readonly data: Int32Array;
}

/** Options of {@link CpuKernels.create}. */
export interface CpuKernelsOptions {
  /** Threads per call, main thread included (default `os.availableParallelism()`). */
  readonly threads?: number;
  /** Upper bound of the shared memory in bytes (default and most: 4 GiB, the wasm32 limit). */
  readonly maxMemoryBytes?: number;
  /** Arena bytes reserved at start; it grows on demand (default 16 MiB). */
  readonly initialArenaBytes?: number;
  /**
   * Whether to use the relaxed-SIMD build (fused multiply-adds in matmul, ~1.3x faster there).
   * 'auto' (default): when this runtime accepts relaxed SIMD (Node 22+, or Node 20 started with
   * --experimental-wasm-relaxed-simd). true: also on Node 20 without the flag, by setting that V8
   * flag process-wide at run time. false: never. Either build is deterministic on its own, but the
   * two round matmul differently.
   */
  readonly relaxedSimd?: boolean | 'auto';
  /** A compiled kernel module to use instead (a path to a build of kernels/cpu). */
  readonly wasmPath?: string | URL;
}

/** Which build of the kernels a CpuKernels runs. */
export type KernelVariant = 'simd128' | 'simd128-fma';

/** Options of {@link CpuKernels.matmul}. */
export interface MatmulOptions {
  /** A is stored [K][M] and used transposed. */
  readonly transA?: boolean;
  /** B is stored [N][K] and used transposed. */
  readonly transB?: boolean;
  /** C += op(A)·op(B) instead of C = op(A)·op(B). */
  readonly accumulate?: boolean;
}

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

function compileKernels(path: string | URL): Promise<WebAssembly.Module> {
  const key = String(path);
  let m = moduleCache.get(key);
  if (!m) {
    m = WebAssembly.compile(readFileSync(path));
    moduleCache.set(key, m);
  }
  return m;
}

const KERNEL_DIR = new URL('../../../../kernels/', import.meta.url);

/** The build to load for an options.relaxedSimd setting. */
function chooseVariant(relaxedSimd: boolean | 'auto'): { variant: KernelVariant; path: URL } {
  const plain = { variant: 'simd128' as const, path: new URL('cpu.wasm', KERNEL_DIR) };
  if (relaxedSimd === false) return plain;
  const fma = { variant: 'simd128-fma' as const, path: new URL('cpu-fma.wasm', KERNEL_DIR) };
  const bytes = readFileSync(fma.path);
  if (WebAssembly.validate(bytes)) return fma;
  if (relaxedSimd === 'auto') return plain;
  // Node 20's V8 (11.3) implements relaxed SIMD behind this flag; wasm features are read when a
  // module is compiled, so setting it now takes effect for this and every later compile.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (!WebAssembly.validate(bytes)) throw new Error('CpuKernels: this runtime has no relaxed SIMD');
  return fma;
}

function alignUp(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

function need(cond: boolean, what: string): void {
  if (!cond) throw new RangeError(`CpuKernels: ${what}`);
}

function checkDims(...dims: number[]): void {
  for (const d of dims) need(Number.isInteger(d) && d >= 0 && d < 2 ** 31, `bad dimension ${d}`);
}

/** CPU compute kernels over a shared wasm memory and a pool of worker threads. */
export class CpuKernels {
  /** Threads each call is split across (the main thread is one of them). */
  readonly threads: number;
  /** The shared memory holding every buffer. */
  readonly memory: WebAssembly.Memory;
  /** The kernel build in use. */
  readonly variant: KernelVariant | 'custom';
  private readonly fns: KernelFn[];
  private readonly workers: Worker[];
  private readonly errorPorts: MessagePort[];
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private readonly scratch: number;
  private readonly scratchBytes: number;
  private readonly arenaBase: number;
  private readonly maxBytes: number;
  /** The matmul register tile: MR rows by NR columns. */
  private readonly mr: number;
  private readonly nr: number;
  private top: number;
  private seq = 0;
  private closed = false;

  private constructor(init: {
    threads: number; memory: WebAssembly.Memory; variant: KernelVariant | 'custom'; fns: KernelFn[]; workers: Worker[];
    errorPorts: MessagePort[]; scratch: number; scratchBytes: number; arenaBase: number; maxBytes: number; mr: number; nr: number;
  }) {
    this.threads = init.threads;
    this.memory = init.memory;
    this.variant = init.variant;
    this.fns = init.fns;
    this.workers = init.workers;
    this.errorPorts = init.errorPorts;
    this.ctl = new Int32Array(init.memory.buffer, CTL_BYTE, CTL_INTS);
    this.args = new Float64Array(init.memory.buffer, ARGS_BYTE, MAX_ARGS);
    this.scratch = init.scratch;
    this.scratchBytes = init.scratchBytes;
    this.arenaBase = init.arenaBase;
    this.maxBytes = init.maxBytes;
    this.mr = init.mr;
    this.nr = init.nr;
    this.top = init.arenaBase;
  }

  /** Compiles (once per process) and instantiates the kernels, and starts `threads - 1` workers. */
  static async create(options: CpuKernelsOptions = {}): Promise<CpuKernels> {
    const threads = options.threads ?? availableParallelism();
    need(Number.isInteger(threads) && threads >= 1 && threads <= 256, `bad thread count ${threads}`);
    const chosen = options.wasmPath === undefined ? chooseVariant(options.relaxedSimd ?? 'auto') : { variant: 'custom' as const, path: options.wasmPath };
    const module = await compileKernels(chosen.path);
    const maxBytes = Math.min(options.maxMemoryBytes ?? 2 ** 32, 2 ** 32);
    // Read the module's constants from a private instance on a throwaway memory.
    const probe = new WebAssembly.Instance(module, {
      env: { memory: new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true }) },
    });
    const constant = (name: string): number => {
      const g = probe.exports[name];
      need(g instanceof WebAssembly.Global, `the kernel module does not export ${name}`);
      return Number((g as WebAssembly.Global).value);
    };
    const scratchBytes = alignUp(constant('MM_SCRATCH_BYTES'), ALIGN);
    const mr = constant('MM_MR');
    const nr = constant('MM_NR');
    const scratch = CTL_END;
    const arenaBase = alignUp(scratch + threads * scratchBytes, ALIGN);
    const initialBytes = arenaBase + (options.initialArenaBytes ?? 16 << 20);
    const maxPages = Math.floor(maxBytes / PAGE);
    need(initialBytes <= maxPages * PAGE, `maxMemoryBytes ${maxBytes} is below the ${initialBytes} bytes needed`);
    const memory = new WebAssembly.Memory({ initial: Math.ceil(initialBytes / PAGE), maximum: maxPages, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const workers: Worker[] = [];
    const errorPorts: MessagePort[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const { port1, port2 } = new MessageChannel();
      const workerData: WorkerInit = { module, memory, index, errors: port2 };
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData, transferList: [port2] });
      ready.push(new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`CpuKernels worker ${index} exited with code ${code}`)));
      }));
      workers.push(worker);
      errorPorts.push(port1);
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    for (const w of workers) {
      w.removeAllListeners();
      // A pool left open must not keep the process alive (only once started: an unref'd worker
      // would let the process exit while create() still awaits it).
      w.unref();
    }
    for (const p of errorPorts) p.unref();
    return new CpuKernels({
      threads, memory, variant: chosen.variant, fns: kernelFns(instance), workers, errorPorts, scratch, scratchBytes, arenaBase, maxBytes, mr, nr,
    });
  }

  /** Stops the workers. The buffers' views stay readable; no kernel may run afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, STOP, 1);
    Atomics.store(this.ctl, SEQ, ++this.seq);
    Atomics.notify(this.ctl, SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const p of this.errorPorts) p.close();
  }

  // ---- allocation -------------------------------------------------------------------------

  /** A new f32 buffer of `length` elements (64-byte aligned, contents unspecified). */
  alloc(length: number): F32Buffer {
    checkDims(length);
    const ptr = this.reserve(length * 4);
    return { ptr, length, data: new Float32Array(this.memory.buffer, ptr, length) };
  }

  /** A new f32 buffer holding a copy of `values`. */
  f32(values: ArrayLike<number>): F32Buffer {
    const b = this.alloc(values.length);
    b.data.set(values);
    return b;
  }

  /** A new f32 buffer of `length` zeros. */
  zeros(length: number): F32Buffer {
    const b = this.alloc(length);
    b.data.fill(0);
    return b;
  }

  /** Sets every element of `b` to 0. */
  fill0(b: F32Buffer): void {
    b.data.fill(0);
  }

  /** Copies `values` (rounded to f32) into the start of `b`. */
  write(b: F32Buffer, values: ArrayLike<number>): void {
    need(values.length <= b.length, `${values.length} values for a buffer of ${b.length}`);
    b.data.set(values);
  }

  /** Buffers of the given lengths in one allocation (`whole` spans the `parts`, which are views of it). */
  pack(lengths: readonly number[]): { whole: F32Buffer; parts: F32Buffer[] } {
    const whole = this.alloc(lengths.reduce((a, b) => a + b, 0));
    let offset = 0;
    const parts = lengths.map((length) => {
      const part = { ptr: whole.ptr + offset * 4, length, data: whole.data.subarray(offset, offset + length) };
      offset += length;
      return part;
    });
    return { whole, parts };
  }

  /** A new i32 buffer of `length` elements, or holding a copy of `values`. */
  i32(lengthOrValues: number | ArrayLike<number>): I32Buffer {
    const length = typeof lengthOrValues === 'number' ? lengthOrValues : lengthOrValues.length;
    checkDims(length);
    const ptr = this.reserve(length * 4);
    const data = new Int32Array(this.memory.buffer, ptr, length);
    if (typeof lengthOrValues !== 'number') data.set(lengthOrValues);
    return { ptr, length, data };
  }

  /** The current top of the arena, to hand to {@link release} later. */
  mark(): number {
    return this.top;
  }

  /** Frees every buffer allocated since `mark` (their views must no longer be used). */
  release(mark: number): void {
    need(mark >= this.arenaBase && mark <= this.top, `bad arena mark ${mark}`);
    this.top = mark;
  }

  /** Frees every buffer. */
  reset(): void {
    this.top = this.arenaBase;
  }

  /** Bytes of arena in use. */
  get usedBytes(): number {
    return this.top - this.arenaBase;
  }

  private reserve(bytes: number): number {
    const ptr = alignUp(this.top, ALIGN);
    this.ensure(ptr + bytes);
    this.top = ptr + bytes;
    return ptr;
  }

  /** Space above the arena top for one call's temporaries; not kept after the call. */
  private temp(bytes: number): number {
    const ptr = alignUp(this.top, ALIGN);
    this.ensure(ptr + bytes);
    return ptr;
  }

  private ensure(end: number): void {
    const size = this.memory.buffer.byteLength;
    if (end <= size) return;
    need(end <= this.maxBytes, `out of memory: ${end} bytes needed, maximum ${this.maxBytes}`);
    // Grow by at least a quarter so a sequence of small allocations does not grow page by page.
    const want = Math.min(Math.max(end, size + (size >> 2)), Math.floor(this.maxBytes / PAGE) * PAGE);
    this.memory.grow(Math.ceil((want - size) / PAGE));
  }

  // ---- dispatch ---------------------------------------------------------------------------

  /** How many chunks to cut `units` independent pieces of work into, `work` being its size. */
  private chunksFor(units: number, work: number, minWork = PAR_MIN_ELEMENTS): number {
    if (this.threads === 1 || work < minWork) return 1;
    return Math.max(1, Math.min(units, CHUNKS_PER_THREAD * this.threads, MAX_CHUNKS - 1));
  }

  /** Runs kernel `name` in `chunks` chunks, claimed by the main thread and the workers. */
  private run(name: KernelName, args: readonly number[], chunks: number): void {
    need(!this.closed, 'closed');
    const kind = KERNELS.indexOf(name);
    if (chunks <= 1 || this.threads === 1) {
      this.fns[kind]!(...args, 0, 1, 0);
      return;
    }
    const ctl = this.ctl;
    for (let i = 0; i < args.length; i++) this.args[i] = args[i]!;
    Atomics.store(ctl, NARGS, args.length);
    Atomics.store(ctl, KIND, kind);
    Atomics.store(ctl, CHUNKS, chunks);
    Atomics.store(ctl, FINISHED, 0);
    Atomics.store(ctl, ERR, 0);
    const seq = ++this.seq;
    // The tag goes in before SEQ moves: a worker that sees the new SEQ sees this job's counter.
    Atomics.store(ctl, NEXT, jobTag(seq));
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
    let mainError: unknown;
    runChunks(ctl, this.args, this.fns, seq, 0, (e) => {
      mainError ??= e;
    });
    let spins = 0;
    for (let done = Atomics.load(ctl, FINISHED); done < chunks; done = Atomics.load(ctl, FINISHED)) {
      if (++spins > SPIN) Atomics.wait(ctl, FINISHED, done);
    }
    if (mainError !== undefined) throw mainError;
    const failed = Atomics.load(ctl, ERR);
    if (failed !== 0) {
      const messages: string[] = [];
      for (const p of this.errorPorts) {
        for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) messages.push(String(m.message));
      }
      throw new Error(`CpuKernels ${name}: ${failed} chunk(s) failed in a worker: ${messages.join('; ')}`);
    }
  }

  private checkBuf(b: F32Buffer | I32Buffer, length: number, what: string): void {
    need(b.length >= length, `${what} has ${b.length} elements, needs ${length}`);
    need(b.ptr >= this.arenaBase && b.ptr + length * 4 <= this.memory.buffer.byteLength, `${what} is not a buffer of this CpuKernels`);
  }

  // ---- kernels ----------------------------------------------------------------------------

  /**
   * C[m][n] = op(A)·op(B), or C += op(A)·op(B) with `accumulate`. op(A) is m x k: A is stored
   * [m][k] row-major, or [k][m] with `transA`. op(B) is k x n: B is stored [k][n], or [n][k] with
   * `transB`. C must not overlap A or B. Each element is summed in k order in f32.
   */
  matmul(a: F32Buffer, b: F32Buffer, c: F32Buffer, m: number, n: number, k: number, options: MatmulOptions = {}): void {
    checkDims(m, n, k);
    this.checkBuf(a, m * k, 'A');
    this.checkBuf(b, k * n, 'B');
    this.checkBuf(c, m * n, 'C');
    if (m === 0 || n === 0) return;
    const accumulate = options.accumulate ? 1 : 0;
    if (k === 0) {
      if (!accumulate) c.data.fill(0, 0, m * n);
      return;
    }
    const panels = Math.ceil(n / this.nr);
    const flops = 2 * m * n * k;
    const transA = options.transA ? 1 : 0;
    const transB = options.transB ? 1 : 0;
    // Row bands at least 8 tiles tall keep the padded rows of edge tiles rare. Bands of rows share
    // all of B, packed once beforehand; with fewer rows, bands of columns pack their own panels of
    // B as they go (and all of A each, which is small then).
    const rowBands = Math.floor(m / (8 * this.mr));
    const byRows = rowBands >= 2 * this.threads || rowBands >= panels;
    const common = [c.ptr, m, n, k, transA, transB, accumulate, byRows ? 1 : 0, this.scratch, this.scratchBytes];
    if (byRows) {
      const packed = this.temp(panels * this.nr * k * 4);
      this.run('mmPackB', [b.ptr, k, n, transB, packed], this.chunksFor(panels, flops, PAR_MIN_FLOPS));
      this.run('mmCompute', [a.ptr, b.ptr, packed, ...common], this.chunksFor(rowBands, flops, PAR_MIN_FLOPS));
    } else {
      this.run('mmCompute', [a.ptr, b.ptr, 0, ...common], Math.min(this.chunksFor(panels, flops, PAR_MIN_FLOPS), 2 * this.threads));
    }
  }

  /**
   * Softmax over the last axis of x [rows][cols] into y (y may be x). With `causal`, rows are
   * query positions of square score blocks (row r is position r % cols) and key j > r % cols gets 0.
   */
  softmax(x: F32Buffer, y: F32Buffer, rows: number, cols: number, options: { readonly causal?: boolean } = {}): void {
    checkDims(rows, cols);
    this.checkBuf(x, rows * cols, 'x');
    this.checkBuf(y, rows * cols, 'y');
    if (rows === 0 || cols === 0) return;
    this.run('softmax', [x.ptr, y.ptr, rows, cols, options.causal ? 1 : 0], this.chunksFor(rows, rows * cols));
  }

  /** dx = y ⊙ (dy − Σ y⊙dy) per row, from the softmax output y [rows][cols]; dx may be dy. */
  softmaxBackward(y: F32Buffer, dy: F32Buffer, dx: F32Buffer, rows: number, cols: number): void {
    checkDims(rows, cols);
    for (const [buf, what] of [[y, 'y'], [dy, 'dy'], [dx, 'dx']] as const) this.checkBuf(buf, rows * cols, what);
    if (rows === 0 || cols === 0) return;
    this.run('softmaxBackward', [y.ptr, dy.ptr, dx.ptr, rows, cols], this.chunksFor(rows, rows * cols));
  }

  /**
   * Layer norm over the last axis of x [rows][d]: y = (x − mean) / sqrt(var + eps) · gamma + beta
   * (y may be x). Saves per-row `mean` and `rstd` = 1 / sqrt(var + eps) for the backward pass.
   */
  layerNorm(x: F32Buffer, gamma: F32Buffer, beta: F32Buffer, y: F32Buffer, mean: F32Buffer, rstd: F32Buffer, rows: number, d: number, eps = 1e-5): void {
    checkDims(rows, d);
    this.checkBuf(x, rows * d, 'x');
    this.checkBuf(y, rows * d, 'y');
    this.checkBuf(gamma, d, 'gamma');
    this.checkBuf(beta, d, 'beta');
    this.checkBuf(mean, rows, 'mean');
    this.checkBuf(rstd, rows, 'rstd');
    if (rows === 0 || d === 0) return;
    this.run('layerNorm', [x.ptr, gamma.ptr, beta.ptr, y.ptr, mean.ptr, rstd.ptr, rows, d, eps], this.chunksFor(rows, rows * d));
  }

  /**
   * Layer-norm backward from the forward pass's x, gamma, mean and rstd: writes dx (dx may be dy)
   * and ADDS the parameter gradients into dGamma and dBeta (zero them first for a fresh gradient).
   */
  layerNormBackward(x: F32Buffer, gamma: F32Buffer, mean: F32Buffer, rstd: F32Buffer, dy: F32Buffer, dx: F32Buffer, dGamma: F32Buffer, dBeta: F32Buffer, rows: number, d: number): void {
    checkDims(rows, d);
    for (const [buf, what] of [[x, 'x'], [dy, 'dy'], [dx, 'dx']] as const) this.checkBuf(buf, rows * d, what);
    for (const [buf, what] of [[gamma, 'gamma'], [dGamma, 'dGamma'], [dBeta, 'dBeta']] as const) this.checkBuf(buf, d, what);
    this.checkBuf(mean, rows, 'mean');
    this.checkBuf(rstd, rows, 'rstd');
    if (rows === 0 || d === 0) return;
    // Parameters first: the row pass may overwrite dy with dx.
    this.run('layerNormBackwardParams', [x.ptr, mean.ptr, rstd.ptr, dy.ptr, dGamma.ptr, dBeta.ptr, rows, d], this.chunksFor(Math.ceil(d / 4), rows * d));
    this.run('layerNormBackwardRows', [x.ptr, gamma.ptr, mean.ptr, rstd.ptr, dy.ptr, dx.ptr, rows, d], this.chunksFor(rows, rows * d));
  }

  /** y = GELU(x) (tanh approximation) over the first `n` elements (default all of x); y may be x. */
  gelu(x: F32Buffer, y: F32Buffer, n = x.length): void {
    checkDims(n);
    this.checkBuf(x, n, 'x');
    this.checkBuf(y, n, 'y');
    if (n === 0) return;
    this.run('gelu', [x.ptr, y.ptr, n], this.chunksFor(Math.ceil(n / 4), n));
  }

  /** dx = dy ⊙ GELU′(x) over the first `n` elements (default all of x); dx may be dy or x. */
  geluBackward(x: F32Buffer, dy: F32Buffer, dx: F32Buffer, n = x.length): void {
    checkDims(n);
    for (const [buf, what] of [[x, 'x'], [dy, 'dy'], [dx, 'dx']] as const) this.checkBuf(buf, n, what);
    if (n === 0) return;
    this.run('geluBackward', [x.ptr, dy.ptr, dx.ptr, n], this.chunksFor(Math.ceil(n / 4), n));
  }

  /** Gathers rows: out[r] = table[ids[r]] for r < rows; table is [vocab][d], out [rows][d]. */
  embedding(table: F32Buffer, ids: I32Buffer, out: F32Buffer, rows: number, d: number): void {
    checkDims(rows, d);
    this.checkIds(ids, rows, table.length, d, 'ids');
    this.checkBuf(out, rows * d, 'out');
    if (rows === 0 || d === 0) return;
    this.run('embedding', [table.ptr, ids.ptr, out.ptr, rows, d], this.chunksFor(rows, rows * d));
  }

  /** Scatter-add: dTable[ids[r]] += dOut[r] for r < rows, in row order (repeated ids add up). */
  embeddingBackward(dOut: F32Buffer, ids: I32Buffer, dTable: F32Buffer, rows: number, d: number): void {
    checkDims(rows, d);
    this.checkIds(ids, rows, dTable.length, d, 'ids');
    this.checkBuf(dOut, rows * d, 'dOut');
    if (rows === 0 || d === 0) return;
    this.run('embeddingBackward', [dOut.ptr, ids.ptr, dTable.ptr, rows, d], this.chunksFor(Math.ceil(d / 4), rows * d));
  }

  /**
   * Mean cross-entropy of logits [rows][v] against `targets`, over the rows whose `mask` weight is
   * non-zero (weighted by it; no mask = every row weighs 1): Σ mask·(logsumexp − logit[target]) / Σ mask.
   * With `grad`, also writes d(loss)/d(logits) there (grad may be logits). Returns 0 (and a zero
   * gradient) when Σ mask is 0.
   */
  crossEntropy(logits: F32Buffer, targets: I32Buffer, rows: number, v: number, options: { readonly mask?: F32Buffer; readonly grad?: F32Buffer } = {}): number {
    checkDims(rows, v);
    this.checkBuf(logits, rows * v, 'logits');
    this.checkIds(targets, rows, v, 1, 'targets');
    const { mask, grad } = options;
    if (mask) this.checkBuf(mask, rows, 'mask');
    if (grad) this.checkBuf(grad, rows * v, 'grad');
    if (rows === 0) return 0;
    need(v > 0, 'cross-entropy over 0 classes');
    const lossPtr = this.temp(rows * 8);
    let maskPtr = lossPtr + rows * 4;
    let total = rows;
    if (mask) {
      maskPtr = mask.ptr;
      total = 0;
      for (let r = 0; r < rows; r++) total += mask.data[r]!;
    } else {
      new Float32Array(this.memory.buffer, maskPtr, rows).fill(1);
    }
    const scale = total === 0 ? 0 : 1 / total;
    this.run('crossEntropy', [logits.ptr, targets.ptr, maskPtr, lossPtr, grad ? grad.ptr : 0, rows, v, scale], this.chunksFor(rows, rows * v));
    if (total === 0) return 0;
    const losses = new Float32Array(this.memory.buffer, lossPtr, rows);
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += losses[r]!;
    return sum / total;
  }

  // ---- element-wise ops on the main thread ------------------------------------------------
  // Single passes over memory between the kernels: waking the workers would cost more. Each
  // element is computed in float64 and rounded once, in a fixed order (the GPU backend's WGSL
  // versions round each f32 operation; the tests hold both to the reference).

  /** y[r][c] += bias[c] for a [rows][cols] y. */
  addBias(y: F32Buffer, bias: F32Buffer, rows: number, cols: number): void {
    checkDims(rows, cols);
    this.checkBuf(y, rows * cols, 'y');
    this.checkBuf(bias, cols, 'bias');
    const Y = y.data;
    const Bv = bias.data;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) Y[r * cols + c] = Y[r * cols + c]! + Bv[c]!;
  }

  /** sums[c] += Σ_r x[r][c], rows in order (bias gradients). */
  columnSums(x: F32Buffer, sums: F32Buffer, rows: number, cols: number): void {
    checkDims(rows, cols);
    this.checkBuf(x, rows * cols, 'x');
    this.checkBuf(sums, cols, 'sums');
    const S = sums.data;
    const X = x.data;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) S[c] = S[c]! + X[r * cols + c]!;
  }

  /** dst += src, element-wise over dst. */
  addInto(dst: F32Buffer, src: F32Buffer): void {
    this.checkBuf(src, dst.length, 'src');
    const D = dst.data;
    const S = src.data;
    for (let i = 0; i < D.length; i++) D[i] = D[i]! + S[i]!;
  }

  /** y = alpha·x over x's elements. */
  scale(x: F32Buffer, y: F32Buffer, alpha: number): void {
    this.checkBuf(y, x.length, 'y');
    const X = x.data;
    const Y = y.data;
    for (let i = 0; i < X.length; i++) Y[i] = X[i]! * alpha;
  }

  /** x[r][j] = x[r][j]·s + positions[t0 + r mod T][j], in place, for x [rows][d]. */
  addPositions(x: F32Buffer, positions: F32Buffer, rows: number, d: number, T: number, t0: number, s: number): void {
    checkDims(rows, d, T, t0);
    need(T >= 1, 'T must be at least 1');
    this.checkBuf(x, rows * d, 'x');
    this.checkBuf(positions, (t0 + Math.min(T, rows)) * d, 'positions');
    const X = x.data;
    const P = positions.data;
    for (let r = 0; r < rows; r++) {
      const t = t0 + (r % T);
      for (let j = 0; j < d; j++) X[r * d + j] = X[r * d + j]! * s + P[t * d + j]!;
    }
  }

  /** dPositions[t][j] += Σ dx[r][j] over rows r ≡ t (mod T), rows in order. */
  positionGrad(dx: F32Buffer, dPositions: F32Buffer, rows: number, d: number, T: number): void {
    checkDims(rows, d, T);
    this.checkBuf(dx, rows * d, 'dx');
    this.checkBuf(dPositions, T * d, 'dPositions');
    const D = dPositions.data;
    const X = dx.data;
    for (let r = 0; r < rows; r++) {
      const t = r % T;
      for (let j = 0; j < d; j++) D[t * d + j] = D[t * d + j]! + X[r * d + j]!;
    }
  }

  /** Checks that the first `rows` ids index rows of a [tableLength / d][d] table. */
  private checkIds(ids: I32Buffer, rows: number, tableLength: number, d: number, what: string): void {
    this.checkBuf(ids, rows, what);
    const limit = d === 0 ? 0 : Math.floor(tableLength / d);
    for (let r = 0; r < rows; r++) {
      const id = ids.data[r]!;
      need(id >= 0 && id < limit, `${what}[${r}] = ${id} is outside 0..${limit - 1}`);
    }
  }
}
