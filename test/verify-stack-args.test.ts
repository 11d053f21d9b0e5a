// Outgoing stack arguments, compiled by the real cross gccs at -O0: a variadic call with more int
// arguments than argument registers. AArch64 stores each int in the low 4 bytes of an 8-byte slot
// and leaves the rest as it was (AAPCS64 leaves it unspecified); RISC-V stores the int extended to
// 8 bytes. Those upper bytes are padding at the call, not a difference; the argument itself is
// compared, so a wrong stack argument is REFUTED.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Program } from '../src/ir/program.js';
import { createVerifier } from '../src/verify/check.js';
import { type CrossIsa, crossCompile } from './helpers/cross.js';

const C = `
#include <stdio.h>
void many(int a) { printf("%d %d %d %d %d %d %d %d %d %d\\n", a, 2, 3, 4, 5, 6, 7, 8, 9, a + 10); }
`;

const cross = crossCompile('stack-args', C);
const load = (isa: CrossIsa, text = cross[isa].text): Program => cross[isa].load(text);
const verifier = await createVerifier();

for (const [from, to] of [['aarch64', 'riscv64'], ['riscv64', 'aarch64']] as const) {
  test(`${from}->${to}: int arguments on the stack are PROVEN, their slots' upper bytes being padding`, async () => {
    const report = await verifier.verifyPrograms(load(from), load(to));
    assert.deepEqual(report.counts, { PROVEN: report.counts.PROVEN, TESTED: 0, REFUTED: 0, UNSUPPORTED: 0 }, JSON.stringify(report.functions.map((f) => f.blocks.map((b) => b.verdict))));
  });
}

test('a wrong stack argument is REFUTED', async () => {
  // The RISC-V side passes 9 where 8 goes: `li a5,8` just before its store to the stack.
  const text = cross.riscv64.text;
  assert.match(text, /\tli\ta5,8\n\tsd\ta5,\d+\(sp\)/);
  const wrong = text.replace(/\tli\ta5,8\n(\tsd\ta5,\d+\(sp\))/, '\tli\ta5,9\n$1');
  const report = await verifier.verifyPrograms(load('aarch64'), load('riscv64', wrong));
  assert.ok(report.counts.REFUTED > 0, JSON.stringify(report.functions.map((f) => f.blocks.map((b) => b.verdict))));
});
