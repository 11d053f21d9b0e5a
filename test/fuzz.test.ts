// Bad-input fuzzing of the front end: 10,000 mutated instruction lines (truncated operands, junk
// bytes, unknown mnemonics, unbalanced brackets, huge immediates, non-UTF-8 bytes), each checked
// by GNU as to be really invalid, must each yield an error at its own line, never a throw or a
// hang, while the well-formed lines around it parse exactly as they do alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { IsaName, Statement } from '../src/ir/program.js';
import { parseAsm, printProgram } from '../src/asm/index.js';
import { Rng } from '../src/util/random.js';
import { buildAsmCorpus } from '../scripts/corpus.js';

const run = promisify(execFile);
const MUTANTS_PER_ISA = 5000;
const triple: Record<IsaName, string> = { aarch64: 'aarch64-linux-gnu', riscv64: 'riscv64-linux-gnu' };
const asFlags: Record<IsaName, string[]> = { aarch64: [], riscv64: ['-march=rv64gc', '-mabi=lp64d'] };

type MutationKind = 'truncate' | 'junk' | 'mnemonic' | 'bracket' | 'huge-imm' | 'non-utf8';
const kinds: MutationKind[] = ['truncate', 'junk', 'mnemonic', 'bracket', 'huge-imm', 'non-utf8'];

/** One random mutation of a well-formed instruction line, or undefined if it does not apply. */
function mutate(line: string, kind: MutationKind, rng: Rng): string | undefined {
  const m = /^(\s*)(\S+)(\s*)(.*)$/.exec(line);
  if (!m) return undefined;
  const [, indent, mnemonic, gap, ops] = m as unknown as [string, string, string, string, string];
  switch (kind) {
    case 'truncate': {
      // Cut the operand list just after a comma: the line ends in `op,`.
      const commas = [...ops].flatMap((c, i) => (c === ',' ? [i] : []));
      if (commas.length === 0) return undefined;
      return `${indent}${mnemonic}${gap}${ops.slice(0, rng.pick(commas) + 1)}`;
    }
    case 'junk': {
      if (ops.length === 0) return undefined;
      const at = rng.int(ops.length + 1);
      const junk = rng.pick(['`', '$$', '\x01', '?', '\\', '@@', '{{']);
      return `${indent}${mnemonic}${gap}${ops.slice(0, at)}${junk}${ops.slice(at)}`;
    }
    case 'mnemonic': {
      const letters = 'qjzvkx';
      let name = 'zz';
      for (let i = 0; i < 4; i++) name += letters[rng.int(letters.length)];
      return `${indent}${name}${gap || '\t'}${ops}`;
    }
    case 'bracket': {
      const closers = [...ops].flatMap((c, i) => (c === ']' || c === ')' ? [i] : []));
      if (closers.length > 0) {
        const at = rng.pick(closers);
        return `${indent}${mnemonic}${gap}${ops.slice(0, at)}${ops.slice(at + 1)}`;
      }
      if (ops.length === 0) return undefined;
      return `${indent}${mnemonic}${gap}${rng.pick(['[', '('])}${ops}`;
    }
    case 'huge-imm': {
      const nums = [...ops.matchAll(/(?<![\w.])-?\d+\b/g)];
      if (nums.length === 0) return undefined;
      const n = rng.pick(nums);
      const huge = '9' + '0'.repeat(24 + rng.int(8));
      return `${indent}${mnemonic}${gap}${ops.slice(0, n.index)}${huge}${ops.slice(n.index! + n[0].length)}`;
    }
    case 'non-utf8': {
      const bad = rng.pick(['\xff', '\xfe\xff', '\xc3', '\x80']);
      const at = rng.int(ops.length + 1);
      return `${indent}${mnemonic}${gap}${ops.slice(0, at)}${bad}${ops.slice(at)}`;
    }
  }
}

/** Lines GNU as rejects, by 1-based line number, from one assembly of the whole text. */
async function linesRejectedByAs(isa: IsaName, text: string, dir: string): Promise<Set<number>> {
  const src = join(dir, `${isa}.s`);
  writeFileSync(src, text, 'latin1');
  const rejected = new Set<number>();
  try {
    await run(`${triple[isa]}-as`, [...asFlags[isa], '-o', join(dir, `${isa}.o`), src], { timeout: 120_000, maxBuffer: 256 << 20 });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '');
    for (const m of stderr.matchAll(/^[^:\n]+\.s:(\d+): Error:/gm)) rejected.add(Number(m[1]));
  }
  return rejected;
}

function withoutSpans(s: Statement): unknown {
  return JSON.stringify(s, (k, v) => (k === 'span' || k === 'section' ? undefined : typeof v === 'bigint' ? v.toString() : v));
}

