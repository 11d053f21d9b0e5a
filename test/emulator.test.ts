// Whole functions, emulator against Unicorn: leaf functions from compiled Csmith and fixture
// programs at -O0 and -O2, linked at fixed addresses, run from random arguments in both our
// emulator and the real Unicorn engine; every register and all of memory must agree at return.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaName, Program } from '../src/ir/program.js';
import { frontEnd, parseAsm } from '../src/asm/index.js';
import { buildCfgs } from '../src/cfg/cfg.js';
import { ConcreteMemory } from '../src/isa/concrete.js';
import { semanticsFor } from '../src/isa/semantics.js';
import { Machine, runFunction } from '../src/emu/machine.js';
import { PT_LOAD, segmentImage } from '../src/binary/elf.js';
import { Rng } from '../src/util/random.js';
import { REGISTERS, UnicornMachine, STOP } from './oracle/unicorn.js';
import { buildAsmCorpus, type CorpusFile } from '../scripts/corpus.js';
import { assembleAndLink, functionLayout, linkableText, type LinkedImage } from './helpers/link.js';
import { exprSymbols, operandExpr } from '../src/ir/expr.js';

const WANT_FUNCTIONS = Number(process.env['GNS_EMU_FUNCTIONS'] ?? 300);
const RUNS_PER_FUNCTION = 3;
const MAX_STEPS = 200_000;
const STACK_TOP = 0x7fff_0000n;
const STACK_SIZE = 0x10_0000;
const SCRATCH = 0x2000_0000n;
const SCRATCH_SIZE = 0x1_0000;
const RETURN_ADDRESS = 0x0dea_d000n;
const PAGE = 0x1000n;

const argRegs: Record<IsaName, string[]> = {
  aarch64: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7'],
  riscv64: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'],
};
const linkReg: Record<IsaName, string> = { aarch64: 'x30', riscv64: 'ra' };

/** FP exception flags and the rounding mode are not modeled (see semantics.ts). */
const UNMODELED = new Set(['fflags', 'frm', 'fcsr', 'fpsr', 'fpcr']);

/** The architectural registers both machines have, other than the flags. */
function comparableRegisters(isa: IsaName): { id: string; width: number }[] {
  return semanticsFor(isa).stateRegisters.filter((r) => REGISTERS[isa].has(r.id) && !UNMODELED.has(r.id) && r.id !== 'zero' && r.id !== 'nzcv');
}
const COMPARABLE: Record<IsaName, { id: string; width: number }[]> = { aarch64: comparableRegisters('aarch64'), riscv64: comparableRegisters('riscv64') };
/** Registers compared after a run: the comparable ones, and AArch64's flags. */
const COMPARED: Record<IsaName, string[]> = { aarch64: [...COMPARABLE.aarch64.map((r) => r.id), 'nzcv'], riscv64: COMPARABLE.riscv64.map((r) => r.id) };

/** Leaf functions: no calls, no tail calls, nothing unsupported. */
function leafFunctions(program: Program): { name: string; start: number; end: number }[] {
  const fe = frontEnd(program.isa);
  const cfgs = buildCfgs(program, fe);
  return program.functions.filter((f) => {
    const c = cfgs.find((x) => x.name === f.name);
    return c !== undefined && c.blocks.every((b) => !['call', 'icall', 'tailcall'].includes(b.terminator) && !b.unsupported && b.exit !== 'unknown-indirect');
  });
}

/** Symbols named by the function's operands (branch labels included). */
function referencedSymbols(program: Program, fn: { start: number; end: number }): string[] {
  const out: string[] = [];
  for (let i = fn.start; i < fn.end; i++) {
    const s = program.statements[i]!;
    if (s.kind !== 'insn') continue;
    for (const op of s.operands) {
      const e = operandExpr(op);
      if (e) out.push(...exprSymbols(e).filter((n) => !/^[0-9]+[bf]$/.test(n) && n !== '.'));
    }
  }
  return out;
}

function edgy(rng: Rng): bigint {
  const edges = [0n, 1n, 2n, 7n, 0xffffffffffffffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 100n, 0xfffffffffffffff0n];
  if (rng.int(2) === 0) return rng.pick(edges);
  return (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32());
}

interface Region {
  readonly addr: bigint;
  readonly bytes: Uint8Array;
}

/** Writable memory regions of the image, plus the stack and a scratch heap. */
function initialRegions(image: LinkedImage, rng: Rng): Region[] {
  const regions: Region[] = [];
  for (const seg of image.elf.segments) {
    if (seg.type !== PT_LOAD) continue;
    const start = seg.vaddr & ~(PAGE - 1n);
    const pad = Number(seg.vaddr - start);
    const size = Number(((BigInt(pad + seg.memsz) + PAGE - 1n) / PAGE) * PAGE);
    const bytes = new Uint8Array(size);
    bytes.set(segmentImage(image.elf, seg), pad);
    regions.push({ addr: start, bytes });
  }
  const scratch = new Uint8Array(SCRATCH_SIZE);
  for (let i = 0; i < scratch.length; i++) scratch[i] = rng.int(256);
  regions.push({ addr: SCRATCH, bytes: scratch });
  regions.push({ addr: STACK_TOP - BigInt(STACK_SIZE), bytes: new Uint8Array(STACK_SIZE) });
  return regions;
}

