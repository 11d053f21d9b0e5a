// `gns data build`: the parallel corpus. Every C program is compiled with both cross gccs, both
// outputs are parsed, and aligned block pairs are extracted in both directions and written as
// JSONL shards, split by program (never by block), with a manifest and the tokenizer's vocabulary
// built from the train split. Programs compile in parallel but are committed in a fixed order,
// so the same inputs give byte-identical shards and manifest.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import type { IsaName } from '../ir/program.js';
import { parseAsm } from '../asm/index.js';
import { mapLimit } from '../util/proc.js';
import { buildVocab, PieceCounts, type VocabFile } from '../lm/tokenizer.js';
import { LOCAL_LABELS, type OptLevel, type PairRecord, type Split, pairBlocks, prepareSide } from './pairs.js';
import {
  compileToAsm,
  csmithSources,
  gccFor,
  gccSources,
  materialize,
  normalizeC,
  projectSources,
  sha256,
  type SourceProblem,
  type SourceProgram,
  toolVersion,
  CSMITH_OPTIONS,
} from './sources.js';

/**
 * Raised when a command cannot run at all: `input` for nothing to work on or a folder that is
 * not a corpus, `io` for a missing tool or an unreadable or unwritable file.
 */
export class DataError extends Error {
  constructor(message: string, readonly kind: 'input' | 'io' = 'io') {
    super(message);
  }
}

export interface BuildOptions {
  /** Output folder; replaced as a whole at the end, so an interrupted build leaves the old one. */
  readonly out: string;
  readonly csmithSeeds: readonly number[];
  /** How many of gcc's test programs to take: 0, a deterministic sample of N, or all. */
  readonly gccTests: number | 'all';
  /** gcc-12-source's tarball or the folder holding it (default /usr/src/gcc-12). */
  readonly gccSource?: string;
  readonly projectDirs: readonly string[];
  readonly opts: readonly OptLevel[];
  /** Seed of the split assignment and of the gcc-test sample. */
  readonly seed: number;
  /** Shares of train and valid (test gets the rest), e.g. [0.9, 0.05]. */
  readonly split: readonly [number, number];
  readonly jobs: number;
  /** Records per shard file. */
  readonly shardSize?: number;
  /** The command line, for the manifest. */
  readonly command?: readonly string[];
  readonly onProgress?: (done: number, total: number, detail: string) => void;
  readonly onProblem?: (p: SourceProblem) => void;
}

/** Per-program outcome, one line of `programs.jsonl`. */
export interface ProgramEntry {
  readonly id: string;
  readonly origin: SourceProgram['origin'];
  readonly split: Split | null;
  readonly status: 'ok' | 'dropped';
  /** Drop reason category (see `DROP_REASONS`) and the detail. */
  readonly reason?: string;
  readonly detail?: string;
  readonly pairs?: number;
}

export type DropReason = (typeof DROP_REASONS)[number];
export const DROP_REASONS = ['cannot read the C file', 'csmith failed', 'duplicate program', 'does not compile for either target', 'does not compile for aarch64', 'does not compile for riscv64', 'compile timed out', 'gns cannot parse the assembly', 'no block pairs', 'gns internal error'] as const;

export interface Manifest {
  readonly format: 'gns-corpus';
  readonly version: 1;
  readonly command: readonly string[];
  readonly toolchain: { readonly gcc: Readonly<Record<IsaName, string>>; readonly csmith: string | null };
  readonly flags: { readonly opts: readonly OptLevel[]; readonly common: string; readonly csmith: string };
  readonly sources: {
    readonly project: readonly string[];
    readonly gcc: { readonly tarball: string | null; readonly tests: number | 'all' };
    readonly csmith: { readonly seeds: string; readonly options: readonly string[] };
  };
  readonly seed: number;
  readonly split: { readonly train: number; readonly valid: number; readonly test: number };
  readonly counts: {
    readonly programs: { readonly found: number; readonly kept: number; readonly byOrigin: Record<string, { found: number; kept: number }>; readonly bySplit: Record<Split, number>; readonly dropped: Record<string, number> };
    readonly pairs: { readonly extracted: number; readonly duplicates: number; readonly kept: number; readonly byLoc: number; readonly byGroup: Record<string, number> };
    readonly blocks: { readonly source: Record<string, number> };
  };
  readonly problems: readonly SourceProblem[];
  readonly shards: readonly { readonly file: string; readonly records: number; readonly sha256: string }[];
  readonly vocab: { readonly file: string; readonly size: number };
}

