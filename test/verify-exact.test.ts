// What C leaves open, across ISAs, on code compiled by the real cross gccs at -O0.
// - NaN payloads: AArch64 (FPCR.DN = 0, as Linux runs it) passes a NaN operand's payload on;
//   RISC-V always produces the canonical NaN. By default gns compares with AArch64 in default-NaN
//   mode. (The semantics of DN mode are checked against Unicorn in test/semantics-aarch64.test.ts.)
// - Division by zero, and a NaN converted to an integer: AArch64 gives 0, RISC-V all ones and the
//   largest integer. By default the source is taken never to do either, as C leaves both undefined.
// Both are listed among the assumptions, and every block is PROVEN. With `exact` (`--exact`) the
// two sides are compared as machine code, and each difference is REFUTED, with a counterexample
// the emulator replays.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Program } from '../src/ir/program.js';
import { DEFAULT_NAN_ASSUMPTION, UNDEFINED_IN_C_ASSUMPTION, createVerifier } from '../src/verify/check.js';
import { type CrossIsa, crossCompile } from './helpers/cross.js';
import { repoPath } from './helpers/golden.js';

const C = `
double mean2(double a, double b) { double s = a + b; return s / 2.0; }
float narrow(double x) { float f = (float)x; return f * 3.0f; }
double root(double x) { double r = __builtin_sqrt(x); return r; }
long quot(long a, long b) { long q = a / b; return q; }
unsigned rest(unsigned a, unsigned b) { unsigned r = a % b; return r; }
int whole(double x) { int i = (int)x; return i; }
`;

// -fno-math-errno: sqrt is one instruction, not a call that sets errno.
const asm = crossCompile('exact', C, ['-fno-math-errno']);
const files = { aarch64: asm.aarch64.path, riscv64: asm.riscv64.path };
const load = (isa: CrossIsa): Program => asm[isa].load();
const verifier = await createVerifier();
// The sqrt block's proof can pass the default 2 s per query on a loaded machine (a CI run once
// left it TESTED): these tests are about what is compared, not how fast, so Z3 gets room.
const TIMEOUT_MS = 20_000;

for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
  test(`${from}->${to}: what C leaves open is not compared by default, and is REFUTED with exact`, async () => {
    const loose = await verifier.verifyPrograms(load(from), load(to), { timeoutMs: TIMEOUT_MS });
    assert.deepEqual(loose.counts, { PROVEN: loose.counts.PROVEN, TESTED: 0, REFUTED: 0, UNSUPPORTED: 0 }, JSON.stringify(loose.counts));
    assert.ok(loose.assumptions.includes(DEFAULT_NAN_ASSUMPTION));
    assert.ok(loose.assumptions.includes(UNDEFINED_IN_C_ASSUMPTION));

    const exact = await verifier.verifyPrograms(load(from), load(to), { exact: true, timeoutMs: TIMEOUT_MS });
    assert.ok(!exact.assumptions.includes(DEFAULT_NAN_ASSUMPTION));
    assert.ok(!exact.assumptions.includes(UNDEFINED_IN_C_ASSUMPTION));
    const refuted = exact.functions.filter((f) => f.blocks.some((b) => b.verdict.kind === 'REFUTED')).map((f) => f.name);
    // Every function stores a NaN computed from a NaN operand, a quotient or remainder by zero
    // (only the quotient differs: both ISAs give the dividend as the remainder), or a NaN
    // converted to an integer.
    assert.deepEqual(refuted.sort(), ['mean2', 'narrow', 'quot', 'root', 'whole'], JSON.stringify(exact.counts));
    assert.equal(exact.counts.PROVEN + exact.counts.REFUTED + exact.counts.TESTED + exact.counts.UNSUPPORTED, loose.counts.PROVEN);
  });
}

test('gns verify --exact: exit code 5 (refuted); without it, 0', () => {
  const run = (extra: string[]): { code: number; stdout: string } => {
    const r = spawnSync(process.execPath, [repoPath('bin/gns.js'), 'verify', files.aarch64, files.riscv64, '--timeout', String(TIMEOUT_MS), ...extra], { encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout };
  };
  const loose = run([]);
  assert.equal(loose.code, 0, loose.stdout);
  assert.match(loose.stdout, /FPCR\.DN = 1/);
  const exact = run(['--exact', '--json']);
  assert.equal(exact.code, 5, exact.stdout);
  const report = JSON.parse(exact.stdout) as { counts: Record<string, number>; assumptions: string[] };
  assert.ok(report.counts['REFUTED']! > 0);
  assert.ok(!report.assumptions.some((a) => a.includes('FPCR.DN')));
});
