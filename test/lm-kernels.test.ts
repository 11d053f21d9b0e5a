// The CPU backend's wasm kernels against plain float64 loops written here, on odd shapes (1, 3, 17,
// 63, 129, ...), every transpose and across the blocking edges (K > 256, M > 120 for matmul), with
// the tolerances stated per kernel; and determinism: 1, 2 and 3 threads give bit-identical output.
// Both builds run every test: plain SIMD and relaxed SIMD (FMA; on Node 20 CpuKernels enables
// V8's flag for it, in this test process only).
//
// Tolerances (u = 2^-24, the f32 unit roundoff, ~6e-8):
// - matmul: |C − ref| ≤ 1e-6·sqrt(K)·Σ_k |a_ik·b_kj| (+ |C0| when accumulating) per element;
//   the typical f32 dot-product error is u·sqrt(K) of that sum, so this leaves ~16x headroom.
// - softmax, layer norm, GELU, cross-entropy: the largest error over a tensor ≤ 1e-5 of the largest
//   reference value (|y − ref| ≤ 1e-5·max|ref|), per tensor; cross-entropy's loss to 1e-5 relative.
// - embedding gather: exact; scatter-add: exact against the same f32 additions in row order.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CpuKernels, type F32Buffer } from '../src/lm/engine/cpu/kernels.js';
import { assertClose, crossEntropyInputs, layerNormInputs, MATMUL_SHAPES, randArray, refCrossEntropy, refGelu, refLayerNorm, refMatmul, refSoftmax, refSoftmaxBackward, rng, ROW_SHAPES } from './helpers/float64.js';

const BUILDS = [false, true] as const;
const THREADS = [1, 2, 3] as const;
/** kernels[build][threads]: build 0 is plain SIMD, 1 relaxed SIMD. */
const kernels: Map<number, CpuKernels>[] = [];
/** The 2-thread instance of each build: the one the accuracy tests use. */
let pair: CpuKernels[] = [];

before(async () => {
  for (const relaxedSimd of BUILDS) {
    const m = new Map<number, CpuKernels>();
    for (const threads of THREADS) m.set(threads, await CpuKernels.create({ threads, relaxedSimd, initialArenaBytes: 4 << 20 }));
    kernels.push(m);
  }
  pair = kernels.map((m) => m.get(2)!);
  assert.deepEqual(pair.map((k) => k.variant), ['simd128', 'simd128-fma']);
});

after(async () => {
  for (const m of kernels) for (const k of m.values()) await k.close();
});

function copyOut(b: F32Buffer, n = b.length): Float32Array {
  return b.data.slice(0, n);
}

// ---- matmul ------------------------------------------------------------------------------

test('kernels: matmul C = op(A)·op(B) matches float64 on odd shapes, all transposes, accumulate', () => {
  for (const k2 of pair) {
    let seed = 1;
    for (const shape of MATMUL_SHAPES) {
      const { m, n, k } = shape;
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            const mark = k2.mark();
            const a = k2.f32(randArray(m * k, seed++));
            const b = k2.f32(randArray(k * n, seed++));
            const c0 = randArray(m * n, seed++);
            const c = k2.f32(c0);
            k2.matmul(a, b, c, m, n, k, { transA, transB, accumulate });
            const ref = refMatmul(a.data, b.data, accumulate ? c0 : null, shape, transA, transB);
            const tol = 1e-6 * Math.sqrt(k);
            for (let i = 0; i < m * n; i++) {
              const err = Math.abs(c.data[i]! - ref.c[i]!);
              assert.ok(err <= tol * ref.bound[i]! + 1e-30,
                `${k2.variant} ${m}x${n}x${k} transA=${transA} transB=${transB} acc=${accumulate} [${i}]: ${c.data[i]} vs ${ref.c[i]} (bound ${ref.bound[i]})`);
            }
            k2.release(mark);
          }
        }
      }
    }
  }
});

