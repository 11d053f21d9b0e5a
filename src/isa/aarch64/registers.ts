// AArch64 register names: every spelling GNU as accepts for the integer, FP/SIMD scalar and
// vector registers, each mapped to one shared Register object so that lowering a register is one
// Map lookup. Views share the id of the full register: `w3` and `x3` are both `x3`; `b0`, `h0`,
// `s0`, `d0`, `q0` and `v0` are all `v0`. The zero registers have id `xzr` and `zero` set, and
// the condition flags are the pseudo-register `nzcv`.

import type { Register, RegFile } from '../../ir/program.js';

/** Id of the condition flags in reads/writes lists. */
export const NZCV = 'nzcv';

/**
 * Id of the FP control register. No instruction form writes it; it reads 0 (its reset value)
 * unless a machine sets it, as the verifier does to select default-NaN mode.
 */
export const FPCR = 'fpcr';

/** Vector arrangements: full (`4s`) and element-only (`s`, used with lanes and in scalar forms). */
export const ARRANGEMENTS: ReadonlyMap<string, { readonly width: number; readonly lanes: number; readonly elem: number }> = new Map([
  ['8b', { width: 64, lanes: 8, elem: 8 }],
  ['16b', { width: 128, lanes: 16, elem: 8 }],
  ['4h', { width: 64, lanes: 4, elem: 16 }],
  ['8h', { width: 128, lanes: 8, elem: 16 }],
  ['2s', { width: 64, lanes: 2, elem: 32 }],
  ['4s', { width: 128, lanes: 4, elem: 32 }],
  ['1d', { width: 64, lanes: 1, elem: 64 }],
  ['2d', { width: 128, lanes: 2, elem: 64 }],
  ['1q', { width: 128, lanes: 1, elem: 128 }],
  ['2h', { width: 32, lanes: 2, elem: 16 }],
  ['4b', { width: 32, lanes: 4, elem: 8 }],
  ['b', { width: 8, lanes: 16, elem: 8 }],
  ['h', { width: 16, lanes: 8, elem: 16 }],
  ['s', { width: 32, lanes: 4, elem: 32 }],
  ['d', { width: 64, lanes: 2, elem: 64 }],
  ['q', { width: 128, lanes: 1, elem: 128 }],
]);

const SCALAR_WIDTH: Readonly<Record<string, number>> = { b: 8, h: 16, s: 32, d: 64, q: 128 };

function build(): Map<string, Register<'aarch64'>> {
  const map = new Map<string, Register<'aarch64'>>();
  const add = (spelling: string, file: RegFile, id: string, name: string, width: number, zero = false): void => {
    const reg: Register<'aarch64'> = { isa: 'aarch64', file, id, name, width, zero, spelling };
    map.set(spelling, reg);
    // GNU as also accepts register names in all capitals (`X0`, `SP`), but not mixed case.
    const upper = spelling.toUpperCase();
    if (upper !== spelling) map.set(upper, { ...reg, spelling: upper });
  };
  for (let i = 0; i <= 30; i++) {
    add(`x${i}`, 'gpr', `x${i}`, `x${i}`, 64);
    add(`w${i}`, 'gpr', `x${i}`, `w${i}`, 32);
  }
  add('sp', 'gpr', 'sp', 'sp', 64);
  add('wsp', 'gpr', 'sp', 'wsp', 32);
  add('xzr', 'gpr', 'xzr', 'xzr', 64, true);
  add('wzr', 'gpr', 'xzr', 'wzr', 32, true);
  // Aliases GNU as knows: the frame pointer, the link register and the intra-procedure-call
  // scratch registers. They print as themselves, or as `x29`/`x30`/`x16`/`x17` when canonical.
  add('fp', 'gpr', 'x29', 'x29', 64);
  add('lr', 'gpr', 'x30', 'x30', 64);
  add('ip0', 'gpr', 'x16', 'x16', 64);
  add('ip1', 'gpr', 'x17', 'x17', 64);
  for (let i = 0; i <= 31; i++) {
    for (const [prefix, width] of Object.entries(SCALAR_WIDTH)) add(`${prefix}${i}`, 'fpr', `v${i}`, `${prefix}${i}`, width);
    add(`v${i}`, 'vec', `v${i}`, `v${i}`, 128);
  }
  return map;
}

const registers = build();

/** Looks up a register by any spelling GNU as accepts (lower case, or all capitals). */
export function aarch64Register(spelling: string): Register<'aarch64'> | undefined {
  return registers.get(spelling);
}

/** True for a 64-bit or 32-bit integer register (including sp/wsp and the zero registers). */
export function isGpr(reg: Register<'aarch64'>): boolean {
  return reg.file === 'gpr';
}
