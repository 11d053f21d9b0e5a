// The GPU backend's WGSL kernels (run through Dawn) against plain float64 loops, on the CPU
// kernel tests' odd shapes plus shapes across the 64×64 matmul tile and the 256-thread rows, with
// the same tolerances (see test/lm-kernels.test.ts); and determinism (two runs, identical bits).
// Each test skips with the reason where Dawn finds no WebGPU adapter; with Mesa's lavapipe
// installed (npm run setup) they run on the CPU through Vulkan, and on a real GPU elsewhere.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adamwUpdate } from '../src/lm/reference/train.js';
import { assertClose, crossEntropyInputs, layerNormInputs, MATMUL_SHAPES, randArray, refCrossEntropy, refGelu, refLayerNorm, refMatmul, refSoftmax, refSoftmaxBackward, rng, ROW_SHAPES } from './helpers/float64.js';
import { gpuSuite } from './helpers/gpu.js';

const gpu = gpuSuite();

const GPU_MATMUL_SHAPES = [...MATMUL_SHAPES, { m: 64, n: 64, k: 16 }, { m: 65, n: 130, k: 33 }, { m: 131, n: 67, k: 1 }];

test('gpu kernels: matmul C = alpha·op(A)·op(B) matches float64 on odd shapes, all transposes, accumulate', async (t) => {
  const g = gpu(t);
  if (!g) return;
  let seed = 1;
  for (const shape of GPU_MATMUL_SHAPES) {
    const { m, n, k } = shape;
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          const mark = g.mark();
          const as = randArray(m * k, seed++);
          const bs = randArray(k * n, seed++);
          const c0 = randArray(m * n, seed++);
          const c = g.f32(c0);
          const alpha = accumulate ? 0.5 : 1;
          g.matmul(g.f32(as), g.f32(bs), c, m, n, k, { transA, transB, accumulate, alpha });
          const got = await g.read(c);
          const ref = refMatmul(as, bs, null, shape, transA, transB);
          const tol = 1e-6 * Math.sqrt(k);
          for (let i = 0; i < m * n; i++) {
            const want = alpha * ref.c[i]! + (accumulate ? c0[i]! : 0);
            const bound = alpha * ref.bound[i]! + (accumulate ? Math.abs(c0[i]!) : 0);
            assert.ok(Math.abs(got[i]! - want) <= tol * bound + 1e-30, `${m}x${n}x${k} transA=${transA} transB=${transB} acc=${accumulate} [${i}]: ${got[i]} vs ${want}`);
          }
          g.release(mark);
        }
      }
    }
  }
});

test('gpu kernels: strided matmul computes every head of multi-head attention in place', async (t) => {
  const g = gpu(t);
  if (!g) return;
  const [B, H, Tq, Tk, dh] = [3, 4, 5, 7, 6];
  const d = H * dh;
  const qs = randArray(B * Tq * d, 11);
  const ks = randArray(B * Tk * d, 12);
  const scores = g.alloc(B * H * Tq * Tk);
  const alpha = 1 / Math.sqrt(dh);
  // scores[b][h] = alpha · Q_bh · K_bhᵀ, reading the heads' columns straight from [rows][d].
  g.matmulStrided(g.f32(qs), g.f32(ks), scores, {
    m: Tq, n: Tk, k: dh, batches: B, heads: H, alpha,
    a: { batch: Tq * d, head: dh, row: d, col: 1 },
    b: { batch: Tk * d, head: dh, row: 1, col: d },
    c: { batch: H * Tq * Tk, head: Tq * Tk, row: Tk, col: 1 },
  });
  const got = await g.read(scores);
  const want = new Float64Array(B * H * Tq * Tk);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < Tq; i++) {
        for (let j = 0; j < Tk; j++) {
          let s = 0;
          for (let c = 0; c < dh; c++) s += qs[(b * Tq + i) * d + h * dh + c]! * ks[(b * Tk + j) * d + h * dh + c]!;
          want[((b * H + h) * Tq + i) * Tk + j] = alpha * s;
        }
      }
    }
  }
  assertClose(got, want, 1e-5, 'per-head scores');
  assert.throws(() => g.matmul(scores, scores, scores, 2, 2, 2), /an output may not also be an input/);
  assert.throws(() => g.matmul(g.alloc(3), g.alloc(4), g.alloc(4), 2, 2, 2), /A has 3 elements, needs 4/);
});

