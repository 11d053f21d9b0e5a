// Functions that return a structure in memory, compiled by the real cross gccs at -O0.
// - Frame slots that the frame shift does not line up: RISC-V spills the argument below the
//   result's address (a hidden a0), but AArch64 keeps that address in x8 and spills nothing for
//   it. The argument's two slots are paired one by one (sigma beyond the shift), each side's bytes
//   private, and a block that reads the wrong slot is REFUTED with the emulator's counterexample.
// - The result's buffer is an object of its own: copying a structure argument into it 16 bytes at
//   a time (AArch64) or 8 (RISC-V) is the same copy. No register result is compared: RISC-V
//   returns the buffer's address in a0, AArch64 does not.
// - Frame objects (the structs fixture's main): the by-reference copies of structure arguments lie
//   at different places on the two ISAs, and their addresses are passed to the callees. They are
//   paired as objects, and the addresses passed are related through the pair; a call passed the
//   wrong offset into the copy is REFUTED.
// - The arguments a callee of the program reads (its prologue spills them) are never dropped from
//   R at a call: a wrong argument value is REFUTED even under the R inferred from the mutant.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Program } from '../src/ir/program.js';
import { createVerifier } from '../src/verify/check.js';
import { type CrossIsa, crossCompile } from './helpers/cross.js';
import { returnedValues } from '../src/verify/infer.js';
import { readFileSync } from 'node:fs';
import { repoPath } from './helpers/golden.js';

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

// The whole structs fixture: main makes the copies for sum_big and scale.
const structs = crossCompile('structs', readFileSync(repoPath('test/fixtures/c/structs.c'), 'utf8'), ['-std=c11']);
const loadStructs = (isa: CrossIsa, text = structs[isa].text): Program => structs[isa].load(text);

test('structs main: the argument copies are one frame object pair, and no block is refuted', async () => {
  for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
    const report = await verifier.verifyPrograms(loadStructs(from), loadStructs(to), { functions: ['main'] });
    const main = report.functions.find((x) => x.name === 'main')!;
    // sp+64 on AArch64 (CFA-224), -288(s0) on RISC-V, 40 bytes (struct big; struct mixed reuses it).
    const object = from === 'aarch64' ? '[CFA-224]~[CFA-288]:40' : '[CFA-288]~[CFA-224]:40';
    assert.deepEqual(main.frame.slots, [object], `${from}->${to}`);
    const refuted = main.blocks.filter((b) => b.verdict.kind === 'REFUTED');
    assert.deepEqual(refuted, [], `${from}->${to}`);
    // The copies' and the loop's blocks are proven, or say why not.
    for (const b of main.blocks) if (b.verdict.kind === 'TESTED' || b.verdict.kind === 'UNSUPPORTED') assert.ok(b.verdict.reason.length > 0);
  }
});

/** The structs fixture with the address passed to sum_big moved 8 bytes into the copy, on one side. */
function wrongCopyOffset(isa: CrossIsa): string {
  const [from, to] = isa === 'aarch64' ? ['\tadd\tx0, sp, 64\n\tbl\tsum_big', '\tadd\tx0, sp, 72\n\tbl\tsum_big'] : ['\taddi\ta5,s0,-288\n\tmv\ta0,a5\n\tcall\tsum_big', '\taddi\ta5,s0,-280\n\tmv\ta0,a5\n\tcall\tsum_big'];
  const text = structs[isa].text;
  assert.equal(text.split(from).length, 2, `one call of sum_big on ${isa}`);
  return text.replace(from, to);
}

test('structs main: passing sum_big the wrong offset into the copy is REFUTED', async () => {
  for (const isa of ['aarch64', 'riscv64'] as const) {
    for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
      // With R inferred from the mutant itself.
      const program = (side: CrossIsa): Program => loadStructs(side, side === isa ? wrongCopyOffset(isa) : undefined);
      const report = await verifier.verifyPrograms(program(from), program(to), { functions: ['main'] });
      const main = report.functions.find((x) => x.name === 'main')!;
      assert.ok(main.blocks.some((b) => b.verdict.kind === 'REFUTED'), `${isa} mutant, ${from}->${to}`);
    }
  }
  // Under the R of the gold pair: the address passed is not the copy's partner.
  const gold = verifier.pairContexts(loadStructs('aarch64'), loadStructs('riscv64')).pairs.find((p) => p.name === 'main')!;
  const { relation } = await verifier.checkFunction(gold);
  const mutant = verifier.pairContexts(loadStructs('aarch64'), loadStructs('riscv64', wrongCopyOffset('riscv64'))).pairs.find((p) => p.name === 'main')!;
  const call = [...relation.arguments!].find(([, read]) => read.some((p) => p.offset?.cfa === 0))![0];
  const verdict = await verifier.checkBlock(mutant, relation, call);
  assert.equal(verdict.kind, 'REFUTED', JSON.stringify(verdict));
  assert.ok(verdict.kind === 'REFUTED' && verdict.counterexample.diverged.some((d) => d.includes('the address of a paired frame object')), JSON.stringify(verdict));
});

test('structs main: a wrong argument to a callee of the program is REFUTED under the R inferred from the mutant itself', async () => {
  // grow(&r, 2) made grow(&r, 3). The argument registers of a call are Houdini candidates (a
  // callee may ignore some of them), so R inferred from the mutant used to drop x1~a1 and prove
  // the call. grow's prologue spills x1 / a1 as a 32-bit int: the call must pass them related.
  const mutants: Record<CrossIsa, [string, string]> = { aarch64: ['\tmov\tw1, 2\n\tbl\tgrow', '\tmov\tw1, 3\n\tbl\tgrow'], riscv64: ['\tli\ta1,2\n\tmv\ta0,a5\n\tcall\tgrow', '\tli\ta1,3\n\tmv\ta0,a5\n\tcall\tgrow'] };
  for (const isa of ['aarch64', 'riscv64'] as const) {
    const [was, now] = mutants[isa];
    assert.equal(structs[isa].text.split(was).length, 2, `one call of grow on ${isa}`);
    for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
      const program = (side: CrossIsa): Program => loadStructs(side, side === isa ? structs[isa].text.replace(was, now) : undefined);
      const report = await verifier.verifyPrograms(program(from), program(to), { functions: ['main'] });
      const main = report.functions.find((x) => x.name === 'main')!;
      const refuted = main.blocks.filter((b) => b.verdict.kind === 'REFUTED');
      assert.equal(refuted.length, 1, `${isa} mutant, ${from}->${to}: ${JSON.stringify(main.blocks.map((b) => b.verdict.kind))}`);
      const v = refuted[0]!.verdict;
      assert.ok(v.kind === 'REFUTED' && v.counterexample.diverged.some((d) => /at call grow/.test(d)), JSON.stringify(v));
    }
  }
});
