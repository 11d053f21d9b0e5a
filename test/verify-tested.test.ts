// What a TESTED verdict counts: only runs that followed the path into the block. A block that
// fails on its own is checked again behind the paths of predecessors into it; when their
// branches need a value random states almost never hold (a field equal to 5), no run follows
// them. Such a block used to come out "TESTED (512 tests)" with no test behind it: a wrong
// translation (fsub made fadd) that testing alone had caught. Compiled by the real cross gccs.
// - With 1 ms per Z3 query, nothing follows the path: UNSUPPORTED, saying so.
// - With time for the small query of the path condition alone, its model seeds states that take
//   the path (random values elsewhere), and the wrong fadd is REFUTED, replayed in the emulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerifier } from '../src/verify/check.js';
import { crossCompile } from './helpers/cross.js';

const C = `
struct acc { int n; double sum; double last; };
double take(struct acc *a, double x) {
  if (a->n == 5) a->sum -= a->last; else a->n++;
  a->last = x;
  return a->sum;
}
`;

const cross = crossCompile('tested', C);
const verifier = await createVerifier();

const mutated = cross.aarch64.text.replace(/\tfsub\t(d\d+), (d\d+), (d\d+)/, '\tfadd\t$1, $2, $3');

test('a block behind a path no random state follows is not called TESTED; its wrong translation is reported', async () => {
  const gold = await verifier.verifyPrograms(cross.riscv64.load(), cross.aarch64.load());
  assert.ok(gold.functions[0]!.blocks.every((b) => b.verdict.kind === 'PROVEN'), 'the gold pair is proven');

  assert.notEqual(mutated, cross.aarch64.text, 'the snippet has an fsub to mutate');
  const report = await verifier.verifyPrograms(cross.riscv64.load(), cross.aarch64.load(mutated), { timeoutMs: 1 });
  const verdicts = report.functions[0]!.blocks.map((b) => b.verdict);
  for (const v of verdicts) if (v.kind === 'TESTED') assert.ok(v.tests > 0, `TESTED with ${v.tests} tests`);
  // The mutated block: testing from a state at its entry shows the difference; behind its path
  // (n == 5) nothing runs and the solver has 1 ms. Refuted, or unsupported with both facts said.
  // The other blocks are correct: PROVEN, or TESTED by real runs where the solver had no time.
  const bad = verdicts.filter((v) => v.kind !== 'PROVEN' && v.kind !== 'TESTED');
  assert.equal(bad.length, 1, JSON.stringify(verdicts));
  const v = bad[0]!;
  if (v.kind === 'UNSUPPORTED') {
    assert.match(v.reason, /no random state followed the path into the block, so nothing was tested/);
    assert.match(v.reason, /the two sides differ \(memory at/);
  } else assert.equal(v.kind, 'REFUTED', JSON.stringify(v));
});

test('states from a model of the path condition take the path, and the wrong translation behind it is REFUTED', async () => {
  const report = await verifier.verifyPrograms(cross.riscv64.load(), cross.aarch64.load(mutated), { timeoutMs: 500 });
  const verdicts = report.functions[0]!.blocks.map((b) => b.verdict);
  const refuted = verdicts.filter((v) => v.kind === 'REFUTED');
  assert.equal(refuted.length, 1, JSON.stringify(verdicts));
  assert.ok(verdicts.every((v) => v.kind === 'REFUTED' || v.kind === 'PROVEN' || (v.kind === 'TESTED' && v.tests > 0)), JSON.stringify(verdicts));
});
