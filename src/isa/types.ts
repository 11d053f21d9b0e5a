// The contract each ISA implements for the front end, the printer and the CFG: how to lower
// its syntax tree to IR, how to print it, and what each instruction form reads, writes and
// does to control flow (the instruction table).

import type { LRParser } from '@lezer/lr';
import type { SyntaxNode } from '@lezer/common';
import type { Expr, Instruction, IsaName, Register, Span } from '../ir/program.js';

/** How an instruction affects control flow. */
export type ControlKind =
  | 'none' // falls through
  | 'jump' // unconditional direct branch
  | 'cbranch' // conditional direct branch: target or fall through
  | 'ijump' // indirect jump (switch tables, tail calls through a register)
  | 'call' // direct call, returns to the next instruction
  | 'icall' // indirect call
  | 'tailcall' // direct jump to another function (`b printf` / `tail printf`)
  | 'ret' // return
  | 'trap'; // never returns (`brk`, `udf`, `ebreak`, `unimp`)

/** What the table says about one instruction: its form, effects and control flow. */
export interface InstrInfo {
  /** Name of the instruction form, e.g. `add.shifted-reg`, `ld`, `b.cond`. */
  readonly form: string;
  readonly control: ControlKind;
  /** Branch/call target expression for direct control flow. */
  readonly target?: Expr;
  /** Register ids read (`Register.id`, plus `nzcv` for AArch64 flags). Zero registers omitted. */
  readonly reads: readonly string[];
  /** Register ids written. Zero registers omitted. */
  readonly writes: readonly string[];
  /** Memory access. */
  readonly memory: 'none' | 'load' | 'store' | 'load-store';
}

/** A table lookup that failed: the reason, and which operand (0-based) if one is at fault. */
export interface DescribeError {
  readonly error: string;
  readonly code: 'unknown-instruction' | 'operand';
  readonly operand?: number;
}

/** The calling convention facts the CFG and liveness need. */
export interface AbiInfo {
  /** Registers a call may read: argument registers (plus sp). */
  readonly callReads: readonly string[];
  /** Registers a call may write: caller-saved registers, return registers, link register, flags. */
  readonly callClobbers: readonly string[];
  /** Registers live at a return: return values, callee-saved, sp, link register. */
  readonly retReads: readonly string[];
}

/** Context handed to an ISA's lowering: the source text and shared helpers. */
export interface LowerContext {
  readonly text: string;
  readonly file: string;
  slice(node: SyntaxNode): string;
  span(node: SyntaxNode): Span;
  /** Lowers a common expression node (Number, Symbol, UnaryExpr, BinaryExpr, ParenExpr, Reloc). */
  expr(node: SyntaxNode): Expr | LowerFailure;
}

/** Why lowering a node failed, and where. */
export interface LowerFailure {
  readonly failure: string;
  readonly node: SyntaxNode;
}

/** Everything the ISA-independent parser, printer and CFG need from one ISA. */
export interface IsaFrontEnd<I extends IsaName> {
  readonly isa: I;
  readonly parser: LRParser;
  /** The line comment marker used when printing comments (`//`, `#`). */
  readonly commentMarker: string;
  /** Lowers an `Instruction` node (children: `Mnemonic`, then operand nodes). */
  lowerInstruction(node: SyntaxNode, cx: LowerContext): Instruction<I> | LowerFailure;
  /** Prints the instruction (mnemonic and operands, no indentation). `canonical` normalizes
   * spelling: canonical register names, decimal numbers, one alias per form. */
  printInstruction(insn: Instruction<I>, canonical: boolean): string;
  /** Looks the instruction up in the table. */
  describe(insn: Instruction<I>): InstrInfo | DescribeError;
  /** Parses a register name (any accepted spelling), or undefined. */
  register(name: string): Register<I> | undefined;
  readonly abi: AbiInfo;
}

export function isLowerFailure(x: unknown): x is LowerFailure {
  return typeof x === 'object' && x !== null && 'failure' in x;
}

export function isDescribeError(x: InstrInfo | DescribeError): x is DescribeError {
  return 'error' in x;
}