test(`whole functions: emulator equals Unicorn on ${WANT_FUNCTIONS}+ leaf functions`, { timeout: 1_200_000 }, async () => {
  const seeds = Number(process.env['GNS_EMU_SEEDS'] ?? 200);
  const corpus = (await buildAsmCorpus({ csmithSeeds: Array.from({ length: seeds }, (_, i) => i + 1), fixtures: true })).filter(
    (f: CorpusFile) => f.config === 'O0' || f.config === 'O2',
  );
  const rng = new Rng(0xe111);
  const dir = mkdtempSync(join(tmpdir(), 'gns-emu-'));
  const compared = new Map<IsaName, number>([['aarch64', 0], ['riscv64', 0]]);
  let runs = 0;
  let faults = 0;
  let limits = 0;
  let unresolved = 0;
  const mismatches: string[] = [];
  const unicorns: Record<IsaName, UnicornMachine> = { aarch64: UnicornMachine.open('aarch64'), riscv64: UnicornMachine.open('riscv64') };
  try {
    for (const file of corpus) {
      if ((compared.get(file.isa) ?? 0) >= WANT_FUNCTIONS / 2) continue;
      const text = linkableText(file.isa, readFileSync(file.path, 'latin1'));
      const { program, diagnostics } = parseAsm(text, { isa: file.isa, file: file.path });
      if (diagnostics.length) continue;
      const leaves = leafFunctions(program);
      if (leaves.length === 0) continue;
      const image = await assembleAndLink(file.isa, text, dir);
      if ('error' in image) assert.fail(`${file.path}: ${image.error}`);
      const sem = semanticsFor(file.isa);
      const uc = unicorns[file.isa];
      for (const fn of leaves) {
        const layout = functionLayout(program, image, fn);
        const entry = image.symbols.get(fn.name);
        if (!layout || entry === undefined) continue;
        // Symbols the linker did not place (externs) would get made-up addresses: skip those.
        if (referencedSymbols(program, fn).some((name) => !image.symbols.has(name))) {
          unresolved++;
          continue;
        }
        let ok = 0;
        for (let r = 0; r < RUNS_PER_FUNCTION; r++) {
          runs++;
          const regions = initialRegions(image, rng);
          // The same random initial registers for both; arguments are ints or scratch pointers.
          const regs = new Map<string, bigint>();
          for (const { id, width } of COMPARABLE[file.isa]) {
            const v = width > 64 ? (edgy(rng) << 64n) | edgy(rng) : edgy(rng) & ((1n << BigInt(width)) - 1n);
            regs.set(id, v);
          }
          for (const a of argRegs[file.isa]) regs.set(a, rng.int(2) ? SCRATCH + BigInt(rng.int(SCRATCH_SIZE / 16)) * 8n : edgy(rng));
          regs.set('sp', STACK_TOP - 0x1000n);
          regs.set(linkReg[file.isa], RETURN_ADDRESS);
          if (file.isa === 'riscv64') regs.set('gp', image.symbols.get('__global_pointer$') ?? 0n);

          // Unicorn.
          for (const reg of regions) uc.map(reg.addr, reg.bytes.length);
          try {
            for (const reg of regions) uc.writeMemory(reg.addr, reg.bytes);
            for (const [id, v] of regs) uc.setReg(id, v);
            if (file.isa === 'aarch64') uc.setReg('nzcv', 0n);
            const res = uc.run(entry, RETURN_ADDRESS, { maxInstructions: MAX_STEPS });
            if (!res.ok) {
              if (res.code === STOP.INSN_LIMIT) limits++;
              else faults++;
              continue;
            }
            // Our emulator from the same state.
            const mem = new ConcreteMemory();
            for (const reg of regions) mem.writeBytes(reg.addr, reg.bytes);
            const m = new Machine(mem, image.symbols);
            for (const [id, v] of regs) m.set(id, v);
            if (file.isa === 'aarch64') m.set('nzcv', 0n);
            const ours = runFunction(sem, program, fn, m, layout, { maxSteps: MAX_STEPS });
            const where = `${file.path} ${fn.name} run ${r}`;
            if (ours.status !== 'returned') {
              mismatches.push(`${where}: Unicorn returned but the emulator ${ours.status}${'reason' in ours ? ` (${ours.reason})` : ''}`);
              continue;
            }
            for (const id of COMPARED[file.isa]) {
              const theirs = id === 'nzcv' ? uc.getReg('nzcv') >> 28n : uc.getReg(id);
              if (m.get(id) !== theirs) mismatches.push(`${where}: ${id} = 0x${m.get(id).toString(16)}, Unicorn 0x${theirs.toString(16)}`);
            }
            for (const reg of regions) {
              const theirs = uc.readMemory(reg.addr, reg.bytes.length);
              const mine = mem.readBytes(reg.addr, reg.bytes.length);
              const at = mine.findIndex((b, i) => b !== theirs[i]);
              if (at >= 0) mismatches.push(`${where}: memory at 0x${(reg.addr + BigInt(at)).toString(16)} = ${mine[at]}, Unicorn ${theirs[at]}`);
            }
            ok++;
          } finally {
            for (const reg of regions) uc.unmap(reg.addr, reg.bytes.length);
          }
        }
        if (ok > 0) compared.set(file.isa, (compared.get(file.isa) ?? 0) + 1);
        assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} mismatches`);
      }
    }
  } finally {
    unicorns.aarch64.close();
    unicorns.riscv64.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const total = [...compared.values()].reduce((a, b) => a + b, 0);
  console.log(`whole functions: ${JSON.stringify(Object.fromEntries(compared))} compared, ${runs} runs, ${faults} Unicorn faults skipped, ${limits} step limits, ${unresolved} functions skipped for unplaced symbols`);
  assert.ok(total >= WANT_FUNCTIONS, `only ${total} leaf functions compared`);
});
