// Inference on the reference model: the KV-cache decoder computes exactly what the full decoder
// computes (all four tied/untied × sinusoidal/learned variants, batched rows on padded sources,
// reordered rows), beam 1 is greedy decoding token for token, beam search's scores are the model's
// log-probabilities under the documented length penalty, batching changes nothing and runs are
// deterministic. On the committed tiny model trained to reverse sequences (test/fixtures/lm)
// beam 4 is at least as accurate as greedy, and the cross-attention lifted to
// instructions recovers the reversal of separator-delimited instructions. The alignment scorer is
// checked on hand-made cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/lm/checkpoint.js';
import { repoPath } from './helpers/golden.js';
import { FIRST_SYMBOL, heldOutSequences, reversalAccuracy, reversalPair, SYMBOLS } from '../scripts/tiny-model.js';
import { Rng } from '../src/util/random.js';
import { BOS, decode, encode, EOS, initParams, ModelConfig, Params } from '../src/lm/reference/model.js';
import { greedyDecode } from '../src/lm/reference/train.js';
import { beamSearch, Hypothesis, IncrementalDecoder, lengthPenalty } from '../src/lm/reference/decode.js';
import { liftAlignment, poolScores, scoreAgainstRecord, scoreAlignment, AlignmentScore } from '../src/lm/align.js';
import { alignment } from '../src/data/pairs.js';

function variant(tied: boolean, positions: 'sinusoidal' | 'learned', extra: Partial<ModelConfig> = {}): ModelConfig {
  return { vocab: 17, dModel: 16, nHeads: 2, dFF: 24, encoderLayers: 2, decoderLayers: 2, maxLen: 12, tiedEmbeddings: tied, positions, ...extra };
}

const VARIANTS: ReadonlyArray<[string, ModelConfig]> = [
  ['tied/sinusoidal', variant(true, 'sinusoidal')],
  ['tied/learned', variant(true, 'learned')],
  ['untied/sinusoidal', variant(false, 'sinusoidal')],
  ['untied/learned', variant(false, 'learned')],
];

function randomIds(rng: Rng, n: number, vocab: number, first = 3): number[] {
  return Array.from({ length: n }, () => first + rng.int(vocab - first));
}

/** Full-decoder logits `[T·V]` and cross-attention per layer `[H·T·S]` of one source and decoder input. */
function fullDecode(params: Params, config: ModelConfig, source: readonly number[], input: readonly number[]): { logits: Float64Array; cross: Float64Array[] } {
  const S = source.length;
  const T = input.length;
  const enc = encode(params, config, Int32Array.from(source), [S], 1, S);
  const dec = decode(params, config, enc, Int32Array.from(input), [T], T);
  return { logits: dec.logits.data, cross: dec.cache.layers.map((l) => l.cross.probs.data) };
}

/** Log-probabilities of `tokens` (then EOS when `ended`) given the source, from the full decoder. */
function sequenceLogProb(params: Params, config: ModelConfig, source: readonly number[], tokens: readonly number[], ended: boolean): number {
  const targets = ended ? [...tokens, EOS] : [...tokens];
  const { logits } = fullDecode(params, config, source, [BOS, ...targets.slice(0, -1)]);
  const V = config.vocab;
  let sum = 0;
  targets.forEach((id, t) => {
    const row = logits.subarray(t * V, (t + 1) * V);
    const max = Math.max(...row);
    let z = 0;
    for (const x of row) z += Math.exp(x - max);
    sum += row[id]! - max - Math.log(z);
  });
  return sum;
}

