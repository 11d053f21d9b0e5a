// Round trip of real gcc output through the assembly front end: every .s file of the corpus
// (Csmith seeds 1..N and the C fixtures, -O0/-O1/-O2 with and without -g, both ISAs) must parse
// without diagnostics and print back to text that GNU as assembles to the same object (section
// bytes, section headers, relocations and symbols). Failures are collected per configuration and
// grouped by cause so one run shows everything that is wrong.
//
// Env: GNS_ROUNDTRIP_SEEDS=N (default 200) Csmith seeds; GNS_ROUNDTRIP_ASSEMBLE=1 assembles even
// when the printed text is byte-identical to the input (identical input gives an identical
// object, so by default that case is not assembled); GNS_ROUNDTRIP_WORKERS=N parse threads
// (default 2, 0 = none); GNS_JOBS caps parallel compiler processes (default 2).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ALL_CONFIGS,
  ALL_ISAS,
  buildAsmCorpusReport,
  configLabel,
  listFixtures,
  type CorpusFile,
  type CorpusReport,
} from '../scripts/corpus.js';
import { mapLimit, defaultJobs } from '../src/util/proc.js';
import { assembleAndDump, compareObjects, locateOffset } from './helpers/objcompare.js';
import { RoundTripPool, type Failure, type RoundTripResult } from './helpers/roundtrip.js';

const SEEDS = (() => {
  const n = Number(process.env['GNS_ROUNDTRIP_SEEDS'] ?? '200');
  return Number.isInteger(n) && n >= 0 ? n : 200;
})();
const FORCE_ASSEMBLE = process.env['GNS_ROUNDTRIP_ASSEMBLE'] === '1';
const JOBS = defaultJobs();
/** Worker threads for parsing; 0 runs everything on the test's own thread. */
const WORKERS = (() => {
  const n = Number(process.env['GNS_ROUNDTRIP_WORKERS'] ?? JOBS);
  return Number.isInteger(n) && n >= 0 ? n : JOBS;
})();
/** A failure message lists this many causes per kind, each with two example files. */
const MAX_CAUSES = 16;

function label(f: CorpusFile): string {
  return `${f.name} ${f.isa} ${f.config} (${f.path})`;
}

function report(failures: Failure[], total: number): string {
  const out: string[] = [];
  const byKind = (k: Failure['kind']): Failure[] => failures.filter((f) => f.kind === k);
  const files = new Set(failures.map((f) => f.file.path)).size;
  out.push(
    `${files} of ${total} files fail: ${byKind('diagnostics').length} with diagnostics, ${byKind('object').length} with object differences, ${byKind('threw').length} threw`,
  );
  for (const kind of ['threw', 'diagnostics', 'object'] as const) {
    const list = byKind(kind);
    if (list.length === 0) continue;
    const groups = new Map<string, Failure[]>();
    for (const f of list) {
      const g = groups.get(f.cause);
      if (g) g.push(f);
      else groups.set(f.cause, [f]);
    }
    out.push(`${kind}: ${groups.size} causes`);
    const sorted = [...groups].sort((x, y) => y[1].length - x[1].length);
    for (const [cause, fs] of sorted.slice(0, MAX_CAUSES)) {
      out.push(`  [${fs.length} files] ${cause}`);
      for (const f of fs.slice(0, 2)) out.push(`    ${label(f.file)}\n    ${f.detail}`);
    }
  }
  return out.join('\n');
}

