// Weights on disk: the safetensors reader and writer (round trips, byte compatibility with the
// reference implementation, and every kind of corrupt file refused with a WeightsError that names
// the file and the problem), model directories checked against their config, and training
// checkpoints that resume exactly: N steps, save, load, M steps gives the same bits as N + M.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors, WeightsError, type TensorLike } from '../src/lm/safetensors.js';
import { loadModel, loadTrainingCheckpoint, MODEL_FILES, optimizerMoments, parseModelConfig, saveModel } from '../src/lm/checkpoint.js';
import { initParams, type ModelConfig, type Pair, type Params } from '../src/lm/reference/model.js';
import { buildVocab, PieceCounts } from '../src/lm/tokenizer.js';
import { BatchSampler, defaultSchedule, TrainingRun } from '../src/cli/train.js';
import { Rng } from '../src/util/random.js';
import { openGpu } from './helpers/gpu.js';
import { FIRST_SYMBOL, reversalPair, SYMBOLS } from '../scripts/tiny-model.js';

const tmp = mkdtempSync(join(tmpdir(), 'gns-ckpt-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function t(shape: number[], values: number[]): TensorLike {
  return { shape, data: Float64Array.from(values) };
}

/** Bitwise equality of two float64 arrays (NaN payloads and -0 included). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A header-length prefix plus the given JSON header (padded) plus data bytes. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), headerLen?: bigint): Buffer {
  const h = Buffer.from(header, 'utf8');
  const out = Buffer.alloc(8 + h.length + data.length);
  out.writeBigUInt64LE(headerLen ?? BigInt(h.length), 0);
  h.copy(out, 8);
  Buffer.from(data).copy(out, 8 + h.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// safetensors
// ---------------------------------------------------------------------------------------------

test('safetensors: F64 and F32 round trips, odd shapes, special values and metadata', () => {
  const odd = [-0, 0, 1, -1.5, Number.MIN_VALUE, 2 ** -1030, 1e308, Infinity, -Infinity, NaN, Math.PI, 1 / 3];
  const tensors: Array<[string, TensorLike]> = [
    ['scalar', t([], [42.25])],
    ['empty', t([0, 3], [])],
    ['empty.inner', t([2, 0, 5], [])],
    ['one', t([1], [7])],
    ['vector', t([odd.length], odd)],
    ['cube', t([3, 1, 2], [1, 2, 3, 4, 5, 6])],
    ['0', t([2], [5, 6])],
    ['naïve.µ', t([1, 1, 1, 1], [9])],
  ];
  const metadata = { format: 'gns-test', 'gns.step': '12', 'with "quotes" and \n': 'ünï\u0001' };
  for (const dtype of ['F64', 'F32'] as const) {
    const bytes = encodeSafetensors(tensors, { dtype, metadata });
    const back = decodeSafetensors(bytes, 'mem');
    assert.deepEqual(back.metadata, metadata);
    assert.deepEqual([...back.tensors.keys()].sort(), tensors.map(([n]) => n).sort());
    for (const [name, src] of tensors) {
      const got = back.tensors.get(name)!;
      assert.equal(got.dtype, dtype);
      assert.deepEqual(got.shape, src.shape, name);
      const want = dtype === 'F64' ? Float64Array.from(src.data) : Float64Array.from(src.data, Math.fround);
      assert.equal(got.data.length, want.length);
      for (let i = 0; i < want.length; i++) assert.ok(Object.is(got.data[i], want[i]), `${dtype} ${name}[${i}]: ${got.data[i]} != ${want[i]}`);
    }
  }
  // Per-tensor dtypes, and a file with no metadata at all.
  const mixed = decodeSafetensors(encodeSafetensors(tensors, { dtype: (n) => (n === 'vector' ? 'F64' : 'F32') }));
  assert.equal(mixed.tensors.get('vector')!.dtype, 'F64');
  assert.equal(mixed.tensors.get('cube')!.dtype, 'F32');
  assert.deepEqual(mixed.metadata, {});

  // Half-precision files (as PyTorch exports them) are read and widened exactly.
  const halves = Buffer.alloc(12);
  [0x3c00, 0xc000, 0x0001, 0x7c00].forEach((h, i) => halves.writeUInt16LE(h, 2 * i));
  [0x3f80, 0xc0a0].forEach((h, i) => halves.writeUInt16LE(h, 8 + 2 * i));
  const half = decodeSafetensors(rawFile('{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"bf":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}}', halves));
  assert.deepEqual([...half.tensors.get('h')!.data], [1, -2, 2 ** -24, Infinity]);
  assert.deepEqual([...half.tensors.get('bf')!.data], [1, -5]);
});

test('safetensors: the layout is byte-identical to the reference implementation (safetensors 0.8.0)', () => {
  // Written by Python: safetensors.serialize({b: f32[2] (1, 2), a: f64 scalar 3.5, c: f32[1,3]
  // (1, 2, 3), z: f64[0,4]}, metadata={"k": "v"}) -- F64 first, then by name; header padded with spaces.
  const python = Buffer.from(
    '+AAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJrIjoidiJ9LCJhIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOltdLCJkYXRhX29mZnNldHMiOlswLDhdfSwieiI6eyJkdHlwZSI6IkY2NCIsInNoYXBlIjpbMCw0XSwiZGF0YV9vZmZzZXRzIjpbOCw4XX0sImIiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOls4LDE2XX0sImMiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzEsM10sImRhdGFfb2Zmc2V0cyI6WzE2LDI4XX19ICAgIAAAAAAAAAxAAACAPwAAAEAAAIA/AAAAQAAAQEA=',
    'base64',
  );
  const ours = encodeSafetensors(
    [
      ['b', t([2], [1, 2])],
      ['a', t([], [3.5])],
      ['c', t([1, 3], [1, 2, 3])],
      ['z', t([0, 4], [])],
    ],
    { dtype: (n) => (n === 'a' || n === 'z' ? 'F64' : 'F32'), metadata: { k: 'v' } },
  );
  assert.ok(ours.equals(python), `ours:\n${ours.toString('latin1')}\npython:\n${python.toString('latin1')}`);
  const back = decodeSafetensors(python);
  assert.deepEqual([...back.tensors.get('c')!.data], [1, 2, 3]);
  assert.equal(back.tensors.get('a')!.data[0], 3.5);

  // The spec's layout, spelled out: u64 LE header size N, N bytes of JSON padded with spaces to a
  // multiple of 8, then the little-endian data in header order.
  const single = Buffer.from('QAAAAAAAAAB7IngiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsMl0sImRhdGFfb2Zmc2V0cyI6WzAsMTZdfX0gICAgICAgAACAPwAAAMAAAAA/AADgQA==', 'base64');
  const mine = encodeSafetensors([['x', t([2, 2], [1, -2, 0.5, 7])]]);
  assert.ok(mine.equals(single));
  const n = Number(mine.readBigUInt64LE(0));
  assert.equal(n % 8, 0);
  const header = mine.subarray(8, 8 + n).toString('utf8');
  assert.equal(header, '{"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}       ');
  assert.equal(mine.length, 8 + n + 16);
  assert.equal(mine.readFloatLE(8 + n + 4), -2);
});

test('safetensors: every corruption is a WeightsError naming the file and the problem', () => {
  const good = encodeSafetensors([['w', t([2, 3], [1, 2, 3, 4, 5, 6])], ['b', t([3], [7, 8, 9])]], { dtype: 'F32' });
  const n = Number(good.readBigUInt64LE(0));
  const f32 = (k: number): Uint8Array => new Uint8Array(4 * k);
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty file', new Uint8Array(0), /truncated: 0 bytes/],
    ['7 bytes', good.subarray(0, 7), /truncated: 7 bytes/],
    ['cut in the header', good.subarray(0, 20), /header length \d+ runs beyond the end of the file/],
    ['huge header length', rawFile('{}', undefined, 2n ** 63n), /header length \d+ runs beyond the end of the file/],
    ['cut in the data', good.subarray(0, good.length - 5), /run past the end of the data .*truncated|bytes after the last tensor|belong to no tensor/],
    ['invalid JSON', rawFile('{"w": {"dtype": "F32",'), /not valid JSON/],
    ['not an object', rawFile('[1, 2, 3]'), /does not start with a JSON object/],
    ['JSON null', rawFile('{"w": null}'), /tensor 'w': its entry is not an object/],
    ['bad UTF-8', rawFile('{"\u00ff"}').fill(0xff, 10, 11), /not valid UTF-8/],
    ['unknown dtype', rawFile('{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}', f32(1)), /tensor 'w': unknown dtype 'F33'/],
    ['unsupported dtype', rawFile('{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', f32(2)), /unsupported dtype 'I64'/],
    ['missing dtype', rawFile('{"w":{"shape":[1],"data_offsets":[0,4]}}', f32(1)), /tensor 'w': missing dtype/],
    ['negative dimension', rawFile('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', f32(1)), /shape must be a list of non-negative integers/],
    ['fractional offset', rawFile('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}', f32(2)), /data_offsets must be two non-negative integers/],
    ['offsets reversed', rawFile('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', f32(1)), /end before they begin/],
    ['offsets past the data', rawFile('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', f32(1)), /tensor 'w': data_offsets \[0, 8\] run past the end of the data \(4 bytes\)/],
    ['length vs shape', rawFile('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32(2)), /tensor 'w': 8 bytes of data, but shape \[3\] of F32 needs 12/],
    ['overlap', rawFile('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', f32(3)), /tensor 'b' \(bytes 4\.\.12\) overlaps tensor 'a' \(bytes 0\.\.8\)/],
    ['hole', rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', f32(3)), /bytes 4\.\.8 of the data belong to no tensor/],
    ['trailing bytes', rawFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(2)), /4 bytes after the last tensor belong to no tensor/],
    ['metadata not strings', rawFile('{"__metadata__":{"step":3}}'), /__metadata__ entry 'step' is not a string/],
    ['metadata not an object', rawFile('{"__metadata__":"x"}'), /__metadata__ is not an object/],
  ];
  assert.equal(n % 8, 0);
  for (const [what, bytes, problem] of cases) {
    const path = join(tmp, `corrupt-${what.replace(/\W+/g, '-')}.safetensors`);
    writeFileSync(path, bytes);
    assert.throws(
      () => readSafetensors(path),
      (e: unknown) => {
        assert.ok(e instanceof WeightsError, `${what}: ${String(e)}`);
        assert.ok(e.message.includes(path), `${what}: message names the file: ${e.message}`);
        assert.match(e.message, problem, what);
        return true;
      },
      what,
    );
  }
  assert.throws(() => readSafetensors(join(tmp, 'nope.safetensors')), (e: unknown) => e instanceof WeightsError && /cannot read '.*nope\.safetensors': no such file/.test(e.message));
  assert.throws(() => readSafetensors(tmp), (e: unknown) => e instanceof WeightsError && /is a directory/.test(e.message));
});

test('safetensors: writes are atomic (temp file + rename) and refuse impossible tensors', () => {
  const dir = mkdtempSync(join(tmp, 'atomic-'));
  const path = join(dir, 'w.safetensors');
  writeSafetensors(path, [['a', t([2], [1, 2])]]);
  writeSafetensors(path, [['a', t([3], [1, 2, 3])]]);
  assert.deepEqual(readdirSync(dir), ['w.safetensors'], 'no temporary file is left behind');
  assert.deepEqual([...readSafetensors(path).tensors.get('a')!.data], [1, 2, 3]);
  // Writing into a folder that does not exist fails cleanly and leaves nothing.
  assert.throws(() => writeSafetensors(join(dir, 'missing', 'w.safetensors'), [['a', t([1], [1])]]), (e: unknown) => e instanceof WeightsError && /cannot write/.test(e.message));
  assert.deepEqual(readdirSync(dir), ['w.safetensors']);
  assert.throws(() => encodeSafetensors([['a', t([2, 2], [1, 2, 3])]]), WeightsError);
  assert.throws(() => encodeSafetensors([['__metadata__', t([1], [1])]]), WeightsError);
  assert.throws(() => encodeSafetensors([['a', t([1], [1])], ['a', t([1], [2])]]), /given twice/);
});

// ---------------------------------------------------------------------------------------------
// Model directories
// ---------------------------------------------------------------------------------------------

const tiny: ModelConfig = { vocab: 14, dModel: 8, nHeads: 2, dFF: 16, encoderLayers: 1, decoderLayers: 1, maxLen: 12, tiedEmbeddings: false, positions: 'learned' };

function withParams(params: Params, edit: (m: Map<string, TensorLike>) => void): Map<string, TensorLike> {
  const m = new Map<string, TensorLike>(params);
  edit(m);
  return m;
}

test('model directories: save and load, and a config that does not fit the weights names the parameter', () => {
  const dir = join(tmp, 'model');
  const params = initParams(tiny, 3);
  saveModel(dir, tiny, params, { dtype: 'F64', metadata: { note: 'test' } });
  const loaded = loadModel(dir);
  assert.deepEqual(loaded.config, tiny);
  assert.equal(loaded.metadata['note'], 'test');
  assert.equal(loaded.vocabPath, undefined);
  for (const [name, p] of params) assert.ok(sameBits(loaded.params.get(name)!.data, p.data), name);
  assert.deepEqual([...loaded.params.keys()], [...params.keys()], 'initialisation order');

  const weights = join(dir, MODEL_FILES.weights);
  const expectError = (pattern: RegExp): void => {
    assert.throws(() => loadModel(dir), (e: unknown) => e instanceof WeightsError && pattern.test(e.message) && e.message.length > 0, String(pattern));
  };
  writeSafetensors(weights, withParams(params, (m) => m.delete('dec.0.ffn.w1')));
  expectError(/lacks parameter 'dec\.0\.ffn\.w1' \(shape \[8, 16\]\)/);
  writeSafetensors(weights, withParams(params, (m) => m.set('embed', t([13, 8], new Array<number>(104).fill(0)))));
  expectError(/parameter 'embed' has shape \[13, 8\] in '.*model\.safetensors', but the config needs \[14, 8\]/);
  writeSafetensors(weights, withParams(params, (m) => m.set('enc.1.ln1.g', t([8], new Array<number>(8).fill(1)))));
  expectError(/has parameter 'enc\.1\.ln1\.g' that the config does not define/);
  // The same weights under a config with tied embeddings: out.w is unexpected.
  saveModel(dir, tiny, params);
  writeFileSync(join(dir, MODEL_FILES.config), JSON.stringify({ ...tiny, tiedEmbeddings: true }));
  expectError(/has parameter 'out\.w' that the config does not define/);
  writeFileSync(join(dir, MODEL_FILES.config), JSON.stringify({ ...tiny, dmodel: 8 }));
  expectError(/unknown model config field 'dmodel'/);
  writeFileSync(join(dir, MODEL_FILES.config), JSON.stringify({ ...tiny, nHeads: 3 }));
  expectError(/nHeads 3 does not divide dModel 8/);
  writeFileSync(join(dir, MODEL_FILES.config), '{"vocab": 14,');
  expectError(/config\.json' is not valid JSON/);
  // A vocabulary whose size is not the config's vocab.
  const vocab = join(tmp, 'vocab.json');
  const v = buildVocab(new PieceCounts());
  writeFileSync(vocab, JSON.stringify(v));
  saveModel(dir, tiny, params, { vocab });
  expectError(new RegExp(`says vocab 14, but '.*vocab\\.json' has ${v.tokens.length} tokens`));

  assert.throws(() => loadModel(join(tmp, 'no-such-model')), (e: unknown) => e instanceof WeightsError && /model directory '.*no-such-model' does not exist/.test(e.message));
  assert.throws(() => loadModel(vocab), (e: unknown) => e instanceof WeightsError && /is not a directory/.test(e.message));
  assert.throws(() => loadModel(tmp), (e: unknown) => e instanceof WeightsError && /not a gns model directory \(no config\.json\)/.test(e.message));
  assert.throws(() => parseModelConfig({ ...tiny, maxLen: undefined }, 'x.json'), /lacks 'maxLen'/);
});

// ---------------------------------------------------------------------------------------------
// Resuming
// ---------------------------------------------------------------------------------------------

/** Reversal pairs (scripts/tiny-model.ts's task) of 2-7 symbols. */
function pairs(count: number, seed: number): Pair[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => reversalPair(Array.from({ length: 2 + rng.int(6) }, () => FIRST_SYMBOL + rng.int(SYMBOLS))));
}