test('incremental decoder: logits and cross-attention equal the full decoder, across batched, padded and reordered rows', () => {
  for (const [name, config] of VARIANTS) {
    const params = initParams(config, 11);
    const rng = new Rng(23);
    const sources = [3, 7, 5].map((n) => [...randomIds(rng, n - 1, config.vocab), EOS]);
    const decoder = new IncrementalDecoder(params, config, sources);
    // Two rows on source 1, so rows sharing a source must still keep separate caches.
    const state = decoder.start([0, 1, 2, 1], 2);
    let inputs = [0, 1, 2, 3].map(() => [BOS]);
    let worst = 0;
    const check = (rowsSource: readonly number[]): void => {
      const out = decoder.step(state, inputs.map((p) => p[p.length - 1]!));
      const t = state.length - 1;
      const V = config.vocab;
      const S = decoder.encoded.srcLen;
      inputs.forEach((input, r) => {
        const src = sources[rowsSource[r]!]!;
        const full = fullDecode(params, config, src, input);
        for (let j = 0; j < V; j++) worst = Math.max(worst, Math.abs(out.logits.data[r * V + j]! - full.logits[t * V + j]!));
        for (let l = 0; l < config.decoderLayers; l++) {
          const P = out.crossAttention[l]!.data;
          for (let h = 0; h < config.nHeads; h++) {
            for (let s = 0; s < S; s++) {
              const want = s < src.length ? full.cross[l]![(h * input.length + t) * src.length + s]! : 0;
              worst = Math.max(worst, Math.abs(P[(r * config.nHeads + h) * S + s]! - want));
            }
          }
        }
      });
    };
    let rowsSource = [0, 1, 2, 1];
    for (let t = 0; t < 5; t++) {
      check(rowsSource);
      inputs = inputs.map((p) => [...p, rng.int(config.vocab)]);
    }
    // Branch and drop rows, as beam search does: row 3 continues twice, rows 1 and 2 end. The
    // cache has grown from 2 to 8 positions by now, so the next steps write into the reordered
    // buffers themselves (a shared buffer would show here, not be hidden by a regrowth).
    state.reorder([3, 0, 3]);
    rowsSource = [1, 0, 1];
    inputs = [inputs[3]!, inputs[0]!, inputs[3]!.slice()];
    inputs[2]![inputs[2]!.length - 1] = (inputs[2]![inputs[2]!.length - 1]! + 1) % config.vocab;
    for (let t = 5; t < config.maxLen; t++) {
      check(rowsSource);
      if (t + 1 < config.maxLen) inputs = inputs.map((p) => [...p, rng.int(config.vocab)]);
    }
    assert.ok(worst <= 1e-12, `${name}: incremental vs full decoder differ by ${worst}`);
  }
});

test('incremental decoder: faster than rerunning the decoder over the prefix, same logits', (t) => {
  const config: ModelConfig = { vocab: 64, dModel: 64, nHeads: 4, dFF: 256, encoderLayers: 2, decoderLayers: 2, maxLen: 64, tiedEmbeddings: true, positions: 'sinusoidal' };
  const params = initParams(config, 3);
  const rng = new Rng(4);
  const source = [...randomIds(rng, 31, config.vocab), EOS];
  const input = [BOS, ...randomIds(rng, 47, config.vocab)];
  const V = config.vocab;
  const enc = encode(params, config, Int32Array.from(source), [source.length], 1, source.length);
  // Full recompute, as greedyDecode does: the whole prefix every step.
  const t0 = performance.now();
  const fullLast: Float64Array[] = [];
  for (let T = 1; T <= input.length; T++) {
    const dec = decode(params, config, enc, Int32Array.from(input.slice(0, T)), [T], T);
    fullLast.push(dec.logits.data.slice((T - 1) * V, T * V));
  }
  const fullMs = performance.now() - t0;
  const t1 = performance.now();
  const decoder = new IncrementalDecoder(params, config, [source]);
  const state = decoder.start([0]);
  const incremental = input.map((id) => decoder.step(state, [id]).logits.data);
  const incMs = performance.now() - t1;
  let worst = 0;
  incremental.forEach((row, i) => row.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - fullLast[i]![j]!)))));
  t.diagnostic(`d=64, 2+2 layers, source 32, 48 decoder steps: full recompute ${fullMs.toFixed(0)} ms, KV cache ${incMs.toFixed(0)} ms (encoder included), speedup ${(fullMs / incMs).toFixed(1)}x`);
  assert.ok(worst <= 1e-12, `logits differ by ${worst}`);
  assert.ok(fullMs / incMs > 2, `speedup only ${(fullMs / incMs).toFixed(2)}x`);
});