test('gpu kernels: softmax (plain, causal) and its backward match float64', async (t) => {
  const g = gpu(t);
  if (!g) return;
  let seed = 100;
  for (const [rows, cols] of [...ROW_SHAPES, [3, 700] as const]) {
    for (const causal of [false, true]) {
      const mark = g.mark();
      const xs = randArray(rows * cols, seed++, -8, 8);
      const y = g.alloc(rows * cols);
      g.softmax(g.f32(xs), y, rows, cols, { causal });
      const ys = await g.read(y);
      const ref = refSoftmax(xs, rows, cols, causal);
      assertClose(ys, ref, 1e-5, `softmax ${rows}x${cols} causal=${causal}`);
      for (let r = 0; r < rows && causal; r++) {
        for (let j = (r % cols) + 1; j < cols; j++) assert.equal(ys[r * cols + j], 0);
      }
      const dys = randArray(rows * cols, seed++);
      const dx = g.alloc(rows * cols);
      g.softmaxBackward(y, g.f32(dys), dx, rows, cols);
      assertClose(await g.read(dx), refSoftmaxBackward(ref, dys, rows, cols), 1e-5, `softmax backward ${rows}x${cols}`);
      g.release(mark);
    }
  }
});

test('gpu kernels: layer norm forward and backward match float64 (mean far from 0)', async (t) => {
  const g = gpu(t);
  if (!g) return;
  let seed = 200;
  const eps = 1e-5;
  for (const [rows, d] of [...ROW_SHAPES, [4, 600] as const]) {
    const mark = g.mark();
    const { xs, gs, bs, dys, dg0, db0 } = layerNormInputs(rows, d, seed);
    seed += 6;
    const ref = refLayerNorm(xs, gs, bs, dys, dg0, db0, rows, d, eps);
    const [x, gamma, y, mean, rstd] = [g.f32(xs), g.f32(gs), g.alloc(rows * d), g.alloc(rows), g.alloc(rows)];
    g.layerNorm(x, gamma, g.f32(bs), y, mean, rstd, rows, d, eps);
    assertClose(await g.read(y), ref.y, 1e-5, `layer norm y ${rows}x${d}`);
    assertClose(await g.read(mean), ref.mean, 1e-5, `layer norm mean ${rows}x${d}`);
    assertClose(await g.read(rstd), ref.rstd, 1e-5, `layer norm rstd ${rows}x${d}`);
    const [dx, dGamma, dBeta] = [g.alloc(rows * d), g.f32(dg0), g.f32(db0)];
    g.layerNormBackward(x, gamma, mean, rstd, g.f32(dys), dx, dGamma, dBeta, rows, d);
    assertClose(await g.read(dx), ref.dx, 1e-5, `layer norm dx ${rows}x${d}`);
    assertClose(await g.read(dGamma), ref.dg, 1e-5, `layer norm dGamma ${rows}x${d}`);
    assertClose(await g.read(dBeta), ref.db, 1e-5, `layer norm dBeta ${rows}x${d}`);
    g.release(mark);
  }
});

test('gpu kernels: GELU (tanh form) forward and backward match float64, saturating without NaN', async (t) => {
  const g = gpu(t);
  if (!g) return;
  let seed = 300;
  for (const n of [1, 3, 17, 63, 129, 4099, 20001]) {
    const mark = g.mark();
    const xs = randArray(n, seed++, -6, 6);
    if (n > 10) xs.set([0, -0, 40, -40, 1e-7, -1e-7, 100, -100]);
    const dys = randArray(n, seed++);
    const x = g.f32(xs);
    const y = g.alloc(n);
    g.gelu(x, y);
    assertClose(await g.read(y), Array.from(xs, (v) => refGelu(v).y), 1e-5, `gelu n=${n}`);
    const dx = g.alloc(n);
    g.geluBackward(x, g.f32(dys), dx);
    assertClose(await g.read(dx), Array.from(xs, (v, i) => refGelu(v).dy * dys[i]!), 1e-5, `gelu backward n=${n}`);
    g.release(mark);
  }
});

