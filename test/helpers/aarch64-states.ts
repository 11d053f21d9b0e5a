// Test support for the AArch64 semantics differential test: the instruction instances (real ones
// taken from gcc 12's output in the corpus, plus synthesized ones for the operand variants gcc
// rarely writes), the memory layout shared by Unicorn and our machines, random initial states
// biased to edge values, and the one-shot assembly + link of all instances.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/util/proc.js';
import type { Expr, Instruction, MemOperand, Operand } from '../../src/ir/program.js';
import { parseAsm } from '../../src/asm/index.js';
import { printAarch64 } from '../../src/isa/aarch64/lower.js';
import { describeAarch64 } from '../../src/isa/aarch64/table.js';
import { ConcreteMemory } from '../../src/isa/concrete.js';
import { Machine } from '../../src/emu/machine.js';
import { address } from '../../src/isa/aarch64/sem-mem.js';
import { mask } from '../../src/isa/sem.js';
import type { Rng } from '../../src/util/random.js';

// ---------------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------------

/**
 * Real instances from the gcc 12 corpus (~/.cache/gns/corpus, -O0 to -O2): up to four per table
 * form, chosen for distinct operand shapes (register widths, modifiers, addressing modes).
 * Embedded so the test does not depend on the corpus being present.
 */
export const CORPUS_INSTANCES: readonly string[] = [
  "add x21, x21, w25, sxtw", "add w0, w8, w0, uxtb", "add x5, x0, w1, uxtw 2", "add x1, x3, w1, sxtb #2",
  "add x0, x0, :lo12:.LC199", "add sp, sp, 16", "add w0, w0, 1", "add x0, sp, 1048", "add w0, w1, w0",
  "add x0, x1, x0", "add sp, sp, x12", "add x1, sp, x1", "add x0, x21, x0, lsl 2", "add w1, w3, w1, lsr 1",
  "add w1, w7, w1, asr 1", "add w1, w1, w1, lsl 1", "add v5.4s, v5.4s, v6.4s", "add v1.2d, v1.2d, v2.2d",
  "add v0.16b, v0.16b, v4.16b", "add v0.2s, v1.2s, v0.2s", "addp d0, v0.2d", "adds w0, w0, 1",
  "adds w24, w24, w0", "adds w3, w4, w1", "addv b0, v0.8b", "addv s0, v3.4s", "addv b8, v8.8b",
  "addv s0, v0.4s", "adr x1, .Lrtx4", "adr x3, .Lrtx5", "adrp x22, :got:stdout", "adrp x21, :got:stdout",
  "adrp x0, .LC199", "adrp x0, crc32_tab", "and w0, w0, 255", "and w2, w0, -2147483648",
  "and x2, x0, -9223372036854775808", "and x1, x0, 255", "and w0, w1, w0", "and x0, x1, x0",
  "and w1, w2, w1", "and x2, x2, x0", "and v0.16b, v0.16b, v4.16b", "and v0.16b, v0.16b, v5.16b",
  "ands w0, w0, 255", "ands w3, w1, 65535", "ands x1, x1, x3", "ands w1, w1, w2", "ands w0, w0, w2",
  "asr x0, x0, 55", "asr w0, w0, 14", "asr x0, x0, 34", "asr w0, w0, 2", "asr w0, w2, w0", "asr x0, x1, x0",
  "asr w0, w1, w0", "asr x0, x22, x19", "b .L14", "b .L19", "beq .L12", "bne .L13", "bfi w0, w1, 0, 14",
  "bfi x0, x1, 19, 21", "bfi w0, w1, 14, 5", "bfi x0, x1, 31, 18", "bic x1, x2, x1", "bic x1, x3, x1",
  "bl printf", "bl crc32_byte", "blr x2", "blr x1", "br x0", "br x1", "brk #1000",
  "bsl v0.16b, v2.16b, v1.16b", "bsl v0.16b, v3.16b, v2.16b", "cbnz w20, .L5", "cbnz x0, .L13",
  "cbnz w19, .L10", "cbnz x24, .L56", "cbz w20, .L21", "cbz x24, .L30", "cbz w20, .L26", "cbz x19, .L17",
  "ccmn x6, #1, 0, eq", "ccmp w1, 0, 0, ne", "ccmp x1, 0, 4, pl", "ccmp w11, 0, 4, ge", "ccmp x1, 0, 4, gt",
  "cinc w0, w0, eq", "cinc w4, w4, ne", "cinc w1, w1, gt", "cinc x0, x0, ne", "cmeq v0.4s, v0.4s, #0",
  "cmeq v0.4s, v0.4s, v1.4s", "cmeq v2.4s, v2.4s, v4.4s", "cmn w0, #128", "cmn x0, #1", "cmn w0, #1",
  "cmn x0, #7", "cmn w3, w4", "cmp w2, w1, uxth", "cmp w21, w0, sxth", "cmp x8, w2, sxth",
  "cmp w1, w0, uxtb", "cmp w0, 0", "cmp x0, 0", "cmp w0, 31", "cmp x0, 5", "cmp w1, w0", "cmp x1, x0",
  "cmp w0, w1", "cmp x2, x0", "cmp wzr, w1, lsl 25", "cnt v0.8b, v0.8b", "cnt v8.8b, v8.8b",
  "csel w0, w3, w2, eq", "csel w2, w2, w3, lt", "csel x0, x0, x1, eq", "csel w1, w2, w1, ne", "cset w0, mi",
  "cset w0, gt", "cset w0, ls", "cset w0, ge", "csetm w1, ne", "csetm x6, gt", "csetm x2, lt",
  "csetm w1, ge", "csinc w0, w0, wzr, gt", "csinc w0, w0, wzr, ne", "csinc w0, w0, wzr, cc",
  "csinc x0, x3, x5, eq", "csinv w0, w0, wzr, eq", "csneg x0, xzr, x0, mi", "csneg w0, w0, w1, mi",
  "csneg w5, w3, w3, ne", "csneg w4, w0, w4, mi", "dup v0.4s, w1", "dup v1.4s, w1", "eon w0, w0, w2",
  "eon w0, w0, w7", "eor w0, w0, 1", "eor x0, x0, 1", "eor w0, w0, -7", "eor w0, w0, 255", "eor w1, w1, w0",
  "eor x1, x1, x0", "eor w0, w2, w0", "eor x0, x2, x0", "eor w1, w0, w1, lsr 8", "eor x0, x3, x0, lsr 56",
  "eor w2, w4, w0, lsr 1", "eor x2, x2, x4, lsr 56", "eor v1.16b, v2.16b, v3.16b",
  "eor v1.16b, v2.16b, v4.16b", "ext v2.16b, v0.16b, v1.16b, #8", "ext v0.16b, v2.16b, v1.16b, #4",
  "extr x2, x2, x4, 63", "extr x0, x0, x1, 63", "fabs s1, s0", "fabs d0, d0", "fabs s0, s0", "fabs d1, d0",
  "fadd s0, s1, s0", "fadd d0, d1, d0", "fadd s1, s1, s0", "fadd d9, d9, d8", "fadd v1.2d, v1.2d, v0.2d",
  "fcmp s0, #0.0", "fcmp d0, #0.0", "fcmpe s1, s0", "fcmpe d0, d1", "fcmpe d0, #0.0", "fcmpe s0, s1",
  "fcsel d0, d0, d2, ge", "fcsel d1, d1, d3, ge", "fcvt d0, s0", "fcvtzs s0, s0", "fcvtzs d0, d0",
  "fcvtzs w0, d0", "fdiv s0, s1, s0", "fdiv d0, d1, d0", "fdiv s1, s1, s0", "fdiv d0, d0, d1",
  "fmov s0, 5.0e-1", "fmov d0, 5.0e-1", "fmov d0, d8", "fmov s2, s0", "fmov s1, w0", "fmov d1, x0",
  "fmov w0, s0", "fmov x1, d0", "fmul s1, s1, s0", "fmul d1, d1, d0", "fmul s0, s2, s0", "fmul d0, d2, d0",
  "fmul v0.2d, v0.2d, v2.2d", "fneg d1, d0", "fnmul d3, d0, d0", "fsub s0, s1, s0", "fsub d0, d1, d0",
  "fsub d8, d8, d1", "ins v0.s[1], w2", "ins v0.s[3], w2", "ins v1.d[1], v0.d[1]",
  "ld1 {v0.16b - v1.16b}, [x1]", "ld1 {v0.16b - v1.16b}, [x12]", "ld1 {v0.16b - v1.16b}, [x0], 32",
  "ld1 {v2.16b - v3.16b}, [x0], 32", "ld1r {v2.2s}, [x1], 4", "ld1r {v0.2d}, [x1], 8", "ldp q0, q1, [x1]",
  "ldp q0, q1, [x1, 32]", "ldp x19, x20, [sp, 16]", "ldp x29, x30, [sp]", "ldp x29, x30, [sp], 32",
  "ldp x29, x30, [sp], 48", "ldr w1, [sp, 28]", "ldr x1, [sp, 8]", "ldr x0, [sp]", "ldr s1, [sp, 12]",
  "ldr w1, [x19], 4", "ldr x1, [x19], 8", "ldr q1, [x2], 16", "ldr d0, [x1], 8", "ldr q0, [x0, 8]!",
  "ldr w0, [x1, 8]!", "ldr x12, [x0, 16]!", "ldr q0, [x27, 48]!", "ldr w0, [x0, x2, lsl 2]",
  "ldr w1, [x1, x0]", "ldr x3, [x0, x1, lsl 3]", "ldr x0, [x23, x0]", "ldrb w0, [sp, 15]", "ldrb w0, [x0]",
  "ldrb w0, [x0, #:lo12:.LANCHOR1+1024]", "ldrb w0, [x19, -26]", "ldrb w0, [x19], 1", "ldrb w2, [x1], 1",
  "ldrb w2, [x0, 1]!", "ldrb w1, [x0, 1]!", "ldrb w0, [x2, x0]", "ldrb w1, [x0, w1, sxtw]",
  "ldrb w1, [x22, w1, uxtw]", "ldrb w0, [x1, x0]", "ldrh w0, [sp, 14]", "ldrh w0, [x0]",
  "ldrh w0, [x0, #:lo12:.LANCHOR1+1024]", "ldrh w0, [x19, -8]", "ldrh w0, [x0, x1, lsl 1]",
  "ldrh w1, [x1, x0]", "ldrh w0, [x0, x2, lsl 1]", "ldrh w0, [x1, x0]", "ldrsb w0, [sp, 14]",
  "ldrsb w0, [x0]", "ldrsb x1, [sp, 63]", "ldrsb w1, [x0, #:lo12:.LANCHOR0+4]", "ldrsb w1, [x2], 1",
  "ldrsb w2, [x0], 1", "ldrsb w2, [x1, x0]", "ldrsb x0, [x21, x19]", "ldrsb w1, [x9, w1, sxtw]",
  "ldrsb w0, [x1, x0]", "ldrsh w0, [sp, 12]", "ldrsh w3, [x0]", "ldrsh x1, [sp, 70]", "ldrsh x0, [x20]",
  "ldrsh w0, [x0, x1, lsl 1]", "ldrsh w0, [x1, x0]", "ldrsh x0, [x21, x19, lsl 1]",
  "ldrsh w0, [x2, x0, lsl 1]", "ldrsw x1, [sp, 8]", "ldrsw x0, [x19]",
  "ldrsw x0, [x0, #:lo12:.LANCHOR1+1080]", "ldrsw x0, [x19, -21]", "ldrsw x2, [x1], 28",
  "ldrsw x0, [x24], 28", "ldrsw x0, [x21, x19, lsl 2]", "ldrsw x0, [x26, x20, lsl 2]", "lsl x0, x0, 2",
  "lsl w0, w0, 14", "lsl x0, x0, 3", "lsl w0, w0, 2", "lsl w0, w1, w0", "lsl x0, x1, x0", "lsl w0, w0, w1",
  "lsl x0, x3, x1", "lsr w0, w0, 1", "lsr x0, x0, 8", "lsr w1, w0, 8", "lsr x0, x0, 16", "lsr w0, w1, w0",
  "lsr x0, x1, x0", "lsr w0, w0, w1", "lsr x0, x23, x19", "madd x20, x20, x1, x0", "madd w2, w1, w2, w4",
  "madd x1, x2, x0, x1", "madd w1, w1, w3, w2", "mla v0.4s, v1.4s, v16.4s", "mla v0.2s, v2.2s, v1.2s",
  "mla v2.4s, v0.4s, v4.4s", "mls v0.4s, v1.4s, v6.4s", "mneg w0, w2, w0", "mneg w0, w1, w0", "mov w2, 127",
  "mov w0, -2147483648", "mov x0, -9223372036854775808", "mov x1, 9223372036854775807", "mov x29, sp",
  "mov x2, x0", "mov w21, w0", "mov x1, sp", "mov v0.16b, v5.16b", "mov v0.16b, v3.16b", "movi d9, #0",
  "movi d0, #0", "movi v0.2s, 0x27, lsl 24", "movi v0.4s, 0", "movi v4.16b, 0x1", "movi v0.2s, #0",
  "movk w0, 0xedb8, lsl 16", "movk x0, 0x77b, lsl 16", "movk w0, 0x9cc2, lsl 16", "movk x0, 0x1a2e, lsl 32",
  "msub w3, w5, w0, w3", "msub x1, x1, x3, x5", "msub w0, w0, w1, w2", "msub x1, x4, x2, x1",
  "mul w0, w1, w0", "mul x0, x1, x0", "mul w1, w2, w1", "mul x1, x2, x1", "mul v0.2s, v0.2s, v0.2s",
  "mul v0.4s, v0.4s, v1.4s", "mvn w0, w0", "mvn x0, x0", "mvn w19, w0", "mvn x1, x1",
  "mvni v0.2s, 0x81, lsl 24", "mvni v0.2s, 0x6", "mvni v0.4h, 0x9", "mvni v5.4s, 0x6", "neg w0, w0",
  "neg x0, x0", "neg w1, w1", "neg x0, x2", "neg w2, w2, asr 3", "neg w5, w3, lsr 2", "neg x2, x22, lsl 2",
  "neg w1, w1, asr 3", "neg v2.4s, v3.4s", "negs w1, w0", "negs w4, w19", "nop", "orn w0, w8, w0",
  "orr w0, w0, 240", "orr x2, x0, 1", "orr w0, w0, -2", "orr w0, w0, 8", "orr x2, x2, x0", "orr w0, w19, w0",
  "orr x1, x2, x1", "orr w0, w1, w0", "orr x0, x0, x3, lsr 40", "orr x1, x0, x1, lsl 7",
  "orr w0, w1, w0, lsr 31", "orr w0, w1, w0, lsl 20", "ret", "rev w0, w0", "rev w3, w1", "ror w4, w19, 25",
  "ror w4, w1, 25", "ror w0, w1, w0", "ror x0, x1, x0", "ror w0, w0, w1", "ror x0, x0, x1",
  "sbfiz x20, x24, 1, 32", "sbfiz w19, w0, 4, 4", "sbfiz x21, x25, 1, 32", "sbfiz w9, w2, 4, 4",
  "sbfx x0, x0, 0, 19", "sbfx w2, w2, 22, 8", "sbfx x0, x0, 19, 28", "scvtf s0, s0", "scvtf d0, d0",
  "scvtf d0, w0", "scvtf d0, w0, #16", "scvtf s1, w0", "scvtf d0, x1", "sdiv w2, w0, w1", "sdiv x0, x1, x0",
  "sdiv w0, w1, w0", "sdiv x2, x0, x1", "shl v0.4s, v2.4s, 1", "smaddl x1, w1, w12, x11",
  "smaddl x0, w1, w9, x0", "smulh x1, x0, x24", "smulh x0, x1, x0", "smull x1, w3, w1", "smull x1, w0, w1",
  "smull v1.2d, v0.2s, v3.2s", "smull2 v4.2d, v0.4s, v3.4s", "sshr v1.4s, v1.4s, 4",
  "st1 {v0.16b - v1.16b}, [x0]", "st1 {v0.d}[1], [x2]", "stp x29, x30, [sp]", "stp x19, x20, [sp, 16]",
  "stp q0, q1, [x0]", "stp q0, q1, [x0, 32]", "stp x29, x30, [sp, -32]!", "stp x29, x30, [sp, -48]!",
  "str w0, [sp, 28]", "str x0, [sp, 8]", "str x1, [sp]", "str s0, [sp, 12]", "str q0, [x1], 16",
  "str w0, [x2], 4", "str d0, [x0], 8", "str q0, [x0], 16", "str w9, [x0, 4]!", "str x19, [sp, -16]!",
  "str wzr, [x20, 80]!", "str x19, [sp, -32]!", "str w2, [x0, x1, lsl 2]", "str w2, [x1, x0]",
  "str x2, [x1, x0]", "str xzr, [x0, x1, lsl 3]", "strb w0, [sp, 15]", "strb w1, [x0]",
  "strb w1, [x0, -240]", "strb wzr, [x0, #:lo12:.LANCHOR0+18]", "strb w3, [x7], 1", "strb w3, [x8], 1",
  "strb w3, [x0, -1]!", "strb w2, [x1, x0]", "strb w3, [x6, w4, sxtw]", "strb w3, [x1, x0]",
  "strb w3, [x8, w2, sxtw]", "strh w0, [sp, 14]", "strh w3, [sp]", "strh w1, [x0, #:lo12:.LANCHOR1+1024]",
  "strh w0, [x1, -241]", "strh w2, [x1], 2", "strh w1, [x0], 2", "strh w2, [x1, x0]",
  "strh w3, [x0, x1, lsl 1]", "strh w3, [x2, x1]", "strh w2, [x4, x3, lsl 1]", "sub x21, x21, w27, sxtw",
  "sub w0, w0, w1, uxth", "sub x6, x2, w6, uxtw 2", "sub x0, x0, w25, sxtw", "sub sp, sp, #16",
  "sub w0, w0, #1", "sub x0, x0, #1", "sub x0, sp, #960", "sub w0, w1, w0", "sub x0, x1, x0",
  "sub sp, sp, x12", "sub w0, w0, w1", "sub x0, x1, x0, asr 63", "sub w1, w1, w3, asr 31",
  "sub w1, w4, w1, lsl 2", "sub x3, x3, x2, lsl 1", "sub v2.4s, v0.4s, v1.4s", "subs w1, w1, #1",
  "subs x4, x4, #1", "subs w0, w0, #1", "subs x2, x2, #1", "subs w1, w1, w2", "subs w0, w1, w0",
  "sxtb w0, w0", "sxtb x0, w0", "sxtb w1, w0", "sxtb x1, w0", "sxth w0, w0", "sxth x1, w0", "sxth w20, w0",
  "sxth x0, w0", "sxtl2 v0.8h, v0.16b", "sxtl2 v0.4s, v0.8h", "sxtl2 v0.2d, v0.4s", "sxtw x0, w21",
  "sxtw x0, w0", "tbnz x1, 0, .L14", "tbnz w5, #31, .L12", "tbnz x1, 0, .L9", "tbnz w2, #31, .L8",
  "tbz x0, 7, .L39", "tbz w0, #31, .L7", "tbz x0, #63, .L10", "tbz w1, #31, .L29", "tst x0, 1",
  "tst w2, 255", "tst x1, 1", "tst w1, 255", "tst w2, w3", "tst x1, x0", "tst w2, w7", "tst x0, x1",
  "uaddw v0.4s, v0.4s, v2.4h", "uaddw v0.4s, v0.4s, v1.4h", "uaddw2 v0.4s, v0.4s, v1.8h",
  "ubfiz w0, w0, 2, 14", "ubfiz x0, x0, 16, 14", "ubfiz w0, w0, 7, 9", "ubfiz x3, x3, 9, 10",
  "ubfx x0, x19, 8, 8", "ubfx w7, w0, 8, 8", "ubfx x0, x19, 16, 8", "ubfx w6, w0, 16, 8", "udiv w2, w0, w1",
  "udiv x2, x0, x1", "udiv w0, w1, w0", "udiv x0, x1, x0", "umaddl x2, w3, w1, x2", "umov x0, v0.d[0]",
  "umulh x2, x3, x7", "umulh x2, x3, x8", "umull x3, w1, w13", "umull x2, w2, w5", "ushr v2.4s, v0.4s, 1",
  "ushr v3.4s, v2.4s, 3", "uxtl v2.8h, v1.8b", "uxtl v3.8h, v1.8b", "uxtl2 v1.8h, v1.16b",
  "uxtl2 v0.4s, v2.8h", "uxtl2 v0.4s, v3.8h", "uxtw x2, w2", "uxtw x0, w0", "uzp1 v3.4s, v3.4s, v6.4s",
  "uzp1 v0.8h, v0.8h, v3.8h", "uzp1 v0.16b, v0.16b, v1.16b", "uzp1 v1.4s, v1.4s, v5.4s",
  "uzp2 v1.4s, v1.4s, v4.4s",
];

