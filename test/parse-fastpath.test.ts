// The parser's fast path for obvious lines (plain directives, lone labels) must give exactly what
// the Lezer grammar gives for the same line. Checked on every distinct line of the corpus.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { frontEnd } from '../src/asm/index.js';
import { grammarTemplates, obviousTemplate } from '../src/asm/parse.js';
import { buildAsmCorpus } from '../scripts/corpus.js';

test('fast-path templates equal the grammar on every obvious corpus line', { timeout: 600_000 }, async () => {
  const seeds = Number(process.env['GNS_FASTPATH_SEEDS'] ?? 60);
  const corpus = await buildAsmCorpus({ csmithSeeds: Array.from({ length: seeds }, (_, i) => i + 1), fixtures: true });
  for (const isa of ['aarch64', 'riscv64'] as const) {
    const lines = new Set<string>();
    for (const f of corpus.filter((c) => c.isa === isa)) for (const line of readFileSync(f.path, 'latin1').split('\n')) lines.add(line);
    // Hand-made edge cases next to the corpus: blanks, tabs, names the fast path must refuse.
    for (const extra of ['', '\t', '.L1:', 'main:', '\t.text', '\t.p2align 4,,11', '\t.word\t.L3-.L4', '.L2:\t', '\t.set\t.LANCHOR0,. + 0', '\t.size\tf, .-f']) lines.add(extra);
    const obvious = [...lines].filter((l) => obviousTemplate(l) !== undefined);
    const viaGrammar = grammarTemplates(frontEnd(isa), obvious);
    let checked = 0;
    obvious.forEach((line, i) => {
      const fast = obviousTemplate(line)!;
      const slow = viaGrammar[i]!;
      assert.deepEqual(fast, slow, `${isa}: fast path and grammar differ on ${JSON.stringify(line)}`);
      checked++;
    });
    console.log(`${isa}: ${checked} of ${lines.size} distinct lines take the fast path, all equal to the grammar's parse`);
    assert.ok(checked > 1000);
  }
});
