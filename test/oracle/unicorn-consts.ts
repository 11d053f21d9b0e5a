// Unicorn 2.0.1 constants the oracle needs, transcribed from /usr/include/unicorn/{unicorn,arm64,
// riscv}.h (C enums with implicit numbering, so the numbers are easy to get wrong by hand).
// test/unicorn.test.ts re-derives every entry from the installed headers; keys are the C names
// with their prefix dropped (UC_ARM64_REG_X0 is UC_ARM64_REG.X0).

/** `uc_arch` values for the two ISAs we emulate. */
export const UC_ARCH = {
  ARM64: 2,
  RISCV: 8,
} as const;

/** `uc_mode` bits: both ISAs run little-endian; AArch64 needs no mode bit. */
export const UC_MODE = {
  LITTLE_ENDIAN: 0,
  ARM: 0,
  RISCV64: 8,
} as const;

/** `uc_err` codes, all of them, so any code Unicorn returns can be named. */
export const UC_ERR = {
  OK: 0,
  NOMEM: 1,
  ARCH: 2,
  HANDLE: 3,
  MODE: 4,
  VERSION: 5,
  READ_UNMAPPED: 6,
  WRITE_UNMAPPED: 7,
  FETCH_UNMAPPED: 8,
  HOOK: 9,
  INSN_INVALID: 10,
  MAP: 11,
  WRITE_PROT: 12,
  READ_PROT: 13,
  FETCH_PROT: 14,
  ARG: 15,
  READ_UNALIGNED: 16,
  WRITE_UNALIGNED: 17,
  FETCH_UNALIGNED: 18,
  HOOK_EXIST: 19,
  RESOURCE: 20,
  EXCEPTION: 21,
} as const;

/** `uc_query_type` values for `uc_query`. */
export const UC_QUERY = {
  MODE: 1,
  PAGE_SIZE: 2,
  ARCH: 3,
  TIMEOUT: 4,
} as const;

/** `uc_prot` page permissions for `uc_mem_map`. */
export const UC_PROT = {
  NONE: 0,
  READ: 1,
  WRITE: 2,
  EXEC: 4,
  ALL: 7,
} as const;

/** `uc_control_type` numbers (combine with {@link ucCtl} for `uc_ctl`). */
export const UC_CTL = {
  UC_MODE: 0,
  UC_PAGE_SIZE: 1,
  UC_ARCH: 2,
  UC_TIMEOUT: 3,
  CPU_MODEL: 7,
  TB_REQUEST_CACHE: 8,
  TB_REMOVE_CACHE: 9,
  TB_FLUSH: 10,
} as const;

/** The `UC_CTL_IO_*` direction bits of a `uc_ctl` request (`#define`s, not an enum). */
export const UC_CTL_IO = {
  NONE: 0,
  WRITE: 1,
  READ: 2,
} as const;

/**
 * Builds a `uc_control_type` the way the `UC_CTL(type, nr, rw)` macro does.
 *
 * @param type - a {@link UC_CTL} number.
 * @param nargs - how many variadic arguments follow in the `uc_ctl` call.
 * @param rw - a {@link UC_CTL_IO} direction.
 */
export function ucCtl(type: number, nargs: number, rw: number): number {
  return (type | (nargs << 26) | (rw << 30)) >>> 0;
}

/** AArch64 CPU models for `UC_CTL_CPU_MODEL`. */
export const UC_CPU_ARM64 = {
  A57: 0,
  A53: 1,
  A72: 2,
  MAX: 3,
} as const;

/** RISC-V 64 CPU models for `UC_CTL_CPU_MODEL`. */
export const UC_CPU_RISCV64 = {
  ANY: 0,
  BASE64: 1,
  SIFIVE_E51: 2,
  SIFIVE_U54: 3,
} as const;

