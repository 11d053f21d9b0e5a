// What the RISC-V calling convention promises about a returned integer: it arrives widened to
// 64 bits according to its type (RISC-V psABI: to 32 bits by the type's sign, then sign-extended).
// AArch64 promises nothing above the type's width, so gcc's AArch64 code extends the result itself
// right after the call (`sxth w1, w0`), and that is where the type is read from. The fact is an
// assumption at the entry of the block after the call, on the RISC-V side, and the report says so.

import type { Instruction } from '../ir/program.js';
import type { SideContext } from './relation.js';
import type { Side } from './exec.js';
import type { Domain } from '../isa/sem.js';

/**
 * `reg` holds the extension of its low `bits` bits (sign or zero). `assumed` marks the ABI's
 * promise about a returned value, which no block of the caller establishes.
 */
export interface ExtensionFact {
  readonly side: Side;
  readonly reg: string;
  readonly bits: number;
  readonly signed: boolean;
  readonly assumed?: boolean;
}

/** `r = sext/zext(r[bits-1:0])` over any domain. */
export function factHolds<V, B>(d: Domain<V, B, unknown>, v: V, width: number, fact: ExtensionFact): B {
  const low = d.extract(width, v, fact.bits - 1, 0);
  return d.eq(width, v, fact.signed ? d.sext(fact.bits, low, width) : d.zext(fact.bits, low, width));
}

/** Renders a fact for reports: `a0=sext16`. */
export function showFact(f: ExtensionFact): string {
  return `${f.reg}=${f.signed ? 's' : 'z'}ext${f.bits}`;
}

const EXTENDS: Readonly<Record<string, [number, boolean]>> = {
  sxtb: [8, true], sxth: [16, true], sxtw: [32, true], uxtb: [8, false], uxth: [16, false],
};

/**
 * The integer return type's width and sign, as the AArch64 block after a call reads x0: from an
 * explicit extension, 32 bits for any other use of w0, none when x0 is used whole or not at all.
 */
export function aarch64ReturnType(side: SideContext, block: number): { bits: number; signed: boolean } | undefined {
  for (const i of side.cfg.blocks[block]!.instructions) {
    const insn = side.program.statements[i] as Instruction<'aarch64'>;
    const regs = insn.operands.flatMap((op) => (op.kind === 'reg' ? [op] : []));
    // Compares and stores read every register operand; other forms write the first.
    const isCompare = insn.mnemonic === 'cmp' || insn.mnemonic === 'cmn' || insn.mnemonic === 'tst' || insn.mnemonic.startsWith('st');
    const uses = (isCompare ? regs : regs.slice(1)).filter((op) => op.reg.id === 'x0');
    if (uses.length > 0) {
      const ext = EXTENDS[insn.mnemonic];
      if (ext) return { bits: ext[0], signed: ext[1] };
      const and = insn.mnemonic === 'and' && insn.operands[2]?.kind === 'imm' && insn.operands[2].expr.kind === 'num' ? insn.operands[2].expr.value : undefined;
      if (and === 255n || and === 65535n) return { bits: and === 255n ? 8 : 16, signed: false };
      return uses.every((op) => op.reg.width === 32) ? { bits: 32, signed: true } : undefined;
    }
    const dest = regs[0];
    if (!isCompare && dest?.reg.id === 'x0') return undefined; // overwritten unread
  }
  return undefined;
}

/** The extension fact for the RISC-V side at the entry of the block after a call, if any. */
export function returnFact(source: SideContext, target: SideContext, blockS: number, blockT: number): ExtensionFact | undefined {
  if (source.program.isa === 'aarch64' && target.program.isa === 'riscv64') {
    const type = aarch64ReturnType(source, blockS);
    return type && { side: 't', reg: 'a0', ...type, ...(type.bits === 32 ? { signed: true } : {}), assumed: true };
  }
  if (source.program.isa === 'riscv64' && target.program.isa === 'aarch64') {
    const type = aarch64ReturnType(target, blockT);
    return type && { side: 's', reg: 'a0', ...type, ...(type.bits === 32 ? { signed: true } : {}), assumed: true };
  }
  return undefined;
}

/** Applies a fact to a concrete 64-bit value. */
export function extendValue(fact: ExtensionFact, v: bigint): bigint {
  const low = BigInt.asUintN(fact.bits, v);
  return fact.signed ? BigInt.asUintN(64, BigInt.asIntN(fact.bits, low)) : low;
}
