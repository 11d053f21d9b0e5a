// Tests for the AArch64 front end: every operand shape parses and prints back (as written and
// canonical), the instruction table describes instructions as checked by hand and has a GNU
// as-accepted instance of each of its forms, bad lines get diagnostics at the right place without
// disturbing their neighbours, and real gcc output (scalar, vectorized, atomics, TLS, inline asm)
// round-trips through GNU as to identical objects.
//
// Env: GNS_A64_CSMITH=N also round-trips N Csmith programs at -O0..-O3 (slow; off by default).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { parseWith } from '../src/asm/parse.js';
import { printWith } from '../src/asm/print.js';
import type { Instruction, Operand, Program } from '../src/ir/program.js';
import { isDescribeError, type InstrInfo } from '../src/isa/types.js';
import { aarch64FrontEnd as fe } from '../src/isa/aarch64/frontend.js';
import { formsOf, isFmovImmediate, knownMnemonics, matchedRoles } from '../src/isa/aarch64/table.js';
import { assembleAndDump, compareObjects } from './helpers/objcompare.js';

const TOOL_TIMEOUT_MS = 120_000;

function parse(text: string) {
  return parseWith(fe, text, 't.s');
}

function insns(p: Program<'aarch64'>): Instruction<'aarch64'>[] {
  return p.statements.filter((s): s is Instruction<'aarch64'> => s.kind === 'insn');
}

function one(line: string): Instruction<'aarch64'> {
  const r = parse(`\t${line}\n`);
  assert.deepEqual(r.diagnostics, [], line);
  return insns(r.program)[0]!;
}

function fixturesDir(): string {
  // Compiled tests live in <outDir>/test/; fall back to the working directory (the repo root)
  // when the output directory is elsewhere.
  const rel = fileURLToPath(new URL('../../test/fixtures/aarch64/', import.meta.url));
  return existsSync(rel) ? rel : join(process.cwd(), 'test', 'fixtures', 'aarch64');
}

function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: 1 << 28, encoding: 'latin1' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${String(err)}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const hasToolchain = (() => {
  try {
    return readdirSync('/usr/bin').includes('aarch64-linux-gnu-gcc');
  } catch {
    return false;
  }
})();

// ---------------------------------------------------------------------------------------------
// Operand shapes: parse, then print both ways
// ---------------------------------------------------------------------------------------------

