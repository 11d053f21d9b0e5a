// The CPU backend's model against the float64 reference: the same parameters give the same logits,
// loss and gradients of every parameter (to f32 accuracy) for every configuration variant and a
// padded batch of mixed lengths; training steps follow the reference's; and everything is
// bit-identical whatever the thread count.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/util/random.js';
import { assertGoldenDecoding, MODEL_VARIANTS, randomPairs } from './helpers/models.js';
import { backward, forward, initParams, makeBatch } from '../src/lm/reference/model.js';
import { AdamW, greedyDecode, trainStep } from '../src/lm/reference/train.js';
import { CpuKernels } from '../src/lm/engine/cpu/kernels.js';
import { CpuModel } from '../src/lm/engine/cpu/model.js';
import { CpuIncrementalDecoder } from '../src/lm/engine/cpu/decode.js';
import { beamSearch, IncrementalDecoder } from '../src/lm/reference/decode.js';
import { loadModel } from '../src/lm/checkpoint.js';
import { repoPath } from './helpers/golden.js';
import { heldOutSequences, reversalAccuracy, reversalPair, TINY_CONFIG, tinySequence, trainReversal } from '../scripts/tiny-model.js';

const variants = MODEL_VARIANTS;
const pairs = randomPairs;

test('cpu model: forward matches the float64 reference (logits and loss), every variant', async () => {
  const kernels = await CpuKernels.create({ threads: 2 });
  try {
    for (const [i, config] of variants.entries()) {
      const params = initParams(config, 7 + i);
      const batch = makeBatch(pairs(new Rng(100 + i), 5, config.vocab));
      const ref = forward(params, config, batch);
      const model = CpuModel.fromParams(kernels, config, params);
      const got = model.forward(batch);
      assert.equal(got.logits.length, ref.logits.data.length);
      let worst = 0;
      let scale = 0;
      for (let j = 0; j < got.logits.length; j++) {
        worst = Math.max(worst, Math.abs(got.logits[j]! - ref.logits.data[j]!));
        scale = Math.max(scale, Math.abs(ref.logits.data[j]!));
      }
      // f32 through ~7 layers of matmuls, layernorms and softmaxes: a few 1e-6 of the logit scale.
      assert.ok(worst <= 1e-4 * Math.max(1, scale), `variant ${i}: max |logit diff| ${worst} (scale ${scale})`);
      assert.ok(Math.abs(got.loss - ref.loss) <= 1e-5 * Math.max(1, ref.loss), `variant ${i}: loss ${got.loss} vs ${ref.loss}`);
    }
  } finally {
    await kernels.close();
  }
});

test('cpu model: forward is bit-identical for 1, 2 and 3 threads', async () => {
  const config = { ...variants[0]!, dModel: 64, nHeads: 4, dFF: 128, vocab: 301 };
  const params = initParams(config, 3);
  const batch = makeBatch(pairs(new Rng(5), 8, config.vocab));
  const results: Float32Array[] = [];
  for (const threads of [1, 2, 3]) {
    const kernels = await CpuKernels.create({ threads });
    try {
      results.push(CpuModel.fromParams(kernels, config, params).forward(batch).logits);
    } finally {
      await kernels.close();
    }
  }
  assert.deepEqual(Buffer.from(results[1]!.buffer), Buffer.from(results[0]!.buffer));
  assert.deepEqual(Buffer.from(results[2]!.buffer), Buffer.from(results[0]!.buffer));
});

test('cpu model: gradients of every parameter match the reference backward, every variant', async () => {
  const kernels = await CpuKernels.create({ threads: 2 });
  try {
    for (const [i, config] of variants.entries()) {
      const params = initParams(config, 11 + i);
      const batch = makeBatch(pairs(new Rng(200 + i), 4, config.vocab));
      const ref = forward(params, config, batch);
      const refGrads = backward(params, config, batch, ref);
      const got = CpuModel.fromParams(kernels, config, params).gradients(batch);
      assert.deepEqual([...got.grads.keys()].sort(), [...refGrads.keys()].sort());
      for (const [name, g] of refGrads) {
        const mine = got.grads.get(name)!;
        let worst = 0;
        let scale = 0;
        for (let j = 0; j < g.data.length; j++) {
          worst = Math.max(worst, Math.abs(mine[j]! - g.data[j]!));
          scale = Math.max(scale, Math.abs(g.data[j]!));
        }
        assert.ok(scale > 0, `variant ${i}: ${name} has a zero reference gradient`);
        assert.ok(worst <= 2e-4 * scale + 1e-7, `variant ${i}: ${name}: max |grad diff| ${worst} vs scale ${scale}`);
      }
    }
  } finally {
    await kernels.close();
  }
});

test('cpu model: AdamW steps follow the reference, and are bit-identical for 1, 2 and 3 threads', async () => {
  const config = variants[1]!;
  const params = initParams(config, 21);
  const batches = [0, 1, 2, 3, 4].map((s) => makeBatch(pairs(new Rng(300 + s), 6, config.vocab)));
  const refParams = initParams(config, 21);
  const opt = new AdamW();
  for (const b of batches) trainStep(refParams, config, b, opt, 3e-3, 1);
  const finals: Map<string, Float32Array>[] = [];
  for (const threads of [1, 2, 3]) {
    const kernels = await CpuKernels.create({ threads });
    try {
      const model = CpuModel.fromParams(kernels, config, params);
      for (const b of batches) model.trainStep(b, 3e-3, { clip: 1 });
      finals.push(model.weightsByName());
    } finally {
      await kernels.close();
    }
  }
  for (const [name, w] of finals[0]!) {
    assert.deepEqual(Buffer.from(finals[1]!.get(name)!.buffer), Buffer.from(w.buffer), `${name}: 1 vs 2 threads`);
    assert.deepEqual(Buffer.from(finals[2]!.get(name)!.buffer), Buffer.from(w.buffer), `${name}: 1 vs 3 threads`);
    const ref = refParams.get(name)!.data;
    let worst = 0;
    for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j]! - ref[j]!));
    // Five Adam steps of lr 3e-3 move a weight by at most ~0.015; f32 rounding of the gradients
    // may flip the sign of a near-zero update, which is bounded by the step size.
    assert.ok(worst <= 2e-3, `${name}: drifted ${worst} from the reference after 5 steps`);
  }
});

