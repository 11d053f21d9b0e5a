// The solver's models and the emulator must agree, or a wrong translation goes unrefuted, and the
// solver must not give up where a simpler question settles the block. Two cases from the mutant
// test (test/verify.test.ts), on fixture programs compiled by the real cross gccs:
// - flood (arrays_2d.c): behind the path `g[y][x] == from`, Z3 placed the pointer g so that g[y][x]
//   fell inside the constant data .LC0, which the emulator maps but the prover read as free
//   memory; the model never replayed, and a wrong store was UNSUPPORTED. Constant data a model
//   reaches through a pointer is now asserted in memory, and the store is REFUTED.
// - horner (float_math.c): the loop index sign-extended on one side, zero-extended on the other,
//   is the same under the loop's `i >= 0`; Z3 gave up on the fmul and fadd circuits. Floating-point
//   arithmetic as uninterpreted functions proves it; a real change to the arithmetic is still
//   REFUTED by the real query.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { frontEnd, parseAsm } from '../src/asm/index.js';
import type { Instruction, Program } from '../src/ir/program.js';
import { createVerifier, type Verdict } from '../src/verify/check.js';
import type { PairContext } from '../src/verify/relation.js';
import { type CrossIsa, crossCompile } from './helpers/cross.js';

const verifier = await createVerifier();

/** A fixture program's C, as the corpus compiles it. */
const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/c/${name}.c`, import.meta.url), 'utf8');

/**
 * The verdict of the block holding function `fn`'s first `before` instruction in the target (text
 * as gns prints it, whitespace aside) once it is replaced by `after`, under the R inferred from
 * the gold pair.
 */
async function mutantVerdict(source: Program, target: Program, fn: string, before: string, after: string): Promise<Verdict> {
  const gold = verifier.pairContexts(source, target).pairs.find((p) => p.name === fn)!;
  const { relation } = await verifier.checkFunction(gold);
  const fe = frontEnd(target.isa);
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
  const inFunction = gold.target.cfg.blocks.flatMap((b) => b.instructions).sort((a, b) => a - b);
  const stmt = inFunction.find((i) => norm(fe.printInstruction(target.statements[i] as Instruction, true)) === norm(before));
  assert.ok(stmt !== undefined, `no '${before}' in ${fn} of the target`);
  const block = gold.target.cfg.blocks.find((b) => b.instructions.includes(stmt))!;
  const bs = [...gold.matching.pairs].find(([, bt]) => bt === block.index)![0];
  const replacement = parseAsm(after, { isa: target.isa, file: 'mutant.s' }).program.statements.find((s) => s.kind === 'insn')!;
  const statements = target.statements.slice();
  statements[stmt] = replacement;
  const ctx: PairContext = { ...gold, target: { ...gold.target, program: { ...target, statements } } };
  return verifier.checkBlock(ctx, relation, bs);
}

test('flood: a wrong store behind a path through a pointer into the grid is REFUTED, in both directions', async () => {
  const cross = crossCompile('arrays_2d', fixture('arrays_2d'));
  // Stores of the local table d (copied from .LC0) to the wrong slot, or of the wrong register.
  const mutants: Record<CrossIsa, [string, string][]> = {
    riscv64: [['sd a4,-56(s0)', 'sd a4,-48(s0)'], ['sd a2,-72(s0)', 'sd a6,-72(s0)'], ['ld a4,16(a5)', 'ld a4,24(a5)']],
    aarch64: [['add x0, sp, 104', 'add x0, sp, 120'], ['sub x0, x0, 64', 'sub x0, x0, 63']],
  };
  for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
    for (const [before, after] of mutants[to]) {
      const v = await mutantVerdict(cross[from].load(), cross[to].load(), 'flood', before, after);
      assert.equal(v.kind, 'REFUTED', `${from}->${to} ${before} -> ${after}: ${JSON.stringify(v)}`);
    }
  }
});

test('horner: an index zero-extended for sign-extended, the same under i >= 0, is PROVEN behind the loop test', async () => {
  const cross = crossCompile('float_math', fixture('float_math'));
  const neutral = await mutantVerdict(cross.riscv64.load(), cross.aarch64.load(), 'horner', 'ldrsw x0, [sp, 36]', 'ldrsw x14, [sp, 36]');
  assert.ok(neutral.kind === 'PROVEN' && (neutral.context ?? 0) > 0, JSON.stringify(neutral));
  const back = await mutantVerdict(cross.aarch64.load(), cross.riscv64.load(), 'horner', 'lw a5,-28(s0)', 'lwu a5,-28(s0)');
  assert.ok(back.kind === 'PROVEN' && (back.context ?? 0) > 0, JSON.stringify(back));
  // The operands of the add swapped: the same sum (IEEE addition commutes).
  const swapped = await mutantVerdict(cross.riscv64.load(), cross.aarch64.load(), 'horner', 'fadd d0, d1, d0', 'fadd d0, d0, d1');
  assert.equal(swapped.kind, 'PROVEN', JSON.stringify(swapped));
  // Real changes to the arithmetic: the abstraction proves nothing here, and the real query refutes.
  for (const [before, after] of [['fadd d0, d1, d0', 'fsub d0, d1, d0'], ['fmul d1, d1, d0', 'fmul d1, d1, d1'], ['fadd d0, d1, d0', 'fadd d0, d1, d1']]) {
    const v = await mutantVerdict(cross.riscv64.load(), cross.aarch64.load(), 'horner', before!, after!);
    assert.equal(v.kind, 'REFUTED', `${before} -> ${after}: ${JSON.stringify(v)}`);
  }
});
