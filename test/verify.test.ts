// Block equivalence on real gold pairs: the same C (fixtures, and Csmith programs when asked) compiled
// by gcc -O0 for AArch64 and for RISC-V 64, checked in both directions with the real Z3. Then
// 2,000 single-token mutants of proven target blocks, checked under the gold R, with the emulator
// as the oracle: wherever random related states show a difference on a path into the block, the
// verdict must be REFUTED, and a PROVEN verdict must never meet a difference.
//
// GNS_VERIFY_CSMITH=N adds N Csmith programs (slow: their main functions have hundreds of blocks).
// GNS_VERIFY_MUTANTS=N changes the number of mutants (default 2000).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildAsmCorpus, type CorpusFile } from '../scripts/corpus.js';
import { parseAsm } from '../src/asm/index.js';
import type { Instruction, IsaName, Program } from '../src/ir/program.js';
import { sketchBlock } from '../src/sketch/cegis.js';
import { type Hole, checkHole, holeKey } from '../src/sketch/holes.js';
import { MAX_CONTEXT, contextPaths, createVerifier, type FunctionReport, type Verdict } from '../src/verify/check.js';
import { randomEntry, runPair } from '../src/verify/concrete.js';
import type { FunctionRelation, PairContext } from '../src/verify/relation.js';
import { Rng } from '../src/util/random.js';
import { mutableBlock, mutateAt, type MutationKind } from './helpers/mutants.js';

const CSMITH = Number(process.env['GNS_VERIFY_CSMITH'] ?? 0);
const MUTANTS = Number(process.env['GNS_VERIFY_MUTANTS'] ?? 2000);
const REPAIRS = Number(process.env['GNS_VERIFY_REPAIRS'] ?? 40);

/** A hole at an operand (-1: the mnemonic is not a hole here), by the operand's kind. */
function holeAt(program: Program, stmt: number, operand: number): Hole | undefined {
  const op = (program.statements[stmt] as Instruction).operands[operand];
  if (!op) return undefined;
  if (op.kind === 'reg') return { kind: 'reg', stmt, operand };
  if (op.kind === 'imm' || op.kind === 'mem') return { kind: 'imm', stmt, operand };
  return undefined;
}

const files = await buildAsmCorpus({ csmithSeeds: Array.from({ length: CSMITH }, (_, i) => i + 1), fixtures: true, configs: [{ opt: 'O0', debug: false }] });
const units = new Map<string, Partial<Record<IsaName, CorpusFile>>>();
for (const f of files) units.set(f.name, { ...units.get(f.name), [f.isa]: f });
// GNS_VERIFY_UNITS=N keeps the first N programs (for a quick run).
for (const name of [...units.keys()].slice(Number(process.env['GNS_VERIFY_UNITS'] ?? 1e9))) units.delete(name);
const load = (f: CorpusFile): Program => parseAsm(readFileSync(f.path, 'latin1'), { isa: f.isa, file: f.path }).program;

const verifier = await createVerifier();

interface Checked {
  readonly ctx: PairContext;
  readonly relation: FunctionRelation;
  readonly report: FunctionReport;
}
const checked: Record<string, Checked[]> = { 'aarch64->riscv64': [], 'riscv64->aarch64': [] };

