// Where the corpus's C programs come from, and how each becomes assembly: the project's own C
// directories, gcc's test programs (unpacked from Debian's gcc-12-source tarball when asked),
// and Csmith programs from a seed range. Generated C and compiled assembly are cached outside
// the clone, keyed by everything that produced them, so a rebuild only redoes what changed.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { IsaName } from '../ir/program.js';
import { run } from '../util/proc.js';
import { writeFileAtomic } from '../util/fs.js';
import type { OptLevel } from './pairs.js';

export type Origin = 'project' | 'gcc' | 'csmith';

/** One C program of the corpus. */
export interface SourceProgram {
  /** Stable id: `project/sieve`, `gcc/torture-execute/20000112-1`, `csmith/17`. */
  readonly id: string;
  readonly origin: Origin;
  /** Where the C file is (for Csmith, where it will be generated). */
  readonly file: string;
  /** Csmith seed, for generated programs. */
  readonly seed?: number;
}

/** Something the build skipped or could not use, with the reason; the build goes on. */
export interface SourceProblem {
  readonly origin: Origin | 'toolchain';
  readonly message: string;
}

export function sha256(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The cache root: `$GNS_CACHE_DIR` or `~/.cache/gns`. */
export function cacheRoot(): string {
  const env = process.env['GNS_CACHE_DIR'];
  return env !== undefined && env !== '' ? env : join(homedir(), '.cache', 'gns');
}

let tmpCounter = 0;

/** Writes through a temporary name and a rename (creating the folder), so an interrupted build leaves no half file. */
export function writeAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, data);
}

// ---------------------------------------------------------------------------------------------
// Project directories
// ---------------------------------------------------------------------------------------------

