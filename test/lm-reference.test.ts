// The float64 reference language model, proven against itself: every op's backward against
// central finite differences (odd shapes, masks), the whole encoder-decoder's gradient for every
// parameter in all four tied/untied × sinusoidal/learned variants, padding that cannot change
// the loss or the gradients, and bit-for-bit determinism from a seed.
//
// Gradient-check criterion, everywhere: |analytic − numeric| ≤ RTOL · max(|analytic|, |numeric|, FLOOR)
// with central differences of step H. In float64 the truncation error is ~H²·f‴ ≈ 1e-10 and the
// rounding error ~ε·|L|/H ≈ 1e-11·|L|, so a correct backward lands near 1e-8 relative; a wrong
// one (a missing term, a transposed index) is off by O(1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/util/random.js';
import { fromArray, gaussian, maxAbsDiff, randn, reshape, ShapeError, Tensor, zeros } from '../src/lm/reference/tensor.js';
import {
  add,
  addBackward,
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
  matmul,
  matmulABt,
  matmulAtB,
  matmulBackward,
  softmax,
  softmaxBackward,
} from '../src/lm/reference/ops.js';
import {
  averagedCrossAttention,
  backward,
  Batch,
  forward,
  initParams,
  makeBatch,
  ModelConfig,
  Params,
  parameterShapes,
  validateConfig,
} from '../src/lm/reference/model.js';

const H = 1e-5;
const RTOL = 1e-6;
const FLOOR = 1e-3;

interface Check {
  worst: number;
  checked: number;
}

/** Relative error of one entry under the criterion above (≤ RTOL passes). */
function relErr(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), FLOOR);
}

/**
 * Compares `analytic` with central differences of `loss` in `x`, at `indices` (default: all).
 * `x` is perturbed in place and restored.
 */
function gradCheck(what: string, loss: () => number, x: Tensor, analytic: Tensor, indices?: readonly number[], acc?: Check): number {
  assert.deepEqual(analytic.shape, x.shape, `${what}: gradient shape`);
  let worst = 0;
  for (const i of indices ?? x.data.keys()) {
    const orig = x.data[i]!;
    x.data[i] = orig + H;
    const lp = loss();
    x.data[i] = orig - H;
    const lm = loss();
    x.data[i] = orig;
    const numeric = (lp - lm) / (2 * H);
    const err = relErr(analytic.data[i]!, numeric);
    assert.ok(err <= RTOL, `${what}[${i}]: analytic ${analytic.data[i]} vs numeric ${numeric} (relative error ${err.toExponential(2)})`);
    worst = Math.max(worst, err);
    if (acc !== undefined) acc.checked++;
  }
  if (acc !== undefined) acc.worst = Math.max(acc.worst, worst);
  return worst;
}

/** Σ y ⊙ r: a scalar whose gradient in y is r, so any op's backward can be checked with dy = r. */
function dot(y: Tensor, r: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += y.data[i]! * r.data[i]!;
  return s;
}

function randomMask(rng: Rng, n: number, pKeep: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => (rng.nextU32() / 0x1_0000_0000 < pKeep ? 1 : 0));
}

test('lm reference ops: matmul and its transposed variants, forward values and backward', (t) => {
  const rng = new Rng(11);
  const acc: Check = { worst: 0, checked: 0 };
  const a = randn([3, 5], rng);
  const b = randn([5, 7], rng);
  const y = matmul(a, b);
  // y[1,2] by hand.
  let y12 = 0;
  for (let p = 0; p < 5; p++) y12 += a.data[1 * 5 + p]! * b.data[p * 7 + 2]!;
  assert.ok(Math.abs(y.data[1 * 7 + 2]! - y12) < 1e-14);
  const bt = zeros([7, 5]);
  for (let p = 0; p < 5; p++) for (let j = 0; j < 7; j++) bt.data[j * 5 + p] = b.data[p * 7 + j]!;
  const at = zeros([5, 3]);
  for (let i = 0; i < 3; i++) for (let p = 0; p < 5; p++) at.data[p * 3 + i] = a.data[i * 5 + p]!;
  assert.ok(maxAbsDiff(matmulABt(a, bt), y) < 1e-14);
  assert.ok(maxAbsDiff(matmulAtB(at, b), y) < 1e-14);

  const r = randn([3, 7], rng);
  const { da, db } = matmulBackward(a, b, r);
  gradCheck('matmul dA', () => dot(matmul(a, b), r), a, da, undefined, acc);
  gradCheck('matmul dB', () => dot(matmul(a, b), r), b, db, undefined, acc);
  assert.throws(() => matmul(a, a), (e: unknown) => e instanceof ShapeError && /do not chain/.test(e.message));
  t.diagnostic(`matmul: ${acc.checked} entries, worst relative error ${acc.worst.toExponential(2)} (bound ${RTOL})`);
});