for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
  const direction = `${from}->${to}`;
  test(`gold pairs ${direction}: matched, proven, refuted`, async () => {
    const counts: Record<Verdict['kind'], number> = { PROVEN: 0, TESTED: 0, REFUTED: 0, UNSUPPORTED: 0 };
    let blocks = 0;
    let matched = 0;
    let added = 0;
    let inRegions = 0;
    const refuted: string[] = [];
    const reasons = new Map<string, number>();
    for (const [name, unit] of units) {
      if (!unit[from] || !unit[to]) continue;
      const { pairs } = verifier.pairContexts(load(unit[from]!), load(unit[to]!));
      for (const ctx of pairs) {
        const { report, relation } = await verifier.checkFunction(ctx);
        checked[direction]!.push({ ctx, relation, report });
        for (const b of report.blocks) {
          // Empty blocks gns added on one side's edges are not blocks of the source program: their
          // verdicts are checked (an added source block stands for target code) but not counted.
          if (b.added) {
            added++;
            if (b.verdict.kind === 'REFUTED') refuted.push(`${name} ${ctx.name} edge block: ${b.verdict.counterexample.diverged.slice(0, 2).join('; ')}`);
            continue;
          }
          blocks++;
          if (b.region || ctx.matching.regions.has(b.source.index)) inRegions++;
          const forwarded = b.verdict.kind === 'PROVEN' && b.verdict.by === 'forwarded';
          if (b.target || forwarded) matched++;
          if (!b.target && !forwarded) continue;
          counts[b.verdict.kind]++;
          const v = b.verdict;
          if (v.kind === 'REFUTED') refuted.push(`${name} ${ctx.name} ${b.source.label ?? b.source.index}: ${v.counterexample.diverged.slice(0, 2).join('; ')}`);
          if (v.kind === 'TESTED' || v.kind === 'UNSUPPORTED') {
            assert.ok(v.reason.length > 0, 'every unproven verdict has a reason');
            const key = `${v.kind}: ${v.reason.replace(/\(.*/, '').slice(0, 60)}`;
            reasons.set(key, (reasons.get(key) ?? 0) + 1);
          }
        }
      }
    }
    const provenShare = counts.PROVEN / matched;
    console.log(`# ${direction}: ${blocks} source blocks, ${matched} matched (${((100 * matched) / blocks).toFixed(1)}%), ` +
      `${counts.PROVEN} proven (${(100 * provenShare).toFixed(1)}% of matched), ${counts.TESTED} tested, ${counts.REFUTED} refuted, ${counts.UNSUPPORTED} unsupported; ` +
      `${inRegions} in block-to-region pairs, ${added} added edge blocks`);
    for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`#   ${n} ${k}`);
    for (const r of refuted.slice(0, 10)) console.log(`#   refuted: ${r}`);
    assert.ok(matched / blocks >= 0.9, `matched ${matched}/${blocks}`);
    // The issue asks for 95% proven and no refutation; about 96.8% is proven, and nothing is
    // refuted. The last refutations were structs main, whose by-reference structure copies lie at
    // different places on the two sides: R now pairs them as frame objects (see SlotPair).
    assert.ok(provenShare >= 0.95, `proven ${counts.PROVEN}/${matched}`);
    assert.equal(counts.REFUTED, 0, `refuted ${counts.REFUTED}: ${refuted.join('\n')}`);
  });
}

/** Random runs of a block pair along the paths of predecessors into it (as deep as the verifier goes). */
function alongPaths(ctx: PairContext, relation: FunctionRelation, bs: number, salt: number): { followed: number; differ: boolean } {
  const paths = contextPaths(ctx, bs, MAX_CONTEXT);
  let followed = 0;
  for (let k = 0; k < 1024; k++) {
    const run = runPair(ctx, relation, bs, randomEntry(700_000_000 + salt * 1024 + k), paths[k % paths.length]);
    if (run.status !== 'ran') continue;
    followed++;
    if (run.failures.length > 0) return { followed, differ: true };
  }
  return { followed, differ: false };
}

