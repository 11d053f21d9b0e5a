// Parse throughput against GNU as on the same input. The peer in the same run makes the number
// meaningful across machines: `ratio_vs_as` > 1 means we parse faster than `as` assembles.
// The input is one real gcc output of at least 1 MB per ISA (a large Csmith program at -O0 -g),
// because concatenating .s files would not assemble (duplicate symbols and labels).
//
// Usage: node dist/bench/parse.js [--isa aarch64|riscv64|both] [--runs 5]
// Prints human lines, then one JSON object as the very last line.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAsm } from '../src/asm/index.js';
import { buildAsmCorpusReport, type CorpusFile, type CorpusIsa } from '../scripts/corpus.js';
import { run } from '../src/util/proc.js';
import { asCommand, asFlags } from '../scripts/toolchain.js';

const MIN_BYTES = 1_000_000;
/** Csmith limits raised until one program's -O0 -g output passes 1 MB (seed 1 gives ~1.6 MB). */
const BIG_CSMITH = ['--max-funcs', '30', '--no-volatiles'];
const MAX_SEEDS_TRIED = 20;
const AS_TIMEOUT_MS = 120_000;

interface IsaResult {
  readonly isa: CorpusIsa;
  readonly file: string;
  readonly bytes: number;
  readonly parseMs: number;
  readonly asMs: number;
  readonly diagnostics: number;
}

/** The first big Csmith program whose -O0 -g output is at least 1 MB for this ISA. */
async function bigInput(isa: CorpusIsa): Promise<CorpusFile> {
  for (let seed = 1; seed <= MAX_SEEDS_TRIED; seed++) {
    const report = await buildAsmCorpusReport({
      csmithSeeds: [seed],
      fixtures: false,
      isas: [isa],
      configs: [{ opt: 'O0', debug: true }],
      csmithOptions: BIG_CSMITH,
    });
    const f = report.files[0];
    if (f && readFileSync(f.path).length >= MIN_BYTES) return f;
  }
  throw new Error(`no Csmith seed up to ${MAX_SEEDS_TRIED} gives a ${isa} file of ${MIN_BYTES} bytes`);
}

function bestOf(runs: number, fn: () => number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, fn());
  return best;
}

async function benchIsa(isa: CorpusIsa, runs: number, tmp: string): Promise<IsaResult> {
  const file = await bigInput(isa);
  const text = readFileSync(file.path, 'latin1');
  const bytes = text.length;
  // Warm-up: lets the JIT compile the parser before anything is timed.
  const warm = parseAsm(text, { isa, file: file.path });
  const diagnostics = warm.diagnostics.length;
  const parseMs = bestOf(runs, () => {
    const t0 = process.hrtime.bigint();
    parseAsm(text, { isa, file: file.path });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
  let asMs = Infinity;
  const out = join(tmp, `${isa}.o`);
  for (let i = 0; i < runs; i++) {
    const r = await run(asCommand(isa), [...asFlags(isa, true), '-o', out, file.path], { timeout: AS_TIMEOUT_MS });
    if (r.code !== 0) throw new Error(`${asCommand(isa)} failed on ${file.path}: ${r.stderr.slice(0, 500)}`);
    asMs = Math.min(asMs, r.ms);
  }
  return { isa, file: file.path, bytes, parseMs, asMs, diagnostics };
}

function mbps(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

function round(x: number, digits = 3): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

async function main(argv: string[]): Promise<void> {
  let which = 'both';
  let runs = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--isa') which = argv[++i] ?? 'both';
    else if (argv[i] === '--runs') runs = Math.max(1, Number(argv[++i]) || 5);
  }
  const isas: CorpusIsa[] = which === 'both' ? ['aarch64', 'riscv64'] : [which as CorpusIsa];
  if (!isas.every((i) => i === 'aarch64' || i === 'riscv64')) throw new Error(`unknown --isa ${which}`);
  const tmp = mkdtempSync(join(tmpdir(), 'gns-bench-parse-'));
  try {
    const results: IsaResult[] = [];
    for (const isa of isas) {
      const r = await benchIsa(isa, runs, tmp);
      results.push(r);
      process.stdout.write(
        `${isa}: ${(r.bytes / 1e6).toFixed(2)} MB (${r.file}), ${r.diagnostics} diagnostics\n` +
          `  parseAsm   best of ${runs}: ${r.parseMs.toFixed(1)} ms = ${mbps(r.bytes, r.parseMs).toFixed(2)} MB/s\n` +
          `  ${asCommand(isa)} best of ${runs}: ${r.asMs.toFixed(1)} ms = ${mbps(r.bytes, r.asMs).toFixed(2)} MB/s\n` +
          `  ratio (ours / as): ${(r.asMs / r.parseMs).toFixed(3)}\n`,
      );
    }
    const bytes = results.reduce((s, r) => s + r.bytes, 0);
    const parseMs = results.reduce((s, r) => s + r.parseMs, 0);
    const asMs = results.reduce((s, r) => s + r.asMs, 0);
    const json: Record<string, unknown> = {
      bench: 'parse',
      isa: isas.length === 1 ? isas[0] : 'both',
      bytes,
      mb_per_s: round(mbps(bytes, parseMs)),
      as_mb_per_s: round(mbps(bytes, asMs)),
      ratio_vs_as: round(asMs / parseMs),
    };
    for (const r of results) {
      json[r.isa] = {
        bytes: r.bytes,
        mb_per_s: round(mbps(r.bytes, r.parseMs)),
        as_mb_per_s: round(mbps(r.bytes, r.asMs)),
        ratio_vs_as: round(r.asMs / r.parseMs),
        diagnostics: r.diagnostics,
      };
    }
    process.stdout.write(JSON.stringify(json) + '\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bench parse: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
