// The `gns` command: dispatches subcommands, reports errors with locations, and maps outcomes
// to documented exit codes. No stack traces reach the user unless GNS_DEBUG=1.

import { readFileSync, writeFileSync, realpathSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, IsaName, ParseResult } from '../ir/program.js';
import { parseAsm, printProgram, isaNames, frontEnd } from '../asm/index.js';
import { detectIsa } from '../asm/detect.js';
import { buildCfgs } from '../cfg/cfg.js';
import { cfgJson, renderCfgText } from '../cfg/render.js';
import { parseArgs, type FlagSpec, type ParsedArgs } from './args.js';
import { ProgressBar } from './progress.js';
import { BACKEND_REQUESTS, BackendUnavailableError, isBackendRequest, type BackendRequest } from '../lm/engine/backend.js';
import { GpuFailedError } from '../lm/engine/gpu/kernels.js';
import { semanticsFor } from '../isa/semantics.js';
import { coverage, type CoverageReport } from '../emu/coverage.js';

/** Exit codes, documented in README.md. */
export const ExitCode = {
  ok: 0,
  /** The input had errors (diagnostics were reported). */
  inputErrors: 1,
  /** Bad command line. */
  usage: 2,
  /** A file could not be read or written. */
  io: 3,
  /** `verify`: no block refuted, but not every block proven (TESTED, UNSUPPORTED, unmatched). */
  notProven: 4,
  /** `verify`: some block was refuted (a counterexample was found). */
  refuted: 5,
  /** `train`, `lm decode`: `--backend gpu` where Dawn finds no WebGPU adapter, or the GPU failed while running. */
  unavailable: 6,
  /** A bug in gns. */
  internal: 70,
} as const;

class CliError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

const commonFlags: FlagSpec[] = [
  { name: 'json', value: false },
  { name: 'help', value: false, alias: 'h' },
];
const isaFlags: FlagSpec[] = [{ name: 'isa', value: true, alias: 'from' }];

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly FlagSpec[];
  run(args: ParsedArgs): Promise<number> | number;
}

const commands: Record<string, Command> = {
  blocks: {
    summary: 'print functions, basic blocks, successors and live registers',
    usage: 'gns blocks <file.s...> [--isa aarch64|riscv64] [--json]',
    flags: [...commonFlags, ...isaFlags],
    run: runBlocks,
  },
  coverage: {
    summary: 'report which instruction forms have semantics, and the missing ones by frequency',
    usage: 'gns coverage <file.s...> [--isa aarch64|riscv64] [--json]',
    flags: [...commonFlags, ...isaFlags],
    run: runCoverage,
  },
  verify: {
    summary: 'check a translation block by block: PROVEN, TESTED, REFUTED (with a counterexample) or UNSUPPORTED',
    usage: 'gns verify <source.s> <target.s> [--from aarch64|riscv64] [--to aarch64|riscv64] [--function NAME] [--timeout MS] [--tests N] [--seed N] [--exact] [--json]',
    flags: [
      ...commonFlags,
      { name: 'from', value: true },
      { name: 'to', value: true },
      { name: 'function', value: true, alias: 'f' },
      { name: 'timeout', value: true },
      { name: 'tests', value: true },
      { name: 'seed', value: true },
      { name: 'exact', value: false },
    ],
    run: runVerify,
  },
  sketch: {
    summary: 'repair a target block: fill holes (immediates, registers, opcodes) with Z3/CEGIS until the block is PROVEN',
    usage: 'gns sketch <source.s> <target.s> --hole LINE:OPERAND|LINE:op=ALT/ALT[,...] --out FILE [--from ISA] [--to ISA] [--timeout MS] [--exact] [--json]',
    flags: [
      ...commonFlags,
      { name: 'from', value: true },
      { name: 'to', value: true },
      { name: 'hole', value: true },
      { name: 'out', value: true, alias: 'o' },
      { name: 'timeout', value: true },
      { name: 'exact', value: false },
    ],
    run: runSketch,
  },
  data: {
    summary: 'build the parallel training corpus from C (both cross gccs), or print its statistics',
    usage:
      'gns data build [--out DIR] [--csmith SEEDS] [--gcc-tests N|all] [--gcc-source PATH] [--c-dir DIR[,DIR...]] [--opt O0[,O1,O2]] [--seed N] [--split 90/5/5] [--jobs N] [--json]\n' +
      '           gns data stats [DIR] [--json]',
    flags: [
      ...commonFlags,
      { name: 'out', value: true, alias: 'o' },
      { name: 'csmith', value: true },
      { name: 'gcc-tests', value: true },
      { name: 'gcc-source', value: true },
      { name: 'c-dir', value: true },
      { name: 'opt', value: true },
      { name: 'seed', value: true },
      { name: 'split', value: true },
      { name: 'jobs', value: true, alias: 'j' },
    ],
    run: runData,
  },
  train: {
    summary: 'train the transformer on a corpus (on the GPU when there is one, else the CPU); saves config, safetensors weights and optimizer state',
    usage:
      'gns train --config model.json --data DIR --steps N --out DIR [--batch N] [--max-tokens N] [--lr X] [--seed N] [--save-every K] [--dtype f32|f64]\n' +
      '           [--resume] [--direction aarch64-riscv64|riscv64-aarch64] [--backend auto|gpu|cpu|reference] [--threads N] [--json]',
    flags: [
      ...commonFlags,
      { name: 'config', value: true },
      { name: 'data', value: true },
      { name: 'steps', value: true },
      { name: 'out', value: true, alias: 'o' },
      { name: 'batch', value: true },
      { name: 'max-tokens', value: true },
      { name: 'lr', value: true },
      { name: 'seed', value: true },
      { name: 'save-every', value: true },
      { name: 'dtype', value: true },
      { name: 'resume', value: false },
      { name: 'direction', value: true },
      { name: 'backend', value: true },
      { name: 'threads', value: true },
    ],
    run: runTrain,
  },
  lm: {
    summary: 'run a trained model: translate one block of assembly by beam search (beam 1: greedy)',
    usage: 'gns lm decode --model DIR --input FILE|- [--from ISA] [--beam K] [--max-len N] [--top-k K] [--backend auto|gpu|cpu|reference] [--json]',
    flags: [
      ...commonFlags,
      { name: 'model', value: true },
      { name: 'input', value: true, alias: 'i' },
      { name: 'from', value: true },
      { name: 'beam', value: true },
      { name: 'max-len', value: true },
      { name: 'top-k', value: true },
      { name: 'backend', value: true },
    ],
    run: runLm,
  },
  fmt: {
    summary: 'print an assembly file back from the IR',
    usage: 'gns fmt <file.s> [--isa aarch64|riscv64] [--canonical] [--out FILE] [--json]',
    flags: [...commonFlags, ...isaFlags, { name: 'canonical', value: false }, { name: 'out', value: true, alias: 'o' }],
    run: runFmt,
  },
};

