// Sketch tests: holes (candidates, encodable ranges, substitution) and CEGIS hole filling on real
// gcc output with real Z3. A gold translation is broken in one token, a hole is punched there
// (and sometimes elsewhere), and the sketch must repair the block to a PROVEN verdict under the
// gold relation R; a block that no fill can repair must never come back 'filled'.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Instruction, IsaName, Program, Register } from '../src/ir/program.js';
import { frontEnd, parseAsm, printProgram } from '../src/asm/index.js';
import { createVerifier, type Verifier } from '../src/verify/check.js';
import type { FunctionRelation, PairContext } from '../src/verify/relation.js';
import { type Fill, type Hole, checkHole, currentValue, encodingProblem, fillProgram, immDomain, isLogicalImmediate, opcodeCandidates, opcodeFamily, registerCandidates } from '../src/sketch/holes.js';
import { type SketchOptions, type SketchResult, sketchBlock } from '../src/sketch/cegis.js';
import { Rng } from '../src/util/random.js';
import { buildAsmCorpus } from '../scripts/corpus.js';
import { repoPath } from './helpers/golden.js';

function load<I extends IsaName>(path: string, isa: I): Program<I> {
  const { program, diagnostics } = parseAsm(readFileSync(path, 'latin1'), { isa, file: path.slice(path.lastIndexOf('/') + 1) });
  assert.deepEqual(diagnostics.map((d) => `${d.span.line}: ${d.message}`), [], `${path} must parse cleanly`);
  return program;
}

const insnAt = (p: Program, i: number): Instruction => p.statements[i] as Instruction;
const show = (p: Program, i: number): string => frontEnd(p.isa).printInstruction(insnAt(p, i) as never, true);
const reg = (isa: IsaName, name: string): Register => frontEnd(isa).register(name)!;

/** One parsed instruction, alone in a program (for the hole helpers). */
function one<I extends IsaName>(isa: I, text: string): Program<I> {
  const { program, diagnostics } = parseAsm(`\t${text}\n`, { isa, file: 'one.s' });
  assert.deepEqual(diagnostics, []);
  return program;
}

// ---------------------------------------------------------------------------------------------
// Holes
// ---------------------------------------------------------------------------------------------

test('register holes offer the same file and view, current first', () => {
  const rv = one('riscv64', 'lw a5,-28(s0)');
  const dest = registerCandidates(rv, { kind: 'reg', stmt: 0, operand: 0 });
  assert.equal(dest[0]!.name, 'a5');
  assert.equal(dest.length, 32);
  assert.ok(dest.some((r) => r.name === 'zero'));
  assert.equal(registerCandidates(rv, { kind: 'reg', stmt: 0, operand: 1 })[0]!.name, 's0');
  const fp = registerCandidates(one('riscv64', 'fadd.d fa0,fa1,fa2'), { kind: 'reg', stmt: 0, operand: 1 });
  assert.ok(fp.every((r) => r.file === 'fpr') && fp.length === 32);

  // AArch64 register 31: sp as a base and in add/sub immediate, the zero register elsewhere.
  const base = registerCandidates(one('aarch64', 'ldr w1, [sp, 20]'), { kind: 'reg', stmt: 0, operand: 1 }).map((r) => r.name);
  assert.equal(base[0], 'sp');
  assert.ok(!base.includes('xzr'));
  const w = registerCandidates(one('aarch64', 'ldr w1, [sp, 20]'), { kind: 'reg', stmt: 0, operand: 0 }).map((r) => r.name);
  assert.ok(w.every((n) => n.startsWith('w')) && w.includes('wzr') && !w.includes('wsp'));
  const add = registerCandidates(one('aarch64', 'add x0, x1, 16'), { kind: 'reg', stmt: 0, operand: 1 }).map((r) => r.name);
  assert.ok(add.includes('sp') && !add.includes('xzr'));
});