test('gpu kernels: embedding gather is exact; scatter-add adds repeated ids in row order, exactly', async (t) => {
  const g = gpu(t);
  if (!g) return;
  let seed = 400;
  for (const [vocab, d, rows] of [[1, 1, 1], [7, 3, 17], [50, 63, 129], [3, 300, 200]] as const) {
    const mark = g.mark();
    const r = rng(seed++);
    const idList = Array.from({ length: rows }, () => Math.floor(r() * vocab));
    const tableValues = randArray(vocab * d, seed++);
    const ids = g.i32(idList);
    const out = g.alloc(rows * d);
    g.embedding(g.f32(tableValues), ids, out, rows, d);
    const got = await g.read(out);
    for (let i = 0; i < rows; i++) assert.deepEqual(got.subarray(i * d, (i + 1) * d), tableValues.subarray(idList[i]! * d, (idList[i]! + 1) * d));
    const dOut = randArray(rows * d, seed++);
    const dTable0 = randArray(vocab * d, seed++);
    const want = Float32Array.from(dTable0);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < d; j++) want[idList[i]! * d + j] = Math.fround(want[idList[i]! * d + j]! + dOut[i * d + j]!);
    }
    const dTable = g.f32(dTable0);
    g.embeddingBackward(g.f32(dOut), ids, dTable, rows, d);
    assert.deepEqual(await g.read(dTable), want);
    g.release(mark);
  }
  const table = g.alloc(12);
  assert.throws(() => g.embedding(table, g.i32([0, 4]), g.alloc(6), 2, 3), /ids holds ids in 0\.\.4, outside 0\.\.3/);
  assert.throws(() => g.embeddingBackward(g.alloc(3), g.i32([-1]), table, 1, 3), RangeError);
});

test('gpu kernels: cross-entropy loss and gradient match float64, with and without a mask', async (t) => {
  const g = gpu(t);
  if (!g) return;
  let seed = 500;
  for (const [rows, v] of [[1, 1], [3, 17], [17, 63], [129, 130], [5, 1031], [300, 5]] as const) {
    for (const masked of [false, true]) {
      const mark = g.mark();
      const { xs, tg, ms } = crossEntropyInputs(rows, v, masked, seed);
      seed += 2;
      const logits = g.f32(xs);
      const targets = g.i32(tg);
      const mask = g.f32(ms);
      const grad = g.alloc(rows * v);
      const loss: number = (await g.read(g.crossEntropy(logits, targets, rows, v, masked ? { mask, grad } : { grad })))[0]!;
      const ref = refCrossEntropy(xs, tg, ms, rows, v);
      assert.ok(Math.abs(loss - ref.loss) <= 1e-5 * Math.max(1, Math.abs(ref.loss)), `loss ${rows}x${v} masked=${masked}: ${loss} vs ${ref.loss}`);
      assertClose(await g.read(grad), ref.grad, 1e-5, `cross-entropy grad ${rows}x${v} masked=${masked}`);
      assert.equal((await g.read(g.crossEntropy(logits, targets, rows, v, masked ? { mask } : {})))[0], loss, 'the loss alone is the same number');
      g.release(mark);
    }
  }
  const grad = g.f32([1, 2, 3, 4]);
  assert.equal((await g.read(g.crossEntropy(g.f32([1, 2, 3, 4]), g.i32([0, 1]), 2, 2, { mask: g.f32([0, 0]), grad })))[0], 0);
  assert.deepEqual([...(await g.read(grad))], [0, 0, 0, 0]);
  assert.throws(() => g.crossEntropy(g.alloc(4), g.i32([0, 2]), 2, 2), RangeError);
});

test('gpu kernels: bias, column sums, positions, attention mask and scaling match plain loops', async (t) => {
  const g = gpu(t);
  if (!g) return;
  const [rows, cols] = [37, 300];
  const ys = randArray(rows * cols, 600);
  const bias = randArray(cols, 601);
  const y = g.f32(ys);
  g.addBias(y, g.f32(bias), rows, cols);
  assert.deepEqual(await g.read(y), Float32Array.from(ys, (v, i) => v + bias[i % cols]!));
  const sums0 = randArray(cols, 602);
  const sums = g.f32(sums0);
  g.columnSums(g.f32(ys), sums, rows, cols);
  const wantSums = Float32Array.from(sums0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) wantSums[c] = Math.fround(wantSums[c]! + ys[r * cols + c]!);
  assert.deepEqual(await g.read(sums), wantSums, 'rows added in order, exactly');
  // Positions: x·s + pos[t0 + r mod T], and the gradient of learned positions.
  const [T, d, t0] = [5, 12, 2];
  const xs = randArray(3 * T * d, 603);
  const pos = randArray((T + t0) * d, 604);
  const x = g.f32(xs);
  const s = Math.fround(Math.sqrt(d));
  g.addPositions(x, g.f32(pos), 3 * T, d, T, t0, s);
  const got = await g.read(x);
  for (let i = 0; i < xs.length; i++) {
    const tt = t0 + (Math.floor(i / d) % T);
    assert.ok(Math.abs(got[i]! - (xs[i]! * s + pos[tt * d + (i % d)]!)) <= 1e-6 * (Math.abs(xs[i]! * s) + 1), `position ${i}`);
  }
  const dp = g.zeros(T * d);
  g.positionGrad(g.f32(xs), dp, 3 * T, d, T);
  const wantDp = new Float32Array(T * d);
  for (let r = 0; r < 3 * T; r++) for (let j = 0; j < d; j++) wantDp[(r % T) * d + j] = Math.fround(wantDp[(r % T) * d + j]! + xs[r * d + j]!);
  assert.deepEqual(await g.read(dp), wantDp);
  // The attention mask: key lengths and causality.
  const [B, H, Tq, Tk] = [2, 3, 4, 4];
  const sc = g.f32(new Float32Array(B * H * Tq * Tk).fill(1));
  g.attentionMask(sc, g.i32([3, 4]), B, H, Tq, Tk, true);
  const masked = await g.read(sc);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < Tq; i++) for (let j = 0; j < Tk; j++) {
    const keep = j < [3, 4][b]! && j <= i;
    assert.equal(masked[((b * H + h) * Tq + i) * Tk + j], keep ? 1 : Math.fround(-1e30), `mask b=${b} h=${h} i=${i} j=${j}`);
  }
  const scaled = g.alloc(ys.length);
  g.scale(g.f32(ys), scaled, 0.25);
  assert.deepEqual(await g.read(scaled), Float32Array.from(ys, (v) => v * 0.25));
  const sum = g.alloc(ys.length);
  g.add(g.f32(ys), g.f32(ys), sum);
  assert.deepEqual(await g.read(sum), Float32Array.from(ys, (v) => v + v));
  assert.throws(() => g.addInto(sum, sum), /may not also be an input/);
});

