// The assembly tokenizer on its own: whole tokens where the issue asks for them, sign-plus-digits
// numbers, per-block label placeholders that are restored, byte fallback, an exact round trip on
// every line of gcc's real output for both ISAs, and clear errors for a bad vocabulary file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVocab, PieceCounts, pieces, Tokenizer, VocabError, MAX_LABELS } from '../src/lm/tokenizer.js';
import { frontEnd, parseAsm } from '../src/asm/index.js';
import { buildAsmCorpus } from '../scripts/corpus.js';
import type { IsaName } from '../src/ir/program.js';

/** Canonical block-style text (instructions, one per line) of every instruction in a file. */
function instructionLines(text: string, isa: IsaName): string[] {
  const { program } = parseAsm(text, { isa, file: 'x.s' });
  const fe = frontEnd(isa);
  return program.statements.flatMap((s) => (s.kind === 'insn' ? [fe.printInstruction(s, true)] : []));
}

function tokenizerFor(texts: readonly string[], minCount = 2): Tokenizer {
  const counts = new PieceCounts();
  for (const t of texts) counts.add(t);
  return new Tokenizer(buildVocab(counts, { minCount }));
}

test('tokenizer: pieces cover the text exactly and fuse mnemonic+tab, (reg), signed numbers', () => {
  assert.deepEqual(pieces('addi\tsp,sp,-48\nsd\ts0,40(sp)'), ['addi\t', 'sp', ',', 'sp', ',', '-48', '\n', 'sd\t', 's0', ',', '40', '(sp)']);
  assert.deepEqual(pieces('ldr\tx0, [x1, :lo12:.LC0]'), ['ldr\t', 'x0', ', ', '[', 'x1', ', ', ':lo12:', '.LC0', ']']);
  assert.deepEqual(pieces('lui\ta5,%hi(g_17)'), ['lui\t', 'a5', ',', '%hi', '(', 'g_17', ')']);
  assert.deepEqual(pieces('b.ne\t.L3'), ['b.ne\t', '.L3']);
  assert.deepEqual(pieces('bl\tprintf@plt'), ['bl\t', 'printf@plt']);
  assert.deepEqual(pieces('ret'), ['ret']);
  assert.deepEqual(pieces('\t.cfi_def_cfa_offset 16\n\t.type\tmain, %function'), ['\t', '.cfi_def_cfa_offset', ' ', '16', '\n', '\t', '.type', '\t', 'main', ', ', '%function']);
  for (const s of ['', 'x', '\u00e9\u00ff\u0001', 'fmov\td0, 1.0e+0', 'mov\tx0, 0x1f']) assert.equal(pieces(s).join(''), s);
});

test('tokenizer: mnemonics and registers are whole tokens, rare numbers are sign plus digits', () => {
  const tok = tokenizerFor(['addi\tsp,sp,-48', 'addi\tsp,sp,-48', 'addi\tsp,sp,-48']);
  const { ids } = tok.encode('addi\tsp,sp,-48\nfcvt.d.w\tfa5,a5\nsd\tra,8(sp)');
  const texts = ids.map((i) => tok.tokenText(i));
  assert.deepEqual(texts, ['addi\t', 'sp', ',', 'sp', ',', '-48', '\n', 'fcvt.d.w\t', 'fa5', ',', 'a5', '\n', 'sd\t', 'ra', ',', '8', '(sp)']);
  const rare = tok.encode('li\ta5,-123457').ids.map((i) => tok.tokenText(i));
  assert.deepEqual(rare, ['li\t', 'a5', ',', '-', '1', '2', '3', '4', '5', '7']);
  const hex = tok.encode('mov\tx0, 0x1f').ids.map((i) => tok.tokenText(i));
  assert.deepEqual(hex, ['mov\t', 'x0', ', ', '0', 'x', '1', 'f']);
});

