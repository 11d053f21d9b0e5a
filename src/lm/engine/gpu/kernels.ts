// The GPU backend's compute kernels: the WGSL shaders of kernels/gpu, run through Dawn (the
// optional npm package `webgpu`). Calls only record dispatches into a command encoder, submitted
// by a read, a `flush`, or an upload (which must follow what was recorded before it); nothing
// waits for the GPU but a read, so a forward pass, backward pass or decoding step has no host
// round trip between ops. A tensor is a GPUBuffer taken from a pool by size and given back by
// `release(mark)`, or a view into one (`pack`). Every kernel adds in a fixed order (rows in
// order, fixed reduction trees), so results are deterministic on a given adapter.

/// <reference types="@webgpu/types" />
import { readFileSync } from 'node:fs';

// WebGPU's flag values (the spec fixes them), so this module needs no globals installed.
const USAGE_MAP_READ = 0x1;
const USAGE_COPY_SRC = 0x4;
const USAGE_COPY_DST = 0x8;
const USAGE_UNIFORM = 0x40;
const USAGE_STORAGE = 0x80;
const MAP_READ = 0x1;

const STORAGE_USAGE = USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST;
/** Parameter words per dispatch (kernels/gpu/common.wgsl's Params), and the uniform offset alignment. */
const PARAM_WORDS = 32;
const PARAM_STRIDE = 256;
const PARAM_SLOTS = 256;
const MAX_GROUPS = 65535;
/** The first parameter word of the tensors' offsets, and which binding each word serves. */
const OFFSET_WORD = 24;
const OFFSET_WORDS = [[1, 24], [2, 25], [3, 26], [4, 27], [5, 28], [8, 29], [9, 30], [10, 31]] as const;
const TILE = 64;

/** An f32 tensor in GPU memory: `length` elements of `buffer` from element `offset` (default 0). */
export interface GpuBuffer {
  readonly kind: 'f32';
  readonly buffer: GPUBuffer;
  readonly length: number;
  readonly offset?: number;
}

/** An i32 tensor (token ids, lengths) in GPU memory, with the range of the values uploaded. */
export interface GpuIds {
  readonly kind: 'i32';
  readonly buffer: GPUBuffer;
  readonly length: number;
  readonly min: number;
  readonly max: number;
}

type AnyBuffer = GpuBuffer | GpuIds;

/** What a GPU adapter is, as Dawn describes it. */
export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software adapter (Mesa's lavapipe, SwiftShader): correct, but slower than the CPU backend. */
  readonly fallback: boolean;
}

/** Options of {@link GpuKernels.create}. */
export interface GpuKernelsOptions {
  /** Accept a software (fallback) adapter (default true; automatic backend choice passes false). */
  readonly allowFallback?: boolean;
}

/** Raised when no WebGPU adapter can be had; `reason` says why. */
export class GpuUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`no GPU backend: ${reason}`);
    this.name = 'GpuUnavailableError';
  }
}

/** Raised when the GPU reports an error while running (out of memory, a lost device, a driver fault). */
export class GpuFailedError extends Error {
  constructor(message: string) {
    super(`the GPU failed: ${message}`);
    this.name = 'GpuFailedError';
  }
}

/** Options of {@link GpuKernels.matmul}. */
export interface GpuMatmulOptions {
  /** A is stored [K][M] and used transposed. */
  readonly transA?: boolean;
  /** B is stored [N][K] and used transposed. */
  readonly transB?: boolean;
  /** C += alpha·op(A)·op(B) instead of C = alpha·op(A)·op(B). */
  readonly accumulate?: boolean;
  /** Scales the product (default 1). */
  readonly alpha?: number;
}

/** Where one operand's matrices lie: element (i, k) of batch b, head h at off + b·batch + h·head + i·row + k·col. */
export interface Strides {
  readonly off?: number;
  readonly batch?: number;
  readonly head?: number;
  readonly row: number;
  readonly col: number;
}

/** A batched, strided product for {@link GpuKernels.matmulStrided}: `batches·heads` products of [M][K]·[K][N]. */
export interface StridedMatmul {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batches: number;
  readonly heads: number;
  readonly a: Strides;
  readonly b: Strides;
  readonly c: Strides;
  readonly accumulate?: boolean;
  readonly alpha?: number;
}

// ---- the kernel table ------------------------------------------------------------------------

type Module = 'matmul' | 'rows' | 'elementwise';

/** One WGSL entry point: its module and the bindings it uses (1-5 inputs, 7 ids, 8-10 outputs). */
interface KernelSpec {
  readonly module: Module;
  readonly bindings: readonly number[];
}