test('lm reference ops: bias, residual add, GELU (tanh approximation)', (t) => {
  const rng = new Rng(12);
  const acc: Check = { worst: 0, checked: 0 };
  const x = randn([4, 3], rng);
  const bias = randn([3], rng);
  const r = randn([4, 3], rng);
  const bb = addBiasBackward(r);
  gradCheck('addBias dx', () => dot(addBias(x, bias), r), x, bb.dx, undefined, acc);
  gradCheck('addBias db', () => dot(addBias(x, bias), r), bias, bb.db, undefined, acc);

  const x2 = randn([4, 3], rng);
  const ab = addBackward(r);
  gradCheck('add da', () => dot(add(x, x2), r), x, ab.da, undefined, acc);
  gradCheck('add db', () => dot(add(x, x2), r), x2, ab.db, undefined, acc);

  // GELU over a wide range, including the tails where the derivative is ~0 or ~1.
  const g = randn([5, 7], rng, 3);
  const rg = randn([5, 7], rng);
  gradCheck('gelu', () => dot(gelu(g), rg), g, geluBackward(g, rg), undefined, acc);
  const known = gelu(fromArray([3], [0, 1, -1]));
  assert.equal(known.data[0], 0);
  // PyTorch: gelu(1, approximate='tanh') = 0.8411919906082768.
  assert.ok(Math.abs(known.data[1]! - 0.8411919906082768) < 1e-15);
  assert.ok(Math.abs(known.data[2]! - (0.8411919906082768 - 1)) < 1e-15);
  t.diagnostic(`bias/add/gelu: ${acc.checked} entries, worst relative error ${acc.worst.toExponential(2)}`);
});

test('lm reference ops: softmax over the last axis, plain and masked', (t) => {
  const rng = new Rng(13);
  const acc: Check = { worst: 0, checked: 0 };
  const x = randn([2, 3, 7], rng, 2);
  const r = randn([2, 3, 7], rng);
  const y = softmax(x);
  for (let row = 0; row < 6; row++) {
    let s = 0;
    for (let j = 0; j < 7; j++) s += y.data[row * 7 + j]!;
    assert.ok(Math.abs(s - 1) < 1e-14);
  }
  gradCheck('softmax', () => dot(softmax(x), r), x, softmaxBackward(y, r), undefined, acc);

  const mask = randomMask(rng, 42, 0.6);
  mask.fill(0, 14, 21); // one row fully masked
  mask[0] = 1;
  const ym = softmax(x, mask);
  for (let i = 0; i < 42; i++) if (mask[i] === 0) assert.equal(ym.data[i], 0);
  for (let j = 14; j < 21; j++) assert.equal(ym.data[j], 0);
  gradCheck('masked softmax', () => dot(softmax(x, mask), r), x, softmaxBackward(ym, r), undefined, acc);
  // A huge masked logit must not matter at all.
  const x2 = fromArray(x.shape, x.data);
  for (let i = 0; i < 42; i++) if (mask[i] === 0) x2.data[i] = 1e300;
  assert.equal(maxAbsDiff(softmax(x2, mask), ym), 0);
  t.diagnostic(`softmax: ${acc.checked} entries, worst relative error ${acc.worst.toExponential(2)}`);
});

