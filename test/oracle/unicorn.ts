// Binding to the real Unicorn engine (libunicorn.so.2 through koffi): the oracle our own emulator
// and prover semantics are checked against. One UnicornMachine is one uc_engine; everything the
// differential tests need (memory, registers by name, bounded runs) and nothing else.

import koffi, { type LibraryHandle } from 'koffi';
import {
  UC_ARCH,
  UC_ARM64_REG,
  UC_CTL,
  UC_CTL_IO,
  UC_ERR,
  UC_MODE,
  UC_PROT,
  UC_QUERY,
  UC_RISCV_REG,
  ucCtl,
} from './unicorn-consts.js';

/** The ISAs the oracle emulates (the same names as `IsaName` in src/ir/program.ts). */
export type OracleIsa = 'aarch64' | 'riscv64';

/** Bounds on one {@link UnicornMachine.run}; a bound left out (or 0) is no bound. */
export interface RunOptions {
  /** Stop after this many instructions. */
  readonly maxInstructions?: number;
  /** Stop after this much wall time, in microseconds (Unicorn's own timer thread). */
  readonly timeoutMicros?: number;
}

/**
 * How a run ended. `code` is a `uc_err` from {@link UC_ERR}, or one of {@link STOP} when Unicorn
 * itself reported success but the run was cut short by a bound; `pc` is where it stopped.
 */
export type RunResult = { ok: true } | { ok: false; error: string; code: number; pc: bigint };

/**
 * Codes for runs that Unicorn ends "successfully" although the code never reached its end:
 * negative so they can never collide with a `uc_err`.
 */
export const STOP = {
  /** `maxInstructions` ran out first. */
  INSN_LIMIT: -1,
  /** `timeoutMicros` ran out first. */
  TIMEOUT: -2,
} as const;

/** A failed Unicorn call outside `run` (map, memory or register access, open). */
export class UnicornError extends Error {
  /** The `uc_err` code. */
  readonly code: number;
  /** The Unicorn function that failed, e.g. `uc_mem_read`. */
  readonly op: string;

  constructor(op: string, code: number, detail: string) {
    super(`${op}: ${strerror(code)}${detail ? ` (${detail})` : ''}`);
    this.name = 'UnicornError';
    this.code = code;
    this.op = op;
  }
}

/** A register's Unicorn id and how many bits of it the binding moves. */
export interface RegisterInfo {
  readonly id: number;
  readonly bits: 8 | 16 | 32 | 64 | 128;
}

// ---------------------------------------------------------------------------------------------
// Register names
// ---------------------------------------------------------------------------------------------

const RISCV_ABI = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

const RISCV_FP_ABI = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3',
  'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11',
  'ft8', 'ft9', 'ft10', 'ft11',
] as const;

/** Width of each AArch64 register bank by the first letter(s) of its C name; the rest are 64. */
const ARM64_BANK_BITS: Record<string, RegisterInfo['bits']> = {
  Q: 128, V: 128, D: 64, S: 32, H: 16, B: 8, W: 32, WZR: 32, NZCV: 32, PSTATE: 32, FPCR: 32, FPSR: 32,
};

/** Aliases the assembler accepts that the C header does not spell out for AArch64. */
const ARM64_ALIASES: Record<string, string> = { fp: 'x29', lr: 'x30', ip0: 'x16', ip1: 'x17' };

function buildArm64Names(): Map<string, RegisterInfo> {
  const names = new Map<string, RegisterInfo>();
  for (const [cName, id] of Object.entries(UC_ARM64_REG)) {
    const bank = /^(Q|V|D|S|H|B|W)\d+$/.exec(cName)?.[1] ?? cName;
    names.set(cName.toLowerCase(), { id, bits: ARM64_BANK_BITS[bank] ?? 64 });
  }
  for (const [alias, target] of Object.entries(ARM64_ALIASES)) names.set(alias, names.get(target)!);
  return names;
}