test('kernels: matmul with K = 0 zeroes C (or keeps it when accumulating); bad sizes are RangeErrors', () => {
  for (const k2 of pair) {
    const mark = k2.mark();
    const a = k2.alloc(0);
    const c = k2.f32([1, 2, 3, 4, 5, 6]);
    k2.matmul(a, a, c, 2, 3, 0, { accumulate: true });
    assert.deepEqual([...c.data], [1, 2, 3, 4, 5, 6]);
    k2.matmul(a, a, c, 2, 3, 0);
    assert.deepEqual([...c.data], [0, 0, 0, 0, 0, 0]);
    const small = k2.alloc(5);
    assert.throws(() => k2.matmul(small, small, c, 2, 3, 4), RangeError);
    assert.throws(() => k2.matmul(small, small, c, 2.5, 3, 1), RangeError);
    k2.release(mark);
  }
});

// ---- softmax -----------------------------------------------------------------------------

test('kernels: softmax (plain, causal, in place) and its backward match float64', () => {
  for (const k2 of pair) {
    let seed = 100;
    for (const [rows, cols] of ROW_SHAPES) {
      for (const causal of [false, true]) {
        const mark = k2.mark();
        const xs = randArray(rows * cols, seed++, -8, 8);
        const x = k2.f32(xs);
        const y = k2.alloc(rows * cols);
        k2.softmax(x, y, rows, cols, { causal });
        const ref = refSoftmax(xs, rows, cols, causal);
        assertClose(y.data, ref, 1e-5, `softmax ${rows}x${cols} causal=${causal}`);
        for (let r = 0; r < rows && causal; r++) {
          for (let j = (r % cols) + 1; j < cols; j++) assert.equal(y.data[r * cols + j], 0);
        }
        k2.softmax(x, x, rows, cols, { causal });
        assert.deepEqual(x.data, y.data, 'in place gives the same bits');

        const dys = randArray(rows * cols, seed++);
        const dy = k2.f32(dys);
        const dx = k2.alloc(rows * cols);
        k2.softmaxBackward(y, dy, dx, rows, cols);
        const refDx = refSoftmaxBackward(ref, dys, rows, cols);
        assertClose(dx.data, refDx, 1e-5, `softmax backward ${rows}x${cols}`);
        k2.release(mark);
      }
    }
  }
});

test('kernels: masked scores (-Infinity) and scores far below the row maximum give exact zeros, never subnormals', () => {
  // A subnormal probability makes every SIMD multiply it meets take a microcode assist on Intel
  // CPUs: with a clamped exp, masked attention cells were subnormal and training ran 8-17x slower.
  const isSubnormal = (v: number): boolean => v !== 0 && Math.abs(v) < 2 ** -126;
  for (const k2 of pair) {
    const mark = k2.mark();
    const cols = 37; // a vector body and a scalar tail
    const xs = randArray(3 * cols, 7, -4, 4);
    for (let j = 0; j < cols; j += 2) xs[j] = -Infinity; // row 0: every other key masked
    for (let j = 0; j < cols; j += 3) xs[cols + j] = -87.5 + (j % 5); // row 1: around exp's underflow
    for (let j = 0; j < cols; j++) xs[2 * cols + j] = j === 5 ? 0 : -200 - j; // row 2: one survivor
    const x = k2.f32(xs);
    const y = k2.alloc(3 * cols);
    k2.softmax(x, y, 3, cols, {});
    const ref = refSoftmax(xs, 3, cols, false);
    for (let i = 0; i < 3 * cols; i++) {
      assert.ok(!isSubnormal(y.data[i]!), `softmax cell ${i} is subnormal: ${y.data[i]}`);
      if (ref[i]! < 2 ** -126) assert.equal(y.data[i], 0, `cell ${i}: reference ${ref[i]} underflows f32, so exactly 0`);
    }
    for (let j = 0; j < cols; j += 2) assert.equal(y.data[j], 0, 'a masked key gets exactly 0');
    assert.equal(y.data[2 * cols + 5], 1, 'the one unmasked score takes all the weight');
    assertClose(y.data, ref, 1e-5, 'softmax with masked and underflowing scores');
    k2.release(mark);
  }
});