test('immediate holes are limited to encodable values', () => {
  const lw = one('riscv64', 'lw a5,-28(s0)');
  const off = immDomain(insnAt(lw, 0), 1)!;
  assert.ok(off.contains(-2048n) && off.contains(2047n) && !off.contains(2048n));
  assert.equal(currentValue(lw, { kind: 'imm', stmt: 0, operand: 1 }), -28n);
  const slli = immDomain(insnAt(one('riscv64', 'slli a5,a5,3'), 0), 2)!;
  assert.ok(slli.contains(63n) && !slli.contains(64n) && !slli.contains(-1n));
  const ldr = immDomain(insnAt(one('aarch64', 'ldr x0, [sp, 8]'), 0), 1)!;
  assert.ok(ldr.contains(32760n) && !ldr.contains(32761n) && ldr.contains(-256n) && !ldr.contains(-257n) && ldr.contains(3n));
  const ldp = immDomain(insnAt(one('aarch64', 'ldp x29, x30, [sp], 32'), 0), 2)!;
  assert.ok(ldp.contains(504n) && !ldp.contains(512n) && !ldp.contains(4n));
  assert.ok(isLogicalImmediate(1n, 64) && isLogicalImmediate(0x5555555555555555n, 64) && isLogicalImmediate(-8n, 64) && isLogicalImmediate(0xff00n, 32));
  assert.ok(!isLogicalImmediate(0n, 64) && !isLogicalImmediate(5n, 64) && !isLogicalImmediate(-1n, 32));
  const and = immDomain(insnAt(one('aarch64', 'and x0, x0, 1'), 0), 2)!;
  assert.ok(and.contains(0xffn) && !and.contains(0x101n));
  // Symbols and relocations are not numbers to choose; unknown fields are refused, not guessed.
  assert.match(checkHole(one('riscv64', 'addi a5,a5,%lo(x)'), { kind: 'imm', stmt: 0, operand: 2 })!, /symbolic/);
  assert.match(checkHole(one('riscv64', 'mv a0,a1'), { kind: 'imm', stmt: 0, operand: 1 })!, /not an immediate/);
  assert.equal(checkHole(one('riscv64', 'mv a0,a1'), { kind: 'reg', stmt: 0, operand: 1 }), undefined);
});

test('fills build a new program and print canonically', () => {
  const p = one('riscv64', 'lw a5,-28(s0)');
  const before = printProgram(p);
  const q = fillProgram(p, [
    { hole: { kind: 'imm', stmt: 0, operand: 1 }, value: -24n },
    { hole: { kind: 'reg', stmt: 0, operand: 1 }, value: reg('riscv64', 'sp') },
    { hole: { kind: 'opcode', stmt: 0, alternatives: [] }, value: 'ld' },
  ]);
  assert.equal(printProgram(p), before, 'the input program is not changed');
  assert.notEqual(q.statements, p.statements);
  assert.equal(show(q, 0), 'ld\ta5,-24(sp)');
  // Filling the current value keeps the very same instruction object.
  assert.equal(fillProgram(p, [{ hole: { kind: 'imm', stmt: 0, operand: 1 }, value: -28n }]).statements[0], p.statements[0]);
  // gcc writes a zero AArch64 offset as `[x0]`.
  const a = one('aarch64', 'ldr w0, [x0, 4]');
  assert.equal(show(fillProgram(a, [{ hole: { kind: 'imm', stmt: 0, operand: 1 }, value: 0n }]), 0), 'ldr\tw0, [x0]');
  assert.equal(show(fillProgram(a, [{ hole: { kind: 'imm', stmt: 0, operand: 1 }, value: -4n }]), 0), 'ldr\tw0, [x0, -4]');

  // Opcode holes keep only mnemonics that fit the operands and branch the same way.
  const lw = opcodeCandidates(p, { kind: 'opcode', stmt: 0, alternatives: opcodeFamily('riscv64', 'lw') });
  assert.deepEqual(lw, ['lw', 'lb', 'lh', 'ld', 'lbu', 'lhu', 'lwu']);
  const beq = one('riscv64', 'beq a5,zero,.L3');
  assert.ok(opcodeCandidates(beq, { kind: 'opcode', stmt: 0, alternatives: [...opcodeFamily('riscv64', 'beq'), 'j', 'addi'] }).every((m) => m.startsWith('b')));
  assert.ok(opcodeFamily('aarch64', 'beq').includes('bne'));

  assert.match(encodingProblem(insnAt(one('aarch64', 'ldp x0, x0, [sp, 16]'), 0), [])!, /twice/);
  assert.match(encodingProblem(insnAt(one('riscv64', 'addi a0,a0,4096'), 0), [{ kind: 'imm', stmt: 0, operand: 2 }])!, /signed 12-bit/);
});

// ---------------------------------------------------------------------------------------------
// CEGIS on the gold pair examples/sum.*.s
// ---------------------------------------------------------------------------------------------