describe('aarch64 operand shapes', () => {
  // [input line, print as written, canonical print]
  const cases: [string, string, string][] = [
    ['add x0, x1, x2', 'add\tx0, x1, x2', 'add\tx0, x1, x2'],
    ['add sp, sp, #16', 'add\tsp, sp, #16', 'add\tsp, sp, 16'],
    ['sub sp, sp, #0x20', 'sub\tsp, sp, #0x20', 'sub\tsp, sp, 32'],
    ['cmp w0, 5', 'cmp\tw0, 5', 'cmp\tw0, 5'],
    ['mov w0, -1', 'mov\tw0, -1', 'mov\tw0, -1'],
    ['mov x0, #-0x10', 'mov\tx0, #-0x10', 'mov\tx0, -16'],
    ['movk x0, 0x1234, lsl 16', 'movk\tx0, 0x1234, lsl 16', 'movk\tx0, 4660, lsl 16'],
    ['movk x0, #0x1234, lsl #32', 'movk\tx0, #0x1234, lsl #32', 'movk\tx0, 4660, lsl 32'],
    ['add x4, x2, w1, sxtw 3', 'add\tx4, x2, w1, sxtw 3', 'add\tx4, x2, w1, sxtw 3'],
    ['add x0, sp, w1, uxtw', 'add\tx0, sp, w1, uxtw', 'add\tx0, sp, w1, uxtw'],
    ['eor w0, w2, w0, ror #(32 - 1)', 'eor\tw0, w2, w0, ror #(32-1)', 'eor\tw0, w2, w0, ror (32-1)'],
    ['ldr w0, [x1, w0, uxtw 2]', 'ldr\tw0, [x1, w0, uxtw 2]', 'ldr\tw0, [x1, w0, uxtw 2]'],
    ['ldrb w1, [x22,w1,uxtw]', 'ldrb\tw1, [x22, w1, uxtw]', 'ldrb\tw1, [x22, w1, uxtw]'],
    ['ldr x0, [x1, x2, lsl 3]', 'ldr\tx0, [x1, x2, lsl 3]', 'ldr\tx0, [x1, x2, lsl 3]'],
    ['stp x29, x30, [sp, -32]!', 'stp\tx29, x30, [sp, -32]!', 'stp\tx29, x30, [sp, -32]!'],
    ['ldp x29, x30, [sp], 32', 'ldp\tx29, x30, [sp], 32', 'ldp\tx29, x30, [sp], 32'],
    ['ldr x0, [sp, #8]', 'ldr\tx0, [sp, #8]', 'ldr\tx0, [sp, 8]'],
    ['str wzr, [x0]', 'str\twzr, [x0]', 'str\twzr, [x0]'],
    ['ld1 {v0.16b}, [x0], 16', 'ld1\t{v0.16b}, [x0], 16', 'ld1\t{v0.16b}, [x0], 16'],
    ['ld1 {v0.16b, v1.16b}, [x1], x2', 'ld1\t{v0.16b - v1.16b}, [x1], x2', 'ld1\t{v0.16b - v1.16b}, [x1], x2'],
    ['st1 {v0.16b - v3.16b}, [x0]', 'st1\t{v0.16b - v3.16b}, [x0]', 'st1\t{v0.16b - v3.16b}, [x0]'],
    ['ld4 {v30.4s - v1.4s}, [x0]', 'ld4\t{v30.4s - v1.4s}, [x0]', 'ld4\t{v30.4s - v1.4s}, [x0]'],
    ['ld1 {v2.s}[3], [x10]', 'ld1\t{v2.s}[3], [x10]', 'ld1\t{v2.s}[3], [x10]'],
    ['tbl v0.16b, {v0.16b - v1.16b}, v3.16b', 'tbl\tv0.16b, {v0.16b - v1.16b}, v3.16b', 'tbl\tv0.16b, {v0.16b - v1.16b}, v3.16b'],
    ['movi v0.4s, 0', 'movi\tv0.4s, 0', 'movi\tv0.4s, 0'],
    ['movi v0.4s, 0x80, lsl 24', 'movi\tv0.4s, 0x80, lsl 24', 'movi\tv0.4s, 128, lsl 24'],
    ['movi v1.2s, 0xff, msl 8', 'movi\tv1.2s, 0xff, msl 8', 'movi\tv1.2s, 255, msl 8'],
    ['movi d0, #0', 'movi\td0, #0', 'movi\td0, 0'],
    ['dup v0.4s, w1', 'dup\tv0.4s, w1', 'dup\tv0.4s, w1'],
    ['umov w0, v0.b[1]', 'umov\tw0, v0.b[1]', 'umov\tw0, v0.b[1]'],
    ['ins v0.d[1], x1', 'ins\tv0.d[1], x1', 'ins\tv0.d[1], x1'],
    ['mov v0.s[1], v1.s[0]', 'mov\tv0.s[1], v1.s[0]', 'mov\tv0.s[1], v1.s[0]'],
    ['add v0.4s, v0.4s, v1.4s', 'add\tv0.4s, v0.4s, v1.4s', 'add\tv0.4s, v0.4s, v1.4s'],
    ['ADD V0.4S, V1.4S, V2.4S', 'add\tV0.4S, V1.4S, V2.4S', 'add\tv0.4s, v1.4s, v2.4s'],
    ['addv s0, v0.4s', 'addv\ts0, v0.4s', 'addv\ts0, v0.4s'],
    ['fmul v0.4s, v1.4s, v2.s[3]', 'fmul\tv0.4s, v1.4s, v2.s[3]', 'fmul\tv0.4s, v1.4s, v2.s[3]'],
    ['str q0, [x0]', 'str\tq0, [x0]', 'str\tq0, [x0]'],
    ['fmov d0, 1.0e+0', 'fmov\td0, 1.0e+0', 'fmov\td0, 1.0'],
    ['fmov s1, #-2.5e-1', 'fmov\ts1, #-2.5e-1', 'fmov\ts1, -0.25'],
    ['fmov v0.4s, 5.0e-1', 'fmov\tv0.4s, 5.0e-1', 'fmov\tv0.4s, 0.5'],
    ['fcmp d0, #0.0', 'fcmp\td0, #0.0', 'fcmp\td0, 0.0'],
    ['fcmpe s1, 0.0', 'fcmpe\ts1, 0.0', 'fcmpe\ts1, 0.0'],
    ['scvtf d0, w1', 'scvtf\td0, w1', 'scvtf\td0, w1'],
    ['fcvtzs x0, d1, 16', 'fcvtzs\tx0, d1, 16', 'fcvtzs\tx0, d1, 16'],
    ['csel w0, w1, w2, ne', 'csel\tw0, w1, w2, ne', 'csel\tw0, w1, w2, ne'],
    ['cset w0, HS', 'cset\tw0, HS', 'cset\tw0, hs'],
    ['ccmp w0, 3, 4, ne', 'ccmp\tw0, 3, 4, ne', 'ccmp\tw0, 3, 4, ne'],
    ['bne .L3', 'bne\t.L3', 'bne\t.L3'],
    ['b.ne .L3', 'b.ne\t.L3', 'bne\t.L3'],
    ['b.al .L3', 'b.al\t.L3', 'b.al\t.L3'],
    ['cbz w0, .L4', 'cbz\tw0, .L4', 'cbz\tw0, .L4'],
    ['tbnz w0, #3, .L5', 'tbnz\tw0, #3, .L5', 'tbnz\tw0, 3, .L5'],
    ['b 1f', 'b\t1f', 'b\t1f'],
    ['b printf', 'b\tprintf', 'b\tprintf'],
    ['bl fp', 'bl\tfp', 'bl\tfp'],
    ['adrp x0, s1', 'adrp\tx0, s1', 'adrp\tx0, s1'],
    ['ldr x17, .+20', 'ldr\tx17, .+20', 'ldr\tx17, .+20'],
    ['adrp x0, .LC0', 'adrp\tx0, .LC0', 'adrp\tx0, .LC0'],
    ['add x0, x0, :lo12:.LC0', 'add\tx0, x0, :lo12:.LC0', 'add\tx0, x0, :lo12:.LC0'],
    ['ldr w0, [x0, #:lo12:.LANCHOR0+8]', 'ldr\tw0, [x0, #:lo12:.LANCHOR0+8]', 'ldr\tw0, [x0, :lo12:.LANCHOR0+8]'],
    ['adrp x0, :got:stdout', 'adrp\tx0, :got:stdout', 'adrp\tx0, :got:stdout'],
    ['ldr x0, [x0, #:got_lo12:stdout]', 'ldr\tx0, [x0, #:got_lo12:stdout]', 'ldr\tx0, [x0, :got_lo12:stdout]'],
    ['add x0, x0, #:tprel_hi12:v, lsl #12', 'add\tx0, x0, #:tprel_hi12:v, lsl #12', 'add\tx0, x0, :tprel_hi12:v, lsl 12'],
    ['add x0, x0, #:tprel_lo12_nc:v', 'add\tx0, x0, #:tprel_lo12_nc:v', 'add\tx0, x0, :tprel_lo12_nc:v'],
    ['prfm pldl1keep, [x0]', 'prfm\tpldl1keep, [x0]', 'prfm\tpldl1keep, [x0]'],
    ['mrs x0, tpidr_el0', 'mrs\tx0, tpidr_el0', 'mrs\tx0, tpidr_el0'],
    ['dmb ish', 'dmb\tish', 'dmb\tish'],
    ['hint 34', 'hint\t34', 'hint\t34'],
    ['mov x0, fp', 'mov\tx0, fp', 'mov\tx0, x29'],
    ['mov ip0, lr', 'mov\tip0, lr', 'mov\tx16, x30'],
    ['blr x1', 'blr\tx1', 'blr\tx1'],
    ['ret', 'ret', 'ret'],
    ['nop', 'nop', 'nop'],
  ];
  for (const [input, plain, canonical] of cases) {
    test(input, () => {
      const r = parse(`\t${input}\n`);
      assert.deepEqual(r.diagnostics, []);
      assert.equal(printWith(fe, r.program), `\t${plain}\n`);
      assert.equal(printWith(fe, r.program, { canonical: true }), `\t${canonical}\n`);
    });
  }

  test('operand kinds', () => {
    const reg = (name: string): Operand<'aarch64'> => ({ kind: 'reg', reg: fe.register(name)! });
    assert.deepEqual(one('ldr w0, [x1, w0, uxtw 2]').operands[1], {
      kind: 'mem',
      base: fe.register('x1'),
      mode: 'offset',
      index: { kind: 'reg', reg: fe.register('w0'), modifier: { op: 'uxtw', amount: { kind: 'num', value: 2n, text: '2' }, hash: false } },
    });
    assert.deepEqual(one('stp x29, x30, [sp, -32]!').operands[2], {
      kind: 'mem',
      base: fe.register('sp'),
      mode: 'pre',
      offset: { kind: 'unary', op: '-', arg: { kind: 'num', value: 32n, text: '32' } },
      hash: false,
    });
    assert.deepEqual(one('ldp x29, x30, [sp], 32').operands[2], {
      kind: 'mem',
      base: fe.register('sp'),
      mode: 'post',
      post: { kind: 'imm', expr: { kind: 'num', value: 32n, text: '32' }, hash: false },
    });
    assert.deepEqual(one('add x0, x0, :lo12:.LC0').operands[2], {
      kind: 'imm',
      expr: { kind: 'reloc', op: 'lo12', style: 'colon', arg: { kind: 'sym', name: '.LC0' } },
      hash: false,
    });
    assert.deepEqual(one('csel w0, w1, w2, ne').operands, [reg('w0'), reg('w1'), reg('w2'), { kind: 'name', text: 'ne' }]);
    assert.deepEqual(one('fmov d0, #-1.5e+0').operands[1], { kind: 'fpimm', value: -1.5, text: '-1.5e+0', hash: true });
    assert.deepEqual(one('umov w0, v0.b[1]').operands[1], { kind: 'reg', reg: fe.register('v0'), arrangement: 'b', lane: 1 });
    assert.deepEqual(one('ld1 {v0.4s - v2.4s}, [x0]').operands[0], {
      kind: 'reglist',
      regs: ['v0', 'v1', 'v2'].map((v) => ({ kind: 'reg', reg: fe.register(v), arrangement: '4s' })),
    });
    assert.deepEqual(one('ld1 {v3.s}[1], [x0]').operands[0], {
      kind: 'reglist',
      regs: [{ kind: 'reg', reg: fe.register('v3'), arrangement: 's' }],
      lane: 1,
    });
    // A register name in a branch or address position is a symbol (a C function called `x0`).
    assert.deepEqual(one('bl x0').operands[0], { kind: 'sym', expr: { kind: 'sym', name: 'x0' } });
    assert.deepEqual(one('b 1b').operands[0], { kind: 'sym', expr: { kind: 'sym', name: '1b' } });
  });

  test('expressions follow GNU as precedence', () => {
    const e = (one('mov x0, -1+2*3').operands[1] as { expr: unknown }).expr;
    // (-1) + (2*3): unary binds tightest, then `*`, then `+`.
    assert.deepEqual(e, {
      kind: 'binary',
      op: '+',
      left: { kind: 'unary', op: '-', arg: { kind: 'num', value: 1n, text: '1' } },
      right: { kind: 'binary', op: '*', left: { kind: 'num', value: 2n, text: '2' }, right: { kind: 'num', value: 3n, text: '3' } },
    });
    const f = (one('mov x0, 1|2+3').operands[1] as { expr: { op: string } }).expr;
    assert.equal(f.op, '+'); // `|` binds tighter than `+` in gas
  });

  test('statements: labels, directives, comments, `;` separators', () => {
    const text = [
      '\t.arch armv8-a',
      '\t.section\t.rodata.str1.8,"aMS",@progbits,1',
      '.LC0:',
      '\t.string\t"a;b//c\\"d" // trailing',
      '#APP',
      '// 5 "x.c" 1',
      '\tnop ; nop // two',
      '#NO_APP',
      'main: # a hash comment after a label',
      '1:\tb 1b',
      '/* block */ ret',
      '\t.2byte\t(.L1 - .Lrtx4) / 4',
      '',
    ].join('\n');
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const kinds = r.program.statements.map((s) => s.kind);
    assert.deepEqual(kinds, ['directive', 'directive', 'label', 'directive', 'comment', 'comment', 'insn', 'insn', 'comment', 'label', 'label', 'insn', 'comment', 'insn', 'directive']);
    const str = r.program.statements[3]!;
    assert.equal(str.kind === 'directive' && str.args, '"a;b//c\\"d"');
    assert.equal(str.comment, '// trailing');
    assert.equal(r.program.statements[7]!.comment, '// two');
    assert.equal(r.program.statements[9]!.comment, '# a hash comment after a label');
    const table = r.program.statements[14]!;
    assert.equal(table.kind === 'directive' && table.args, '(.L1 - .Lrtx4) / 4');
  });

  test('registers', () => {
    assert.deepEqual(fe.register('w3'), { isa: 'aarch64', file: 'gpr', id: 'x3', name: 'w3', width: 32, zero: false, spelling: 'w3' });
    assert.equal(fe.register('X3')!.id, 'x3');
    assert.equal(fe.register('fp')!.id, 'x29');
    assert.equal(fe.register('lr')!.name, 'x30');
    assert.equal(fe.register('wsp')!.id, 'sp');
    assert.equal(fe.register('wzr')!.zero, true);
    assert.equal(fe.register('xzr')!.id, 'xzr');
    for (const [name, width] of [['b7', 8], ['h7', 16], ['s7', 32], ['d7', 64], ['q7', 128], ['v7', 128]] as const) {
      const r = fe.register(name)!;
      assert.equal(r.id, 'v7', name);
      assert.equal(r.width, width, name);
    }
    assert.equal(fe.register('x31'), undefined);
    assert.equal(fe.register('Xzr'), undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// The instruction table
// ---------------------------------------------------------------------------------------------

describe('aarch64 describe', () => {
  const info = (line: string): InstrInfo => {
    const d = fe.describe(one(line));
    assert.ok(!isDescribeError(d), `${line}: ${JSON.stringify(d)}`);
    return d;
  };
  // [line, form, reads, writes, memory, control]
  const cases: [string, string, string[], string[], InstrInfo['memory'], InstrInfo['control']][] = [
    ['add x0, x1, x2', 'add.reg', ['x1', 'x2'], ['x0'], 'none', 'none'],
    ['add w0, w1, 4', 'add.imm', ['x1'], ['x0'], 'none', 'none'],
    ['add x4, x2, w1, sxtw 3', 'add.ext', ['x2', 'x1'], ['x4'], 'none', 'none'],
    ['add x0, x1, x2, lsl 3', 'add.shift', ['x1', 'x2'], ['x0'], 'none', 'none'],
    ['add sp, sp, 16', 'add.imm', ['sp'], ['sp'], 'none', 'none'],
    ['add v0.4s, v1.4s, v2.4s', 'add.vec', ['v1', 'v2'], ['v0'], 'none', 'none'],
    ['mov w0, wzr', 'mov.reg', [], ['x0'], 'none', 'none'],
    ['mov x0, -1', 'mov.imm', [], ['x0'], 'none', 'none'],
    ['movk x0, 0x1234, lsl 16', 'movk.imm', ['x0'], ['x0'], 'none', 'none'],
    ['cmp w0, 5', 'cmp.imm', ['x0'], ['nzcv'], 'none', 'none'],
    ['subs x0, x1, x2', 'subs.reg', ['x1', 'x2'], ['x0', 'nzcv'], 'none', 'none'],
    ['csel w0, w1, w2, ne', 'csel.reg', ['x1', 'x2', 'nzcv'], ['x0'], 'none', 'none'],
    ['cset w0, eq', 'cset.reg', ['nzcv'], ['x0'], 'none', 'none'],
    ['ccmp w0, 3, 4, ne', 'ccmp.imm', ['x0', 'nzcv'], ['nzcv'], 'none', 'none'],
    ['adc x0, x1, x2', 'adc.reg', ['x1', 'x2', 'nzcv'], ['x0'], 'none', 'none'],
    ['bfi w0, w1, 3, 4', 'bfi.imm', ['x0', 'x1'], ['x0'], 'none', 'none'],
    ['madd x0, x1, x2, x3', 'madd.reg', ['x1', 'x2', 'x3'], ['x0'], 'none', 'none'],
    ['ldr x0, [x1, 8]', 'ldr.off', ['x1'], ['x0'], 'load', 'none'],
    ['ldr w0, [x1, w2, sxtw 2]', 'ldr.reg', ['x1', 'x2'], ['x0'], 'load', 'none'],
    ['ldr q0, [x0, #:lo12:.LC0]', 'ldr.off', ['x0'], ['v0'], 'load', 'none'],
    ['ldr x0, .LC0', 'ldr.lit', [], ['x0'], 'load', 'none'],
    ['ldrsw x0, [x1], 4', 'ldrsw.post', ['x1'], ['x0', 'x1'], 'load', 'none'],
    ['stp x29, x30, [sp, -32]!', 'stp.pre', ['x29', 'x30', 'sp'], ['sp'], 'store', 'none'],
    ['ldp x29, x30, [sp], 32', 'ldp.post', ['sp'], ['x29', 'x30', 'sp'], 'load', 'none'],
    ['str wzr, [sp, 12]', 'str.off', ['sp'], [], 'store', 'none'],
    ['ldaxr w1, [x0]', 'ldaxr.off', ['x0'], ['x1'], 'load', 'none'],
    ['stlxr w2, w1, [x0]', 'stlxr.off', ['x1', 'x0'], ['x2'], 'store', 'none'],
    ['ldaddal w1, w2, [x0]', 'ldaddal.off', ['x1', 'x0'], ['x2'], 'load-store', 'none'],
    ['casal x1, x2, [x0]', 'casal.off', ['x1', 'x2', 'x0'], ['x1'], 'load-store', 'none'],
    ['ld1 {v0.16b - v1.16b}, [x0], 32', 'ld1.post', ['x0'], ['v0', 'v1', 'x0'], 'load', 'none'],
    ['ld1 {v2.s}[3], [x1]', 'ld1.off', ['v2', 'x1'], ['v2'], 'load', 'none'],
    ['st1 {v0.4s}, [x2], x3', 'st1.post', ['v0', 'x2', 'x3'], ['x2'], 'store', 'none'],
    ['prfm pldl1keep, [x0, 64]', 'prfm.off', ['x0'], [], 'none', 'none'],
    ['ins v0.s[1], w1', 'ins.elem', ['v0', 'x1'], ['v0'], 'none', 'none'],
    ['umov w0, v1.b[2]', 'umov.elem', ['v1'], ['x0'], 'none', 'none'],
    ['mla v0.4s, v1.4s, v2.4s', 'mla.vec', ['v0', 'v1', 'v2'], ['v0'], 'none', 'none'],
    ['xtn2 v0.16b, v1.8h', 'xtn2.vec', ['v0', 'v1'], ['v0'], 'none', 'none'],
    ['tbl v0.16b, {v1.16b - v2.16b}, v3.16b', 'tbl.vec', ['v1', 'v2', 'v3'], ['v0'], 'none', 'none'],
    ['movi v0.4s, 0', 'movi.vec', [], ['v0'], 'none', 'none'],
    ['fadd d0, d1, d2', 'fadd.fp', ['v1', 'v2'], ['v0'], 'none', 'none'],
    ['fmov d0, x1', 'fmov.fpgpr', ['x1'], ['v0'], 'none', 'none'],
    ['fmov s0, 1.0e+0', 'fmov.fp', [], ['v0'], 'none', 'none'],
    ['fcmp d0, #0.0', 'fcmp.fp', ['v0'], ['nzcv'], 'none', 'none'],
    ['fcsel d0, d1, d2, gt', 'fcsel.fp', ['v1', 'v2', 'nzcv'], ['v0'], 'none', 'none'],
    ['scvtf d0, w1', 'scvtf.fpgpr', ['x1'], ['v0'], 'none', 'none'],
    ['adrp x0, .LC0', 'adrp.sym', [], ['x0'], 'none', 'none'],
    ['mrs x0, tpidr_el0', 'mrs.reg', [], ['x0'], 'none', 'none'],
    ['b .L3', 'b', [], [], 'none', 'jump'],
    ['b 1f', 'b', [], [], 'none', 'jump'],
    ['b printf', 'b', [], [], 'none', 'tailcall'],
    ['bne .L3', 'b.cond', ['nzcv'], [], 'none', 'cbranch'],
    ['b.lt .L3', 'b.cond', ['nzcv'], [], 'none', 'cbranch'],
    ['cbz w0, .L4', 'cbz', ['x0'], [], 'none', 'cbranch'],
    ['tbnz x1, 63, .L5', 'tbnz', ['x1'], [], 'none', 'cbranch'],
    ['bl printf', 'bl', [], ['x30'], 'none', 'call'],
    ['blr x3', 'blr', ['x3'], ['x30'], 'none', 'icall'],
    ['br x16', 'br', ['x16'], [], 'none', 'ijump'],
    ['ret', 'ret', ['x30'], [], 'none', 'ret'],
    ['ret x1', 'ret', ['x1'], [], 'none', 'ret'],
    ['brk #1000', 'brk', [], [], 'none', 'trap'],
    ['nop', 'nop', [], [], 'none', 'none'],
    ['dmb ish', 'dmb', [], [], 'none', 'none'],
  ];
  for (const [line, form, reads, writes, memory, control] of cases) {
    test(line, () => {
      const d = info(line);
      assert.deepEqual(
        { form: d.form, reads: d.reads, writes: d.writes, memory: d.memory, control: d.control },
        { form, reads, writes, memory, control },
      );
    });
  }

  test('direct control flow carries its target', () => {
    assert.deepEqual(info('bne .L3').target, { kind: 'sym', name: '.L3' });
    assert.deepEqual(info('bl printf').target, { kind: 'sym', name: 'printf' });
    assert.deepEqual(info('b printf').target, { kind: 'sym', name: 'printf' });
    assert.deepEqual(info('tbz w0, 3, 1f').target, { kind: 'sym', name: '1f' });
    assert.equal(info('ldr x0, .LC0').target, undefined);
    assert.equal(info('adrp x0, .LC0').target, undefined);
  });

  test('errors: unknown mnemonic, wrong count, wrong kind', () => {
    const d = (line: string) => fe.describe(insns(parse(line + '\n').program)[0]!);
    assert.deepEqual(d('frobnicate x0'), { error: "unknown instruction 'frobnicate'", code: 'unknown-instruction' });
    assert.equal((d('add x0, x1') as { operand?: number }).operand, 2);
    assert.equal((d('add x0, x1, x2, x3') as { operand?: number }).operand, 3);
    assert.equal((d('add x0, x1, sym') as { operand?: number }).operand, 2);
    assert.equal((d('fadd d0, x1, d2') as { operand?: number }).operand, 1);
    assert.equal((d('ldr x0, x1, x2') as { code: string }).code, 'operand');
    assert.equal((d('csel x0, x1, x2, x3') as { operand?: number }).operand, 3);
    assert.equal((d('fmov d0, 0.1') as { operand?: number }).operand, 1); // not encodable
    assert.equal((d('fcmp d0, 1.0') as { operand?: number }).operand, 1);
    assert.equal((d('add v0, v1, v2') as { operand?: number }).operand, 0); // no arrangement
    assert.equal((d('bal .L3') as { code: string }).code, 'unknown-instruction');
  });

  test('fmov immediates', () => {
    for (const v of [1, -1, 0.125, 31, 0.5, 1.5, -2.5, 15.5, 0.1875]) assert.ok(isFmovImmediate(v), String(v));
    for (const v of [0, 0.1, 32, 0.0625, 17.5, Infinity, NaN]) assert.ok(!isFmovImmediate(v), String(v));
  });

  test('ABI lists', () => {
    assert.ok(fe.abi.callReads.includes('x7') && fe.abi.callReads.includes('x8') && fe.abi.callReads.includes('v7') && fe.abi.callReads.includes('sp'));
    assert.ok(fe.abi.callClobbers.includes('x18') && fe.abi.callClobbers.includes('x30') && fe.abi.callClobbers.includes('v31') && fe.abi.callClobbers.includes('nzcv'));
    assert.ok(!fe.abi.callClobbers.includes('x19') && !fe.abi.callClobbers.includes('x29') && !fe.abi.callClobbers.includes('v8'));
    assert.ok(fe.abi.retReads.includes('x0') && fe.abi.retReads.includes('x28') && fe.abi.retReads.includes('v15') && fe.abi.retReads.includes('x30'));
  });
});

// ---------------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------------

describe('aarch64 diagnostics', () => {
  test('bad lines are located and their neighbours still parse', () => {
    const lines = [
      'f:', //                                        1
      '\tadd\tx0, x1', //                             2 missing operand
      '\tadd\tx0, x1, 1', //                          3
      '\tadd\tx0, x1, x2, x3', //                     4 extra operand
      '\tfrobnicate\tx0', //                          5 unknown mnemonic
      '\tldr\tx0, [x1, 8', //                         6 unbalanced bracket
      '\tmov\tx0, 18446744073709551616', //           7 huge immediate
      '\tmov\tx0, \u00e9', //                         8 non-ASCII byte
      '\tadd\tx0, x1, ?', //                          9 junk
      '\tld1\t{{v0.16b}, [x0]', //                    10 junk inside a register list
      '\tldr\tx0, [x1, $$1]', //                      11 symbol as an offset
      '\tadd\tx0, x0, :bogus:sym', //                 12 unknown relocation operator
      '\tmov\tv0.s[99], w0', //                       13 lane out of range
      '\tfmov\t[d8, 5.0e-1', //                       14 open bracket before a float
      '\tret', //                                     15
      '',
    ];
    const r = parse(lines.join('\n'));
    const got = r.diagnostics.map((d) => [d.span.line, d.span.column, d.code]);
    assert.deepEqual(got, [
      [2, 2, 'operand'],
      [4, 18, 'operand'], // points at the extra operand
      [5, 2, 'unknown-instruction'],
      [6, 10, 'operand'],
      [7, 10, 'operand'],
      [8, 10, 'syntax'],
      [9, 14, 'syntax'],
      [10, 6, 'operand'],
      [11, 15, 'operand'],
      [12, 14, 'operand'],
      [13, 11, 'operand'],
      [14, 7, 'operand'],
    ]);
    assert.match(r.diagnostics[0]!.message, /missing operand/);
    assert.match(r.diagnostics[1]!.message, /extra operand/);
    assert.match(r.diagnostics[3]!.message, /missing '\]'/);
    assert.match(r.diagnostics[4]!.message, /out of range/);
    assert.match(r.diagnostics[5]!.message, /0xe9/);
    assert.match(r.diagnostics[9]!.message, /relocation operator/);
    const good = insns(r.program).filter((i) => !isDescribeError(fe.describe(i)));
    assert.deepEqual(good.map((i) => i.span.line), [3, 15]);
    // Nothing is lost: printing restores every line.
    assert.equal(printWith(fe, r.program), lines.join('\n'));
  });

  test('never throws on garbage', () => {
    for (const junk of ['[[[', ']]]', '{{{', '}}}', ':lo12:', 'ldr x0, [x1', 'ld1 {v0.16b', '"unterminated', '\u0000\u00ff', 'a,,b', ':;:;', '#', '# #', '/* open', 'mov v0.s[', 'b.', '1:2:3:']) {
      const r = parse(junk + '\nret\n');
      assert.ok(r.program.statements.length >= 1, junk);
      assert.equal(insns(r.program).at(-1)?.mnemonic, 'ret', junk);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Real assembler round trip
// ---------------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'gns-a64-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Parses a file with no diagnostics, prints it both ways, and checks GNU as makes the same
 * object from each print as from the original. */
async function roundTrip(text: string, name: string): Promise<void> {
  const r = parseWith(fe, text, name);
  assert.deepEqual(r.diagnostics.slice(0, 5), [], name);
  const ref = await assembleAndDump('aarch64', text, work, { name: `${name}-ref` });
  assert.ok(ref.ok, `${name} does not assemble: ${ref.errors}`);
  for (const canonical of [false, true]) {
    const printed = printWith(fe, r.program, { canonical });
    const diff = compareObjects(ref, await assembleAndDump('aarch64', printed, work, { name: `${name}-${canonical}` }));
    assert.equal(diff, null, `${name} canonical=${canonical}: ${diff?.detail}`);
  }
}

describe('aarch64 table forms against GNU as', { skip: !hasToolchain && 'aarch64-linux-gnu-gcc not installed' }, () => {
  test('every form has an instance, each instance matches its form, and all round-trip', async () => {
    const path = join(fixturesDir(), 'forms.s');
    const text = readFileSync(path, 'latin1');
    const r = parseWith(fe, text, path);
    assert.deepEqual(r.diagnostics, []);
    const seen = new Set<string>();
    for (const insn of insns(r.program)) {
      const want = /^\/\/ (\S+) ?(\S*)$/.exec(insn.comment ?? '');
      assert.ok(want, `line ${insn.span.line} has no form comment`);
      assert.equal(want[1], insn.mnemonic, `line ${insn.span.line}`);
      assert.equal(matchedRoles(insn), want[2], `line ${insn.span.line}: ${printWith(fe, { ...r.program, statements: [insn] }).trim()}`);
      assert.ok(!isDescribeError(fe.describe(insn)), `line ${insn.span.line}`);
      seen.add(`${want[1]} ${want[2]}`);
    }
    const missing = knownMnemonics().flatMap((m) => formsOf(m).map((f) => `${m} ${f}`)).filter((k) => !seen.has(k));
    assert.deepEqual(missing, [], 'table forms without an instance in forms.s');
    await roundTrip(text, 'forms');
  });
});

describe('aarch64 gcc round trip', { skip: !hasToolchain && 'aarch64-linux-gnu-gcc not installed' }, () => {
  const dir = fixturesDir();
  const sources = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.c')).sort() : [];
  test('fixtures exist', () => assert.ok(sources.length >= 5, dir));
  const configs = [
    ['-O0'],
    ['-O2', '-g'],
    ['-O3'],
    ['-O2', '-march=armv8.2-a+lse+dotprod', '-fPIC'],
    ['-O1', '-mno-outline-atomics', '-mbranch-protection=standard'],
  ];
  for (const src of sources) {
    for (const flags of configs) {
      test(`${src} ${flags.join(' ')}`, async () => {
        const out = join(work, `${src}${flags.join('')}.s`.replace(/[^A-Za-z0-9_.-]/g, '_'));
        await exec('aarch64-linux-gnu-gcc', ['-S', '-std=gnu11', '-Wall', '-Werror', ...flags, join(dir, src), '-o', out]);
        await roundTrip(readFileSync(out, 'latin1'), out.replace(/^.*\//, ''));
      });
    }
  }

  const csmith = Number(process.env['GNS_A64_CSMITH'] ?? '0');
  test(`csmith stress (${csmith} programs)`, { skip: !(csmith > 0) && 'set GNS_A64_CSMITH=N' }, async () => {
    for (let seed = 1; seed <= csmith; seed++) {
      const c = join(work, `cs${seed}.c`);
      writeFileSync(c, await exec('csmith', ['--seed', String(seed), '--max-funcs', '5', '--no-packed-struct']));
      for (const o of ['-O0', '-O1', '-O2', '-O3']) {
        const out = join(work, `cs${seed}${o}.s`);
        await exec('aarch64-linux-gnu-gcc', ['-S', '-w', '-I/usr/include/csmith', o, ...(seed % 2 ? ['-g'] : []), c, '-o', out]);
        await roundTrip(readFileSync(out, 'latin1'), `cs${seed}${o}`);
      }
    }
  });
});
