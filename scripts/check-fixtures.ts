// Checks the C fixtures the corpus and the qemu-based tests rely on: each must compile without
// warnings at -O0/-O1/-O2 for both cross gccs, run under qemu-user, exit 0 and print exactly
// the same output on both ISAs and at every level (a difference means undefined or
// implementation-defined behaviour crept in, which would poison translation checks).
//
// Usage: node dist/scripts/check-fixtures.js [--dir DIR] [name ...]
//   --dir DIR checks the .c files in DIR (e.g. corpus/c) instead of test/fixtures/c.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gccFor, listFixtures, type CorpusIsa } from './corpus.js';
import { defaultJobs, mapLimit, run } from '../src/util/proc.js';

export interface FixtureCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly problems: string[];
  /** Output of the aarch64 -O0 build, the reference the others are compared with. */
  readonly output: string;
}

const LEVELS = ['-O0', '-O1', '-O2'] as const;
const ISAS: readonly CorpusIsa[] = ['aarch64', 'riscv64'];
const COMPILE_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 30_000;

/** Checks the fixtures (or, with `dir`, the .c files of that directory instead). */
export async function checkFixtures(names?: readonly string[], dir?: string): Promise<FixtureCheck[]> {
  const all = dir === undefined ? listFixtures() : listFixtures(resolve(dir));
  const fixtures = all.filter((f) => !names || names.length === 0 || names.includes(f.name));
  const tmp = mkdtempSync(join(tmpdir(), 'gns-fixtures-'));
  try {
    interface Job {
      name: string;
      path: string;
      isa: CorpusIsa;
      level: string;
    }
    const jobs: Job[] = [];
    for (const f of fixtures) for (const isa of ISAS) for (const level of LEVELS) jobs.push({ name: f.name, path: f.path, isa, level });
    const results = await mapLimit(jobs, defaultJobs(), async (j) => {
      const exe = join(tmp, `${j.name}-${j.isa}${j.level}`);
      const cc = await run(gccFor(j.isa), [j.level, '-std=c11', '-Wall', '-Wextra', '-static', '-o', exe, j.path], {
        timeout: COMPILE_TIMEOUT_MS,
      });
      if (cc.code !== 0 || cc.stderr.trim() !== '') {
        return { ...j, problem: `${j.isa} ${j.level}: compile ${cc.code === 0 ? 'warnings' : 'failed'}: ${cc.stderr.trim().split('\n').slice(0, 3).join(' | ')}`, out: '' };
      }
      const r = await run(`qemu-${j.isa}`, [exe], { timeout: RUN_TIMEOUT_MS });
      const out = r.stdout.toString('latin1');
      if (r.code !== 0) return { ...j, problem: `${j.isa} ${j.level}: exit ${r.code ?? r.signal}${r.timedOut ? ' (timeout)' : ''}`, out };
      return { ...j, problem: '', out };
    });
    return fixtures.map((f) => {
      const mine = results.filter((r) => r.name === f.name);
      const problems = mine.filter((r) => r.problem !== '').map((r) => r.problem);
      const ref = mine.find((r) => r.isa === 'aarch64' && r.level === '-O0')?.out ?? '';
      if (ref === '') problems.push('no output');
      for (const r of mine) {
        if (r.problem === '' && r.out !== ref) problems.push(`${r.isa} ${r.level}: output differs from aarch64 -O0`);
      }
      return { name: f.name, ok: problems.length === 0, problems, output: ref };
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  let dir: string | undefined;
  const d = args.indexOf('--dir');
  if (d >= 0) {
    dir = args[d + 1];
    if (dir === undefined) {
      process.stderr.write('check-fixtures: --dir needs a directory\n');
      process.exit(2);
    }
    args.splice(d, 2);
  }
  const names = args;
  checkFixtures(names, dir).then(
    (checks) => {
      let bad = 0;
      for (const c of checks) {
        const lines = c.output.split('\n').length - 1;
        process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${lines} lines of output)\n`);
        for (const p of c.problems) process.stdout.write(`     ${p}\n`);
        if (!c.ok) bad++;
      }
      process.stdout.write(`${checks.length - bad}/${checks.length} fixtures ok\n`);
      process.exit(bad === 0 ? 0 : 1);
    },
    (e: unknown) => {
      process.stderr.write(`check-fixtures: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
