// Single-token mutations of gold target blocks, for the false-proof and repair tests: a changed
// immediate, register, memory offset or opcode. Every mutant still fits an instruction form of the
// ISA's table (the front end's `describe` accepts it), so it is code an assembler would take.

import type { Expr, Instruction, IsaName, Operand, Program, Statement } from '../../src/ir/program.js';
import { frontEnd } from '../../src/asm/index.js';
import { isDescribeError } from '../../src/isa/types.js';
import type { Rng } from '../../src/util/random.js';
import type { BlockReport } from '../../src/verify/check.js';
import type { PairContext } from '../../src/verify/relation.js';

/** What was changed. */
export type MutationKind = 'imm' | 'reg' | 'offset' | 'opcode';

export interface Mutant<I extends IsaName = IsaName> {
  readonly program: Program<I>;
  /** Statement index of the mutated instruction. */
  readonly stmt: number;
  /** Operand index (-1 for the mnemonic). */
  readonly operand: number;
  readonly kind: MutationKind;
  readonly before: string;
  readonly after: string;
}

const OPCODE_GROUPS: Readonly<Record<IsaName, readonly (readonly string[])[]>> = {
  aarch64: [
    ['add', 'sub'], ['adds', 'subs'], ['and', 'orr', 'eor'], ['lsl', 'lsr', 'asr'], ['mul', 'sdiv', 'udiv'],
    ['ldr', 'ldrsw'], ['ldrb', 'ldrsb'], ['ldrh', 'ldrsh'], ['strb', 'strh'], ['sxtb', 'sxth', 'uxtb', 'uxth'],
    ['b.eq', 'b.ne'], ['b.lt', 'b.ge', 'b.le', 'b.gt'], ['b.lo', 'b.hs', 'b.ls', 'b.hi'], ['cmp', 'cmn'], ['neg', 'mvn'],
    ['cbz', 'cbnz'], ['fadd', 'fsub', 'fmul', 'fdiv'],
  ],
  riscv64: [
    ['add', 'sub'], ['addw', 'subw'], ['and', 'or', 'xor'], ['andi', 'ori', 'xori'], ['sll', 'srl', 'sra'], ['sllw', 'srlw', 'sraw'],
    ['slli', 'srli', 'srai'], ['slliw', 'srliw', 'sraiw'], ['mul', 'div', 'divu', 'rem', 'remu'], ['mulw', 'divw', 'divuw', 'remw', 'remuw'],
    ['lw', 'lwu'], ['lb', 'lbu'], ['lh', 'lhu'], ['sb', 'sh'], ['beq', 'bne'], ['blt', 'bge', 'ble', 'bgt'], ['bltu', 'bgeu', 'bleu', 'bgtu'],
    ['slt', 'sltu'], ['seqz', 'snez'], ['fadd.d', 'fsub.d', 'fmul.d', 'fdiv.d'], ['fadd.s', 'fsub.s', 'fmul.s', 'fdiv.s'],
  ],
};

const REGISTERS: Readonly<Record<IsaName, { readonly x: readonly string[]; readonly w: readonly string[] }>> = {
  aarch64: { x: Array.from({ length: 16 }, (_, i) => `x${i}`), w: Array.from({ length: 16 }, (_, i) => `w${i}`) },
  riscv64: { x: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 't0', 't1', 't2', 's1', 's2', 's3'], w: [] },
};

function num(e: Expr | undefined): bigint | undefined {
  return e?.kind === 'num' ? e.value : e?.kind === 'unary' && e.op === '-' && e.arg.kind === 'num' ? -e.arg.value : undefined;
}

function numExpr(v: bigint): Expr {
  return v < 0n ? { kind: 'unary', op: '-', arg: { kind: 'num', value: -v, text: String(-v) } } : { kind: 'num', value: v, text: String(v) };
}

/** The candidate single-token changes of one instruction. */
function changes<I extends IsaName>(insn: Instruction<I>, rng: Rng): { insn: Instruction<I>; operand: number; kind: MutationKind }[] {
  const fe = frontEnd(insn.isa);
  const out: { insn: Instruction<I>; operand: number; kind: MutationKind }[] = [];
  const withOperand = (i: number, op: Operand<I>): Instruction<I> => ({ ...insn, operands: insn.operands.map((o, k) => (k === i ? op : o)) });
  const deltas = [1n, -1n, 2n, 4n, -4n, 8n, -8n, 16n];
  insn.operands.forEach((op, i) => {
    if (op.kind === 'imm') {
      const v = num(op.expr);
      if (v !== undefined) out.push({ insn: withOperand(i, { ...op, expr: numExpr(v + rng.pick(deltas)) }), operand: i, kind: 'imm' });
    } else if (op.kind === 'mem' && op.offset) {
      const v = num(op.offset);
      if (v !== undefined) out.push({ insn: withOperand(i, { ...op, offset: numExpr(v + rng.pick([4n, -4n, 8n, -8n, 1n, 2n])) }), operand: i, kind: 'offset' });
    } else if (op.kind === 'reg' && op.reg.file === 'gpr' && !op.reg.zero && op.reg.id !== 'sp') {
      const names = REGISTERS[insn.isa as IsaName];
      const pool = insn.isa === 'aarch64' && op.reg.width === 32 ? names.w : names.x;
      const name = rng.pick(pool.filter((n) => n !== op.reg.name));
      const reg = fe.register(name);
      if (reg) out.push({ insn: withOperand(i, { ...op, reg }), operand: i, kind: 'reg' });
    }
  });
  const group = OPCODE_GROUPS[insn.isa as IsaName].find((g) => g.includes(insn.mnemonic));
  if (group) out.push({ insn: { ...insn, mnemonic: rng.pick(group.filter((m) => m !== insn.mnemonic)) }, operand: -1, kind: 'opcode' });
  return out.filter((c) => !isDescribeError(fe.describe(c.insn)));
}

/** One random single-token mutant of the instruction at `stmt`, or undefined if none fits. */
export function mutateAt<I extends IsaName>(program: Program<I>, stmt: number, rng: Rng): Mutant<I> | undefined {
  const insn = program.statements[stmt] as Instruction<I>;
  const options = changes(insn, rng);
  if (options.length === 0) return undefined;
  const c = rng.pick(options);
  const statements: Statement<I>[] = program.statements.slice();
  statements[stmt] = c.insn;
  const fe = frontEnd(program.isa);
  return { program: { ...program, statements }, stmt, operand: c.operand, kind: c.kind, before: fe.printInstruction(insn, true), after: fe.printInstruction(c.insn, true) };
}

/**
 * Whether a block's target is one to mutate: proven on its own (not forwarded, not under a path
 * context, not inside a source region), with a target block that has instructions to change.
 */
export function mutableBlock(ctx: PairContext, b: BlockReport): boolean {
  const v = b.verdict;
  const bt = ctx.matching.pairs.get(b.source.index);
  return v.kind === 'PROVEN' && v.by !== 'forwarded' && !v.context && bt !== undefined && !b.region && ctx.target.cfg.blocks[bt]!.instructions.length > 0;
}
