// The reference encoder-decoder transformer: configuration, seeded parameter initialisation,
// forward pass with teacher forcing, and a hand-written backward pass for every parameter. It is
// the float64 oracle for the fast kernels, so the forward keeps everything the backward needs in
// an explicit cache (no closures, no autograd tape) and the backward mirrors it step for step.
//
// Architecture (pre-LayerNorm throughout):
//   x = embed[id]·√d + position                                (tokens shared by both sides)
//   encoder layer:  x += SelfAttn(LN1(x), key padding);  x += FFN(LN2(x))
//   decoder layer:  y += SelfAttn(LN1(y), causal + padding);  y += CrossAttn(LN2(y), enc);  y += FFN(LN3(y))
//   enc = LN_enc(x);  logits = LN_dec(y)·Wout + b_out,  Wout = embedᵀ when tied
// FFN(x) = GELU_tanh(x·W1 + b1)·W2 + b2; attention projections all have biases.

import { PAD, BOS, EOS } from '../tokenizer.js';
import { Rng } from '../../util/random.js';
import {
  addBias,
  addBiasBackward,
  attention,
  attentionBackward,
  attentionMask,
  crossEntropy,
  crossEntropyBackward,
  embedding,
  embeddingBackward,
  gelu,
  geluBackward,
  layerNorm,
  layerNormBackward,
  LayerNormCache,
  matmul,
  matmulABt,
  matmulAtB,
} from './ops.js';
import { addInto, gaussian, reshape, ShapeError, Tensor, zeros } from './tensor.js';

export { PAD, BOS, EOS };

// ---------------------------------------------------------------------------------------------
// Configuration and parameters
// ---------------------------------------------------------------------------------------------

/** The model's hyper-parameters; plain JSON, saved next to the weights. */
export interface ModelConfig {
  /** Vocabulary size, special tokens included (PAD 0, BOS 1, EOS 2). */
  readonly vocab: number;
  readonly dModel: number;
  /** Attention heads; must divide `dModel`. */
  readonly nHeads: number;
  /** Hidden width of the feed-forward blocks. */
  readonly dFF: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  /** Longest source and longest decoder input (BOS + tokens), in tokens. */
  readonly maxLen: number;
  /** Output projection = token embedding transposed (no separate `out.w`). */
  readonly tiedEmbeddings: boolean;
  readonly positions: 'sinusoidal' | 'learned';
}

/** Named parameters, e.g. `enc.0.attn.wq`. Iteration order is the initialisation order. */
export type Params = Map<string, Tensor>;
/** Gradients, one per parameter, under the parameter's name. */
export type Grads = Map<string, Tensor>;

/** Throws a clear error for a configuration the model cannot be built from. */
export function validateConfig(config: ModelConfig): void {
  const ints: Array<[string, number, number]> = [
    ['vocab', config.vocab, 3],
    ['dModel', config.dModel, 1],
    ['nHeads', config.nHeads, 1],
    ['dFF', config.dFF, 1],
    ['encoderLayers', config.encoderLayers, 0],
    ['decoderLayers', config.decoderLayers, 0],
    ['maxLen', config.maxLen, 1],
  ];
  for (const [name, v, min] of ints) {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`model config: ${name} must be an integer >= ${min}, got ${v}`);
  }
  if (config.dModel % config.nHeads !== 0) throw new RangeError(`model config: nHeads ${config.nHeads} does not divide dModel ${config.dModel}`);
  if (config.positions !== 'sinusoidal' && config.positions !== 'learned') throw new RangeError(`model config: positions must be 'sinusoidal' or 'learned', got ${String(config.positions)}`);
  if (typeof config.tiedEmbeddings !== 'boolean') throw new RangeError('model config: tiedEmbeddings must be a boolean');
}

type Init = 'zeros' | 'ones' | { std: number };

interface ParamSpec {
  readonly name: string;
  readonly shape: number[];
  readonly init: Init;
}

