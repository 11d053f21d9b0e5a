// One file's round trip (parse, print, assemble both, compare) and the worker pool that runs
// many of them. Parsing is CPU-bound and the machines have 2 cores, so files are spread over
// worker threads; each worker assembles its own files one at a time, so no more than one `as`
// per worker runs at once.

import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parseAsm, printProgram } from '../../src/asm/index.js';
import type { Diagnostic } from '../../src/ir/program.js';
import type { CorpusFile } from '../../scripts/corpus.js';
import { assembleAndDump, compareObjects, locateOffset, type ObjectDiff } from './objcompare.js';

export interface Failure {
  readonly file: CorpusFile;
  readonly kind: 'diagnostics' | 'object' | 'threw';
  /** Grouping key: what went wrong, with numbers and quoted names blurred. */
  readonly cause: string;
  readonly detail: string;
}

export interface RoundTripOptions {
  readonly tmp: string;
  /** Print with `{ canonical: true }`. */
  readonly canonical: boolean;
  /** Assemble even when the printed text equals the input byte for byte. */
  readonly forceAssemble: boolean;
}

export interface RoundTripResult {
  readonly failures: Failure[];
  /** Whether both texts were assembled (false when the printed text was identical). */
  readonly assembled: boolean;
  /** Whether the printed text equalled the input byte for byte. */
  readonly identical: boolean;
  readonly parseMs: number;
}

function fmtDiag(d: Diagnostic, lines: string[]): string {
  const src = (lines[d.span.line - 1] ?? '').trim();
  return `${d.span.file}:${d.span.line}:${d.span.column}: ${d.severity} ${d.code}: ${d.message}  | ${src}`;
}

/** A cause for grouping: the diagnostic code and message with numbers and quoted text blurred. */
function diagCause(d: Diagnostic): string {
  return `${d.code}: ${d.message.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "'…'").replace(/\d+/g, 'N')}`;
}

/** The first line where two texts differ, so a report shows what the printer changed. */
function firstTextDiff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return `first text difference at line ${i + 1}: ${JSON.stringify(x[i] ?? null)} -> ${JSON.stringify(y[i] ?? null)}`;
  }
  return 'texts are identical';
}

async function explain(f: CorpusFile, original: string, printed: string, diff: ObjectDiff, tmp: string): Promise<string> {
  const debug = f.flags.includes('-g');
  const parts = [`${diff.kind}: ${diff.detail}`];
  if (diff.section !== undefined && diff.offset !== undefined) {
    const lo = await locateOffset(f.isa, original, diff.section, diff.offset, tmp, { debug });
    const lp = await locateOffset(f.isa, printed, diff.section, diff.offset, tmp, { debug });
    if (lo.line !== undefined) parts.push(`original line ${lo.line}: ${lo.text}`);
    if (lp.line !== undefined) parts.push(`printed line ${lp.line}: ${lp.text}`);
    if (lo.disassembly !== undefined) parts.push(`original disassembly:\n${lo.disassembly}`);
    if (lp.disassembly !== undefined) parts.push(`printed disassembly:\n${lp.disassembly}`);
  }
  parts.push(firstTextDiff(original, printed));
  return parts.join('\n    ');
}