function buildRiscvNames(): Map<string, RegisterInfo> {
  const names = new Map<string, RegisterInfo>();
  for (const [cName, id] of Object.entries(UC_RISCV_REG)) names.set(cName.toLowerCase(), { id, bits: 64 });
  RISCV_ABI.forEach((abi, i) => names.set(abi, names.get(`x${i}`)!));
  RISCV_FP_ABI.forEach((abi, i) => names.set(abi, names.get(`f${i}`)!));
  names.set('fp', names.get('x8')!);
  return names;
}

/**
 * Every register name the binding accepts per ISA (lower case): architectural names, ABI and
 * assembler aliases, and the FP/SIMD views (AArch64 q/v 128-bit, d/s/h/b narrower).
 */
export const REGISTERS: Readonly<Record<OracleIsa, ReadonlyMap<string, RegisterInfo>>> = {
  aarch64: buildArm64Names(),
  riscv64: buildRiscvNames(),
};

// ---------------------------------------------------------------------------------------------
// The C library
// ---------------------------------------------------------------------------------------------

// koffi's function objects are untyped; these signatures pin down how this file calls them.
interface UcApi {
  version(major: null, minor: null): number;
  open(arch: number, mode: number, out: [bigint | null]): number;
  close(uc: bigint): number;
  strerror(code: number): string;
  query(uc: bigint, type: number, out: [number | bigint]): number;
  ctl(uc: bigint, control: number, ...varargs: unknown[]): number;
  regRead(uc: bigint, regid: number, value: Uint8Array): number;
  regWrite(uc: bigint, regid: number, value: Uint8Array): number;
  memMap(uc: bigint, address: bigint, size: number, perms: number): number;
  memUnmap(uc: bigint, address: bigint, size: number): number;
  memRead(uc: bigint, address: bigint, bytes: Uint8Array, size: number): number;
  memWrite(uc: bigint, address: bigint, bytes: Uint8Array, size: number): number;
  emuStart(uc: bigint, begin: bigint, until: bigint, timeout: bigint, count: number): number;
}

let api: UcApi | undefined;