const KERNELS = {
  matmul: { module: 'matmul', bindings: [1, 2, 8] },
  softmax: { module: 'rows', bindings: [1, 8] },
  softmaxBackward: { module: 'rows', bindings: [1, 2, 8] },
  layerNorm: { module: 'rows', bindings: [1, 2, 3, 8, 9, 10] },
  layerNormBackward: { module: 'rows', bindings: [1, 2, 3, 4, 5, 8] },
  layerNormBackwardParam: { module: 'rows', bindings: [1, 3, 4, 5, 8] },
  crossEntropyWeight: { module: 'rows', bindings: [2, 8] },
  crossEntropyRows: { module: 'rows', bindings: [1, 2, 3, 7, 8, 9] },
  crossEntropyMean: { module: 'rows', bindings: [1, 3, 8] },
  attentionMask: { module: 'rows', bindings: [7, 8] },
  gelu: { module: 'elementwise', bindings: [1, 8] },
  geluBackward: { module: 'elementwise', bindings: [1, 2, 8] },
  embedding: { module: 'elementwise', bindings: [1, 7, 8] },
  embeddingBackward: { module: 'elementwise', bindings: [1, 7, 8] },
  addInto: { module: 'elementwise', bindings: [1, 8] },
  writeRows: { module: 'elementwise', bindings: [1, 8] },
  add: { module: 'elementwise', bindings: [1, 2, 8] },
  addBias: { module: 'elementwise', bindings: [1, 8] },
  columnSums: { module: 'elementwise', bindings: [1, 8] },
  scale: { module: 'elementwise', bindings: [1, 8] },
  addPositions: { module: 'elementwise', bindings: [1, 8] },
  positionGrad: { module: 'elementwise', bindings: [1, 8] },
  sumSquares: { module: 'elementwise', bindings: [1, 8] },
  clipFactor: { module: 'elementwise', bindings: [8] },
  adamw: { module: 'elementwise', bindings: [1, 2, 3, 8, 9, 10] },
} as const satisfies Record<string, KernelSpec>;

type KernelName = keyof typeof KERNELS;

/** The buffers of one dispatch by binding number; a parameter value is a u32, or an f32 when tagged. */
type Bindings = Partial<Record<1 | 2 | 3 | 4 | 5 | 7 | 8 | 9 | 10, AnyBuffer>>;
type Param = number | { readonly f32: number };

/** How a dispatch is laid out: threads over n elements, one workgroup per row, one workgroup, or a matmul grid. */
type Grid = { readonly threads: number } | { readonly rows: number } | { readonly single: true } | { readonly groups: readonly [number, number, number] };

const KERNEL_DIR = new URL('../../../../kernels/gpu/', import.meta.url);

function need(cond: boolean, what: string): void {
  if (!cond) throw new RangeError(`GpuKernels: ${what}`);
}

function checkDims(...dims: number[]): void {
  for (const d of dims) need(Number.isInteger(d) && d >= 0 && d < 2 ** 31, `bad dimension ${d}`);
}

/** Loads Dawn's Node binding, or says why it cannot be had. */
async function loadDawn(): Promise<GPU> {
  let mod: { create: (flags: string[]) => GPU };
  try {
    mod = (await import('webgpu')) as unknown as { create: (flags: string[]) => GPU };
  } catch (e) {
    throw new GpuUnavailableError(`the optional package 'webgpu' (Dawn) is not installed or does not load here (${(e as Error).message.split('\n')[0]})`);
  }
  // Dawn's Vulkan loader complains on stderr when this is unset; an empty directory is enough.
  process.env['XDG_RUNTIME_DIR'] ??= '/tmp';
  return mod.create([]);
}

/** The first adapter Dawn offers (a hardware one when there is one), or GpuUnavailableError. */
async function openAdapter(): Promise<{ gpu: GPU; adapter: GPUAdapter; info: GpuAdapterInfo }> {
  const gpu = await loadDawn();
  let adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  adapter ??= await gpu.requestAdapter({ forceFallbackAdapter: true });
  if (adapter === null) throw new GpuUnavailableError('Dawn found no WebGPU adapter (no Vulkan driver for a GPU, and no software one such as Mesa lavapipe)');
  const raw = adapter.info as GPUAdapterInfo & { readonly isFallbackAdapter?: boolean };
  const info: GpuAdapterInfo = {
    vendor: raw.vendor,
    architecture: raw.architecture,
    device: raw.device,
    description: raw.description,
    fallback: raw.isFallbackAdapter === true || raw.architecture === 'software',
  };
  return { gpu, adapter, info };
}

/** GPU compute kernels on one WebGPU device. */
export class GpuKernels {
  private readonly pipelines = new Map<KernelName, GPUComputePipeline>();
  private readonly modules = new Map<Module, GPUShaderModule>();
  /** Free buffers by byte size, for reuse. */
  private readonly pool = new Map<number, GPUBuffer[]>();
  /** Buffers handed out, in allocation order, each with its serial number (marks are serials). */
  private readonly live: { readonly buffer: GPUBuffer; readonly serial: number }[] = [];
  private serial = 0;
  private readonly paramBuffers: GPUBuffer[] = [];
  private readonly paramData = new ArrayBuffer(PARAM_STRIDE);
  private paramSlot = 0;
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private error: string | undefined;
  private closed = false;
  /** A 16-byte input bound where a kernel's optional input is absent. */
  private readonly emptyInput: GpuBuffer;

