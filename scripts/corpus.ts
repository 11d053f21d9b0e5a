// Assembly corpus builder: compiles Csmith programs and the project's C fixtures with both cross
// gccs at -O0/-O1/-O2, with and without -g, and caches the .s files. The round-trip test, the
// parse benchmark and later the training-data builder all read gcc's real output through this,
// so it must be deterministic for fixed seeds and cheap to rerun (everything is cached by a hash
// of what produced it).
//
// CLI: node dist/scripts/corpus.js --seeds 1-200 [--no-fixtures] [--cache DIR] [--json]

import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultJobs, mapLimit, run } from '../src/util/proc.js';
import { cacheRoot, CSMITH_INCLUDE, CSMITH_OPTIONS, gccFor, parseSeeds as parseSeedSpec, sha256, writeAtomic } from '../src/data/sources.js';

export { gccFor };

export type CorpusIsa = 'aarch64' | 'riscv64';

export interface CorpusFile {
  readonly isa: CorpusIsa;
  /** The .s file on disk (read it as latin1 to keep bytes exact). */
  readonly path: string;
  /** The C file it was compiled from. */
  readonly source: string;
  /** The gcc flags that produced it, besides `-S -o`. */
  readonly flags: string[];
  /** Configuration label: `O0`, `O0-g`, ..., `O2-g`. */
  readonly config: string;
  /** Source label: `csmith-17` or `fixture-hash_table`. */
  readonly name: string;
}

export interface CorpusConfig {
  readonly opt: 'O0' | 'O1' | 'O2';
  readonly debug: boolean;
}

export interface CorpusFailure {
  readonly name: string;
  readonly isa: CorpusIsa | null;
  readonly config: string | null;
  readonly stage: 'csmith' | 'gcc';
  readonly message: string;
}

export interface CorpusOptions {
  readonly csmithSeeds: number[];
  readonly fixtures: boolean;
  readonly cacheDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** Defaults to both ISAs. */
  readonly isas?: readonly CorpusIsa[];
  /** Defaults to all six: O0, O1, O2, each with and without -g. */
  readonly configs?: readonly CorpusConfig[];
  /** Replaces the default Csmith limits (the benchmark asks for bigger programs). */
  readonly csmithOptions?: readonly string[];
  /** Parallel compiler processes; defaults to 2 (`GNS_JOBS` overrides). */
  readonly jobs?: number;
}

export interface CorpusReport {
  readonly files: CorpusFile[];
  readonly failures: CorpusFailure[];
  /** Outputs compiled in this run, and outputs reused from the cache. */
  readonly built: number;
  readonly cached: number;
  readonly cacheDir: string;
}

export const ALL_ISAS: readonly CorpusIsa[] = ['aarch64', 'riscv64'];

export const ALL_CONFIGS: readonly CorpusConfig[] = [
  { opt: 'O0', debug: false },
  { opt: 'O0', debug: true },
  { opt: 'O1', debug: false },
  { opt: 'O1', debug: true },
  { opt: 'O2', debug: false },
  { opt: 'O2', debug: true },
];

/** The Csmith limits the training corpus uses too (see src/data/sources.ts). */
export const DEFAULT_CSMITH_OPTIONS: readonly string[] = CSMITH_OPTIONS;

/** Bump when the layout or the compile recipe changes, so stale cache entries are not reused. */
const CACHE_FORMAT = 1;
const CSMITH_TIMEOUT_MS = 60_000;
const GCC_TIMEOUT_MS = 180_000;
/** Debug info names the compile directory; mapping it makes outputs independent of the cache path. */
const DEBUG_PREFIX = '/gns';

export function configLabel(c: CorpusConfig): string {
  return c.debug ? `${c.opt}-g` : c.opt;
}

/** The repository root, found from this module's location in either `scripts/` or `dist/scripts/`. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'gns') return dir;
      } catch {
        /* not ours; keep walking up */
      }
    }
    dir = dirname(dir);
  }
  throw new Error('gns repository root not found above ' + fileURLToPath(import.meta.url));
}

export function fixturesDir(): string {
  return join(repoRoot(), 'test', 'fixtures', 'c');
}

export function defaultCacheDir(): string {
  return join(cacheRoot(), 'corpus');
}

interface Toolchain {
  readonly csmith: string;
  readonly gcc: Record<CorpusIsa, string>;
}

let toolchainPromise: Promise<Toolchain> | undefined;

/** Version strings of every generator; they go into the cache key. */
export function toolchainVersions(): Promise<Toolchain> {
  toolchainPromise ??= (async () => {
    const version = async (cmd: string): Promise<string> => {
      try {
        const r = await run(cmd, ['--version'], { timeout: 20_000 });
        return r.code === 0 ? r.stdout.toString('utf8').trim() : `unavailable (exit ${r.code})`;
      } catch {
        return 'unavailable';
      }
    };
    const [csmith, a, r] = await Promise.all([version('csmith'), version(gccFor('aarch64')), version(gccFor('riscv64'))]);
    return { csmith, gcc: { aarch64: a, riscv64: r } };
  })();
  return toolchainPromise;
}