const CONDS = ['eq', 'ne', 'cs', 'cc', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];

/** Synthesized instances: operand variants (widths, shifts, extends, modes, conditions). */
export const SYNTH_INSTANCES: readonly string[] = [
  // add/subtract with flags, carries, shifted and extended operands
  'adds x0, x1, #4095', 'adds x0, x1, #1, lsl 12', 'subs w0, w1, #4095, lsl 12', 'cmp x1, #4095', 'cmn w1, #1, lsl 12',
  'adds x0, x1, x2, asr 63', 'subs w0, w1, w2, lsl 31', 'adds x0, x1, w2, sxtw 4', 'subs x3, x4, w5, uxtb 1',
  'cmp x1, w2, sxtw', 'cmn x1, x2, lsr 7', 'add w0, wsp, w1', 'sub x0, sp, x1, lsl 2', 'add x0, x1, x2, sxtx 3', 'sub w0, w1, w2, sxth 4',
  'adc x0, x1, x2', 'adc w0, w1, w2', 'sbc x0, x1, x2', 'sbc w0, w1, w2', 'adcs x0, x1, x2', 'adcs w0, w1, w2', 'sbcs x0, x1, x2',
  'sbcs w0, w1, w2', 'ngc x0, x1', 'ngcs w0, w1', 'neg x0, x1, lsl 3', 'negs x0, x1, asr 2', 'negs x0, x1',
  // logical
  'and x0, x1, 0x5555555555555555', 'orr w0, w1, 0xff00ff00', 'eor x0, x1, 0xfffffffffffffff0', 'ands x0, x1, 0x8000000000000000',
  'bic w0, w1, w2, ror 7', 'orn x0, x1, x2, asr 3', 'eon x0, x1, x2, ror 63', 'ands w0, w1, w2, lsr 5', 'bics x0, x1, x2, lsl 4',
  'bics w0, w1, w2', 'tst x0, x1, ror 13', 'tst w0, 0x80000000', 'mvn x0, x1, lsl 4', 'orr x0, xzr, x1', 'and wsp, w1, 0xfffffff0',
  // moves
  'mov sp, x1', 'mov x0, 0x12340000', 'mov x0, -1', 'mov w0, -1', 'movz x0, 0x1234, lsl 48', 'movz w0, 0xffff', 'movn w0, 0x1234, lsl 16',
  'movn x0, 0', 'movk x0, 0xbeef, lsl 48', 'movk w0, 0x8000', 'movk x0, #:abs_g0_nc:gdata', 'movk x0, #:abs_g1_nc:gdata',
  // shifts
  'lsl x0, x1, 63', 'lsr w0, w1, 31', 'asr x0, x1, 1', 'ror x0, x1, 1', 'lsl w0, w1, 1', 'asr w0, w1, 31',
  'lslv x0, x1, x2', 'lsrv w0, w1, w2', 'asrv w0, w1, w2', 'rorv x0, x1, x2', 'asr w0, w1, w2', 'lsl x0, x0, x0',
  // multiply and divide
  'mneg x0, x1, x2', 'smnegl x0, w1, w2', 'umnegl x0, w1, w2', 'smsubl x0, w1, w2, x3', 'umsubl x0, w1, w2, x3',
  'umaddl x0, w1, w2, x3', 'madd w0, w1, w2, wzr', 'msub x0, x1, x2, x3', 'smulh x0, x1, x1', 'umulh x0, x1, x2', 'sdiv x0, x0, x0',
  // extensions and bit fields
  'uxtb w0, w1', 'uxth w0, w1', 'sxtb x0, w1', 'sxth w0, w1', 'ubfm x0, x1, 60, 3', 'sbfm w0, w1, 31, 31', 'bfm x0, x1, 8, 15',
  'bfm w0, w1, 20, 3', 'sbfm x0, x1, 3, 62', 'ubfm w0, w1, 0, 31', 'bfxil w0, w1, 3, 9', 'bfxil x0, x1, 40, 24', 'bfc w0, 3, 7',
  'bfc x0, 60, 4', 'sbfx w0, w1, 0, 32', 'ubfx x0, x1, 63, 1', 'sbfiz x0, x1, 63, 1', 'bfi x0, x1, 0, 64', 'ubfiz w0, w1, 31, 1',
  'sbfx x0, x1, 1, 63', 'extr w0, w1, w2, 13', 'extr x0, x1, x2, 0', 'extr w0, w1, w1, 31',
  'clz w0, w1', 'clz x0, x1', 'cls w0, w1', 'cls x0, x1', 'rbit w0, w1', 'rbit x0, x1', 'rev x0, x1', 'rev16 w0, w1', 'rev16 x0, x1',
  'rev32 x0, x1',
  // conditional select and compare
  ...CONDS.map((c) => `csel x0, x1, x2, ${c}`), ...CONDS.map((c) => `cset w0, ${c}`),
  'csinc x0, x1, x2, hi', 'csinv w0, w1, w2, ls', 'csinv x0, x1, xzr, vs', 'csneg x0, x1, x2, ge', 'csetm x0, cc',
  'cinc x0, x1, lt', 'cinv w0, w1, lt', 'cinv x0, x1, mi', 'cneg x0, x1, vs', 'cneg w0, w1, le',
  'ccmp x1, x2, 15, hi', 'ccmp w1, w2, 0, vs', 'ccmn w1, w2, 2, vc', 'ccmn w1, 31, 8, lt', 'ccmn x1, 0, 5, cs', 'ccmp x1, 17, 10, ls',
  // loads and stores
  'ldur x0, [x1, -3]', 'ldurb w0, [x1, 255]', 'ldursw x0, [x1, -1]', 'ldursh w0, [x1, 1]', 'ldursb x0, [x1, -256]',
  'ldurh w0, [x1, 7]', 'ldursh x0, [x1, -7]', 'ldursb w0, [x1, 3]', 'stur w0, [x1, -5]', 'sturb w0, [x1, 3]', 'sturh w0, [x1, -2]',
  'stur q0, [x1, 1]', 'ldur d0, [x1, -8]', 'ldur q3, [x1, 9]', 'stur s1, [x2, 3]',
  'ldr b0, [x1, 3]', 'ldr h0, [x1]', 'str b1, [x2]', 'str h1, [x2, 2]', 'ldr q0, [x1, x2, lsl 4]', 'ldr d0, [x1, w2, uxtw 3]',
  'ldr x0, [x1, w2, sxtw]', 'ldr x0, [x1, x2, sxtx 3]', 'ldrsw x0, [x1, w2, uxtw 2]', 'ldrsh x0, [x1, 2]!', 'ldrsb w0, [x1], -1',
  'ldrh w0, [x1], 2', 'ldrh w0, [x1, 2]!', 'strh w0, [x1, -2]!', 'ldrsb x0, [x1, 1]!', 'str q1, [x2, -16]!', 'ldr s0, [x1], -4',
  'str s0, [x1, w2, sxtw 2]', 'ldr x0, [sp, 32760]', 'strb w0, [x1, 4095]', 'ldrb w0, [x1, x2, lsl 0]',
  'ldpsw x0, x1, [x2, 8]', 'ldpsw x0, x1, [x2], 8', 'ldpsw x3, x4, [x2, -8]!', 'ldp d0, d1, [x2, -16]!', 'stp s0, s1, [x2], 8',
  'stp q0, q1, [sp, -32]!', 'ldp q2, q3, [x1], 32', 'ldp w0, w1, [x2, -8]!', 'stp w0, w1, [x2], -8', 'ldnp x0, x1, [x2]',
  'stnp q0, q1, [x2, 32]', 'ldp s2, s3, [x1, 252]', 'stp d2, d3, [x1, -512]',
  'ldr x0, gdata', 'ldr w1, gdata2', 'ldrsw x0, gdata', 'ldr d0, gdata2', 'ldr q0, gdata', 'ldr s0, gdata3',
  'ldr x0, [x1, #:got_lo12:gdata]', 'add x0, x0, :lo12:gdata+8', 'ldr w0, [x0, #:lo12:gdata3]', 'str x1, [x0, #:lo12:gdata2]',
  'adrp x0, gdata3', 'adrp x0, gdata+4096', 'adr x0, gdata2', 'adrp x1, :got:gdata2',
  // control flow
  ...CONDS.map((c) => `b${c === 'hs' || c === 'lo' ? '.' : ''}${c} .Ltarget`), 'b.al .Ltarget', 'b.ne .Ltarget',
  'cbz x1, .Ltarget', 'cbnz w1, .Ltarget', 'tbz w0, 5, .Ltarget', 'tbnz x0, 40, .Ltarget', 'tbnz w3, 0, .Ltarget',
  'b abort', 'bl .Ltarget', 'ret x1', 'blr x30', 'br x17', 'ret x30', 'brk #0', 'nop', 'hint #0', 'dmb ish', 'isb', 'yield',
  // scalar floating point
  'fmov s0, -2.5e-1', 'fmov d0, 3.1e+1', 'fmov d1, x30', 'fmov s0, wzr', 'fmov d0, xzr', 'fmov x1, d31', 'fmov w1, s31', 'fmov d3, d4',
  'fmov s3, 1.9375e+0', 'fmov d3, -1.25e-1',
  'fnmul s0, s1, s2', 'fmax s0, s1, s2', 'fmax d0, d1, d2', 'fmin s0, s1, s2', 'fmin d0, d1, d2', 'fmaxnm s0, s1, s2', 'fmaxnm d0, d1, d2',
  'fminnm s0, s1, s2', 'fminnm d0, d1, d2', 'fmadd s0, s1, s2, s3', 'fmadd d0, d1, d2, d3', 'fmsub s0, s1, s2, s3', 'fmsub d0, d1, d2, d3',
  'fnmadd s0, s1, s2, s3', 'fnmadd d0, d1, d2, d3', 'fnmsub s0, s1, s2, s3', 'fnmsub d0, d1, d2, d3', 'fsqrt s0, s1', 'fsqrt d0, d1',
  'fabs s0, s1', 'fneg s0, s1', 'fadd d0, d1, d1', 'fsub s0, s1, s2', 'fdiv s0, s1, s2', 'fmul d0, d1, d2',
  'frintn s0, s1', 'frintn d0, d1', 'frintp s0, s1', 'frintp d0, d1', 'frintm s0, s1', 'frintm d0, d1', 'frintz s0, s1', 'frintz d0, d1',
  'frinta s0, s1', 'frinta d0, d1', 'frintx d0, d1', 'frinti s0, s1',
  'fccmp s0, s1, 4, ne', 'fccmp d0, d1, 15, ge', 'fccmpe d0, d1, 0, lt', 'fccmpe s0, s1, 2, hi', 'fcsel s0, s1, s2, vs', 'fcsel d0, d1, d2, lt',
  'fcmp s0, s1', 'fcmp d0, d1', 'fcmpe s0, #0.0', 'fcmp d3, #0.0', 'fcvt s0, d1', 'fcvt d0, s1',
  'scvtf s0, x1', 'scvtf s0, w1', 'scvtf d0, x1', 'ucvtf d0, x1', 'ucvtf s0, w1', 'ucvtf s0, x1', 'ucvtf d0, w1', 'ucvtf d0, d1', 'ucvtf s0, s1',
  'fcvtzs x0, s1', 'fcvtzs w0, s1', 'fcvtzs x0, d1', 'fcvtzu w0, d1', 'fcvtzu x0, d1', 'fcvtzu w0, s1', 'fcvtzu x0, s1', 'fcvtzu s0, s1', 'fcvtzu d0, d1',
  'scvtf s0, w1, #1', 'ucvtf s0, x1, #64', 'ucvtf d0, w1, #32', 'fcvtzs w0, d1, #8', 'fcvtzu x0, s1, #32', 'fcvtzs x0, d1, #64',
  'fcvtas w0, d1', 'fcvtau x0, s1', 'fcvtms x0, d1', 'fcvtmu w0, s1', 'fcvtns w0, s1', 'fcvtnu x0, d1', 'fcvtps x0, s1', 'fcvtpu w0, d1',
  // Advanced SIMD
  'movi v0.16b, 0xff', 'movi v1.8b, 0x80', 'movi v0.4h, 0x12, lsl 8', 'movi v0.8h, 0x34', 'movi v0.4s, 0x12, msl 8',
  'movi v0.2s, 0x7f, msl 16', 'movi v0.2d, 0xff00ff0000ff00ff', 'movi d0, 0xffffffff00000000', 'mvni v0.4s, 0x12, msl 16',
  'mvni v0.8h, 0x12, lsl 8', 'orr v0.4s, 0x12, lsl 8', 'bic v0.8h, 0xff', 'orr v0.2s, 0x1', 'bic v0.4s, 0x80, lsl 24',
  'orr v0.8b, v1.8b, v2.8b', 'bic v0.16b, v1.16b, v2.16b', 'orn v0.16b, v1.16b, v2.16b', 'mvn v0.16b, v1.16b', 'not v0.8b, v1.8b',
  'bit v0.16b, v1.16b, v2.16b', 'bif v0.8b, v1.8b, v2.8b', 'and v0.8b, v1.8b, v2.8b', 'eor v0.8b, v1.8b, v2.8b', 'mov v0.8b, v1.8b',
  'add v0.8h, v1.8h, v2.8h', 'sub v0.2d, v1.2d, v2.2d', 'sub v0.8b, v1.8b, v2.8b', 'mul v0.8h, v1.8h, v2.8h', 'mul v0.16b, v1.16b, v2.16b',
  'cmeq v0.16b, v1.16b, v2.16b', 'cmeq v0.2d, v1.2d, #0', 'cmge v0.4s, v1.4s, v2.4s', 'cmgt v0.8h, v1.8h, v2.8h', 'cmhi v0.2d, v1.2d, v2.2d',
  'cmhs v0.16b, v1.16b, v2.16b', 'cmtst v0.4s, v1.4s, v2.4s', 'cmle v0.4s, v1.4s, #0', 'cmlt v0.8h, v1.8h, #0', 'cmgt v0.2s, v1.2s, #0',
  'smax v0.4s, v1.4s, v2.4s', 'umin v0.8h, v1.8h, v2.8h', 'umax v0.16b, v1.16b, v2.16b', 'smin v0.2s, v1.2s, v2.2s',
  'mla v0.8h, v1.8h, v2.8h', 'mls v0.16b, v1.16b, v2.16b', 'neg v0.2d, v1.2d', 'abs v0.4s, v1.4s', 'cnt v0.16b, v1.16b',
  'shl v0.2d, v1.2d, 63', 'ushr v0.16b, v1.16b, 8', 'sshr v0.8h, v1.8h, 16', 'sshr v0.2d, v1.2d, 1', 'shl v0.8b, v1.8b, 7',
  'sxtl v0.8h, v1.8b', 'uxtl v0.2d, v1.2s', 'sxtl v0.4s, v1.4h', 'uxtl2 v0.2d, v1.4s',
  'saddw v0.8h, v1.8h, v2.8b', 'usubw2 v0.4s, v1.4s, v2.8h', 'ssubw v0.2d, v1.2d, v2.2s', 'saddw2 v0.2d, v1.2d, v2.4s',
  'umull v0.2d, v1.2s, v2.2s', 'smull v0.8h, v1.8b, v2.8b', 'umull2 v0.4s, v1.8h, v2.8h', 'uaddl v0.8h, v1.8b, v2.8b', 'saddl2 v0.2d, v1.4s, v2.4s',
  'addv h0, v1.8h', 'addv b0, v1.16b', 'umaxv s0, v1.4s', 'sminv b0, v1.8b', 'uminv h0, v1.4h', 'smaxv h0, v1.8h',
  'addp v0.4s, v1.4s, v2.4s', 'addp v0.8b, v1.8b, v2.8b',
  'zip1 v0.4s, v1.4s, v2.4s', 'zip2 v0.8b, v1.8b, v2.8b', 'trn1 v0.8h, v1.8h, v2.8h', 'trn2 v0.2d, v1.2d, v2.2d', 'uzp2 v0.16b, v1.16b, v2.16b',
  'uzp1 v0.2s, v1.2s, v2.2s', 'ext v0.8b, v1.8b, v2.8b, 3', 'ext v0.16b, v1.16b, v2.16b, 15',
  'ins v0.b[15], w1', 'ins v0.h[3], w1', 'ins v0.d[0], x1', 'mov v0.s[2], w1', 'mov v0.b[1], v1.b[7]', 'mov v0.d[1], x1',
  'mov x0, v1.d[1]', 'mov w0, v1.s[3]', 'umov w0, v1.b[9]', 'umov w0, v1.h[2]', 'smov x0, v1.b[3]', 'smov w0, v1.h[7]', 'smov x0, v1.s[1]',
  'dup v0.16b, w1', 'dup v0.2d, x1', 'dup v0.8h, v1.h[3]', 'dup v0.4s, v1.s[2]', 'dup s0, v1.s[2]', 'mov d0, v1.d[1]', 'dup v0.8b, w1',
  'ld1 {v0.4s}, [x1]', 'ld1 {v0.2d - v3.2d}, [x1], 64', 'st1 {v0.4s - v2.4s}, [x1], x2', 'ld1 {v0.s}[3], [x1]', 'st1 {v1.b}[7], [x1], 1',
  'ld1 {v4.8b}, [x1], x3', 'st1 {v2.2s - v3.2s}, [sp]', 'ld1 {v0.h}[5], [x1], 2',
  'ld1r {v0.4s}, [x1]', 'ld1r {v0.16b}, [x1], x2', 'ld1r {v0.8h}, [x1], 2',
  'and x0, x1, x2, lsl 7', 'and w0, w1, w2, ror 31', 'ccmn x1, x2, 3, eq', 'ccmp w1, w2, 12, ge', 'cmn x1, w2, uxth 2',
  'fcvtas d0, d1', 'fcvtms s0, s1', 'fcvtns d0, d1', 'fcvtps s0, s1', 'fcvtau s0, s1', 'fcvtmu d0, d1', 'fcvtnu s0, s1', 'fcvtpu d0, d1',
  'ldrsh w0, [x1], -2', 'ldrsw x0, [x1, 4]!', 'rev64 x0, x1', 'saddl v0.4s, v1.4h, v2.4h', 'ssubw2 v0.8h, v1.8h, v2.16b',
  'uaddl2 v0.2d, v1.4s, v2.4s', 'usubw v0.4s, v1.4s, v2.4h', 'prfm pldl1keep, [x1, 8]', 'prfm pstl2strm, [x1, x2, lsl 3]',
  'bti c', 'dsb sy', 'prfm pldl1keep, gdata2', 'udf #1', 'hlt #0', 'movz x0, #:abs_g1:gdata', 'movz w0, #:abs_g0_nc:gdata2',
  'fadd v0.4s, v1.4s, v2.4s', 'fsub v0.2s, v1.2s, v2.2s', 'fmul v0.4s, v1.4s, v2.4s', 'fdiv v0.2d, v1.2d, v2.2d', 'fsub v0.2d, v1.2d, v2.2d',
];

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** Where the instances are linked, 4 bytes apart; the mapped code region. */
export const CODE_BASE = 0x100000n;
export const CODE_SIZE = 0x10000;
/** Branch targets (labels and functions) sit here, inside tbz's +-32 KiB range. */
const LABEL_BASE = CODE_BASE + 0x6000n;
/** The mapped data region: every memory access of a test state lands in it. */
export const DATA_BASE = 0x140000n;
export const DATA_SIZE = 0x1000;

