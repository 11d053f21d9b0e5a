// `gns data stats`: what a built corpus holds. Reads the manifest, the shards and the vocabulary,
// tokenizes every block, and reports counts per split, direction and optimization level, token
// lengths per block (source and target), tokens per instruction, how much of the gold alignment
// is complete, and the most frequent mnemonics.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '../lm/tokenizer.js';
import { DataError, type Manifest } from './build.js';
import type { PairRecord } from './pairs.js';

/** A length distribution. */
export interface Distribution {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface DirectionStats {
  readonly pairs: number;
  readonly sourceTokens: Distribution;
  readonly targetTokens: Distribution;
  readonly sourceTokensPerInstruction: number;
  readonly targetTokensPerInstruction: number;
  /** Share of pairs whose `.loc` alignment covers every instruction of both blocks. */
  readonly alignComplete: number;
  /** Share of pairs paired by `.loc` rather than by structure. */
  readonly matchedByLoc: number;
  /** Blocks whose tokens do not decode back to their exact text (0 unless the tokenizer is broken). */
  readonly roundTripFailures: number;
}

export interface CorpusStats {
  readonly programs: Manifest['counts']['programs'];
  readonly pairs: Record<string, number>;
  readonly duplicatePairs: number;
  readonly directions: Record<string, DirectionStats>;
  readonly vocabSize: number;
  readonly topMnemonics: Record<string, [string, number][]>;
  readonly problems: Manifest['problems'];
}

/** Reads a corpus's manifest, with a clear error when the folder is not one. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new DataError(`'${dir}' is not a gns corpus (no manifest.json); build one with gns data build`, 'input');
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    throw new DataError(`cannot read '${path}': ${(e as Error).message}`);
  }
  if (m.format !== 'gns-corpus' || m.version !== 1) throw new DataError(`'${path}' is not a gns corpus manifest (format gns-corpus, version 1)`, 'input');
  return m;
}

/** Every record of a corpus, shard by shard, in manifest order. */
export function* readRecords(dir: string, manifest: Manifest = readManifest(dir)): Generator<PairRecord> {
  for (const shard of manifest.shards) {
    const path = join(dir, shard.file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new DataError(`cannot read shard '${path}': ${(e as Error).message}`);
    }
    let line = 0;
    for (const l of text.split('\n')) {
      line++;
      if (l === '') continue;
      try {
        yield JSON.parse(l) as PairRecord;
      } catch {
        throw new DataError(`${path}:${line}: not a JSON record (the shard is corrupt; rebuild the corpus)`);
      }
    }
  }
}

function distribution(xs: number[]): Distribution {
  if (xs.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = Float64Array.from(xs).sort();
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { count: s.length, mean: round(xs.reduce((a, b) => a + b, 0) / s.length), p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s[s.length - 1]! };
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Computes the statistics of a built corpus (tokenizing every block once). */
export function corpusStats(dir: string, onProgress?: (done: number, total: number) => void): CorpusStats {
  const manifest = readManifest(dir);
  const tok = Tokenizer.load(join(dir, manifest.vocab.file));
  interface Acc {
    src: number[];
    tgt: number[];
    srcInsns: number;
    tgtInsns: number;
    complete: number;
    byLoc: number;
    failures: number;
  }
  const acc = new Map<string, Acc>();
  const mnemonics = new Map<string, Map<string, number>>();
  const total = manifest.shards.reduce((a, s) => a + s.records, 0);
  let done = 0;
  for (const r of readRecords(dir, manifest)) {
    const key = `${r.from}-${r.to} ${r.opt}`;
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { src: [], tgt: [], srcInsns: 0, tgtInsns: 0, complete: 0, byLoc: 0, failures: 0 }));
    const { source, target } = tok.encodePair(r.src, r.tgt, r.labels);
    a.src.push(source.ids.length);
    a.tgt.push(target.ids.length);
    if (tok.decode(source.ids, source.labels) !== r.src || tok.decode(target.ids, target.labels) !== r.tgt) a.failures++;
    const sl = r.src.split('\n');
    a.srcInsns += sl.length;
    a.tgtInsns += r.tgt.split('\n').length;
    if (r.alignComplete) a.complete++;
    if (r.match === 'loc') a.byLoc++;
    let m = mnemonics.get(r.from);
    if (!m) mnemonics.set(r.from, (m = new Map()));
    for (const line of sl) {
      const mn = /^\S+/.exec(line)?.[0];
      if (mn !== undefined) m.set(mn, (m.get(mn) ?? 0) + 1);
    }
    if (++done % 10_000 === 0) onProgress?.(done, total);
  }
  onProgress?.(total, total);
  const directions: Record<string, DirectionStats> = {};
  for (const [k, a] of [...acc].sort()) {
    const srcTokens = a.src.reduce((x, y) => x + y, 0);
    const tgtTokens = a.tgt.reduce((x, y) => x + y, 0);
    directions[k] = {
      pairs: a.src.length,
      sourceTokens: distribution(a.src),
      targetTokens: distribution(a.tgt),
      sourceTokensPerInstruction: round(srcTokens / Math.max(1, a.srcInsns)),
      targetTokensPerInstruction: round(tgtTokens / Math.max(1, a.tgtInsns)),
      alignComplete: round(a.complete / Math.max(1, a.src.length), 4),
      matchedByLoc: round(a.byLoc / Math.max(1, a.src.length), 4),
      roundTripFailures: a.failures,
    };
  }
  const topMnemonics: Record<string, [string, number][]> = {};
  for (const [isa, m] of [...mnemonics].sort()) topMnemonics[isa] = [...m].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 20);
  return {
    programs: manifest.counts.programs,
    pairs: manifest.counts.pairs.byGroup,
    duplicatePairs: manifest.counts.pairs.duplicates,
    directions,
    vocabSize: tok.size,
    topMnemonics,
    problems: manifest.problems,
  };
}