type Unit =
  | { readonly kind: 'csmith'; readonly seed: number; readonly name: string; readonly cfile: string }
  | { readonly kind: 'fixture'; readonly name: string; readonly cfile: string; readonly content: Buffer };

let tmpCounter = 0;

function baseFlags(unit: Unit): string[] {
  // Csmith code is warning-heavy by design; the fixtures must stay warning-free, so keep -Wall.
  return unit.kind === 'csmith' ? ['-w', `-I${CSMITH_INCLUDE}`] : ['-std=c11', '-Wall'];
}

function compileFlags(unit: Unit, cfg: CorpusConfig, dir: string): string[] {
  const flags = [`-${cfg.opt}`];
  if (cfg.debug) flags.push('-g', `-fdebug-prefix-map=${dir}=${DEBUG_PREFIX}`);
  return [...flags, ...baseFlags(unit)];
}

/** The C fixtures (or the .c files of `dir`), sorted by name. */
export function listFixtures(dir: string = fixturesDir()): { name: string; path: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => ({ name: f.slice(0, -2), path: join(dir, f) }));
}

/** Parses `1-200`, `5`, `1-10,20,30-32` into a sorted list without duplicates. */
export function parseSeeds(spec: string): number[] {
  const seeds = parseSeedSpec(spec);
  if (typeof seeds === 'string') throw new Error(seeds);
  return seeds;
}

export async function buildAsmCorpus(opts: CorpusOptions): Promise<CorpusFile[]> {
  return (await buildAsmCorpusReport(opts)).files;
}