/** `uc_arm64_reg` ids: GPRs, flags, system registers, and every FP/SIMD view (Q, V, D, S, H, B). */
export const UC_ARM64_REG = {
  X0: 199, X1: 200, X2: 201, X3: 202, X4: 203, X5: 204, X6: 205, X7: 206,
  X8: 207, X9: 208, X10: 209, X11: 210, X12: 211, X13: 212, X14: 213, X15: 214,
  X16: 215, X17: 216, X18: 217, X19: 218, X20: 219, X21: 220, X22: 221, X23: 222,
  X24: 223, X25: 224, X26: 225, X27: 226, X28: 227, X29: 1, X30: 2,
  SP: 4,
  XZR: 7,
  WZR: 6,
  NZCV: 3,
  PC: 260,
  PSTATE: 265,
  CPACR_EL1: 261,
  TPIDR_EL0: 262,
  TPIDRRO_EL0: 263,
  FPCR: 291,
  FPSR: 292,
  W0: 168, W1: 169, W2: 170, W3: 171, W4: 172, W5: 173, W6: 174, W7: 175,
  W8: 176, W9: 177, W10: 178, W11: 179, W12: 180, W13: 181, W14: 182, W15: 183,
  W16: 184, W17: 185, W18: 186, W19: 187, W20: 188, W21: 189, W22: 190, W23: 191,
  W24: 192, W25: 193, W26: 194, W27: 195, W28: 196, W29: 197, W30: 198,
  Q0: 104, Q1: 105, Q2: 106, Q3: 107, Q4: 108, Q5: 109, Q6: 110, Q7: 111,
  Q8: 112, Q9: 113, Q10: 114, Q11: 115, Q12: 116, Q13: 117, Q14: 118, Q15: 119,
  Q16: 120, Q17: 121, Q18: 122, Q19: 123, Q20: 124, Q21: 125, Q22: 126, Q23: 127,
  Q24: 128, Q25: 129, Q26: 130, Q27: 131, Q28: 132, Q29: 133, Q30: 134, Q31: 135,
  V0: 228, V1: 229, V2: 230, V3: 231, V4: 232, V5: 233, V6: 234, V7: 235,
  V8: 236, V9: 237, V10: 238, V11: 239, V12: 240, V13: 241, V14: 242, V15: 243,
  V16: 244, V17: 245, V18: 246, V19: 247, V20: 248, V21: 249, V22: 250, V23: 251,
  V24: 252, V25: 253, V26: 254, V27: 255, V28: 256, V29: 257, V30: 258, V31: 259,
  D0: 40, D1: 41, D2: 42, D3: 43, D4: 44, D5: 45, D6: 46, D7: 47,
  D8: 48, D9: 49, D10: 50, D11: 51, D12: 52, D13: 53, D14: 54, D15: 55,
  D16: 56, D17: 57, D18: 58, D19: 59, D20: 60, D21: 61, D22: 62, D23: 63,
  D24: 64, D25: 65, D26: 66, D27: 67, D28: 68, D29: 69, D30: 70, D31: 71,
  S0: 136, S1: 137, S2: 138, S3: 139, S4: 140, S5: 141, S6: 142, S7: 143,
  S8: 144, S9: 145, S10: 146, S11: 147, S12: 148, S13: 149, S14: 150, S15: 151,
  S16: 152, S17: 153, S18: 154, S19: 155, S20: 156, S21: 157, S22: 158, S23: 159,
  S24: 160, S25: 161, S26: 162, S27: 163, S28: 164, S29: 165, S30: 166, S31: 167,
  H0: 72, H1: 73, H2: 74, H3: 75, H4: 76, H5: 77, H6: 78, H7: 79,
  H8: 80, H9: 81, H10: 82, H11: 83, H12: 84, H13: 85, H14: 86, H15: 87,
  H16: 88, H17: 89, H18: 90, H19: 91, H20: 92, H21: 93, H22: 94, H23: 95,
  H24: 96, H25: 97, H26: 98, H27: 99, H28: 100, H29: 101, H30: 102, H31: 103,
  B0: 8, B1: 9, B2: 10, B3: 11, B4: 12, B5: 13, B6: 14, B7: 15,
  B8: 16, B9: 17, B10: 18, B11: 19, B12: 20, B13: 21, B14: 22, B15: 23,
  B16: 24, B17: 25, B18: 26, B19: 27, B20: 28, B21: 29, B22: 30, B23: 31,
  B24: 32, B25: 33, B26: 34, B27: 35, B28: 36, B29: 37, B30: 38, B31: 39,
} as const;

/** `uc_riscv_reg` ids: GPRs, PC, FP registers and the CSRs the oracle reads or sets. */
export const UC_RISCV_REG = {
  X0: 1, X1: 2, X2: 3, X3: 4, X4: 5, X5: 6, X6: 7, X7: 8,
  X8: 9, X9: 10, X10: 11, X11: 12, X12: 13, X13: 14, X14: 15, X15: 16,
  X16: 17, X17: 18, X18: 19, X19: 20, X20: 21, X21: 22, X22: 23, X23: 24,
  X24: 25, X25: 26, X26: 27, X27: 28, X28: 29, X29: 30, X30: 31, X31: 32,
  PC: 190,
  F0: 158, F1: 159, F2: 160, F3: 161, F4: 162, F5: 163, F6: 164, F7: 165,
  F8: 166, F9: 167, F10: 168, F11: 169, F12: 170, F13: 171, F14: 172, F15: 173,
  F16: 174, F17: 175, F18: 176, F19: 177, F20: 178, F21: 179, F22: 180, F23: 181,
  F24: 182, F25: 183, F26: 184, F27: 185, F28: 186, F29: 187, F30: 188, F31: 189,
  FFLAGS: 41,
  FRM: 42,
  FCSR: 43,
  MSTATUS: 116,
  MISA: 117,
} as const;
