// Emulator throughput against Unicorn's JIT, in the same run: a loop-heavy C kernel compiled at
// -O2 for each ISA is run to completion in our concrete emulator and in Unicorn, and both
// instruction rates are reported with their ratio. The last line is one JSON object.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaName } from '../src/ir/program.js';
import { parseAsm } from '../src/asm/index.js';
import { ConcreteMemory } from '../src/isa/concrete.js';
import { semanticsFor } from '../src/isa/semantics.js';
import { Machine, runFunction } from '../src/emu/machine.js';
import { PT_LOAD, segmentImage } from '../src/binary/elf.js';
import { UnicornMachine } from '../test/oracle/unicorn.js';
import { assembleAndLink, functionLayout, linkableText } from '../test/helpers/link.js';

// A loop nest over integer arithmetic, loads and stores, branches and a multiply: what the
// verifier's random testing runs most.
const KERNEL = `
unsigned long kernel(unsigned long *a, long n, long rounds) {
  unsigned long h = 1469598103934665603UL;
  for (long r = 0; r < rounds; r++)
    for (long i = 0; i < n; i++) {
      unsigned long x = a[i] ^ h;
      h = (h ^ (x >> 7)) * 1099511628211UL + (unsigned long)i;
      if (x & 1) a[i] = h; else a[i] += r;
    }
  return h;
}
`;

const triple: Record<IsaName, string> = { aarch64: 'aarch64-linux-gnu', riscv64: 'riscv64-linux-gnu' };
const N = 256n;
const ROUNDS = 200n;
const STACK_TOP = 0x7fff0000n;
const DATA = 0x20000000n;
const RET = 0x0dead000n;

interface Figures {
  instructions: number;
  ours_ips: number;
  unicorn_ips: number;
  ratio: number;
}

async function measure(isa: IsaName, dir: string): Promise<Figures> {
  const c = join(dir, `k-${isa}.c`);
  writeFileSync(c, KERNEL);
  const s = join(dir, `k-${isa}.s`);
  execFileSync(`${triple[isa]}-gcc`, ['-O2', '-S', '-o', s, c], { timeout: 60_000 });
  const text = linkableText(isa, readFileSync(s, 'latin1'));
  const { program } = parseAsm(text, { isa, file: s });
  const image = await assembleAndLink(isa, text, dir);
  if ('error' in image) throw new Error(image.error);
  const fn = program.functions.find((f) => f.name === 'kernel')!;
  const layout = functionLayout(program, image, fn)!;
  const entry = image.symbols.get('kernel')!;
  const data = new Uint8Array(Number(N) * 8).map((_, i) => (i * 37) & 0xff);
  const [a0, a1, a2, sp, link] = isa === 'aarch64' ? ['x0', 'x1', 'x2', 'sp', 'x30'] : ['a0', 'a1', 'a2', 'sp', 'ra'];

  // Ours: a short warm-up run first, so V8 has compiled the semantics before the timed run.
  const sem = semanticsFor(isa);
  const machine = (rounds: bigint): Machine => {
    const m = new Machine(new ConcreteMemory(), image.symbols);
    for (const seg of image.elf.segments) if (seg.type === PT_LOAD) m.mem.writeBytes(seg.vaddr, segmentImage(image.elf, seg));
    m.mem.writeBytes(DATA, data);
    m.set(a0!, DATA);
    m.set(a1!, N);
    m.set(a2!, rounds);
    m.set(sp!, STACK_TOP);
    m.set(link!, RET);
    return m;
  };
  runFunction(sem, program, fn, machine(4n), layout, { maxSteps: 50_000_000 });
  const m = machine(ROUNDS);
  let t = process.hrtime.bigint();
  const r = runFunction(sem, program, fn, m, layout, { maxSteps: 50_000_000 });
  const oursNs = Number(process.hrtime.bigint() - t);
  if (r.status !== 'returned') throw new Error(`emulator did not return: ${JSON.stringify(r)}`);

  // Unicorn, same state; best of 3 since its first run includes JIT translation.
  const uc = UnicornMachine.open(isa);
  let ucNs = Infinity;
  try {
    for (const seg of image.elf.segments) {
      if (seg.type !== PT_LOAD) continue;
      const start = seg.vaddr & ~0xfffn;
      const size = Number(((seg.vaddr + BigInt(seg.memsz) - start + 0xfffn) / 0x1000n) * 0x1000n);
      uc.map(start, size);
      uc.writeMemory(seg.vaddr, segmentImage(image.elf, seg));
    }
    uc.map(DATA, 0x10000);
    uc.map(STACK_TOP - 0x10000n, 0x10000);
    for (let i = 0; i < 3; i++) {
      uc.writeMemory(DATA, data);
      uc.setRegs({ [a0!]: DATA, [a1!]: N, [a2!]: ROUNDS, [sp!]: STACK_TOP - 0x100n, [link!]: RET });
      t = process.hrtime.bigint();
      const res = uc.run(entry, RET, {});
      const ns = Number(process.hrtime.bigint() - t);
      if (!res.ok) throw new Error(`unicorn: ${res.error}`);
      ucNs = Math.min(ucNs, ns);
    }
    const theirs = uc.getReg(a0!);
    if (theirs !== m.get(a0!)) throw new Error(`results differ: ours 0x${m.get(a0!).toString(16)}, unicorn 0x${theirs.toString(16)}`);
  } finally {
    uc.close();
  }
  const ours = r.steps / (oursNs / 1e9);
  const unicorn = r.steps / (ucNs / 1e9);
  return { instructions: r.steps, ours_ips: Math.round(ours), unicorn_ips: Math.round(unicorn), ratio: Number((unicorn / ours).toFixed(1)) };
}

const dir = mkdtempSync(join(tmpdir(), 'gns-bench-emu-'));
try {
  const out: Record<string, Figures> = {};
  for (const isa of ['aarch64', 'riscv64'] as const) {
    const f = await measure(isa, dir);
    out[isa] = f;
    console.log(`${isa}: ${f.instructions} instructions; ours ${(f.ours_ips / 1e6).toFixed(2)} M/s, Unicorn ${(f.unicorn_ips / 1e6).toFixed(2)} M/s; Unicorn is ${f.ratio}x faster (goal: within 30x)`);
  }
  console.log(JSON.stringify({ bench: 'emu', ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v])) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
