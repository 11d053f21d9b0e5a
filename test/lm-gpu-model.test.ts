// The GPU backend's model against the float64 reference, as the CPU backend's model is held to it
// (test/lm-cpu-model.test.ts): the same parameters give the same logits, loss and gradients of
// every parameter for every configuration variant and a padded batch of mixed lengths; AdamW steps
// follow the reference's; two runs give identical weights; and a tiny model learns the reversal
// task. Skips with the reason where Dawn finds no WebGPU adapter (see test/helpers/gpu.ts).

import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/util/random.js';
import { backward, forward, initParams, makeBatch, type ModelConfig, type Pair } from '../src/lm/reference/model.js';
import { AdamW, greedyDecode, trainStep } from '../src/lm/reference/train.js';
import type { GpuKernels } from '../src/lm/engine/gpu/kernels.js';
import { GpuModel } from '../src/lm/engine/gpu/model.js';
import { heldOutSequences, reversalAccuracy, reversalBatches, reversalPair, TINY_CONFIG } from '../scripts/tiny-model.js';
import { openGpu } from './helpers/gpu.js';

let opened: GpuKernels | string = 'not opened';
before(async () => {
  opened = await openGpu();
});
after(async () => {
  if (typeof opened !== 'string') await opened.close();
});

function gpu(t: TestContext): GpuKernels | undefined {
  if (typeof opened === 'string') {
    t.skip(opened);
    return undefined;
  }
  return opened;
}

function pairs(rng: Rng, n: number, vocab: number): Pair[] {
  const seq = (len: number): number[] => Array.from({ length: len }, () => 4 + rng.int(vocab - 4));
  return Array.from({ length: n }, () => ({ source: seq(1 + rng.int(9)), target: seq(1 + rng.int(8)) }));
}

const base: ModelConfig = { vocab: 37, dModel: 24, nHeads: 3, dFF: 40, encoderLayers: 2, decoderLayers: 2, maxLen: 12, tiedEmbeddings: true, positions: 'sinusoidal' };
const variants: ModelConfig[] = [base, { ...base, tiedEmbeddings: false, positions: 'learned' }, { ...base, encoderLayers: 1, decoderLayers: 3, nHeads: 1 }];

/** The largest |got − want| and the largest |want|. */
function worstAndScale(got: ArrayLike<number>, want: ArrayLike<number>): { worst: number; scale: number } {
  assert.equal(got.length, want.length);
  let worst = 0;
  let scale = 0;
  for (let j = 0; j < want.length; j++) {
    worst = Math.max(worst, Math.abs(got[j]! - want[j]!));
    scale = Math.max(scale, Math.abs(want[j]!));
  }
  return { worst, scale };
}

test('gpu model: forward matches the float64 reference (logits and loss), every variant', async (t) => {
  const k = gpu(t);
  if (!k) return;
  for (const [i, config] of variants.entries()) {
    const params = initParams(config, 7 + i);
    const batch = makeBatch(pairs(new Rng(100 + i), 5, config.vocab));
    const ref = forward(params, config, batch);
    const mark = k.mark();
    const got = await GpuModel.fromParams(k, config, params).forward(batch);
    k.release(mark);
    const { worst, scale } = worstAndScale(got.logits, ref.logits.data);
    assert.ok(worst <= 1e-4 * Math.max(1, scale), `variant ${i}: max |logit diff| ${worst} (scale ${scale})`);
    assert.ok(Math.abs(got.loss - ref.loss) <= 1e-5 * Math.max(1, ref.loss), `variant ${i}: loss ${got.loss} vs ${ref.loss}`);
  }
});

test('gpu model: gradients of every parameter match the reference backward, every variant', async (t) => {
  const k = gpu(t);
  if (!k) return;
  for (const [i, config] of variants.entries()) {
    const params = initParams(config, 11 + i);
    const batch = makeBatch(pairs(new Rng(200 + i), 4, config.vocab));
    const ref = forward(params, config, batch);
    const refGrads = backward(params, config, batch, ref);
    const mark = k.mark();
    const got = await GpuModel.fromParams(k, config, params).gradients(batch);
    k.release(mark);
    assert.ok(Math.abs(got.loss - ref.loss) <= 1e-5 * Math.max(1, ref.loss));
    assert.deepEqual([...got.grads.keys()].sort(), [...refGrads.keys()].sort());
    for (const [name, g] of refGrads) {
      const { worst, scale } = worstAndScale(got.grads.get(name)!, g.data);
      assert.ok(scale > 0, `variant ${i}: ${name} has a zero reference gradient`);
      assert.ok(worst <= 2e-4 * scale + 1e-7, `variant ${i}: ${name}: max |grad diff| ${worst} vs scale ${scale}`);
    }
  }
});

test('gpu model: AdamW steps follow the reference, and two runs give identical weights', async (t) => {
  const k = gpu(t);
  if (!k) return;
  const config = variants[1]!;
  const params = initParams(config, 21);
  const batches = [0, 1, 2, 3, 4].map((s) => makeBatch(pairs(new Rng(300 + s), 6, config.vocab)));
  const refParams = initParams(config, 21);
  const opt = new AdamW();
  const refNorms = batches.map((b) => trainStep(refParams, config, b, opt, 3e-3, 1).gradNorm);
  const finals: Map<string, Float32Array>[] = [];
  for (let run = 0; run < 2; run++) {
    const mark = k.mark();
    const model = GpuModel.fromParams(k, config, params);
    for (const [s, b] of batches.entries()) {
      const { gradNorm } = await model.trainStep(b, 3e-3, { clip: 1 });
      assert.ok(Math.abs(gradNorm - refNorms[s]!) <= 1e-4 * refNorms[s]!, `step ${s}: gradient norm ${gradNorm} vs ${refNorms[s]}`);
    }
    finals.push(await model.weightsByName());
    k.release(mark);
  }
  for (const [name, w] of finals[0]!) {
    assert.deepEqual(Buffer.from(finals[1]!.get(name)!.buffer), Buffer.from(w.buffer), `${name}: run 1 vs run 2`);
    const { worst } = worstAndScale(w, refParams.get(name)!.data);
    // As on the CPU: five steps of lr 3e-3 move a weight by at most ~0.015.
    assert.ok(worst <= 2e-3, `${name}: drifted ${worst} from the reference after 5 steps`);
  }
});

test('gpu model: trains the reversal task on the GPU backend to >= 99% held-out token accuracy', async (t) => {
  const k = gpu(t);
  if (!k) return;
  const config = TINY_CONFIG;
  const { sequences: heldOut, keys: held } = heldOutSequences(200);
  const mark = k.mark();
  const model = GpuModel.fromParams(k, config, initParams(config, 1));
  const steps = 700;
  const t0 = performance.now();
  let last = NaN;
  for (const { batch, lr } of reversalBatches(steps, held)) last = (await model.trainStep(batch, lr, { beta2: 0.98, clip: 1 })).loss;
  const seconds = (performance.now() - t0) / 1000;
  const params = initParams(config, 1);
  for (const [name, w] of await model.weightsByName()) params.get(name)!.data.set(w);
  k.release(mark);
  const { tokens: accuracy } = reversalAccuracy(heldOut, heldOut.map((s) => greedyDecode(params, config, reversalPair(s).source, 12)));
  t.diagnostic(`gpu backend (${k.adapter.description}): ${steps} steps in ${seconds.toFixed(1)} s, final loss ${last.toFixed(4)}, held-out token accuracy ${(100 * accuracy).toFixed(2)}%`);
  assert.ok(accuracy >= 0.99, `accuracy ${accuracy}`);
});
