// The state relation R between a source function and its translation, and the per-function
// context both the tester and the prover work from.
//
// R relates (DESIGN.md, "Equivalence of blocks across ISAs"):
// - registers, per block boundary: pairs (source register, target register, low bits compared);
// - the frames: the target's CFA is the source's plus `delta`, chosen so that the two frames'
//   slots lie at the same addresses (the stack-slot map sigma is a shift). With that, a pointer
//   into the frame has the same value on both sides, and the frame is just more shared memory;
// - memory: equal everywhere except each side's private bytes (its register save slots, and
//   frame bytes only that side uses), which are never compared;
// - slot and object pairs, where delta does not line the frames up: a variable, or a frame object
//   whose address is passed to callees (a by-reference copy of a structure argument), kept at
//   different places. Their bytes are private on each side and equal pair to pair, and a pointer
//   into an object passed to a callee is related to the pointer at the same offset into its
//   partner: a memory injection restricted to the frame, as in CompCert;
// - offset pairs of registers: a frame address on one side, the same value less the frame address
//   on the other (a loop's `&a[i]` kept as a pointer on RISC-V, as the index on AArch64).
// Which registers point into the frame (sp, the frame pointer) at each boundary, and where, is a
// fact about each side alone, from the frame analysis.

import type { Instruction, IsaName, Program } from '../ir/program.js';
import type { FunctionCfg } from '../cfg/cfg.js';
import type { IsaSemantics } from '../isa/exec.js';
import type { Layout } from '../emu/machine.js';
import type { RelationAbi } from './abi.js';
import type { BlockMatching } from './correspond.js';
import type { SideFrame } from './frame.js';
import type { ExtensionFact } from './returns.js';

/**
 * Source register `s` and target register `t` agree on their low `w` bits; with `offset`, the
 * target's 64-bit value is the source's plus `offset.add`, plus `offset.cfa` times the source CFA
 * (see `pairImage` in obligations.ts).
 */
export interface RegPair {
  readonly s: string;
  readonly t: string;
  readonly w: number;
  readonly offset?: PairOffset;
}

/**
 * How the values of an offset pair differ. `cfa: 0`: a pointer into a paired frame object and its
 * partner's (`add` is the objects' distance). `cfa: 1` or `-1`: one side holds a frame address
 * that the other holds as a plain offset, e.g. `s1 = s0 - 48 + 16*i` on RISC-V where AArch64 keeps
 * `16*i` in x20 and adds the frame address at the access (`str x0, [x21, x20]`).
 */
export interface PairOffset {
  readonly add: bigint;
  readonly cfa: -1 | 0 | 1;
}

/**
 * A frame slot of each side that holds the same variable where delta does not line the two up
 * (gcc orders a function's argument spills differently on each ISA). Offsets are from the source
 * CFA, the target's shifted by delta, like the private bytes; both slots' bytes are private, and
 * the pair relates them: the target slot starts equal to the source slot, and must end so.
 *
 * With `object`, the pair is a frame object whose address both sides pass to callees (a copy of a
 * structure passed by reference): a memory injection restricted to the frame, as in CompCert. A
 * callee is then given related memory, so the pair is never weakened, and pointers into the
 * object are related to pointers into its partner at the same offset (`FunctionRelation.arguments`).
 */
export interface SlotPair {
  readonly s: bigint;
  readonly t: bigint;
  readonly bytes: number;
  readonly object?: true;
}

/** The state relation of one function pair. */
export interface FunctionRelation {
  /** Target CFA minus source CFA. */
  readonly delta: bigint;
  /** Private frame bytes, as offsets from the source CFA (target ones shifted by delta). */
  readonly privateSource: ReadonlySet<bigint>;
  readonly privateTarget: ReadonlySet<bigint>;
  /** Slots related one by one (sigma, where it is not the shift delta). */
  readonly slots: readonly SlotPair[];
  /**
   * Outgoing stack-argument bytes of each side, from the source CFA (the target's shifted by
   * delta). They are private, and compared at each call by their offset from sp.
   */
  readonly outgoing: { readonly source: ReadonlySet<bigint>; readonly target: ReadonlySet<bigint> };
  /** Registers related at the entry of each source block (by source block index). */
  readonly blocks: ReadonlyMap<number, readonly RegPair[]>;
  /** Registers related at each call (by source block index of the calling block). */
  readonly calls: ReadonlyMap<number, readonly RegPair[]>;
  /**
   * The pairs of each call (by source block index; they are in `calls` too) that are never
   * weakened, as a difference there is a wrong argument, not a register the callee ignores:
   * - the arguments the callee reads: a function of the program whose prologue spills those
   *   registers (see `spilledArguments`);
   * - the address of a paired frame object passed to it, related through the object pair (an
   *   offset pair with `cfa: 0`): the callee sees the object through it.
   */
  readonly arguments?: ReadonlyMap<number, readonly RegPair[]>;
  /** Registers related at a return. */
  readonly returns: readonly RegPair[];
  /**
   * Return pairs that are never weakened: both sides set their return register on the way out,
   * so the function returns a value in it, and a difference there is a wrong result.
   */
  readonly kept: readonly RegPair[];
  /** How many register pairs each block's entry started with, before any was dropped. */
  readonly candidates: ReadonlyMap<number, number>;
  /** Assumptions on one side's registers at a block's entry (after calls: see returns.ts). */
  readonly facts: ReadonlyMap<number, readonly ExtensionFact[]>;
  /** Share of aligned frame accesses that delta explains (when inferred). */
  readonly frameAgreement?: number;
}