/** The `.c` files of each directory, sorted; an empty or missing directory is a problem, not an error. */
export function projectSources(dirs: readonly string[], problems: SourceProblem[]): SourceProgram[] {
  const out: SourceProgram[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      problems.push({ origin: 'project', message: `cannot read C directory '${dir}': ${err.code === 'ENOENT' ? 'no such directory' : err.code === 'ENOTDIR' ? 'not a directory' : err.message}` });
      continue;
    }
    if (names.length === 0) problems.push({ origin: 'project', message: `no .c files in '${dir}'; nothing to take from it` });
    const tag = basename(resolve(dir));
    for (const n of names) out.push({ id: `project/${tag}/${n.slice(0, -2)}`, origin: 'project', file: resolve(dir, n) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// gcc's test programs
// ---------------------------------------------------------------------------------------------

/** The test sets taken from gcc's testsuite: directory inside the tarball's top folder, and a name. */
const GCC_SETS: readonly { readonly name: string; readonly dir: string }[] = [
  { name: 'torture-execute', dir: 'gcc/testsuite/gcc.c-torture/execute' },
  { name: 'torture-compile', dir: 'gcc/testsuite/gcc.c-torture/compile' },
  { name: 'dg', dir: 'gcc/testsuite/gcc.dg' },
];
const DEFAULT_GCC_SOURCE = '/usr/src/gcc-12';
const UNPACK_TIMEOUT_MS = 10 * 60_000;

/** The gcc source tarball: `path` itself, or the `gcc-*.tar.xz` inside a directory. */
function findGccTarball(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isFile()) return path;
  return readdirSync(path)
    .filter((f) => /^gcc-[\d.]+.*\.tar\.xz$/.test(f))
    .sort()
    .map((f) => join(path, f))[0];
}

/**
 * gcc's C test programs, unpacked once into the cache. `limit` takes a deterministic sample
 * (by a hash of `seed` and the test's id); `all` takes every test. Returns no programs, and a
 * problem naming the Debian package, when the tarball is missing.
 */
export async function gccSources(opts: { source?: string; limit: number | 'all'; seed: number }, problems: SourceProblem[]): Promise<{ programs: SourceProgram[]; tarball?: string }> {
  const tarball = findGccTarball(opts.source ?? DEFAULT_GCC_SOURCE);
  if (tarball === undefined) {
    problems.push({
      origin: 'gcc',
      message: `gcc's test programs need the Debian package gcc-12-source (apt-get install gcc-12-source): no gcc-*.tar.xz in '${opts.source ?? DEFAULT_GCC_SOURCE}'; building without them`,
    });
    return { programs: [] };
  }
  const st = statSync(tarball);
  const dir = join(cacheRoot(), 'gcc-testsuite', sha256(`${resolve(tarball)}\0${st.size}\0${st.mtimeMs}`).slice(0, 16));
  const top = /^(gcc-[^/]*?)(?:-dfsg)?\.tar\.xz$/.exec(basename(tarball))?.[1] ?? 'gcc';
  if (!existsSync(join(dir, '.complete'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const r = await run('tar', ['-xJf', tarball, '-C', tmp, '--wildcards', ...GCC_SETS.map((s) => `${top}/${s.dir}/*.c`)], { timeout: UNPACK_TIMEOUT_MS });
    if (r.code !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      problems.push({ origin: 'gcc', message: `cannot unpack gcc's tests from '${tarball}': ${r.timedOut ? 'tar timed out' : r.stderr.trim().split('\n')[0] ?? `tar exited ${r.code}`}` });
      return { programs: [] };
    }
    writeFileSync(join(tmp, '.complete'), tarball + '\n');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(tmp, dir);
  }
  let programs: SourceProgram[] = [];
  for (const set of GCC_SETS) {
    const d = join(dir, top, set.dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).filter((x) => x.endsWith('.c')).sort()) programs.push({ id: `gcc/${set.name}/${f.slice(0, -2)}`, origin: 'gcc', file: join(d, f) });
  }
  if (programs.length === 0) problems.push({ origin: 'gcc', message: `'${tarball}' holds none of gcc's C tests (${GCC_SETS.map((s) => s.dir).join(', ')})` });
  if (opts.limit !== 'all' && opts.limit < programs.length) {
    const key = (p: SourceProgram): string => sha256(`${opts.seed}\0${p.id}`);
    const picked = new Set(programs.map((p) => [key(p), p] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, opts.limit).map(([, p]) => p));
    programs = programs.filter((p) => picked.has(p));
  }
  return { programs, tarball };
}

// ---------------------------------------------------------------------------------------------
// Csmith
// ---------------------------------------------------------------------------------------------

/** Parses `1-200`, `5`, `1-10,20` into sorted seeds without duplicates, or says what is wrong. */
export function parseSeeds(spec: string): number[] | string {
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(p);
    if (!m) return `bad seed range '${p}' (expected N or N-M, comma-separated)`;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi - lo > 10_000_000) return `bad seed range '${p}'`;
    for (let s = lo; s <= hi; s++) out.add(s);
  }
  return [...out].sort((a, b) => a - b);
}

/** Csmith limits: a program compiles in about 0.15 s and has a few hundred -O0 blocks. */
export const CSMITH_OPTIONS: readonly string[] = ['--max-funcs', '3', '--no-volatiles', '--max-block-depth', '3', '--max-expr-complexity', '5'];
export const CSMITH_INCLUDE = '/usr/include/csmith';
const CSMITH_TIMEOUT_MS = 60_000;

/** Csmith programs for `seeds`, to be generated into the cache on first use. */
export function csmithSources(seeds: readonly number[], csmithVersion: string): SourceProgram[] {
  const dir = join(cacheRoot(), 'csmith', sha256(JSON.stringify({ csmithVersion, CSMITH_OPTIONS })).slice(0, 16));
  return seeds.map((seed) => ({ id: `csmith/${seed}`, origin: 'csmith', file: join(dir, `csmith-${seed}.c`), seed }));
}

/** Generates a Csmith program if it is not cached yet; returns an error message on failure. */
export async function materialize(p: SourceProgram): Promise<string | undefined> {
  if (p.seed === undefined || existsSync(p.file)) return undefined;
  const r = await run('csmith', ['--seed', String(p.seed), ...CSMITH_OPTIONS], { timeout: CSMITH_TIMEOUT_MS, cwd: csmithWorkDir(p.file) });
  if (r.code !== 0 || r.stdout.length === 0) return r.timedOut ? 'csmith timed out' : `csmith exited ${r.code}: ${r.stderr.trim().split('\n')[0] ?? ''}`;
  writeAtomic(p.file, r.stdout);
  return undefined;
}

/** Csmith writes platform.info into its working directory: give it the cache folder. */
function csmithWorkDir(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  return dirname(file);
}

// ---------------------------------------------------------------------------------------------
// Normalization and compilation
// ---------------------------------------------------------------------------------------------

/** C text without comments and with whitespace collapsed: two programs equal here are duplicates. */
export function normalizeC(text: string): string {
  return text
    .replace(/\/\*[^]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function gccFor(isa: IsaName): string {
  return `${isa}-linux-gnu-gcc`;
}

const GCC_TIMEOUT_MS = 120_000;
/** Debug info names the compile directory; mapping it keeps outputs independent of where files live. */
const DEBUG_PREFIX = '/gns';
const ASM_CACHE_FORMAT = 1;

/** The gcc flags for one program, besides `-S -o`. */
export function compileFlags(p: SourceProgram, opt: OptLevel): string[] {
  const extra = p.origin === 'csmith' ? [`-I${CSMITH_INCLUDE}`] : [];
  return [`-${opt}`, '-g', `-fdebug-prefix-map=${dirname(p.file)}=${DEBUG_PREFIX}`, '-w', ...extra];
}

/** Compiled assembly, or why there is none. `timedOut` failures are not cached (they depend on load). */
export type CompileResult = { readonly asm: string } | { readonly error: string; readonly timedOut: boolean };

/**
 * Compiles one program for one ISA to assembly, through the cache. The key covers the C text,
 * the flags and the compiler's version; headers a test includes from its own folder are not in
 * it (gcc's tests come from one fixed tarball).
 */
export async function compileToAsm(p: SourceProgram, content: Buffer, isa: IsaName, opt: OptLevel, gccVersion: string): Promise<CompileResult> {
  const flags = compileFlags(p, opt);
  const key = sha256(JSON.stringify({ format: ASM_CACHE_FORMAT, isa, flags, gccVersion, content: sha256(content) }));
  const base = join(cacheRoot(), 'asm', key.slice(0, 2), key);
  if (existsSync(`${base}.s`)) return { asm: readFileSync(`${base}.s`, 'latin1') };
  if (existsSync(`${base}.fail`)) return { error: readFileSync(`${base}.fail`, 'utf8'), timedOut: false };
  mkdirSync(dirname(base), { recursive: true });
  const tmp = `${base}.tmp-${process.pid}-${tmpCounter++}.s`;
  const r = await run(gccFor(isa), ['-S', ...flags, '-o', tmp, basename(p.file)], { cwd: dirname(p.file), timeout: GCC_TIMEOUT_MS });
  if (r.code !== 0 || !existsSync(tmp)) {
    rmSync(tmp, { force: true });
    if (r.timedOut) return { error: `gcc timed out after ${GCC_TIMEOUT_MS / 1000} s`, timedOut: true };
    const first = r.stderr.split('\n').find((l) => /error|fatal/.test(l)) ?? r.stderr.split('\n')[0] ?? `exit ${r.code}`;
    const error = first.replace(dirname(p.file) + '/', '').trim();
    writeAtomic(`${base}.fail`, error);
    return { error, timedOut: false };
  }
  renameSync(tmp, `${base}.s`);
  return { asm: readFileSync(`${base}.s`, 'latin1') };
}

/** `gcc --version`'s first line, or undefined when the compiler is not installed. */
export async function toolVersion(cmd: string): Promise<string | undefined> {
  try {
    const r = await run(cmd, ['--version'], { timeout: 20_000 });
    return r.code === 0 ? r.stdout.toString('utf8').split('\n')[0]!.trim() : undefined;
  } catch {
    return undefined;
  }
}
