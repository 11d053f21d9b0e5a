// Tests of the Unicorn oracle binding (test/oracle/): constants against the installed C headers,
// hand-computed results for a few instructions per ISA, faults and bounds that must come back as
// values, the Unicorn 2.0.1 quirks the binding works around, and the batched assembler.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mapLimit } from '../src/util/proc.js';
import { assembleMany, assembleSnippet } from './oracle/assemble.js';
import { parseCEnums } from './oracle/c-enum.js';
import { runSnippet, SNIPPET_REGS, type SnippetResult } from './oracle/run-snippet.js';
import * as C from './oracle/unicorn-consts.js';
import { REGISTERS, STOP, UnicornError, UnicornMachine, unicornVersion, withMachine, type OracleIsa } from './oracle/unicorn.js';

const HEADERS = '/usr/include/unicorn';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Each table of unicorn-consts.ts, the header that defines it and its C name prefix. */
const CONST_TABLES: [string, Readonly<Record<string, number>>, string, string][] = [
  ['UC_ARCH', C.UC_ARCH, 'unicorn.h', 'UC_ARCH_'],
  ['UC_MODE', C.UC_MODE, 'unicorn.h', 'UC_MODE_'],
  ['UC_ERR', C.UC_ERR, 'unicorn.h', 'UC_ERR_'],
  ['UC_QUERY', C.UC_QUERY, 'unicorn.h', 'UC_QUERY_'],
  ['UC_PROT', C.UC_PROT, 'unicorn.h', 'UC_PROT_'],
  ['UC_CTL', C.UC_CTL, 'unicorn.h', 'UC_CTL_'],
  ['UC_CPU_ARM64', C.UC_CPU_ARM64, 'arm64.h', 'UC_CPU_ARM64_'],
  ['UC_CPU_RISCV64', C.UC_CPU_RISCV64, 'riscv.h', 'UC_CPU_RISCV64_'],
  ['UC_ARM64_REG', C.UC_ARM64_REG, 'arm64.h', 'UC_ARM64_REG_'],
  ['UC_RISCV_REG', C.UC_RISCV_REG, 'riscv.h', 'UC_RISCV_REG_'],
];

const header = (file: string): string => readFileSync(`${HEADERS}/${file}`, 'utf8');

test('every constant equals the value the installed Unicorn headers give it', () => {
  const enums = new Map<string, Map<string, number>>();
  for (const file of ['unicorn.h', 'arm64.h', 'riscv.h']) enums.set(file, parseCEnums(header(file)));
  let checked = 0;
  for (const [table, values, file, prefix] of CONST_TABLES) {
    for (const [key, value] of Object.entries(values)) {
      assert.equal(value, enums.get(file)!.get(prefix + key), `${table}.${key} vs ${prefix}${key} in ${file}`);
      checked++;
    }
  }
  // Every error code is listed, so any code Unicorn returns can be named.
  const errs = [...enums.get('unicorn.h')!.keys()].filter((k) => k.startsWith('UC_ERR_'));
  assert.deepEqual(errs.map((k) => k.slice('UC_ERR_'.length)).sort(), Object.keys(C.UC_ERR).sort());
  // UC_CTL_IO_* are #defines, not enumerators.
  for (const [key, value] of Object.entries(C.UC_CTL_IO)) {
    assert.match(header('unicorn.h'), new RegExp(`#define UC_CTL_IO_${key} \\(${value}\\)`));
  }
  assert.ok(checked > 350, `checked ${checked} constants`);
});

test('the header parser follows C enum numbering (implicit, explicit, shifts, aliases)', () => {
  const e = parseCEnums('typedef enum x { A = 0, B, /* c */ C = 1 << 4, D, // x\n E = B, F = 0x10 | 3, } x;');
  assert.deepEqual([...e], [['A', 0], ['B', 1], ['C', 16], ['D', 17], ['E', 1], ['F', 19]]);
  assert.throws(() => parseCEnums('enum { A = sizeof(int) };'), /unknown name/);
});

