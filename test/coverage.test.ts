// Semantics coverage over the compiled corpus (Csmith and fixtures, -O0/-O1/-O2, both ISAs):
// every integer instruction occurrence and at least 98% of all occurrences must have semantics.
// Also runs `gns coverage` itself on a file with an instruction that has none.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaName, Program } from '../src/ir/program.js';
import { frontEnd, parseAsm } from '../src/asm/index.js';
import { semanticsFor } from '../src/isa/semantics.js';
import { coverage } from '../src/emu/coverage.js';
import { buildAsmCorpus } from '../scripts/corpus.js';
import { repoPath } from './helpers/golden.js';

test('corpus coverage: 100% of integer occurrences, at least 98% of all', { timeout: 900_000 }, async () => {
  const seeds = Number(process.env['GNS_COVERAGE_SEEDS'] ?? 200);
  const corpus = await buildAsmCorpus({ csmithSeeds: Array.from({ length: seeds }, (_, i) => i + 1), fixtures: true });
  for (const isa of ['aarch64', 'riscv64'] as const) {
    const programs: Program<IsaName>[] = corpus.filter((f) => f.isa === isa).map((f) => parseAsm(readFileSync(f.path, 'latin1'), { isa, file: f.path }).program);
    const fe = frontEnd(isa);
    const r = coverage(semanticsFor(isa), programs, (i) => fe.printInstruction(i, false));
    const missing = r.missing.slice(0, 10).map((m) => `${m.form} x${m.count} (${m.example})`).join(', ');
    console.log(`${isa}: ${r.covered}/${r.total} occurrences covered, integer ${r.integerCovered}/${r.integerTotal}, ${r.supported.length} forms; missing: ${missing || 'none'}`);
    assert.ok(r.total > 100_000, `${isa}: corpus too small (${r.total})`);
    assert.equal(r.integerCovered, r.integerTotal, `${isa}: integer forms without semantics: ${missing}`);
    assert.ok(r.covered / r.total >= 0.98, `${isa}: only ${((100 * r.covered) / r.total).toFixed(2)}% covered; missing ${missing}`);
  }
});

test('gns coverage lists missing forms by frequency, with --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gns-cov-'));
  try {
    const f = join(dir, 'x.s');
    // `ecall` parses and is in the table, but has no semantics (it leaves the program).
    writeFileSync(f, '\t.text\nf:\n\taddi\ta0,a0,1\n\tecall\n\tecall\n\tret\n');
    const gns = repoPath('bin/gns.js');
    const text = spawnSync(process.execPath, [gns, 'coverage', '--isa', 'riscv64', f], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /covered: 2\/4 \(50\.00%\)/);
    assert.match(text.stdout, /\s2\s+ecall\s/);
    const json = spawnSync(process.execPath, [gns, 'coverage', '--isa', 'riscv64', f, '--json'], { encoding: 'utf8', timeout: 60_000 });
    const out = JSON.parse(json.stdout) as { reports: { isa: string; report: { total: number; covered: number; missing: { form: string; count: number }[] } }[] };
    assert.equal(out.reports[0]!.report.total, 4);
    assert.deepEqual(out.reports[0]!.report.missing.map((m) => [m.form, m.count]), [['ecall', 2]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