test('tokenizer: labels become per-block placeholders and are restored; a pair shares them', () => {
  const tok = tokenizerFor([]);
  const e = tok.encode('cmp\tw0, 3\nble\t.L7\nb\t.L12\nadrp\tx0, .LC3');
  assert.deepEqual(e.labels, ['.L7', '.L12', '.LC3']);
  const texts = e.ids.map((i) => tok.tokenText(i));
  assert.ok(texts.includes('<L0>') && texts.includes('<L1>') && texts.includes('<L2>'));
  assert.equal(tok.decode(e.ids, e.labels), 'cmp\tw0, 3\nble\t.L7\nb\t.L12\nadrp\tx0, .LC3');
  // The target numbers its labels differently; the correspondence gives both sides one placeholder.
  const pair = tok.encodePair('ble\t.L7\nb\t.L12', 'j\t.L5\nble\ta4,a5,.L9', { '.L9': '.L7', '.L5': '.L12' });
  assert.deepEqual(pair.source.labels, ['.L7', '.L12']);
  assert.deepEqual(pair.target.labels, ['.L9', '.L5']);
  assert.equal(tok.decode(pair.target.ids, pair.target.labels), 'j\t.L5\nble\ta4,a5,.L9');
  // A model's output in placeholders decodes with the source's own labels.
  assert.equal(tok.decode(pair.target.ids, pair.source.labels), 'j\t.L12\nble\ta4,a5,.L7');
  // More labels than placeholders: the rest are spelled out, still exactly.
  const many = Array.from({ length: MAX_LABELS + 5 }, (_, i) => `b\t.L${i}`).join('\n');
  const m = tok.encode(many);
  assert.equal(m.labels.length, MAX_LABELS);
  assert.equal(tok.decode(m.ids, m.labels), many);
});

test('tokenizer: bytes outside printable ASCII fall back to byte tokens and round-trip', () => {
  const tok = tokenizerFor([]);
  for (const s of ['\u00e9t\u00e9', '\u0000\u0001\u007f\u00ff', 'bl\tfoo\u00b5bar', '\r\n\t ']) {
    const { ids, labels } = tok.encode(s);
    assert.equal(tok.decode(ids, labels), s);
  }
  assert.ok(tok.encode('\u00ff').ids.every((i) => tok.tokenText(i) === '\u00ff'));
  assert.throws(() => tok.tokenText(tok.size + 5), RangeError);
});

test('tokenizer: exact round trip on every instruction of real gcc output, both ISAs', async () => {
  const files = await buildAsmCorpus({ csmithSeeds: [1, 2], fixtures: true, configs: [{ opt: 'O2', debug: false }] });
  const byIsa: Record<IsaName, string[]> = { aarch64: [], riscv64: [] };
  for (const f of files) byIsa[f.isa].push(...instructionLines(readFileSync(f.path, 'latin1'), f.isa));
  const tok = tokenizerFor([...byIsa.aarch64, ...byIsa.riscv64].filter((_, i) => i % 2 === 0), 5);
  let lines = 0;
  let tokens = 0;
  for (const isa of ['aarch64', 'riscv64'] as const) {
    assert.ok(byIsa[isa].length > 5000, `${byIsa[isa].length} ${isa} instructions`);
    for (const line of byIsa[isa]) {
      const { ids, labels } = tok.encode(line);
      assert.equal(tok.decode(ids, labels), line);
      lines++;
      tokens += ids.length;
    }
  }
  assert.ok(tokens / lines < 10, `${(tokens / lines).toFixed(2)} tokens per instruction`);
});

test('tokenizer: the vocabulary is deterministic and a bad vocabulary file is a clear error', () => {
  const texts = ['addi\tsp,sp,-48', 'ld\ta5,-24(s0)', 'call\tprintf', 'call\tprintf'];
  const a = tokenizerFor(texts, 1);
  const b = tokenizerFor([...texts].reverse(), 1);
  assert.deepEqual(a.vocab.tokens, b.vocab.tokens);
  assert.ok(a.vocab.tokens.includes('printf'));
  const dir = mkdtempSync(join(tmpdir(), 'gns-vocab-'));
  const good = join(dir, 'vocab.json');
  writeFileSync(good, JSON.stringify(a.vocab));
  assert.deepEqual(Tokenizer.load(good).vocab.tokens, a.vocab.tokens);
  const corrupt = join(dir, 'corrupt.json');
  writeFileSync(corrupt, JSON.stringify(a.vocab).slice(0, 100));
  assert.throws(() => Tokenizer.load(corrupt), (e: unknown) => e instanceof VocabError && /cannot read vocabulary/.test(e.message));
  const other = join(dir, 'other.json');
  writeFileSync(other, JSON.stringify({ tokens: ['a'] }));
  assert.throws(() => Tokenizer.load(other), (e: unknown) => e instanceof VocabError && /not a gns vocabulary/.test(e.message));
  assert.throws(() => Tokenizer.load(join(dir, 'missing.json')), VocabError);
  assert.throws(() => new Tokenizer({ format: 'gns-vocab', version: 1, tokens: ['<pad>'] }), VocabError);
});