test('register names: architectural, ABI aliases and widths', () => {
  const a = REGISTERS.aarch64;
  assert.equal(a.get('x0')!.id, C.UC_ARM64_REG.X0);
  assert.equal(a.get('lr')!.id, C.UC_ARM64_REG.X30);
  assert.equal(a.get('fp')!.id, C.UC_ARM64_REG.X29);
  assert.deepEqual(a.get('v31'), { id: C.UC_ARM64_REG.V31, bits: 128 });
  assert.deepEqual(a.get('q0'), { id: C.UC_ARM64_REG.Q0, bits: 128 });
  assert.deepEqual(a.get('d7'), { id: C.UC_ARM64_REG.D7, bits: 64 });
  assert.deepEqual(a.get('s7'), { id: C.UC_ARM64_REG.S7, bits: 32 });
  assert.deepEqual(a.get('w3'), { id: C.UC_ARM64_REG.W3, bits: 32 });
  const r = REGISTERS.riscv64;
  assert.equal(r.get('a0')!.id, C.UC_RISCV_REG.X10);
  assert.equal(r.get('s0')!.id, C.UC_RISCV_REG.X8);
  assert.equal(r.get('fp')!.id, C.UC_RISCV_REG.X8);
  assert.equal(r.get('t6')!.id, C.UC_RISCV_REG.X31);
  assert.equal(r.get('fa0')!.id, C.UC_RISCV_REG.F10);
  assert.equal(r.get('ft11')!.id, C.UC_RISCV_REG.F31);
  assert.equal(r.get('fcsr')!.id, C.UC_RISCV_REG.FCSR);
  for (const isa of ['aarch64', 'riscv64'] as const) {
    for (const name of SNIPPET_REGS[isa]) assert.ok(REGISTERS[isa].has(name), `${isa} ${name}`);
  }
});

// ---------------------------------------------------------------------------------------------
// The machine
// ---------------------------------------------------------------------------------------------

test('library version is 2.0 and both ISAs open with FP enabled', () => {
  assert.deepEqual(unicornVersion(), { major: 2, minor: 0 });
  withMachine('aarch64', (m) => {
    assert.equal((m.getReg('cpacr_el1') >> 20n) & 3n, 3n, 'CPACR_EL1.FPEN');
    assert.equal(m.pageSize(), 1024);
  });
  withMachine('riscv64', (m) => {
    assert.equal((m.getReg('mstatus') >> 13n) & 3n, 3n, 'mstatus.FS');
    assert.equal(m.pageSize(), 4096);
  });
});

test('close is idempotent and a closed machine refuses work', () => {
  const m = UnicornMachine.open('aarch64');
  m.close();
  m.close();
  assert.equal(m.closed, true);
  assert.throws(() => m.getReg('x0'), /closed/);
  assert.throws(() => m.map(0x1000n, 0x1000), /closed/);
});

test('register writes: full 128-bit vectors, two\'s complement, range and zero-register checks', () => {
  withMachine('aarch64', (m) => {
    const v = 0x0123456789abcdef_fedcba9876543210n;
    m.setReg('v5', v);
    assert.equal(m.getReg('v5'), v);
    assert.equal(m.getReg('q5'), v);
    assert.equal(m.getReg('d5'), 0xfedcba9876543210n);
    assert.equal(m.getReg('s5'), 0x76543210n);
    m.setReg('x3', -1n);
    assert.equal(m.getReg('x3'), 0xffff_ffff_ffff_ffffn);
    assert.throws(() => m.setReg('x3', 1n << 64n), RangeError);
    assert.throws(() => m.setReg('w3', -(1n << 32n)), RangeError);
    assert.throws(() => m.setReg('xzr', 1n), /hardwired/);
    assert.throws(() => m.getReg('x31'), /unknown aarch64 register/);
    m.setReg('nzcv', 0xf000_0000n);
    assert.equal(m.getReg('nzcv'), 0xf000_0000n);
  });
  withMachine('riscv64', (m) => {
    m.setReg('a0', 42n);
    assert.equal(m.getReg('x10'), 42n);
    assert.throws(() => m.setReg('zero', 1n), /hardwired/);
    m.setReg('fcsr', 0xffn);
    assert.equal(m.getReg('frm'), 7n);
    assert.equal(m.getReg('fflags'), 0x1fn);
  });
});

