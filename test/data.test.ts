// `gns data build` and `gns data stats` end to end, with the real cross gccs, Csmith and gcc's own
// tests from Debian's gcc-12-source: a small corpus (about 50 programs) is built twice from a
// cold cache and then a warm one, and checked for a consistent manifest, splits by program, a
// byte-exact tokenizer round trip on every block, block pairs that agree with gcc's line info,
// and identical output both times. Bad input (a file one target rejects, a duplicate, an empty
// folder, a missing Debian package, an output folder that is not a corpus) is reported and the
// build goes on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectGolden, repoPath } from './helpers/golden.js';
import { Tokenizer } from '../src/lm/tokenizer.js';
import { alignment } from '../src/data/pairs.js';
import { buildCorpus, type Manifest, type ProgramEntry } from '../src/data/build.js';
import { readRecords } from '../src/data/stats.js';

const gns = repoPath('bin/gns.js');
const tmp = mkdtempSync(join(tmpdir(), 'gns-data-'));
// A private cache, so the first build really compiles everything (and CI-like runs stay honest).
const env = { ...process.env, GNS_DEBUG: '', GNS_CACHE_DIR: join(tmp, 'cache') };

function gnsRun(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [gns, ...args], { encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function assertClean(out: string): void {
  assert.doesNotMatch(out, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
  assert.doesNotMatch(out, /internal error/);
}

// Extra project programs: one a target rejects, a duplicate of a fixture, one ordinary program.
const extra = join(tmp, 'extra');
mkdirSync(extra);
writeFileSync(join(extra, 'no_riscv.c'), '#ifdef __riscv\n#error "this program is not for RISC-V"\n#endif\nint twice(int x) { return x * 2; }\n');
writeFileSync(join(extra, 'arrays_copy.c'), '/* the same program as a fixture, comments and spacing aside */\n' + readFileSync(repoPath('test/fixtures/c/arrays.c'), 'utf8').replace(/\n\n/g, '\n\n\n'));
writeFileSync(join(extra, 'clamp.c'), 'int clamp(int x, int lo, int hi) {\n  if (x < lo) return lo;\n  if (x > hi) return hi;\n  return x;\n}\n');
const empty = join(tmp, 'empty');
mkdirSync(empty);

const buildArgs = (out: string): string[] => ['data', 'build', '--out', out, '--csmith', '1-5', '--gcc-tests', '8', '--c-dir', `${repoPath('test/fixtures/c')},${extra},${empty}`, '--json'];
const corpus = join(tmp, 'corpus');
const first = gnsRun(buildArgs(corpus));

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

function programs(dir: string): ProgramEntry[] {
  return readFileSync(join(dir, 'programs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ProgramEntry);
}

test('data build: a small corpus from fixtures, gcc tests and Csmith, with a consistent manifest', () => {
  assertClean(first.stderr);
  assert.equal(first.code, 0, first.stderr);
  const m = readManifest(corpus);
  const fixtures = readdirSync(repoPath('test/fixtures/c')).filter((f) => f.endsWith('.c')).length;
  assert.equal(m.counts.programs.found, fixtures + 3 + 8 + 5);
  assert.equal(m.counts.programs.byOrigin['csmith']?.kept, 5);
  assert.ok((m.counts.programs.byOrigin['gcc']?.found ?? 0) === 8);
  assert.ok(m.counts.programs.kept >= fixtures + 1 + 5, `kept ${m.counts.programs.kept}`);
  assert.equal(m.counts.programs.kept, m.counts.programs.bySplit.train + m.counts.programs.bySplit.valid + m.counts.programs.bySplit.test);
  assert.match(m.toolchain.gcc.aarch64, /aarch64-linux-gnu-gcc/);
  assert.match(m.toolchain.gcc.riscv64, /riscv64-linux-gnu-gcc/);
  assert.equal(m.sources.csmith.seeds, '1-5');
  assert.match(m.sources.gcc.tarball ?? '', /gcc-12.*\.tar\.xz$/);
  // Every shard is listed with its true record count and hash, and the counts add up.
  let records = 0;
  for (const s of m.shards) {
    const text = readFileSync(join(corpus, s.file));
    assert.equal(createHash('sha256').update(text).digest('hex'), s.sha256, s.file);
    assert.equal(text.toString('utf8').split('\n').filter(Boolean).length, s.records, s.file);
    records += s.records;
  }
  assert.equal(records, m.counts.pairs.kept);
  assert.equal(Object.values(m.counts.pairs.byGroup).reduce((a, b) => a + b, 0), records);
  assert.equal(m.counts.pairs.extracted, m.counts.pairs.kept + m.counts.pairs.duplicates);
  assert.ok(records > 2000, `${records} pairs`);
  // Both directions, from the same programs.
  const dirs = new Set(Object.keys(m.counts.pairs.byGroup).map((g) => g.split(' ')[1]));
  assert.deepEqual([...dirs].sort(), ['aarch64-riscv64', 'riscv64-aarch64']);
  const json = JSON.parse(first.stdout) as { programsPerSecond: number; pairs: { kept: number } };
  assert.equal(json.pairs.kept, records);
  assert.ok(json.programsPerSecond > 0);
});

test('data build: bad programs are dropped with their reason and the build goes on', () => {
  const byId = new Map(programs(corpus).map((p) => [p.id, p]));
  const noRiscv = byId.get('project/extra/no_riscv');
  assert.equal(noRiscv?.status, 'dropped');
  assert.equal(noRiscv?.reason, 'does not compile for riscv64');
  assert.match(noRiscv?.detail ?? '', /not for RISC-V/);
  const dup = byId.get('project/extra/arrays_copy');
  assert.equal(dup?.reason, 'duplicate program');
  assert.match(dup?.detail ?? '', /project\/c\/arrays/);
  assert.equal(byId.get('project/extra/clamp')?.status, 'ok');
  const m = readManifest(corpus);
  assert.equal(m.counts.programs.dropped['does not compile for riscv64'], 1);
  assert.ok(m.problems.some((p) => p.message.includes('no .c files') && p.message.includes(empty)), 'the empty folder is reported');
});

test('data build: splits are by program, and every record belongs to its program\'s split', () => {
  const entries = programs(corpus);
  const splitOf = new Map(entries.filter((p) => p.status === 'ok').map((p) => [p.id, p.split]));
  const seen = new Map<string, Set<string>>();
  for (const r of readRecords(corpus)) {
    assert.equal(r.split, splitOf.get(r.program), r.program);
    if (!seen.has(r.program)) seen.set(r.program, new Set());
    seen.get(r.program)!.add(r.split);
  }
  for (const [p, splits] of seen) assert.equal(splits.size, 1, `${p} is in ${[...splits].join(' and ')}`);
  assert.ok(new Set(splitOf.values()).size >= 2, 'more than one split is used');
});

test('data build: the tokenizer round-trips every block byte for byte, and labels share placeholders', () => {
  const tok = Tokenizer.load(join(corpus, 'vocab.json'));
  const m = readManifest(corpus);
  assert.equal(tok.size, m.vocab.size);
  let blocks = 0;
  let shared = 0;
  let withLabels = 0;
  for (const r of readRecords(corpus)) {
    const { source, target } = tok.encodePair(r.src, r.tgt, r.labels);
    assert.equal(tok.decode(source.ids, source.labels), r.src);
    assert.equal(tok.decode(target.ids, target.labels), r.tgt);
    assert.equal(tok.decode(tok.encode(r.tgt).ids, tok.encode(r.tgt).labels), r.tgt);
    blocks += 2;
    // A branch to corresponding blocks gets one placeholder on both sides (where the source
    // block names the label at all: one side may fall through where the other branches).
    for (const [t, s] of Object.entries(r.labels)) {
      if (!source.labels.includes(s)) continue;
      withLabels++;
      if (source.labels.indexOf(s) >= 0 && source.labels.indexOf(s) === target.labels.indexOf(t)) shared++;
    }
  }
  assert.ok(blocks > 4000);
  assert.ok(withLabels > 100 && shared === withLabels, `${shared} of ${withLabels} mapped labels share a placeholder`);
});

test('data build: block pairs agree with gcc\'s line info, and the gold alignment is mostly complete', () => {
  let pairs = 0;
  let agree = 0;
  let complete = 0;
  for (const r of readRecords(corpus)) {
    pairs++;
    assert.equal(r.srcLoc.length, r.src.split('\n').length);
    assert.equal(r.tgtLoc.length, r.tgt.split('\n').length);
    const a = alignment(r);
    if (a.some((xs) => xs.length > 0)) agree++;
    if (r.alignComplete) {
      complete++;
      assert.ok(a.every((xs) => xs.length > 0), 'a complete alignment aligns every target instruction');
    }
  }
  // Pairs found by control-flow structure are independently confirmed by .loc: they share source lines.
  assert.ok(agree / pairs >= 0.97, `${agree} of ${pairs} pairs share a source line`);
  assert.ok(complete / pairs >= 0.8, `${complete} of ${pairs} complete`);
});

test('data build: rebuilding from a warm cache gives byte-identical shards, vocabulary and manifest', () => {
  const again = join(tmp, 'again');
  const r = gnsRun(buildArgs(again));
  assert.equal(r.code, 0, r.stderr);
  const a = readManifest(corpus);
  const b = readManifest(again);
  assert.deepEqual({ ...b, command: [] }, { ...a, command: [] });
  assert.equal(readFileSync(join(again, 'vocab.json'), 'utf8'), readFileSync(join(corpus, 'vocab.json'), 'utf8'));
  assert.equal(readFileSync(join(again, 'programs.jsonl'), 'utf8'), readFileSync(join(corpus, 'programs.jsonl'), 'utf8'));
});

test('data stats: counts, token lengths, alignment and mnemonics, in text and JSON', () => {
  const r = gnsRun(['data', 'stats', corpus, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { directions: Record<string, { pairs: number; roundTripFailures: number; sourceTokensPerInstruction: number; alignComplete: number; sourceTokens: { p50: number; max: number } }>; vocabSize: number; topMnemonics: Record<string, [string, number][]> };
  const m = readManifest(corpus);
  assert.equal(s.vocabSize, m.vocab.size);
  assert.deepEqual(Object.keys(s.directions).sort(), ['aarch64-riscv64 O0', 'riscv64-aarch64 O0']);
  let pairs = 0;
  for (const d of Object.values(s.directions)) {
    pairs += d.pairs;
    assert.equal(d.roundTripFailures, 0);
    assert.ok(d.sourceTokensPerInstruction > 3 && d.sourceTokensPerInstruction < 15, `${d.sourceTokensPerInstruction} tokens per instruction`);
    assert.ok(d.sourceTokens.p50 > 0 && d.sourceTokens.p50 <= d.sourceTokens.max);
  }
  assert.equal(pairs, m.counts.pairs.kept);
  assert.ok(s.topMnemonics['aarch64']!.some(([mn]) => mn === 'ldr'));
  assert.ok(s.topMnemonics['riscv64']!.some(([mn]) => mn === 'addi'));
  const text = gnsRun(['data', 'stats', corpus]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^programs: \d+ found, \d+ kept \(train \d+, valid \d+, test \d+\)$/m);
  assert.match(text.stdout, /gold alignment complete: [\d.]+%/);
  assert.match(text.stdout, /top riscv64 mnemonics: /);
});

test('data build: a missing gcc-12-source is named, and the build goes on without it', () => {
  const out = join(tmp, 'no-gcc');
  const r = gnsRun(['data', 'build', '--out', out, '--gcc-tests', '5', '--gcc-source', join(tmp, 'nowhere'), '--c-dir', extra]);
  assertClean(r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /gcc-12-source/);
  assert.match(r.stderr, /apt-get install gcc-12-source/);
  const m = readManifest(out);
  assert.equal(m.counts.programs.byOrigin['gcc'], undefined);
  // The copy of arrays.c is no duplicate here (the fixtures are not in this build); no_riscv.c still fails.
  assert.equal(m.counts.programs.byOrigin['project']?.kept, 2);
});

test('data build and stats: usage errors and folders that are not corpora get clear messages', () => {
  const notCorpus = join(tmp, 'precious');
  mkdirSync(notCorpus);
  writeFileSync(join(notCorpus, 'notes.txt'), 'keep me');
  const r = gnsRun(['data', 'build', '--out', notCorpus, '--c-dir', extra]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not a gns corpus.*refusing to replace it/);
  assert.equal(readFileSync(join(notCorpus, 'notes.txt'), 'utf8'), 'keep me');
  assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('precious')), ['precious'], 'no temporary folder is left behind');

  const nothing = gnsRun(['data', 'build', '--out', join(tmp, 'nothing'), '--c-dir', empty]);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /no \.c files in/);
  assert.match(nothing.stderr, /no C programs to build from/);

  for (const [args, message] of [
    [['data'], /needs a subcommand/],
    [['data', 'frobnicate'], /unknown data subcommand 'frobnicate'/],
    [['data', 'build', '--csmith', '5-x'], /bad seed range/],
    [['data', 'build', '--opt', 'O3'], /--opt takes O0, O1 or O2/],
    [['data', 'build', '--split', '90/20/5'], /add up to 100/],
    [['data', 'build', '--gcc-tests', 'many'], /--gcc-tests takes a count or 'all'/],
  ] as const) {
    const u = gnsRun([...args]);
    assert.equal(u.code, 2, args.join(' '));
    assert.match(u.stderr, message);
    assertClean(u.stderr);
  }
  const stats = gnsRun(['data', 'stats', notCorpus]);
  assert.equal(stats.code, 1);
  assert.match(stats.stderr, /is not a gns corpus/);
  // A corrupt shard is named with its line.
  const broken = join(tmp, 'broken');
  mkdirSync(broken);
  copyFileSync(join(corpus, 'manifest.json'), join(broken, 'manifest.json'));
  copyFileSync(join(corpus, 'vocab.json'), join(broken, 'vocab.json'));
  const shard = readManifest(corpus).shards[0]!.file;
  mkdirSync(join(broken, shard.split('/')[0]!));
  writeFileSync(join(broken, shard), readFileSync(join(corpus, shard), 'utf8').slice(0, 300));
  const bad = gnsRun(['data', 'stats', broken]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, new RegExp(`${shard.replace(/[.]/g, '\\.')}:1: not a JSON record`));
  assertClean(bad.stderr);
});

test('data build: the bundled example\'s pairs and stats match their golden files', () => {
  const out = join(tmp, 'example');
  const r = gnsRun(['data', 'build', '--out', out, '--c-dir', repoPath('examples')]);
  assert.equal(r.code, 0, r.stderr);
  const m = readManifest(out);
  const shards = m.shards.map((s) => readFileSync(join(out, s.file), 'utf8')).join('');
  expectGolden(repoPath('test/golden/data/sum.pairs.jsonl'), shards);
  const stats = gnsRun(['data', 'stats', out]);
  assert.equal(stats.code, 0, stats.stderr);
  expectGolden(repoPath('test/golden/data/sum.stats.txt'), stats.stdout);
});

test('data build: shards rotate at the shard size, and the manifest counts every record of every shard', async () => {
  const out = join(tmp, 'small-shards');
  // In process, on the test's private (now warm) cache.
  const saved = process.env['GNS_CACHE_DIR'];
  process.env['GNS_CACHE_DIR'] = env.GNS_CACHE_DIR;
  try {
    await buildCorpus({ out, csmithSeeds: [], gccTests: 0, projectDirs: [repoPath('test/fixtures/c')], opts: ['O0'], seed: 1, split: [0.9, 0.05], jobs: 2, shardSize: 200 });
  } finally {
    if (saved === undefined) delete process.env['GNS_CACHE_DIR'];
    else process.env['GNS_CACHE_DIR'] = saved;
  }
  const m = readManifest(out);
  assert.ok(m.shards.some((s) => s.file.endsWith('.0002.jsonl')), 'some group filled several shards');
  let total = 0;
  for (const s of m.shards) {
    const lines = readFileSync(join(out, s.file), 'utf8').split('\n').filter(Boolean).length;
    assert.equal(lines, s.records, s.file);
    assert.ok(lines <= 200, `${s.file} holds ${lines} records`);
    total += lines;
  }
  assert.equal(total, m.counts.pairs.kept);
});