const source = { corpus: 'synthetic', direction: 'aarch64-riscv64', skipped: 0 };

function snapshot(run: TrainingRun): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [n, p] of run.params) out.set(`param ${n}`, new Float64Array(p.data));
  const { m, v } = optimizerMoments(run.optimizer);
  for (const [n, x] of m) out.set(`m ${n}`, new Float64Array(x.data));
  for (const [n, x] of v) out.set(`v ${n}`, new Float64Array(x.data));
  return out;
}

for (const weights of ['F64', 'F32'] as const) {
  test(`checkpoints: ${weights} model file, N steps + save + load + M steps is bit-identical to N + M steps`, async () => {
    const data = pairs(11, 7);
    const total = 13;
    // maxTokens makes batch sizes vary; 11 pairs in batches of at most 4 cross epochs mid-run.
    const settings = { batchSize: 4, maxTokens: 40, seed: 5, schedule: defaultSchedule(4e-3, total), weights };
    const straight = TrainingRun.start(tiny, data, source, settings);
    const lossesStraight: number[] = [];
    for (let i = 0; i < total; i++) lossesStraight.push((await straight.trainStep()).loss);

    const split = 6;
    const dir = join(tmp, `resume-${weights}`);
    const first = TrainingRun.start(tiny, data, source, settings);
    const losses: number[] = [];
    for (let i = 0; i < split; i++) losses.push((await first.trainStep()).loss);
    await first.save(dir);
    const resumed = TrainingRun.resume(dir, data);
    assert.equal(resumed.step, split);
    assert.equal(resumed.optimizer.step, split);
    assert.deepEqual(resumed.trainState.data, first.trainState.data, 'sampler position restored');
    while (resumed.step < total) losses.push((await resumed.trainStep()).loss);

    assert.deepEqual(losses, lossesStraight, 'same loss at every step');
    const a = snapshot(straight);
    const b = snapshot(resumed);
    assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
    for (const [k, x] of a) assert.ok(sameBits(x, b.get(k)!), `${k} differs after resuming`);
    assert.ok(straight.trainState.data.epoch >= 1, 'the run crossed an epoch boundary');

    // The model file has the requested dtype; the exact weights live in the optimizer file.
    const stored = readSafetensors(join(dir, MODEL_FILES.weights));
    assert.ok([...stored.tensors.values()].every((x) => x.dtype === weights));
    assert.equal(stored.metadata['gns.step'], String(split));
    const opt = readSafetensors(join(dir, MODEL_FILES.optimizer));
    assert.equal([...opt.tensors.keys()].some((k) => k.startsWith('master.')), weights === 'F32');

    // Resuming on other data is refused.
    assert.throws(() => TrainingRun.resume(dir, pairs(11, 8)), /training data differs from the checkpoint's/);
  });
}

test('checkpoints: files from different steps (an interrupted save) are refused', async () => {
  const data = pairs(6, 1);
  const dir = join(tmp, 'torn');
  const run = TrainingRun.start(tiny, data, source, { batchSize: 3, maxTokens: null, seed: 1, schedule: defaultSchedule(1e-3, 4) });
  await run.trainStep();
  await run.save(dir);
  const oldOptimizer = readFileSync(join(dir, MODEL_FILES.optimizer));
  await run.trainStep();
  await run.save(dir);
  writeFileSync(join(dir, MODEL_FILES.optimizer), oldOptimizer);
  assert.throws(() => loadTrainingCheckpoint(dir), (e: unknown) => e instanceof WeightsError && /inconsistent \(model at step 2, optimizer at step 1, state at step 2\)/.test(e.message));
  // A truncated optimizer file is caught by the format checks.
  writeFileSync(join(dir, MODEL_FILES.optimizer), oldOptimizer.subarray(0, oldOptimizer.length - 3));
  assert.throws(() => loadTrainingCheckpoint(dir), WeightsError);
});

test('batch sampler: batches depend only on seed and position, and respect the token cap', () => {
  const data = pairs(10, 2);
  const a = new BatchSampler(data, 9, 3, null);
  const seq = Array.from({ length: 8 }, () => a.next());
  // Restarting from a saved position reproduces the rest.
  const b0 = new BatchSampler(data, 9, 3, null);
  for (let i = 0; i < 3; i++) b0.next();
  const b = new BatchSampler(data, 9, 3, null, b0.epoch, b0.index);
  for (let i = 3; i < 8; i++) assert.deepEqual(b.next(), seq[i]);
  // Each epoch visits every pair once.
  const c = new BatchSampler(data, 9, 1, null);
  const epoch = new Set(Array.from({ length: 10 }, () => data.indexOf(c.next()[0]!)));
  assert.equal(epoch.size, 10);
  // The token cap: B × (longest source + longest decoder input) stays under it unless B = 1.
  const d = new BatchSampler(data, 9, 10, 30);
  for (let i = 0; i < 10; i++) {
    const batch = d.next();
    const cost = batch.length * (Math.max(...batch.map((p) => p.source.length)) + Math.max(...batch.map((p) => p.target.length + 1)));
    assert.ok(batch.length === 1 || cost <= 30, `batch of ${batch.length} costs ${cost}`);
  }
});

for (const backend of ['cpu', 'gpu'] as const) {
  test(`checkpoints: on the ${backend} backend, N steps + save + load + M steps is bit-identical to N + M steps`, async (t) => {
    if (backend === 'gpu') {
      const gpu = await openGpu();
      if (typeof gpu === 'string') return t.skip(gpu);
      await gpu.close();
    }
    const data = pairs(11, 7);
    const total = 13;
    const settings = { batchSize: 4, maxTokens: 40, seed: 5, schedule: defaultSchedule(4e-3, total), weights: 'F32' as const };
    const straight = TrainingRun.start(tiny, data, source, settings);
    await straight.useBackend(backend, 2);
    const lossesStraight: number[] = [];
    for (let i = 0; i < total; i++) lossesStraight.push((await straight.trainStep()).loss);
    await straight.save(join(tmp, `${backend}-straight`));
    await straight.close();

    const dir = join(tmp, `${backend}-resume`);
    const first = TrainingRun.start(tiny, data, source, settings);
    await first.useBackend(backend, 1);
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) losses.push((await first.trainStep()).loss);
    await first.save(dir);
    await first.close();
    const resumed = TrainingRun.resume(dir, data);
    await resumed.useBackend(backend, 3);
    while (resumed.step < total) losses.push((await resumed.trainStep()).loss);
    await resumed.save(dir);
    await resumed.close();

    // Thread counts differ on purpose (1, then 3, against 2): the CPU kernels do not depend on them.
    assert.deepEqual(losses, lossesStraight, 'same loss at every step');
    const a = snapshot(straight);
    const b = snapshot(resumed);
    assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
    for (const [k, x] of a) assert.ok(sameBits(x, b.get(k)!), `${k} differs after resuming`);
    // The backend trained in f32: every saved weight is an f32 value.
    for (const [k, x] of a) if (k.startsWith('param ')) assert.ok(sameBits(x, Float64Array.from(Float32Array.from(x))), `${k} is not f32`);
  });
}
