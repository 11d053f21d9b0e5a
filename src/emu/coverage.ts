// Semantics coverage: which instruction forms in some assembly have semantics, and which are
// missing, weighted by how often they occur. Integer forms are reported apart from FP/SIMD ones,
// because the verifier's guarantees rest on integer coverage first.

import type { Instruction, IsaName, Program } from '../ir/program.js';
import type { IsaSemantics } from '../isa/exec.js';

/** Occurrence counts of one form. */
export interface FormCount {
  readonly form: string;
  readonly count: number;
  readonly kind: 'integer' | 'fp-simd';
  /** One example spelling, for the report. */
  readonly example: string;
}

/** Coverage over a set of programs. */
export interface CoverageReport {
  readonly total: number;
  readonly covered: number;
  readonly integerTotal: number;
  readonly integerCovered: number;
  readonly supported: readonly FormCount[];
  readonly missing: readonly FormCount[];
}

/** An instruction is FP/SIMD when any register operand is in the FP or vector file. */
export function instructionKind(insn: Instruction): 'integer' | 'fp-simd' {
  for (const op of insn.operands) {
    if (op.kind === 'reg' && (op.reg.file === 'fpr' || op.reg.file === 'vec')) return 'fp-simd';
    if (op.kind === 'reglist' || op.kind === 'fpimm') return 'fp-simd';
  }
  return 'integer';
}

/** Counts every instruction of the programs by semantics form, covered or not. */
export function coverage<I extends IsaName>(sem: IsaSemantics<I>, programs: readonly Program<I>[], print: (insn: Instruction<I>) => string): CoverageReport {
  const counts = new Map<string, { count: number; kind: 'integer' | 'fp-simd'; example: string; supported: boolean }>();
  for (const p of programs) {
    for (const s of p.statements) {
      if (s.kind !== 'insn') continue;
      const found = sem.lookup(s);
      const supported = !('unsupported' in found);
      const form = supported ? found.form : found.unsupported;
      const key = `${supported ? '+' : '-'}${form}`;
      const c = counts.get(key);
      if (c) c.count++;
      else counts.set(key, { count: 1, kind: instructionKind(s), example: print(s), supported });
    }
  }
  const rows = [...counts].map(([key, c]) => ({ form: key.slice(1), count: c.count, kind: c.kind, example: c.example, supported: c.supported }));
  const byCount = (a: FormCount, b: FormCount): number => b.count - a.count || a.form.localeCompare(b.form);
  const supported = rows.filter((r) => r.supported).map(({ supported: _, ...r }) => r).sort(byCount);
  const missing = rows.filter((r) => !r.supported).map(({ supported: _, ...r }) => r).sort(byCount);
  const sum = (xs: readonly FormCount[]): number => xs.reduce((n, x) => n + x.count, 0);
  const ints = (xs: readonly FormCount[]): FormCount[] => xs.filter((x) => x.kind === 'integer');
  return {
    total: sum(supported) + sum(missing),
    covered: sum(supported),
    integerTotal: sum(ints(supported)) + sum(ints(missing)),
    integerCovered: sum(ints(supported)),
    supported,
    missing,
  };
}
