// The execution interface between instruction semantics and the machines that run them. A
// semantics function reads and writes architectural state through an ExecState over some Domain
// and returns how control leaves the instruction. The concrete emulator and the symbolic prover
// both provide an ExecState, so each instruction form has exactly one definition.

import type { Instruction, IsaName } from '../ir/program.js';
import type { Domain } from './sem.js';

/**
 * Architectural state seen by a semantics function.
 *
 * Register ids are the `Register.id` names of the IR (`x3`, `v0`, `sp`, `a0`, `fa0`), plus the
 * AArch64 flags `nzcv` (4 bits, N at bit 3) and the RISC-V FP CSRs (`fflags` 5 bits, `frm` 3 bits).
 * `get` returns the full architectural width: 64 for integer registers, 128 for AArch64 `v`
 * registers, 64 for RISC-V `f` registers (single precision is NaN-boxed, as the spec says).
 */
export interface ExecState<V, B, M> {
  readonly d: Domain<V, B, M>;
  get(id: string): V;
  set(id: string, value: V): void;
  /** The current memory; stores replace it. */
  mem: M;
  /** The 64-bit address of a symbol or label (a shared unknown when symbolic). */
  symbol(name: string): V;
  /** Address of the instruction being executed. */
  readonly pc: V;
  /** Address of the instruction after it (pc + encoded size). */
  readonly next: V;
}

/** How control leaves an instruction. */
export type Outcome<V, B> =
  | { readonly kind: 'next' }
  /** Direct branch to a label; `cond` absent means always taken. */
  | { readonly kind: 'branch'; readonly target: string; readonly cond?: B }
  | { readonly kind: 'ijump'; readonly address: V }
  /** Direct call; the link register has been written. */
  | { readonly kind: 'call'; readonly target: string }
  | { readonly kind: 'icall'; readonly address: V }
  /** Direct jump to another function. */
  | { readonly kind: 'tailcall'; readonly target: string }
  | { readonly kind: 'ret'; readonly address: V }
  | { readonly kind: 'trap' };

/** One instruction form's semantics, generic over the domain. */
export type Semantics<I extends IsaName> = <V, B, M>(st: ExecState<V, B, M>, insn: Instruction<I>) => Outcome<V, B>;

/** The result of looking an instruction up in an ISA's semantics table. */
export type SemanticsLookup<I extends IsaName> =
  | { readonly form: string; readonly run: Semantics<I> }
  | { readonly unsupported: string };

/** An ISA's semantics: maps each instruction to its form's function. */
export interface IsaSemantics<I extends IsaName> {
  readonly isa: I;
  lookup(insn: Instruction<I>): SemanticsLookup<I>;
  /** Every form that has semantics (for the coverage report). */
  readonly forms: readonly string[];
  /** Register ids that make up the architectural state compared in tests, with their widths. */
  readonly stateRegisters: readonly { readonly id: string; readonly width: number }[];
}

/** A helper type for semantics code: the domain of an ExecState. */
export type DomainOf<S> = S extends ExecState<infer V, infer B, infer M> ? Domain<V, B, M> : never;