test('beam search: beam 1 is greedy decoding token for token (alpha 0), batched or not', () => {
  for (const [name, base] of VARIANTS) {
    for (const seed of [1, 2, 3]) {
      const config = base;
      const params = initParams(config, seed);
      // A random model rarely prefers EOS; favour it so some outputs end before the limit.
      params.get('out.b')!.data[EOS] = 1.5;
      const rng = new Rng(100 + seed);
      const sources = [2, 6, 9, 4].map((n) => [...randomIds(rng, n, config.vocab), EOS]);
      const beams = beamSearch(params, config, sources, { beam: 1, maxLen: 10, lengthPenalty: 0, topK: 4 });
      sources.forEach((src, b) => {
        const g = greedyDecode(params, config, src, 10, 4);
        assert.equal(beams[b]!.length, 1);
        const h = beams[b]![0]!;
        assert.deepEqual(h.tokens, g.tokens, `${name} seed ${seed} source ${b}`);
        assert.equal(h.ended, g.ended);
        assert.equal(h.steps.length, g.steps.length);
        h.steps.forEach((s, i) => {
          const gs = g.steps[i]!;
          assert.equal(s.token, gs.token);
          assert.deepEqual(s.top, gs.top);
          assert.equal(s.prob, gs.top[0]!.prob);
          assert.deepEqual(s.attention, gs.attentionByLayer[config.decoderLayers - 1]);
        });
      });
    }
  }
});

function checkHypotheses(params: Params, config: ModelConfig, source: readonly number[], hyps: readonly Hypothesis[], alpha: number, form: 'gnmt' | 'power'): void {
  hyps.forEach((h, i) => {
    assert.equal(h.steps.length, h.tokens.length + (h.ended ? 1 : 0));
    assert.equal(h.length, h.steps.length);
    assert.deepEqual(h.steps.map((s) => s.token), h.ended ? [...h.tokens, EOS] : h.tokens);
    const recomputed = sequenceLogProb(params, config, source, h.tokens, h.ended);
    assert.ok(Math.abs(h.logProb - recomputed) < 1e-9, `logProb ${h.logProb} vs recomputed ${recomputed}`);
    const expected = recomputed / lengthPenalty(h.length, alpha, form);
    assert.ok(Math.abs(h.score - expected) < 1e-9, `score ${h.score} vs ${expected}`);
    const fromSteps = h.steps.reduce((a, s) => a + Math.log(s.prob), 0);
    assert.ok(Math.abs(fromSteps - h.logProb) < 1e-9);
    for (const s of h.steps) {
      assert.equal(s.attention.length, source.length);
      assert.ok(Math.abs(s.attention.reduce((a, x) => a + x, 0) - 1) < 1e-12);
      assert.ok(s.top.every((e, k) => k === 0 || e.prob <= s.top[k - 1]!.prob));
      assert.ok(s.prob <= s.top[0]!.prob);
    }
    if (i > 0) {
      const prev = hyps[i - 1]!;
      assert.ok(Number(prev.ended) > Number(h.ended) || (prev.ended === h.ended && prev.score >= h.score), `hypotheses ${i - 1} and ${i} out of order`);
    }
  });
}

test('beam search: beam 4 hypotheses are sorted, their scores are the model log-probabilities over the length penalty', () => {
  for (const [name, config] of VARIANTS) {
    const params = initParams(config, 7);
    params.get('out.b')!.data[EOS] = 1.5;
    const rng = new Rng(8);
    const sources = [3, 8, 5].map((n) => [...randomIds(rng, n, config.vocab), EOS]);
    for (const [alpha, form] of [[0, 'gnmt'], [0.6, 'gnmt'], [1, 'power']] as const) {
      const out = beamSearch(params, config, sources, { beam: 4, maxLen: 9, lengthPenalty: alpha, penaltyForm: form, topK: 3 });
      assert.equal(out.length, sources.length);
      out.forEach((hyps, b) => {
        assert.equal(hyps.length, 4, `${name} alpha ${alpha}: ${hyps.length} hypotheses`);
        assert.ok(hyps.every((h) => h.steps.every((s) => s.top.length === 3)));
        checkHypotheses(params, config, sources[b]!, hyps, alpha, form);
        // Distinct hypotheses.
        assert.equal(new Set(hyps.map((h) => `${h.tokens.join()}/${h.ended}`)).size, hyps.length);
      });
    }
  }
  assert.equal(lengthPenalty(7, 0.6), Math.pow(2, 0.6));
  assert.equal(lengthPenalty(9, 0.5, 'power'), 3);
  assert.equal(lengthPenalty(40, 0), 1);
});

