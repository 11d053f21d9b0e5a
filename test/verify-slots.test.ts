// Functions that return a structure in memory, compiled by the real cross gccs at -O0.
// - Frame slots that the frame shift does not line up: RISC-V spills the argument below the
//   result's address (a hidden a0), but AArch64 keeps that address in x8 and spills nothing for
//   it. The argument's two slots are paired one by one (sigma beyond the shift), each side's bytes
//   private, and a block that reads the wrong slot is REFUTED with the emulator's counterexample.
// - The result's buffer is an object of its own: copying a structure argument into it 16 bytes at
//   a time (AArch64) or 8 (RISC-V) is the same copy. No register result is compared: RISC-V
//   returns the buffer's address in a0, AArch64 does not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Program } from '../src/ir/program.js';
import { createVerifier } from '../src/verify/check.js';
import { type CrossIsa, crossCompile } from './helpers/cross.js';
import { returnedValues } from '../src/verify/infer.js';

// The structs fixture's make_big and scale, which stop 10 left REFUTED.
const C = `
struct big { long a, b, c, d; char tag[8]; };
struct mixed { char c; double d; short s; };
struct big make_big(long seed)
{
    struct big b = { seed, seed * 2, seed * 3, seed * 4, "big" };
    b.tag[3] = (char)('0' + seed % 10);
    return b;
}
struct mixed scale(struct mixed m, double k)
{
    m.d *= k;
    m.s = (short)(m.s * 2);
    m.c = (char)(m.c + 1);
    return m;
}
`;

const cross = crossCompile('slots', C);
const asm = { aarch64: cross.aarch64.text, riscv64: cross.riscv64.text };
const load = (isa: CrossIsa, text = asm[isa]): Program => cross[isa].load(text);
const verifier = await createVerifier();

test('the argument spill slots are paired one by one, and no function is refuted', async () => {
  for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
    const report = await verifier.verifyPrograms(load(from), load(to));
    const f = report.functions.find((x) => x.name === 'make_big')!;
    // seed: [sp, 8] on AArch64 (CFA-56), -80(s0) on RISC-V; the structure lines up by the shift.
    const slot = from === 'aarch64' ? '[CFA-56]~[CFA-80]:8' : '[CFA-80]~[CFA-56]:8';
    assert.deepEqual(f.frame.slots, [slot], `${from}->${to}`);
    assert.equal(report.counts.REFUTED, 0, `${from}->${to}: ${JSON.stringify(report.functions.map((x) => x.blocks.map((b) => b.verdict)))}`);
    for (const ctx of verifier.pairContexts(load(from), load(to)).pairs) assert.deepEqual(returnedValues(ctx), [], ctx.name);
  }
});

test('reading the slot of the result address instead of the argument is REFUTED', async () => {
  const gold = verifier.pairContexts(load('aarch64'), load('riscv64')).pairs.find((p) => p.name === 'make_big')!;
  const { relation } = await verifier.checkFunction(gold);
  assert.equal(relation.slots.length, 1);
  // The remainder seed % 10 reads seed back; read the result's address (-72(s0)) instead.
  const lines = asm.riscv64.split('\n');
  const start = lines.findIndex((l) => l.startsWith('make_big:'));
  const reload = lines.findIndex((l, i) => i > start && /^\tld\ta4,-80\(s0\)$/.test(l) && /^\tli\ta5,10$/.test(lines[i + 1] ?? ''));
  assert.ok(reload > start, 'found the reload of seed before the remainder');
  lines[reload] = '\tld\ta4,-72(s0)';
  const ctx = { ...gold, target: { ...gold.target, program: load('riscv64', lines.join('\n')) } };
  const verdict = await verifier.checkBlock(ctx, relation, 0);
  assert.equal(verdict.kind, 'REFUTED', JSON.stringify(verdict));
});