test('memory: round trip, and unmapped or misaligned access is an error, not a crash', () => {
  withMachine('riscv64', (m) => {
    m.map(0x20000n, 0x2000);
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    m.writeMemory(0x20f80n, bytes); // crosses a page boundary
    assert.deepEqual(m.readMemory(0x20f80n, 300), bytes);
    const unmapped = (fn: () => unknown, code: number) =>
      assert.throws(fn, (e: unknown) => e instanceof UnicornError && e.code === code);
    unmapped(() => m.readMemory(0x30000n, 8), C.UC_ERR.READ_UNMAPPED);
    unmapped(() => m.readMemory(0x21ffcn, 8), C.UC_ERR.READ_UNMAPPED); // straddles the end
    unmapped(() => m.writeMemory(0x1fffen, new Uint8Array(4)), C.UC_ERR.WRITE_UNMAPPED);
    unmapped(() => m.map(0x40010n, 0x1000), C.UC_ERR.ARG);
    unmapped(() => m.map(0x20000n, 0x1000), C.UC_ERR.MAP); // already mapped
    m.unmap(0x21000n, 0x1000);
    unmapped(() => m.readMemory(0x21000n, 1), C.UC_ERR.READ_UNMAPPED);
  });
});

// ---------------------------------------------------------------------------------------------
// Instruction results (hand-computed)
// ---------------------------------------------------------------------------------------------

const M64 = (1n << 64n) - 1n;
const f64 = (x: number): bigint => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x, true);
  return b.getBigUint64(0, true);
};

async function run1(isa: OracleIsa, asm: string, regs: Record<string, bigint>, memory: { addr: bigint; bytes: Uint8Array }[] = []): Promise<SnippetResult> {
  const r = runSnippet(isa, await assembleSnippet(isa, asm), { regs, memory });
  assert.equal(r.error, undefined, `${asm}: ${r.error?.message}`);
  return r;
}

test('aarch64 add x0, x1, x2 (wraps at 64 bits) and leaves flags alone', async () => {
  let r = await run1('aarch64', 'add x0, x1, x2', { x1: 40n, x2: 2n, nzcv: 0x9000_0000n });
  assert.equal(r.regs.x0, 42n);
  assert.equal(r.regs.nzcv, 0x9000_0000n);
  assert.equal(r.regs.pc, 0x10004n);
  r = await run1('aarch64', 'add x0, x1, x2', { x1: M64, x2: 2n });
  assert.equal(r.regs.x0, 1n);
});

test('aarch64 subs sets NZCV as hand-computed', async () => {
  const N = 8n, Z = 4n, Cf = 2n, V = 1n;
  /** x1, x2, expected x0, expected NZCV nibble. */
  const cases: [bigint, bigint, bigint, bigint][] = [
    [0n, 1n, M64, N], // borrow: C=0
    [5n, 5n, 0n, Z | Cf],
    [1n, 0n, 1n, Cf],
    [0x8000_0000_0000_0000n, 1n, 0x7fff_ffff_ffff_ffffn, Cf | V], // INT64_MIN - 1 overflows
    [0x7fff_ffff_ffff_ffffn, M64, 0x8000_0000_0000_0000n, N | V], // INT64_MAX - (-1) overflows
    [3n, 0xffff_ffff_ffff_fffdn, 6n, 0n], // 3 - (-3): borrow, no overflow
  ];
  const code = await assembleSnippet('aarch64', 'subs x0, x1, x2');
  for (const [a, b, diff, flags] of cases) {
    const r = runSnippet('aarch64', code, { regs: { x1: a, x2: b, nzcv: 0xf000_0000n } });
    assert.equal(r.error, undefined);
    assert.equal(r.regs.x0, diff, `x0 for ${a} - ${b}`);
    assert.equal(r.regs.nzcv, flags << 28n, `NZCV for ${a} - ${b}`);
  }
});