test('beam search: with a beam wide enough to keep everything, the stopping rule still finds the exact n best', () => {
  // Vocabulary of 5 (4 tokens besides EOS) and at most 4 output tokens: 1 + 4 + 16 + 64 ended
  // hypotheses, all enumerable. A beam of 64 never prunes, so only an early stop could miss one.
  const config = variant(false, 'learned', { vocab: 5, maxLen: 6 });
  for (const [alpha, seed] of [[0, 1], [0.6, 2], [1.5, 3]] as const) {
    const params = initParams(config, seed);
    params.get('out.b')!.data[EOS] = 1;
    const source = [3, 4, 3, EOS];
    const all: Array<{ tokens: number[]; score: number }> = [];
    const extend = (prefix: number[]): void => {
      all.push({ tokens: prefix, score: sequenceLogProb(params, config, source, prefix, true) / lengthPenalty(prefix.length + 1, alpha) });
      if (prefix.length < 3) for (const id of [0, 1, 3, 4]) extend([...prefix, id]);
    };
    extend([]);
    all.sort((a, b) => b.score - a.score);
    const found = beamSearch(params, config, [source], { beam: 64, maxLen: 4, lengthPenalty: alpha, nBest: 3 })[0]!;
    assert.deepEqual(found.map((h) => h.tokens), all.slice(0, 3).map((h) => h.tokens), `alpha ${alpha}`);
    assert.ok(found.every((h) => h.ended));
  }
});

test('beam search: a batch of sources equals searching each alone, and runs are deterministic', () => {
  const config = variant(false, 'learned', { decoderLayers: 3 });
  const params = initParams(config, 5);
  params.get('out.b')!.data[EOS] = 1.2;
  const rng = new Rng(6);
  const sources = [1, 9, 4, 6, 2].map((n) => [...randomIds(rng, n, config.vocab), EOS]);
  const options = { beam: 3, maxLen: 11, lengthPenalty: 0.6, topK: 2, nBest: 2, attentionLayer: 1 };
  const batched = beamSearch(params, config, sources, options);
  sources.forEach((src, b) => assert.deepEqual(beamSearch(params, config, [src], options)[0], batched[b], `source ${b}`));
  assert.deepEqual(beamSearch(params, config, sources, options), batched);
  const again = initParams(config, 5);
  again.get('out.b')!.data[EOS] = 1.2;
  assert.deepEqual(beamSearch(again, config, sources, options), batched);
  assert.ok(batched.every((h) => h.length === 2));
  assert.throws(() => beamSearch(params, config, sources, { ...options, attentionLayer: 3 }), RangeError);
  assert.throws(() => beamSearch(params, config, sources, { ...options, beam: 0 }), RangeError);
});

// ---------------------------------------------------------------------------------------------
// A trained model: reversal, as in lm-train.test.ts
// ---------------------------------------------------------------------------------------------

