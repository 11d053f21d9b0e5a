// Matmul throughput of the CPU backend's wasm kernels against onnxruntime-node's MatMul, same
// shapes, same thread count, same run: `ratio` = ours / ort, so > 1 means our kernel is faster.
// Both builds of the kernels are measured: the plain-SIMD one (`ours`, what CpuKernels picks on
// Node 20 by default) and the relaxed-SIMD one with fused multiply-adds (`ours_fma`).
// Shapes are M x N x K for C[M][N] = A[M][K]·B[K][N], f32, row-major, no transposes:
// 512x512x512 (square), 1024x1024x256 (wide and shallow), 64x1024x1024 (a batch of rows through a
// big projection). Each figure is the best of repeated runs after a warm-up. The engines take turns
// in blocks of runs (so a burst of load elsewhere on the machine hits them alike), with a pause
// before each block: onnxruntime's pool threads spin for a while after a run, and would otherwise
// take the cores from the next engine.
//
// Then training throughput (tokens/s) of the CPU backend on a ~5M-parameter config, with the
// float64 reference as the same-run peer (onnxruntime-node cannot train), and decode throughput
// of batched beam search (beam 1 and 4) on both engines.
//
// Where Dawn offers a WebGPU adapter, the same figures for the GPU backend follow: matmul GFLOP/s
// on the same shapes (ratio against onnxruntime's CPU MatMul of this run), training and decode
// tokens/s (ratio against the CPU backend of this run). The JSON says which adapter it was; a
// software one (Mesa's lavapipe) measures correctness of the path, not GPU speed.
//
// On a hardware adapter, 2048³ and 4096³ products follow, with onnxruntime (all cores) as peer.
//
// Usage: node dist/bench/lm.js [--threads N] [--runs R] [--gpu 0]
// Prints human lines, then one JSON object as the very last line.

import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import ort from 'onnxruntime-node';
import { CpuKernels } from '../src/lm/engine/cpu/kernels.js';
import { CpuModel } from '../src/lm/engine/cpu/model.js';
import { CpuIncrementalDecoder } from '../src/lm/engine/cpu/decode.js';
import { GpuKernels, GpuUnavailableError } from '../src/lm/engine/gpu/kernels.js';
import { GpuModel } from '../src/lm/engine/gpu/model.js';
import { GpuIncrementalDecoder } from '../src/lm/engine/gpu/decode.js';
import { beamSearch, beamSearchAsync } from '../src/lm/reference/decode.js';
import { initParams, makeBatch, parameterCount, type ModelConfig, type Pair } from '../src/lm/reference/model.js';
import { AdamW, trainStep } from '../src/lm/reference/train.js';
import { Rng } from '../src/util/random.js';

interface Shape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

const ROUNDS = 3;
/** Measured on hardware adapters only: at lavapipe's few GFLOP/s one 4096³ product takes a minute. */
const LARGE_GPU_SHAPES: readonly Shape[] = [
  { m: 2048, n: 2048, k: 2048 },
  { m: 4096, n: 4096, k: 4096 },
];
/** Longer than onnxruntime's spin after a run (and ours, which is tens of microseconds). */
const PAUSE_MS = 100;

const SHAPES: readonly Shape[] = [
  { m: 512, n: 512, k: 512 },
  { m: 1024, n: 1024, k: 256 },
  { m: 64, n: 1024, k: 1024 },
];

// ---- a one-node ONNX model, written as protobuf by hand ----------------------------------

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** A varint field (wire type 0). */
function intField(field: number, value: number): number[] {
  return [...varint(field << 3), ...varint(value)];
}

