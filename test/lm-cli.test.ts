// `gns train` and `gns lm decode` end to end, through the real bin/gns.js: a tiny corpus from
// the bundled example, a tiny model trained for 20 steps (the checkpoint's files exist, the loss
// is finite and falls), resumed for a few more, then run on one block as text and as JSON. Bad
// input (a config whose vocab is not the corpus's, corrupt weights, a missing model directory, a
// block longer than maxLen, an unknown backend, ...) gets a clear message and its
// documented exit code, never a stack trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './helpers/golden.js';
import type { Manifest } from '../src/data/build.js';
import type { PairRecord } from '../src/data/pairs.js';
import type { TrainSummary } from '../src/cli/train.js';
import type { DecodeSummary } from '../src/cli/lm.js';

const gns = repoPath('bin/gns.js');
const tmp = mkdtempSync(join(tmpdir(), 'gns-lm-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, GNS_DEBUG: '', GNS_CACHE_DIR: join(tmp, 'cache') };

function run(args: string[], input?: string, extraEnv: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [gns, ...args], { encoding: 'latin1', timeout: 120_000, env: { ...env, ...extraEnv }, ...(input !== undefined ? { input } : {}) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function assertClean(out: string): void {
  assert.doesNotMatch(out, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
  assert.doesNotMatch(out, /internal error/);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

// The corpus: the bundled example is one program, so every pair lands in the train split. A
// valid shard made of two of its pairs gives the end-of-training evaluation something to read.
const corpus = join(tmp, 'corpus');
const build = run(['data', 'build', '--out', corpus, '--c-dir', repoPath('examples'), '--json']);
assert.equal(build.code, 0, build.stderr);
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as Manifest;
const trainShard = manifest.shards.find((s) => s.file.includes('aarch64-riscv64'))!;
const records = readFileSync(join(corpus, trainShard.file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as PairRecord);
mkdirSync(join(corpus, 'valid'));
writeFileSync(join(corpus, 'valid', 'extra.jsonl'), records.slice(0, 2).map((r) => JSON.stringify({ ...r, split: 'valid' })).join('\n') + '\n');
writeFileSync(join(corpus, 'manifest.json'), JSON.stringify({ ...manifest, shards: [...manifest.shards, { file: 'valid/extra.jsonl', records: 2, sha256: '' }] }));

const vocabSize = manifest.vocab.size;
const config = { vocab: vocabSize, dModel: 16, nHeads: 2, dFF: 32, encoderLayers: 1, decoderLayers: 1, maxLen: 72, tiedEmbeddings: true, positions: 'sinusoidal' };
const configPath = join(tmp, 'model.json');
writeFileSync(configPath, JSON.stringify(config));
const model = join(tmp, 'model');
const trainArgs = ['train', '--config', configPath, '--data', corpus, '--steps', '20', '--out', model, '--batch', '4', '--lr', '3e-3', '--save-every', '10', '--json'];
const trained = run(trainArgs);

test('gns train: 20 steps of a tiny model write a checkpoint, and the loss is finite and falls', (t) => {
  assertClean(trained.stderr);
  assert.equal(trained.code, 0, trained.stderr);
  const s = JSON.parse(trained.stdout) as TrainSummary;
  for (const f of ['config.json', 'model.safetensors', 'vocab.json', 'optimizer.safetensors', 'train-state.json']) assert.ok(existsSync(join(model, f)), `${f} exists`);
  assert.deepEqual(s.steps, { from: 0, to: 20, total: 20 });
  // The default, auto, takes a hardware GPU where there is one; a software adapter does not count.
  assert.ok(s.backend === 'cpu' || s.backend === 'gpu');
  assert.match(s.backendNote, /^auto: the (CPU|GPU) backend/);
  assert.equal(s.examples.train, 6);
  assert.equal(s.examples.valid, 2);
  const curve = s.loss.curve;
  assert.equal(curve.length, 20);
  assert.ok(curve.every(Number.isFinite), `finite losses: ${curve.join(', ')}`);
  assert.ok(mean(curve.slice(-5)) < mean(curve.slice(0, 5)) - 0.5, `loss falls: ${curve.map((x) => x.toFixed(3)).join(' ')}`);
  assert.ok(s.validLoss !== null && Number.isFinite(s.validLoss));
  assert.ok(s.tokensPerSecond > 0);
  t.diagnostic(`${s.backend} backend: ${s.tokensPerSecond} tokens/s, ${s.parameters} parameters; loss ${curve[0]!.toFixed(3)} -> ${curve[19]!.toFixed(3)}, valid ${s.validLoss!.toFixed(3)}`);
  assert.deepEqual(JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')), config);
});

test('gns train --resume continues the checkpoint; without --resume an existing model is not overwritten', () => {
  const copy = join(tmp, 'resumed');
  cpSync(model, copy, { recursive: true });
  const r = run(['train', '--data', corpus, '--out', copy, '--resume', '--steps', '24']);
  assertClean(r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /trained steps 20 -> 24 of 24/);
  assert.match(r.stdout, /schedule length changed from 20 to 24/);
  assert.match(r.stdout, /tokens\/s/);
  const again = run(trainArgs);
  assert.equal(again.code, 2);
  assert.match(again.stdout, /already holds a model; pass --resume/);
  const done = run(['train', '--data', corpus, '--out', copy, '--resume']);
  assert.equal(done.code, 2);
  assert.match(done.stderr, /already trained 24 steps/);
  const clash = run(['train', '--data', corpus, '--out', copy, '--resume', '--steps', '30', '--batch', '2']);
  assert.equal(clash.code, 2);
  assert.match(clash.stderr, /--batch 2 differs from the checkpoint's 4/);
});

const block = records[0]!.src;
const blockPath = join(tmp, 'block.s');
writeFileSync(blockPath, block + '\n', 'latin1');

test('gns lm decode prints the translation, and --json gives per-token probabilities, alternatives and alignment', () => {
  const text = run(['lm', 'decode', '--model', model, '--input', blockPath, '--max-len', '30']);
  assertClean(text.stderr);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(text.stdout.length > 1, 'some output');

  const r = run(['lm', 'decode', '--model', model, '--input', '-', '--top-k', '3', '--max-len', '30', '--json'], '\t' + block.split('\n').join('\n\t') + '\n');
  assertClean(r.stderr);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as DecodeSummary;
  assert.equal(out.from, 'aarch64');
  assert.equal(out.to, 'riscv64');
  assert.equal(out.input, block, 'indented input is canonicalised to the corpus spelling');
  assert.equal(out.text + '\n', text.stdout, 'same output from a file and from stdin');
  assert.ok(out.tokens.length > 0 && out.tokens.length <= 30);
  assert.equal(out.tokens.map((x) => x.text).join(''), out.text);
  for (const tok of out.tokens) {
    assert.ok(tok.prob > 0 && tok.prob <= 1);
    assert.equal(tok.top.length, 3);
    assert.equal(tok.top[0]!.id, tok.id);
    assert.ok(tok.top[1]!.prob <= tok.top[0]!.prob);
    assert.ok(Number.isInteger(tok.source.index) && tok.source.index >= 0 && tok.source.index < out.sourceTokens);
    assert.ok(tok.source.weight > 0 && tok.source.weight <= 1);
  }
  // One block, greedy, on a tiny model: too little work per step for a GPU, so auto stays on the
  // CPU without asking for an adapter.
  assert.equal(out.backend, 'cpu');
  assert.match(out.backendNote, /^auto: the CPU backend \(1 row\(s\) per step of a model of [\d,]+ parameters: too little work per step/);
  // The float64 reference decodes the same text; beam 3 keeps 3 hypotheses, best first.
  const ref = JSON.parse(run(['lm', 'decode', '--model', model, '--input', blockPath, '--max-len', '30', '--backend', 'reference', '--json']).stdout) as DecodeSummary;
  assert.equal(ref.text, out.text);
  assert.equal(ref.backend, 'reference');
  const beam = JSON.parse(run(['lm', 'decode', '--model', model, '--input', blockPath, '--max-len', '30', '--beam', '3', '--json']).stdout) as DecodeSummary;
  assert.equal(beam.hypotheses.length, 3);
  assert.equal(beam.hypotheses[0]!.text, beam.text);
  assert.ok(beam.hypotheses.every((h, i) => i === 0 || h.ended !== beam.hypotheses[0]!.ended || h.score <= beam.hypotheses[i - 1]!.score));
  const wrongIsa = run(['lm', 'decode', '--model', model, '--input', blockPath, '--from', 'riscv64']);
  assert.equal(wrongIsa.code, 2);
  assert.match(wrongIsa.stderr, /translates aarch64-riscv64; it does not read riscv64/);
});

test('gns train and gns lm decode --backend gpu: on a WebGPU adapter they train and decode as the other backends do; without one, exit 6 and why', () => {
  const gpuModel = join(tmp, 'model-gpu');
  const r = run(['train', '--config', configPath, '--data', corpus, '--steps', '20', '--out', gpuModel, '--batch', '4', '--lr', '3e-3', '--backend', 'gpu', '--json']);
  if (r.code === 6) {
    assert.match(r.stderr, /--backend gpu: no GPU backend: .+; use --backend cpu/);
    assertClean(r.stderr);
    return;
  }
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as TrainSummary;
  assert.equal(s.backend, 'gpu');
  assert.match(s.backendNote, /^the GPU backend, as asked, on /);
  const other = JSON.parse(trained.stdout) as TrainSummary;
  // Same data, seed and schedule: the f32 engines agree on the losses to rounding.
  s.loss.curve.forEach((x, i) => assert.ok(Math.abs(x - other.loss.curve[i]!) <= 1e-3 * Math.max(1, other.loss.curve[i]!), `step ${i}: gpu ${x} vs ${other.backend} ${other.loss.curve[i]}`));
  const g = JSON.parse(run(['lm', 'decode', '--model', model, '--input', blockPath, '--max-len', '30', '--beam', '3', '--backend', 'gpu', '--json']).stdout) as DecodeSummary;
  const ref = JSON.parse(run(['lm', 'decode', '--model', model, '--input', blockPath, '--max-len', '30', '--beam', '3', '--backend', 'reference', '--json']).stdout) as DecodeSummary;
  assert.equal(g.backend, 'gpu');
  assert.deepEqual(g.hypotheses.map((h) => h.text), ref.hypotheses.map((h) => h.text));
  g.tokens.forEach((tok, i) => assert.equal(tok.source.index, ref.tokens[i]!.source.index, `token ${i} aligns to the same source token`));
});

test('--backend on a machine without any WebGPU adapter: gpu exits 6 and says why, auto falls back to the CPU', () => {
  // The Vulkan loader's own switch hides every driver (lavapipe included): Dawn then finds no adapter.
  const noVulkan = { VK_LOADER_DRIVERS_DISABLE: '*' };
  const gpu = run(['lm', 'decode', '--model', model, '--input', blockPath, '--max-len', '5', '--backend', 'gpu'], undefined, noVulkan);
  assert.equal(gpu.code, 6, gpu.stderr);
  assert.match(gpu.stderr, /--backend gpu: no GPU backend: Dawn found no WebGPU adapter .*; use --backend cpu/);
  assert.equal(gpu.stderr.trim().split('\n').length, 1, `one line, Dawn's complaints kept off stderr: ${gpu.stderr}`);
  const auto = run(['train', '--config', configPath, '--data', corpus, '--steps', '1', '--out', join(tmp, 'model-auto'), '--batch', '4', '--json'], undefined, noVulkan);
  assert.equal(auto.code, 0, auto.stderr);
  const out = JSON.parse(auto.stdout) as TrainSummary;
  assert.equal(out.backend, 'cpu');
  assert.match(out.backendNote, /^auto: the CPU backend \(no GPU: Dawn found no WebGPU adapter/);
  assert.equal(auto.stderr.trim(), '', 'the probe keeps the loader\'s complaints off stderr');
});

test('gns train and gns lm decode: bad input gets a clear message and its exit code, never a stack trace', () => {
  const cases: Array<{ what: string; args: string[]; code: number; message: RegExp; stdin?: string }> = [];
  const badVocab = join(tmp, 'bad-vocab.json');
  writeFileSync(badVocab, JSON.stringify({ ...config, vocab: 100 }));
  cases.push({ what: 'config vocab mismatch', args: ['train', '--config', badVocab, '--data', corpus, '--steps', '2', '--out', join(tmp, 'm-vocab')], code: 1, message: new RegExp(`has vocab 100, but the corpus vocabulary '.*vocab\\.json' has ${vocabSize} tokens`) });
  const badConfig = join(tmp, 'bad-config.json');
  writeFileSync(badConfig, JSON.stringify({ ...config, dModel: 15 }));
  cases.push({ what: 'config that cannot be built', args: ['train', '--config', badConfig, '--data', corpus, '--steps', '2', '--out', join(tmp, 'm-bad')], code: 1, message: /nHeads 2 does not divide dModel 15/ });
  cases.push({ what: 'missing config file', args: ['train', '--config', join(tmp, 'nope.json'), '--data', corpus, '--steps', '2', '--out', join(tmp, 'm-nope')], code: 3, message: /cannot read '.*nope\.json': no such file/ });
  cases.push({ what: 'no --config', args: ['train', '--data', corpus, '--steps', '2', '--out', join(tmp, 'm-x')], code: 2, message: /needs --config FILE/ });
  cases.push({ what: 'not a corpus', args: ['train', '--config', configPath, '--data', tmp, '--steps', '2', '--out', join(tmp, 'm-y')], code: 1, message: /is not a gns corpus/ });
  cases.push({ what: 'unknown backend', args: ['train', '--config', configPath, '--data', corpus, '--steps', '2', '--out', join(tmp, 'm-z'), '--backend', 'tpu'], code: 2, message: /unknown --backend 'tpu' \(auto, gpu, cpu, reference\)/ });
  cases.push({ what: 'bad --lr', args: ['train', '--config', configPath, '--data', corpus, '--steps', '2', '--out', join(tmp, 'm-w'), '--lr', 'fast'], code: 2, message: /--lr needs a positive number/ });
  cases.push({ what: 'resume with nothing there', args: ['train', '--data', corpus, '--out', join(tmp, 'm-none'), '--resume'], code: 3, message: /no training checkpoint to resume/ });

  const corrupt = join(tmp, 'corrupt-model');
  cpSync(model, corrupt, { recursive: true });
  const weights = readFileSync(join(corrupt, 'model.safetensors'));
  writeFileSync(join(corrupt, 'model.safetensors'), weights.subarray(0, weights.length - 100));
  cases.push({ what: 'corrupt weights', args: ['lm', 'decode', '--model', corrupt, '--input', blockPath], code: 3, message: /model\.safetensors' is not a valid safetensors file: .*run past the end of the data/ });
  const mismatch = join(tmp, 'mismatch-model');
  cpSync(model, mismatch, { recursive: true });
  writeFileSync(join(mismatch, 'config.json'), JSON.stringify({ ...config, dFF: 64 }));
  cases.push({ what: 'config/weights mismatch', args: ['lm', 'decode', '--model', mismatch, '--input', blockPath], code: 3, message: /parameter 'enc\.0\.ffn\.w1' has shape \[16, 32\] in '.*model\.safetensors', but the config needs \[16, 64\]/ });
  cases.push({ what: 'missing model dir', args: ['lm', 'decode', '--model', join(tmp, 'no-model'), '--input', blockPath], code: 3, message: /model directory '.*no-model' does not exist/ });
  const long = join(tmp, 'long.s');
  writeFileSync(long, Array.from({ length: 5 }, () => block).join('\n') + '\n');
  cases.push({ what: 'input longer than maxLen', args: ['lm', 'decode', '--model', model, '--input', long], code: 1, message: /is \d+ tokens long \(with EOS\), but the model reads at most maxLen 72/ });
  cases.push({ what: 'unparseable input', args: ['lm', 'decode', '--model', model, '--input', '-'], code: 1, message: /<stdin>:1:\d+: .+/, stdin: 'frobnicate\tx0, x1, 3\n' });
  cases.push({ what: 'no instructions', args: ['lm', 'decode', '--model', model, '--input', '-'], code: 1, message: /holds no instructions/, stdin: '.L3:\n' });
  cases.push({ what: 'missing input file', args: ['lm', 'decode', '--model', model, '--input', join(tmp, 'none.s')], code: 3, message: /cannot read '.*none\.s': no such file/ });
  cases.push({ what: 'no subcommand', args: ['lm'], code: 2, message: /lm needs a subcommand/ });
  cases.push({ what: 'no --model', args: ['lm', 'decode', '--input', blockPath], code: 2, message: /needs --model DIR and --input FILE/ });

  for (const c of cases) {
    const r = run(c.args, c.stdin);
    assertClean(r.stderr + r.stdout);
    assert.equal(r.code, c.code, `${c.what}: exit ${r.code}, stderr: ${r.stderr}`);
    assert.match(r.stderr, c.message, c.what);
    // The same failure under --json is a JSON object on stdout.
    const j = run([...c.args, '--json'], c.stdin);
    assert.equal(j.code, c.code, `${c.what} --json`);
    const parsed = JSON.parse(j.stdout) as { error: string; exitCode: number };
    assert.equal(parsed.exitCode, c.code);
    assert.match(parsed.error, c.message);
  }
});