// ---- layer norm --------------------------------------------------------------------------

test('kernels: layer norm forward and backward match float64 (mean far from 0)', () => {
  for (const k2 of pair) {
    let seed = 200;
    const eps = 1e-5;
    for (const [rows, d] of ROW_SHAPES) {
      const mark = k2.mark();
      const { xs, gs, bs, dys, dg0, db0 } = layerNormInputs(rows, d, seed);
      seed += 6;
      const [x, gamma, beta, y, mean, rstd] = [k2.f32(xs), k2.f32(gs), k2.f32(bs), k2.alloc(rows * d), k2.alloc(rows), k2.alloc(rows)];
      k2.layerNorm(x, gamma, beta, y, mean, rstd, rows, d, eps);
      const { y: refY, mean: refMean, rstd: refRstd, dx: refDx, dg: refDg, db: refDb } = refLayerNorm(xs, gs, bs, dys, dg0, db0, rows, d, eps);
      assertClose(y.data, refY, 1e-5, `layer norm y ${rows}x${d}`);
      assertClose(mean.data, refMean, 1e-5, `layer norm mean ${rows}x${d}`);
      assertClose(rstd.data, refRstd, 1e-5, `layer norm rstd ${rows}x${d}`);

      const [dy, dx, dGamma, dBeta] = [k2.f32(dys), k2.alloc(rows * d), k2.f32(dg0), k2.f32(db0)];
      k2.layerNormBackward(x, gamma, mean, rstd, dy, dx, dGamma, dBeta, rows, d);
      assertClose(dx.data, refDx, 1e-5, `layer norm dx ${rows}x${d}`);
      assertClose(dGamma.data, refDg, 1e-5, `layer norm dGamma ${rows}x${d}`);
      assertClose(dBeta.data, refDb, 1e-5, `layer norm dBeta ${rows}x${d}`);
      // In place (dx over dy) gives the same dx and adds the same parameter gradients.
      const [dGamma2, dBeta2] = [k2.f32(dg0), k2.f32(db0)];
      k2.layerNormBackward(x, gamma, mean, rstd, dy, dy, dGamma2, dBeta2, rows, d);
      assert.deepEqual(dy.data, dx.data);
      assert.deepEqual(dGamma2.data, dGamma.data);
      k2.release(mark);
    }
  }
});

// ---- GELU --------------------------------------------------------------------------------

test('kernels: GELU (tanh form) forward and backward match float64, saturating without NaN', () => {
  for (const k2 of pair) {
    let seed = 300;
    for (const n of [1, 3, 17, 63, 129, 4099, 20001]) {
      const mark = k2.mark();
      const xs = randArray(n, seed++, -6, 6);
      if (n > 10) xs.set([0, -0, 40, -40, 1e-7, -1e-7, 100, -100]);
      const dys = randArray(n, seed++);
      const x = k2.f32(xs);
      const y = k2.alloc(n);
      k2.gelu(x, y);
      const refY = Array.from(xs, (v) => refGelu(v).y);
      assertClose(y.data, refY, 1e-5, `gelu n=${n}`);
      const dy = k2.f32(dys);
      const dx = k2.alloc(n);
      k2.geluBackward(x, dy, dx);
      assertClose(dx.data, Array.from(xs, (v, i) => refGelu(v).dy * dys[i]!), 1e-5, `gelu backward n=${n}`);
      k2.gelu(x, x);
      assert.deepEqual(x.data, y.data, 'in place gives the same bits');
      k2.release(mark);
    }
  }
});

// ---- embedding ---------------------------------------------------------------------------