/** One instance, parsed, with the text Unicorn gets (symbols renamed to linkable names). */
export interface Instance {
  readonly text: string;
  readonly insn: Instruction<'aarch64'>;
  /** Address of its encoding. */
  readonly addr: bigint;
  /** The renamed text handed to the assembler. */
  readonly asmText: string;
}

/** Symbol addresses: one table for both Unicorn's link and our machines' `symbol()`. */
export class SymbolTable {
  readonly addresses = new Map<string, bigint>();
  /** Our name -> linker name. */
  readonly linkNames = new Map<string, string>();
  private labels = 0;
  private data = 0;

  /** The linker name of a symbol, allocating an address the first time. */
  link(name: string, kind: 'label' | 'data'): string {
    let l = this.linkNames.get(name);
    if (l !== undefined) return l;
    l = `gns_sym_${this.linkNames.size}`;
    this.linkNames.set(name, l);
    // Data symbols get varied low 12 bits (for :lo12:) and stay inside the data region.
    const addr = kind === 'label' ? LABEL_BASE + BigInt(8 * this.labels++) : DATA_BASE + 0x40n + BigInt((0x1a8 * this.data++) % (DATA_SIZE - 0x100));
    this.addresses.set(name, addr);
    return l;
  }
}

function renameExpr(e: Expr, syms: SymbolTable, kind: 'label' | 'data'): Expr {
  switch (e.kind) {
    case 'sym':
      return { kind: 'sym', name: syms.link(e.name, kind) };
    case 'num':
      return e;
    case 'paren':
      return { ...e, inner: renameExpr(e.inner, syms, kind) };
    case 'unary':
      return { ...e, arg: renameExpr(e.arg, syms, kind) };
    case 'binary':
      return { ...e, left: renameExpr(e.left, syms, kind), right: renameExpr(e.right, syms, kind) };
    case 'reloc': {
      // The GOT slot of s is the data symbol `got:s`: the same instruction encodings (adrp,
      // ldr with a lo12 offset) address it without asking the linker for a GOT.
      if ((e.op === 'got' || e.op === 'got_lo12') && e.arg.kind === 'sym') {
        const slot: Expr = { kind: 'sym', name: syms.link('got:' + e.arg.name, 'data') };
        return e.op === 'got' ? slot : { ...e, op: 'lo12', arg: slot };
      }
      return { ...e, arg: renameExpr(e.arg, syms, kind) };
    }
  }
}