test('aarch64 ldr/str round trip through memory', async () => {
  const data = new Uint8Array(16);
  new DataView(data.buffer).setBigUint64(0, 0x1122_3344_5566_7788n, true);
  const r = await run1('aarch64', 'ldr x0, [x1]\nadd x0, x0, #1\nstr x0, [x1, #8]\nldrb w2, [x1, #1]', { x1: 0x20000n }, [
    { addr: 0x20000n, bytes: data },
  ]);
  assert.equal(r.regs.x0, 0x1122_3344_5566_7789n);
  assert.equal(r.regs.x2, 0x77n);
  assert.equal(new DataView(r.memory[0]!.bytes.buffer).getBigUint64(8, true), 0x1122_3344_5566_7789n);
  assert.deepEqual(r.memory[0]!.bytes.subarray(0, 8), data.subarray(0, 8));
});

test('aarch64 fadd d0, d1, d2: 1.5 + 2.25 = 3.75, upper half of v0 cleared', async () => {
  const r = await run1('aarch64', 'fadd d0, d1, d2', { v0: M64 << 64n, v1: f64(1.5), v2: f64(2.25) });
  assert.equal(r.regs.v0, f64(3.75));
  assert.equal(r.regs.fpsr, 0n, 'exact: no exception flags');
  const inexact = await run1('aarch64', 'fadd d0, d1, d2', { v1: f64(0.1), v2: f64(0.2) });
  assert.equal(inexact.regs.v0, f64(0.1 + 0.2));
  assert.equal(inexact.regs.fpsr & 0x10n, 0x10n, 'FPSR.IXC');
});

test('riscv64 addw sign-extends its 32-bit result', async () => {
  const r = await run1('riscv64', 'addw a0, a1, a2', { a1: 0x7fff_ffffn, a2: 1n });
  assert.equal(r.regs.x10, 0xffff_ffff_8000_0000n);
  const hi = await run1('riscv64', 'addw a0, a1, a2', { a1: 0x1234_5678_0000_0001n, a2: 1n });
  assert.equal(hi.regs.x10, 2n, 'upper input bits ignored');
});

test('riscv64 division by zero: div gives -1, remu gives the dividend, no trap', async () => {
  const r = await run1('riscv64', 'div a0, a1, a2\nremu a3, a1, a2\ndivu a4, a1, a2\nrem a5, a1, a2', { a1: 1234n, a2: 0n });
  assert.equal(r.regs.x10, M64);
  assert.equal(r.regs.x13, 1234n);
  assert.equal(r.regs.x14, M64);
  assert.equal(r.regs.x15, 1234n);
  const ov = await run1('riscv64', 'div a0, a1, a2', { a1: 1n << 63n, a2: M64 });
  assert.equal(ov.regs.x10, 1n << 63n, 'INT64_MIN / -1 = INT64_MIN');
});

test('riscv64 fadd.d: 1.5 + 2.25 = 3.75, and fflags records inexact', async () => {
  const r = await run1('riscv64', 'fadd.d fa0, fa1, fa2', { f11: f64(1.5), f12: f64(2.25) });
  assert.equal(r.regs.f10, f64(3.75));
  assert.equal(r.regs.fflags, 0n);
  const inexact = await run1('riscv64', 'fadd.d fa0, fa1, fa2', { f11: f64(0.1), f12: f64(0.2) });
  assert.equal(inexact.regs.f10, f64(0.1 + 0.2));
  assert.equal(inexact.regs.fflags, 1n, 'NX');
});

// ---------------------------------------------------------------------------------------------
// Faults and bounds
// ---------------------------------------------------------------------------------------------

/** Per ISA: a load and a store through x1/a1, and an infinite loop. */
const FAULTS: Record<OracleIsa, { load: string; store: string; loop: string; ptr: string; dst: string }> = {
  aarch64: { load: 'ldr x0, [x1]', store: 'str x0, [x1]', loop: 'b .', ptr: 'x1', dst: 'x0' },
  riscv64: { load: 'ld a0, 0(a1)', store: 'sd a0, 0(a1)', loop: 'j .', ptr: 'x11', dst: 'x10' },
};

