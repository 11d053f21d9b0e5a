// The GPU backend's model against the float64 reference, as the CPU backend's model is held to it
// (test/lm-cpu-model.test.ts): the same parameters give the same logits, loss and gradients of
// every parameter for every configuration variant and a padded batch of mixed lengths; AdamW steps
// follow the reference's; two runs give identical weights; a tiny model learns the reversal
// task; and the incremental decoder (KV cache on the device) gives the reference's steps and beams. Skips with the reason where Dawn finds no WebGPU adapter (see test/helpers/gpu.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/util/random.js';
import { assertGoldenDecoding, MODEL_VARIANTS, randomPairs } from './helpers/models.js';
import { backward, forward, initParams, makeBatch } from '../src/lm/reference/model.js';
import { AdamW, greedyDecode, trainStep } from '../src/lm/reference/train.js';
import { GpuModel } from '../src/lm/engine/gpu/model.js';
import { GpuIncrementalDecoder } from '../src/lm/engine/gpu/decode.js';
import { beamSearch, beamSearchAsync, IncrementalDecoder } from '../src/lm/reference/decode.js';
import { loadModel } from '../src/lm/checkpoint.js';
import { repoPath } from './helpers/golden.js';
import { heldOutSequences, reversalAccuracy, reversalBatches, reversalPair, TINY_CONFIG, tinySequence } from '../scripts/tiny-model.js';
import { gpuSuite } from './helpers/gpu.js';

const gpu = gpuSuite();

const variants = MODEL_VARIANTS;
const pairs = randomPairs;

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
  // One step stays in flight: the next is recorded while the GPU runs the last.
  let pending: Promise<{ loss: number }> | undefined;
  let last = NaN;
  for (const { batch, lr } of reversalBatches(steps, held)) {
    const next = model.trainStep(batch, lr, { beta2: 0.98, clip: 1 });
    if (pending) last = (await pending).loss;
    pending = next;
  }
  last = (await pending!).loss;
  const seconds = (performance.now() - t0) / 1000;
  const params = initParams(config, 1);
  for (const [name, w] of await model.weightsByName()) params.get(name)!.data.set(w);
  k.release(mark);
  const { tokens: accuracy } = reversalAccuracy(heldOut, heldOut.map((s) => greedyDecode(params, config, reversalPair(s).source, 12)));
  t.diagnostic(`gpu backend (${k.adapter.description}): ${steps} steps in ${seconds.toFixed(1)} s, final loss ${last.toFixed(4)}, held-out token accuracy ${(100 * accuracy).toFixed(2)}%`);
  assert.ok(accuracy >= 0.99, `accuracy ${accuracy}`);
});

test('gpu model: the incremental decoder matches the reference step by step (logits, cross-attention), through reorders and cache growth', async (t) => {
  const k = gpu(t);
  if (!k) return;
  for (const [i, config] of variants.entries()) {
    const params = initParams(config, 31 + i);
    const rng = new Rng(400 + i);
    const sources = [0, 1, 2].map(() => Array.from({ length: 2 + rng.int(8) }, () => 4 + rng.int(config.vocab - 4)));
    const ref = new IncrementalDecoder(params, config, sources);
    const mark = k.mark();
    const gpuDecoder = new GpuIncrementalDecoder(GpuModel.fromParams(k, config, params), sources);
    const rows = [0, 1, 2, 1];
    // Capacity 2: the GPU cache grows twice within the 6 steps.
    const [sr, sg] = [ref.start(rows), gpuDecoder.start(rows, 2)];
    let tokens = [1, 1, 1, 1];
    for (let step = 0; step < 6; step++) {
      const a = ref.step(sr, tokens);
      const b = await gpuDecoder.step(sg, tokens);
      const { worst, scale } = worstAndScale(b.logits.data, a.logits.data);
      assert.ok(worst <= 1e-4 * Math.max(1, scale), `variant ${i} step ${step}: max |logit diff| ${worst}`);
      for (let l = 0; l < config.decoderLayers; l++) {
        const { worst: w } = worstAndScale(b.crossAttention[l]!.data, a.crossAttention[l]!.data);
        assert.ok(w <= 1e-4, `variant ${i} step ${step} layer ${l}: attention differs by ${w}`);
      }
      tokens = tokens.map((_, r) => 4 + ((step * 7 + r * 3) % (config.vocab - 4)));
      if (step === 2) {
        sr.reorder([3, 3, 0, 2]);
        sg.reorder([3, 3, 0, 2]);
      }
    }
    gpuDecoder.close();
    k.release(mark);
  }
});

test('gpu model: greedy and beam-4 search on the GPU decoder give the reference\'s hypotheses and the golden outputs on the tiny checkpoint', async (t) => {
  const k = gpu(t);
  if (!k) return;
  const { config, params } = loadModel(repoPath('test/fixtures/lm/reverse'));
  const rng = new Rng(77);
  const sources = Array.from({ length: 16 }, () => reversalPair(tinySequence(rng)).source);
  const mark = k.mark();
  const model = GpuModel.fromParams(k, config, params);
  for (const beam of [1, 4]) {
    const ref = beamSearch(params, config, sources, { beam, maxLen: 12 });
    const decoder = new GpuIncrementalDecoder(model, sources);
    const got = await beamSearchAsync(config, sources, { beam, maxLen: 12, decoder });
    decoder.close();
    sources.forEach((_, b) => {
      assert.deepEqual(got[b]!.map((h) => h.tokens), ref[b]!.map((h) => h.tokens), `beam ${beam}, source ${b}`);
      got[b]!.forEach((h, j) => assert.ok(Math.abs(h.score - ref[b]![j]!.score) < 1e-3, `beam ${beam}, source ${b}: score ${h.score} vs ${ref[b]![j]!.score}`));
    });
  }
  // The golden file's sources: the same greedy and beam-4 outputs as the reference wrote there.
  await assertGoldenDecoding(async (golden, options) => {
    const decoder = new GpuIncrementalDecoder(model, golden);
    const got = await beamSearchAsync(config, golden, { ...options, decoder });
    decoder.close();
    return got;
  });
  k.release(mark);
  assert.throws(() => new GpuIncrementalDecoder(model, [[4, 99]]), /token 99 of source 0 is outside the vocabulary/);
});
