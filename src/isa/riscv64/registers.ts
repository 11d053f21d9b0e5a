// RISC-V 64 register names: every spelling GNU as accepts (ABI names, x0-x31, f0-f31, `fp`)
// mapped to one shared Register object, so lowering a register operand is one Map lookup and
// allocates nothing.

import type { Register } from '../../ir/program.js';

/** ABI names of x0..x31, in register-number order (the canonical names). */
export const GPR_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

/** ABI names of f0..f31, in register-number order (the canonical names). */
export const FPR_NAMES: readonly string[] = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7',
  'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7',
  'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

/** Extra spellings beyond `xN`/`fN` and the ABI names: spelling -> canonical name. */
const ALIASES: readonly (readonly [string, string])[] = [['fp', 's0']];

function build(): Map<string, Register<'riscv64'>> {
  const map = new Map<string, Register<'riscv64'>>();
  const add = (spelling: string, name: string, file: 'gpr' | 'fpr'): void => {
    map.set(spelling, { isa: 'riscv64', file, id: name, name, width: 64, zero: name === 'zero', spelling });
  };
  GPR_NAMES.forEach((name, i) => {
    add(name, name, 'gpr');
    add(`x${i}`, name, 'gpr');
  });
  FPR_NAMES.forEach((name, i) => {
    add(name, name, 'fpr');
    add(`f${i}`, name, 'fpr');
  });
  for (const [spelling, name] of ALIASES) add(spelling, name, 'gpr');
  return map;
}

const registers = build();

/** Looks up a register by any accepted spelling (case-sensitive, as GNU as is). */
export function riscvRegister(spelling: string): Register<'riscv64'> | undefined {
  return registers.get(spelling);
}
