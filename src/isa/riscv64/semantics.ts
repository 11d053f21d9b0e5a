// The RISC-V 64 semantics table: one semantics function per instruction form of the instruction
// table (src/isa/riscv64/table.ts), for RV64IMAFD as gcc 12 emits it plus the GNU as pseudo-
// instructions. The functions are written against the Domain, so the concrete emulator and the
// Z3 prover run the same definition; test/semantics-riscv64.test.ts checks both against Unicorn.
//
// Modeling decisions (the report of `gns coverage` and the prover rest on these):
// - FP exception flags are not modeled: FP operations leave `fflags` unchanged, and only the CSR
//   instructions (`frflags`, `fsflags`, `csrr`, ...) read and write it.
// - The dynamic rounding mode (`dyn`, or no rounding operand) is round-to-nearest-even: frm is
//   assumed to hold RNE, as it does for every C program that does not call fesetround.
// - The LR/SC reservation is state: pseudo-registers `reservation` (address) and
//   `reservation_valid` (1 bit). A single hart, so only SC clears it; SC succeeds when the
//   reservation is valid for the same address (the widths of LR and SC are not compared).
// - Forms that depend on more than one instruction or on the environment are UNSUPPORTED:
//   `%pcrel_lo(label)` (its value needs the `%pcrel_hi` at `label`), TLS and GOT relocations,
//   `ecall`, `rdcycle`/`rdtime`/`rdinstret`, and CSRs other than fflags/frm/fcsr.
// - `fence`, `fence.i`, `fence.tso`, `nop` and the AMO ordering bits (.aq/.rl) have no effect on
//   one hart; the ordering variants share the form of the plain AMO.

import type { FpWidth } from '../sem.js';
import type { IsaSemantics, Semantics, SemanticsLookup } from '../exec.js';
import { isDescribeError } from '../types.js';
import { describeRiscv, formsOf, knownMnemonics } from './table.js';
import { FPR_NAMES, GPR_NAMES } from './registers.js';
import { exprOf, unsupportedExpr, type Insn } from './sem-common.js';
import {
  AMO_NAMES, IMM_OPS, LOADS, OPS, RESERVATION, RESERVATION_VALID, STORES, UNARY,
  amo, auipc, la, li, load, lr, lui, nothing, regImm, regReg, sc, store, unary, type FormSem,
} from './sem-int.js';
import { BRANCH1, BRANCH2, branch1, branch2, call, j, jal, jalr, jr, ret, tail, trap, type ControlSem } from './sem-control.js';
import {
  ARITH2, FCMP, FMA, arith2, fma, csrAccess, csrOf, fclass, fcmp, fcvtFloat, fcvtFromInt, fcvtToInt, fload,
  fminmax, fmvFromX, fmvToX, fsgnj, fsgnjSame, fsqrt, fstore, type CsrOp,
} from './sem-fp.js';

export { RESERVATION, RESERVATION_VALID } from './sem-int.js';
export { readF, writeF } from './sem-fp.js';

// ---------------------------------------------------------------------------------------------
// From a table form to its semantics
// ---------------------------------------------------------------------------------------------

/** A form's semantics before the control kind of the instance is known. */
type Entry = { readonly kind: 'plain'; readonly run: FormSem } | { readonly kind: 'control'; readonly run: ControlSem };

const plain = (run: FormSem): Entry => ({ kind: 'plain', run });
const control = (run: ControlSem): Entry => ({ kind: 'control', run });

/** Splits `fadd.s` into its operation and format; undefined when there is no format suffix. */
function fpFormat(m: string): [string, FpWidth] | undefined {
  const r = /^(.*)\.([sd])$/.exec(m);
  return r ? [r[1]!, r[2] === 's' ? 32 : 64] : undefined;
}

