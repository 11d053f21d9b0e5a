// Golden decoding on the committed tiny checkpoint (test/fixtures/lm/reverse, made by
// scripts/tiny-model.ts): greedy and beam-4 outputs, their probabilities and scores, and where the
// cross-attention points, for fixed held-out sources. Any change to the model code, the decoders
// or the weights format shows up as a reviewed diff (BLESS=1 rewrites the golden file).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../src/util/random.js';
import { loadModel } from '../src/lm/checkpoint.js';
import { greedyDecode } from '../src/lm/reference/train.js';
import { beamSearch } from '../src/lm/reference/decode.js';
import { expectGolden, repoPath } from './helpers/golden.js';
import { reversalPair, TINY_CONFIG, tinySequence } from '../scripts/tiny-model.js';

const argmax = (xs: readonly number[]): number => xs.reduce((best, x, i) => (x > xs[best]! ? i : best), 0);

test('lm golden: greedy and beam-4 decoding of the committed tiny checkpoint', () => {
  const model = loadModel(repoPath('test/fixtures/lm/reverse'));
  assert.deepEqual(model.config, TINY_CONFIG);
  const rng = new Rng(4242);
  const sources = Array.from({ length: 12 }, () => reversalPair(tinySequence(rng)).source);
  const beams = beamSearch(model.params, model.config, sources, { beam: 4, maxLen: 12, nBest: 2 });
  const lines: string[] = [];
  let correct = 0;
  sources.forEach((src, i) => {
    const g = greedyDecode(model.params, model.config, src, 12);
    const want = src.slice(0, -1).reverse();
    if (g.tokens.join() === want.join()) correct++;
    lines.push(`source ${src.join(' ')}`);
    lines.push(`  greedy ${g.tokens.join(' ')}${g.ended ? ' <eos>' : ''}`);
    lines.push(`    p    ${g.steps.map((s) => s.top[0]!.prob.toFixed(4)).join(' ')}`);
    lines.push(`    top2 ${g.steps.map((s) => `${s.top[1]!.id}:${s.top[1]!.prob.toFixed(4)}`).join(' ')}`);
    lines.push(`    attn ${g.steps.map((s) => argmax(s.attention)).join(' ')}`);
    for (const h of beams[i]!) lines.push(`  beam   ${h.tokens.join(' ')}${h.ended ? ' <eos>' : ''}  score ${h.score.toFixed(6)}  logp ${h.logProb.toFixed(6)}`);
  });
  expectGolden(repoPath('test/golden/lm/reverse-decode.txt'), lines.join('\n') + '\n');
  // The checkpoint really is a trained reverser (the golden file is not a record of noise).
  assert.ok(correct >= 11, `${correct} of 12 reversed exactly`);
});