function renameOperand(op: Operand<'aarch64'>, syms: SymbolTable, branch: boolean): Operand<'aarch64'> {
  switch (op.kind) {
    case 'sym': {
      const e = renameExpr(op.expr, syms, branch ? 'label' : 'data');
      // `adrp x0, :got:s` after renaming is a bare symbol.
      return { kind: 'sym', expr: e };
    }
    case 'imm':
      return { ...op, expr: renameExpr(op.expr, syms, 'data') };
    case 'mem':
      return op.offset ? ({ ...op, offset: renameExpr(op.offset, syms, 'data') } as MemOperand<'aarch64'>) : op;
    default:
      return op;
  }
}

/** Parses the instance texts, lays them out from CODE_BASE and renames their symbols. */
export function makeInstances(texts: readonly string[], syms: SymbolTable): Instance[] {
  const out: Instance[] = [];
  for (const text of texts) {
    const { program, diagnostics } = parseAsm(`\t${text}\n`, { isa: 'aarch64', file: 'instance.s' });
    const insn = program.statements.find((s) => s.kind === 'insn') as Instruction<'aarch64'> | undefined;
    if (!insn || diagnostics.some((d) => d.severity === 'error')) throw new Error(`instance does not parse: ${text}: ${diagnostics.map((d) => d.message).join('; ')}`);
    const info = describeAarch64(insn);
    const branch = !('error' in info) && info.control !== 'none';
    const renamed: Instruction<'aarch64'> = { ...insn, operands: insn.operands.map((o) => renameOperand(o, syms, branch)) };
    out.push({ text, insn, addr: CODE_BASE + BigInt(4 * out.length), asmText: printAarch64(renamed, false) });
  }
  return out;
}