/** The semantics of mnemonic `m` with operand roles `roles` (see table.ts), if modeled. */
function semanticsOf(m: string, roles: readonly string[]): Entry | undefined {
  const sig = roles.join('');
  // ---- integer computation ----
  if (OPS[m] && (sig === 'dss' || sig === 'dssi')) return plain(regReg(OPS[m]!));
  if (OPS[m] && sig === 'dsi') return plain(regImm(OPS[m]!));
  if (IMM_OPS[m]) return plain(regImm(OPS[IMM_OPS[m]!]!));
  if (UNARY[m]) return plain(unary(UNARY[m]!));
  if (m === 'lui') return plain(lui);
  if (m === 'auipc') return plain(auipc);
  if (m === 'li') return plain(li);
  if (m === 'la' || m === 'lla') return plain(la);
  // ---- memory ----
  if (LOADS[m]) return plain(load(...LOADS[m]!));
  if (STORES[m]) return plain(store(STORES[m]!));
  if (m === 'flw' || m === 'fld') return plain(fload(m === 'flw' ? 32 : 64));
  if (m === 'fsw' || m === 'fsd') return plain(fstore(m === 'fsw' ? 32 : 64));
  if (m === 'lr.w' || m === 'lr.d') return plain(lr(m === 'lr.w' ? 4 : 8));
  if (m === 'sc.w' || m === 'sc.d') return plain(sc(m === 'sc.w' ? 4 : 8));
  const amoMatch = /^(amo[a-z]+)\.([wd])$/.exec(m);
  if (amoMatch && AMO_NAMES.includes(amoMatch[1]!)) return plain(amo(amoMatch[1]!, amoMatch[2] === 'w' ? 4 : 8));
  if (m === 'nop' || m === 'fence' || m === 'fence.i' || m === 'fence.tso') return plain(nothing);
  // ---- control ----
  if (BRANCH2[m]) return control(branch2(BRANCH2[m]!));
  if (BRANCH1[m]) return control(branch1(BRANCH2[BRANCH1[m]!]!));
  const ctl: Readonly<Record<string, ControlSem>> = { j, jal, jr, jalr, call, tail, ret, ebreak: trap, unimp: trap };
  if (ctl[m]) return control(ctl[m]!);
  // ---- FP CSRs ----
  const csr = csrForm(m, sig);
  if (csr) return plain(csr);
  // ---- floating point ----
  return fpSemantics(m, sig);
}

/** The Zicsr forms and the FP CSR shorthands. */
function csrForm(m: string, sig: string): FormSem | undefined {
  const general = /^csrr?([wsc])(i?)$/.exec(m);
  if (general) {
    const op = general[1] as CsrOp;
    const imm = general[2] === 'i';
    // csrrw d,c,s | csrw c,s  (and the i forms)
    return m.startsWith('csrr') ? csrAccess(op, 0, 1, 2, imm) : csrAccess(op, -1, 0, 1, imm);
  }
  if (m === 'csrr') return csrAccess('s', 0, 1, -1, false);
  const short: Readonly<Record<string, readonly [CsrOp, 'fflags' | 'frm' | 'fcsr', boolean]>> = {
    frflags: ['s', 'fflags', false], fsflags: ['w', 'fflags', false], fsflagsi: ['w', 'fflags', true],
    frrm: ['s', 'frm', false], fsrm: ['w', 'frm', false], fsrmi: ['w', 'frm', true],
    frcsr: ['s', 'fcsr', false], fscsr: ['w', 'fcsr', false],
  };
  const s = short[m];
  if (!s) return undefined;
  const [op, which, imm] = s;
  // frflags d | fsflags s | fsflags d,s | fsflagsi i | fsflagsi d,i
  if (op === 's') return csrAccess('s', 0, -1, -1, false, which);
  return sig.length === 2 ? csrAccess('w', 0, -1, 1, imm, which) : csrAccess('w', -1, -1, 0, imm, which);
}

