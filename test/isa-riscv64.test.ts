// Tests for the RISC-V 64 front end: every operand shape parses and prints back, the instruction
// table describes instructions as checked by hand, bad lines get diagnostics at the right place
// without disturbing their neighbours, and real gcc output round-trips through GNU as exactly.
//
// Env: GNS_RV_CSMITH=N also round-trips N Csmith programs at -O0..-O3 (slow; off by default).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { parseWith } from '../src/asm/parse.js';
import { printWith } from '../src/asm/print.js';
import type { Instruction, Program } from '../src/ir/program.js';
import { isDescribeError, type InstrInfo } from '../src/isa/types.js';
import { riscv64FrontEnd as fe } from '../src/isa/riscv64/frontend.js';
import { formsOf, knownMnemonics } from '../src/isa/riscv64/table.js';

const TOOL_TIMEOUT_MS = 60_000;

function parse(text: string) {
  return parseWith(fe, text, 't.s');
}

function insns(p: Program<'riscv64'>): Instruction<'riscv64'>[] {
  return p.statements.filter((s): s is Instruction<'riscv64'> => s.kind === 'insn');
}

function fixturesDir(): string {
  // Compiled tests live in <outDir>/test/; fall back to the working directory (the repo root)
  // when the output directory is outside the repository.
  const rel = fileURLToPath(new URL('../../test/fixtures/riscv64/', import.meta.url));
  return existsSync(rel) ? rel : join(process.cwd(), 'test', 'fixtures', 'riscv64');
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
    return readdirSync('/usr/bin').includes('riscv64-linux-gnu-gcc');
  } catch {
    return false;
  }
})();

// ---------------------------------------------------------------------------------------------
// Operand shapes: parse, then print both ways
// ---------------------------------------------------------------------------------------------

