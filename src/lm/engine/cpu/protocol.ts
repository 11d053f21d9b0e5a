// The contract between CpuKernels (main thread) and its workers: where the control block sits in
// the shared wasm memory, what each slot means, the kernel exports a job may name, and the chunk
// claiming loop that every thread (main included) runs.
//
// A job is cut into a fixed number of chunks; threads claim them one at a time from a counter.
// Claiming is dynamic, so a worker that the OS schedules late costs nothing but its share (the
// main thread takes the chunks it does not get to); determinism does not suffer, because what a
// chunk computes does not depend on who runs it. The counter carries the job's tag in its high
// bits: a worker that wakes up after its job ended can never claim a chunk of the next one.

import type { MessagePort } from 'node:worker_threads';

/** Bytes below this offset belong to the wasm module's own static data (the log table). */
export const STATIC_BYTES = 65536;
/** Byte offset of the control block (Int32 slots, then Float64 arguments). */
export const CTL_BYTE = STATIC_BYTES;
/** Int32 slots of the control block. */
export const SEQ = 0; // bumped once per job; idle workers wait on it
export const NEXT = 1; // (job tag << 16) | next unclaimed chunk
export const FINISHED = 2; // chunks of the current job that are done
export const ERR = 3; // chunks that threw
export const KIND = 4; // index into KERNELS
export const NARGS = 5;
export const CHUNKS = 6;
export const STOP = 7; // set by close(): workers leave their loop
export const CTL_INTS = 16;
/** Float64 job arguments follow the Int32 slots. */
export const ARGS_BYTE = CTL_BYTE + CTL_INTS * 4;
export const MAX_ARGS = 24;
/** First byte after the control block: per-thread scratch, then the arena. */
export const CTL_END = CTL_BYTE + 4096;
/** Chunks per job are below this (the low 16 bits of NEXT). */
export const MAX_CHUNKS = 1 << 15;

/** The tag of job `seq` in NEXT's high bits (15 bits, so NEXT stays a positive int32). */
export function jobTag(seq: number): number {
  return (seq & 0x7fff) << 16;
}

/** Kernel exports a job may run; each is called as fn(...args, chunk, chunks, thread). */
export const KERNELS = [
  'mmPackB',
  'mmCompute',
  'softmax',
  'softmaxBackward',
  'layerNorm',
  'layerNormBackwardParams',
  'layerNormBackwardRows',
  'gelu',
  'geluBackward',
  'embedding',
  'embeddingBackward',
  'crossEntropy',
] as const;

export type KernelName = (typeof KERNELS)[number];

/** A kernel export as JavaScript sees it: numbers in, nothing out. */
export type KernelFn = (...args: number[]) => void;

/** What a worker receives at start. */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly index: number;
  readonly errors: MessagePort;
}

/** Spins on a control slot before sleeping: a job that follows within some tens of microseconds
 *  of the last one is then picked up without the cost of a futex wake-up. */
export const SPIN = 20000;

/** The exported kernel functions of an instance, in KERNELS order. */
export function kernelFns(instance: WebAssembly.Instance): KernelFn[] {
  return KERNELS.map((name) => {
    const fn = instance.exports[name];
    if (typeof fn !== 'function') throw new Error(`cpu.wasm does not export ${name}`);
    return fn as KernelFn;
  });
}

/**
 * Claims and runs chunks of job `seq` until none is left (or the job is no longer current).
 * `onError` receives what a chunk threw; the chunk still counts as finished.
 */
export function runChunks(ctl: Int32Array, args: Float64Array, fns: readonly KernelFn[], seq: number, thread: number, onError: (e: unknown) => void): void {
  const tag = jobTag(seq);
  for (;;) {
    const v = Atomics.load(ctl, NEXT);
    if ((v & ~0xffff) !== tag) return;
    const chunks = Atomics.load(ctl, CHUNKS);
    const chunk = v & 0xffff;
    if (chunk >= chunks) return;
    if (Atomics.compareExchange(ctl, NEXT, v, v + 1) !== v) continue;
    // The job cannot change while one of its chunks is unfinished, so its arguments are stable.
    try {
      const a = Array.from(args.subarray(0, Atomics.load(ctl, NARGS)));
      fns[Atomics.load(ctl, KIND)]!(...a, chunk, chunks, thread);
    } catch (e) {
      onError(e);
      Atomics.add(ctl, ERR, 1);
    }
    if (Atomics.add(ctl, FINISHED, 1) + 1 === chunks) Atomics.notify(ctl, FINISHED);
  }
}