function ucApi(): UcApi {
  if (api) return api;
  let lib: LibraryHandle;
  try {
    lib = koffi.load('libunicorn.so.2');
  } catch (e) {
    throw new Error(`cannot load libunicorn.so.2 (Debian package libunicorn2): ${(e as Error).message}`);
  }
  // `uc_engine *` travels as an untyped pointer: koffi 3 hands pointers to JS as bigint.
  api = {
    version: lib.func('unsigned int uc_version(unsigned int *major, unsigned int *minor)'),
    open: lib.func('int uc_open(int arch, int mode, _Out_ void **uc)'),
    close: lib.func('int uc_close(void *uc)'),
    strerror: lib.func('const char *uc_strerror(int code)'),
    query: lib.func('int uc_query(void *uc, int type, _Out_ size_t *result)'),
    ctl: lib.func('int uc_ctl(void *uc, int control, ...)'),
    regRead: lib.func('int uc_reg_read(void *uc, int regid, void *value)'),
    regWrite: lib.func('int uc_reg_write(void *uc, int regid, const void *value)'),
    memMap: lib.func('int uc_mem_map(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    memUnmap: lib.func('int uc_mem_unmap(void *uc, uint64_t address, size_t size)'),
    memRead: lib.func('int uc_mem_read(void *uc, uint64_t address, void *bytes, size_t size)'),
    memWrite: lib.func('int uc_mem_write(void *uc, uint64_t address, const void *bytes, size_t size)'),
    emuStart: lib.func('int uc_emu_start(void *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)'),
  } as UcApi;
  return api;
}

function strerror(code: number): string {
  if (code === STOP.INSN_LIMIT) return 'instruction limit reached';
  if (code === STOP.TIMEOUT) return 'timeout';
  try {
    return ucApi().strerror(code);
  } catch {
    return `uc_err ${code}`;
  }
}

/**
 * The Unicorn library version, e.g. `{ major: 2, minor: 0 }`; throws when the library cannot be
 * loaded, so it doubles as an availability check.
 */
export function unicornVersion(): { major: number; minor: number } {
  const v = ucApi().version(null, null);
  return { major: (v >>> 24) & 0xff, minor: (v >>> 16) & 0xff };
}

// A machine that is dropped without close() still gets its engine freed when collected; close()
// is the deterministic path and unregisters this.
const finalizer = new FinalizationRegistry<bigint>((handle) => {
  api?.close(handle);
});

/** uc_emu_start `until` for "no end address": no instruction lives at the top of memory. */
const NO_END = 0xffff_ffff_ffff_fffcn;

/** CPACR_EL1.FPEN = 0b11: FP/SIMD does not trap at EL0 or EL1. */
const CPACR_FPEN = 0b11n << 20n;
/** mstatus.FS = 0b11 (Dirty): FP instructions and fcsr/fflags/frm accesses allowed. */
const MSTATUS_FS = 0b11n << 13n;

/** Options for {@link UnicornMachine.open}. */
export interface OpenOptions {
  /**
   * A CPU model from UC_CPU_ARM64 / UC_CPU_RISCV64; Unicorn's default when left out (for
   * AArch64 that is an ARMv8.0 core, so no LSE atomics: pass UC_CPU_ARM64.MAX for those).
   */
  readonly cpu?: number;
}

/**
 * One Unicorn engine for one ISA, with FP/SIMD enabled. Registers are read and written by name
 * (see {@link REGISTERS}) as unsigned bigints of the register's width. Failed calls throw
 * {@link UnicornError}; {@link run} reports faults as values instead, since faults are data for
 * the differential tests.
 */
export class UnicornMachine {
  readonly isa: OracleIsa;
  private handle: bigint | null;
  private readonly regs: ReadonlyMap<string, RegisterInfo>;
  private readonly zeroRegIds: ReadonlySet<number>;
  /** Scratch for register transfers: the widest register is 16 bytes. */
  private readonly regBuf = new Uint8Array(16);
  private readonly regView = new DataView(this.regBuf.buffer);
  /** Whether a run has happened, so Unicorn's translation cache may hold blocks. */
  private translated = false;

  private constructor(isa: OracleIsa, handle: bigint) {
    this.isa = isa;
    this.handle = handle;
    this.regs = REGISTERS[isa];
    this.zeroRegIds = new Set(isa === 'aarch64' ? [UC_ARM64_REG.XZR, UC_ARM64_REG.WZR] : [UC_RISCV_REG.X0]);
    finalizer.register(this, handle, this);
  }

  /** Opens an engine for `isa` and turns on its FP unit (both are off at reset in Unicorn). */
  static open(isa: OracleIsa, opts: OpenOptions = {}): UnicornMachine {
    const uc = ucApi();
    const [arch, mode] = isa === 'aarch64' ? [UC_ARCH.ARM64, UC_MODE.ARM] : [UC_ARCH.RISCV, UC_MODE.RISCV64];
    const out: [bigint | null] = [null];
    const err = uc.open(arch, mode, out);
    if (err !== UC_ERR.OK || out[0] === null) throw new UnicornError('uc_open', err, isa);
    const m = new UnicornMachine(isa, out[0]);
    try {
      // The model must be chosen before any other call: Unicorn builds the CPU lazily on the first.
      if (opts.cpu !== undefined) m.check('uc_ctl', uc.ctl(out[0], ucCtl(UC_CTL.CPU_MODEL, 1, UC_CTL_IO.WRITE), 'int', opts.cpu), 'cpu model');
      if (isa === 'aarch64') m.setReg('cpacr_el1', m.getReg('cpacr_el1') | CPACR_FPEN);
      else m.setReg('mstatus', m.getReg('mstatus') | MSTATUS_FS);
    } catch (e) {
      m.close();
      throw e;
    }
    return m;
  }

  /** Whether {@link close} has been called. */
  get closed(): boolean {
    return this.handle === null;
  }

  /** Frees the engine and all its memory; later calls are no-ops. */
  close(): void {
    if (this.handle === null) return;
    const h = this.handle;
    this.handle = null;
    finalizer.unregister(this);
    ucApi().close(h);
  }

  /** The CPU model in use (a UC_CPU_* number). */
  cpuModel(): number {
    const out = new Int32Array(1);
    this.check('uc_ctl', ucApi().ctl(this.h(), ucCtl(UC_CTL.CPU_MODEL, 1, UC_CTL_IO.READ), 'int *', out), 'cpu model');
    return out[0]!;
  }

  /** Unicorn's page size: map and unmap need addresses and sizes that are multiples of it. */
  pageSize(): number {
    const out: [number | bigint] = [0];
    this.check('uc_query', ucApi().query(this.h(), UC_QUERY.PAGE_SIZE, out), 'page size');
    return Number(out[0]);
  }

  /** Maps `size` bytes at `addr` (both page-aligned), zero-filled, with `UC_PROT` permissions. */
  map(addr: bigint, size: number, prot: number = UC_PROT.ALL): void {
    this.check('uc_mem_map', ucApi().memMap(this.h(), addr, size, prot), `0x${addr.toString(16)}+0x${size.toString(16)}`);
  }

  /** Unmaps `size` bytes at `addr` (both page-aligned). */
  unmap(addr: bigint, size: number): void {
    this.check('uc_mem_unmap', ucApi().memUnmap(this.h(), addr, size), `0x${addr.toString(16)}+0x${size.toString(16)}`);
  }

  /** Writes bytes into mapped memory; throws UnicornError (WRITE_UNMAPPED) if any byte is not mapped. */
  writeMemory(addr: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const uc = ucApi();
    this.check('uc_mem_write', uc.memWrite(this.h(), addr, bytes, bytes.length), `0x${addr.toString(16)}+${bytes.length}`);
    // uc_mem_write does not reliably drop translations of the bytes it overwrites in 2.0.1
    // (after a run whose `until` lay off the code's page, rewritten code kept running the old
    // translation), so drop them here. Dropping a range is cheap; a full TB flush costs ~0.2 s.
    if (this.translated) {
      const ctl = ucCtl(UC_CTL.TB_REMOVE_CACHE, 2, UC_CTL_IO.WRITE);
      this.check('uc_ctl', uc.ctl(this.h(), ctl, 'uint64_t', addr, 'uint64_t', addr + BigInt(bytes.length)), 'drop stale translations');
    }
  }

  /** Reads `size` bytes of mapped memory; throws UnicornError (READ_UNMAPPED) if any is not mapped. */
  readMemory(addr: bigint, size: number): Uint8Array {
    const out = new Uint8Array(size);
    if (size === 0) return out;
    this.check('uc_mem_read', ucApi().memRead(this.h(), addr, out, size), `0x${addr.toString(16)}+${size}`);
    return out;
  }

  /** The id and width of a register name, or throws listing the ISA (names are case-insensitive). */
  register(name: string): RegisterInfo {
    const info = this.regs.get(name.toLowerCase());
    if (!info) throw new Error(`unknown ${this.isa} register ${JSON.stringify(name)}`);
    return info;
  }

  /** Reads a register as an unsigned bigint of its width (128 bits for AArch64 q/v). */
  getReg(name: string): bigint {
    const { id, bits } = this.register(name);
    this.regBuf.fill(0);
    this.check('uc_reg_read', ucApi().regRead(this.h(), id, this.regBuf), name);
    const v = this.regView;
    switch (bits) {
      case 8: return BigInt(v.getUint8(0));
      case 16: return BigInt(v.getUint16(0, true));
      case 32: return BigInt(v.getUint32(0, true));
      case 64: return v.getBigUint64(0, true);
      case 128: return v.getBigUint64(0, true) | (v.getBigUint64(8, true) << 64n);
    }
  }

  /**
   * Writes a register; negative values are taken as two's complement. Throws when the value
   * does not fit the register's width, so a typo cannot silently truncate a test input.
   */
  setReg(name: string, value: bigint): void {
    const { id, bits } = this.register(name);
    const w = BigInt(bits);
    if (value >= 1n << w || value < -(1n << (w - 1n))) {
      throw new RangeError(`${name}: 0x${value.toString(16)} does not fit in ${bits} bits`);
    }
    // Unicorn stores a write to RISC-V x0 and reads it back (instructions still see 0), which
    // would put a phantom value in every later register dump; AArch64 drops xzr writes.
    if (value !== 0n && this.zeroRegIds.has(id)) throw new RangeError(`${name} is hardwired to zero`);
    const u = BigInt.asUintN(bits, value);
    this.regView.setBigUint64(0, BigInt.asUintN(64, u), true);
    this.regView.setBigUint64(8, u >> 64n, true);
    this.check('uc_reg_write', ucApi().regWrite(this.h(), id, this.regBuf), name);
  }

  /** Reads several registers into a record keyed by the given names. */
  getRegs(names: Iterable<string>): Record<string, bigint> {
    const out: Record<string, bigint> = {};
    for (const n of names) out[n] = this.getReg(n);
    return out;
  }

  /** Writes every register of a record (in its key order). */
  setRegs(values: Readonly<Record<string, bigint>>): void {
    for (const [n, v] of Object.entries(values)) this.setReg(n, v);
  }

  /**
   * Runs from `start` until the PC reaches `end` (never, when `end` is left out) within the
   * bounds in `opts`. Faults (unmapped access, invalid instruction, CPU exception) and bounds
   * that ran out come back as `{ ok: false }` with the PC where it stopped; only misuse throws.
   */
  run(start: bigint, end: bigint | undefined, opts: RunOptions = {}): RunResult {
    const maxInstructions = opts.maxInstructions ?? 0;
    const timeoutMicros = opts.timeoutMicros ?? 0;
    if (!Number.isSafeInteger(maxInstructions) || maxInstructions < 0) throw new RangeError(`bad maxInstructions ${maxInstructions}`);
    if (!Number.isSafeInteger(timeoutMicros) || timeoutMicros < 0) throw new RangeError(`bad timeoutMicros ${timeoutMicros}`);
    const uc = ucApi();
    // Unicorn 2.0.1 adds its instruction-count hook only for runs with a count, and translated
    // blocks outlive the run: a counted run after an uncounted one can spin forever in a cached
    // `b .` that lacks the counter, and an uncounted run after a counted one overshoots its
    // timeout by seconds. Counting every run (with an unreachable limit by default) avoids both.
    const count = maxInstructions > 0 ? maxInstructions : Number.MAX_SAFE_INTEGER;
    this.translated = true;
    const err = uc.emuStart(this.h(), start, end ?? NO_END, BigInt(timeoutMicros), count);
    const pc = this.getReg('pc');
    // Unicorn 2.0.1's RISC-V engine does not stop at `end` when a jump (jalr) lands there: it
    // faults fetching `end` instead. Reaching `end` is what was asked for, so that is success.
    if (err === UC_ERR.FETCH_UNMAPPED && end !== undefined && pc === end) return { ok: true };
    if (err !== UC_ERR.OK) return { ok: false, error: strerror(err), code: err, pc };
    if (end !== undefined && pc === end) return { ok: true };
    if (timeoutMicros > 0) {
      const timedOut: [number | bigint] = [0];
      this.check('uc_query', uc.query(this.h(), UC_QUERY.TIMEOUT, timedOut), 'timeout');
      if (Number(timedOut[0]) !== 0) return { ok: false, error: `timeout after ${timeoutMicros} µs`, code: STOP.TIMEOUT, pc };
    }
    // Unicorn returns OK without reaching `end` only when the instruction count ran out.
    return { ok: false, error: `instruction limit (${maxInstructions}) reached`, code: STOP.INSN_LIMIT, pc };
  }

  private h(): bigint {
    if (this.handle === null) throw new Error('UnicornMachine is closed');
    return this.handle;
  }

  private check(op: string, err: number, detail: string): void {
    if (err !== UC_ERR.OK) throw new UnicornError(op, err, detail);
  }
}

/**
 * Opens a machine, passes it to `fn` and closes it however `fn` ends, so tests cannot leak
 * engines (each holds its guest memory and a JIT cache).
 */
export function withMachine<T>(isa: OracleIsa, fn: (m: UnicornMachine) => T, opts: OpenOptions = {}): T {
  const m = UnicornMachine.open(isa, opts);
  try {
    return fn(m);
  } finally {
    m.close();
  }
}