/** Parses, prints and compares one file; returns its failures (none when it round-trips). */
export async function roundTripFile(f: CorpusFile, opts: RoundTripOptions): Promise<RoundTripResult> {
  const original = readFileSync(f.path, 'latin1');
  const failures: Failure[] = [];
  let printed: string;
  const t0 = performance.now();
  let parseMs = 0;
  try {
    const { program, diagnostics } = parseAsm(original, { isa: f.isa, file: f.path });
    parseMs = performance.now() - t0;
    if (diagnostics.length > 0) {
      const lines = original.split('\n');
      failures.push({
        file: f,
        kind: 'diagnostics',
        cause: diagCause(diagnostics[0]!),
        detail: `${diagnostics.length} diagnostics, first: ` + diagnostics.slice(0, 3).map((d) => fmtDiag(d, lines)).join('\n      '),
      });
    }
    printed = printProgram(program, opts.canonical ? { canonical: true } : {});
  } catch (e) {
    failures.push({
      file: f,
      kind: 'threw',
      cause: `threw: ${String(e).split('\n')[0]}`,
      detail: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
    return { failures, assembled: false, identical: false, parseMs };
  }
  // Identical bytes in give an identical object out; assembling would only cost time.
  const identical = printed === original;
  if (identical && !opts.forceAssemble) return { failures, assembled: false, identical, parseMs };
  const debug = f.flags.includes('-g');
  const a = await assembleAndDump(f.isa, original, opts.tmp, { debug, name: `${f.name}-${f.isa}-${f.config}-a` });
  const b = await assembleAndDump(f.isa, printed, opts.tmp, { debug, name: `${f.name}-${f.isa}-${f.config}-b` });
  if (!a.ok) {
    // The corpus itself must assemble; if it does not, the toolchain is at fault, not the printer.
    failures.push({ file: f, kind: 'object', cause: 'original does not assemble', detail: a.errors.slice(0, 500) });
    return { failures, assembled: true, identical, parseMs };
  }
  const diff = compareObjects(a, b);
  if (diff !== null) {
    failures.push({
      file: f,
      kind: 'object',
      cause: diff.section !== undefined ? `${diff.kind} in ${diff.section.replace(/^(\.[a-z_]+)\..*$/, '$1.*')}` : diff.kind,
      detail: await explain(f, original, printed, diff, opts.tmp),
    });
  }
  return { failures, assembled: true, identical, parseMs };
}

// ---------------------------------------------------------------------------------------------
// Worker pool
// ---------------------------------------------------------------------------------------------

interface Task {
  readonly file: CorpusFile;
  readonly opts: RoundTripOptions;
  readonly resolve: (r: RoundTripResult) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Runs `roundTripFile` on worker threads. With `size` 0 everything runs on the calling thread
 * (easier to debug, and what happens when workers cannot start).
 */
export class RoundTripPool {
  private readonly workers: { w: Worker; busy: Task | null; dead: boolean }[] = [];
  private readonly queue: Task[] = [];
  private inline = 0;

  constructor(private readonly size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./roundtrip-worker.js', import.meta.url));
      const slot = { w, busy: null as Task | null, dead: false };
      w.on('message', (r: RoundTripResult) => {
        const t = slot.busy;
        slot.busy = null;
        t?.resolve(r);
        this.pump();
      });
      // A crashed worker fails its own task; the others carry on, and if none is left the
      // queue is failed rather than left waiting forever.
      w.on('error', (e) => {
        const t = slot.busy;
        slot.busy = null;
        slot.dead = true;
        t?.reject(e);
        if (this.workers.every((x) => x.dead)) for (const q of this.queue.splice(0)) q.reject(e);
        else this.pump();
      });
      this.workers.push(slot);
    }
  }

  run(file: CorpusFile, opts: RoundTripOptions): Promise<RoundTripResult> {
    if (this.size === 0) return this.runInline(file, opts);
    return new Promise((resolve, reject) => {
      this.queue.push({ file, opts, resolve, reject });
      this.pump();
    });
  }

  private async runInline(file: CorpusFile, opts: RoundTripOptions): Promise<RoundTripResult> {
    this.inline++;
    try {
      return await roundTripFile(file, opts);
    } finally {
      this.inline--;
    }
  }

  private pump(): void {
    for (const slot of this.workers) {
      if (slot.busy !== null || slot.dead) continue;
      const t = this.queue.shift();
      if (!t) return;
      slot.busy = t;
      slot.w.postMessage({ file: t.file, opts: t.opts });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((s) => s.w.terminate()));
  }
}