test('lm reference ops: layernorm with gamma and beta', (t) => {
  const rng = new Rng(14);
  const acc: Check = { worst: 0, checked: 0 };
  const x = randn([5, 7], rng, 2);
  const gamma = randn([7], rng);
  const beta = randn([7], rng);
  const r = randn([5, 7], rng);
  const { y, cache } = layerNorm(x, gamma, beta);
  const unit = layerNorm(x, fromArray([7], new Array(7).fill(1)), zeros([7])).y;
  for (let i = 0; i < 5; i++) {
    let m = 0;
    let v = 0;
    for (let j = 0; j < 7; j++) m += unit.data[i * 7 + j]! / 7;
    for (let j = 0; j < 7; j++) v += (unit.data[i * 7 + j]! - m) ** 2 / 7;
    assert.ok(Math.abs(m) < 1e-14 && Math.abs(v - 1) < 1e-3, `row ${i}: mean ${m}, var ${v}`);
  }
  assert.equal(y.shape.join(), '5,7');
  const g = layerNormBackward(cache, gamma, r);
  const f = (): number => dot(layerNorm(x, gamma, beta).y, r);
  gradCheck('layerNorm dx', f, x, g.dx, undefined, acc);
  gradCheck('layerNorm dgamma', f, gamma, g.dgamma, undefined, acc);
  gradCheck('layerNorm dbeta', f, beta, g.dbeta, undefined, acc);
  t.diagnostic(`layernorm: ${acc.checked} entries, worst relative error ${acc.worst.toExponential(2)}`);
});

test('lm reference ops: embedding gather and scatter-add backward (repeated ids)', (t) => {
  const rng = new Rng(15);
  const acc: Check = { worst: 0, checked: 0 };
  const table = randn([6, 3], rng);
  const ids = [1, 4, 1, 5, 0];
  const r = randn([5, 3], rng);
  const y = embedding(table, ids);
  assert.deepEqual(Array.from(y.data.subarray(3, 6)), Array.from(table.data.subarray(12, 15)));
  const dt = embeddingBackward(ids, r, 6);
  gradCheck('embedding', () => dot(embedding(table, ids), r), table, dt, undefined, acc);
  assert.ok(dt.data.subarray(6, 9).every((v) => v === 0), 'id 2 unused: zero gradient');
  assert.throws(() => embedding(table, [6]), RangeError);
  t.diagnostic(`embedding: ${acc.checked} entries, worst relative error ${acc.worst.toExponential(2)}`);
});

test('lm reference ops: cross-entropy with a loss mask (mean over unmasked rows)', (t) => {
  const rng = new Rng(16);
  const acc: Check = { worst: 0, checked: 0 };
  const logits = randn([5, 7], rng, 2);
  const targets = [3, 0, 6, 6, 2];
  const mask = Uint8Array.from([1, 0, 1, 1, 0]);
  const { loss, probs, count } = crossEntropy(logits, targets, mask);
  assert.equal(count, 3);
  let expected = 0;
  for (const i of [0, 2, 3]) expected += -Math.log(probs.data[i * 7 + targets[i]!]!);
  assert.ok(Math.abs(loss - expected / 3) < 1e-14);
  const d = crossEntropyBackward(probs, targets, mask);
  gradCheck('crossEntropy', () => crossEntropy(logits, targets, mask).loss, logits, d, undefined, acc);
  // Masked rows: a nonsense target there is never even looked at.
  assert.equal(crossEntropy(logits, [3, 99, 6, 6, -1], mask).loss, loss);
  assert.equal(crossEntropy(logits, targets, new Uint8Array(5)).loss, 0);
  t.diagnostic(`cross-entropy: ${acc.checked} entries, worst relative error ${acc.worst.toExponential(2)}`);
});

