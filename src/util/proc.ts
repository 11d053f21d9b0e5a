// Process helpers shared by the corpus builders (scripts/corpus.ts, src/data), the tests and the benchmarks:
// every external tool call goes through here so that each one has a timeout and a bounded
// degree of parallelism (the CI machines have 2 cores).

import { spawn } from 'node:child_process';

export interface RunResult {
  /** Exit status; null when the process was killed (see `signal`). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  /** True when the process was killed because it ran past its timeout. */
  readonly timedOut: boolean;
  /** Wall time of the process in milliseconds, spawn to exit. */
  readonly ms: number;
}

export interface RunOptions {
  /** Milliseconds before the process is killed; required so no tool can hang a build. */
  readonly timeout: number;
  readonly cwd?: string;
  readonly input?: string | Buffer;
  readonly env?: NodeJS.ProcessEnv;
  /** Cap on captured stdout; tools here print at most a few MB. */
  readonly maxStdout?: number;
}

/**
 * Runs a program without a shell and collects its output. Never rejects for a non-zero exit or
 * a timeout (callers decide what a failure means); rejects only when the program cannot start.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeout,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    const maxOut = opts.maxStdout ?? 256 * 1024 * 1024;
    let timedOut = false;
    child.stdout!.on('data', (b: Buffer) => {
      outLen += b.length;
      if (outLen <= maxOut) out.push(b);
    });
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(e));
    // Node sets `killed` when its own timeout fired; a signal without it came from elsewhere.
    child.on('close', (code, signal) => {
      timedOut = signal !== null && child.killed;
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        ms: Number(process.hrtime.bigint() - start) / 1e6,
      });
    });
    if (opts.input !== undefined) {
      child.stdin!.on('error', () => {
        /* the tool may exit before reading all input; its exit status tells the story */
      });
      child.stdin!.end(opts.input);
    }
  });
}

/**
 * Maps `fn` over `items` with at most `limit` calls in flight and returns results in input order,
 * so output stays deterministic however the work interleaves.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers: Promise<void>[] = [];
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  };
  for (let w = 0; w < Math.max(1, Math.min(limit, items.length)); w++) workers.push(worker());
  await Promise.all(workers);
  return results;
}

/** Parallelism for external tools: 2 by default (the CI machines have 2 cores), `GNS_JOBS` overrides. */
export function defaultJobs(): number {
  const env = Number(process.env['GNS_JOBS']);
  return Number.isInteger(env) && env > 0 ? env : 2;
}