interface Gold {
  readonly v: Verifier;
  readonly source: Program;
  readonly target: Program;
  readonly ctx: PairContext;
  readonly rel: FunctionRelation;
}

let verifier: Promise<Verifier> | undefined;
const golds = new Map<string, Promise<Gold>>();

/** The gold pair, its R, and the block verdicts (all must be PROVEN for the tests to mean anything). */
function gold(sourceIsa: IsaName, targetIsa: IsaName): Promise<Gold> {
  const key = `${sourceIsa}->${targetIsa}`;
  let g = golds.get(key);
  if (!g) {
    g = (async () => {
      verifier ??= createVerifier();
      const v = await verifier;
      const source = load(repoPath(`examples/sum.${sourceIsa}.s`), sourceIsa);
      const target = load(repoPath(`examples/sum.${targetIsa}.s`), targetIsa);
      const ctx = v.pairContexts(source, target).pairs.find((p) => p.name === 'sum')!;
      const { report, relation } = await v.checkFunction(ctx);
      assert.deepEqual(report.blocks.map((b) => b.verdict.kind), report.blocks.map(() => 'PROVEN'), 'the gold pair is proven');
      return { v, source, target, ctx, rel: relation };
    })();
    golds.set(key, g);
  }
  return g;
}

/** Target statement `k` of the target block paired with source block `bs`. */
const stmtOf = (g: Gold, bs: number, k: number): number => g.ctx.target.cfg.blocks[g.ctx.matching.pairs.get(bs)!]!.instructions[k]!;

/** Breaks the gold target with `mutations`, punches `holes` into the broken program and sketches. */
async function repair(g: Gold, bs: number, mutations: readonly Fill[], holes: readonly Hole[], opts: SketchOptions = {}): Promise<{ broken: Program; result: SketchResult }> {
  const broken = fillProgram(g.target, mutations);
  for (const m of mutations) assert.notEqual(show(broken, m.hole.stmt), show(g.target, m.hole.stmt), 'the mutation changes the instruction');
  const ctx = g.v.pairContexts(g.source, broken).pairs.find((p) => p.name === 'sum')!;
  const before = await g.v.checkBlock(ctx, g.rel, bs);
  assert.equal(before.kind, 'REFUTED', 'the broken block is refuted');
  const result = await sketchBlock(g.v, ctx, g.rel, bs, holes, { seed: 3, ...opts });
  return { broken, result };
}

/** The result is a fill whose block is PROVEN, also when checked again from scratch. */
async function assertProven(g: Gold, bs: number, result: SketchResult): Promise<Program> {
  assert.equal(result.status, 'filled', result.status === 'filled' ? '' : result.reason);
  if (result.status !== 'filled') throw new Error('unreachable');
  assert.equal(result.verdict.kind, 'PROVEN');
  for (const f of result.fills) {
    const insn = insnAt(result.program, f.hole.stmt);
    assert.equal(encodingProblem(insn, [f.hole]), undefined, `${f.instruction} is encodable`);
    assert.equal(f.instruction, show(result.program, f.hole.stmt));
  }
  const again = g.v.pairContexts(g.source, result.program).pairs.find((p) => p.name === 'sum')!;
  assert.equal((await g.v.checkBlock(again, g.rel, bs, { seed: 11, timeoutMs: 8000 })).kind, 'PROVEN');
  return result.program;
}

test('a wrong memory offset is repaired to the original (RISC-V target)', async () => {
  const g = await gold('aarch64', 'riscv64');
  const lw = stmtOf(g, 1, 0);
  assert.equal(show(g.target, lw), 'lw\ta5,-28(s0)');
  const hole: Hole = { kind: 'imm', stmt: lw, operand: 1 };
  const { broken, result } = await repair(g, 1, [{ hole, value: -24n }], [hole]);
  const repaired = await assertProven(g, 1, result);
  assert.equal(show(repaired, lw), 'lw\ta5,-28(s0)');
  assert.equal(printProgram(repaired), printProgram(g.target), 'the whole program is the gold one again');
  assert.equal(show(broken, lw), 'lw\ta5,-24(s0)', 'the broken program is not changed');
  assert.ok(result.iterations >= 1 && result.iterations <= 3);
});