test('lm reference ops: multi-head scaled dot-product attention, padding and causal masks', (t) => {
  const rng = new Rng(17);
  const acc: Check = { worst: 0, checked: 0 };
  const cases: Array<{ tq: number; tk: number; heads: number; d: number; mask?: Uint8Array }> = [
    { tq: 3, tk: 5, heads: 3, d: 6 },
    { tq: 3, tk: 5, heads: 3, d: 6, mask: attentionMask(2, 3, 5, { keyLengths: [5, 3] }) },
    { tq: 4, tk: 4, heads: 2, d: 6, mask: attentionMask(2, 4, 4, { keyLengths: [4, 2], causal: true }) },
    { tq: 1, tk: 7, heads: 1, d: 5, mask: attentionMask(2, 1, 7, { keyLengths: [1, 7] }) },
  ];
  for (const c of cases) {
    const q = randn([2, c.tq, c.d], rng);
    const k = randn([2, c.tk, c.d], rng);
    const v = randn([2, c.tk, c.d], rng);
    const r = randn([2, c.tq, c.d], rng);
    const { probs } = attention(q, k, v, c.heads, c.mask);
    const g = attentionBackward(q, k, v, probs, r, c.heads);
    const f = (): number => dot(attention(q, k, v, c.heads, c.mask).out, r);
    const what = `attention ${c.tq}x${c.tk} h${c.heads}${c.mask ? ' masked' : ''}`;
    gradCheck(`${what} dq`, f, q, g.dq, undefined, acc);
    gradCheck(`${what} dk`, f, k, g.dk, undefined, acc);
    gradCheck(`${what} dv`, f, v, g.dv, undefined, acc);
  }
  // Causal + padding: probabilities are exactly 0 where masked; head 0's output is P·V by hand.
  const m = attentionMask(1, 3, 3, { keyLengths: [2], causal: true });
  assert.deepEqual(Array.from(m), [1, 0, 0, 1, 1, 0, 1, 1, 0]);
  const q = randn([1, 3, 4], rng);
  const k = randn([1, 3, 4], rng);
  const v = randn([1, 3, 4], rng);
  const { out, probs } = attention(q, k, v, 2, m);
  assert.equal(probs.data[0 * 9 + 1], 0);
  assert.equal(probs.data[1 * 9 + 2 * 3 + 2], 0);
  const s0 = (q.data[4]! * k.data[0]! + q.data[5]! * k.data[1]!) / Math.SQRT2;
  const s1 = (q.data[4]! * k.data[4]! + q.data[5]! * k.data[5]!) / Math.SQRT2;
  const p0 = 1 / (1 + Math.exp(s1 - s0));
  assert.ok(Math.abs(out.data[4]! - (p0 * v.data[0]! + (1 - p0) * v.data[4]!)) < 1e-14);
  assert.throws(() => attention(q, k, v, 3), ShapeError);
  t.diagnostic(`attention: ${acc.checked} entries, worst relative error ${acc.worst.toExponential(2)}`);
});

// ---------------------------------------------------------------------------------------------
// Whole model
// ---------------------------------------------------------------------------------------------

function tinyConfig(tiedEmbeddings: boolean, positions: 'sinusoidal' | 'learned'): ModelConfig {
  return { vocab: 11, dModel: 8, nHeads: 2, dFF: 16, encoderLayers: 1, decoderLayers: 1, maxLen: 9, tiedEmbeddings, positions };
}

/** Mixed lengths in both sides, so every mask and every padding path is exercised. */
function tinyBatch(): Batch {
  return makeBatch([
    { source: [4, 5, 6], target: [7, 8] },
    { source: [9, 3, 4, 5, 6, 10], target: [10, 4, 5, 6, 7] },
    { source: [8], target: [9, 9, 3] },
  ]);
}

/** Initial parameters moved off their special values (γ = 1, β = b = 0), which could hide a bug. */
function jittered(config: ModelConfig, seed: number): Params {
  const params = initParams(config, seed);
  const rng = new Rng(seed + 1000);
  for (const p of params.values()) for (let i = 0; i < p.data.length; i++) p.data[i]! += 0.1 * gaussian(rng);
  return params;
}

function sampleIndices(rng: Rng, n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(n));
  return [...chosen].sort((a, b) => a - b);
}

for (const tied of [true, false]) {
  for (const positions of ['sinusoidal', 'learned'] as const) {
    test(`lm reference model: gradients of every parameter match finite differences (${tied ? 'tied' : 'untied'}, ${positions})`, (t) => {
      const config = tinyConfig(tied, positions);
      const params = jittered(config, 21);
      const batch = tinyBatch();
      const result = forward(params, config, batch);
      assert.ok(Number.isFinite(result.loss) && result.loss > 0);
      assert.equal(result.tokens, 3 + 6 + 4);
      const grads = backward(params, config, batch, result);
      assert.deepEqual([...grads.keys()], parameterShapes(config).map(([n]) => n));
      assert.equal(params.has('out.w'), !tied);
      assert.equal(params.has('enc.pos') && params.has('dec.pos'), positions === 'learned');
      const rng = new Rng(5);
      const acc: Check = { worst: 0, checked: 0 };
      for (const [name, p] of params) {
        const g = grads.get(name)!;
        assert.ok(g.data.some((v) => v !== 0), `${name}: gradient is identically 0`);
        gradCheck(name, () => forward(params, config, batch).loss, p, g, sampleIndices(rng, p.data.length, 24), acc);
      }
      t.diagnostic(`${params.size} parameters, ${acc.checked} entries checked, worst relative error ${acc.worst.toExponential(2)} (bound ${RTOL})`);
    });
  }
}