test('gpu kernels: gradient norm, clipping and AdamW follow the float64 reference', async (t) => {
  const g = gpu(t);
  if (!g) return;
  const sizes = [1, 300, 4097];
  const grads = sizes.map((n, i) => randArray(n, 700 + i, -3, 3));
  const stats = g.zeros(sizes.length + 2);
  grads.forEach((gr, i) => g.sumSquares(g.f32(gr), stats, i));
  const maxNorm = 1;
  g.clipFactor(stats, sizes.length, maxNorm);
  const st = await g.read(stats);
  const norm = Math.sqrt(grads.reduce((s, gr) => s + gr.reduce((a, v) => a + v * v, 0), 0));
  assert.ok(Math.abs(st[sizes.length]! - norm) <= 1e-5 * norm, `norm ${st[sizes.length]} vs ${norm}`);
  assert.ok(Math.abs(st[sizes.length + 1]! - maxNorm / norm) <= 1e-5 * (maxNorm / norm));
  const k = { b1: 0.9, b2: 0.999, eps: 1e-8, lr: 1e-2, decay: 1 - 1e-4, c1: 1 - 0.9 ** 3, c2: 1 - 0.999 ** 3 };
  const [ps, ms, vs] = [randArray(300, 710), randArray(300, 711, -0.1, 0.1), randArray(300, 712, 0, 0.1)];
  const [p, m, v] = [g.f32(ps), g.f32(ms), g.f32(vs)];
  g.adamw(p, g.f32(grads[1]!), m, v, stats, sizes.length + 1, k);
  const [P, M, V] = [Float64Array.from(ps), Float64Array.from(ms), Float64Array.from(vs)];
  adamwUpdate(P, Float64Array.from(grads[1]!, (x) => x * (maxNorm / norm)), M, V, k);
  assertClose(await g.read(p), P, 1e-6, 'AdamW parameters');
  assertClose(await g.read(m), M, 1e-5, 'AdamW first moments');
  assertClose(await g.read(v), V, 1e-5, 'AdamW second moments');
});

test('gpu kernels: two runs of every kernel give identical bits', async (t) => {
  const g = gpu(t);
  if (!g) return;
  const runAll = async (): Promise<Float32Array[]> => {
    const mark = g.mark();
    const [m, n, k] = [70, 90, 130];
    const a = g.f32(randArray(m * k, 1));
    const b = g.f32(randArray(k * n, 2));
    const c = g.alloc(m * n);
    g.matmul(a, b, c, m, n, k);
    const sm = g.alloc(m * n);
    g.softmax(c, sm, m, n);
    const [y, mean, rstd] = [g.alloc(m * n), g.alloc(m), g.alloc(m)];
    g.layerNorm(c, g.f32(randArray(n, 3)), g.f32(randArray(n, 4)), y, mean, rstd, m, n);
    const ge = g.alloc(m * n);
    g.gelu(y, ge);
    const grad = g.alloc(m * n);
    const loss = g.crossEntropy(c, g.i32(Array.from({ length: m }, (_, i) => i % n)), m, n, { grad });
    const out = await Promise.all([c, sm, y, ge, grad, loss].map((x) => g.read(x)));
    g.release(mark);
    return out;
  };
  assert.deepEqual(await runAll(), await runAll());
});