test('the broken hole plus two more holes in the block', async () => {
  const g = await gold('aarch64', 'riscv64');
  const [lw, slli] = [stmtOf(g, 1, 0), stmtOf(g, 1, 1)];
  const hole: Hole = { kind: 'imm', stmt: lw, operand: 1 };
  const holes: Hole[] = [hole, { kind: 'reg', stmt: slli, operand: 1 }, { kind: 'imm', stmt: slli, operand: 2 }];
  const { result } = await repair(g, 1, [{ hole, value: -24n }], holes);
  const repaired = await assertProven(g, 1, result);
  assert.equal(show(repaired, lw), 'lw\ta5,-28(s0)');
  assert.equal(show(repaired, slli), 'slli\ta5,a5,3');
});

test('wrong registers, immediates and mnemonics are repaired', async (t) => {
  const g = await gold('aarch64', 'riscv64');
  const cases: { name: string; bs: number; k: number; hole: (stmt: number) => Hole; value: Fill['value'] }[] = [
    { name: 'load destination', bs: 1, k: 2, hole: (stmt) => ({ kind: 'reg', stmt, operand: 0 }), value: reg('riscv64', 'a3') },
    { name: 'memory base', bs: 0, k: 3, hole: (stmt) => ({ kind: 'reg', stmt, operand: 1 }), value: reg('riscv64', 'sp') },
    { name: 'addiw immediate', bs: 3, k: 1, hole: (stmt) => ({ kind: 'imm', stmt, operand: 2 }), value: 2n },
    { name: 'shift amount', bs: 2, k: 1, hole: (stmt) => ({ kind: 'imm', stmt, operand: 2 }), value: 2n },
    { name: 'store offset', bs: 2, k: 7, hole: (stmt) => ({ kind: 'imm', stmt, operand: 1 }), value: -16n },
    { name: 'load mnemonic', bs: 1, k: 0, hole: (stmt) => ({ kind: 'opcode', stmt, alternatives: opcodeFamily('riscv64', 'lhu') }), value: 'lhu' },
    { name: 'branch mnemonic', bs: 4, k: 5, hole: (stmt) => ({ kind: 'opcode', stmt, alternatives: opcodeFamily('riscv64', 'bge') }), value: 'bge' },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const stmt = stmtOf(g, c.bs, c.k);
      const hole = c.hole(stmt);
      const { result } = await repair(g, c.bs, [{ hole, value: c.value } as Fill], [hole]);
      const repaired = await assertProven(g, c.bs, result);
      assert.equal(show(repaired, stmt), show(g.target, stmt));
    });
  }
});

test('holes that change the frame: the prologue and the epilogue', async () => {
  const g = await gold('aarch64', 'riscv64');
  const [sp, s0] = [stmtOf(g, 0, 0), stmtOf(g, 0, 2)];
  assert.equal(show(g.target, sp), 'addi\tsp,sp,-48');
  const holes: Hole[] = [{ kind: 'imm', stmt: sp, operand: 2 }, { kind: 'imm', stmt: s0, operand: 2 }];
  const { result } = await repair(g, 0, [{ hole: holes[0]!, value: -32n } as Fill, { hole: holes[1]!, value: 32n } as Fill], holes);
  const repaired = await assertProven(g, 0, result);
  assert.equal(printProgram(repaired), printProgram(g.target));

  const restore = stmtOf(g, 5, 3);
  assert.equal(show(g.target, restore), 'addi\tsp,sp,48');
  const hole: Hole = { kind: 'imm', stmt: restore, operand: 2 };
  const epilogue = await repair(g, 5, [{ hole, value: 32n }], [hole]);
  assert.equal(show(await assertProven(g, 5, epilogue.result), restore), 'addi\tsp,sp,48');
});

test('an AArch64 target (RISC-V source)', async () => {
  const g = await gold('riscv64', 'aarch64');
  const ldr = stmtOf(g, 4, 0);
  assert.equal(show(g.target, ldr), 'ldr\tw1, [sp, 20]');
  const holes: Hole[] = [{ kind: 'imm', stmt: ldr, operand: 1 }, { kind: 'reg', stmt: ldr, operand: 1 }];
  const { result } = await repair(g, 4, [{ hole: holes[0]!, value: 24n } as Fill], holes);
  const repaired = await assertProven(g, 4, result);
  assert.equal(show(repaired, ldr), 'ldr\tw1, [sp, 20]');
});