function helpText(): string {
  const lines = ['gns: Guess & Sketch assembly transpiler (AArch64 <-> RISC-V 64)', '', 'Commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(8)} ${c.summary}`, `           ${c.usage}`);
  lines.push('', 'Exit codes: 0 ok (verify: every block proven), 1 input errors, 2 usage error, 3 file error,', '  4 verify: not every block proven, 5 verify: a block was refuted, 70 internal error.');
  return lines.join('\n');
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText() + '\n');
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`gns: unknown command '${name}'\n\n${helpText()}\n`);
    return ExitCode.usage;
  }
  const args = parseArgs(rest, command.flags);
  if ('error' in args) {
    process.stderr.write(`gns ${name}: ${args.error}\nusage: ${command.usage}\n`);
    return ExitCode.usage;
  }
  if (args.flags.has('help')) {
    process.stdout.write(`usage: ${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(args);
  } catch (e) {
    if (e instanceof CliError) {
      if (args.flags.has('json')) process.stdout.write(JSON.stringify({ error: e.message, exitCode: e.code }) + '\n');
      else process.stderr.write(`gns ${name}: ${e.message}\n`);
      return e.code;
    }
    process.stderr.write(`gns ${name}: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env['GNS_DEBUG'] === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return ExitCode.internal;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

interface LoadedFile {
  readonly path: string;
  readonly text: string;
  readonly result: ParseResult;
}

/** Reads (as latin1, so bytes round-trip) and parses one file, choosing its ISA. */
function loadAsm(path: string, isaFlag: string | true | undefined, role = ''): LoadedFile {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`cannot read '${path}': ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`, ExitCode.io);
  }
  let isa: IsaName | undefined;
  if (typeof isaFlag === 'string') {
    if (!(isaNames as readonly string[]).includes(isaFlag)) throw new CliError(`unknown ISA '${isaFlag}' (expected ${isaNames.join(' or ')})`, ExitCode.usage);
    isa = isaFlag as IsaName;
    const seen = detectIsa(text);
    if (role && seen && seen !== isa) throw new CliError(`${role} '${path}' looks like ${seen} code, not ${isa}; check --from/--to`, ExitCode.usage);
  } else {
    isa = detectIsa(text);
    if (!isa) throw new CliError(`cannot tell the ISA of '${path}'; pass --isa ${isaNames.join('|')}`, ExitCode.usage);
  }
  return { path, text, result: parseAsm(text, { isa, file: path }) };
}

/** Formats a diagnostic like a compiler: `file:line:col: error: message`, the line, a caret. */
export function formatDiagnostic(d: Diagnostic, text: string): string {
  const lineStart = d.span.offset - (d.span.column - 1);
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/[^\t\x20-\x7e]/g, '?');
  const caret = line.slice(0, d.span.column - 1).replace(/[^\t]/g, ' ') + '^';
  return `${d.span.file}:${d.span.line}:${d.span.column}: ${d.severity}: ${d.message}\n  ${line}\n  ${caret}`;
}

function reportDiagnostics(files: readonly LoadedFile[]): number {
  let errors = 0;
  for (const f of files) {
    for (const d of f.result.diagnostics) {
      process.stderr.write(formatDiagnostic(d, f.text) + '\n');
      if (d.severity === 'error') errors++;
    }
  }
  return errors;
}