const TOOL_TIMEOUT_MS = 60_000;

/**
 * Assembles and links all instances in one go (one `as`, one `ld`, one `objcopy`), with every
 * symbol defined at its table address, and returns the code image loaded at CODE_BASE. Linking
 * is needed because adrp, `:lo12:` and branches to symbols leave relocations that raw
 * assembly cannot resolve.
 */
export async function linkInstances(instances: readonly Instance[], syms: SymbolTable): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'gns-sem-a64-'));
  try {
    const s = join(dir, 'i.s');
    const o = join(dir, 'i.o');
    const elf = join(dir, 'i.elf');
    const bin = join(dir, 'i.bin');
    await writeFile(s, '\t.text\n' + instances.map((i) => `\t${i.asmText}\n`).join(''), 'latin1');
    const steps: [string, string[]][] = [
      ['aarch64-linux-gnu-as', ['-EL', '-mabi=lp64', '-march=armv8.2-a', '-o', o, s]],
      ['aarch64-linux-gnu-ld', ['-o', elf, `-Ttext=0x${CODE_BASE.toString(16)}`, '-e', `0x${CODE_BASE.toString(16)}`, '--no-relax',
        ...[...syms.linkNames].map(([name, l]) => `--defsym=${l}=0x${syms.addresses.get(name)!.toString(16)}`), o]],
      ['aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', elf, bin]],
    ];
    for (const [cmd, args] of steps) {
      const r = await run(cmd, args, { timeout: TOOL_TIMEOUT_MS });
      if (r.timedOut || r.code !== 0) throw new Error(`${cmd} failed: ${r.timedOut ? 'timeout' : r.stderr}`);
    }
    const code = new Uint8Array(await readFile(bin));
    if (code.length !== 4 * instances.length) throw new Error(`linked ${code.length} bytes for ${instances.length} instances`);
    return code;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Random states