function layerNormSpecs(prefix: string, d: number): ParamSpec[] {
  return [
    { name: `${prefix}.g`, shape: [d], init: 'ones' },
    { name: `${prefix}.b`, shape: [d], init: 'zeros' },
  ];
}

function attentionSpecs(prefix: string, d: number): ParamSpec[] {
  const w = { std: 1 / Math.sqrt(d) };
  return ['q', 'k', 'v', 'o'].flatMap((p) => [
    { name: `${prefix}.w${p}`, shape: [d, d], init: w },
    { name: `${prefix}.b${p}`, shape: [d], init: 'zeros' as const },
  ]);
}

function ffnSpecs(prefix: string, d: number, dFF: number): ParamSpec[] {
  return [
    { name: `${prefix}.w1`, shape: [d, dFF], init: { std: 1 / Math.sqrt(d) } },
    { name: `${prefix}.b1`, shape: [dFF], init: 'zeros' },
    { name: `${prefix}.w2`, shape: [dFF, d], init: { std: 1 / Math.sqrt(dFF) } },
    { name: `${prefix}.b2`, shape: [d], init: 'zeros' },
  ];
}

/**
 * Every parameter of a configuration, in initialisation order, with its shape and how it starts.
 * Matrices are N(0, 1/fan_in); the token embedding is N(0, 1/d) because it is scaled by √d on
 * input (unit-variance activations) and, when tied, must give unit-scale logits on output;
 * learned positions are N(0, 1/2), the per-component variance of the sinusoidal table.
 */
function parameterSpecs(config: ModelConfig): ParamSpec[] {
  validateConfig(config);
  const { vocab: V, dModel: d, dFF, maxLen } = config;
  const specs: ParamSpec[] = [{ name: 'embed', shape: [V, d], init: { std: 1 / Math.sqrt(d) } }];
  if (config.positions === 'learned') {
    specs.push({ name: 'enc.pos', shape: [maxLen, d], init: { std: Math.SQRT1_2 } });
    specs.push({ name: 'dec.pos', shape: [maxLen, d], init: { std: Math.SQRT1_2 } });
  }
  for (let l = 0; l < config.encoderLayers; l++) {
    specs.push(...layerNormSpecs(`enc.${l}.ln1`, d), ...attentionSpecs(`enc.${l}.attn`, d));
    specs.push(...layerNormSpecs(`enc.${l}.ln2`, d), ...ffnSpecs(`enc.${l}.ffn`, d, dFF));
  }
  specs.push(...layerNormSpecs('enc.ln', d));
  for (let l = 0; l < config.decoderLayers; l++) {
    specs.push(...layerNormSpecs(`dec.${l}.ln1`, d), ...attentionSpecs(`dec.${l}.self`, d));
    specs.push(...layerNormSpecs(`dec.${l}.ln2`, d), ...attentionSpecs(`dec.${l}.cross`, d));
    specs.push(...layerNormSpecs(`dec.${l}.ln3`, d), ...ffnSpecs(`dec.${l}.ffn`, d, dFF));
  }
  specs.push(...layerNormSpecs('dec.ln', d));
  if (!config.tiedEmbeddings) specs.push({ name: 'out.w', shape: [d, V], init: { std: 1 / Math.sqrt(d) } });
  specs.push({ name: 'out.b', shape: [V], init: 'zeros' });
  return specs;
}

/** Names and shapes of every parameter of a configuration, in initialisation order. */
export function parameterShapes(config: ModelConfig): Array<[string, number[]]> {
  return parameterSpecs(config).map((s) => [s.name, [...s.shape]]);
}