export interface BuildResult {
  readonly manifest: Manifest;
  readonly out: string;
  readonly seconds: number;
  readonly programsPerSecond: number;
}

const ISAS: readonly [IsaName, IsaName] = ['aarch64', 'riscv64'];

// ---------------------------------------------------------------------------------------------
// Splits and shards
// ---------------------------------------------------------------------------------------------

/** The split of a program: by a hash of its normalized text, so it does not depend on order. */
export function splitOf(normalizedHash: string, seed: number, [train, valid]: readonly [number, number]): Split {
  const x = parseInt(sha256(`${seed}\0${normalizedHash}`).slice(0, 8), 16) / 2 ** 32;
  return x < train ? 'train' : x < train + valid ? 'valid' : 'test';
}

/** Appends records to `<split>/<from>-<to>.<opt>.NNNN.jsonl`, starting a new file every `size` records. */
interface OpenShard {
  readonly fd: number;
  readonly file: string;
  records: number;
  readonly index: number;
  readonly hash: ReturnType<typeof createHash>;
}

class ShardWriter {
  private readonly open = new Map<string, OpenShard>();
  readonly done: { file: string; records: number; sha256: string }[] = [];

  constructor(private readonly dir: string, private readonly size: number) {}

  write(r: PairRecord): void {
    const group = `${r.split}/${r.from}-${r.to}.${r.opt}`;
    let s = this.open.get(group);
    if (s && s.records >= this.size) {
      this.close(group);
      s = this.start(group, s.index + 1);
    }
    s ??= this.start(group, 0);
    const line = JSON.stringify(r) + '\n';
    writeSync(s.fd, line);
    s.hash.update(line);
    s.records++;
  }

  private start(group: string, index: number): OpenShard {
    const file = `${group}.${String(index).padStart(4, '0')}.jsonl`;
    mkdirSync(join(this.dir, group.split('/')[0]!), { recursive: true });
    const s = { fd: openSync(join(this.dir, file), 'w'), file, records: 0, index, hash: createHash('sha256') };
    this.open.set(group, s);
    return s;
  }

  private close(group: string): void {
    const s = this.open.get(group)!;
    closeSync(s.fd);
    this.done.push({ file: s.file, records: s.records, sha256: s.hash.digest('hex') });
    this.open.delete(group);
  }

