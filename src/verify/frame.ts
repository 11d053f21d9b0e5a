// Frame analysis of one side of a function: where sp and the frame pointer point, relative to the
// canonical frame address (CFA = sp at entry), at the entry of every block; and which frame slot
// every load and store touches. It runs the real instruction semantics in the verification
// domain, where `sp = CFA + k` stays an address, so no separate model of the prologue is needed.
// Register save slots (the callee-saved and link registers the prologue stores) are found here too:
// they are private to each side and never compared.

import type { Instruction, IsaName, Program } from '../ir/program.js';
import type { FunctionCfg } from '../cfg/cfg.js';
import type { IsaSemantics } from '../isa/exec.js';
import type { Layout } from '../emu/machine.js';
import { RELATION_ABI } from './abi.js';
import { CFA, type Side, VState, runBlock } from './exec.js';
import { type SVal, type VMem, type VerifyDomain, arrayBase, fromFrame } from './value.js';

/** One load or store of a block. */
export interface FrameAccess {
  readonly stmt: number;
  readonly kind: 'load' | 'store';
  readonly bytes: number;
  /** CFA-relative address, when static. */
  readonly off?: bigint;
  /** True for the save or restore of a callee-saved or link register. */
  readonly save: boolean;
  /** Whether the value moves through an integer or an FP/SIMD register. */
  readonly fp: boolean;
  /** True for an address computed from the frame at run time (an array element). */
  readonly indexed: boolean;
}

/**
 * The frame bytes (CFA offsets, plus `shift`) that the static accesses of `blocks` (every block
 * when omitted) touch, of the accesses `keep` accepts.
 */
export function frameBytes(frame: SideFrame, shift: bigint, keep: (a: FrameAccess) => boolean = () => true, blocks?: Iterable<number>): Set<bigint> {
  const out = new Set<bigint>();
  const lists = blocks ? [...blocks].map((b) => frame.accesses[b] ?? []) : frame.accesses;
  for (const list of lists) for (const a of list) if (a.off !== undefined && keep(a)) for (let k = 0n; k < BigInt(a.bytes); k++) out.add(a.off + shift + k);
  return out;
}

/** The frame facts of one side of one function. */
export interface SideFrame {
  /** Per block: CFA-relative offsets of the registers that point into the frame at entry. */
  readonly entry: readonly (ReadonlyMap<string, bigint> | undefined)[];
  readonly accesses: readonly (readonly FrameAccess[])[];
  /**
   * Per block that ends in a call: CFA-relative offsets of the registers that point into the frame
   * at the call (before the callee clobbers the caller-saved ones), such as an argument `&local`.
   */
  readonly atCall: readonly (ReadonlyMap<string, bigint> | undefined)[];
  /** CFA-relative byte offsets of register save slots. */
  readonly saveBytes: ReadonlySet<bigint>;
  /** Set when sp cannot be followed statically (alloca, variable-length arrays). */
  readonly problem?: string;
}

/** Register widths of an ISA's state, for fresh values. */
export function registerWidths<I extends IsaName>(sem: IsaSemantics<I>): Map<string, number> {
  return new Map(sem.stateRegisters.map((r) => [r.id, r.width]));
}

/** Analyses one side of a function. */
export function analyseFrame<I extends IsaName>(
  d: VerifyDomain,
  side: Side,
  sem: IsaSemantics<I>,
  program: Program<I>,
  cfg: FunctionCfg,
  layout: Layout,
): SideFrame {
  const abi = RELATION_ABI[program.isa];
  const widths = registerWidths(sem);
  const width = (id: string): number => widths.get(id) ?? 64;
  const n = cfg.blocks.length;
  const entry: (Map<string, bigint> | undefined)[] = new Array(n).fill(undefined);
  const accesses: FrameAccess[][] = cfg.blocks.map(() => []);
  const atCall: (Map<string, bigint> | undefined)[] = new Array(n).fill(undefined);
  const saved = new Set<SVal>();
  const saveBytes = new Set<bigint>();
  const memory: VMem = { base: arrayBase(d, d.sym.memory(`frame.${side}`)) };
  let problem: string | undefined;
  if (n === 0) return { entry, accesses, atCall, saveBytes };
  entry[0] = new Map([[abi.sp, 0n]]);
  const entryValue = (id: string): SVal => d.fresh(`entry.${side}.${id}`, width(id));
  for (const id of [...abi.calleeSaved, abi.link]) saved.add(entryValue(id));

  const work = [0];
  const visits = new Array<number>(n).fill(0);
  while (work.length > 0) {
    const b = work.shift()!;
    if (++visits[b]! > 4) continue;
    const block = cfg.blocks[b]!;
    const frameIn = entry[b]!;
    const st = new VState(d, side, memory, (id) => {
      const off = frameIn.get(id);
      if (off !== undefined) return d.address(CFA, off);
      return b === 0 ? entryValue(id) : d.fresh(`frame.${side}.${b}.${id}`, width(id));
    }, (name) => name);
    const list: FrameAccess[] = [];
    let stmt = -1;
    d.onAccess = (a) => {
      const off = a.addr.base === CFA && a.addr.part === 'full' ? a.addr.off : undefined;
      const save = a.kind === 'store' && b === 0 && saved.has(a.value) && off !== undefined;
      if (save) for (let k = 0n; k < BigInt(a.bytes); k++) saveBytes.add(off! + k);
      const value = (program.statements[stmt] as Instruction | undefined)?.operands[0];
      const fp = value?.kind === 'reg' && value.reg.file !== 'gpr';
      list.push({ stmt, kind: a.kind, bytes: a.bytes, ...(off !== undefined ? { off } : {}), save, fp, indexed: off === undefined && fromFrame(a.addr) });
    };
    const run = runBlock(sem, program, block.instructions, st, layout, (i) => (stmt = i));
    d.onAccess = undefined;
    accesses[b] = list;
    if (run.status !== 'ok') continue; // the block is UNSUPPORTED; its successors keep what others give
    const all = new Map<string, bigint>();
    for (const [id, v] of st.regs) if (v.base === CFA && v.part === 'full') all.set(id, v.off);
    for (const [id, off] of frameIn) if (!st.regs.has(id)) all.set(id, off);
    const calls = block.terminator === 'call' || block.terminator === 'icall' || block.terminator === 'tailcall';
    if (calls) atCall[b] = all;
    const keep = block.terminator === 'call' || block.terminator === 'icall' ? (id: string): boolean => id === abi.sp || abi.calleeSaved.has(id) : () => true;
    const out = new Map([...all].filter(([id]) => keep(id)));
    if (!out.has(abi.sp) && !block.exit) problem ??= `sp is not a constant offset from the frame address after block ${b}`;
    for (const s of block.successors) {
      const prev = entry[s];
      if (prev === undefined) {
        entry[s] = new Map(out);
        work.push(s);
        continue;
      }
      let changed = false;
      for (const [id, off] of prev) {
        if (out.get(id) !== off) {
          prev.delete(id);
          changed = true;
          if (id === abi.sp) problem ??= `sp differs between the paths into block ${s}`;
        }
      }
      if (changed) work.push(s);
    }
  }
  // Loads from save slots are restores.
  const marked = accesses.map((list) => list.map((a) => (a.off !== undefined && saveBytes.has(a.off) ? { ...a, save: true } : a)));
  return { entry, accesses: marked, atCall, saveBytes, ...(problem ? { problem } : {}) };
}
