// The project's own C programs (test/fixtures/c and the corpus in corpus/c) must be valid,
// portable C: warning-free at -O0/-O1/-O2 with both cross gccs, and the same output, exit 0, on
// both ISAs at every level under qemu-user. A difference would mean undefined or
// implementation-defined behaviour, which would teach the model (and the verifier tests) wrong
// equivalences.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFixtures } from '../scripts/check-fixtures.js';
import { repoPath } from './helpers/golden.js';

for (const dir of ['test/fixtures/c', 'corpus/c']) {
  test(`C programs in ${dir}: warning-free, and identical output on both ISAs at every level`, async () => {
    const checks = await checkFixtures(undefined, repoPath(dir));
    assert.ok(checks.length >= 30, `${checks.length} programs`);
    const bad = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.problems.join('; ')}`);
    assert.deepEqual(bad, []);
  });
}
