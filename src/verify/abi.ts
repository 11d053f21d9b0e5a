// The calling-convention facts the state relation is seeded from, per ISA, as tables: which
// registers carry arguments and results, which survive a call, and which hold the stack pointer,
// frame pointer and return address.

import type { IsaName } from '../ir/program.js';

/** Register roles of one ISA's calling convention (register ids as in the IR). */
export interface RelationAbi {
  readonly sp: string;
  readonly fp: string;
  readonly link: string;
  /** Integer and FP argument registers, in order. */
  readonly intArgs: readonly string[];
  readonly fpArgs: readonly string[];
  /** Integer and FP return registers, in order. */
  readonly intRets: readonly string[];
  readonly fpRets: readonly string[];
  /** Registers a call preserves (besides sp). */
  readonly calleeSaved: ReadonlySet<string>;
  /** Registers that are not data: flags and control registers never related across ISAs. */
  readonly control: ReadonlySet<string>;
  /** Width compared for a register of the FP file (AArch64 v registers are 128 bits wide). */
  readonly fpWidth: number;
  /** True for FP/SIMD register ids. */
  isFp(id: string): boolean;
  /**
   * Control register values under which every NaN an operation produces is the canonical NaN
   * (AArch64 FPCR.DN; RISC-V always does so). Set unless NaN payloads are compared exactly.
   */
  readonly canonicalNaN: ReadonlyMap<string, bigint>;
}

const range = (p: string, a: number, b: number): string[] => Array.from({ length: b - a + 1 }, (_, i) => `${p}${a + i}`);

export const RELATION_ABI: Readonly<Record<IsaName, RelationAbi>> = {
  aarch64: {
    sp: 'sp',
    fp: 'x29',
    link: 'x30',
    intArgs: range('x', 0, 7),
    fpArgs: range('v', 0, 7),
    intRets: ['x0', 'x1'],
    fpRets: ['v0', 'v1'],
    calleeSaved: new Set([...range('x', 19, 29), ...range('v', 8, 15)]),
    control: new Set(['nzcv', 'fpcr']),
    fpWidth: 64,
    isFp: (id) => id.startsWith('v'),
    canonicalNaN: new Map([['fpcr', 1n << 25n]]),
  },
  riscv64: {
    sp: 'sp',
    fp: 's0',
    link: 'ra',
    intArgs: range('a', 0, 7),
    fpArgs: range('fa', 0, 7),
    intRets: ['a0', 'a1'],
    fpRets: ['fa0', 'fa1'],
    calleeSaved: new Set([...range('s', 0, 11), ...range('fs', 0, 11)]),
    control: new Set(['fflags', 'frm', 'reservation', 'reservation_valid']),
    fpWidth: 64,
    isFp: (id) => id.startsWith('f') && id !== 'fflags' && id !== 'frm',
    canonicalNaN: new Map(),
  },
};