for (const isa of ['aarch64', 'riscv64'] as const) {
  const f = FAULTS[isa];

  test(`${isa}: unmapped load, store and fetch come back as errors with the faulting PC`, async () => {
    const load = runSnippet(isa, await assembleSnippet(isa, `nop\n${f.load}`), { regs: { [f.ptr]: 0x5_0000n } });
    assert.equal(load.error?.code, C.UC_ERR.READ_UNMAPPED);
    assert.equal(load.error?.pc, 0x10004n);
    assert.equal(load.regs[f.dst], 0n);
    const store = runSnippet(isa, await assembleSnippet(isa, f.store), { regs: { [f.ptr]: 0x5_0000n } });
    assert.equal(store.error?.code, C.UC_ERR.WRITE_UNMAPPED);
    withMachine(isa, (m) => {
      const r = m.run(0x9_0000n, 0x9_0004n);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.code, C.UC_ERR.FETCH_UNMAPPED);
    });
  });

  test(`${isa}: an infinite loop stops at maxInstructions, or at a timeout`, async () => {
    const code = await assembleSnippet(isa, f.loop);
    const r = runSnippet(isa, code, {}, { maxInstructions: 10_000 });
    assert.equal(r.error?.code, STOP.INSN_LIMIT);
    assert.equal(r.error?.pc, 0x10000n);
    withMachine(isa, (m) => {
      m.map(0x10000n, 0x1000);
      m.writeMemory(0x10000n, code);
      const t0 = performance.now();
      const timed = m.run(0x10000n, undefined, { timeoutMicros: 20_000 });
      assert.equal(!timed.ok && timed.code, STOP.TIMEOUT);
      assert.ok(performance.now() - t0 < 5_000, 'timeout honoured');
      // Unicorn 2.0.1 would spin forever here: a counted run after an uncounted one.
      const counted = m.run(0x10000n, undefined, { maxInstructions: 5 });
      assert.equal(!counted.ok && counted.code, STOP.INSN_LIMIT);
    });
  });

  test(`${isa}: maxInstructions counts exactly`, async () => {
    const loop = isa === 'aarch64' ? 'add x0, x0, #1\nb .-4' : 'addi a0, a0, 1\nj .-4';
    const code = await assembleSnippet(isa, loop);
    for (const n of [1, 2, 7, 1000]) {
      const r = runSnippet(isa, code, {}, { maxInstructions: n });
      assert.equal(r.error?.code, STOP.INSN_LIMIT);
      assert.equal(r.regs[f.dst], BigInt(Math.ceil(n / 2)), `after ${n} instructions`);
    }
  });

  test(`${isa}: rewritten code is never run from a stale translation`, async () => {
    const [load, loop] = await assembleMany(isa, [f.load, f.loop]);
    withMachine(isa, (m) => {
      m.map(0x10000n, 0x1000);
      m.setReg(f.ptr, 0x5_0000n);
      // Unicorn 2.0.1 keeps the old translation after a run whose end lies off the code page.
      m.writeMemory(0x10000n, load!);
      const first = m.run(0x10000n, undefined, { maxInstructions: 5 });
      assert.equal(!first.ok && first.code, C.UC_ERR.READ_UNMAPPED);
      m.writeMemory(0x10000n, loop!);
      const second = m.run(0x10000n, 0x10004n, { maxInstructions: 5 });
      assert.equal(!second.ok && second.code, STOP.INSN_LIMIT);
    });
  });
}

