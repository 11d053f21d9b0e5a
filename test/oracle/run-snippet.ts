// One-call oracle for the differential tests: load a snippet's bytes and an initial machine
// state into a fresh Unicorn engine, run exactly the snippet, and dump the whole user-visible
// state (GPRs, FP/SIMD, flags, the given memory) for comparison with our own semantics.

import { UC_PROT } from './unicorn-consts.js';
import { UnicornMachine, type OracleIsa, type OpenOptions, type RunOptions } from './unicorn.js';

/** A block of guest memory: where it lives and its bytes. */
export interface MemoryRegion {
  readonly addr: bigint;
  readonly bytes: Uint8Array;
}

/** The state a snippet starts from. Registers not named start at 0, as do flags. */
export interface SnippetInput {
  /** Register values by any name {@link UnicornMachine.setReg} accepts (`x1`, `a0`, `v3`, `nzcv`). */
  readonly regs?: Readonly<Record<string, bigint>>;
  /** Memory to map and fill; it is read back after the run. */
  readonly memory?: readonly MemoryRegion[];
}

/** What a snippet left behind. */
export interface SnippetResult {
  /** Every register of {@link SNIPPET_REGS} for the ISA, by its canonical name. */
  readonly regs: Record<string, bigint>;
  /** The input regions, in input order, with their contents after the run. */
  readonly memory: MemoryRegion[];
  /** Set when the run faulted or hit a bound before the snippet's end (see RunResult). */
  readonly error?: { readonly message: string; readonly code: number; readonly pc: bigint };
}

/** Options for {@link runSnippet}. */
export interface RunSnippetOptions extends RunOptions, OpenOptions {
  /** Where the code is loaded; page-aligned; default 0x10000. */
  readonly codeAddr?: bigint;
}

/** Granule for mapping: 4 KiB is a multiple of both engines' page size (1 KiB / 4 KiB). */
const PAGE = 0x1000n;

const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/**
 * The registers a snippet's result reports, per ISA, in a fixed order: all GPRs, SP and PC, the
 * FP/SIMD registers at full width (AArch64 v as 128 bits, RISC-V f as 64), and the flags and FP
 * status (AArch64 nzcv, fpcr, fpsr; RISC-V fflags, frm).
 */
export const SNIPPET_REGS: Readonly<Record<OracleIsa, readonly string[]>> = {
  aarch64: [...range('x', 31), 'sp', 'pc', 'nzcv', 'fpcr', 'fpsr', ...range('v', 32)],
  riscv64: [...range('x', 32), 'pc', ...range('f', 32), 'fflags', 'frm'],
};

/** Default bound on a snippet run: snippets are straight-line or tiny loops. */
const DEFAULT_MAX_INSTRUCTIONS = 1_000_000;

/**
 * Runs `code` (the bytes of a snippet) once on a fresh engine, from its first byte until the PC
 * reaches its end, and returns the final state. Faults are returned in `error` together with the
 * state at the fault, never thrown; bad inputs (overlapping code and data, unknown registers)
 * throw.
 */
export function runSnippet(isa: OracleIsa, code: Uint8Array, input: SnippetInput = {}, opts: RunSnippetOptions = {}): SnippetResult {
  const codeAddr = opts.codeAddr ?? 0x10000n;
  if (codeAddr % PAGE !== 0n) throw new RangeError(`codeAddr 0x${codeAddr.toString(16)} is not page-aligned`);
  const codeEnd = codeAddr + BigInt(code.length);
  const memory = input.memory ?? [];
  for (const r of memory) {
    if (r.addr < codeEnd && codeAddr < r.addr + BigInt(r.bytes.length)) {
      throw new RangeError(`memory at 0x${r.addr.toString(16)} overlaps the code at 0x${codeAddr.toString(16)}`);
    }
  }
  const m = UnicornMachine.open(isa, opts.cpu === undefined ? {} : { cpu: opts.cpu });
  try {
    for (const [start, size] of pageRuns([{ addr: codeAddr, bytes: code }, ...memory])) m.map(start, size, UC_PROT.ALL);
    m.writeMemory(codeAddr, code);
    for (const r of memory) m.writeMemory(r.addr, r.bytes);
    // "Unnamed means zero" must hold whatever Unicorn's reset state is (it resets AArch64 NZCV
    // to Z=1), so every reported register is written before the caller's values.
    for (const name of SNIPPET_REGS[isa]) if (name !== 'pc') m.setReg(name, 0n);
    m.setRegs(input.regs ?? {});
    const r = m.run(codeAddr, codeEnd, {
      maxInstructions: opts.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS,
      ...(opts.timeoutMicros === undefined ? {} : { timeoutMicros: opts.timeoutMicros }),
    });
    return {
      regs: m.getRegs(SNIPPET_REGS[isa]),
      memory: memory.map((mr) => ({ addr: mr.addr, bytes: m.readMemory(mr.addr, mr.bytes.length) })),
      ...(r.ok ? {} : { error: { message: r.error, code: r.code, pc: r.pc } }),
    };
  } finally {
    m.close();
  }
}

/** The page-aligned, merged `[start, size]` runs covering every region (empty ones included). */
function pageRuns(regions: readonly MemoryRegion[]): [bigint, number][] {
  const spans = regions
    .map((r) => {
      const start = (r.addr / PAGE) * PAGE;
      const end = ((r.addr + BigInt(Math.max(r.bytes.length, 1)) + PAGE - 1n) / PAGE) * PAGE;
      return [start, end] as [bigint, bigint];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [s, e] of spans) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = e > last[1] ? e : last[1];
    else merged.push([s, e]);
  }
  return merged.map(([s, e]) => [s, Number(e - s)]);
}