describe('riscv64 operand shapes', () => {
  // [input line, non-canonical print, canonical print]
  const cases: [string, string, string][] = [
    ['addi sp,sp,-16', 'addi\tsp,sp,-16', 'addi\tsp,sp,-16'],
    ['addi x10, fp, 0x10', 'addi\tx10,fp,0x10', 'addi\ta0,s0,16'],
    ['add x8,x0,x1', 'add\tx8,x0,x1', 'add\ts0,zero,ra'],
    ['fadd.d f10,f1,ft2', 'fadd.d\tf10,f1,ft2', 'fadd.d\tfa0,ft1,ft2'],
    ['sd ra,8(sp)', 'sd\tra,8(sp)', 'sd\tra,8(sp)'],
    ['ld a5,-24(s0)', 'ld\ta5,-24(s0)', 'ld\ta5,-24(s0)'],
    ['lw a0,%lo(sym)(a5)', 'lw\ta0,%lo(sym)(a5)', 'lw\ta0,%lo(sym)(a5)'],
    ['lw a0,%lo(sym+8)(a5)', 'lw\ta0,%lo(sym+8)(a5)', 'lw\ta0,%lo(sym+8)(a5)'],
    ['ld a0,%pcrel_lo(.LA0)(a0)', 'ld\ta0,%pcrel_lo(.LA0)(a0)', 'ld\ta0,%pcrel_lo(.LA0)(a0)'],
    ['sw a0,%tprel_lo(x)(a5)', 'sw\ta0,%tprel_lo(x)(a5)', 'sw\ta0,%tprel_lo(x)(a5)'],
    ['lui a5,%hi(counter)', 'lui\ta5,%hi(counter)', 'lui\ta5,%hi(counter)'],
    ['auipc a0,%pcrel_hi(x)', 'auipc\ta0,%pcrel_hi(x)', 'auipc\ta0,%pcrel_hi(x)'],
    ['auipc a0,%got_pcrel_hi(x)', 'auipc\ta0,%got_pcrel_hi(x)', 'auipc\ta0,%got_pcrel_hi(x)'],
    ['auipc a0,%tls_ie_pcrel_hi(x)', 'auipc\ta0,%tls_ie_pcrel_hi(x)', 'auipc\ta0,%tls_ie_pcrel_hi(x)'],
    ['auipc a0,%tls_gd_pcrel_hi(x)', 'auipc\ta0,%tls_gd_pcrel_hi(x)', 'auipc\ta0,%tls_gd_pcrel_hi(x)'],
    ['lui a5,%tprel_hi(x)', 'lui\ta5,%tprel_hi(x)', 'lui\ta5,%tprel_hi(x)'],
    ['add a5,a5,tp,%tprel_add(x)', 'add\ta5,a5,tp,%tprel_add(x)', 'add\ta5,a5,tp,%tprel_add(x)'],
    ['amoadd.w.aqrl a0,a1,(a2)', 'amoadd.w.aqrl\ta0,a1,(a2)', 'amoadd.w.aqrl\ta0,a1,(a2)'],
    ['lr.d.aq a5,(x10)', 'lr.d.aq\ta5,(x10)', 'lr.d.aq\ta5,(a0)'],
    ['sc.w.rl a3,a1,0(a4)', 'sc.w.rl\ta3,a1,0(a4)', 'sc.w.rl\ta3,a1,0(a4)'],
    ['fence iorw,iorw', 'fence\tiorw,iorw', 'fence\tiorw,iorw'],
    ['fence rw,rw', 'fence\trw,rw', 'fence\trw,rw'],
    ['fence.i', 'fence.i', 'fence.i'],
    ['fcvt.w.d a0,fa0,rtz', 'fcvt.w.d\ta0,fa0,rtz', 'fcvt.w.d\ta0,fa0,rtz'],
    ['fmadd.d fa0,fa1,fa2,fa3', 'fmadd.d\tfa0,fa1,fa2,fa3', 'fmadd.d\tfa0,fa1,fa2,fa3'],
    ['frflags a5', 'frflags\ta5', 'frflags\ta5'],
    ['fsflags a5', 'fsflags\ta5', 'fsflags\ta5'],
    ['csrr a0,fflags', 'csrr\ta0,fflags', 'csrr\ta0,fflags'],
    ['csrr a0,0xc00', 'csrr\ta0,0xc00', 'csrr\ta0,3072'],
    ['li a0,0xffffffffffffffff', 'li\ta0,0xffffffffffffffff', 'li\ta0,18446744073709551615'],
    ['li a0,-9223372036854775808', 'li\ta0,-9223372036854775808', 'li\ta0,-9223372036854775808'],
    ['la a0,.LC0', 'la\ta0,.LC0', 'la\ta0,.LC0'],
    ['lla a5,.LANCHOR0+16', 'lla\ta5,.LANCHOR0+16', 'lla\ta5,.LANCHOR0+16'],
    ['ld a1,.LC0', 'ld\ta1,.LC0', 'ld\ta1,.LC0'],
    ['lw a0,.LANCHOR0+8', 'lw\ta0,.LANCHOR0+8', 'lw\ta0,.LANCHOR0+8'],
    ['sd a0,sym,t0', 'sd\ta0,sym,t0', 'sd\ta0,sym,t0'],
    ['fld fa5,.LC0,a5', 'fld\tfa5,.LC0,a5', 'fld\tfa5,.LC0,a5'],
    ['call printf@plt', 'call\tprintf@plt', 'call\tprintf@plt'],
    ['tail other@plt', 'tail\tother@plt', 'tail\tother@plt'],
    ['bnez a3,1b', 'bnez\ta3,1b', 'bnez\ta3,1b'],
    ['bne a5,a0,1f', 'bne\ta5,a0,1f', 'bne\ta5,a0,1f'],
    ['j .L3', 'j\t.L3', 'j\t.L3'],
    ['jalr ra,0(a5)', 'jalr\tra,0(a5)', 'jalr\tra,0(a5)'],
    ['ret', 'ret', 'ret'],
    ['la.tls.gd a0,x', 'la.tls.gd\ta0,x', 'la.tls.gd\ta0,x'],
    ['sext.w a0,a0', 'sext.w\ta0,a0', 'sext.w\ta0,a0'],
    ['ADDI a0,a0,1', 'addi\ta0,a0,1', 'addi\ta0,a0,1'],
    ['addi a0,a0,(4+4)*2', 'addi\ta0,a0,(4+4)*2', 'addi\ta0,a0,(4+4)*2'],
    ['addi a0,a0,010', 'addi\ta0,a0,010', 'addi\ta0,a0,8'],
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
    const [ld, amo, fcvt, fence, sd] = insns(
      parse('ld a0,%lo(x)(a5)\namoswap.w zero,a0,(a1)\nfcvt.l.d a0,fa0,rtz\nfence iorw,ow\nsd a0,sym,t0\n').program,
    );
    assert.deepEqual(ld!.operands[1], {
      kind: 'mem',
      base: fe.register('a5'),
      offset: { kind: 'reloc', op: 'lo', style: 'percent', arg: { kind: 'sym', name: 'x' } },
      mode: 'offset',
    });
    assert.deepEqual(amo!.operands[2], { kind: 'mem', base: fe.register('a1'), mode: 'offset' });
    assert.deepEqual(fcvt!.operands[2], { kind: 'name', text: 'rtz' });
    assert.deepEqual(fence!.operands, [{ kind: 'name', text: 'iorw' }, { kind: 'name', text: 'ow' }]);
    assert.deepEqual(sd!.operands[1], { kind: 'sym', expr: { kind: 'sym', name: 'sym' } });
  });

  test('statements: labels, directives, comments, `;` separators', () => {
    const text = [
      '\t.section\t.rodata.str1.8,"aMS",@progbits,1',
      '.LC0:',
      '\t.string\t"a#b;c\\"d" # trailing',
      '# whole-line comment',
      '\tfence iorw,ow;  1: lr.w.aq a5,0(a4); bne a5,a0,1f; sc.w.aq a3,a1,0(a4); bnez a3,1b; 1:',
      'main: addi sp,sp,-16 # set up',
      '',
    ].join('\n');
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const kinds = r.program.statements.map((s) => s.kind);
    assert.deepEqual(kinds, ['directive', 'label', 'directive', 'comment', 'insn', 'label', 'insn', 'insn', 'insn', 'insn', 'label', 'label', 'insn']);
    const str = r.program.statements[2]!;
    assert.equal(str.kind === 'directive' && str.args, '"a#b;c\\"d"');
    assert.equal(str.comment, '# trailing');
    assert.equal(r.program.statements[12]!.comment, '# set up');
    assert.equal(fe.register('x8')!.id, 's0');
    assert.equal(fe.register('fp')!.name, 's0');
    assert.equal(fe.register('f10')!.id, 'fa0');
    assert.equal(fe.register('zero')!.zero, true);
    assert.equal(fe.register('A0'), undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// The instruction table
// ---------------------------------------------------------------------------------------------

describe('riscv64 describe', () => {
  const info = (line: string): InstrInfo => {
    const r = parse(line + '\n');
    assert.deepEqual(r.diagnostics, [], line);
    const d = fe.describe(insns(r.program)[0]!);
    assert.ok(!isDescribeError(d), line);
    return d;
  };
  // [line, reads, writes, memory, control]
  const cases: [string, string[], string[], InstrInfo['memory'], InstrInfo['control']][] = [
    ['addi sp,sp,-16', ['sp'], ['sp'], 'none', 'none'],
    ['add a0,a1,a2', ['a1', 'a2'], ['a0'], 'none', 'none'],
    ['add x10,x10,x10', ['a0'], ['a0'], 'none', 'none'],
    ['mv a0,zero', [], ['a0'], 'none', 'none'],
    ['li a5,42', [], ['a5'], 'none', 'none'],
    ['sd ra,8(sp)', ['ra', 'sp'], [], 'store', 'none'],
    ['sd zero,8(fp)', ['s0'], [], 'store', 'none'],
    ['ld a5,-24(s0)', ['s0'], ['a5'], 'load', 'none'],
    ['ld a1,.LC0', [], ['a1'], 'load', 'none'],
    ['sd a0,sym,t0', ['a0'], ['t0'], 'store', 'none'],
    ['fld fa5,.LC0,a5', [], ['fa5', 'a5'], 'load', 'none'],
    ['fsd fa0,16(sp)', ['fa0', 'sp'], [], 'store', 'none'],
    ['amoadd.w.aqrl a0,a1,(a2)', ['a1', 'a2'], ['a0'], 'load-store', 'none'],
    ['lr.d.aq a5,(a0)', ['a0'], ['a5'], 'load', 'none'],
    ['sc.w.rl a3,a1,0(a4)', ['a1', 'a4'], ['a3'], 'store', 'none'],
    ['beq a0,a1,.L3', ['a0', 'a1'], [], 'none', 'cbranch'],
    ['bnez a5,1b', ['a5'], [], 'none', 'cbranch'],
    ['j .L3', [], [], 'none', 'jump'],
    ['j other', [], [], 'none', 'tailcall'],
    ['tail other@plt', [], ['t1'], 'none', 'tailcall'],
    ['call printf@plt', [], ['ra'], 'none', 'call'],
    ['jal foo', [], ['ra'], 'none', 'call'],
    ['jalr a5', ['a5'], ['ra'], 'none', 'icall'],
    ['jalr zero,0(ra)', ['ra'], [], 'none', 'ret'],
    ['jr ra', ['ra'], [], 'none', 'ret'],
    ['jr a5', ['a5'], [], 'none', 'ijump'],
    ['ret', ['ra'], [], 'none', 'ret'],
    ['ebreak', [], [], 'none', 'trap'],
    ['fcvt.w.d a0,fa0,rtz', ['fa0'], ['a0'], 'none', 'none'],
    ['fmadd.d fa0,fa1,fa2,fa3', ['fa1', 'fa2', 'fa3'], ['fa0'], 'none', 'none'],
    ['feq.d a0,fa0,fa1', ['fa0', 'fa1'], ['a0'], 'none', 'none'],
    ['fmv.d.x fa5,zero', [], ['fa5'], 'none', 'none'],
    ['frflags a5', ['fflags'], ['a5'], 'none', 'none'],
    ['fsflags a5', ['a5'], ['fflags'], 'none', 'none'],
    ['add a5,a5,tp,%tprel_add(x)', ['a5', 'tp'], ['a5'], 'none', 'none'],
    ['lui a5,%hi(x)', [], ['a5'], 'none', 'none'],
    ['fence iorw,iorw', [], [], 'none', 'none'],
  ];
  for (const [line, reads, writes, memory, control] of cases) {
    test(line, () => {
      const d = info(line);
      assert.deepEqual({ reads: d.reads, writes: d.writes, memory: d.memory, control: d.control }, { reads, writes, memory, control });
    });
  }

  test('direct control flow carries its target', () => {
    assert.deepEqual(info('beq a0,a1,.L3').target, { kind: 'sym', name: '.L3' });
    assert.deepEqual(info('call printf@plt').target, { kind: 'sym', name: 'printf@plt' });
    assert.equal(info('ld a1,.LC0').target, undefined);
  });

  test('errors: unknown mnemonic, wrong count, wrong kind', () => {
    const d = (line: string) => fe.describe(insns(parse(line + '\n').program)[0]!);
    assert.deepEqual(d('frobnicate a0'), { error: "unknown instruction 'frobnicate'", code: 'unknown-instruction' });
    assert.equal((d('addi a0,a0') as { operand?: number }).operand, 2);
    assert.equal((d('addi a0,a0,1,2') as { operand?: number }).operand, 3);
    assert.equal((d('fadd.d a0,fa0,fa1') as { operand?: number }).operand, 0);
    assert.equal((d('ld a0,a1') as { operand?: number }).operand, 1);
    assert.equal((d('amoadd.w a0,a1,a2') as { operand?: number }).operand, 2);
    assert.equal((d('fcvt.w.d a0,fa0,bogus') as { code: string }).code, 'operand');
    assert.equal((d('ret a0') as { code: string }).code, 'operand');
  });

  test('ABI lists', () => {
    assert.ok(fe.abi.callReads.includes('a7') && fe.abi.callReads.includes('fa7') && fe.abi.callReads.includes('sp'));
    assert.ok(fe.abi.callClobbers.includes('ra') && fe.abi.callClobbers.includes('t6') && fe.abi.callClobbers.includes('ft11'));
    assert.ok(!fe.abi.callClobbers.includes('s1') && !fe.abi.callClobbers.includes('fs0'));
    assert.ok(fe.abi.retReads.includes('a0') && fe.abi.retReads.includes('s11') && fe.abi.retReads.includes('fs11'));
  });
});

// ---------------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------------

describe('riscv64 diagnostics', () => {
  test('bad lines are located and their neighbours still parse', () => {
    const lines = [
      'f:', //                                  1
      '\taddi\ta0,a0', //                       2 missing operand
      '\taddi\ta0,a0,1', //                     3
      '\taddi\ta0,a0,1,2', //                   4 extra operand
      '\tfrobnicate\ta0', //                    5 unknown mnemonic
      '\tsd\ta0,8(sp', //                       6 unbalanced bracket
      '\tli\ta0,18446744073709551616', //       7 huge immediate
      '\tli\ta0,\u00e9', //                     8 non-ASCII byte
      '\tadd\ta0,a1,@', //                      9 junk
      '\tld\ta0,8(.L3)', //                     10 not a base register
      '\tret', //                               11
      '',
    ];
    const r = parse(lines.join('\n'));
    const got = r.diagnostics.map((d) => [d.span.line, d.span.column, d.code]);
    assert.deepEqual(got, [
      [2, 2, 'operand'],
      [4, 15, 'operand'], // points at the extra operand
      [5, 2, 'unknown-instruction'],
      [6, 12, 'syntax'],
      [7, 8, 'operand'],
      [8, 8, 'syntax'],
      [9, 12, 'syntax'],
      [10, 10, 'operand'],
    ]);
    assert.match(r.diagnostics[0]!.message, /missing operand/);
    assert.match(r.diagnostics[1]!.message, /extra operand/);
    assert.match(r.diagnostics[4]!.message, /out of range/);
    assert.match(r.diagnostics[5]!.message, /0xe9/);
    const good = insns(r.program).filter((i) => !isDescribeError(fe.describe(i)));
    assert.deepEqual(good.map((i) => i.span.line), [3, 11]);
    // Nothing is lost: printing restores every line.
    assert.equal(printWith(fe, r.program), lines.join('\n'));
  });

  test('never throws on garbage', () => {
    for (const junk of ['(((', ')))', '%lo(', 'addi a0,%lo(x', '"unterminated', '\u0000\u00ff', 'a,,b', ':;:;', '1(2)(3)']) {
      const r = parse(junk + '\nret\n');
      assert.ok(r.program.statements.length >= 1, junk);
      assert.equal(insns(r.program).at(-1)?.mnemonic, 'ret', junk);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Real assembler round trip
// ---------------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'gns-rv-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Section contents, relocations and symbols of an assembled text, as objdump prints them. */
async function objectOf(text: string, name: string): Promise<string> {
  const s = join(work, `${name}.s`);
  const o = join(work, `${name}.o`);
  writeFileSync(s, text, 'latin1');
  await exec('riscv64-linux-gnu-as', ['-o', o, s]);
  const dump = await exec('riscv64-linux-gnu-objdump', ['-s', '-r', '-t', o]);
  return dump.replace(/^.*file format.*$/m, '');
}

async function roundTrip(asmPath: string): Promise<void> {
  const text = readFileSync(asmPath, 'latin1');
  const r = parseWith(fe, text, asmPath);
  assert.deepEqual(r.diagnostics, [], asmPath);
  const base = asmPath.replace(/^.*\//, '');
  const ref = await objectOf(text, `${base}.ref`);
  for (const canonical of [false, true]) {
    const printed = printWith(fe, r.program, { canonical });
    assert.equal(await objectOf(printed, `${base}.${canonical}`), ref, `${asmPath} canonical=${canonical}`);
  }
}

describe('riscv64 gcc round trip', { skip: !hasToolchain && 'riscv64-linux-gnu-gcc not installed' }, () => {
  const dir = fixturesDir();
  const sources = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.c')) : [];
  test('fixtures exist', () => assert.ok(sources.length >= 3, dir));
  for (const src of sources) {
    for (const flags of [['-O0'], ['-O2'], ['-O0', '-g'], ['-O2', '-g'], ['-O2', '-fno-pie', '-mcmodel=medlow'], ['-O1', '-fPIC', '-mexplicit-relocs']]) {
      test(`${src} ${flags.join(' ')}`, async () => {
        const out = join(work, `${src}${flags.join('')}.s`);
        await exec('riscv64-linux-gnu-gcc', ['-S', '-w', ...flags, join(dir, src), '-o', out]);
        await roundTrip(out);
      });
    }
  }

  test('every table form is accepted by GNU as, and parses and describes cleanly', async () => {
    const sample: Record<string, string> = { d: 'a0', s: 'a1', D: 'fa0', S: 'fa1', i: '1', m: '8(a2)', A: '0(a2)', a: 'sym', r: 'rtz', f: 'rw', c: 'fflags' };
    const lines: string[] = [];
    for (const m of knownMnemonics()) {
      for (const roles of formsOf(m)) {
        const ops = roles.map((r, i) => (m === 'add' && i === 3 ? '%tprel_add(sym)' : sample[r]!));
        lines.push(ops.length ? `\t${m}\t${ops.join(',')}` : `\t${m}`);
      }
    }
    const text = lines.join('\n') + '\n';
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(insns(r.program).length, lines.length);
    assert.equal(await objectOf(printWith(fe, r.program, { canonical: true }), 'forms.canon'), await objectOf(text, 'forms'));
  });

  const csmith = Number(process.env['GNS_RV_CSMITH'] ?? '0');
  test(`csmith stress (${csmith} programs)`, { skip: !(csmith > 0) && 'set GNS_RV_CSMITH=N' }, async () => {
    for (let seed = 1; seed <= csmith; seed++) {
      const c = join(work, `cs${seed}.c`);
      writeFileSync(c, await exec('csmith', ['--seed', String(seed), '--max-funcs', '5', '--no-packed-struct']));
      for (const o of ['-O0', '-O1', '-O2', '-O3']) {
        const out = join(work, `cs${seed}${o}.s`);
        await exec('riscv64-linux-gnu-gcc', ['-S', '-w', '-I/usr/include/csmith', o, ...(seed % 2 ? ['-g'] : []), c, '-o', out]);
        await roundTrip(out);
      }
    }
  });
});