test('CPU exceptions: codes and the PC Unicorn 2.0.1 reports (pinned, since they differ)', async () => {
  /** isa, snippet, uc_err, reported PC: the faulting instruction is always at 0x10004. */
  const cases: [OracleIsa, string, number, bigint][] = [
    ['aarch64', 'nop\nudf #0\nnop', C.UC_ERR.EXCEPTION, 0x10004n],
    ['aarch64', 'nop\nbrk #0\nnop', C.UC_ERR.EXCEPTION, 0x10004n],
    ['aarch64', 'nop\nsvc #0\nnop', C.UC_ERR.EXCEPTION, 0x10008n], // the return address
    ['riscv64', 'nop\nebreak\nnop', C.UC_ERR.INSN_INVALID, 0x10004n],
    ['riscv64', 'nop\necall\nnop', C.UC_ERR.EXCEPTION, 0x10008n],
    ['riscv64', 'nop\n.word 0\nnop', C.UC_ERR.EXCEPTION, 0x10008n], // illegal: PC is one past
  ];
  for (const [isa, text, code, pc] of cases) {
    const r = runSnippet(isa, await assembleSnippet(isa, text));
    assert.deepEqual([r.error?.code, r.error?.pc], [code, pc], `${isa} ${JSON.stringify(text)}`);
  }
});

test('aarch64 LSE atomics need the MAX CPU model (the default is an ARMv8.0 Cortex-A72)', async () => {
  const code = await assembleSnippet('aarch64', '.arch armv8.1-a\nldadd x0, x1, [x2]');
  const input = { regs: { x0: 3n, x2: 0x20000n }, memory: [{ addr: 0x20000n, bytes: new Uint8Array([5, 0, 0, 0, 0, 0, 0, 0]) }] };
  assert.equal(withMachine('aarch64', (m) => m.cpuModel()), C.UC_CPU_ARM64.A72);
  assert.equal(runSnippet('aarch64', code, input).error?.code, C.UC_ERR.EXCEPTION);
  const r = runSnippet('aarch64', code, input, { cpu: C.UC_CPU_ARM64.MAX });
  assert.equal(r.error, undefined);
  assert.equal(r.regs.x1, 5n);
  assert.equal(r.memory[0]!.bytes[0], 8);
});

test('runSnippet: code and data overlap is refused; unnamed registers start at zero', async () => {
  const code = await assembleSnippet('aarch64', 'nop');
  assert.throws(() => runSnippet('aarch64', code, { memory: [{ addr: 0x10002n, bytes: new Uint8Array(4) }] }), /overlaps/);
  const r = runSnippet('aarch64', code);
  for (const name of SNIPPET_REGS.aarch64) if (name !== 'pc') assert.equal(r.regs[name], 0n, name);
  assert.equal(r.regs.pc, 0x10004n);
});

// ---------------------------------------------------------------------------------------------
// Assembler
// ---------------------------------------------------------------------------------------------

/** Snippet shapes per ISA, filled in from the snippet's index so the 500 differ. */
const SNIPPET_SHAPES: Record<OracleIsa, ((i: number) => string)[]> = {
  aarch64: [
    (i) => `add x${i % 29}, x${(i * 7) % 29}, #${i % 4096}`,
    (i) => `movz x${i % 29}, #${(i * 977) % 65536}, lsl #16\nmovk x${i % 29}, #${i}`,
    (i) => `ldr x${i % 29}, [x${(i + 3) % 29}, #${(i % 64) * 8}]`,
    (i) => `1: subs x${i % 29}, x${i % 29}, #1\nb.ne 1b`,
    (i) => `nop\n.p2align 3\nfadd d${i % 32}, d${(i + 1) % 32}, d${(i + 2) % 32}`,
    (i) => `adr x${i % 29}, 2f\nnop\n2: cmp x${i % 29}, #${i % 4096}\ncset w0, lo`,
    (i) => `ldp x${i % 28}, x${(i % 28) + 1}, [sp, #${(i % 32) * 16}]!`,
  ],
  riscv64: [
    (i) => `addi a${i % 8}, a${(i * 3) % 8}, ${(i % 4096) - 2048}`,
    (i) => `li t0, ${0x1234_5678 + i * 7919}`,
    (i) => `ld a${i % 8}, ${(i % 256) * 8}(sp)`,
    (i) => `1: addi a0, a0, -1\nbnez a0, 1b`,
    (i) => `nop\n.p2align 3\nfadd.d fa${i % 8}, fa${(i + 1) % 8}, fa${(i + 2) % 8}`,
    (i) => `mv a0, a${(i % 7) + 1}\nsd a0, ${(i % 64) * 8}(sp)`,
    (i) => `beqz a${i % 8}, 2f\naddw a0, a1, a2\n2: divw a3, a4, a5`,
  ],
};