test('kernels: embedding gather is exact; scatter-add adds repeated ids in row order', () => {
  for (const k2 of pair) {
    let seed = 400;
    for (const [vocab, d, rows] of [[1, 1, 1], [7, 3, 17], [50, 63, 129], [3, 130, 200]] as const) {
      const mark = k2.mark();
      const r = rng(seed++);
      const idList = Array.from({ length: rows }, () => Math.floor(r() * vocab));
      const table = k2.f32(randArray(vocab * d, seed++));
      const ids = k2.i32(idList);
      const out = k2.alloc(rows * d);
      k2.embedding(table, ids, out, rows, d);
      for (let t = 0; t < rows; t++) assert.deepEqual(out.data.subarray(t * d, (t + 1) * d), table.data.subarray(idList[t]! * d, (idList[t]! + 1) * d));

      const dOut = k2.f32(randArray(rows * d, seed++));
      const dTable = k2.f32(randArray(vocab * d, seed++));
      const want = Float32Array.from(dTable.data);
      for (let t = 0; t < rows; t++) {
        for (let j = 0; j < d; j++) want[idList[t]! * d + j] = Math.fround(want[idList[t]! * d + j]! + dOut.data[t * d + j]!);
      }
      k2.embeddingBackward(dOut, ids, dTable, rows, d);
      assert.deepEqual(dTable.data, want);
      k2.release(mark);
    }
    const mark = k2.mark();
    const table = k2.alloc(12);
    assert.throws(() => k2.embedding(table, k2.i32([0, 4]), k2.alloc(6), 2, 3), /ids\[1\] = 4 is outside 0\.\.3/);
    assert.throws(() => k2.embeddingBackward(k2.alloc(3), k2.i32([-1]), table, 1, 3), RangeError);
    k2.release(mark);
  }
});

// ---- cross-entropy -----------------------------------------------------------------------

test('kernels: cross-entropy loss and gradient match float64, with and without a mask', () => {
  for (const k2 of pair) {
    let seed = 500;
    for (const [rows, v] of [[1, 1], [3, 17], [17, 63], [129, 130], [5, 1031]] as const) {
      for (const masked of [false, true]) {
        const mark = k2.mark();
        const { xs, tg, ms } = crossEntropyInputs(rows, v, masked, seed);
        seed += 2;
        const logits = k2.f32(xs);
        const targets = k2.i32(tg);
        const mask = k2.f32(ms);
        const grad = k2.alloc(rows * v);
        const loss = k2.crossEntropy(logits, targets, rows, v, masked ? { mask, grad } : { grad });
        const { loss: refLoss, grad: refGrad } = refCrossEntropy(xs, tg, ms, rows, v);
        assert.ok(Math.abs(loss - refLoss) <= 1e-5 * Math.max(1, Math.abs(refLoss)), `loss ${rows}x${v} masked=${masked}: ${loss} vs ${refLoss}`);
        assertClose(grad.data, refGrad, 1e-5, `cross-entropy grad ${rows}x${v} masked=${masked}`);
        // Loss only, then the gradient written over the logits: same numbers.
        assert.equal(k2.crossEntropy(logits, targets, rows, v, masked ? { mask } : {}), loss);
        k2.crossEntropy(logits, targets, rows, v, masked ? { mask, grad: logits } : { grad: logits });
        assert.deepEqual(logits.data, grad.data);
        k2.release(mark);
      }
    }
    const mark = k2.mark();
    const g = k2.f32([1, 2, 3, 4]);
    assert.equal(k2.crossEntropy(k2.f32([1, 2, 3, 4]), k2.i32([0, 1]), 2, 2, { mask: k2.f32([0, 0]), grad: g }), 0);
    assert.deepEqual([...g.data], [0, 0, 0, 0]);
    assert.throws(() => k2.crossEntropy(k2.alloc(4), k2.i32([0, 2]), 2, 2), RangeError);
    k2.release(mark);
  }
});

// ---- determinism -------------------------------------------------------------------------