/** A length-delimited field (wire type 2): a string or an embedded message. */
function bytesField(field: number, value: string | readonly number[]): number[] {
  const bytes = typeof value === 'string' ? [...Buffer.from(value, 'utf8')] : value;
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

/** ValueInfoProto of a 2-D float tensor with symbolic dimensions. */
function floatMatrix(name: string, rows: string, cols: string): number[] {
  const dim = (param: string) => bytesField(1, bytesField(2, param)); // TensorShapeProto.dim { dim_param }
  const tensorType = [...intField(1, 1), ...bytesField(2, [...dim(rows), ...dim(cols)])]; // elem_type FLOAT, shape
  return [...bytesField(1, name), ...bytesField(2, bytesField(1, tensorType))]; // name, type { tensor_type }
}

/** ModelProto of C = MatMul(A, B) with A [M, K], B [K, N]: IR version 8, opset 13. */
function matmulModel(): Uint8Array {
  const node = [...bytesField(1, 'A'), ...bytesField(1, 'B'), ...bytesField(2, 'C'), ...bytesField(4, 'MatMul')];
  const graph = [
    ...bytesField(1, node),
    ...bytesField(2, 'matmul'),
    ...bytesField(11, floatMatrix('A', 'M', 'K')),
    ...bytesField(11, floatMatrix('B', 'K', 'N')),
    ...bytesField(12, floatMatrix('C', 'M', 'N')),
  ];
  const opset = [...bytesField(1, ''), ...intField(2, 13)];
  return Uint8Array.from([...intField(1, 8), ...bytesField(7, graph), ...bytesField(8, opset)]);
}

// ---- timing ------------------------------------------------------------------------------

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} needs a positive integer`);
  return v;
}

function random(n: number, seed: number): Float32Array {
  let s = seed;
  // A small LCG: the inputs only need to be the same for both engines, not good randomness.
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** Best wall time in ms over `runs` calls after `warmup` calls. */
async function best(runs: number, warmup: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

function gflops({ m, n, k }: Shape, ms: number): number {
  return (2 * m * n * k) / (ms / 1000) / 1e9;
}

function round(x: number, digits = 2): number {
  return Number(x.toFixed(digits));
}

interface ShapeResult {
  readonly shape: string;
  readonly ours_gflops: number;
  readonly ours_fma_gflops: number;
  readonly ort_gflops: number;
  readonly ratio: number;
  readonly ratio_fma: number;
  readonly max_rel_diff: number;
}

/** The largest |x − y| over the largest |y|. */
function relDiff(x: Float32Array, y: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}

function geomean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

async function main(): Promise<void> {
  const threads = arg('threads', availableParallelism());
  const runs = arg('runs', 30);
  // The plain build first: asking for the relaxed-SIMD one may switch on V8's flag for it.
  const plain = await CpuKernels.create({ threads, relaxedSimd: false });
  const fma = await CpuKernels.create({ threads, relaxedSimd: true });
  const session = await ort.InferenceSession.create(matmulModel(), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  console.log(`matmul f32, M x N x K, ${threads} thread(s), best of ${runs}; ours = ${plain.variant}, ours_fma = ${fma.variant}`);
  const results: ShapeResult[] = [];
  try {
    for (const shape of SHAPES) {
      const { m, n, k } = shape;
      const aValues = random(m * k, 1);
      const bValues = random(k * n, 2);
      const engines = [plain, fma].map((kernels) => {
        kernels.reset();
        const a = kernels.f32(aValues);
        const b = kernels.f32(bValues);
        const c = kernels.alloc(m * n);
        return { c, call: () => kernels.matmul(a, b, c, m, n, k) };
      });
      const feeds = { A: new ort.Tensor('float32', aValues, [m, k]), B: new ort.Tensor('float32', bValues, [k, n]) };
      let ortC: Float32Array = new Float32Array(0);
      const ortCall = async (): Promise<void> => {
        ortC = (await session.run(feeds))['C']!.data as Float32Array;
      };
      // Three rounds, engines taking turns; the best time of each engine counts.
      const calls = [engines[0]!.call, engines[1]!.call, ortCall];
      const bestMs = [Infinity, Infinity, Infinity];
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < calls.length; i++) {
          await sleep(PAUSE_MS);
          bestMs[i] = Math.min(bestMs[i]!, await best(Math.ceil(runs / ROUNDS), 2, calls[i]!));
        }
      }
      // Both engines computed the same product: a sanity check that the timing is of real work.
      const diff = Math.max(relDiff(engines[0]!.c.data, ortC), relDiff(engines[1]!.c.data, ortC));
      const [oursMs, fmaMs, ortMs] = bestMs as [number, number, number];
      const r: ShapeResult = {
        shape: `${m}x${n}x${k}`,
        ours_gflops: round(gflops(shape, oursMs), 1),
        ours_fma_gflops: round(gflops(shape, fmaMs), 1),
        ort_gflops: round(gflops(shape, ortMs), 1),
        ratio: round(ortMs / oursMs, 3),
        ratio_fma: round(ortMs / fmaMs, 3),
        max_rel_diff: Number(diff.toExponential(2)),
      };
      results.push(r);
      console.log(
        `  ${r.shape.padEnd(14)} ours ${r.ours_gflops.toFixed(1).padStart(6)}  ours_fma ${r.ours_fma_gflops.toFixed(1).padStart(6)}  ` +
          `ort ${r.ort_gflops.toFixed(1).padStart(6)} GFLOP/s   ours/ort ${r.ratio.toFixed(2)}  fma/ort ${r.ratio_fma.toFixed(2)}  (max rel diff ${r.max_rel_diff})`,
      );
    }
  } finally {
    await plain.close();
    await fma.close();
    await session.release();
  }
  const geo = geomean(results.map((r) => r.ratio));
  const geoFma = geomean(results.map((r) => r.ratio_fma));
  console.log(`geometric mean ours/ort ${geo.toFixed(2)}, ours_fma/ort ${geoFma.toFixed(2)}`);
  const training = await trainingThroughput(threads);
  const decoding = await decodeThroughput(threads);
  const gpu = arg('gpu', 1) === 0 ? { skipped: 'by --gpu 0' } : await gpuFigures(runs, results, training, decoding);
  console.log(JSON.stringify({ bench: 'lm', threads, runs, shapes: results, ratio_geomean: round(geo, 3), ratio_fma_geomean: round(geoFma, 3), training, decoding, gpu }));
}

// ---- training throughput -------------------------------------------------------------------

/** About 5M parameters with a vocabulary the size of the corpus's (~5,000 tokens). */
const TRAIN_CONFIG: ModelConfig = { vocab: 5000, dModel: 256, nHeads: 4, dFF: 1024, encoderLayers: 2, decoderLayers: 2, maxLen: 128, tiedEmbeddings: true, positions: 'sinusoidal' };

/**
 * Tokens per second of training steps (forward, backward, AdamW) on the CPU backend, for the
 * ~5M-parameter config on batches of 16 pairs of 40-64 tokens a side (the corpus's median block
 * is about 50 tokens). onnxruntime-node cannot train, so the same-run peer is the float64
 * reference, timed on one step of two pairs.
 */
async function trainingThroughput(threads: number): Promise<Record<string, number>> {
  const { batches, tokens, pair } = trainingBatches();
  const params = initParams(TRAIN_CONFIG, 1);
  const kernels = await CpuKernels.create({ threads, relaxedSimd: false });
  let oursTokensPerSecond: number;
  try {
    const model = CpuModel.fromParams(kernels, TRAIN_CONFIG, params);
    model.trainStep(batches[0]!, 1e-4);
    const t0 = performance.now();
    let n = 0;
    for (let i = 1; i < batches.length; i++) {
      model.trainStep(batches[i]!, 1e-4);
      n += tokens(i);
    }
    oursTokensPerSecond = n / ((performance.now() - t0) / 1000);
  } finally {
    await kernels.close();
  }
  // The reference does plain loops, so its tokens/s hardly depends on the batch: two pairs keep it short.
  const small = makeBatch([pair(), pair()]);
  const t1 = performance.now();
  trainStep(params, TRAIN_CONFIG, small, new AdamW(), 1e-4);
  const refTokens = small.srcLengths.reduce((a, b) => a + b, 0) + small.tgtLengths.reduce((a, b) => a + b, 0);
  const refTokensPerSecond = refTokens / ((performance.now() - t1) / 1000);
  console.log(
    `training, ${(parameterCount(params) / 1e6).toFixed(2)}M parameters, batch 16: cpu backend ${oursTokensPerSecond.toFixed(0)} tokens/s, ` +
      `float64 reference ${refTokensPerSecond.toFixed(0)} tokens/s (x${(oursTokensPerSecond / refTokensPerSecond).toFixed(1)})`,
  );
  return {
    parameters: parameterCount(params),
    cpu_tokens_per_s: round(oursTokensPerSecond, 1),
    reference_tokens_per_s: round(refTokensPerSecond, 1),
    ratio_vs_reference: round(oursTokensPerSecond / refTokensPerSecond, 2),
  };
}

/** Four batches of 16 pairs of 40-64 tokens a side (seeded), their token counts, and the pair maker. */
function trainingBatches(): { batches: ReturnType<typeof makeBatch>[]; tokens: (i: number) => number; pair: () => Pair } {
  const rng = new Rng(1);
  const pair = (): Pair => {
    const len = (): number => 40 + rng.int(25);
    const ids = (n: number): number[] => Array.from({ length: n }, () => 4 + rng.int(TRAIN_CONFIG.vocab - 4));
    return { source: ids(len()), target: ids(len()) };
  };
  const batches = [0, 1, 2, 3].map(() => makeBatch(Array.from({ length: 16 }, pair)));
  const tokens = (i: number): number => batches[i]!.srcLengths.reduce((a, b) => a + b, 0) + batches[i]!.tgtLengths.reduce((a, b) => a + b, 0);
  return { batches, tokens, pair };
}

/** The decode figures' weights seed and output length. */
const DECODE_SEED = 2;
const DECODE_MAX_LEN = 32;

/** 8 sources of 48 tokens (seeded), the same for every engine. */
function decodeSources(): number[][] {
  const rng = new Rng(3);
  return Array.from({ length: 8 }, () => Array.from({ length: 48 }, () => 4 + rng.int(TRAIN_CONFIG.vocab - 4)));
}

/** Output tokens of a search, counted per hypothesis row as a decoder produces them. */
function produced(hyps: ReturnType<typeof beamSearch>, beam: number): number {
  return hyps.reduce((a, h) => a + Math.max(...h.map((x) => x.steps.length)), 0) * beam;
}

// ---- the GPU backend ---------------------------------------------------------------------------

/**
 * The GPU backend's figures where Dawn offers an adapter: matmul GFLOP/s per shape (each timing
 * covers 10 products and the wait for the GPU, best of the rounds), training and decode
 * throughput as on the CPU, with ratios against this run's onnxruntime and CPU backend figures.
 */
async function gpuFigures(runs: number, shapes: readonly ShapeResult[], training: Record<string, number>, decoding: Record<string, number>): Promise<Record<string, unknown>> {
  let kernels: GpuKernels;
  try {
    kernels = await GpuKernels.create({ allowFallback: true });
  } catch (e) {
    if (e instanceof GpuUnavailableError) {
      console.log(`gpu backend: not measured (${e.reason})`);
      return { available: false, reason: e.reason };
    }
    throw e;
  }
  const adapter = kernels.adapter;
  const out: Record<string, unknown> = { available: true, adapter: adapter.description || adapter.device, software: adapter.fallback };
  try {
    const perShape: Record<string, number>[] = [];
    for (const [i, shape] of SHAPES.entries()) {
      const { m, n, k } = shape;
      const mark = kernels.mark();
      const a = kernels.f32(random(m * k, 1));
      const b = kernels.f32(random(k * n, 2));
      const c = kernels.alloc(m * n);
      const ms =
        (await best(Math.max(1, Math.ceil(runs / 10)), 1, async () => {
          for (let r = 0; r < 10; r++) kernels.matmul(a, b, c, m, n, k);
          await kernels.finish();
        })) / 10;
      kernels.release(mark);
      const g = gflops(shape, ms);
      perShape.push({ gpu_gflops: round(g, 1), ratio_vs_ort: round(g / shapes[i]!.ort_gflops, 3) });
      console.log(`  gpu ${shapes[i]!.shape.padEnd(14)} ${g.toFixed(1).padStart(7)} GFLOP/s   gpu/ort ${(g / shapes[i]!.ort_gflops).toFixed(2)}`);
    }
    out['shapes'] = perShape;
    // The shapes above are sized for the CPU; on a hardware adapter they mostly time dispatch.
    // Larger products, with onnxruntime on the same machine as the peer and as the check.
    if (!adapter.fallback) out['large_shapes'] = await largeGpuProducts(kernels);
    const { batches, tokens } = trainingBatches();
    const model = GpuModel.fromParams(kernels, TRAIN_CONFIG, initParams(TRAIN_CONFIG, 1));
    await model.trainStep(batches[0]!, 1e-4);
    const t0 = performance.now();
    let count = 0;
    for (let i = 1; i < batches.length; i++) {
      await model.trainStep(batches[i]!, 1e-4);
      count += tokens(i);
    }
    const trainRate = count / ((performance.now() - t0) / 1000);
    out['training'] = { gpu_tokens_per_s: round(trainRate, 1), ratio_vs_cpu: round(trainRate / training['cpu_tokens_per_s']!, 3) };
    const decodeModel = GpuModel.fromParams(kernels, TRAIN_CONFIG, initParams(TRAIN_CONFIG, DECODE_SEED));
    const sources = decodeSources();
    const decode: Record<string, number> = {};
    for (const beam of [1, 4]) {
      const decoder = new GpuIncrementalDecoder(decodeModel, sources);
      const t1 = performance.now();
      const hyps = await beamSearchAsync(TRAIN_CONFIG, sources, { beam, maxLen: DECODE_MAX_LEN, decoder });
      const seconds = (performance.now() - t1) / 1000;
      decoder.close();
      const rate = produced(hyps, beam) / seconds;
      decode[`gpu_beam${beam}_tokens_per_s`] = round(rate, 1);
      decode[`beam${beam}_ratio_vs_cpu`] = round(rate / decoding[`cpu_beam${beam}_tokens_per_s`]!, 3);
    }
    out['decoding'] = decode;
    console.log(
      `gpu backend on ${String(out['adapter'])}${adapter.fallback ? ' (software)' : ''}: training ${trainRate.toFixed(0)} tokens/s (x${(trainRate / training['cpu_tokens_per_s']!).toFixed(2)} of cpu), ` +
        `decoding beam 1 ${decode['gpu_beam1_tokens_per_s']} tokens/s, beam 4 ${decode['gpu_beam4_tokens_per_s']} tokens/s`,
    );
  } finally {
    await kernels.close();
  }
  return out;
}

/** Products that fill a hardware GPU: GFLOP/s, the ratio to onnxruntime's, and their difference. */
async function largeGpuProducts(kernels: GpuKernels): Promise<Record<string, number | string>[]> {
  const session = await ort.InferenceSession.create(matmulModel(), { intraOpNumThreads: availableParallelism(), interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const out: Record<string, number | string>[] = [];
  try {
    for (const shape of LARGE_GPU_SHAPES) {
      const { m, n, k } = shape;
      const aValues = random(m * k, 3);
      const bValues = random(k * n, 4);
      const mark = kernels.mark();
      const a = kernels.f32(aValues);
      const b = kernels.f32(bValues);
      const c = kernels.alloc(m * n);
      const gpuMs =
        (await best(3, 1, async () => {
          for (let r = 0; r < 10; r++) kernels.matmul(a, b, c, m, n, k);
          await kernels.finish();
        })) / 10;
      const ours = await kernels.read(c);
      kernels.release(mark);
      const feeds = { A: new ort.Tensor('float32', aValues, [m, k]), B: new ort.Tensor('float32', bValues, [k, n]) };
      let ortC: Float32Array = new Float32Array(0);
      const ortMs = await best(2, 1, async () => {
        ortC = (await session.run(feeds))['C']!.data as Float32Array;
      });
      const r = {
        shape: `${m}x${n}x${k}`,
        gpu_gflops: round(gflops(shape, gpuMs), 1),
        ort_gflops: round(gflops(shape, ortMs), 1),
        ratio_vs_ort: round(ortMs / gpuMs, 2),
        max_rel_diff: Number(relDiff(ours, ortC).toExponential(2)),
      };
      out.push(r);
      console.log(`  gpu ${r.shape.padEnd(14)} ${String(r.gpu_gflops).padStart(7)} GFLOP/s   ort ${r.ort_gflops} GFLOP/s   gpu/ort ${r.ratio_vs_ort}  (max rel diff ${r.max_rel_diff})`);
    }
  } finally {
    await session.release();
  }
  return out;
}

await main();

// ---- decode throughput ----------------------------------------------------------------------

/**
 * Output tokens per second of batched beam search (beam 1 and 4) with the KV cache, on the CPU
 * backend and on the float64 reference, for the same ~5M-parameter config: 8 sources of 48
 * tokens, 32 output tokens each (untrained weights rarely stop early; the count is of real
 * steps). Tokens are counted per hypothesis row, as a decoder produces them.
 */
async function decodeThroughput(threads: number): Promise<Record<string, number>> {
  const config = TRAIN_CONFIG;
  const params = initParams(config, DECODE_SEED);
  const sources = decodeSources();
  const kernels = await CpuKernels.create({ threads, relaxedSimd: false });
  const out: Record<string, number> = {};
  try {
    const model = CpuModel.fromParams(kernels, config, params);
    for (const beam of [1, 4]) {
      const decoder = new CpuIncrementalDecoder(model, sources);
      const t0 = performance.now();
      const hyps = beamSearch(params, config, sources, { beam, maxLen: DECODE_MAX_LEN, decoder });
      const seconds = (performance.now() - t0) / 1000;
      decoder.close();
      out[`cpu_beam${beam}_tokens_per_s`] = round(produced(hyps, beam) / seconds, 1);
    }
  } finally {
    await kernels.close();
  }
  // The reference on one source, beam 1 (it is the slow peer; a larger batch would not help it).
  const t1 = performance.now();
  const ref = beamSearch(params, config, sources.slice(0, 1), { beam: 1, maxLen: 8 });
  out['reference_beam1_tokens_per_s'] = round(produced(ref, 1) / ((performance.now() - t1) / 1000), 1);
  console.log(
    `decoding, beam search with KV cache, 8 sources of 48 tokens: cpu backend beam 1 ${out['cpu_beam1_tokens_per_s']} tokens/s, ` +
      `beam 4 ${out['cpu_beam4_tokens_per_s']} tokens/s; float64 reference beam 1 ${out['reference_beam1_tokens_per_s']} tokens/s`,
  );
  return out;
}