test('lm reference model: padded positions change neither the loss nor any gradient', () => {
  for (const config of [tinyConfig(true, 'sinusoidal'), tinyConfig(false, 'learned')]) {
    const params = jittered(config, 31);
    const batch = tinyBatch();
    const base = forward(params, config, batch);
    const baseGrads = backward(params, config, batch, base);
    const rng = new Rng(9);
    const noisy = (ids: Int32Array, lengths: readonly number[], T: number): Int32Array => {
      const out = Int32Array.from(ids);
      lengths.forEach((n, b) => {
        for (let i = n; i < T; i++) out[b * T + i] = 1 + rng.int(config.vocab - 1);
      });
      return out;
    };
    const other: Batch = {
      ...batch,
      src: noisy(batch.src, batch.srcLengths, batch.srcLen),
      tgtIn: noisy(batch.tgtIn, batch.tgtLengths, batch.tgtLen),
      tgtOut: noisy(batch.tgtOut, batch.tgtLengths, batch.tgtLen),
    };
    assert.notDeepEqual(other.src, batch.src);
    assert.notDeepEqual(other.tgtOut, batch.tgtOut);
    const again = forward(params, config, other);
    assert.equal(again.loss, base.loss);
    const grads = backward(params, config, other, again);
    for (const [name, g] of baseGrads) assert.equal(maxAbsDiff(g, grads.get(name)!), 0, `${name} gradient changed`);
    // Each item alone (no padding at all) gives the same logits as inside the padded batch.
    const pairs = [
      { source: [4, 5, 6], target: [7, 8] },
      { source: [8], target: [9, 9, 3] },
    ];
    for (const [which, pair] of [[0, pairs[0]!], [2, pairs[1]!]] as const) {
      const alone = forward(params, config, makeBatch([pair]));
      const T = pair.target.length + 1;
      const V = config.vocab;
      const inBatch = base.logits.data.subarray(which * batch.tgtLen * V, which * batch.tgtLen * V + T * V);
      assert.ok(maxAbsDiff(reshape(alone.logits, [T * V]), fromArray([T * V], inBatch)) < 1e-12, `item ${which} logits differ when padded`);
    }
    // Cross-attention rows are distributions over the unpadded source only.
    const att = averagedCrossAttention(base.cache.decoder);
    const S = batch.srcLen;
    for (let b = 0; b < batch.size; b++) {
      for (let tpos = 0; tpos < batch.tgtLen; tpos++) {
        const row = att.data.subarray((b * batch.tgtLen + tpos) * S, (b * batch.tgtLen + tpos + 1) * S);
        assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-12);
        for (let s = batch.srcLengths[b]!; s < S; s++) assert.equal(row[s], 0);
      }
    }
  }
});

test('lm reference model: same seed, same parameters and loss bit for bit; config is validated', () => {
  const config = tinyConfig(false, 'learned');
  const a = initParams(config, 42);
  const b = initParams(config, 42);
  const c = initParams(config, 43);
  assert.deepEqual([...a.keys()], [...b.keys()]);
  for (const [name, t] of a) {
    const u = b.get(name)!;
    assert.deepEqual(u.shape, t.shape);
    assert.ok(Buffer.from(t.data.buffer).equals(Buffer.from(u.data.buffer)), `${name} differs between two inits with one seed`);
  }
  assert.ok(!Buffer.from(a.get('enc.0.attn.wq')!.data.buffer).equals(Buffer.from(c.get('enc.0.attn.wq')!.data.buffer)));
  const batch = tinyBatch();
  const la = forward(a, config, batch).loss;
  const lb = forward(b, config, batch).loss;
  assert.ok(Object.is(la, lb), `${la} vs ${lb}`);
  assert.notEqual(forward(c, config, batch).loss, la);
  // The config is JSON and survives a round trip unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
  assert.throws(() => validateConfig({ ...config, nHeads: 3 }), /does not divide/);
  assert.throws(() => validateConfig({ ...config, dFF: 0 }), /dFF/);
  assert.throws(() => forward(a, config, makeBatch([{ source: new Array(10).fill(4), target: [4] }])), /exceeds maxLen/);
});