  private constructor(
    /** Dawn's instance. Held so it outlives the device: collecting it tears the device down. */
    readonly dawn: GPU,
    private readonly device: GPUDevice,
    /** The adapter in use. */
    readonly adapter: GpuAdapterInfo,
  ) {
    device.addEventListener('uncapturederror', (e) => {
      this.error ??= (e as GPUUncapturedErrorEvent).error.message;
    });
    void device.lost.then((info) => {
      if (!this.closed) this.error ??= `device lost: ${info.message}`;
    });
    this.emptyInput = { kind: 'f32', buffer: device.createBuffer({ size: 16, usage: STORAGE_USAGE }), length: 0 };
  }

  /**
   * Opens the first WebGPU adapter Dawn offers (a hardware one when there is one) and a device
   * with the adapter's largest buffer limits. Throws {@link GpuUnavailableError} when there is
   * none, or only a software adapter and `allowFallback` is false.
   */
  static async create(options: GpuKernelsOptions = {}): Promise<GpuKernels> {
    const { gpu, adapter, info } = await openAdapter();
    if (info.fallback && options.allowFallback === false) throw new GpuUnavailableError(`the only adapter is a software one (${info.description})`);
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    return new GpuKernels(gpu, device, info);
  }

  /** Which adapter {@link create} would open, without opening a device on it. */
  static async adapterInfo(): Promise<GpuAdapterInfo> {
    return (await openAdapter()).info;
  }