/** Fresh parameters for `config`, drawn from `new Rng(seed)` in `parameterShapes` order; same seed, same bits. */
export function initParams(config: ModelConfig, seed: number): Params {
  const rng = new Rng(seed);
  const params: Params = new Map();
  for (const spec of parameterSpecs(config)) {
    const t = zeros(spec.shape);
    if (spec.init === 'ones') t.data.fill(1);
    else if (spec.init !== 'zeros') for (let i = 0; i < t.data.length; i++) t.data[i] = spec.init.std * gaussian(rng);
    params.set(spec.name, t);
  }
  return params;
}

/** Zero tensors shaped like every parameter (a gradient accumulator). */
export function zerosLike(params: Params): Grads {
  const g: Grads = new Map();
  for (const [name, t] of params) g.set(name, zeros(t.shape));
  return g;
}

/** Total number of scalar parameters. */
export function parameterCount(params: Params): number {
  let n = 0;
  for (const t of params.values()) n += t.data.length;
  return n;
}

function get(params: Params, name: string): Tensor {
  const t = params.get(name);
  if (t === undefined) throw new RangeError(`model: missing parameter ${name}`);
  return t;
}

function accumulate(grads: Grads, name: string, g: Tensor): void {
  addInto(get(grads, name), g, `gradient of ${name}`);
}

const sinusoidCache = new Map<string, Tensor>();

/**
 * The sinusoidal position table `[maxLen, d]` of "Attention is all you need":
 * `PE[p, 2i] = sin(p / 10000^(2i/d))`, `PE[p, 2i+1] = cos(p / 10000^(2i/d))`.
 */