test('no fill of the holes can repair a wrong mnemonic that is not a hole', async () => {
  const g = await gold('aarch64', 'riscv64');
  const lw = stmtOf(g, 1, 0);
  const mnemonic: Fill = { hole: { kind: 'opcode', stmt: lw, alternatives: [] }, value: 'lhu' };
  // Registers only: the space is small enough to exhaust.
  const regs: Hole[] = [{ kind: 'reg', stmt: lw, operand: 0 }, { kind: 'reg', stmt: lw, operand: 1 }];
  const exhausted = await repair(g, 1, [mnemonic], regs);
  assert.equal(exhausted.result.status, 'no-solution', exhausted.result.status === 'no-solution' ? '' : JSON.stringify(exhausted.result.status));
  assert.equal(exhausted.result.candidates, 32 * 32);
  // With an immediate too the sweep is long: running out of time is fine, a fill is not.
  const bounded = await repair(g, 1, [mnemonic], [{ kind: 'imm', stmt: lw, operand: 1 }, regs[0]!], { timeoutMs: 2500 });
  assert.ok(bounded.result.status === 'no-solution' || bounded.result.status === 'timeout', bounded.result.status);
});

test('holes that cannot be searched are refused', async () => {
  const g = await gold('aarch64', 'riscv64');
  const outside: Hole = { kind: 'imm', stmt: stmtOf(g, 2, 0), operand: 1 };
  const r1 = await sketchBlock(g.v, g.ctx, g.rel, 1, [outside]);
  assert.equal(r1.status, 'unsupported');
  const label = g.ctx.target.cfg.blocks[1]!.instructions[0]! - 1;
  const r2 = await sketchBlock(g.v, g.ctx, g.rel, 1, [{ kind: 'reg', stmt: label, operand: 0 }]);
  assert.equal(r2.status, 'unsupported');
  // A hole in an already correct block is filled with what is there.
  const r3 = await sketchBlock(g.v, g.ctx, g.rel, 1, [{ kind: 'imm', stmt: stmtOf(g, 1, 0), operand: 1 }]);
  assert.equal(r3.status, 'filled');
  if (r3.status === 'filled') assert.deepEqual(r3.fills.map((f) => f.changed), [false]);
});

test('a register that decides the way out: `jr a3` is repaired to a return', async () => {
  const g = await gold('aarch64', 'riscv64');
  const jr = stmtOf(g, 5, 4);
  assert.equal(show(g.target, jr), 'jr\tra');
  const hole: Hole = { kind: 'reg', stmt: jr, operand: 0 };
  const broken = fillProgram(g.target, [{ hole, value: reg('riscv64', 'a3') }]);
  const ctx = g.v.pairContexts(g.source, broken).pairs.find((p) => p.name === 'sum')!;
  // As broken, the block ends in an indirect jump the verifier cannot follow.
  assert.equal((await g.v.checkBlock(ctx, g.rel, 5)).kind, 'UNSUPPORTED');
  const result = await sketchBlock(g.v, ctx, g.rel, 5, [hole], { seed: 3 });
  assert.equal(show(await assertProven(g, 5, result), jr), 'jr\tra');
});

// ---------------------------------------------------------------------------------------------
// The gcc -O0 corpus
// ---------------------------------------------------------------------------------------------

