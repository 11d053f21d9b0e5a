// Blocks that do not correspond one to one, compiled by the real cross gccs at -O0: an AArch64
// `csel` is a RISC-V branch diamond (a block against a region, in both directions), and a RISC-V
// `mv a5,a0` after a call has no AArch64 block at all (an edge block against an added empty one).
// Each must be PROVEN as a whole, and a one-token bug inside the region or the edge block must be
// REFUTED under the gold pair's R (every REFUTED verdict is replayed in the emulator before it is
// given). Under an R inferred from the buggy pair itself, Houdini may instead drop the return
// relation it breaks; the mutant test of test/verify.test.ts uses the gold R for the same reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Program } from '../src/ir/program.js';
import { sketchBlock } from '../src/sketch/cegis.js';
import { createVerifier, type FunctionReport, type Verdict } from '../src/verify/check.js';
import { type CrossIsa, crossCompile } from './helpers/cross.js';
import { repoPath } from './helpers/golden.js';

const C = `
unsigned long clamp32(unsigned long x) { return x > 0xffffffffUL ? 0xffffffffUL : x; }
int max2(int a, int b) { return a >= b ? a : b; }
int pick(int c, int a, int b) { int r = c < 10 ? a : b; return r + 1; }
int gcd(unsigned a, unsigned b) { return b == 0 ? a : gcd(b, a - b); }
int ack(int m, int n) { if (m == 0) return n + 1; if (n == 0) return ack(m - 1, 1); return ack(m - 1, ack(m, n - 1)); }
`;

const cross = crossCompile('regions', C);
const asm = { aarch64: cross.aarch64.text, riscv64: cross.riscv64.text };
const load = (isa: CrossIsa, text = asm[isa]): Program => cross[isa].load(text);
const verifier = await createVerifier();

function summary(f: FunctionReport): string {
  return f.blocks.map((b) => `${b.source.label ?? b.source.index}:${b.verdict.kind}${b.verdict.kind === 'PROVEN' ? '' : ` (${'reason' in b.verdict ? b.verdict.reason : b.verdict.kind === 'REFUTED' ? b.verdict.counterexample.diverged[0] : ''})`}`).join(', ');
}

for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
  test(`${from}->${to}: csel against branch regions, and edge blocks, are PROVEN`, async () => {
    const { pairs } = verifier.pairContexts(load(from), load(to));
    const regions = pairs.reduce((n, p) => n + p.matching.regions.size, 0);
    const added = pairs.reduce((n, p) => n + [...p.source.cfg.blocks, ...p.target.cfg.blocks].filter((b) => b.added).length, 0);
    // clamp32 and max2 have a csel on AArch64; ack a RISC-V move after its last call, where
    // AArch64 falls straight into the join.
    assert.ok(regions >= 2, `${regions} region pairs`);
    assert.ok(added >= 1, `${added} added edge blocks`);
    const report = await verifier.verifyPrograms(load(from), load(to));
    for (const f of report.functions) {
      assert.equal(f.unmatchedTarget.length, 0, `${f.name}: unmatched target blocks`);
      assert.ok(f.blocks.every((b) => b.verdict.kind === 'PROVEN'), `${f.name}: ${summary(f)}`);
    }
    if (from === 'riscv64') assert.ok(report.functions.some((f) => f.blocks.some((b) => b.region)), 'blocks inside a source region share its verdict');
  });
}

/** Verdicts of every source block of `fn`, with the target replaced by `text`, under the gold R. */
async function underGoldR(fn: string, text: string): Promise<{ verdicts: Verdict[]; report: FunctionReport; targetLines: (number | undefined)[] }> {
  const gold = verifier.pairContexts(load('aarch64'), load('riscv64')).pairs.find((p) => p.name === fn)!;
  const { report, relation } = await verifier.checkFunction(gold);
  assert.ok(report.blocks.every((b) => b.verdict.kind === 'PROVEN'), `gold ${fn}: ${summary(report)}`);
  const program = load('riscv64', text);
  const ctx = { ...gold, target: { ...gold.target, program } };
  const verdicts: Verdict[] = [];
  for (const b of report.blocks) verdicts.push(b.region ? { kind: 'PROVEN', by: 'z3' } : await verifier.checkBlock(ctx, relation, b.source.index));
  return { verdicts, report, targetLines: report.blocks.map((b) => b.target?.line) };
}