  closeAll(): void {
    for (const g of [...this.open.keys()]) this.close(g);
    this.done.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
}

// ---------------------------------------------------------------------------------------------
// One program
// ---------------------------------------------------------------------------------------------

type ProgramOutcome =
  | { readonly ok: true; readonly normalized: string; readonly records: PairRecord[]; readonly byLoc: number; readonly sourceBlocks: Record<string, number> }
  | { readonly ok: false; readonly normalized?: string; readonly reason: DropReason; readonly detail: string };

async function processProgram(p: SourceProgram, opts: BuildOptions, gccVersions: Record<IsaName, string>): Promise<ProgramOutcome> {
  const gen = await materialize(p);
  if (gen !== undefined) return { ok: false, reason: 'csmith failed', detail: gen };
  let content: Buffer;
  try {
    content = readFileSync(p.file);
  } catch (e) {
    return { ok: false, reason: 'cannot read the C file', detail: `cannot read ${p.file}: ${(e as Error).message}` };
  }
  const normalized = sha256(normalizeC(content.toString('latin1')));
  const split = splitOf(normalized, opts.seed, opts.split);
  const records: PairRecord[] = [];
  let byLoc = 0;
  const sourceBlocks: Record<string, number> = {};
  for (const opt of opts.opts) {
    const compiled = await Promise.all(ISAS.map((isa) => compileToAsm(p, content, isa, opt, gccVersions[isa])));
    const failed = ISAS.flatMap((isa, k) => {
      const c = compiled[k]!;
      return 'error' in c ? [{ isa, ...c }] : [];
    });
    if (failed.length > 0) {
      const reason: DropReason = failed.some((f) => f.timedOut) ? 'compile timed out' : failed.length === 2 ? 'does not compile for either target' : `does not compile for ${failed[0]!.isa}`;
      return { ok: false, normalized, reason, detail: `-${opt}: ${failed.map((f) => `${f.isa}: ${f.error}`).join('; ')}` };
    }
    const sides = [];
    for (const [k, isa] of ISAS.entries()) {
      const parsed = parseAsm((compiled[k] as { asm: string }).asm, { isa, file: `${p.id}.${isa}.s` });
      const err = parsed.diagnostics.find((d) => d.severity === 'error');
      if (err) return { ok: false, normalized, reason: 'gns cannot parse the assembly', detail: `${isa} -${opt} line ${err.span.line}: ${err.message}` };
      sides.push(prepareSide(parsed.program));
    }
    const [a, r] = sides as [ReturnType<typeof prepareSide>, ReturnType<typeof prepareSide>];
    for (const [s, t] of [[a, r], [r, a]] as const) {
      const got = pairBlocks(s, t, { program: p.id, split, opt });
      records.push(...got.records);
      byLoc += got.counts.byLoc;
      const k = `${s.program.isa}-${t.program.isa}.${opt}`;
      sourceBlocks[k] = (sourceBlocks[k] ?? 0) + got.counts.sourceBlocks;
    }
  }
  if (records.length === 0) return { ok: false, normalized, reason: 'no block pairs', detail: 'no function defined on both sides has blocks' };
  return { ok: true, normalized, records, byLoc, sourceBlocks };
}

// ---------------------------------------------------------------------------------------------
// The build
// ---------------------------------------------------------------------------------------------

/** The key under which a pair counts as a duplicate: both texts with labels numbered by first use. */
function pairKey(r: PairRecord): string {
  const order: string[] = [];
  const norm = (text: string, seed: readonly string[]): string =>
    text.replace(LOCAL_LABELS, (l) => {
      let k = seed.indexOf(l);
      if (k < 0) k = order.push(l) - 1;
      return `<L${k}>`;
    });
  const src = norm(r.src, []);
  const tgt = norm(r.tgt.replace(LOCAL_LABELS, (l) => r.labels[l] ?? `${l}@t`), order);
  return createHash('sha1').update(`${r.from}>${r.to}.${r.opt}\0${src}\0${tgt}`).digest('base64');
}

function seedRanges(seeds: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seeds.length; ) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === seeds[j]! + 1) j++;
    parts.push(i === j ? `${seeds[i]}` : `${seeds[i]}-${seeds[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Refuses to replace a folder that is not a corpus this tool wrote. */
function checkOutput(out: string): void {
  if (!existsSync(out)) return;
  const entries = readdirSync(out);
  if (entries.length > 0 && !entries.includes('manifest.json')) {
    throw new DataError(`'${out}' exists and is not a gns corpus (no manifest.json); refusing to replace it, choose another --out`, 'input');
  }
}

/** Builds the corpus. Problems with single sources are reported and skipped; see `DataError`. */
export async function buildCorpus(opts: BuildOptions): Promise<BuildResult> {
  const t0 = Date.now();
  const out = resolve(opts.out);
  checkOutput(out);
  const gccVersions = {} as Record<IsaName, string>;
  for (const isa of ISAS) {
    const v = await toolVersion(gccFor(isa));
    if (v === undefined) throw new DataError(`${gccFor(isa)} is not installed (apt-get install gcc-${isa}-linux-gnu); the corpus needs both cross compilers`);
    gccVersions[isa] = v;
  }
  const problems: SourceProblem[] = [];
  const programs: SourceProgram[] = projectSources(opts.projectDirs, problems);
  let tarball: string | null = null;
  if (opts.gccTests === 'all' || opts.gccTests > 0) {
    const g = await gccSources({ ...(opts.gccSource !== undefined ? { source: opts.gccSource } : {}), limit: opts.gccTests, seed: opts.seed }, problems);
    programs.push(...g.programs);
    tarball = g.tarball ?? null;
  }
  let csmithVersion: string | null = null;
  if (opts.csmithSeeds.length > 0) {
    csmithVersion = (await toolVersion('csmith')) ?? null;
    if (csmithVersion === null) problems.push({ origin: 'csmith', message: 'csmith is not installed (apt-get install csmith libcsmith-dev); building without Csmith programs' });
    else programs.push(...csmithSources(opts.csmithSeeds, csmithVersion));
  }
  for (const p of problems) opts.onProblem?.(p);
  if (programs.length === 0) throw new DataError('no C programs to build from (no project directory with .c files, no --gcc-tests, no --csmith seeds)', 'input');

  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let manifest: Manifest;
  try {
    const shards = new ShardWriter(tmp, opts.shardSize ?? 50_000);
    const programLog = openSync(join(tmp, 'programs.jsonl'), 'w');
    const counts = new PieceCounts();
    const seenPrograms = new Map<string, string>();
    const seenPairs = new Set<string>();
    const dropped: Record<string, number> = {};
    const byOrigin: Record<string, { found: number; kept: number }> = {};
    const bySplit: Record<Split, number> = { train: 0, valid: 0, test: 0 };
    const byGroup: Record<string, number> = {};
    const sourceBlocks: Record<string, number> = {};
    let extracted = 0;
    let duplicates = 0;
    let kept = 0;
    let byLoc = 0;
    let keptPrograms = 0;

    // Commits outcomes strictly in program order, whatever order they finish in.
    const pending = new Map<number, ProgramOutcome>();
    let next = 0;
    const commit = (o: ProgramOutcome, p: SourceProgram): void => {
      const origin = (byOrigin[p.origin] ??= { found: 0, kept: 0 });
      origin.found++;
      const dup = o.normalized !== undefined ? seenPrograms.get(o.normalized) : undefined;
      let entry: ProgramEntry;
      if (dup !== undefined) {
        entry = { id: p.id, origin: p.origin, split: null, status: 'dropped', reason: 'duplicate program', detail: `same text as ${dup}` };
      } else if (!o.ok) {
        entry = { id: p.id, origin: p.origin, split: null, status: 'dropped', reason: o.reason, detail: o.detail };
      } else {
        const split = o.records[0]!.split;
        let n = 0;
        for (const r of o.records) {
          extracted++;
          const key = pairKey(r);
          if (seenPairs.has(key)) {
            duplicates++;
            continue;
          }
          seenPairs.add(key);
          shards.write(r);
          n++;
          const g = `${r.split} ${r.from}-${r.to} ${r.opt}`;
          byGroup[g] = (byGroup[g] ?? 0) + 1;
          if (r.split === 'train' && r.from === 'aarch64') {
            counts.add(r.src);
            counts.add(r.tgt);
          }
        }
        kept += n;
        byLoc += o.byLoc;
        for (const [k, v] of Object.entries(o.sourceBlocks)) sourceBlocks[k] = (sourceBlocks[k] ?? 0) + v;
        keptPrograms++;
        origin.kept++;
        bySplit[split]++;
        entry = { id: p.id, origin: p.origin, split, status: 'ok', pairs: n };
      }
      if (o.normalized !== undefined && !seenPrograms.has(o.normalized)) seenPrograms.set(o.normalized, p.id);
      if (entry.reason !== undefined) dropped[entry.reason] = (dropped[entry.reason] ?? 0) + 1;
      writeSync(programLog, JSON.stringify(entry) + '\n');
    };
    let done = 0;
    await mapLimit(programs, opts.jobs, async (p, i) => {
      let outcome: ProgramOutcome;
      try {
        outcome = await processProgram(p, opts, gccVersions);
      } catch (e) {
        // A bug in gns on one program must not stop the build; it is recorded like any other drop.
        outcome = { ok: false, reason: 'gns internal error', detail: (e as Error).message };
      }
      pending.set(i, outcome);
      while (pending.has(next)) {
        commit(pending.get(next)!, programs[next]!);
        pending.delete(next);
        next++;
      }
      opts.onProgress?.(++done, programs.length, p.id);
    });
    shards.closeAll();
    closeSync(programLog);

    const vocab: VocabFile = buildVocab(counts);
    writeFileSync(join(tmp, 'vocab.json'), JSON.stringify(vocab) + '\n');
    manifest = {
      format: 'gns-corpus',
      version: 1,
      command: opts.command ?? [],
      toolchain: { gcc: gccVersions, csmith: csmithVersion },
      flags: { opts: opts.opts, common: '-S -O<n> -g -fdebug-prefix-map=<dir>=/gns -w', csmith: '-I/usr/include/csmith' },
      sources: {
        project: opts.projectDirs.map((d) => relative(process.cwd(), resolve(d)) || '.'),
        gcc: { tarball, tests: opts.gccTests },
        csmith: { seeds: seedRanges(opts.csmithSeeds), options: CSMITH_OPTIONS },
      },
      seed: opts.seed,
      split: { train: opts.split[0], valid: opts.split[1], test: Math.round((1 - opts.split[0] - opts.split[1]) * 1e6) / 1e6 },
      counts: {
        programs: { found: programs.length, kept: keptPrograms, byOrigin, bySplit, dropped },
        pairs: { extracted, duplicates, kept, byLoc, byGroup },
        blocks: { source: sourceBlocks },
      },
      problems,
      shards: shards.done,
      vocab: { file: 'vocab.json', size: vocab.tokens.length },
    };
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  // Swap the new corpus in only now, so an interrupted build never leaves a half corpus behind.
  const old = `${out}.old-${process.pid}`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
  const seconds = (Date.now() - t0) / 1000;
  return { manifest, out, seconds, programsPerSecond: programs.length / Math.max(seconds, 1e-9) };
}