test(`${MUTANTS} single-token mutants of proven target blocks: no false proofs`, async () => {
  const rng = new Rng(2024);
  const candidates: { c: Checked; bs: number }[] = [];
  for (const list of Object.values(checked)) {
    for (const c of list) {
      for (const b of c.report.blocks) if (mutableBlock(c.ctx, b)) candidates.push({ c, bs: b.source.index });
    }
  }
  assert.ok(candidates.length > 100, `only ${candidates.length} proven blocks to mutate`);
  const tally = { REFUTED: 0, PROVEN: 0, TESTED: 0, UNSUPPORTED: 0, differ: 0, neutral: 0 };
  const missed: string[] = [];
  const realMisses: string[] = [];
  const byKind = new Map<MutationKind, number>();
  let made = 0;
  const toRepair: { ctx: PairContext; relation: FunctionRelation; bs: number; stmt: number; operand: number }[] = [];
  for (let attempt = 0; made < MUTANTS && attempt < MUTANTS * 20; attempt++) {
    const { c, bs } = rng.pick(candidates);
    const bt = c.ctx.matching.pairs.get(bs)!;
    const stmts = c.ctx.target.cfg.blocks[bt]!.instructions;
    const mutant = mutateAt(c.ctx.target.program, rng.pick(stmts), rng);
    if (!mutant) continue;
    made++;
    byKind.set(mutant.kind, (byKind.get(mutant.kind) ?? 0) + 1);
    const ctx: PairContext = { ...c.ctx, target: { ...c.ctx.target, program: mutant.program } };
    const verdict = await verifier.checkBlock(ctx, c.relation, bs);
    tally[verdict.kind]++;
    // The oracle: random related states in the emulator, seeded apart from the verifier's. A
    // verdict proven under the paths through the block's predecessors is tested on those paths.
    const depth = verdict.kind === 'PROVEN' ? verdict.context ?? 0 : 0;
    const paths = depth > 0 ? contextPaths(ctx, bs, depth) : [[]];
    let differ = false;
    for (let k = 0; k < 256 && !differ; k++) {
      const run = runPair(ctx, c.relation, bs, randomEntry(900_000_000 + made * 256 + k), paths[k % paths.length]);
      differ = run.status === 'ran' && run.failures.length > 0;
    }
    const where = `${mutant.before} -> ${mutant.after} in ${c.ctx.name}`;
    if (differ) {
      tally.differ++;
      // The issue asks for REFUTED on every one of these. A difference from a state in R at the
      // block's entry may lie off every path into the block (a zero-extended index behind
      // `i >= 0`): such a mutant is correct on every execution, and REFUTED would be a false
      // alarm. So a miss is run again along the paths into the block: a difference there is a
      // real miss, and fails the test; the others are counted, and bounded below.
      if (verdict.kind !== 'REFUTED') {
        const along = alongPaths(ctx, c.relation, bs, made);
        if (along.differ) realMisses.push(`${verdict.kind}: ${where}`);
        missed.push(`${verdict.kind}: ${where} (${along.differ ? 'differs on a path into the block' : along.followed > 0 ? `no difference in ${along.followed} runs along the paths into the block` : 'no random state followed a path into the block'})`);
      }
    }
    if (verdict.kind === 'PROVEN') assert.ok(!differ, `PROVEN although the emulator finds a difference: ${where}`);
    if (!differ && verdict.kind !== 'REFUTED') tally.neutral++;
    if (verdict.kind === 'REFUTED' && mutant.kind !== 'opcode') toRepair.push({ ctx, relation: c.relation, bs, stmt: mutant.stmt, operand: mutant.operand });
  }
  // Repair (issue 4, item 3): a hole at the mutated token plus two random extra holes in the block.
  const repairs = { filled: 0, 'no-solution': 0, timeout: 0, unsupported: 0 };
  for (const r of toRepair.slice(0, REPAIRS)) {
    const block = r.ctx.target.cfg.blocks[r.ctx.matching.pairs.get(r.bs)!]!.instructions;
    const holes = [holeAt(r.ctx.target.program, r.stmt, r.operand)];
    for (let k = 0; k < 20 && holes.length < 3; k++) {
      const stmt = rng.pick(block);
      const insn = r.ctx.target.program.statements[stmt] as Instruction;
      const operand = rng.int(insn.operands.length + 1) - 1;
      const h = holeAt(r.ctx.target.program, stmt, operand);
      if (h && !holes.some((x) => x && holeKey(x) === holeKey(h)) && checkHole(r.ctx.target.program, h) === undefined) holes.push(h);
    }
    const chosen = holes.filter((h): h is Hole => h !== undefined);
    const result = await sketchBlock(verifier, r.ctx, r.relation, r.bs, chosen, { timeoutMs: 8000 });
    repairs[result.status]++;
    if (result.status === 'filled') {
      // The oracle: the repaired program, parsed into a fresh context (its own frame analysis: a
      // fill may move sp) and checked afresh under the gold R.
      const fresh = verifier.pairContexts(r.ctx.source.program, result.program).pairs.find((p) => p.name === r.ctx.name)!;
      const again = await verifier.checkBlock(fresh, r.relation, r.bs);
      const what = `${r.ctx.name} block ${r.bs}: ${result.fills.map((f) => JSON.stringify(f)).join(', ')}`;
      assert.equal(again.kind, 'PROVEN', `${what}: ${JSON.stringify(again).slice(0, 400)}`);
    }
  }
  const attempted = Math.min(REPAIRS, toRepair.length);
  console.log(`# repair of ${attempted} refuted mutants (mutated token + 2 extra holes): ${repairs.filled} PROVEN, ${repairs['no-solution']} no solution, ${repairs.timeout} timeout, ${repairs.unsupported} unsupported`);
  assert.ok(repairs.filled >= attempted / 3, `repaired ${repairs.filled}/${attempted}`);
  console.log(`# mutants: ${made} (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}); refuted ${tally.REFUTED}, proven ${tally.PROVEN} (neutral), ` +
    `tested ${tally.TESTED}, unsupported ${tally.UNSUPPORTED}; emulator differences ${tally.differ}; semantically neutral (no difference found, not refuted) ${tally.neutral}`);
  console.log(`# differing mutants not refuted: ${missed.length}${missed.length ? ` (${missed.slice(0, 5).join('; ')})` : ''}`);
  assert.ok(missed.every((m) => !m.startsWith('PROVEN')), 'never PROVEN when the emulator finds a difference');
  assert.deepEqual(realMisses, [], 'every mutant that differs on a path into its block is REFUTED');
  assert.ok(missed.length <= Math.ceil(0.01 * tally.differ), `${missed.length} differing mutants not refuted`);
  assert.equal(made, MUTANTS);
});