/** Runs every kernel on one CpuKernels with fixed inputs big enough to be split across threads. */
function runAll(k: CpuKernels): Float32Array[] {
  k.reset();
  const outs: Float32Array[] = [];
  let seed = 900;
  // Row split (M = 257) and column split (M = 17) of matmul, with transposes and K > 256.
  for (const [m, n, kk, transA, transB] of [[257, 45, 300, true, false], [17, 129, 263, false, true], [130, 131, 129, false, false]] as const) {
    const a = k.f32(randArray(m * kk, seed++));
    const b = k.f32(randArray(kk * n, seed++));
    const c = k.f32(randArray(m * n, seed++));
    k.matmul(a, b, c, m, n, kk, { transA, transB, accumulate: true });
    outs.push(copyOut(c));
  }
  const rows = 129;
  const cols = 131;
  const x = k.f32(randArray(rows * cols, seed++, -5, 5));
  const y = k.alloc(rows * cols);
  k.softmax(x, y, rows, cols, { causal: true });
  outs.push(copyOut(y));
  const dy = k.f32(randArray(rows * cols, seed++));
  const dx = k.alloc(rows * cols);
  k.softmaxBackward(y, dy, dx, rows, cols);
  outs.push(copyOut(dx));
  const gamma = k.f32(randArray(cols, seed++));
  const beta = k.f32(randArray(cols, seed++));
  const mean = k.alloc(rows);
  const rstd = k.alloc(rows);
  k.layerNorm(x, gamma, beta, y, mean, rstd, rows, cols);
  outs.push(copyOut(y), copyOut(mean), copyOut(rstd));
  const dGamma = k.f32(new Float32Array(cols));
  const dBeta = k.f32(new Float32Array(cols));
  k.layerNormBackward(x, gamma, mean, rstd, dy, dx, dGamma, dBeta, rows, cols);
  outs.push(copyOut(dx), copyOut(dGamma), copyOut(dBeta));
  k.gelu(x, y);
  outs.push(copyOut(y));
  k.geluBackward(x, dy, dx);
  outs.push(copyOut(dx));
  const vocab = 37;
  const ids = k.i32(Array.from({ length: rows }, (_, i) => (i * 7) % vocab));
  const table = k.f32(randArray(vocab * cols, seed++));
  const emb = k.alloc(rows * cols);
  k.embedding(table, ids, emb, rows, cols);
  outs.push(copyOut(emb));
  k.embeddingBackward(dy, ids, table, rows, cols);
  outs.push(copyOut(table));
  const targets = k.i32(Array.from({ length: rows }, (_, i) => (i * 13) % cols));
  const mask = k.f32(Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 0 : 1)));
  const grad = k.alloc(rows * cols);
  const loss = k.crossEntropy(x, targets, rows, cols, { mask, grad });
  outs.push(copyOut(grad), Float32Array.of(loss));
  return outs;
}

test('kernels: every kernel gives bit-identical results with 1, 2 and 3 threads', () => {
  for (const m of kernels) {
    const one = runAll(m.get(1)!);
    for (const threads of [2, 3]) {
      const other = runAll(m.get(threads)!);
      assert.equal(other.length, one.length);
      for (let i = 0; i < one.length; i++) {
        const a = new Uint32Array(one[i]!.buffer, one[i]!.byteOffset, one[i]!.length);
        const b = new Uint32Array(other[i]!.buffer, other[i]!.byteOffset, other[i]!.length);
        assert.deepEqual(b, a, `${m.get(1)!.variant}: output ${i} differs between 1 and ${threads} threads`);
      }
    }
  }
});

test('kernels: buffers survive memory growth and the arena can be released', () => {
  const k = kernels[0]!.get(3)!;
  k.reset();
  const a = k.f32([1, 2, 3]);
  const big = k.alloc(8 << 20); // 32 MiB: past the 4 MiB initial arena
  big.data[big.length - 1] = 7;
  assert.deepEqual([...a.data], [1, 2, 3]);
  const mark = k.mark();
  k.alloc(10);
  k.release(mark);
  assert.equal(k.mark(), mark);
  assert.ok(k.usedBytes >= 32 << 20);
  k.reset();
  assert.equal(k.usedBytes, 0);
});