  /** The largest tensor, in elements, one buffer can hold on this device. */
  get maxElements(): number {
    return Math.floor(Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize) / 4);
  }

  /** Waits for the GPU, then releases the device. No kernel may run afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.closed = true;
    this.device.destroy();
  }

  // ---- buffers --------------------------------------------------------------------------------

  private take(length: number): GPUBuffer {
    need(!this.closed, 'closed');
    checkDims(length);
    need(length <= this.maxElements, `a tensor of ${length} elements exceeds this device's ${this.maxElements}`);
    const size = Math.max(16, Math.ceil((length * 4) / 16) * 16);
    const free = this.pool.get(size);
    const buffer = free?.pop() ?? this.device.createBuffer({ size, usage: STORAGE_USAGE });
    this.live.push({ buffer, serial: this.serial++ });
    return buffer;
  }

  /** A new f32 tensor of `length` elements, contents unspecified. */
  alloc(length: number): GpuBuffer {
    return { kind: 'f32', buffer: this.take(length), length };
  }

  /** A new f32 tensor of `length` zeros. */
  zeros(length: number): GpuBuffer {
    const b = this.alloc(length);
    this.fill0(b);
    return b;
  }

  /** A new f32 tensor holding `values` (rounded to f32). */
  f32(values: ArrayLike<number>): GpuBuffer {
    const b = this.alloc(values.length);
    this.write(b, values);
    return b;
  }

  /**
   * Tensors of the given lengths packed into one buffer (`whole` spans them all), contents
   * unspecified: kernels over `whole` then touch every part in one dispatch. Parts are views:
   * they go back with their buffer, never on their own.
   */
  pack(lengths: readonly number[]): { whole: GpuBuffer; parts: GpuBuffer[] } {
    const total = lengths.reduce((a, b) => a + b, 0);
    const whole = this.alloc(total);
    let offset = 0;
    const parts = lengths.map((length) => {
      const part: GpuBuffer = { kind: 'f32', buffer: whole.buffer, length, offset };
      offset += length;
      return part;
    });
    return { whole, parts };
  }

  /** A new i32 tensor holding `values`. */
  i32(values: ArrayLike<number>): GpuIds {
    const data = Int32Array.from(values as ArrayLike<number>);
    let min = 0;
    let max = -1;
    if (data.length > 0) {
      min = data[0]!;
      max = data[0]!;
      for (const v of data) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const buffer = this.take(data.length);
    this.upload(buffer, data);
    return { kind: 'i32', buffer, length: data.length, min, max };
  }

  /** Overwrites the start of `b` with `values`, after every call recorded so far. */
  write(b: GpuBuffer, values: ArrayLike<number>): void {
    need(values.length <= b.length, `${values.length} values for a tensor of ${b.length}`);
    this.upload(b.buffer, values instanceof Float32Array ? values : Float32Array.from(values), b.offset ?? 0);
  }

  private upload(buffer: GPUBuffer, data: Float32Array | Int32Array, offset = 0): void {
    if (data.length === 0) return;
    // queue.writeBuffer runs before any command not yet submitted: submit those first.
    this.flush();
    this.device.queue.writeBuffer(buffer, offset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Sets every element of `b` to 0 (recorded in order with the kernels). */
  fill0(b: GpuBuffer): void {
    if (b.length === 0) return;
    this.endPass();
    this.commandEncoder().clearBuffer(b.buffer, (b.offset ?? 0) * 4, b.length * 4);
  }

  /** Copies `src` into `dst` (the first `src.length` elements), recorded in order with the kernels. */
  copy(src: GpuBuffer, dst: GpuBuffer): void {
    need(dst.length >= src.length, `copy of ${src.length} elements into ${dst.length}`);
    if (src.length === 0) return;
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src.buffer, (src.offset ?? 0) * 4, dst.buffer, (dst.offset ?? 0) * 4, src.length * 4);
  }

  /** Runs everything recorded, and returns the values of `b` (its first `n` elements). */
  async read(b: GpuBuffer, n = b.length): Promise<Float32Array> {
    need(n <= b.length, `read of ${n} elements from ${b.length}`);
    const out = new Float32Array(n);
    if (n === 0) return out;
    const staging = this.device.createBuffer({ size: n * 4, usage: USAGE_MAP_READ | USAGE_COPY_DST });
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(b.buffer, (b.offset ?? 0) * 4, staging, 0, n * 4);
    this.flush();
    try {
      await staging.mapAsync(MAP_READ);
      out.set(new Float32Array(staging.getMappedRange(), 0, n));
      staging.unmap();
    } finally {
      staging.destroy();
    }
    this.checkError();
    return out;
  }

  /** A mark of the allocations so far, to hand to {@link release} later. */
  mark(): number {
    return this.serial;
  }

  /** Gives back every tensor allocated since `mark` and not freed yet (they must no longer be used). */
  release(mark: number): void {
    need(Number.isInteger(mark) && mark >= 0 && mark <= this.serial, `bad mark ${mark}`);
    while (this.live.length > 0 && this.live[this.live.length - 1]!.serial >= mark) this.recycle(this.live.pop()!.buffer);
  }

  /** Gives back one tensor (it must no longer be used), wherever it lies among the marks. */
  free(b: GpuBuffer | GpuIds): void {
    let i = this.live.length - 1;
    while (i >= 0 && this.live[i]!.buffer !== b.buffer) i--;
    need(i >= 0, 'free of a tensor that is not live');
    this.live.splice(i, 1);
    this.recycle(b.buffer);
  }

  private recycle(buffer: GPUBuffer): void {
    // Work already recorded may still read this buffer; the queue runs it before any later use
    // of the reused buffer, so it can go back to the pool at once.
    let free = this.pool.get(buffer.size);
    if (free === undefined) this.pool.set(buffer.size, (free = []));
    free.push(buffer);
  }

  // ---- recording ------------------------------------------------------------------------------

  private commandEncoder(): GPUCommandEncoder {
    need(!this.closed, 'closed');
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = undefined;
  }

  /** Submits everything recorded so far. */
  flush(): void {
    this.endPass();
    if (this.encoder !== undefined) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = undefined;
      this.paramSlot = 0;
    }
  }

  /** Submits everything recorded and waits until the GPU has run it (for timing). */
  async finish(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.checkError();
  }

  private checkError(): void {
    if (this.error !== undefined) {
      const e = this.error;
      this.error = undefined;
      throw new GpuFailedError(e);
    }
  }

  private pipeline(name: KernelName): GPUComputePipeline {
    let p = this.pipelines.get(name);
    if (p === undefined) {
      const spec: KernelSpec = KERNELS[name];
      let module = this.modules.get(spec.module);
      if (module === undefined) {
        const common = readFileSync(new URL('common.wgsl', KERNEL_DIR), 'utf8');
        const code = readFileSync(new URL(`${spec.module}.wgsl`, KERNEL_DIR), 'utf8');
        module = this.device.createShaderModule({ code: `${common}\n${code}`, label: spec.module });
        this.modules.set(spec.module, module);
      }
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: name }, label: name });
      this.pipelines.set(name, p);
    }
    return p;
  }

  /** A uniform slot holding `params`, valid until the next flush. */
  private params(values: readonly Param[]): { buffer: GPUBuffer; offset: number } {
    need(values.length <= PARAM_WORDS, 'too many parameters');
    const index = Math.floor(this.paramSlot / PARAM_SLOTS);
    const slot = this.paramSlot % PARAM_SLOTS;
    this.paramSlot++;
    let buffer = this.paramBuffers[index];
    if (buffer === undefined) {
      buffer = this.device.createBuffer({ size: PARAM_SLOTS * PARAM_STRIDE, usage: USAGE_UNIFORM | USAGE_COPY_DST });
      this.paramBuffers.push(buffer);
    }
    const u32 = new Uint32Array(this.paramData);
    const f32 = new Float32Array(this.paramData);
    u32.fill(0);
    values.forEach((v, i) => {
      if (typeof v === 'number') u32[i] = v >>> 0;
      else f32[i] = v.f32;
    });
    // Written before the submit that uses it; slots are reused only after a flush, and queue
    // order puts a later write after the earlier submission's reads.
    this.device.queue.writeBuffer(buffer, slot * PARAM_STRIDE, this.paramData, 0, PARAM_WORDS * 4);
    return { buffer, offset: slot * PARAM_STRIDE };
  }

  private dispatch(name: KernelName, bindings: Bindings, params: readonly Param[], grid: Grid): void {
    const spec: KernelSpec = KERNELS[name];
    const written = new Set<GPUBuffer>();
    const entries: GPUBindGroupEntry[] = [];
    // Words 24-31: where each tensor starts in its buffer (in1-in5, out1-out3).
    const words: Param[] = [...params];
    for (let w = words.length; w < OFFSET_WORD; w++) words.push(0);
    for (const [binding, word] of OFFSET_WORDS) {
      const b = bindings[binding];
      words[word] = b !== undefined && b.kind === 'f32' ? (b.offset ?? 0) : 0;
    }
    const p = this.params(words);
    entries.push({ binding: 0, resource: { buffer: p.buffer, offset: p.offset, size: PARAM_WORDS * 4 } });
    for (const binding of spec.bindings) {
      const b = bindings[binding as keyof Bindings] ?? (binding < 8 ? this.emptyInput : undefined);
      need(b !== undefined, `${name}: output binding ${binding} missing`);
      if (binding >= 8) {
        need(!written.has(b!.buffer), `${name}: two outputs share one buffer`);
        written.add(b!.buffer);
      }
      entries.push({ binding, resource: { buffer: b!.buffer } });
    }
    for (const binding of spec.bindings) {
      const b = bindings[binding as keyof Bindings];
      need(binding >= 8 || b === undefined || !written.has(b.buffer), `${name}: an output may not also be an input (binding ${binding})`);
    }
    const pipeline = this.pipeline(name);
    const group = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    this.pass ??= this.commandEncoder().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, group);
    const [x, y, z] = gridSize(grid);
    this.pass.dispatchWorkgroups(x, y, z);
    if (this.paramSlot >= PARAM_SLOTS * 64) this.flush();
  }

  private checkBuf(b: AnyBuffer, length: number, what: string): void {
    need(b.length >= length, `${what} has ${b.length} elements, needs ${length}`);
  }

  private checkIds(ids: GpuIds, rows: number, limit: number, what: string): void {
    this.checkBuf(ids, rows, what);
    need(ids.kind === 'i32', `${what} must be an i32 tensor`);
    if (rows > 0) need(ids.min >= 0 && ids.max < limit, `${what} holds ids in ${ids.min}..${ids.max}, outside 0..${limit - 1}`);
  }

  // ---- kernels --------------------------------------------------------------------------------

  /**
   * C = op(A)·op(B) (or C += with `accumulate`), scaled by `alpha`: op(A) is [m][k], op(B) [k][n],
   * C [m][n], all row-major. C must not share a buffer with A or B.
   */
  matmul(a: GpuBuffer, b: GpuBuffer, c: GpuBuffer, m: number, n: number, k: number, options: GpuMatmulOptions = {}): void {
    checkDims(m, n, k);
    this.checkBuf(a, m * k, 'A');
    this.checkBuf(b, k * n, 'B');
    this.checkBuf(c, m * n, 'C');
    this.matmulStrided(a, b, c, {
      m, n, k, batches: 1, heads: 1,
      a: options.transA ? { row: 1, col: m } : { row: k, col: 1 },
      b: options.transB ? { row: 1, col: k } : { row: n, col: 1 },
      c: { row: n, col: 1 },
      ...(options.accumulate !== undefined ? { accumulate: options.accumulate } : {}),
      ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    });
  }

  /** `batches·heads` products at once, each operand addressed through its strides (see {@link Strides}). */
  matmulStrided(a: GpuBuffer, b: GpuBuffer, c: GpuBuffer, s: StridedMatmul): void {
    checkDims(s.m, s.n, s.k, s.batches, s.heads);
    need(s.heads >= 1 && s.batches * s.heads <= MAX_GROUPS, `bad batch ${s.batches}×${s.heads}`);
    if (s.m === 0 || s.n === 0 || s.batches === 0) return;
    const last = (st: Strides, rows: number, cols: number): number =>
      (st.off ?? 0) + (s.batches - 1) * (st.batch ?? 0) + (s.heads - 1) * (st.head ?? 0) + Math.max(0, rows - 1) * st.row + Math.max(0, cols - 1) * st.col;
    need(s.k === 0 || last(s.a, s.m, s.k) < a.length, 'A is too small for its strides');
    need(s.k === 0 || last(s.b, s.k, s.n) < b.length, 'B is too small for its strides');
    need(last(s.c, s.m, s.n) < c.length, 'C is too small for its strides');
    // The matmul addresses its operands through these words alone: a tensor's offset goes in here.
    const words = (st: Strides, t: GpuBuffer): number[] => [(st.off ?? 0) + (t.offset ?? 0), st.batch ?? 0, st.head ?? 0, st.row, st.col];
    this.dispatch('matmul', { 1: s.k === 0 ? this.emptyInput : a, 2: s.k === 0 ? this.emptyInput : b, 8: c },
      [s.m, s.n, s.k, s.heads, s.accumulate ? 1 : 0, { f32: s.alpha ?? 1 }, 0, 0, ...words(s.a, a), ...words(s.b, b), ...words(s.c, c)],
      { groups: [Math.ceil(s.n / TILE), Math.ceil(s.m / TILE), s.batches * s.heads] });
  }

  /**
   * Softmax over the last axis of x [rows][cols] into y. With `causal`, row r is query r % cols
   * of a square block and sees keys 0..r % cols (the rest become 0). Scores of masked keys should
   * be at most -1e30 (see {@link attentionMask}); WGSL leaves infinities undefined.
   */
  softmax(x: GpuBuffer, y: GpuBuffer, rows: number, cols: number, options: { readonly causal?: boolean } = {}): void {
    checkDims(rows, cols);
    this.checkBuf(x, rows * cols, 'x');
    this.checkBuf(y, rows * cols, 'y');
    if (rows === 0 || cols === 0) return;
    this.dispatch('softmax', { 1: x, 8: y }, [rows, cols, options.causal ? 1 : 0], { rows });
  }

  /** dx = y ⊙ (dy − Σ y⊙dy) per row, from the softmax output y [rows][cols]. */
  softmaxBackward(y: GpuBuffer, dy: GpuBuffer, dx: GpuBuffer, rows: number, cols: number): void {
    checkDims(rows, cols);
    for (const [b, w] of [[y, 'y'], [dy, 'dy'], [dx, 'dx']] as const) this.checkBuf(b, rows * cols, w);
    if (rows === 0 || cols === 0) return;
    this.dispatch('softmaxBackward', { 1: y, 2: dy, 8: dx }, [rows, cols], { rows });
  }

  /** Layer norm over rows of d: y = (x − mean)·rstd·gamma + beta, saving mean and rstd per row. */
  layerNorm(x: GpuBuffer, gamma: GpuBuffer, beta: GpuBuffer, y: GpuBuffer, mean: GpuBuffer, rstd: GpuBuffer, rows: number, d: number, eps = 1e-5): void {
    checkDims(rows, d);
    this.checkBuf(x, rows * d, 'x');
    this.checkBuf(y, rows * d, 'y');
    this.checkBuf(gamma, d, 'gamma');
    this.checkBuf(beta, d, 'beta');
    this.checkBuf(mean, rows, 'mean');
    this.checkBuf(rstd, rows, 'rstd');
    if (rows === 0 || d === 0) return;
    this.dispatch('layerNorm', { 1: x, 2: gamma, 3: beta, 8: y, 9: mean, 10: rstd }, [rows, d, { f32: eps }], { rows });
  }

  /** Layer-norm backward: dx (overwritten) and dGamma, dBeta (added into, rows in order). */
  layerNormBackward(x: GpuBuffer, gamma: GpuBuffer, mean: GpuBuffer, rstd: GpuBuffer, dy: GpuBuffer, dx: GpuBuffer, dGamma: GpuBuffer, dBeta: GpuBuffer, rows: number, d: number): void {
    checkDims(rows, d);
    for (const [b, w] of [[x, 'x'], [dy, 'dy'], [dx, 'dx']] as const) this.checkBuf(b, rows * d, w);
    for (const [b, w] of [[gamma, 'gamma'], [dGamma, 'dGamma'], [dBeta, 'dBeta']] as const) this.checkBuf(b, d, w);
    this.checkBuf(mean, rows, 'mean');
    this.checkBuf(rstd, rows, 'rstd');
    if (rows === 0 || d === 0) return;
    for (const [which, grad] of [dGamma, dBeta].entries()) this.dispatch('layerNormBackwardParam', { 1: x, 3: mean, 4: rstd, 5: dy, 8: grad }, [rows, d, which], { threads: d });
    this.dispatch('layerNormBackward', { 1: x, 2: gamma, 3: mean, 4: rstd, 5: dy, 8: dx }, [rows, d], { rows });
  }

  /** y = GELU(x) (tanh form) over the first `n` elements. */
  gelu(x: GpuBuffer, y: GpuBuffer, n = x.length): void {
    checkDims(n);
    this.checkBuf(x, n, 'x');
    this.checkBuf(y, n, 'y');
    if (n > 0) this.dispatch('gelu', { 1: x, 8: y }, [n], { threads: n });
  }

  /** dx = dy ⊙ GELU′(x) over the first `n` elements. */
  geluBackward(x: GpuBuffer, dy: GpuBuffer, dx: GpuBuffer, n = x.length): void {
    checkDims(n);
    for (const [b, w] of [[x, 'x'], [dy, 'dy'], [dx, 'dx']] as const) this.checkBuf(b, n, w);
    if (n > 0) this.dispatch('geluBackward', { 1: x, 2: dy, 8: dx }, [n], { threads: n });
  }

  /** Gathers rows: out[r] = table[ids[r]] for r < rows; table is [vocab][d]. */
  embedding(table: GpuBuffer, ids: GpuIds, out: GpuBuffer, rows: number, d: number): void {
    checkDims(rows, d);
    this.checkIds(ids, rows, d === 0 ? 0 : Math.floor(table.length / d), 'ids');
    this.checkBuf(out, rows * d, 'out');
    if (rows * d > 0) this.dispatch('embedding', { 1: table, 7: ids, 8: out }, [rows * d, d], { threads: rows * d });
  }

  /** Scatter-add: dTable[ids[r]] += dOut[r] for r < rows, in row order. */
  embeddingBackward(dOut: GpuBuffer, ids: GpuIds, dTable: GpuBuffer, rows: number, d: number): void {
    checkDims(rows, d);
    this.checkIds(ids, rows, d === 0 ? 0 : Math.floor(dTable.length / d), 'ids');
    this.checkBuf(dOut, rows * d, 'dOut');
    if (rows * d > 0) this.dispatch('embeddingBackward', { 1: dOut, 7: ids, 8: dTable }, [rows, d], { threads: d });
  }

  /**
   * Mean cross-entropy of logits [rows][v] against `targets` over the rows whose `mask` weight is
   * non-zero: Σ mask·(logsumexp − logit[target]) / Σ mask (0 when Σ mask is 0). With `grad`, also
   * writes d(loss)/d(logits) there. Returns a one-element tensor holding the loss, so that
   * training reads it back only once per step.
   */
  crossEntropy(logits: GpuBuffer, targets: GpuIds, rows: number, v: number, options: { readonly mask?: GpuBuffer; readonly grad?: GpuBuffer } = {}): GpuBuffer {
    checkDims(rows, v);
    this.checkBuf(logits, rows * v, 'logits');
    this.checkIds(targets, rows, v, 'targets');
    const { mask, grad } = options;
    if (mask) this.checkBuf(mask, rows, 'mask');
    if (grad) this.checkBuf(grad, rows * v, 'grad');
    const loss = this.zeros(1);
    if (rows === 0) return loss;
    need(v > 0, 'cross-entropy over 0 classes');
    const weight = this.alloc(1);
    const perRow = this.alloc(rows);
    const hasMask = mask ? 1 : 0;
    this.dispatch('crossEntropyWeight', { ...(mask ? { 2: mask } : {}), 8: weight }, [rows, 0, hasMask], { single: true });
    this.dispatch('crossEntropyRows', { 1: logits, ...(mask ? { 2: mask } : {}), 3: weight, 7: targets, 8: perRow, 9: grad ?? this.alloc(1) }, [rows, v, hasMask, grad ? 1 : 0], { rows });
    this.dispatch('crossEntropyMean', { 1: perRow, 3: weight, 8: loss }, [rows], { single: true });
    return loss;
  }

  /**
   * Masks per-head attention scores [B][H][Tq][Tk] in place: key j of query i in item b is kept
   * when j < keyLengths[b] and, if causal, j ≤ i; the others become -1e30.
   */
  attentionMask(scores: GpuBuffer, keyLengths: GpuIds, B: number, H: number, Tq: number, Tk: number, causal: boolean): void {
    checkDims(B, H, Tq, Tk);
    const n = B * H * Tq * Tk;
    this.checkBuf(scores, n, 'scores');
    this.checkBuf(keyLengths, B, 'keyLengths');
    need(B === 0 || (keyLengths.min >= 0 && keyLengths.max <= Tk), `key lengths ${keyLengths.min}..${keyLengths.max} outside 0..${Tk}`);
    if (n > 0) this.dispatch('attentionMask', { 7: keyLengths, 8: scores }, [H, Tq, Tk, causal ? 1 : 0, n], { threads: n });
  }

  /** Writes rows of d into a wider layout: dst[r·stride + off + j] = src[r·d + j]. */
  writeRows(src: GpuBuffer, dst: GpuBuffer, rows: number, d: number, stride: number, off: number): void {
    checkDims(rows, d, stride, off);
    this.checkBuf(src, rows * d, 'src');
    need(rows === 0 || (rows - 1) * stride + off + d <= dst.length, 'dst is too small for its layout');
    if (rows * d > 0) this.dispatch('writeRows', { 1: src, 8: dst }, [rows * d, d, stride, off], { threads: rows * d });
  }

  /** dst += src over the first `n` elements. */
  addInto(dst: GpuBuffer, src: GpuBuffer, n = dst.length): void {
    this.elementwise('addInto', { 1: src, 8: dst }, [n], n, [src, dst]);
  }

  /** out = a + b over the first `n` elements. */
  add(a: GpuBuffer, b: GpuBuffer, out: GpuBuffer, n = out.length): void {
    this.elementwise('add', { 1: a, 2: b, 8: out }, [n], n, [a, b, out]);
  }

  /** y[r][c] += bias[c] for a [rows][cols] y. */
  addBias(y: GpuBuffer, bias: GpuBuffer, rows: number, cols: number): void {
    checkDims(rows, cols);
    this.checkBuf(bias, cols, 'bias');
    this.elementwise('addBias', { 1: bias, 8: y }, [rows * cols, cols], rows * cols, [y]);
  }

  /** sums[c] += Σ_r x[r][c], rows in order (bias gradients). */
  columnSums(x: GpuBuffer, sums: GpuBuffer, rows: number, cols: number): void {
    checkDims(rows, cols);
    this.checkBuf(x, rows * cols, 'x');
    this.checkBuf(sums, cols, 'sums');
    if (cols > 0) this.dispatch('columnSums', { 1: x, 8: sums }, [rows, cols], { threads: cols });
  }

  /** y = alpha·x over the first `n` elements. */
  scale(x: GpuBuffer, y: GpuBuffer, alpha: number, n = x.length): void {
    this.elementwise('scale', { 1: x, 8: y }, [n, { f32: alpha }], n, [x, y]);
  }

  /** x[r][j] = x[r][j]·s + positions[t0 + r mod T][j], in place, for x [rows][d]. */
  addPositions(x: GpuBuffer, positions: GpuBuffer, rows: number, d: number, T: number, t0: number, s: number): void {
    checkDims(rows, d, T, t0);
    need(T >= 1, 'T must be at least 1');
    this.checkBuf(positions, (t0 + Math.min(T, rows)) * d, 'positions');
    this.elementwise('addPositions', { 1: positions, 8: x }, [rows * d, d, T, t0, { f32: s }], rows * d, [x]);
  }

  /** dPositions[t][j] += Σ dx[r][j] over rows r ≡ t (mod T), in order. */
  positionGrad(dx: GpuBuffer, dPositions: GpuBuffer, rows: number, d: number, T: number): void {
    checkDims(rows, d, T);
    this.checkBuf(dx, rows * d, 'dx');
    this.checkBuf(dPositions, T * d, 'dPositions');
    if (T * d > 0) this.dispatch('positionGrad', { 1: dx, 8: dPositions }, [rows, d, T], { threads: T * d });
  }

  /** stats[slot] = Σ x² (one workgroup). */
  sumSquares(x: GpuBuffer, stats: GpuBuffer, slot: number): void {
    this.checkBuf(stats, slot + 1, 'stats');
    this.dispatch('sumSquares', { 1: x, 8: stats }, [x.length, slot], { single: true });
  }

  /** stats[count] = sqrt(Σ stats[0..count)), stats[count + 1] = the clipping factor for `maxNorm`. */
  clipFactor(stats: GpuBuffer, count: number, maxNorm: number): void {
    this.checkBuf(stats, count + 2, 'stats');
    this.dispatch('clipFactor', { 8: stats }, [count, { f32: maxNorm }], { single: true });
  }

  /**
   * One AdamW update of p, m, v from gradient g scaled by factor[slot] (see {@link clipFactor}).
   * With `decayMask`, weight decay applies only where the mask is non-zero.
   */
  adamw(p: GpuBuffer, g: GpuBuffer, m: GpuBuffer, v: GpuBuffer, factor: GpuBuffer, slot: number, k: { b1: number; b2: number; eps: number; lr: number; decay: number; c1: number; c2: number }, decayMask?: GpuBuffer): void {
    const n = p.length;
    for (const [b, w] of [[g, 'g'], [m, 'm'], [v, 'v']] as const) this.checkBuf(b, n, w);
    if (decayMask) this.checkBuf(decayMask, n, 'decayMask');
    this.checkBuf(factor, slot + 1, 'factor');
    const f = (x: number): Param => ({ f32: x });
    if (n > 0) this.dispatch('adamw', { 1: g, 2: factor, ...(decayMask ? { 3: decayMask } : {}), 8: p, 9: m, 10: v }, [n, f(k.b1), f(k.b2), f(k.eps), f(k.lr), f(k.decay), f(k.c1), f(k.c2), 0, slot, decayMask ? 1 : 0], { threads: n });
  }

  private elementwise(name: KernelName, bindings: Bindings, params: readonly Param[], n: number, buffers: readonly GpuBuffer[]): void {
    checkDims(n);
    for (const b of buffers) this.checkBuf(b, n, name);
    if (n > 0) this.dispatch(name, bindings, params, { threads: n });
  }
}

/** Workgroups for a grid, wrapping wide ones into y (at most 65535 per dimension). */
function gridSize(grid: Grid): [number, number, number] {
  if ('groups' in grid) return [...grid.groups];
  if ('single' in grid) return [1, 1, 1];
  const groups = 'threads' in grid ? Math.ceil(grid.threads / 256) : grid.rows;
  const x = Math.min(groups, MAX_GROUPS);
  const y = Math.ceil(groups / x);
  need(y <= MAX_GROUPS, `${groups} workgroups exceed the grid`);
  return [x, y, 1];
}
