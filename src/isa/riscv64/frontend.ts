// The RISC-V 64 front end: grammar, lowering, printer, instruction table and ABI facts, bundled
// as the `IsaFrontEnd` the ISA-independent parser, printer and CFG use.

import { parser } from '../../asm/gen/riscv64.js';
import type { AbiInfo, IsaFrontEnd } from '../types.js';
import { lowerRiscv, printRiscv } from './lower.js';
import { riscvRegister } from './registers.js';
import { describeRiscv } from './table.js';

const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** The standard LP64D calling convention. */
export const riscv64Abi: AbiInfo = {
  callReads: [...range('a', 0, 7), ...range('fa', 0, 7), 'sp'],
  callClobbers: ['ra', ...range('t', 0, 6), ...range('a', 0, 7), ...range('ft', 0, 11), ...range('fa', 0, 7), 'fflags'],
  retReads: ['a0', 'a1', 'fa0', 'fa1', ...range('s', 0, 11), ...range('fs', 0, 11), 'sp', 'ra'],
};

/** RISC-V 64 (RV64GC, GNU as syntax as gcc 12 emits it). */
export const riscv64FrontEnd: IsaFrontEnd<'riscv64'> = {
  isa: 'riscv64',
  parser,
  commentMarker: '#',
  lowerInstruction: lowerRiscv,
  printInstruction: printRiscv,
  describe: describeRiscv,
  register: riscvRegister,
  abi: riscv64Abi,
};