export function sinusoidalPositions(maxLen: number, d: number): Tensor {
  const key = `${maxLen}x${d}`;
  const hit = sinusoidCache.get(key);
  if (hit !== undefined) return hit;
  const t = zeros([maxLen, d]);
  for (let p = 0; p < maxLen; p++) {
    for (let j = 0; j < d; j++) {
      const angle = p / Math.pow(10000, (2 * Math.floor(j / 2)) / d);
      t.data[p * d + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  sinusoidCache.set(key, t);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------------------------

/**
 * A padded batch for teacher forcing. Item b's source is `src[b·srcLen .. b·srcLen + srcLengths[b])`;
 * the decoder reads `tgtIn` (BOS then the target) and is scored on `tgtOut` (the target then
 * EOS), both `tgtLengths[b]` long. Everything past a length is padding: its ids are ignored
 * (conventionally PAD) and it affects neither the loss nor any unpadded output.
 */
export interface Batch {
  readonly size: number;
  readonly srcLen: number;
  readonly tgtLen: number;
  readonly src: Int32Array;
  readonly srcLengths: readonly number[];
  readonly tgtIn: Int32Array;
  readonly tgtOut: Int32Array;
  readonly tgtLengths: readonly number[];
}

/** One training pair, without BOS/EOS (the batch adds them). */
export interface Pair {
  readonly source: readonly number[];
  readonly target: readonly number[];
}

/** Pads pairs of mixed lengths into one batch (PAD = 0), adding BOS/EOS around the targets. */
export function makeBatch(pairs: readonly Pair[]): Batch {
  if (pairs.length === 0) throw new RangeError('makeBatch: no pairs');
  const srcLen = Math.max(...pairs.map((p) => p.source.length));
  const tgtLen = Math.max(...pairs.map((p) => p.target.length + 1));
  const B = pairs.length;
  const src = new Int32Array(B * srcLen).fill(PAD);
  const tgtIn = new Int32Array(B * tgtLen).fill(PAD);
  const tgtOut = new Int32Array(B * tgtLen).fill(PAD);
  pairs.forEach((p, b) => {
    if (p.source.length === 0) throw new RangeError(`makeBatch: pair ${b} has an empty source`);
    src.set(p.source, b * srcLen);
    tgtIn[b * tgtLen] = BOS;
    tgtIn.set(p.target, b * tgtLen + 1);
    tgtOut.set(p.target, b * tgtLen);
    tgtOut[b * tgtLen + p.target.length] = EOS;
  });
  return {
    size: B,
    srcLen,
    tgtLen,
    src,
    srcLengths: pairs.map((p) => p.source.length),
    tgtIn,
    tgtOut,
    tgtLengths: pairs.map((p) => p.target.length + 1),
  };
}

function checkLengths(what: string, ids: Int32Array, lengths: readonly number[], B: number, T: number, config: ModelConfig): void {
  if (ids.length !== B * T) throw new ShapeError(`${what}: ${ids.length} ids for batch ${B} × length ${T}`);
  if (lengths.length !== B) throw new ShapeError(`${what}: ${lengths.length} lengths for batch ${B}`);
  if (T > config.maxLen) throw new RangeError(`${what}: length ${T} exceeds maxLen ${config.maxLen}`);
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1 || n > T) throw new RangeError(`${what}: length ${n} of item ${b} is outside [1, ${T}]`);
  });
}

// ---------------------------------------------------------------------------------------------
// Building blocks (forward + backward pairs)
// ---------------------------------------------------------------------------------------------

function linear(params: Params, prefix: string, w: string, b: string, x: Tensor): Tensor {
  return addBias(matmul(x, get(params, `${prefix}.${w}`)), get(params, `${prefix}.${b}`));
}

/** Adds the weight and bias gradients of `y = x·W + b` into `grads` and returns `dx`. */
function linearBackward(params: Params, grads: Grads, prefix: string, w: string, b: string, x: Tensor, dy: Tensor): Tensor {
  accumulate(grads, `${prefix}.${w}`, matmulAtB(x, dy));
  accumulate(grads, `${prefix}.${b}`, addBiasBackward(dy).db);
  return matmulABt(dy, get(params, `${prefix}.${w}`));
}

function norm(params: Params, prefix: string, x: Tensor): { y: Tensor; cache: LayerNormCache } {
  return layerNorm(x, get(params, `${prefix}.g`), get(params, `${prefix}.b`));
}

function normBackward(params: Params, grads: Grads, prefix: string, cache: LayerNormCache, dy: Tensor): Tensor {
  const { dx, dgamma, dbeta } = layerNormBackward(cache, get(params, `${prefix}.g`), dy);
  accumulate(grads, `${prefix}.g`, dgamma);
  accumulate(grads, `${prefix}.b`, dbeta);
  return dx;
}

/** What an attention block's backward needs; `probs[B,H,Tq,Tk]` doubles as the alignment. */
export interface AttentionCache {
  readonly xq: Tensor;
  readonly xkv: Tensor;
  readonly q: Tensor;
  readonly k: Tensor;
  readonly v: Tensor;
  readonly ctx: Tensor;
  readonly probs: Tensor;
}

function attentionBlock(
  params: Params,
  prefix: string,
  xq: Tensor,
  xkv: Tensor,
  dims: { B: number; Tq: number; Tk: number; H: number },
  mask: Uint8Array,
): { y: Tensor; cache: AttentionCache } {
  const { B, Tq, Tk, H } = dims;
  const d = xq.shape[1]!;
  const q = reshape(linear(params, prefix, 'wq', 'bq', xq), [B, Tq, d]);
  const k = reshape(linear(params, prefix, 'wk', 'bk', xkv), [B, Tk, d]);
  const v = reshape(linear(params, prefix, 'wv', 'bv', xkv), [B, Tk, d]);
  const { out, probs } = attention(q, k, v, H, mask);
  const ctx = reshape(out, [B * Tq, d]);
  const y = linear(params, prefix, 'wo', 'bo', ctx);
  return { y, cache: { xq, xkv, q, k, v, ctx, probs } };
}

function attentionBlockBackward(params: Params, grads: Grads, prefix: string, c: AttentionCache, H: number, dy: Tensor): { dxq: Tensor; dxkv: Tensor } {
  const dctx = linearBackward(params, grads, prefix, 'wo', 'bo', c.ctx, dy);
  const { dq, dk, dv } = attentionBackward(c.q, c.k, c.v, c.probs, reshape(dctx, c.q.shape), H);
  const d = c.xq.shape[1]!;
  const dxq = linearBackward(params, grads, prefix, 'wq', 'bq', c.xq, reshape(dq, [c.xq.shape[0]!, d]));
  const dxkv = linearBackward(params, grads, prefix, 'wk', 'bk', c.xkv, reshape(dk, [c.xkv.shape[0]!, d]));
  addInto(dxkv, linearBackward(params, grads, prefix, 'wv', 'bv', c.xkv, reshape(dv, [c.xkv.shape[0]!, d])));
  return { dxq, dxkv };
}

interface FfnCache {
  readonly x: Tensor;
  readonly h: Tensor;
  readonly g: Tensor;
}

function ffn(params: Params, prefix: string, x: Tensor): { y: Tensor; cache: FfnCache } {
  const h = linear(params, prefix, 'w1', 'b1', x);
  const g = gelu(h);
  return { y: linear(params, prefix, 'w2', 'b2', g), cache: { x, h, g } };
}

function ffnBackward(params: Params, grads: Grads, prefix: string, c: FfnCache, dy: Tensor): Tensor {
  const dg = linearBackward(params, grads, prefix, 'w2', 'b2', c.g, dy);
  return linearBackward(params, grads, prefix, 'w1', 'b1', c.x, geluBackward(c.h, dg));
}

/** Token embedding ·√d plus position, rows `[B·T, d]`. */
function embed(params: Params, config: ModelConfig, side: 'enc' | 'dec', ids: Int32Array, T: number): Tensor {
  const d = config.dModel;
  const x = embedding(get(params, 'embed'), ids);
  const pos = config.positions === 'learned' ? get(params, `${side}.pos`) : sinusoidalPositions(config.maxLen, d);
  const scale = Math.sqrt(d);
  for (let r = 0; r < ids.length; r++) {
    const t = r % T;
    for (let j = 0; j < d; j++) x.data[r * d + j] = x.data[r * d + j]! * scale + pos.data[t * d + j]!;
  }
  return x;
}

function embedBackward(grads: Grads, config: ModelConfig, side: 'enc' | 'dec', ids: Int32Array, T: number, dx: Tensor): void {
  const d = config.dModel;
  const scale = Math.sqrt(d);
  const scaled = zeros(dx.shape);
  for (let i = 0; i < dx.data.length; i++) scaled.data[i] = dx.data[i]! * scale;
  accumulate(grads, 'embed', embeddingBackward(ids, scaled, config.vocab));
  if (config.positions === 'learned') {
    const dpos = get(grads, `${side}.pos`);
    for (let r = 0; r < ids.length; r++) {
      const t = r % T;
      for (let j = 0; j < d; j++) dpos.data[t * d + j]! += dx.data[r * d + j]!;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Encoder
// ---------------------------------------------------------------------------------------------

export interface EncoderLayerCache {
  readonly ln1: LayerNormCache;
  readonly attn: AttentionCache;
  readonly ln2: LayerNormCache;
  readonly ffn: FfnCache;
}

export interface EncoderCache {
  readonly size: number;
  readonly srcLen: number;
  readonly ids: Int32Array;
  readonly srcLengths: readonly number[];
  readonly layers: readonly EncoderLayerCache[];
  readonly final: LayerNormCache;
}

/** The encoder's output `[B·S, d]` (after the final layernorm) and its cache. */
export interface EncoderResult {
  readonly out: Tensor;
  readonly cache: EncoderCache;
}

/**
 * Runs the encoder over padded sources `src[B·S]`. Keys past `srcLengths[b]` are masked, so
 * unpadded outputs do not depend on padding; padded rows are computed but meaningless.
 */
export function encode(params: Params, config: ModelConfig, src: Int32Array, srcLengths: readonly number[], size: number, srcLen: number): EncoderResult {
  checkLengths('encode source', src, srcLengths, size, srcLen, config);
  const H = config.nHeads;
  const mask = attentionMask(size, srcLen, srcLen, { keyLengths: srcLengths });
  let x = embed(params, config, 'enc', src, srcLen);
  const layers: EncoderLayerCache[] = [];
  for (let l = 0; l < config.encoderLayers; l++) {
    const p = `enc.${l}`;
    const n1 = norm(params, `${p}.ln1`, x);
    const a = attentionBlock(params, `${p}.attn`, n1.y, n1.y, { B: size, Tq: srcLen, Tk: srcLen, H }, mask);
    addInto(a.y, x);
    x = a.y;
    const n2 = norm(params, `${p}.ln2`, x);
    const f = ffn(params, `${p}.ffn`, n2.y);
    addInto(f.y, x);
    x = f.y;
    layers.push({ ln1: n1.cache, attn: a.cache, ln2: n2.cache, ffn: f.cache });
  }
  const fin = norm(params, 'enc.ln', x);
  return { out: fin.y, cache: { size, srcLen, ids: src, srcLengths, layers, final: fin.cache } };
}

function encodeBackward(params: Params, config: ModelConfig, grads: Grads, cache: EncoderCache, dout: Tensor): void {
  const H = config.nHeads;
  let dx = normBackward(params, grads, 'enc.ln', cache.final, dout);
  for (let l = config.encoderLayers - 1; l >= 0; l--) {
    const p = `enc.${l}`;
    const c = cache.layers[l]!;
    // x2 = x1 + FFN(LN2(x1)): the residual passes dx straight through, the branch adds to it.
    addInto(dx, normBackward(params, grads, `${p}.ln2`, c.ln2, ffnBackward(params, grads, `${p}.ffn`, c.ffn, dx)));
    const { dxq, dxkv } = attentionBlockBackward(params, grads, `${p}.attn`, c.attn, H, dx);
    addInto(dxq, dxkv);
    addInto(dx, normBackward(params, grads, `${p}.ln1`, c.ln1, dxq));
  }
  embedBackward(grads, config, 'enc', cache.ids, cache.srcLen, dx);
}

// ---------------------------------------------------------------------------------------------
// Decoder
// ---------------------------------------------------------------------------------------------

export interface DecoderLayerCache {
  readonly ln1: LayerNormCache;
  readonly self: AttentionCache;
  readonly ln2: LayerNormCache;
  readonly cross: AttentionCache;
  readonly ln3: LayerNormCache;
  readonly ffn: FfnCache;
}

export interface DecoderCache {
  readonly size: number;
  readonly tgtLen: number;
  readonly srcLen: number;
  readonly ids: Int32Array;
  readonly tgtLengths: readonly number[];
  readonly layers: readonly DecoderLayerCache[];
  readonly final: LayerNormCache;
  /** The final hidden states `[B·T, d]`, input of the output projection. */
  readonly hidden: Tensor;
}

/** The decoder's logits `[B, T, V]` and its cache (which holds the cross-attention). */
export interface DecoderResult {
  readonly logits: Tensor;
  readonly cache: DecoderCache;
}

/**
 * Runs the decoder over padded inputs `tgtIn[B·T]` (BOS first) against an encoder output.
 * Self-attention is causal and masks keys past `tgtLengths[b]`; cross-attention masks source
 * positions past the encoder's `srcLengths[b]`.
 */
export function decode(params: Params, config: ModelConfig, enc: EncoderResult, tgtIn: Int32Array, tgtLengths: readonly number[], tgtLen: number): DecoderResult {
  const { size, srcLen, srcLengths } = enc.cache;
  checkLengths('decode input', tgtIn, tgtLengths, size, tgtLen, config);
  const H = config.nHeads;
  const selfMask = attentionMask(size, tgtLen, tgtLen, { keyLengths: tgtLengths, causal: true });
  const crossMask = attentionMask(size, tgtLen, srcLen, { keyLengths: srcLengths });
  let y = embed(params, config, 'dec', tgtIn, tgtLen);
  const layers: DecoderLayerCache[] = [];
  for (let l = 0; l < config.decoderLayers; l++) {
    const p = `dec.${l}`;
    const n1 = norm(params, `${p}.ln1`, y);
    const s = attentionBlock(params, `${p}.self`, n1.y, n1.y, { B: size, Tq: tgtLen, Tk: tgtLen, H }, selfMask);
    addInto(s.y, y);
    y = s.y;
    const n2 = norm(params, `${p}.ln2`, y);
    const c = attentionBlock(params, `${p}.cross`, n2.y, enc.out, { B: size, Tq: tgtLen, Tk: srcLen, H }, crossMask);
    addInto(c.y, y);
    y = c.y;
    const n3 = norm(params, `${p}.ln3`, y);
    const f = ffn(params, `${p}.ffn`, n3.y);
    addInto(f.y, y);
    y = f.y;
    layers.push({ ln1: n1.cache, self: s.cache, ln2: n2.cache, cross: c.cache, ln3: n3.cache, ffn: f.cache });
  }
  const fin = norm(params, 'dec.ln', y);
  const hidden = fin.y;
  const flat = config.tiedEmbeddings ? matmulABt(hidden, get(params, 'embed')) : matmul(hidden, get(params, 'out.w'));
  const logits = reshape(addBias(flat, get(params, 'out.b')), [size, tgtLen, config.vocab]);
  return { logits, cache: { size, tgtLen, srcLen, ids: tgtIn, tgtLengths, layers, final: fin.cache, hidden } };
}

/** Backward of `decode` from `dlogits[B·T, V]`; returns the gradient of the encoder output. */
function decodeBackward(params: Params, config: ModelConfig, grads: Grads, cache: DecoderCache, dlogits: Tensor): Tensor {
  const H = config.nHeads;
  accumulate(grads, 'out.b', addBiasBackward(dlogits).db);
  let dhidden: Tensor;
  if (config.tiedEmbeddings) {
    // logits = h·Eᵀ: dE = dlogitsᵀ·h, dh = dlogits·E.
    accumulate(grads, 'embed', matmulAtB(dlogits, cache.hidden));
    dhidden = matmul(dlogits, get(params, 'embed'));
  } else {
    accumulate(grads, 'out.w', matmulAtB(cache.hidden, dlogits));
    dhidden = matmulABt(dlogits, get(params, 'out.w'));
  }
  const dy = normBackward(params, grads, 'dec.ln', cache.final, dhidden);
  let denc: Tensor | undefined;
  for (let l = config.decoderLayers - 1; l >= 0; l--) {
    const p = `dec.${l}`;
    const c = cache.layers[l]!;
    addInto(dy, normBackward(params, grads, `${p}.ln3`, c.ln3, ffnBackward(params, grads, `${p}.ffn`, c.ffn, dy)));
    const cross = attentionBlockBackward(params, grads, `${p}.cross`, c.cross, H, dy);
    if (denc === undefined) denc = cross.dxkv;
    else addInto(denc, cross.dxkv);
    addInto(dy, normBackward(params, grads, `${p}.ln2`, c.ln2, cross.dxq));
    const self = attentionBlockBackward(params, grads, `${p}.self`, c.self, H, dy);
    addInto(self.dxq, self.dxkv);
    addInto(dy, normBackward(params, grads, `${p}.ln1`, c.ln1, self.dxq));
  }
  embedBackward(grads, config, 'dec', cache.ids, cache.tgtLen, dy);
  return denc ?? zeros([cache.size * cache.srcLen, config.dModel]);
}

// ---------------------------------------------------------------------------------------------
// Whole model
// ---------------------------------------------------------------------------------------------

/** Everything `backward` needs from a `forward`. */
export interface ForwardCache {
  readonly encoder: EncoderCache;
  readonly decoder: DecoderCache;
  /** Softmax of the logits `[B·T, V]`. */
  readonly probs: Tensor;
  /** 1 for the scored target positions (inside `tgtLengths`), `[B·T]`. */
  readonly lossMask: Uint8Array;
}

export interface ForwardResult {
  /** Mean cross-entropy over the unpadded target tokens (EOS included). */
  readonly loss: number;
  /** How many target tokens the loss averages over. */
  readonly tokens: number;
  readonly logits: Tensor;
  readonly cache: ForwardCache;
}

/** The loss mask of a batch: 1 for positions inside each item's target length. */
export function targetMask(batch: Batch): Uint8Array {
  const mask = new Uint8Array(batch.size * batch.tgtLen);
  batch.tgtLengths.forEach((n, b) => mask.fill(1, b * batch.tgtLen, b * batch.tgtLen + n));
  return mask;
}

/** Teacher-forced forward pass: logits for every decoder position and the masked mean cross-entropy. */
export function forward(params: Params, config: ModelConfig, batch: Batch): ForwardResult {
  const enc = encode(params, config, batch.src, batch.srcLengths, batch.size, batch.srcLen);
  if (batch.tgtOut.length !== batch.size * batch.tgtLen) throw new ShapeError(`forward: ${batch.tgtOut.length} labels for batch ${batch.size} × ${batch.tgtLen}`);
  const dec = decode(params, config, enc, batch.tgtIn, batch.tgtLengths, batch.tgtLen);
  const lossMask = targetMask(batch);
  const flat = reshape(dec.logits, [batch.size * batch.tgtLen, config.vocab]);
  const { loss, probs, count } = crossEntropy(flat, batch.tgtOut, lossMask);
  return { loss, tokens: count, logits: dec.logits, cache: { encoder: enc.cache, decoder: dec.cache, probs, lossMask } };
}

/** Gradients of `forward(...).loss` with respect to every parameter (same names and shapes). */
export function backward(params: Params, config: ModelConfig, batch: Batch, result: ForwardResult): Grads {
  const grads = zerosLike(params);
  const dlogits = crossEntropyBackward(result.cache.probs, batch.tgtOut, result.cache.lossMask);
  const denc = decodeBackward(params, config, grads, result.cache.decoder, dlogits);
  encodeBackward(params, config, grads, result.cache.encoder, denc);
  return grads;
}

/** The cross-attention probabilities `[B, H, T, S]` of every decoder layer. */
export function crossAttentionProbs(cache: DecoderCache): Tensor[] {
  return cache.layers.map((l) => l.cross.probs);
}

/**
 * Cross-attention averaged over heads (and over `layers`, default all decoder layers): `[B, T, S]`,
 * row (b, t) the distribution over source positions used to produce target position t. This is
 * the per-token alignment signal; rows sum to 1 over the unpadded source.
 */
export function averagedCrossAttention(cache: DecoderCache, layers?: readonly number[]): Tensor {
  const chosen = layers ?? cache.layers.map((_, i) => i);
  const { size: B, tgtLen: T, srcLen: S } = cache;
  const out = zeros([B, T, S]);
  if (chosen.length === 0) return out;
  for (const l of chosen) {
    const layer = cache.layers[l];
    if (layer === undefined) throw new RangeError(`averagedCrossAttention: no decoder layer ${l}`);
    const P = layer.cross.probs;
    const H = P.shape[1]!;
    const w = 1 / (H * chosen.length);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        for (let t = 0; t < T; t++) {
          for (let s = 0; s < S; s++) out.data[(b * T + t) * S + s]! += w * P.data[((b * H + h) * T + t) * S + s]!;
        }
      }
    }
  }
  return out;
}