test('a wrong arm of a branch region is REFUTED', async () => {
  // max2 on RISC-V: the diamond's arm copies the other operand; copying nothing makes max2
  // return its first argument. The check must find it inside the region.
  const lines = asm.riscv64.split('\n');
  const start = lines.findIndex((l) => l.startsWith('max2:'));
  const arm = lines.findIndex((l, i) => i > start && /^\tmv\t(a\d),(a\d)$/.test(l) && /^\t(bge|ble|bgt|blt)/.test(lines[i - 1] ?? ''));
  assert.ok(arm > start, 'found the arm of the diamond in max2');
  const [, rd, rs] = /^\tmv\t(a\d),(a\d)$/.exec(lines[arm]!)!;
  assert.notEqual(rd, rs);
  lines[arm] = `\tmv\t${rd},${rd}`;
  const { verdicts } = await underGoldR('max2', lines.join('\n'));
  assert.deepEqual(verdicts.map((v) => v.kind), ['REFUTED']);
  // And the sketch repairs it with a hole at the copied register, inside the region.
  const gold = verifier.pairContexts(load('aarch64'), load('riscv64')).pairs.find((p) => p.name === 'max2')!;
  const { relation } = await verifier.checkFunction(gold);
  const broken = load('riscv64', lines.join('\n'));
  const stmt = broken.statements.findIndex((st) => st.span.line === arm + 1);
  const ctx = { ...gold, target: { ...gold.target, program: broken } };
  const result = await sketchBlock(verifier, ctx, relation, 0, [{ kind: 'reg', stmt, operand: 1 }], { timeoutMs: 20_000 });
  assert.equal(result.status, 'filled', 'reason' in result ? result.reason : '');
  assert.equal((await verifier.checkBlock({ ...gold, target: { ...gold.target, program: result.program } }, relation, 0)).kind, 'PROVEN');
});

/** The RISC-V text with the `mv a5,a0` after a call in `fn` replaced, and the 1-based line. */
function wrongMove(fn: string, followedBy: RegExp): { text: string; line: number } {
  const lines = asm.riscv64.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${fn}:`));
  const move = lines.findIndex((l, i) => i > start && l === '\tmv\ta5,a0' && /^\tcall\t/.test(lines[i - 1] ?? '') && followedBy.test(lines[i + 1] ?? ''));
  assert.ok(move > start, `found the move after a call in ${fn}`);
  lines[move] = '\tmv\ta5,a1';
  return { text: lines.join('\n'), line: move + 1 };
}

test('a wrong move on an edge block is REFUTED', async () => {
  // ack's last call: AArch64 falls into the join, RISC-V first moves the result (a0) to a5.
  const { text, line } = wrongMove('ack', /^\.L/);
  const { verdicts, report, targetLines } = await underGoldR('ack', text);
  const edge = report.blocks.findIndex((b) => b.added);
  assert.ok(edge >= 0, 'the edge block is reported');
  assert.equal(targetLines[edge], line);
  assert.equal(verdicts[edge]!.kind, 'REFUTED');
  assert.equal(verdicts.filter((v) => v.kind === 'REFUTED').length, 1);
});

test('a wrong move where the other side has only a jump is REFUTED', async () => {
  // gcd: `bl gcd; b .L6` against `call gcd; mv a5,a0; j .L6`: the jump-only block is paired.
  const { text, line } = wrongMove('gcd', /^\tj\t/);
  const { verdicts, targetLines } = await underGoldR('gcd', text);
  const bad = targetLines.indexOf(line);
  assert.ok(bad >= 0, `a source block is paired with the block of line ${line}`);
  assert.equal(verdicts[bad]!.kind, 'REFUTED');
});

test('gns verify shows regions and added edge blocks, and exits 0 when all is proven', () => {
  const files = { aarch64: cross.aarch64.path, riscv64: cross.riscv64.path };
  const gns = repoPath('bin/gns.js');
  const run = (from: string, to: string): { code: number | null; out: string } => {
    const r = spawnSync(process.execPath, [gns, 'verify', from, to], { encoding: 'utf8', timeout: 300_000 });
    return { code: r.status, out: r.stdout + r.stderr };
  };
  const forward = run(files.aarch64, files.riscv64);
  assert.equal(forward.code, 0, forward.out);
  assert.match(forward.out, /max2 \(line \d+\)\s+-> max2 \(line \d+\) \+\d blocks PROVEN/);
  assert.match(forward.out, /edge \(added\)\s+-> block \d+ \(line \d+\)\s+PROVEN \(z3, the target's own work on an edge\)/);
  const back = run(files.riscv64, files.aarch64);
  assert.equal(back.code, 0, back.out);
  assert.match(back.out, /PROVEN \(z3, with the region of max2 \(line \d+\)\)/);
  assert.match(back.out, /-> edge \(added\)\s+PROVEN/);
});