/** Like `buildAsmCorpus`, but also says what failed to compile and how much came from the cache. */
export async function buildAsmCorpusReport(opts: CorpusOptions): Promise<CorpusReport> {
  mkdirSync(resolve(opts.cacheDir ?? defaultCacheDir()), { recursive: true });
  // gcc records the real compile directory, so the prefix map must name the real path too.
  const cacheDir = realpathSync(resolve(opts.cacheDir ?? defaultCacheDir()));
  const isas = opts.isas ?? ALL_ISAS;
  const configs = opts.configs ?? ALL_CONFIGS;
  const csmithOptions = opts.csmithOptions ?? DEFAULT_CSMITH_OPTIONS;
  const jobs = opts.jobs ?? defaultJobs();
  const tools = await toolchainVersions();

  // One cache directory per C source. Its key covers every input of generation and compilation
  // (but not the ISA or configuration, which name the files inside it).
  const units: { unit: Unit; dir: string }[] = [];
  const common = { format: CACHE_FORMAT, gcc: tools.gcc, configs: 'O0,O1,O2 x -g', prefix: DEBUG_PREFIX };
  if (opts.fixtures) {
    for (const f of listFixtures()) {
      const content = readFileSync(f.path);
      const name = `fixture-${f.name}`;
      const key = sha256(JSON.stringify({ ...common, kind: 'fixture', name: f.name, content: sha256(content), flags: '-std=c11 -Wall' }));
      const dir = join(cacheDir, `${name}-${key.slice(0, 16)}`);
      units.push({ unit: { kind: 'fixture', name, cfile: `${f.name}.c`, content }, dir });
    }
  }
  for (const seed of opts.csmithSeeds) {
    const name = `csmith-${seed}`;
    const key = sha256(
      JSON.stringify({ ...common, kind: 'csmith', seed, csmith: tools.csmith, csmithOptions, flags: `-w -I${CSMITH_INCLUDE}` }),
    );
    const dir = join(cacheDir, `${name}-${key.slice(0, 16)}`);
    units.push({ unit: { kind: 'csmith', seed, name, cfile: `${name}.c` }, dir });
  }

  const failures: CorpusFailure[] = [];
  let built = 0;
  let cached = 0;
  const total = units.length * (1 + isas.length * configs.length);
  let done = 0;
  const tick = (): void => {
    done++;
    opts.onProgress?.(done, total);
  };

  // Phase 1: the C sources (Csmith is run 2 at a time too; fixtures are just copied).
  const ready = await mapLimit(units, jobs, async ({ unit, dir }) => {
    try {
      mkdirSync(dir, { recursive: true });
      const cpath = join(dir, unit.cfile);
      if (existsSync(cpath)) return true;
      if (unit.kind === 'fixture') {
        writeAtomic(cpath, unit.content);
        return true;
      }
      const failPath = join(dir, 'csmith.fail');
      if (existsSync(failPath)) {
        failures.push({ name: unit.name, isa: null, config: null, stage: 'csmith', message: readFileSync(failPath, 'utf8') });
        return false;
      }
      // csmith writes platform.info into its working directory: keep it in the cache entry.
      const r = await run('csmith', ['--seed', String(unit.seed), ...csmithOptions], { timeout: CSMITH_TIMEOUT_MS, cwd: dir });
      if (r.code !== 0 || r.stdout.length === 0) {
        const message = r.timedOut ? 'csmith timed out' : `csmith exited ${r.code}: ${r.stderr.slice(0, 2000)}`;
        if (!r.timedOut) writeAtomic(failPath, message);
        failures.push({ name: unit.name, isa: null, config: null, stage: 'csmith', message });
        return false;
      }
      writeAtomic(cpath, r.stdout);
      return true;
    } catch (e) {
      failures.push({ name: unit.name, isa: null, config: null, stage: 'csmith', message: String(e) });
      return false;
    } finally {
      tick();
    }
  });

  // Phase 2: every (source, ISA, configuration), in a fixed order so the result is deterministic.
  interface Job {
    unit: Unit;
    dir: string;
    isa: CorpusIsa;
    cfg: CorpusConfig;
  }
  const work: Job[] = [];
  units.forEach(({ unit, dir }, i) => {
    if (!ready[i]) {
      done += isas.length * configs.length;
      return;
    }
    for (const isa of isas) for (const cfg of configs) work.push({ unit, dir, isa, cfg });
  });
  opts.onProgress?.(done, total);

  const results = await mapLimit(work, jobs, async ({ unit, dir, isa, cfg }): Promise<CorpusFile | null> => {
    const config = configLabel(cfg);
    const flags = compileFlags(unit, cfg, dir);
    const out = join(dir, `${isa}-${config}.s`);
    const failPath = join(dir, `${isa}-${config}.fail`);
    const file: CorpusFile = { isa, path: out, source: join(dir, unit.cfile), flags, config, name: unit.name };
    try {
      if (existsSync(out)) {
        cached++;
        return file;
      }
      if (existsSync(failPath)) {
        failures.push({ name: unit.name, isa, config, stage: 'gcc', message: readFileSync(failPath, 'utf8') });
        return null;
      }
      const tmp = `${out}.tmp-${process.pid}-${tmpCounter++}`;
      const r = await run(gccFor(isa), ['-S', ...flags, '-o', tmp, unit.cfile], { cwd: dir, timeout: GCC_TIMEOUT_MS });
      if (r.code !== 0 || !existsSync(tmp)) {
        const message = r.timedOut ? `gcc timed out after ${GCC_TIMEOUT_MS} ms` : `gcc exited ${r.code}: ${r.stderr.slice(0, 2000)}`;
        // A timeout depends on load, so only deterministic failures are remembered.
        if (!r.timedOut) writeAtomic(failPath, message);
        failures.push({ name: unit.name, isa, config, stage: 'gcc', message });
        return null;
      }
      renameSync(tmp, out);
      built++;
      return file;
    } catch (e) {
      failures.push({ name: unit.name, isa, config, stage: 'gcc', message: String(e) });
      return null;
    } finally {
      tick();
    }
  });

  // Failures arrive in completion order; sort them so reports are the same run to run.
  const key = (f: CorpusFailure): string => `${f.name}\0${f.isa ?? ''}\0${f.config ?? ''}`;
  failures.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { files: results.filter((f): f is CorpusFile => f !== null), failures, built, cached, cacheDir };
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  let seeds: number[] = parseSeeds('1-200');
  let fixtures = true;
  let cacheDir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seeds') seeds = parseSeeds(argv[++i] ?? '');
    else if (a.startsWith('--seeds=')) seeds = parseSeeds(a.slice(8));
    else if (a === '--no-fixtures') fixtures = false;
    else if (a === '--cache') cacheDir = argv[++i];
    else if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node dist/scripts/corpus.js [--seeds 1-200] [--no-fixtures] [--cache DIR] [--json]\n');
      return 0;
    } else {
      process.stderr.write(`unknown argument: ${a}\n`);
      return 2;
    }
  }
  const t0 = Date.now();
  let last = 0;
  const report = await buildAsmCorpusReport({
    csmithSeeds: seeds,
    fixtures,
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    onProgress: (done, total) => {
      const now = Date.now();
      if (process.stderr.isTTY && (now - last > 200 || done === total)) {
        last = now;
        process.stderr.write(`\r${done}/${total}`);
        if (done === total) process.stderr.write('\n');
      }
    },
  });
  const secs = (Date.now() - t0) / 1000;
  let bytes = 0;
  const perConfig = new Map<string, number>();
  for (const f of report.files) {
    bytes += readFileSync(f.path).length;
    const k = `${f.isa} ${f.config}`;
    perConfig.set(k, (perConfig.get(k) ?? 0) + 1);
  }
  if (json) {
    process.stdout.write(
      JSON.stringify({
        files: report.files.length,
        bytes,
        built: report.built,
        cached: report.cached,
        failures: report.failures.length,
        seconds: secs,
        cacheDir: report.cacheDir,
      }) + '\n',
    );
  } else {
    process.stdout.write(`corpus: ${report.files.length} .s files, ${(bytes / 1e6).toFixed(1)} MB in ${report.cacheDir}\n`);
    process.stdout.write(`built ${report.built}, reused ${report.cached}, failed ${report.failures.length}, ${secs.toFixed(1)} s\n`);
    for (const [k, n] of [...perConfig].sort()) process.stdout.write(`  ${k.padEnd(14)} ${n}\n`);
    for (const f of report.failures.slice(0, 20)) {
      process.stdout.write(`  FAILED ${f.name} ${f.isa ?? ''} ${f.config ?? ''} (${f.stage}): ${f.message.split('\n')[0]}\n`);
    }
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`corpus: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