for (const isa of ['aarch64', 'riscv64'] as const) {
  test(`fuzz: ${MUTANTS_PER_ISA} invalid ${isa} lines each get an error at their line`, { timeout: 600_000 }, async () => {
    const corpus = (await buildAsmCorpus({ csmithSeeds: [], fixtures: true })).filter((f) => f.isa === isa);
    assert.ok(corpus.length > 0, 'no fixture corpus');
    // Well-formed instruction lines from gcc output, without labels or directives.
    const seeds = new Set<string>();
    for (const f of corpus) {
      for (const line of readFileSync(f.path, 'latin1').split('\n')) {
        if (/^\t[a-z]/.test(line) && !/^\t\./.test(line)) seeds.add(line);
      }
    }
    const seedLines = [...seeds].sort();
    const rng = new Rng(isa === 'aarch64' ? 0xa64 : 0x5c5);
    const dir = mkdtempSync(join(tmpdir(), 'gns-fuzz-'));
    try {
      // Generate candidates, then keep those GNU as rejects (the oracle that they are invalid).
      const candidates: { line: string; kind: MutationKind }[] = [];
      while (candidates.length < MUTANTS_PER_ISA * 1.6) {
        const kind = kinds[candidates.length % kinds.length]!;
        const mutated = mutate(rng.pick(seedLines), kind, rng);
        if (mutated !== undefined && !mutated.includes('\n')) candidates.push({ line: mutated, kind });
      }
      const rejected = await linesRejectedByAs(isa, candidates.map((c) => c.line).join('\n') + '\n', dir);
      const mutants = candidates.filter((_, i) => rejected.has(i + 1)).slice(0, MUTANTS_PER_ISA);
      assert.equal(mutants.length, MUTANTS_PER_ISA, `only ${mutants.length} mutants were rejected by as`);

      // Sandwich each mutant between two well-formed lines and parse the whole file once.
      const lines: string[] = [];
      const goodAt: { line: number; text: string }[] = [];
      const badAt: { line: number; text: string; kind: MutationKind }[] = [];
      for (const m of mutants) {
        const before = rng.pick(seedLines);
        const after = rng.pick(seedLines);
        goodAt.push({ line: lines.length + 1, text: before });
        lines.push(before);
        badAt.push({ line: lines.length + 1, text: m.line, kind: m.kind });
        lines.push(m.line);
        goodAt.push({ line: lines.length + 1, text: after });
        lines.push(after);
      }
      const text = lines.join('\n') + '\n';
      const started = Date.now();
      const { program, diagnostics } = parseAsm(text, { isa, file: 'fuzz.s' });
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 60_000, `parsing took ${elapsed} ms`);

      const errorLines = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.span.line));
      const missed = badAt.filter((b) => !errorLines.has(b.line));
      const byKind = new Map<string, number>();
      for (const m of missed) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
      assert.equal(missed.length, 0, `no error reported for ${missed.length} invalid lines (${[...byKind].map(([k, n]) => `${k}: ${n}`).join(', ')}), e.g.\n${missed.slice(0, 8).map((m) => `  line ${m.line} [${m.kind}]: ${JSON.stringify(m.text)}`).join('\n')}`);
      for (const d of diagnostics) {
        assert.ok(d.span.line >= 1 && d.span.column >= 1, `diagnostic without a location: ${d.message}`);
      }

      // The good lines parse to the same statements as they do alone, and nothing is lost.
      const byLine = new Map<number, Statement[]>();
      for (const s of program.statements) byLine.set(s.span.line, [...(byLine.get(s.span.line) ?? []), s]);
      const wrong = goodAt.filter((g) => {
        const alone = parseAsm(g.text + '\n', { isa, file: 'one.s' }).program.statements.map(withoutSpans);
        const inContext = (byLine.get(g.line) ?? []).map(withoutSpans);
        return JSON.stringify(alone) !== JSON.stringify(inContext);
      });
      assert.equal(wrong.length, 0, `well-formed lines parsed differently next to bad ones, e.g. line ${wrong[0]?.line}: ${wrong[0]?.text}`);
      // Nothing is lost: every invalid line comes back from the printer, in place. A line with an
      // unknown mnemonic stays an instruction (so its block is UNSUPPORTED downstream) and is
      // printed from the IR, which may change blanks only.
      const printed = printProgram(program).split('\n');
      const blanks = (x: string | undefined): string => (x ?? '').replace(/\s+/g, ' ').trim();
      const lost = badAt.filter((b) => printed[b.line - 1] !== b.text && blanks(printed[b.line - 1]) !== blanks(b.text));
      assert.equal(lost.length, 0, `invalid lines not kept verbatim, e.g. line ${lost[0]?.line}: ${JSON.stringify(lost[0]?.text)}`);
      const stats = Object.fromEntries(kinds.map((k) => [k, mutants.filter((m) => m.kind === k).length]));
      console.log(`${isa}: ${mutants.length} invalid lines (${JSON.stringify(stats)}), ${candidates.length - rejected.size} candidates accepted by as and dropped; parse ${elapsed} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