/** The statistics as a plain-text report. */
export function renderStats(s: CorpusStats): string {
  const lines: string[] = [];
  const p = s.programs;
  lines.push(`programs: ${p.found} found, ${p.kept} kept (train ${p.bySplit.train}, valid ${p.bySplit.valid}, test ${p.bySplit.test})`);
  for (const [o, n] of Object.entries(p.byOrigin)) lines.push(`  ${o.padEnd(10)} ${n.kept} of ${n.found} kept`);
  for (const [r, n] of Object.entries(p.dropped).sort((a, b) => b[1] - a[1])) lines.push(`  dropped: ${r}: ${n}`);
  lines.push(`block pairs (after removing ${s.duplicatePairs} duplicates):`);
  for (const [g, n] of Object.entries(s.pairs).sort()) lines.push(`  ${g.padEnd(32)} ${n}`);
  lines.push(`vocabulary: ${s.vocabSize} tokens`);
  const dist = (d: { mean: number; p50: number; p90: number; p99: number; max: number }): string => `mean ${d.mean.toFixed(1)}, p50 ${d.p50}, p90 ${d.p90}, p99 ${d.p99}, max ${d.max}`;
  for (const [k, d] of Object.entries(s.directions)) {
    lines.push(`${k}: ${d.pairs} pairs`);
    lines.push(`  source tokens per block: ${dist(d.sourceTokens)}; ${d.sourceTokensPerInstruction} per instruction`);
    lines.push(`  target tokens per block: ${dist(d.targetTokens)}; ${d.targetTokensPerInstruction} per instruction`);
    lines.push(`  gold alignment complete: ${(d.alignComplete * 100).toFixed(1)}%; paired by .loc: ${(d.matchedByLoc * 100).toFixed(1)}%; round-trip failures: ${d.roundTripFailures}`);
  }
  for (const [isa, top] of Object.entries(s.topMnemonics)) lines.push(`top ${isa} mnemonics: ${top.map(([m, n]) => `${m} ${n}`).join(', ')}`);
  for (const pr of s.problems) lines.push(`note (${pr.origin}): ${pr.message}`);
  return lines.join('\n') + '\n';
}
