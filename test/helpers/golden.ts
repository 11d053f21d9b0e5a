// Golden-file assertions: compare output with a committed file, rewriting it only when the
// explicit switch BLESS=1 is set, so every change to a golden file shows up as a reviewed diff.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import assert from 'node:assert/strict';

/** Asserts `actual` equals the golden file at `path` (or writes it when BLESS=1). */
export function expectGolden(path: string, actual: string): void {
  if (process.env['BLESS'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${path} is missing: run the tests with BLESS=1 and review the diff`);
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) {
    const a = expected.split('\n');
    const b = actual.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.fail(`${path} differs at line ${i + 1}:\n  golden: ${a[i] ?? '<eof>'}\n  actual: ${b[i] ?? '<eof>'}\n(run with BLESS=1 to accept, and review the diff)`);
  }
}

/** Path of a file in the source tree, from a compiled test in dist/test/. */
export function repoPath(rel: string): string {
  return new URL(`../../../${rel}`, import.meta.url).pathname;
}