test('broken memory offsets in gcc -O0 fixtures are repaired to PROVEN', { timeout: 120_000 }, async (t) => {
  const corpus = await buildAsmCorpus({ csmithSeeds: [], fixtures: true, configs: [{ opt: 'O0', debug: false }] });
  const file = (isa: IsaName, name: string) => corpus.find((f) => f.isa === isa && f.name === `fixture-${name}`);
  const v = await (verifier ??= createVerifier());
  const rng = new Rng(2024);
  let repaired = 0;
  for (const name of ['loops', 'bit_tricks']) {
    const fs = file('aarch64', name);
    const ft = file('riscv64', name);
    if (!fs || !ft) {
      t.skip(`fixture ${name} did not compile`);
      continue;
    }
    const source = load(fs.path, 'aarch64');
    const target = load(ft.path, 'riscv64');
    for (const ctx of v.pairContexts(source, target).pairs.slice(0, 2)) {
      const { report, relation } = await v.checkFunction(ctx);
      // Blocks proven in the gold pair, with a frame access whose offset can be broken. Blocks
      // whose proof takes long (a multiplication, say) are left out: Z3 timeouts depend on the
      // machine's load, and this test is about the search, not the solver.
      const sites: { bs: number; stmt: number }[] = [];
      for (const [bs, bt] of ctx.matching.pairs) {
        if (report.blocks[bs]!.verdict.kind !== 'PROVEN' || report.blocks[bs]!.ms > 300) continue;
        for (const stmt of ctx.target.cfg.blocks[bt]!.instructions) {
          const insn = insnAt(target, stmt);
          if (/^[ls][wd]$/.test(insn.mnemonic) && insn.operands[1]?.kind === 'mem' && insn.operands[1].base.id === 's0') sites.push({ bs, stmt });
        }
      }
      for (let n = 0; n < 2 && sites.length > 0; n++) {
        const { bs, stmt } = sites.splice(rng.int(sites.length), 1)[0]!;
        const hole: Hole = { kind: 'imm', stmt, operand: 1 };
        const broken = fillProgram(target, [{ hole, value: currentValue(target, hole) + 4n }]);
        const bctx = v.pairContexts(source, broken).pairs.find((p) => p.name === ctx.name)!;
        if ((await v.checkBlock(bctx, relation, bs)).kind !== 'REFUTED') continue; // an unchecked slot (a register save)
        const result = await sketchBlock(v, bctx, relation, bs, [hole, { kind: 'reg', stmt, operand: 0 }], { seed: 5, timeoutMs: 10_000, proofTimeoutMs: 8000 });
        const where = `${name}:${ctx.name} block ${bs}: ${show(broken, stmt)}`;
        assert.equal(result.status, 'filled', `${where}: ${result.status === 'filled' ? '' : result.reason}`);
        if (result.status !== 'filled') continue;
        const again = v.pairContexts(source, result.program).pairs.find((p) => p.name === ctx.name)!;
        assert.equal((await v.checkBlock(again, relation, bs, { timeoutMs: 8000 })).kind, 'PROVEN', where);
        repaired++;
      }
    }
  }
  if (corpus.length > 0) assert.ok(repaired >= 4, `repaired ${repaired} blocks`);
});

test('constant data read under a path context (float_math newton_sqrt)', async (t) => {
  const corpus = await buildAsmCorpus({ csmithSeeds: [], fixtures: true, configs: [{ opt: 'O0', debug: false }] });
  const fs = corpus.find((f) => f.isa === 'aarch64' && f.name === 'fixture-float_math');
  const ft = corpus.find((f) => f.isa === 'riscv64' && f.name === 'fixture-float_math');
  if (!fs || !ft) return t.skip('float_math did not compile');
  const v = await (verifier ??= createVerifier());
  const source = load(fs.path, 'aarch64');
  const target = load(ft.path, 'riscv64');
  const ctx = v.pairContexts(source, target).pairs.find((p) => p.name === 'newton_sqrt')!;
  const { relation } = await v.checkFunction(ctx);
  // The block `fld fa4,-40(s0); lla a5,.LC2; fld fa5,0(a5); fgt.d a5,fa4,fa5; beq ...` is reached
  // through one predecessor; its states start there, and must still see .LC2's 1.0 in memory.
  const bs = [...ctx.matching.pairs].find(([, bt]) => ctx.target.cfg.blocks[bt]!.instructions.some((i) => show(target, i) === 'lla\ta5,.LC2'))![0];
  const bt = ctx.matching.pairs.get(bs)!;
  const [, lla, , fgt] = ctx.target.cfg.blocks[bt]!.instructions as number[];
  assert.equal(show(target, fgt!), 'fgt.d\ta5,fa4,fa5');
  const holes: Hole[] = [{ kind: 'reg', stmt: lla!, operand: 0 }, { kind: 'reg', stmt: fgt!, operand: 0 }];
  const broken = fillProgram(target, [{ hole: holes[1]!, value: reg('riscv64', 's11') } as Fill]);
  const bctx = v.pairContexts(source, broken).pairs.find((p) => p.name === 'newton_sqrt')!;
  const result = await sketchBlock(v, bctx, relation, bs, holes, { seed: 3, proofTimeoutMs: 8000 });
  assert.equal(result.status, 'filled', result.status === 'filled' ? '' : result.reason);
  if (result.status === 'filled') assert.equal(show(result.program, fgt!), 'fgt.d\ta5,fa4,fa5');
});
