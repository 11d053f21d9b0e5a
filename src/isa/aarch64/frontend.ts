// The AArch64 front end: grammar, lowering, printer, instruction table and ABI facts, bundled
// as the `IsaFrontEnd` the ISA-independent parser, printer and CFG use.

import { parser } from '../../asm/gen/aarch64.js';
import type { AbiInfo, IsaFrontEnd } from '../types.js';
import { lowerAarch64, printAarch64 } from './lower.js';
import { aarch64Register, NZCV } from './registers.js';
import { describeAarch64 } from './table.js';

const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/**
 * The AAPCS64 calling convention (Linux). Arguments go in x0-x7 and v0-v7, with x8 for the
 * address of a returned struct; x0-x18, x30, v0-v7, v16-v31 and the flags are caller-saved.
 * v8-v15 are callee-saved only in their low 64 bits; they count as preserved here, because a
 * call must not make a live `d8` dead.
 */
export const aarch64Abi: AbiInfo = {
  callReads: [...range('x', 0, 8), ...range('v', 0, 7), 'sp'],
  callClobbers: [...range('x', 0, 18), 'x30', ...range('v', 0, 7), ...range('v', 16, 31), NZCV],
  retReads: ['x0', 'x1', ...range('v', 0, 3), ...range('x', 19, 29), 'x30', 'sp', ...range('v', 8, 15)],
};

/** AArch64 (A64 with FP and Advanced SIMD, GNU as syntax as gcc 12 emits it). */
export const aarch64FrontEnd: IsaFrontEnd<'aarch64'> = {
  isa: 'aarch64',
  parser,
  commentMarker: '//',
  lowerInstruction: lowerAarch64,
  printInstruction: printAarch64,
  describe: describeAarch64,
  register: aarch64Register,
  abi: aarch64Abi,
};