/** One side of a function pair. */
export interface SideContext<I extends IsaName = IsaName> {
  readonly program: Program<I>;
  readonly cfg: FunctionCfg;
  readonly sem: IsaSemantics<I>;
  readonly abi: RelationAbi;
  readonly layout: Layout;
  readonly frame: SideFrame;
  readonly widths: ReadonlyMap<string, number>;
  /** Control registers with one value at every block entry (FPCR in default-NaN mode). */
  readonly fixed: ReadonlyMap<string, bigint>;
  /** Constant data of local labels, keyed by shared symbol key. */
  readonly images: ReadonlyMap<string, Uint8Array>;
  /** The shared key of a symbol: local data labels of the target map to their source pair. */
  symbolKey(name: string): string;
  /** Block index of a label. */
  readonly labelBlock: ReadonlyMap<string, number>;
}

/** How function pairs are set up. */
export interface ContextOptions {
  /**
   * Compare as machine code, not as C. By default what C leaves open is not compared: NaN
   * payloads (AArch64 runs in default-NaN mode, FPCR.DN = 1, so a NaN result is the canonical NaN
   * on both ISAs), and division by zero and NaN-to-integer conversion (the source is taken never
   * to do them). With `exact`, payloads are compared bit for bit and those operations give what
   * each ISA defines (AArch64 0; RISC-V all ones, and the largest integer).
   */
  readonly exact?: boolean;
}

/** Everything about a function pair that does not change while checking it. */
export interface PairContext {
  readonly name: string;
  readonly source: SideContext;
  readonly target: SideContext;
  readonly matching: BlockMatching;
  /**
   * Why a difference found in this function may be R's or the pairing's rather than the
   * translation's (a variadic function, a switch dispatched differently); while R is inferred, its
   * blocks are then never REFUTED, only UNSUPPORTED with this reason.
   */
  readonly caveat?: string;
  /** How the pair was set up (a repaired target is paired again the same way). */
  readonly options: ContextOptions;
  /** The argument pairs each function of the program reads (by name; see `spilledArguments`). */
  readonly callees?: ReadonlyMap<string, readonly RegPair[]>;
}

/** Registers the instructions of the given blocks name explicitly (ABI-implied uses do not count). */
export function registersNamed(side: SideContext, blocks: Iterable<number>): Set<string> {
  const out = new Set<string>();
  for (const b of blocks) {
    for (const i of side.cfg.blocks[b]!.instructions) {
      for (const op of (side.program.statements[i] as Instruction).operands) {
        if (op.kind === 'reg') out.add(op.reg.id);
        else if (op.kind === 'mem') {
          out.add(op.base.id);
          if (op.index) out.add(op.index.reg.id);
        } else if (op.kind === 'reglist') for (const r of op.regs) out.add(r.reg.id);
      }
    }
  }
  return out;
}

/** Renders an offset from the canonical frame address for reports: `CFA-56`, `CFA+8`. */
export function showCfa(off: bigint): string {
  return `CFA${off >= 0n ? '+' : ''}${off}`;
}

/** Renders a slot pair for reports, each side from its own CFA: `[CFA-56]~[CFA-80]:8`. */
export function showSlot(p: SlotPair, delta: bigint): string {
  return `[${showCfa(p.s)}]~[${showCfa(p.t - delta)}]:${p.bytes}`;
}

/** The target offset (from the source CFA) of each target byte of a slot pair, to its source offset. */
export function slotAliases(slots: readonly SlotPair[]): Map<bigint, bigint> {
  const out = new Map<bigint, bigint>();
  for (const p of slots) for (let k = 0n; k < BigInt(p.bytes); k++) out.set(p.t + k, p.s + k);
  return out;
}

/** Whether two register pairs state the same relation. */
export function samePair(p: RegPair, q: RegPair): boolean {
  return p.s === q.s && p.t === q.t && p.w === q.w && p.offset?.add === q.offset?.add && p.offset?.cfa === q.offset?.cfa;
}

/** Whether `p` is one of the return pairs R never weakens. */
export function isKept(rel: FunctionRelation, p: RegPair): boolean {
  return rel.kept.some((k) => samePair(k, p));
}

/** Renders a register pair for reports: `x0~a0`, `w0~a5[31:0]`, or `s1=x20+CFA-48` (an offset pair). */
export function showPair(p: RegPair): string {
  if (p.offset) {
    const { add, cfa } = p.offset;
    return `${p.t}=${p.s}${cfa === 0 ? '' : cfa > 0 ? '+CFA' : '-CFA'}${add === 0n ? '' : add > 0n ? `+${add}` : `${add}`}`;
  }
  return p.w === 64 ? `${p.s}~${p.t}` : `${p.s}~${p.t}[${p.w - 1}:0]`;
}