/** The F and D forms. */
function fpSemantics(m: string, sig: string): Entry | undefined {
  const cvt = /^fcvt\.([a-z]+)\.([a-z]+)$/.exec(m);
  if (cvt) {
    const [, to, from] = cvt as unknown as [string, string, string];
    const ints: Readonly<Record<string, readonly [32 | 64, boolean]>> = { w: [32, true], wu: [32, false], l: [64, true], lu: [64, false] };
    const fmt = (x: string): FpWidth | undefined => (x === 's' ? 32 : x === 'd' ? 64 : undefined);
    if (ints[to] && fmt(from)) return plain(fcvtToInt(ints[to]![0], ints[to]![1], fmt(from)!));
    if (fmt(to) && ints[from]) return plain(fcvtFromInt(ints[from]![0], ints[from]![1], fmt(to)!));
    if (fmt(to) && fmt(from) && to !== from) return plain(fcvtFloat(fmt(from)!, fmt(to)!));
    return undefined;
  }
  if (m === 'fmv.x.w' || m === 'fmv.x.s') return plain(fmvToX(32));
  if (m === 'fmv.x.d') return plain(fmvToX(64));
  if (m === 'fmv.w.x' || m === 'fmv.s.x') return plain(fmvFromX(32));
  if (m === 'fmv.d.x') return plain(fmvFromX(64));
  const f = fpFormat(m);
  if (!f) return undefined;
  const [op, fw] = f;
  if (ARITH2[op]) return plain(arith2(ARITH2[op]!, fw));
  if (op === 'fsqrt') return plain(fsqrt(fw));
  if (FMA[op]) return plain(fma(...FMA[op]!, fw));
  if (op === 'fmin' || op === 'fmax') return plain(fminmax(op === 'fmax', fw));
  const sgn: Readonly<Record<string, 'j' | 'jn' | 'jx'>> = { fsgnj: 'j', fsgnjn: 'jn', fsgnjx: 'jx', fmv: 'j', fneg: 'jn', fabs: 'jx' };
  if (sgn[op]) return plain(sig === 'DSS' ? fsgnj(sgn[op]!, fw) : fsgnjSame(sgn[op]!, fw));
  if (FCMP[op]) return plain(fcmp(FCMP[op]!, fw));
  if (op === 'fclass') return plain(fclass(fw));
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** AMO/LR/SC ordering suffixes: no effect on one hart, so they share the plain form. */
const ORDERING = /\.(aq|rl|aqrl)$/;

/** The table's form name for mnemonic `m` and one of its forms (mirrors table.ts). */
function formName(m: string, roles: readonly string[], formCount: number): string {
  return formCount > 1 ? `${m}.${roles.join('') || 'none'}` : m;
}

function build(): Map<string, Entry> {
  const table = new Map<string, Entry>();
  for (const m of knownMnemonics()) {
    if (ORDERING.test(m)) continue;
    const forms = formsOf(m);
    for (const roles of forms) {
      const e = semanticsOf(m, roles);
      if (e) table.set(formName(m, roles, forms.length), e);
    }
  }
  return table;
}

const TABLE = build();

/** Why an instance of a modeled form still cannot be run, or undefined when it can. */
function unsupportedOperands(insn: Insn): string | undefined {
  for (const op of insn.operands) {
    const e = exprOf(op);
    const why = e && unsupportedExpr(e);
    if (why) return why;
  }
  if (insn.mnemonic.startsWith('csr')) {
    const at = insn.mnemonic.startsWith('csrr') ? 1 : 0;
    if (!csrOf(insn, at)) return 'CSR other than fflags/frm/fcsr';
  }
  return undefined;
}

function lookup(insn: Insn): SemanticsLookup<'riscv64'> {
  const info = describeRiscv(insn);
  if (isDescribeError(info)) return { unsupported: insn.mnemonic };
  const form = info.form.replace(ORDERING, '');
  const entry = TABLE.get(form);
  if (!entry) return { unsupported: form };
  // `add rd, rs1, rs2, %tprel_add(x)` only marks a TLS relocation; its value is never used.
  const why = form === 'add.dssi' ? undefined : unsupportedOperands(insn);
  if (why) return { unsupported: `${form} (${why})` };
  if (entry.kind === 'plain') return { form, run: entry.run as Semantics<'riscv64'> };
  const ctl = info.control;
  const run: Semantics<'riscv64'> = (st, i) => entry.run(st, i, ctl);
  return { form, run };
}

/** The RISC-V 64 semantics: every modeled form of the instruction table. */
export const riscv64Semantics: IsaSemantics<'riscv64'> = {
  isa: 'riscv64',
  lookup,
  forms: [...TABLE.keys()],
  stateRegisters: [
    ...GPR_NAMES.filter((r) => r !== 'zero').map((id) => ({ id, width: 64 })),
    ...FPR_NAMES.map((id) => ({ id, width: 64 })),
    { id: 'fflags', width: 5 },
    { id: 'frm', width: 3 },
    { id: RESERVATION, width: 64 },
    { id: RESERVATION_VALID, width: 1 },
  ],
};
