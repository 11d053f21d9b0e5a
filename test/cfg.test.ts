// CFG tests: golden listings of hand-checked functions for both ISAs, and properties that must
// hold on every function of the compiled corpus (coverage of instructions, branch targets,
// successors that agree with the instruction table, liveness at a fixpoint).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { Instruction, IsaName, Program } from '../src/ir/program.js';
import { frontEnd, parseAsm } from '../src/asm/index.js';
import { blockUseDef, buildCfgs, callee, describeOnce, NORETURN_FUNCTIONS, type FunctionCfg } from '../src/cfg/cfg.js';
import { exprSymbols } from '../src/ir/expr.js';
import { renderCfgText } from '../src/cfg/render.js';
import { isDescribeError } from '../src/isa/types.js';
import { buildAsmCorpus } from '../scripts/corpus.js';
import { expectGolden, repoPath } from './helpers/golden.js';

const goldenDir = repoPath('test/golden/cfg');

function load(path: string, isa: IsaName): Program {
  const { program, diagnostics } = parseAsm(readFileSync(path, 'latin1'), { isa, file: path.slice(path.lastIndexOf('/') + 1) });
  assert.deepEqual(diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.message}`), [], `${path} must parse cleanly`);
  return program;
}

// ---------------------------------------------------------------------------------------------
// Golden listings
// ---------------------------------------------------------------------------------------------

const goldenInputs = readdirSync(goldenDir).filter((f) => f.endsWith('.s')).sort();

test('at least 10 hand-checked CFG goldens per ISA', () => {
  for (const isa of ['aarch64', 'riscv64']) {
    assert.ok(goldenInputs.filter((f) => f.endsWith(`.${isa}.s`)).length >= 10, isa);
  }
});

for (const file of goldenInputs) {
  test(`CFG golden ${file}`, () => {
    const isa = file.split('.').at(-2) as IsaName;
    const program = load(`${goldenDir}/${file}`, isa);
    expectGolden(`${goldenDir}/${file.replace(/\.s$/, '.blocks.txt')}`, renderCfgText(program, buildCfgs(program, frontEnd(isa))));
  });
}

// Specific facts checked by hand, so a wrong golden cannot be blessed unnoticed.
test('CFG facts: RISC-V jump table, AArch64 loop and calls', () => {
  const sw = load(`${goldenDir}/switch.riscv64.s`, 'riscv64');
  const [f] = buildCfgs(sw, frontEnd('riscv64'));
  assert.ok(f);
  const jr = f.blocks.find((b) => b.terminator === 'ijump');
  assert.ok(jr, 'the switch dispatch ends in an indirect jump');
  const caseLabels = jr.successors.flatMap((s) => f.blocks[s]!.labels).sort();
  assert.deepEqual(caseLabels, ['.L3', '.L5', '.L6', '.L7', '.L8', '.L9']);
  assert.ok(f.blocks.filter((b) => b.exit === 'tailcall').length >= 6, 'each case tail-calls');

  const loop = load(`${goldenDir}/loop.aarch64.s`, 'aarch64');
  const [g] = buildCfgs(loop, frontEnd('aarch64'));
  assert.ok(g);
  const header = g.blocks.find((b) => b.labels.includes('.L2'));
  const body = g.blocks.find((b) => b.labels.includes('.L3'));
  assert.ok(header && body);
  assert.ok(header.successors.includes(body.index), 'loop header branches back to the body');
  assert.ok(g.blocks[0]!.liveIn.includes('x0') && g.blocks[0]!.liveIn.includes('x1'), 'arguments are live at entry');

  const call = load(`${goldenDir}/call.aarch64.s`, 'aarch64');
  const [h] = buildCfgs(call, frontEnd('aarch64'));
  assert.ok(h);
  assert.ok(h.blocks.filter((b) => b.terminator === 'call').length === 2, 'two calls end two blocks');

  const nr = load(`${goldenDir}/noreturn.riscv64.s`, 'riscv64');
  const [k] = buildCfgs(nr, frontEnd('riscv64'));
  assert.ok(k);
  const abortBlock = k.blocks.find((b) => b.terminator === 'call');
  assert.equal(abortBlock?.exit, 'noreturn-call', 'abort() does not return');
  assert.deepEqual(abortBlock?.successors, []);
});

// ---------------------------------------------------------------------------------------------
// Properties over the corpus
// ---------------------------------------------------------------------------------------------

/** Checks the CFG invariants of one program; returns a description of the first violation. */
function checkInvariants<I extends IsaName>(program: Program<I>, cfgs: readonly FunctionCfg[]): string | undefined {
  const fe = frontEnd(program.isa);
  const st = program.statements;
  const owner = new Map<number, string>();
  for (const c of cfgs) {
    for (const b of c.blocks) {
      for (const i of b.instructions) {
        if (owner.has(i)) return `statement ${i} (line ${st[i]!.span.line}) is in two blocks`;
        owner.set(i, `${c.name}/B${b.index}`);
      }
    }
  }
  for (let i = 0; i < st.length; i++) {
    if (st[i]!.kind === 'insn' && !owner.has(i)) return `instruction at line ${st[i]!.span.line} is in no block`;
  }
  const definedLabels = new Set(st.filter((s) => s.kind === 'label').map((s) => (s as { name: string }).name));
  for (const c of cfgs) {
    const blockOf = new Map<string, number>();
    c.blocks.forEach((b) => b.labels.forEach((l) => blockOf.set(l, b.index)));
    for (const b of c.blocks) {
      const lastIdx = b.instructions[b.instructions.length - 1];
      const last = lastIdx === undefined ? undefined : (st[lastIdx] as Instruction<I>);
      const info = last ? describeOnce(fe, last) : undefined;
      const control = info && !isDescribeError(info) ? info.control : 'none';
      // Control flow only at block ends.
      for (const i of b.instructions.slice(0, -1)) {
        const d = describeOnce(fe, st[i] as Instruction<I>);
        if (!isDescribeError(d) && d.control !== 'none') return `${c.name}/B${b.index}: control transfer in the middle of a block (line ${st[i]!.span.line})`;
      }
      const next = b.index + 1 < c.blocks.length ? b.index + 1 : undefined;
      const target = info && !isDescribeError(info) && info.target ? exprSymbols(info.target)[0] : undefined;
      const local = target !== undefined && definedLabels.has(target) && blockOf.has(target) ? blockOf.get(target) : undefined;
      if (target !== undefined && definedLabels.has(target) && !/^[0-9]/.test(target) && local === undefined && !program.functions.some((f) => f.name === target)) {
        return `${c.name}/B${b.index}: branch target ${target} does not start a block`;
      }
      let expected: number[] | undefined;
      switch (control) {
        case 'call':
          expected = next === undefined || NORETURN_FUNCTIONS.has(callee(info && !isDescribeError(info) ? info.target : undefined) ?? '') ? [] : [next];
          break;
        case 'none':
        case 'icall':
          expected = next === undefined ? [] : [next];
          break;
        case 'jump':
          expected = local === undefined ? [] : [local];
          break;
        case 'cbranch':
          expected = [...new Set([...(local === undefined ? [] : [local]), ...(next === undefined ? [] : [next])])];
          break;
        case 'ret':
        case 'tailcall':
        case 'trap':
          expected = [];
          break;
        case 'ijump':
          expected = undefined; // jump-table targets; only their existence is checked
          if (b.successors.length === 0 && b.exit !== 'unknown-indirect') return `${c.name}/B${b.index}: indirect jump without targets or unknown exit`;
          break;
      }
      if (expected && !/^[0-9]+[bf]$/.test(target ?? '') && JSON.stringify([...b.successors].sort()) !== JSON.stringify([...expected].sort())) {
        return `${c.name}/B${b.index}: successors ${JSON.stringify(b.successors)} but the table implies ${JSON.stringify(expected)} (${control})`;
      }
      // Liveness equations hold exactly at the fixpoint.
      const { use, def } = blockUseDef(b, program, fe);
      const out = new Set(b.successors.flatMap((s) => c.blocks[s]!.liveIn));
      const inn = new Set([...use, ...[...out].filter((r) => !def.has(r))]);
      if (JSON.stringify([...out].sort()) !== JSON.stringify([...b.liveOut].sort())) return `${c.name}/B${b.index}: live-out is not the union of successors' live-in`;
      if (JSON.stringify([...inn].sort()) !== JSON.stringify([...b.liveIn].sort())) return `${c.name}/B${b.index}: live-in is not use ∪ (out − def)`;
    }
  }
  return undefined;
}

test('CFG properties hold on every function of the corpus', { timeout: 900_000 }, async () => {
  const seeds = Number(process.env['GNS_CFG_SEEDS'] ?? 200);
  const corpus = await buildAsmCorpus({ csmithSeeds: Array.from({ length: seeds }, (_, i) => i + 1), fixtures: true });
  assert.ok(corpus.length > 0);
  let functions = 0;
  let blocks = 0;
  const failures: string[] = [];
  for (const f of corpus) {
    const { program } = parseAsm(readFileSync(f.path, 'latin1'), { isa: f.isa, file: f.path });
    const cfgs = buildCfgs(program, frontEnd(f.isa));
    functions += cfgs.length;
    blocks += cfgs.reduce((n, c) => n + c.blocks.length, 0);
    const problem = checkInvariants(program, cfgs);
    if (problem) failures.push(`${f.path}: ${problem}`);
  }
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} files violate CFG invariants`);
  console.log(`CFG properties: ${corpus.length} files, ${functions} functions, ${blocks} blocks`);
});