// ---------------------------------------------------------------------------------------------

/** An initial machine state: every state register, and the data region's bytes. */
export interface DiffState {
  readonly regs: Map<string, bigint>;
  readonly mem: Uint8Array;
  /** Where the instance's memory access (if any) lands: the bytes worth checking symbolically. */
  readonly window?: { readonly addr: bigint; readonly size: number };
}

const M64 = mask(64);
const FLOAT_VIEW = new DataView(new ArrayBuffer(8));

function u64(rng: Rng): bigint {
  return (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32());
}

const INT_EDGES: readonly bigint[] = [
  0n, 1n, 2n, mask(64), mask(64) - 1n, 1n << 63n, (1n << 63n) - 1n, 1n << 31n, (1n << 31n) - 1n, mask(32), 1n << 32n,
  31n, 32n, 33n, 63n, 64n, 65n, 127n, 128n, 255n, 0xffffn, 0x8000n, 0x80n, 0xffffffff80000000n, 0xffffffff7fffffffn, 0xffff_ffff_ffff_ff80n,
];

/** A 64-bit value biased to edges: small, extreme, sign boundaries at 8/16/32/64 bits. */
export function edgyInt(rng: Rng): bigint {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return rng.pick(INT_EDGES);
    case 2:
      return (BigInt(rng.int(130)) - 2n) & M64;
    case 3: // a 32-bit edge with random upper half, to catch w-register leaks
      return (BigInt(rng.nextU32()) << 32n) | (rng.pick(INT_EDGES) & mask(32));
    default:
      return u64(rng);
  }
}