test('cpu model: trains the reversal task on the CPU backend to >= 99% held-out token accuracy', async (t) => {
  const config = TINY_CONFIG;
  const { sequences: heldOut, keys: held } = heldOutSequences(200);
  const kernels = await CpuKernels.create({ threads: 1 });
  try {
    const model = CpuModel.fromParams(kernels, config, initParams(config, 1));
    const steps = 700;
    const t0 = performance.now();
    const losses = trainReversal(steps, (batch, lr) => model.trainStep(batch, lr, { beta2: 0.98, clip: 1 }).loss, held);
    const last = losses[losses.length - 1]!;
    const seconds = (performance.now() - t0) / 1000;
    // Decode with the reference on the trained f32 weights: the backend trained them.
    const params = initParams(config, 1);
    for (const [name, w] of model.weightsByName()) params.get(name)!.data.set(w);
    const { tokens: accuracy } = reversalAccuracy(heldOut, heldOut.map((s) => greedyDecode(params, config, reversalPair(s).source, 12)));
    t.diagnostic(`cpu backend: ${steps} steps in ${seconds.toFixed(1)} s, final loss ${last.toFixed(4)}, held-out token accuracy ${(100 * accuracy).toFixed(2)}%`);
    assert.ok(accuracy >= 0.99, `accuracy ${accuracy}`);
  } finally {
    await kernels.close();
  }
});

test('cpu model: the incremental decoder matches the reference step by step (logits, cross-attention)', async () => {
  const kernels = await CpuKernels.create({ threads: 2 });
  try {
    for (const [i, config] of variants.entries()) {
      const params = initParams(config, 31 + i);
      const rng = new Rng(400 + i);
      const sources = [0, 1, 2].map(() => Array.from({ length: 2 + rng.int(8) }, () => 4 + rng.int(config.vocab - 4)));
      const ref = new IncrementalDecoder(params, config, sources);
      const cpu = new CpuIncrementalDecoder(CpuModel.fromParams(kernels, config, params), sources);
      const rows = [0, 1, 2, 1];
      const [sr, sc] = [ref.start(rows), cpu.start(rows)];
      let tokens = [1, 1, 1, 1];
      for (let step = 0; step < 6; step++) {
        const a = ref.step(sr, tokens);
        const b = cpu.step(sc, tokens);
        let worst = 0;
        let scale = 0;
        for (let j = 0; j < a.logits.data.length; j++) {
          worst = Math.max(worst, Math.abs(a.logits.data[j]! - b.logits.data[j]!));
          scale = Math.max(scale, Math.abs(a.logits.data[j]!));
        }
        assert.ok(worst <= 1e-4 * Math.max(1, scale), `variant ${i} step ${step}: max |logit diff| ${worst}`);
        for (let l = 0; l < config.decoderLayers; l++) {
          const pa = a.crossAttention[l]!.data;
          const pb = b.crossAttention[l]!.data;
          for (let j = 0; j < pa.length; j++) assert.ok(Math.abs(pa[j]! - pb[j]!) <= 1e-4, `variant ${i} step ${step} layer ${l}: attention differs`);
        }
        tokens = tokens.map((_, r) => 4 + ((step * 7 + r * 3) % (config.vocab - 4)));
        if (step === 2) {
          sr.reorder([3, 3, 0, 2]);
          sc.reorder([3, 3, 0, 2]);
        }
      }
      cpu.close();
    }
  } finally {
    await kernels.close();
  }
});

test('cpu model: greedy and beam-4 search on the CPU decoder give the reference\'s hypotheses and the golden outputs on the tiny checkpoint', async () => {
  const { config, params } = loadModel(repoPath('test/fixtures/lm/reverse'));
  const rng = new Rng(77);
  const sources = Array.from({ length: 16 }, () => reversalPair(tinySequence(rng)).source);
  const kernels = await CpuKernels.create({ threads: 2 });
  try {
    const model = CpuModel.fromParams(kernels, config, params);
    for (const beam of [1, 4]) {
      const ref = beamSearch(params, config, sources, { beam, maxLen: 12 });
      const decoder = new CpuIncrementalDecoder(model, sources);
      const got = beamSearch(params, config, sources, { beam, maxLen: 12, decoder });
      decoder.close();
      sources.forEach((_, b) => {
        assert.deepEqual(got[b]!.map((h) => h.tokens), ref[b]!.map((h) => h.tokens), `beam ${beam}, source ${b}`);
        got[b]!.forEach((h, j) => assert.ok(Math.abs(h.score - ref[b]![j]!.score) < 1e-3, `beam ${beam}, source ${b}: score ${h.score} vs ${ref[b]![j]!.score}`));
      });
    }
    // The golden file's sources: the same greedy and beam-4 outputs as the reference wrote there.
    await assertGoldenDecoding((golden, options) => {
      const decoder = new CpuIncrementalDecoder(model, golden);
      const got = beamSearch(params, config, golden, { ...options, decoder });
      decoder.close();
      return got;
    });
  } finally {
    await kernels.close();
  }
});