test('beam search and alignment on a trained reversal model', async (t) => {
  // The committed tiny checkpoint (scripts/tiny-model.ts: lm-train.test.ts's recipe, 700 steps).
  const { config, params } = loadModel(repoPath('test/fixtures/lm/reverse'));
  const heldOut = heldOutSequences(200).sequences;
  t.diagnostic(`model: ${config.dModel} wide, ${config.encoderLayers}+${config.decoderLayers} layers`);

  const sources = heldOut.map((s) => reversalPair(s).source);
  const t1 = performance.now();
  const greedy = sources.map((src) => greedyDecode(params, config, src, 12));
  const greedyMs = performance.now() - t1;
  const t2 = performance.now();
  const beam1 = beamSearch(params, config, sources, { beam: 1, maxLen: 12, lengthPenalty: 0 }).map((h) => h[0]!);
  const beam1Ms = performance.now() - t2;
  const t3 = performance.now();
  const beam4 = beamSearch(params, config, sources, { beam: 4, maxLen: 12 });
  const beam4Ms = performance.now() - t3;
  const g = reversalAccuracy(heldOut, greedy);
  const b1 = reversalAccuracy(heldOut, beam1);
  const b4 = reversalAccuracy(heldOut, beam4.map((h) => h[0]!));
  t.diagnostic(`greedy (full recompute) ${greedyMs.toFixed(0)} ms, beam 1 batched ${beam1Ms.toFixed(0)} ms, beam 4 batched ${beam4Ms.toFixed(0)} ms for 200 sources`);
  t.diagnostic(`held-out token accuracy: greedy ${(g.tokens * 100).toFixed(2)}% (${g.exact}/200 exact), beam 4 ${(b4.tokens * 100).toFixed(2)}% (${b4.exact}/200 exact)`);

  await t.test('beam 1 equals greedy on every held-out source', () => {
    beam1.forEach((h, i) => assert.deepEqual(h.tokens, greedy[i]!.tokens, `source ${i}`));
    assert.deepEqual(b1, g);
  });
  await t.test('beam 4 is at least as accurate as greedy', () => {
    assert.ok(g.tokens >= 0.95, `greedy token accuracy ${g.tokens}`);
    assert.ok(b4.tokens >= g.tokens, `beam 4 ${b4.tokens} < greedy ${g.tokens}`);
    assert.ok(b4.exact >= g.exact);
    for (const [i, hyps] of beam4.slice(0, 20).entries()) checkHypotheses(params, config, sources[i]!, hyps, 0.6, 'gnmt');
  });

  await t.test('lifted cross-attention recovers reversed instructions', () => {
    // Instructions are runs of symbols; symbol 4 plays the "\n" separator. Reversing the tokens
    // reverses the instructions (and each instruction's tokens), so output instruction i comes
    // from source instruction n−1−i.
    const SEPARATOR = FIRST_SYMBOL;
    const rng = new Rng(77);
    const cases: number[][][] = [];
    for (let i = 0; i < 60; i++) {
      const single = i % 2 === 0;
      const n = single ? 2 + rng.int(3) : 2 + rng.int(2);
      const instrs = Array.from({ length: n }, () => Array.from({ length: single ? 1 : 1 + rng.int(2) }, () => FIRST_SYMBOL + 1 + rng.int(SYMBOLS - 1)));
      if (instrs.flat().length + n - 1 > 8) instrs.pop();
      cases.push(instrs);
    }
    const blocks = cases.map((instrs) => instrs.flatMap((ins, k) => (k === 0 ? ins : [SEPARATOR, ...ins])));
    const results = beamSearch(params, config, blocks.map((b) => [...b, EOS]), { beam: 4, maxLen: 12 });
    const scores: AlignmentScore[] = [];
    let recovered = 0;
    let instructions = 0;
    cases.forEach((instrs, i) => {
      const n = instrs.length;
      const h = results[i]![0]!;
      const lifted = liftAlignment(blocks[i]!, h.tokens, h.steps.map((s) => s.attention), {
        sourceSeparator: (id) => id === SEPARATOR,
        outputSeparator: (id) => id === SEPARATOR,
      });
      assert.equal(lifted.sourceInstructions, n);
      const gold = alignment({ srcLoc: instrs.map((_, k) => k), tgtLoc: instrs.map((_, k) => n - 1 - k) });
      instructions += n;
      lifted.alignment.forEach((src, k) => {
        if (k < n && src.length === 1 && src[0] === n - 1 - k) recovered++;
      });
      // A wrong number of output instructions is scored link by link on what overlaps, the rest as misses.
      const predicted = gold.map((_, k) => lifted.alignment[k] ?? []);
      scores.push(scoreAlignment(predicted, gold));
    });
    const pooled = poolScores(scores);
    t.diagnostic(`instruction alignment: ${recovered}/${instructions} output instructions map to the reversed source instruction; pooled P ${pooled.precision.toFixed(3)} R ${pooled.recall.toFixed(3)} F1 ${pooled.f1.toFixed(3)}`);
    assert.ok(recovered / instructions >= 0.8, `recovered ${recovered}/${instructions}`);
    assert.ok(pooled.f1 >= 0.8, `F1 ${pooled.f1}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Alignment helpers on hand-made cases
// ---------------------------------------------------------------------------------------------

test('align: lifting token attention to instructions, on a hand-made block', () => {
  // Source "li a0, 1 \n ret" + EOS; output "mov w0, 1 \n ret".
  const source = ['li\t', 'a0', ', ', '1', '\n', 'ret'];
  const output = ['mov\t', 'w0', ', ', '1', '\n', 'ret'];
  const attention = [
    [0.7, 0.1, 0.0, 0.0, 0.1, 0.0, 0.1],
    [0.1, 0.6, 0.0, 0.1, 0.0, 0.1, 0.1],
    [0.0, 0.0, 0.2, 0.0, 0.5, 0.3, 0.0], // the separator holds the most: it has no vote, ret does
    [0.0, 0.1, 0.0, 0.4, 0.0, 0.4, 0.1], // a tie between "1" and "ret": the earlier token
    [0.2, 0.2, 0.2, 0.2, 0.2, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.5], // the EOS position is ignored
    [1, 0, 0, 0, 0, 0, 0], // the EOS step's row is ignored
  ];
  const lifted = liftAlignment(source, output, attention);
  assert.deepEqual(lifted.sourceInstructionOf, [0, 0, 0, 0, -1, 1]);
  assert.deepEqual(lifted.outputInstructionOf, [0, 0, 0, 0, -1, 1]);
  assert.deepEqual(lifted.tokenSource, [0, 1, 5, 3, -1, 5]);
  assert.equal(lifted.sourceInstructions, 2);
  assert.equal(lifted.instructions.length, 2);
  const [first, second] = lifted.instructions;
  assert.deepEqual(first!.tokens, [0, 1, 2, 3]);
  assert.deepEqual(first!.votes, [3, 1]);
  assert.deepEqual(first!.source, [0]);
  const close = (a: readonly number[], b: readonly number[]): void => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-15, `${a} vs ${b}`));
  close(first!.mass, [(0.8 + 0.8 + 0.2 + 0.5) / 4, (0 + 0.1 + 0.3 + 0.4) / 4]);
  assert.deepEqual(second!.votes, [0, 1]);
  close(second!.mass, [0, 0.5]);
  assert.deepEqual(lifted.alignment, [[0], [1]]);

  // A tied vote keeps both source instructions; ids with a predicate work as texts do.
  const tie = liftAlignment([5, 9, 6, 9, 7], [8, 8], [
    [0.6, 0, 0.4, 0, 0],
    [0, 0, 0.3, 0, 0.7],
  ], { sourceSeparator: (id) => id === 9 });
  assert.deepEqual(tie.alignment, [[0, 2]]);
  assert.deepEqual(tie.instructions[0]!.votes, [1, 0, 1]);
  // Consecutive and trailing separators make empty instructions, as text.split('\n') does.
  const empty = liftAlignment(['a', '\n', '\n', 'b'], ['x', '\n'], [[0, 0, 0, 1], [1, 0, 0, 0]]);
  assert.equal(empty.sourceInstructions, 3);
  assert.deepEqual(empty.alignment, [[2], []]);
  assert.throws(() => liftAlignment(['a'], ['x', 'y'], [[1]]), RangeError);
});

test('align: precision, recall and F1 of instruction links', () => {
  const approx = (s: AlignmentScore, want: Partial<AlignmentScore>): void => {
    for (const [k, v] of Object.entries(want)) assert.ok(Math.abs((s as unknown as Record<string, number>)[k]! - (v as number)) < 1e-15, `${k}: ${JSON.stringify(s)}`);
  };
  approx(scoreAlignment([[0], [1, 2], []], [[0], [2], [1]]), { correct: 2, predicted: 3, gold: 3, precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
  approx(scoreAlignment([[0, 1], [1, 1]], [[0], [1]]), { correct: 2, predicted: 3, gold: 2, precision: 2 / 3, recall: 1, f1: 0.8 });
  approx(scoreAlignment([[3], [2]], [[0], [1]]), { correct: 0, precision: 0, recall: 0, f1: 0 });
  approx(scoreAlignment([], []), { precision: 1, recall: 1, f1: 1 });
  approx(scoreAlignment([[]], [[0]]), { predicted: 0, gold: 1, precision: 0, recall: 0, f1: 0 });
  approx(scoreAlignment([[0], [5]], [[0], [1]], [false, true]), { correct: 1, predicted: 1, gold: 1, f1: 1 });
  assert.throws(() => scoreAlignment([[0]], [[0], [1]]), RangeError);

  // Gold from `.loc` ids: srcLoc [0, 1, 1, 2], tgtLoc [1, 0, -1, 2, 5] gives [[1, 2], [0], [], [3], []];
  // the instruction without line info (-1) is left out, the one with an id the source lacks is not.
  const record = { srcLoc: [0, 1, 1, 2], tgtLoc: [1, 0, -1, 2, 5] };
  assert.deepEqual(alignment(record), [[1, 2], [0], [], [3], []]);
  const s = scoreAgainstRecord([[1], [0], [3], [3], [2]], record);
  approx(s, { correct: 3, predicted: 4, gold: 4, precision: 0.75, recall: 0.75, f1: 0.75 });

  approx(poolScores([s, scoreAlignment([[0]], [[0]])]), { correct: 4, predicted: 5, gold: 5, precision: 0.8, recall: 0.8, f1: 0.8 });
});