const F32_EDGES: readonly bigint[] = [
  0n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc00001n, 0x7f800001n, 0xff812345n, 0x7fbfffffn, 0x00000001n, 0x807fffffn,
  0x00800000n, 0x3f800000n, 0xbf800000n, 0x7f7fffffn, 0x4b000000n, 0x3effffffn, 0x3f000000n, 0xbf000000n, 0x3fc00000n, 0xc0200000n,
  0x4f000000n, 0xcf000000n, 0x5f000000n, 0xdf000000n, 0x4effffffn, 0x4f800000n, 0xbf7fffffn,
];
const F64_EDGES: readonly bigint[] = [
  0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000123n, 0x7ff0000000000001n,
  0xfff4000000abcdefn, 1n, 0x800fffffffffffffn, 0x0010000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7fefffffffffffffn,
  0x4330000000000000n, 0x3fdfffffffffffffn, 0x3fe0000000000000n, 0xbfe0000000000000n, 0x3ff8000000000000n, 0xc004000000000000n,
  0x43e0000000000000n, 0xc3e0000000000000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0x41dfffffffc00000n, 0x43f0000000000000n,
  0x36a0000000000000n, 0x47efffffe0000000n, 0x47f0000000000000n, 0x3810000000000000n, 0x380fffffffffffffn,
];