function requireFiles(args: ParsedArgs, usage: string): string[] {
  if (args.positionals.length === 0) throw new CliError(`no input files\nusage: ${usage}`, ExitCode.usage);
  return args.positionals;
}

// ---------------------------------------------------------------------------------------------
// gns blocks
// ---------------------------------------------------------------------------------------------

function runBlocks(args: ParsedArgs): number {
  const paths = requireFiles(args, commands['blocks']!.usage);
  const json = args.flags.has('json');
  const bar = new ProgressBar(paths.length, 'blocks', !json && paths.length > 1 && process.stderr.isTTY === true);
  const files: LoadedFile[] = [];
  const outputs: unknown[] = [];
  let text = '';
  for (const path of paths) {
    const f = loadAsm(path, args.flags.get('isa'));
    files.push(f);
    bar.tick(path);
    const { program } = f.result;
    const cfgs = buildCfgs(program, frontEnd(program.isa));
    outputs.push({ file: path, isa: program.isa, diagnostics: f.result.diagnostics, functions: cfgJson(program, cfgs) });
    text += renderCfgText(program, cfgs);
  }
  bar.finish();
  const hasErrors = files.some((f) => f.result.diagnostics.some((d) => d.severity === 'error'));
  if (json) {
    process.stdout.write(JSON.stringify({ files: outputs, ok: !hasErrors }, bigintJson, 2) + '\n');
  } else {
    reportDiagnostics(files);
    process.stdout.write(text);
  }
  return hasErrors ? ExitCode.inputErrors : ExitCode.ok;
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

// ---------------------------------------------------------------------------------------------
// gns coverage
// ---------------------------------------------------------------------------------------------

function runCoverage(args: ParsedArgs): number {
  const paths = requireFiles(args, commands['coverage']!.usage);
  const json = args.flags.has('json');
  const bar = new ProgressBar(paths.length, 'coverage', !json && paths.length > 1 && process.stderr.isTTY === true);
  const byIsa = new Map<IsaName, LoadedFile[]>();
  for (const path of paths) {
    const f = loadAsm(path, args.flags.get('isa'));
    byIsa.set(f.result.program.isa, [...(byIsa.get(f.result.program.isa) ?? []), f]);
    bar.tick(path);
  }
  bar.finish();
  const reports: { isa: IsaName; files: number; report: CoverageReport }[] = [];
  for (const [isa, files] of byIsa) {
    const fe = frontEnd(isa);
    reports.push({ isa, files: files.length, report: coverage(semanticsFor(isa), files.map((f) => f.result.program), (i) => fe.printInstruction(i, false)) });
  }
  const all = [...byIsa.values()].flat();
  const hasErrors = all.some((f) => f.result.diagnostics.some((d) => d.severity === 'error'));
  if (json) {
    process.stdout.write(JSON.stringify({ reports, ok: !hasErrors }) + '\n');
    return hasErrors ? ExitCode.inputErrors : ExitCode.ok;
  }
  reportDiagnostics(all);
  const pct = (a: number, b: number): string => (b === 0 ? '100.00' : ((100 * a) / b).toFixed(2));
  for (const { isa, files, report: r } of reports) {
    let text = `${isa}: ${files} file(s), ${r.total} instructions\n`;
    text += `  covered: ${r.covered}/${r.total} (${pct(r.covered, r.total)}%), integer: ${r.integerCovered}/${r.integerTotal} (${pct(r.integerCovered, r.integerTotal)}%)\n`;
    text += `  forms with semantics: ${r.supported.length}; forms missing: ${r.missing.length}\n`;
    if (r.missing.length) {
      text += '  missing, by frequency:\n';
      for (const m of r.missing) text += `    ${String(m.count).padStart(7)}  ${m.form.padEnd(24)} ${m.kind.padEnd(8)} e.g. ${m.example}\n`;
    }
    process.stdout.write(text);
  }
  return hasErrors ? ExitCode.inputErrors : ExitCode.ok;
}

// ---------------------------------------------------------------------------------------------
// gns verify
// ---------------------------------------------------------------------------------------------

function intFlag(args: ParsedArgs, name: string, min: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new CliError(`--${name} needs an integer >= ${min}, got '${String(v)}'`, ExitCode.usage);
  return n;
}

/** The two positionals of `verify` and `sketch`: a source and a target file of different ISAs. */
function loadTranslation(args: ParsedArgs, name: string): { srcPath: string; tgtPath: string; src: LoadedFile; tgt: LoadedFile } {
  if (args.positionals.length !== 2) throw new CliError(`${name} takes a source and a target file\nusage: ${commands[name]!.usage}`, ExitCode.usage);
  const [srcPath, tgtPath] = args.positionals as [string, string];
  const src = loadAsm(srcPath, args.flags.get('from'), 'source');
  const tgt = loadAsm(tgtPath, args.flags.get('to'), 'target');
  const isa = src.result.program.isa;
  if (isa === tgt.result.program.isa) throw new CliError(`source and target are both ${isa}; ${name} works on a translation between two ISAs (use --from/--to if detection is wrong)`, ExitCode.usage);
  return { srcPath, tgtPath, src, tgt };
}

async function runVerify(args: ParsedArgs): Promise<number> {
  const json = args.flags.has('json');
  const timeoutMs = intFlag(args, 'timeout', 1);
  const tests = intFlag(args, 'tests', 0);
  const seed = intFlag(args, 'seed', 0);
  const { srcPath, tgtPath, src, tgt } = loadTranslation(args, 'verify');
  const [ps, pt] = [src.result.program, tgt.result.program];
  const inputErrors = [src, tgt].some((f) => f.result.diagnostics.some((d) => d.severity === 'error'));
  if (!json) reportDiagnostics([src, tgt]);
  for (const [f, role] of [[src, 'source'], [tgt, 'target']] as const) {
    if (f.result.program.functions.length === 0) throw new CliError(`${role} '${f.path}' defines no functions (nothing to verify)`, ExitCode.inputErrors);
  }
  const only = args.flags.get('function');
  if (typeof only === 'string' && !ps.functions.some((fn) => fn.name === only)) throw new CliError(`source '${srcPath}' has no function '${only}'`, ExitCode.usage);
  const { createVerifier } = await import('../verify/check.js');
  const verifier = await createVerifier();
  const total = typeof only === 'string' ? 1 : ps.functions.filter((fn) => pt.functions.some((g) => g.name === fn.name)).length;
  const bar = new ProgressBar(total, 'verify', !json && process.stderr.isTTY === true);
  const report = await verifier.verifyPrograms(ps, pt, {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(tests !== undefined ? { tests } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(typeof only === 'string' ? { functions: [only] } : {}),
    exact: args.flags.has('exact'),
    progress: (_done, _total, name) => bar.tick(name),
  });
  bar.finish();
  const c = report.counts;
  const unmatched = report.unmatchedFunctions.source.length + report.unmatchedFunctions.target.length;
  const code = inputErrors ? ExitCode.inputErrors : c.REFUTED > 0 ? ExitCode.refuted : c.TESTED + c.UNSUPPORTED + unmatched > 0 ? ExitCode.notProven : ExitCode.ok;
  if (json) {
    process.stdout.write(JSON.stringify({ sourceFile: srcPath, targetFile: tgtPath, ...report, diagnostics: [...src.result.diagnostics, ...tgt.result.diagnostics], exitCode: code }, bigintJson, 2) + '\n');
    return code;
  }
  process.stdout.write(renderVerifyText(report, srcPath, tgtPath));
  return code;
}

function renderVerifyText(report: import('../verify/check.js').VerifyReport, srcPath: string, tgtPath: string): string {
  const where = (p: { index: number; label?: string; line?: number }): string => `${p.label ?? `block ${p.index}`}${p.line !== undefined ? ` (line ${p.line})` : ''}`;
  const sourceOf = (b: import('../verify/check.js').BlockReport): string => (b.added ? 'edge (added)' : where(b.source));
  // A target block with no instruction is one gns added on an edge; a region shows its size.
  const targetOf = (b: import('../verify/check.js').BlockReport): string =>
    !b.target ? '-' : b.target.line === undefined ? 'edge (added)' : `${where(b.target)}${b.targetBlocks ? ` +${b.targetBlocks - 1} blocks` : ''}`;
  const how = (b: import('../verify/check.js').BlockReport): string => (b.region ? `, with the region of ${where(b.region)}` : b.added ? ', the target\'s own work on an edge' : '');
  let out = `${srcPath} (${report.source}) -> ${tgtPath} (${report.target})\n`;
  for (const f of report.functions) {
    const n = { PROVEN: 0, TESTED: 0, REFUTED: 0, UNSUPPORTED: 0 };
    for (const b of f.blocks) n[b.verdict.kind]++;
    out += `\n${f.name}: ${f.blocks.length} blocks: ${n.PROVEN} proven, ${n.TESTED} tested, ${n.REFUTED} refuted, ${n.UNSUPPORTED} unsupported (frame shift ${f.frame.delta}${f.frame.slots ? `; slots ${f.frame.slots.join(' ')}` : ''})\n`;
    for (const note of f.notes) out += `  note: ${note}\n`;
    for (const b of f.blocks) {
      const v = b.verdict;
      const detail = v.kind === 'PROVEN' ? `(${v.by}${v.context ? `, under the path through its ${v.context} predecessor(s)` : ''}${how(b)})` : v.kind === 'TESTED' ? `(${v.tests} tests; ${v.reason}${how(b)})` : v.kind === 'UNSUPPORTED' ? `(${v.reason}${how(b)})` : `(found by ${v.foundBy}${how(b)})`;
      out += `  ${sourceOf(b).padEnd(24)} -> ${targetOf(b).padEnd(24)} ${v.kind} ${detail}\n`;
      if (v.kind === 'REFUTED') {
        for (const d of v.counterexample.diverged) out += `      diverged: ${d}\n`;
        const regs = (r: Readonly<Record<string, string>>): string => Object.entries(r).slice(0, 12).map(([k, x]) => `${k}=${x}`).join(' ');
        out += `      from CFA=${v.counterexample.cfa}; source ${regs(v.counterexample.source)}\n      target ${regs(v.counterexample.target)}\n`;
      }
    }
    for (const t of f.unmatchedTarget) out += `  ${'-'.padEnd(24)} -> ${where(t).padEnd(24)} (target block with no source block)\n`;
  }
  const { source, target } = report.unmatchedFunctions;
  if (source.length) out += `\nonly in the source: ${source.join(', ')}\n`;
  if (target.length) out += `only in the target: ${target.join(', ')}\n`;
  const c = report.counts;
  out += `\ntotal: ${c.PROVEN} proven, ${c.TESTED} tested, ${c.REFUTED} refuted, ${c.UNSUPPORTED} unsupported\n`;
  out += `assuming: ${report.assumptions.join('; ')}\n`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// gns sketch
// ---------------------------------------------------------------------------------------------

async function runSketch(args: ParsedArgs): Promise<number> {
  const usage = commands['sketch']!.usage;
  const json = args.flags.has('json');
  const outPath = args.flags.get('out');
  if (typeof outPath !== 'string') throw new CliError(`sketch needs --out FILE for the repaired target\nusage: ${usage}`, ExitCode.usage);
  if (args.positionals.some((input) => sameFile(outPath, input))) throw new CliError(`refusing to overwrite an input file ('${outPath}'); choose another --out`, ExitCode.usage);
  const timeoutMs = intFlag(args, 'timeout', 1);
  // The parser keeps only the last value of a repeated flag, so holes may also be comma-separated.
  const holeSpecs = String(args.flags.get('hole') ?? '').split(',').filter(Boolean);
  if (holeSpecs.length === 0) throw new CliError(`give at least one --hole LINE:OPERAND\nusage: ${usage}`, ExitCode.usage);
  const { srcPath, tgtPath, src, tgt } = loadTranslation(args, 'sketch');
  const [ps, pt] = [src.result.program, tgt.result.program];
  const holes = holeSpecs.map((spec) => parseHole(spec, pt));
  const { createVerifier } = await import('../verify/check.js');
  const { sketchBlock } = await import('../sketch/cegis.js');
  const verifier = await createVerifier();
  const { pairs } = verifier.pairContexts(ps, pt, { exact: args.flags.has('exact') });
  const stmt = holes[0]!.stmt;
  const ctx = pairs.find((p) => p.target.cfg.blocks.some((b) => b.instructions.includes(stmt)));
  if (!ctx) throw new CliError(`line ${pt.statements[stmt]!.span.line} of '${tgtPath}' is in no function that the source also defines`, ExitCode.inputErrors);
  // The source block whose partner (a block, or a region of blocks) holds the first hole.
  const { unitOf } = await import('../verify/correspond.js');
  const bs = [...ctx.matching.pairs.keys()].find((s) => unitOf(ctx.matching, s)!.target.blocks.some((b) => ctx.target.cfg.blocks[b]!.instructions.includes(stmt)));
  if (bs === undefined) throw new CliError(`the block of line ${pt.statements[stmt]!.span.line} corresponds to no source block`, ExitCode.inputErrors);
  const unitStmts = unitOf(ctx.matching, bs)!.target.blocks.flatMap((b) => ctx.target.cfg.blocks[b]!.instructions);
  if (holes.some((h) => !unitStmts.includes(h.stmt))) throw new CliError('all holes must be in the target code of one source block (one basic block, or the region it is paired with)', ExitCode.usage);
  const { relation } = await verifier.checkFunction(ctx);
  const result = await sketchBlock(verifier, ctx, relation, bs, holes, timeoutMs !== undefined ? { timeoutMs } : {});
  const code = result.status === 'filled' ? ExitCode.ok : result.status === 'unsupported' ? ExitCode.inputErrors : ExitCode.notProven;
  if (result.status === 'filled') {
    try {
      writeFileSync(outPath, printProgram(result.program), 'latin1');
    } catch (e) {
      throw new CliError(`cannot write '${outPath}': ${(e as Error).message}`, ExitCode.io);
    }
  }
  if (json) {
    process.stdout.write(JSON.stringify({ source: srcPath, target: tgtPath, function: ctx.name, ...result, program: undefined, out: result.status === 'filled' ? outPath : null, exitCode: code }, bigintJson, 2) + '\n');
    return code;
  }
  if (result.status === 'filled') {
    process.stdout.write(`${ctx.name}: block PROVEN after filling ${result.fills.length} hole(s) (${result.iterations} CEGIS round(s), ${Math.round(result.ms)} ms); wrote ${outPath}\n`);
    for (const f of result.fills) process.stdout.write(`  ${f.where}: ${f.value}${f.changed ? '' : ' (unchanged)'}  ->  ${f.instruction}\n`);
  } else {
    process.stdout.write(`${ctx.name}: ${result.status}: ${result.reason}\n`);
  }
  return code;
}

/** `LINE:N` (1-based operand: an immediate, offset or register) or `LINE:op=a/b/c` (a mnemonic). */
function parseHole(spec: string, program: import('../ir/program.js').Program): import('../sketch/holes.js').Hole {
  const m = /^(\d+):(?:(\d+)|op=([\w.]+(?:\/[\w.]+)*))$/.exec(spec.trim());
  if (!m) throw new CliError(`bad --hole '${spec}': expected LINE:OPERAND or LINE:op=ALT/ALT`, ExitCode.usage);
  const line = Number(m[1]);
  const stmt = program.statements.findIndex((s) => s.kind === 'insn' && s.span.line === line);
  if (stmt < 0) throw new CliError(`--hole ${spec}: line ${line} of the target has no instruction`, ExitCode.usage);
  if (m[3] !== undefined) return { kind: 'opcode', stmt, alternatives: m[3].split('/') };
  const operand = Number(m[2]) - 1;
  const op = (program.statements[stmt] as import('../ir/program.js').Instruction).operands[operand];
  if (!op) throw new CliError(`--hole ${spec}: the instruction on line ${line} has no operand ${operand + 1}`, ExitCode.usage);
  if (op.kind === 'reg') return { kind: 'reg', stmt, operand };
  if (op.kind === 'imm' || op.kind === 'mem') return { kind: 'imm', stmt, operand };
  throw new CliError(`--hole ${spec}: operand ${operand + 1} on line ${line} is neither a register, an immediate nor a memory offset`, ExitCode.usage);
}

// ---------------------------------------------------------------------------------------------
// gns fmt
// ---------------------------------------------------------------------------------------------

function runFmt(args: ParsedArgs): number {
  const paths = requireFiles(args, commands['fmt']!.usage);
  if (paths.length !== 1) throw new CliError('fmt takes exactly one input file', ExitCode.usage);
  const path = paths[0]!;
  const f = loadAsm(path, args.flags.get('isa'));
  const out = printProgram(f.result.program, { canonical: args.flags.has('canonical') });
  const outPath = args.flags.get('out');
  const json = args.flags.has('json');
  if (typeof outPath === 'string') {
    if (sameFile(outPath, path)) throw new CliError(`refusing to overwrite the input file '${path}'; choose another --out`, ExitCode.usage);
    try {
      writeFileSync(outPath, out, 'latin1');
    } catch (e) {
      throw new CliError(`cannot write '${outPath}': ${(e as Error).message}`, ExitCode.io);
    }
  }
  const hasErrors = f.result.diagnostics.some((d) => d.severity === 'error');
  if (json) {
    process.stdout.write(JSON.stringify({ file: path, isa: f.result.program.isa, out: typeof outPath === 'string' ? outPath : null, text: typeof outPath === 'string' ? undefined : out, diagnostics: f.result.diagnostics, ok: !hasErrors }) + '\n');
  } else {
    reportDiagnostics([f]);
    if (typeof outPath !== 'string') process.stdout.write(out);
  }
  return hasErrors ? ExitCode.inputErrors : ExitCode.ok;
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return existsSync(a) && realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// gns data
// ---------------------------------------------------------------------------------------------

async function runData(args: ParsedArgs): Promise<number> {
  const usage = commands['data']!.usage;
  const [sub, ...rest] = args.positionals;
  const json = args.flags.has('json');
  if (sub === 'build') {
    if (rest.length > 0) throw new CliError(`data build takes no positional arguments (got '${rest[0]}')\nusage: ${usage}`, ExitCode.usage);
    return domainErrors(() => runDataBuild(args, json));
  }
  if (sub === 'stats') {
    if (rest.length > 1) throw new CliError(`data stats takes one corpus folder\nusage: ${usage}`, ExitCode.usage);
    return domainErrors(async () => {
      const { corpusStats, renderStats } = await import('../data/stats.js');
      let bar: ProgressBar | undefined;
      let shown = 0;
      const stats = corpusStats(rest[0] ?? 'data', (done, total) => {
        bar ??= new ProgressBar(total, 'stats', !json && process.stderr.isTTY === true);
        bar.tick('', done - shown);
        shown = done;
      });
      bar?.finish();
      process.stdout.write(json ? JSON.stringify(stats, null, 2) + '\n' : renderStats(stats));
      return ExitCode.ok;
    });
  }
  throw new CliError(`${sub === undefined ? 'data needs a subcommand' : `unknown data subcommand '${sub}'`}: build or stats\nusage: ${usage}`, ExitCode.usage);
}

async function runDataBuild(args: ParsedArgs, json: boolean): Promise<number> {
  const { buildCorpus } = await import('../data/build.js');
  const { parseSeeds } = await import('../data/sources.js');
  let csmithSeeds: number[] = [];
  const seedSpec = stringFlag(args, 'csmith');
  if (seedSpec !== undefined) {
    const parsed = parseSeeds(seedSpec);
    if (typeof parsed === 'string') throw new CliError(`--csmith: ${parsed}`, ExitCode.usage);
    csmithSeeds = parsed;
  }
  const gccSpec = stringFlag(args, 'gcc-tests') ?? '0';
  if (gccSpec !== 'all' && !/^[0-9]+$/.test(gccSpec)) throw new CliError(`--gcc-tests takes a count or 'all', got '${gccSpec}'`, ExitCode.usage);
  const opts = (stringFlag(args, 'opt') ?? 'O0').split(',').map((o) => o.trim());
  for (const o of opts) if (!['O0', 'O1', 'O2'].includes(o)) throw new CliError(`--opt takes O0, O1 or O2 (comma-separated), got '${o}'`, ExitCode.usage);
  const splitSpec = stringFlag(args, 'split') ?? '90/5/5';
  const parts = /^(\d+)\/(\d+)\/(\d+)$/.exec(splitSpec)?.slice(1).map(Number);
  if (!parts || parts[0]! + parts[1]! + parts[2]! !== 100 || parts[0] === 0) throw new CliError(`--split takes train/valid/test percentages that add up to 100, like 90/5/5; got '${splitSpec}'`, ExitCode.usage);
  const cDirs = stringFlag(args, 'c-dir')?.split(',').filter(Boolean) ?? defaultCDirs();
  const { cpus } = await import('node:os');
  const jobs = intFlag(args, 'jobs', 1) ?? Math.max(1, cpus().length);
  let bar: ProgressBar | undefined;
  const result = await buildCorpus({
    out: stringFlag(args, 'out') ?? 'data',
    csmithSeeds,
    gccTests: gccSpec === 'all' ? 'all' : Number(gccSpec),
    ...(stringFlag(args, 'gcc-source') !== undefined ? { gccSource: stringFlag(args, 'gcc-source')! } : {}),
    projectDirs: cDirs,
    opts: opts as ('O0' | 'O1' | 'O2')[],
    seed: intFlag(args, 'seed', 0) ?? 1,
    split: [parts[0]! / 100, parts[1]! / 100],
    jobs,
    command: ['gns', 'data', 'build', ...process.argv.slice(4)],
    onProblem: (p) => {
      if (!json) process.stderr.write(`gns data: ${p.message}\n`);
    },
    onProgress: (done, total, detail) => {
      bar ??= new ProgressBar(total, 'data', !json && process.stderr.isTTY === true);
      bar.tick(detail);
    },
  });
  bar?.finish();
  const m = result.manifest;
  const summary = { out: result.out, seconds: Math.round(result.seconds * 10) / 10, programsPerSecond: Math.round(result.programsPerSecond * 100) / 100, programs: m.counts.programs, pairs: m.counts.pairs, vocab: m.vocab, problems: m.problems };
  if (json) {
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return ExitCode.ok;
  }
  const p = m.counts.programs;
  process.stdout.write(`wrote ${result.out}: ${p.kept} of ${p.found} programs (train ${p.bySplit.train}, valid ${p.bySplit.valid}, test ${p.bySplit.test}), ${m.counts.pairs.kept} block pairs (${m.counts.pairs.duplicates} duplicates dropped), vocabulary ${m.vocab.size} tokens\n`);
  for (const [g, n] of Object.entries(m.counts.pairs.byGroup).sort()) process.stdout.write(`  ${g.padEnd(32)} ${n}\n`);
  for (const [r, n] of Object.entries(p.dropped).sort((a, b) => b[1] - a[1])) process.stdout.write(`  dropped: ${r}: ${n}\n`);
  process.stdout.write(`${summary.seconds} s, ${summary.programsPerSecond} programs/s; see ${result.out}/programs.jsonl for every program's outcome\n`);
  return ExitCode.ok;
}

/** The project's own C programs: the test fixtures and corpus/c, found from the package root. */
function defaultCDirs(): string[] {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return ['test/fixtures/c', 'corpus/c'].map((d) => resolve(root, d)).filter((d) => existsSync(d));
}

// ---------------------------------------------------------------------------------------------
// gns train and gns lm
// ---------------------------------------------------------------------------------------------

/** Maps the corpus and language-model modules' errors to exit codes: bad input 1, bad flags 2, files 3. */
async function domainErrors<T>(work: () => Promise<T>): Promise<T> {
  const { CommandError } = await import('./train.js');
  const { WeightsError } = await import('../lm/safetensors.js');
  const { DataError } = await import('../data/build.js');
  const { VocabError } = await import('../lm/tokenizer.js');
  try {
    return await work();
  } catch (e) {
    if (e instanceof CommandError) throw new CliError(e.message, e.kind === 'usage' ? ExitCode.usage : e.kind === 'io' ? ExitCode.io : ExitCode.inputErrors);
    if (e instanceof WeightsError || e instanceof VocabError) throw new CliError(e.message, ExitCode.io);
    if (e instanceof DataError) throw new CliError(e.message, e.kind === 'input' ? ExitCode.inputErrors : ExitCode.io);
    if (e instanceof BackendUnavailableError) throw new CliError(e.message, ExitCode.unavailable);
    if (e instanceof GpuFailedError) throw new CliError(`${e.message}; use --backend cpu`, ExitCode.unavailable);
    throw e;
  }
}

function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** `--backend` (or `GNS_BACKEND`): auto, the default (the GPU when there is a hardware adapter, else the CPU), gpu, cpu or reference. */
function backendFlag(args: ParsedArgs): BackendRequest {
  const backend = stringFlag(args, 'backend') ?? process.env['GNS_BACKEND'] ?? 'auto';
  if (!isBackendRequest(backend)) throw new CliError(`unknown --backend '${backend}' (${BACKEND_REQUESTS.join(', ')})`, ExitCode.usage);
  return backend;
}

function positiveNumberFlag(args: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new CliError(`--${name} needs a positive number, got '${v}'`, ExitCode.usage);
  return n;
}

async function runTrain(args: ParsedArgs): Promise<number> {
  const usage = commands['train']!.usage;
  const json = args.flags.has('json');
  if (args.positionals.length > 0) throw new CliError(`train takes no positional arguments (got '${args.positionals[0]}')\nusage: ${usage}`, ExitCode.usage);
  const backend = backendFlag(args);
  const threads = intFlag(args, 'threads', 1);
  const data = stringFlag(args, 'data');
  const out = stringFlag(args, 'out');
  if (data === undefined || out === undefined) throw new CliError(`train needs --data DIR (a corpus from gns data build) and --out DIR\nusage: ${usage}`, ExitCode.usage);
  const dtype = stringFlag(args, 'dtype')?.toUpperCase();
  if (dtype !== undefined && dtype !== 'F32' && dtype !== 'F64') throw new CliError(`--dtype takes f32 or f64, got '${stringFlag(args, 'dtype')}'`, ExitCode.usage);
  const steps = intFlag(args, 'steps', 1);
  const batch = intFlag(args, 'batch', 1);
  const maxTokens = intFlag(args, 'max-tokens', 1);
  const seed = intFlag(args, 'seed', 0);
  const lr = positiveNumberFlag(args, 'lr');
  const config = stringFlag(args, 'config');
  return domainErrors(async () => {
    const { runTraining, renderTrainSummary } = await import('./train.js');
    let bar: ProgressBar | undefined;
    const summary = await runTraining(
      {
        backend,
        ...(threads !== undefined ? { threads } : {}),
        ...(config !== undefined ? { config } : {}),
        data,
        ...(steps !== undefined ? { steps } : {}),
        out,
        ...(batch !== undefined ? { batch } : {}),
        ...(maxTokens !== undefined ? { maxTokens } : {}),
        ...(lr !== undefined ? { lr } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(dtype !== undefined ? { weights: dtype } : {}),
        resume: args.flags.has('resume'),
        direction: stringFlag(args, 'direction') ?? 'aarch64-riscv64',
        saveEvery: intFlag(args, 'save-every', 0) ?? 1000,
      },
      (done, total, detail) => {
        bar ??= new ProgressBar(total, 'train', !json && process.stderr.isTTY === true);
        bar.tick(detail);
      },
    );
    bar?.finish();
    process.stdout.write(json ? JSON.stringify(summary, null, 2) + '\n' : renderTrainSummary(summary));
    return ExitCode.ok;
  });
}

async function runLm(args: ParsedArgs): Promise<number> {
  const usage = commands['lm']!.usage;
  const json = args.flags.has('json');
  const [sub, ...rest] = args.positionals;
  if (sub !== 'decode') throw new CliError(`${sub === undefined ? 'lm needs a subcommand' : `unknown lm subcommand '${sub}'`}: decode\nusage: ${usage}`, ExitCode.usage);
  if (rest.length > 0) throw new CliError(`lm decode takes no positional arguments (got '${rest[0]}'); give the block with --input\nusage: ${usage}`, ExitCode.usage);
  const model = stringFlag(args, 'model');
  const input = stringFlag(args, 'input');
  if (model === undefined || input === undefined) throw new CliError(`lm decode needs --model DIR and --input FILE (or - for stdin)\nusage: ${usage}`, ExitCode.usage);
  const maxLen = intFlag(args, 'max-len', 1);
  const topK = intFlag(args, 'top-k', 1) ?? 5;
  const beam = intFlag(args, 'beam', 1) ?? 1;
  const backend = backendFlag(args);
  const from = stringFlag(args, 'from');
  let text: string;
  try {
    // latin1, as everywhere in gns, so any byte round-trips through the tokenizer's byte tokens.
    text = readFileSync(input === '-' ? 0 : input, 'latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`cannot read '${input}': ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`, ExitCode.io);
  }
  return domainErrors(async () => {
    const { runDecode } = await import('./lm.js');
    const r = await runDecode({ model, text, inputName: input === '-' ? '<stdin>' : input, ...(from !== undefined ? { from } : {}), ...(maxLen !== undefined ? { maxLen } : {}), topK, beam, backend });
    if (json) {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      return ExitCode.ok;
    }
    process.stdout.write(r.text + '\n');
    if (!r.ended) process.stderr.write(`gns lm: the output stopped at the length limit (${r.tokens.length} tokens) without the model ending it\n`);
    return ExitCode.ok;
  });
}
