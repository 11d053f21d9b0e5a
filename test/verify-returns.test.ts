// Returned values under an inferred R, compiled by the real cross gccs at -O0. Houdini weakens R
// until every block is proven, so a wrong result could once be "proven" by dropping the return
// pair. Where both sides set their return register on the way out, the function returns a value
// there, and that pair is never dropped: a wrong result is REFUTED, or UNSUPPORTED with the
// reason where R at the block was weakened (the state may be unreachable), and never PROVEN. A
// void function that computes in x0 last (AArch64 -O0 does) keeps nothing, and stays PROVEN.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Program } from '../src/ir/program.js';
import { createVerifier } from '../src/verify/check.js';
import { type CrossIsa, crossCompile } from './helpers/cross.js';
import { returnedValues } from '../src/verify/infer.js';

const C = `
int add1(int x) { return x + 1; }
long pick(long a, long b) { if (a > b) return a - b; return b; }
float half(float x) { return x * 0.5f; }
void setp(int *p) { *p = 5; }
`;

const cross = crossCompile('returns', C);
const asm = { aarch64: cross.aarch64.text, riscv64: cross.riscv64.text };
const load = (isa: CrossIsa, text = asm[isa]): Program => cross[isa].load(text);
const verifier = await createVerifier();

test('returned values are found on both sides, at the narrower width; a void function has none', () => {
  const { pairs } = verifier.pairContexts(load('aarch64'), load('riscv64'));
  const kept = Object.fromEntries(pairs.map((p) => [p.name, returnedValues(p).map((r) => `${r.s}~${r.t}/${r.w}`)]));
  assert.deepEqual(kept, { add1: ['x0~a0/32'], pick: ['x0~a0/32'], half: ['v0~fa0/32'], setp: [] });
});

for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
  test(`${from}->${to}: gold pairs are PROVEN, and a wrong result is never PROVEN under the inferred R`, async () => {
    const gold = await verifier.verifyPrograms(load(from), load(to));
    assert.equal(gold.counts.REFUTED + gold.counts.UNSUPPORTED, 0, JSON.stringify(gold.counts));
    // add1 returns x + 2 on the target side; pick returns a instead of a - b on the way out.
    const wrong = to === 'riscv64'
      ? asm.riscv64.replace(/(add1:[\s\S]*?addiw\ta5,a5,)1\b/, '$12').replace(/(pick:[\s\S]*?)\tsub\ta5,a4,a5\n/, '$1\tmv\ta5,a4\n')
      : asm.aarch64.replace(/(add1:[\s\S]*?add\tw0, w0, )1\b/, '$12').replace(/(pick:[\s\S]*?)\tsub\tx0, x1, x0\n/, '$1\tmov\tx0, x1\n');
    assert.notEqual(wrong, asm[to]);
    const report = await verifier.verifyPrograms(load(from), load(to, wrong));
    const verdicts = Object.fromEntries(report.functions.map((f) => [f.name, f.blocks.map((b) => b.verdict)]));
    const shown = JSON.stringify(verdicts);
    // add1 is one block, under the ABI's R at entry: REFUTED.
    assert.ok(verdicts['add1']!.some((v) => v.kind === 'REFUTED'), shown);
    // pick's result flows through a join whose R Houdini weakens: never PROVEN, and the reason
    // says the returned values differ.
    assert.ok(verdicts['pick']!.some((v) => v.kind === 'REFUTED' || (v.kind === 'UNSUPPORTED' && v.reason.includes('returned values differ'))), shown);
    for (const name of ['half', 'setp']) assert.ok(verdicts[name]!.every((v) => v.kind === 'PROVEN'), shown);
  });
}