/** A float bit pattern biased to specials: zeros, infinities, NaNs of both kinds, denormals, integers and halves. */
export function edgyFloat(rng: Rng, fw: 32 | 64): bigint {
  switch (rng.int(4)) {
    case 0:
    case 1:
      return rng.pick(fw === 32 ? F32_EDGES : F64_EDGES);
    case 2: {
      // Moderate values, half of them near integers, so arithmetic and rounding are interesting.
      const v = (rng.int(2) ? Math.round((rng.nextU32() / 2 ** 32 - 0.5) * 64) / 2 : (rng.nextU32() / 2 ** 32 - 0.5) * 2 ** (rng.int(80) - 40));
      const dv = FLOAT_VIEW;
      if (fw === 32) {
        dv.setFloat32(0, v);
        return BigInt(dv.getUint32(0));
      }
      dv.setFloat64(0, v);
      return dv.getBigUint64(0);
    }
    default:
      return fw === 32 ? BigInt(rng.nextU32()) : u64(rng);
  }
}

const F32_SPECIALS: readonly bigint[] = [0n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc12345n, 0x7f800001n, 0xff812345n, 0x00000001n, 0x3f800000n, 0xbf800000n];
const F64_SPECIALS: readonly bigint[] = [0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000012345n, 0x7ff0000000000001n, 0xfff4000000abcdefn, 1n, 0x3ff0000000000000n, 0xbff0000000000000n];

/** A vector whose lanes of width fw are floats heavily biased to zeros, infinities and NaNs. */
function fpVector(rng: Rng, fw: 32 | 64): bigint {
  let v = 0n;
  for (let i = 0; i < 128 / fw; i++) {
    const lane = rng.int(5) < 2 ? rng.pick(fw === 32 ? F32_SPECIALS : F64_SPECIALS) : edgyFloat(rng, fw);
    v |= lane << BigInt(fw * i);
  }
  return v;
}

/** The FP lane width an instruction computes on (s/d registers, 2s/4s/2d vectors), if any. */
function fpHint(insn: Instruction<'aarch64'>): 32 | 64 | undefined {
  if (!/^(f|scvtf|ucvtf)/.test(insn.mnemonic)) return undefined;
  for (const op of insn.operands) {
    if (op.kind !== 'reg') continue;
    if (op.reg.file === 'fpr' && (op.reg.width === 32 || op.reg.width === 64)) return op.reg.width;
    if (op.reg.file === 'vec' && op.arrangement) return /s$/i.test(op.arrangement) ? 32 : 64;
  }
  return undefined;
}

/** A 128-bit vector register: FP-edgy lanes, integer-edgy lanes or random bits. */
function edgyVector(rng: Rng): bigint {
  switch (rng.int(4)) {
    case 0:
      return edgyFloat(rng, 64) | (edgyFloat(rng, 64) << 64n);
    case 1: {
      let v = 0n;
      for (let i = 0; i < 4; i++) v |= edgyFloat(rng, 32) << BigInt(32 * i);
      return v;
    }
    case 2: {
      let v = 0n;
      const esize = rng.pick([8, 16, 32, 64]);
      for (let i = 0; i < 128 / esize; i++) v |= (edgyInt(rng) & mask(esize)) << BigInt(esize * i);
      return v;
    }
    default:
      return u64(rng) | (u64(rng) << 64n);
  }
}

const GPRS = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp'];
const VREGS = Array.from({ length: 32 }, (_, i) => `v${i}`);

/** The memory operand of an instruction, if any (a register list's memory too). */
export function memOperand(insn: Instruction<'aarch64'>): MemOperand<'aarch64'> | undefined {
  return insn.operands.find((o): o is MemOperand<'aarch64'> => o.kind === 'mem');
}

/** Fills bytes [from, to) of the data image with random bytes. */
function randomBytes(rng: Rng, mem: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i += 4) {
    const w = rng.nextU32();
    for (let b = 0; b < 4 && i + b < to; b++) mem[i + b] = (w >>> (8 * b)) & 0xff;
  }
}

/** Random initial states for one instance (see {@link stateGenerator}). */
export interface StateGenerator {
  /** The registers each state randomizes; the others keep the background's values. */
  readonly touched: readonly string[];
  /** Register values and memory shared by every state of the instance. */
  readonly background: DiffState;
  next(): DiffState;
}

/**
 * Random initial states for an instance. A background state (every register edge-biased, a
 * random data region) is drawn once; each state then redraws the registers the instruction reads
 * or writes (edge-biased, with random NZCV), the bytes around its memory access (edge values
 * there), and sets the base register of a memory operand so that the access lands at a random
 * address in the middle of the data region.
 */
export function stateGenerator(rng: Rng, inst: Instance, syms: SymbolTable): StateGenerator {
  const regs = new Map<string, bigint>();
  for (const r of GPRS) regs.set(r, edgyInt(rng));
  for (const v of VREGS) regs.set(v, edgyVector(rng));
  regs.set('nzcv', BigInt(rng.int(16)));
  const mem = new Uint8Array(DATA_SIZE);
  randomBytes(rng, mem, 0, DATA_SIZE);
  const background: DiffState = { regs, mem };
  const info = describeAarch64(inst.insn);
  const touched = new Set<string>(['nzcv']);
  if (!('error' in info)) for (const id of [...info.reads, ...info.writes]) touched.add(id);
  const m = memOperand(inst.insn);
  const lit = inst.insn.operands.find((o) => o.kind === 'sym');
  const litAddr = lit && lit.kind === 'sym' && lit.expr.kind === 'sym' && /^(ldr|prfm)/.test(inst.insn.mnemonic) ? syms.addresses.get(lit.expr.name) : undefined;
  const fw = fpHint(inst.insn);
  const vector = (): bigint => (fw !== undefined && rng.int(4) !== 0 ? fpVector(rng, fw) : edgyVector(rng));
  return {
    touched: [...touched],
    background,
    next(): DiffState {
      const r = new Map(regs);
      for (const id of touched) r.set(id, id === 'nzcv' ? BigInt(rng.int(16)) : id.startsWith('v') ? vector() : edgyInt(rng));
      if (m) {
        const target = DATA_BASE + 0x400n + BigInt(rng.int(0x800));
        const data = mem.slice();
        const at = Number(target - DATA_BASE);
        randomBytes(rng, data, at - 64, at + 128);
        // Edge values where the access happens.
        for (let k = 0; k < 8; k++) {
          const v = rng.int(2) ? edgyInt(rng) : edgyFloat(rng, 64);
          for (let b = 0; b < 8; b++) data[at + 8 * k + b] = Number((v >> BigInt(8 * b)) & 0xffn);
        }
        // The offset (immediate, :lo12:, or extended index) with the base register at 0.
        const probe = new Machine(new ConcreteMemory(), syms.addresses, (id) => (id === m.base.id ? 0n : r.get(id) ?? 0n));
        let offset = 0n;
        if (m.mode !== 'post') offset = address(probe as never, inst.insn, { ...m, mode: 'offset' }).addr as unknown as bigint;
        r.set(m.base.id, (target - offset) & M64);
        return { regs: r, mem: data, window: { addr: target - 16n, size: 96 } };
      }
      if (litAddr !== undefined) {
        const data = mem.slice();
        randomBytes(rng, data, Number(litAddr - DATA_BASE), Number(litAddr - DATA_BASE) + 16);
        return { regs: r, mem: data, window: { addr: litAddr, size: 16 } };
      }
      return { regs: r, mem };
    },
  };
}
