// The CPU backend's forward pass against the float64 reference: the same parameters give the same
// logits and loss (to f32 accuracy) for every configuration variant and a padded batch of mixed
// lengths, and the result is bit-identical whatever the thread count.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/util/random.js';
import { forward, initParams, makeBatch, type ModelConfig, type Pair } from '../src/lm/reference/model.js';
import { CpuKernels } from '../src/lm/engine/cpu/kernels.js';
import { CpuModel } from '../src/lm/engine/cpu/model.js';

function pairs(rng: Rng, n: number, vocab: number): Pair[] {
  const seq = (len: number): number[] => Array.from({ length: len }, () => 4 + rng.int(vocab - 4));
  return Array.from({ length: n }, () => ({ source: seq(1 + rng.int(9)), target: seq(1 + rng.int(8)) }));
}

const base: ModelConfig = { vocab: 37, dModel: 24, nHeads: 3, dFF: 40, encoderLayers: 2, decoderLayers: 2, maxLen: 12, tiedEmbeddings: true, positions: 'sinusoidal' };
const variants: ModelConfig[] = [base, { ...base, tiedEmbeddings: false, positions: 'learned' }, { ...base, encoderLayers: 1, decoderLayers: 3, nHeads: 1 }];

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
  const config = { ...base, dModel: 64, nHeads: 4, dFF: 128, vocab: 301 };
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