describe('assembly round trip on gcc output', { timeout: 30 * 60_000 }, () => {
  let corpus: CorpusReport;
  let corpusSummary = '';
  let tmp: string;
  let pool: RoundTripPool;

  /** Runs every file through the pool; the queue holds two per worker so none waits for work. */
  async function runAll(files: CorpusFile[], canonical: boolean): Promise<{ failures: Failure[]; summary: string }> {
    const t0 = Date.now();
    const results: RoundTripResult[] = await mapLimit(files, Math.max(1, WORKERS) * 2, (f) =>
      pool.run(f, { tmp, canonical, forceAssemble: FORCE_ASSEMBLE }),
    );
    const assembled = results.filter((r) => r.assembled).length;
    const identical = results.filter((r) => r.identical).length;
    const parseMs = results.reduce((s, r) => s + r.parseMs, 0);
    const summary =
      `${files.length} files, ${identical} printed byte-identically (not assembled), ${assembled} assembled and compared; ` +
      `parse ${(parseMs / 1000).toFixed(1)} s total, wall ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    return { failures: results.flatMap((r) => r.failures), summary };
  }

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'gns-roundtrip-'));
    pool = new RoundTripPool(WORKERS);
    const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);
    const t0 = Date.now();
    corpus = await buildAsmCorpusReport({ csmithSeeds: seeds, fixtures: true, jobs: JOBS });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    corpusSummary = `corpus: ${corpus.files.length} files (${corpus.built} compiled, ${corpus.cached} cached, ${corpus.failures.length} failed) in ${secs} s, cache ${corpus.cacheDir}`;
  });

  after(async () => {
    await pool?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the corpus compiles', (t) => {
    t.diagnostic(corpusSummary);
    for (const f of corpus.failures.slice(0, 5)) t.diagnostic(`not compiled: ${f.name} ${f.isa ?? ''} ${f.config ?? ''}: ${f.message.split('\n')[0]}`);
    const expected = (SEEDS + listFixtures().length) * ALL_ISAS.length * ALL_CONFIGS.length;
    const fixtureFailures = corpus.failures.filter((f) => f.name.startsWith('fixture-'));
    assert.deepEqual(fixtureFailures.map((f) => `${f.name} ${f.isa} ${f.config}: ${f.message}`), [], 'fixtures must compile');
    // Csmith occasionally produces a program gcc rejects or that takes too long; a few are fine.
    assert.ok(corpus.files.length >= expected * 0.95, `only ${corpus.files.length} of ${expected} corpus files built`);
  });

  for (const isa of ALL_ISAS) {
    for (const cfg of ALL_CONFIGS) {
      const config = configLabel(cfg);
      test(`${isa} ${config}: parses without diagnostics and prints to an identical object`, async (t) => {
        const files = corpus.files.filter((f) => f.isa === isa && f.config === config);
        assert.ok(files.length > 0, 'no corpus files');
        const { failures, summary } = await runAll(files, false);
        t.diagnostic(summary);
        if (failures.length > 0) assert.fail(report(failures, files.length));
      });
    }
  }

  test('canonical printing assembles to identical objects (fixtures, all configurations)', async (t) => {
    const files = corpus.files.filter((f) => f.name.startsWith('fixture-'));
    assert.ok(files.length > 0, 'no fixtures');
    const { failures, summary } = await runAll(files, true);
    t.diagnostic(summary);
    if (failures.length > 0) assert.fail(report(failures, files.length));
  });
});

test('the object comparison finds a one-instruction change and its line', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gns-objcompare-'));
  try {
    for (const isa of ALL_ISAS) {
      const text = ['\t.text', '\t.globl\tf', '\t.type\tf, %function', 'f:', isa === 'aarch64' ? '\tadd\tx0, x0, 1' : '\taddi\ta0,a0,1', isa === 'aarch64' ? '\tadd\tx0, x0, 2' : '\taddi\ta0,a0,2', '\tret', '\t.size\tf, .-f', ''].join('\n');
      const changed = text.replace(isa === 'aarch64' ? 'x0, x0, 2' : 'a0,a0,2', isa === 'aarch64' ? 'x0, x0, 3' : 'a0,a0,3');
      const [a, b, c] = await Promise.all([
        assembleAndDump(isa, text, tmp, { debug: false }),
        assembleAndDump(isa, text, tmp, { debug: false }),
        assembleAndDump(isa, changed, tmp, { debug: false }),
      ]);
      assert.ok(a.ok, a.errors);
      assert.equal(compareObjects(a, b), null);
      const diff = compareObjects(a, c);
      assert.ok(diff !== null && diff.kind === 'bytes' && diff.section === '.text', JSON.stringify(diff));
      const loc = await locateOffset(isa, changed, diff.section!, diff.offset!, tmp, { debug: false });
      assert.equal(loc.line, 6, JSON.stringify(loc));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
