// Block verification over the gold corpus (the C fixtures compiled by gcc -O0 for both ISAs,
// both directions): the median and p95 time per block check, the share of blocks settled without
// the solver (refuted by random testing, or proven by evaluation alone), and Z3 timeouts. The
// peer in the same run is Z3's own floor: a trivial query (x + 1 != 1 + x over 64 bits) through
// the same API, so the per-block figures read as multiples of the cheapest possible proof.
// Then the sketch: single-token mutants of proven target blocks that the check refutes, each
// repaired with one hole at the mutated token; the median and p95 time per sketch.
// GNS_BENCH_UNITS=N limits the number of fixtures, GNS_BENCH_SKETCHES=N the sketches (default 30).
// The last line is one JSON object.

import { readFileSync } from 'node:fs';
import { buildAsmCorpus, type CorpusFile } from '../scripts/corpus.js';
import { parseAsm } from '../src/asm/index.js';
import type { IsaName } from '../src/ir/program.js';
import type { Instruction } from '../src/ir/program.js';
import { sketchBlock } from '../src/sketch/cegis.js';
import type { Hole } from '../src/sketch/holes.js';
import { createVerifier } from '../src/verify/check.js';
import type { FunctionRelation, PairContext } from '../src/verify/relation.js';
import { guardedCheck } from '../src/verify/z3.js';
import { Rng } from '../src/util/random.js';
import { mutableBlock, mutateAt } from '../test/helpers/mutants.js';

const limit = Number(process.env['GNS_BENCH_UNITS'] ?? 1000);
const files = await buildAsmCorpus({ csmithSeeds: [], fixtures: true, configs: [{ opt: 'O0', debug: false }] });
const units = new Map<string, Partial<Record<IsaName, CorpusFile>>>();
for (const f of files) units.set(f.name, { ...units.get(f.name), [f.isa]: f });
const chosen = [...units.values()].slice(0, limit);

const verifier = await createVerifier();
const times: number[] = [];
const counts = { PROVEN: 0, TESTED: 0, REFUTED: 0, UNSUPPORTED: 0 };
let byTesting = 0;
let byEvaluation = 0;
let timeouts = 0;
let functions = 0;
const proven: { ctx: PairContext; relation: FunctionRelation; bs: number }[] = [];
const t0 = performance.now();
for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
  for (const unit of chosen) {
    if (!unit[from] || !unit[to]) continue;
    const load = (f: CorpusFile) => parseAsm(readFileSync(f.path, 'latin1'), { isa: f.isa, file: f.path }).program;
    const { pairs } = verifier.pairContexts(load(unit[from]!), load(unit[to]!));
    for (const ctx of pairs) {
      const { report: f, relation } = await verifier.checkFunction(ctx);
      functions++;
      for (const b of f.blocks) {
        if (mutableBlock(ctx, b)) proven.push({ ctx, relation, bs: b.source.index });
        if (!b.target) continue;
        counts[b.verdict.kind]++;
        times.push(b.ms);
        if (b.verdict.kind === 'REFUTED' && b.verdict.foundBy === 'testing') byTesting++;
        if (b.verdict.kind === 'PROVEN' && b.verdict.by === 'evaluation') byEvaluation++;
        if (b.verdict.kind === 'TESTED' && /timeout/.test(b.verdict.reason)) timeouts++;
      }
    }
  }
}
const wall = (performance.now() - t0) / 1000;

// ---- per sketch ----
const sketchTimes: number[] = [];
const sketchStatus: Record<string, number> = {};
const rng = new Rng(7);
const wanted = Number(process.env['GNS_BENCH_SKETCHES'] ?? 30);
for (let attempt = 0; sketchTimes.length < wanted && attempt < wanted * 40 && proven.length > 0; attempt++) {
  const { ctx, relation, bs } = rng.pick(proven);
  const stmts = ctx.target.cfg.blocks[ctx.matching.pairs.get(bs)!]!.instructions;
  const mutant = mutateAt(ctx.target.program, rng.pick(stmts), rng);
  if (!mutant || mutant.kind === 'opcode') continue;
  const op = (mutant.program.statements[mutant.stmt] as Instruction).operands[mutant.operand]!;
  const hole: Hole = op.kind === 'reg' ? { kind: 'reg', stmt: mutant.stmt, operand: mutant.operand } : { kind: 'imm', stmt: mutant.stmt, operand: mutant.operand };
  const broken: PairContext = { ...ctx, target: { ...ctx.target, program: mutant.program } };
  if ((await verifier.checkBlock(broken, relation, bs)).kind !== 'REFUTED') continue;
  const s = performance.now();
  const result = await sketchBlock(verifier, broken, relation, bs, [hole], { timeoutMs: 20_000 });
  sketchTimes.push(performance.now() - s);
  sketchStatus[result.status] = (sketchStatus[result.status] ?? 0) + 1;
}

// The peer: Z3's floor for one query, through the same API and worker thread.
const z = verifier.env.ctx;
const floor: number[] = [];
for (let i = 0; i < 50; i++) {
  const x = z.BitVec.const(`floor${i}`, 64);
  const solver = new z.Solver();
  solver.add(x.add(1).neq(z.BitVec.val(1n, 64).add(x)));
  const s = performance.now();
  await guardedCheck(() => solver.check());
  floor.push(performance.now() - s);
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = quantile(times, 0.5);
const p95 = quantile(times, 0.95);
const z3Floor = quantile(floor, 0.5);
const figures = {
  units: chosen.length,
  functions,
  blocks: times.length,
  verdicts: counts,
  median_block_ms: Math.round(median * 10) / 10,
  p95_block_ms: Math.round(p95 * 10) / 10,
  z3_floor_ms: Math.round(z3Floor * 100) / 100,
  median_vs_z3_floor: Math.round((median / z3Floor) * 10) / 10,
  settled_by_testing_share: Math.round((byTesting / Math.max(1, times.length)) * 1000) / 1000,
  proven_by_evaluation_share: Math.round((byEvaluation / Math.max(1, times.length)) * 1000) / 1000,
  z3_timeouts: timeouts,
  wall_s: Math.round(wall),
  sketches: sketchTimes.length,
  sketch_outcomes: sketchStatus,
  median_sketch_ms: Math.round(quantile(sketchTimes, 0.5)),
  p95_sketch_ms: Math.round(quantile(sketchTimes, 0.95)),
  goal: { median_block_ms: 100, p95_block_ms: 2000 },
};
console.log(`blocks ${times.length}: median ${figures.median_block_ms} ms, p95 ${figures.p95_block_ms} ms (Z3 floor ${figures.z3_floor_ms} ms); ` +
  `settled by testing ${(100 * figures.settled_by_testing_share).toFixed(1)}%, proven by evaluation ${(100 * figures.proven_by_evaluation_share).toFixed(1)}%, Z3 timeouts ${timeouts}`);
console.log(`sketches ${sketchTimes.length} (one hole at a refuted mutant's token): median ${figures.median_sketch_ms} ms, p95 ${figures.p95_sketch_ms} ms; ${JSON.stringify(sketchStatus)}`);
console.log(JSON.stringify(figures));
process.exit(0);