const snippetsFor = (isa: OracleIsa, n: number): string[] =>
  Array.from({ length: n }, (_, i) => SNIPPET_SHAPES[isa][i % SNIPPET_SHAPES[isa].length]!(i));

for (const isa of ['aarch64', 'riscv64'] as const) {
  test(`${isa}: assembleMany on 500 snippets is one fast call and matches single assembly`, async (t) => {
    const snippets = snippetsFor(isa, 500);
    const t0 = performance.now();
    const batch = await assembleMany(isa, snippets);
    const batchMs = performance.now() - t0;
    assert.equal(batch.length, 500);
    const t1 = performance.now();
    const singles = await mapLimit(snippets, 4, (s) => assembleSnippet(isa, s));
    const singleMs = performance.now() - t1;
    t.diagnostic(`${isa}: assembleMany(500) ${batchMs.toFixed(0)} ms; 500 x assembleSnippet ${singleMs.toFixed(0)} ms`);
    snippets.forEach((s, i) => assert.deepEqual(batch[i], singles[i], `snippet ${i}: ${s}`));
    assert.ok(batchMs < 10_000, `batch took ${batchMs} ms`);
  });
}

test('riscv64 compressed option: rv64gc may shrink instructions, rv64g never does', async () => {
  const text = 'addi a0, a0, 1\nmv a1, a0\nld a2, 0(sp)';
  const [plain] = await assembleMany('riscv64', [text]);
  const [rvc] = await assembleMany('riscv64', [text], { compressed: true });
  assert.equal(plain!.length, 12);
  assert.equal(rvc!.length, 6);
  assert.deepEqual(rvc, await assembleSnippet('riscv64', text, { compressed: true }));
});

test('RISC-V branches as resolves but keeps relocations for are accepted, and run right', async () => {
  const r = await run1('riscv64', 'beqz zero, 2f\nli a0, 1\n2: jal ra, 3f\nli a0, 2\n3: nop', {});
  assert.equal(r.regs.x10, 0n, 'both li skipped');
  assert.equal(r.regs.x1, 0x1000cn);
  assert.equal(r.regs.pc, 0x10014n);
  const c = await assembleMany('riscv64', ['1: c.beqz a0, 1b\nc.j 1b'], { compressed: true });
  assert.equal(c[0]!.length, 4);
});

test('assembler errors name the failing snippet; undefined symbols are refused', async () => {
  await assert.rejects(assembleSnippet('aarch64', 'add x0, x1'), /aarch64-linux-gnu-as failed/);
  await assert.rejects(assembleMany('riscv64', ['nop', 'addi a0, a0', 'nop']), /snippet 1 does not assemble/);
  await assert.rejects(assembleMany('aarch64', ['nop', 'bl somewhere']), /snippet 1 needs relocations/);
  await assert.rejects(assembleSnippet('riscv64', 'call somewhere'), /needs relocations/);
  // Defined in the snippet, but left for the linker all the same (absolute, or `call`).
  await assert.rejects(assembleSnippet('riscv64', 'call 1f\n1: nop'), /needs relocations/);
  await assert.rejects(assembleSnippet('riscv64', 'lui a0, %hi(1f)\n1: nop'), /needs relocations/);
  await assert.rejects(assembleSnippet('riscv64', 'lla a0, 1f\n1: nop'), /needs relocations/);
  await assert.rejects(assembleMany('aarch64', ['adrp x0, 1f\n1: nop']), /snippet 0 needs relocations/);
  assert.deepEqual(await assembleMany('aarch64', []), []);
});
