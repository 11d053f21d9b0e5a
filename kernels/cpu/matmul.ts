// Single-precision GEMM for the CPU backend: C = op(A)·op(B) (+ C), op = identity or transpose.
// BLIS-style: op(B) is packed into 8-column panels (all of it beforehand, or panel by panel, see
// mmCompute), each chunk of C packs MR-row panels of op(A) into its thread's scratch, and an
// MR x 8 register-tile kernel runs over them.
//
// Two builds come from this file. Plain SIMD (cpu.wasm): a 5x8 tile, the largest whose 10
// accumulators, 2 B vectors, the broadcast A value and the product temporary fit V8's 15 usable
// xmm registers (6x8 and 4x12 spill and run ~30% slower). With relaxed SIMD (cpu-fma.wasm), fused
// multiply-adds need no temporary, so a 6x8 tile fits: 12 instructions do the work of 20 for 1.2x
// the flops. V8's code for this loop is bound by instruction issue, not by the FP units, so that
// is ~1.3x faster.
//
// Every element is summed as ((c + a0·b0) + a1·b1) + ... in k order (c = 0 unless accumulating),
// each step one multiply-add (rounded once with FMA, twice without), whatever the blocking, tile
// position or chunk: results are bit-identical for any thread count, and edge tiles run
// the same kernel on a zero-padded copy.

import { part, minI } from './common';

/** Whether this build uses fused multiply-adds (compiled with --enable relaxed-simd). */
const FMA: bool = ASC_FEATURE_RELAXED_SIMD;
const MR: i32 = FMA ? 6 : 5;
const NR: i32 = 8;
/** Depth of one packed block: a 6x256 A panel (6 KiB) and 8x256 B panel (8 KiB) stay in L1. */
const KC: i32 = 256;
/** Rows of A packed at once (a multiple of both tile heights): 120x256 floats (120 KiB) stay in
 *  L2 while B panels stream by. */
const MC: i32 = 120;

/** Bytes of per-thread scratch mmCompute needs: a packed A block, a B panel and an edge tile. */
export const MM_SCRATCH_BYTES: i32 = (MC * KC + KC * NR + MR * NR) * 4;
/** The register tile, MR rows by NR columns: the caller sizes chunks and packed B from it. */
export const MM_MR: i32 = MR;
export const MM_NR: i32 = NR;

/**
 * Packs op(B) (K x N) into panels of 8 columns, panel p at dst + p*K*8 floats, each [K][8],
 * zero-padded past column N. B is [K][N] row-major, or [N][K] when transB.
 */
export function mmPackB(b: usize, k: i32, n: i32, transB: i32, dst: usize, chunk: i32, chunks: i32): void {
  const panels = (n + NR - 1) / NR;
  const p1 = part(panels, chunk + 1, chunks);
  for (let p = part(panels, chunk, chunks); p < p1; p++) packBPanel(b, k, n, transB, p, 0, k, dst + (<usize>p * <usize>k * NR << 2));
}

/** Packs depth [pc, pc+kc) of the 8 columns of op(B) panel p into dst as [kc][8]. */
function packBPanel(b: usize, k: i32, n: i32, transB: i32, p: i32, pc: i32, kc: i32, dst: usize): void {
  const j = p * NR;
  const w = minI(NR, n - j);
  let d = dst;
  if (!transB) {
    const ld = <usize>n << 2;
    let s = b + <usize>pc * ld + (<usize>j << 2);
    if (w == NR) {
      for (let kk = 0; kk < kc; kk++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += ld;
        d += NR << 2;
      }
    } else {
      for (let kk = 0; kk < kc; kk++) {
        for (let jj = 0; jj < NR; jj++) store<f32>(d + (<usize>jj << 2), jj < w ? load<f32>(s + (<usize>jj << 2)) : 0);
        s += ld;
        d += NR << 2;
      }
    }
  } else {
    const ld = <usize>k << 2;
    const s = b + <usize>j * ld + (<usize>pc << 2);
    let kk = 0;
    if (w == NR) {
      // 4 k at a time: two 4x4 transposes of rows j..j+3 and j+4..j+7.
      for (; kk + 4 <= kc; kk += 4) {
        const o = <usize>kk << 2;
        transpose4(s + o, ld, d);
        transpose4(s + 4 * ld + o, ld, d + 16);
        d += NR << 4;
      }
    }
    for (; kk < kc; kk++) {
      for (let jj = 0; jj < NR; jj++) store<f32>(d + (<usize>jj << 2), jj < w ? load<f32>(s + <usize>jj * ld + (<usize>kk << 2)) : 0);
      d += NR << 2;
    }
  }
}

/** Reads 4 floats from each of 4 rows (stride ld) and writes them as 4 rows of an [4][8] panel. */
// @ts-ignore: decorator
@inline
function transpose4(s: usize, ld: usize, d: usize): void {
  const r0 = v128.load(s);
  const r1 = v128.load(s + ld);
  const r2 = v128.load(s + 2 * ld);
  const r3 = v128.load(s + 3 * ld);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), NR * 4);
  v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), NR * 8);
  v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), NR * 12);
}

/** Packs rows [i0, i0+mc) x depth [pc, pc+kc) of op(A) into 5-row panels [kc][5], zero-padded. */
function packA(a: usize, m: i32, k: i32, transA: i32, i0: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const h = minI(MR, mc - ip);
    let d = dst + (<usize>ip * <usize>kc << 2);
    const row = i0 + ip;
    if (!transA) {
      const ld = <usize>k << 2;
      let s = a + <usize>row * ld + (<usize>pc << 2);
      if (h == MR) {
        for (let kk = 0; kk < kc; kk++) {
          for (let ii = 0; ii < MR; ii++) store<f32>(d + (<usize>ii << 2), load<f32>(s + <usize>ii * ld));
          s += 4;
          d += MR << 2;
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          for (let ii = 0; ii < MR; ii++) store<f32>(d + (<usize>ii << 2), ii < h ? load<f32>(s + <usize>ii * ld) : 0);
          s += 4;
          d += MR << 2;
        }
      }
    } else {
      const ld = <usize>m << 2;
      let s = a + <usize>pc * ld + (<usize>row << 2);
      for (let kk = 0; kk < kc; kk++) {
        if (h == MR) {
          // 4 floats as one unaligned vector, then the rest.
          v128.store(d, v128.load(s));
          for (let ii = 4; ii < MR; ii++) store<f32>(d + (<usize>ii << 2), load<f32>(s + (<usize>ii << 2)));
        } else {
          for (let ii = 0; ii < MR; ii++) store<f32>(d + (<usize>ii << 2), ii < h ? load<f32>(s + (<usize>ii << 2)) : 0);
        }
        s += ld;
        d += MR << 2;
      }
    }
  }
}

/** The 5x8 tile of the plain build: c[5][8] (row stride ldc bytes) = (loadC ? c : 0) + ap·bp over kc. */
// Not inlined: in a function of its own the register allocator keeps all 14 vectors in registers.
// @ts-ignore: decorator
@noinline
function kernel5x8(ap: usize, bp: usize, c: usize, ldc: usize, kc: i32, loadC: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  if (loadC) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
    c40 = v128.load(c + 4 * ldc); c41 = v128.load(c + 4 * ldc, 16);
  }
  for (let kk = 0; kk < kc; kk++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 16);
    c40 = f32x4.add(c40, f32x4.mul(a, b0)); c41 = f32x4.add(c41, f32x4.mul(a, b1));
    ap += MR << 2;
    bp += NR << 2;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
  v128.store(c + 4 * ldc, c40); v128.store(c + 4 * ldc, c41, 16);
}

/** The 6x8 tile of the FMA build: c[6][8] = (loadC ? c : 0) + ap·bp over kc, one fused step per k. */
// @ts-ignore: decorator
@noinline
function kernel6x8(ap: usize, bp: usize, c: usize, ldc: usize, kc: i32, loadC: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  if (loadC) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
    c40 = v128.load(c + 4 * ldc); c41 = v128.load(c + 4 * ldc, 16);
    c50 = v128.load(c + 5 * ldc); c51 = v128.load(c + 5 * ldc, 16);
  }
  for (let kk = 0; kk < kc; kk++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
    a = v128.load32_splat(ap, 16);
    c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
    a = v128.load32_splat(ap, 20);
    c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
    ap += MR << 2;
    bp += NR << 2;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
  v128.store(c + 4 * ldc, c40); v128.store(c + 4 * ldc, c41, 16);
  v128.store(c + 5 * ldc, c50); v128.store(c + 5 * ldc, c51, 16);
}

// @ts-ignore: decorator
@inline
function kernel(ap: usize, bp: usize, c: usize, ldc: usize, kc: i32, loadC: bool): void {
  if (FMA) kernel6x8(ap, bp, c, ldc, kc, loadC);
  else kernel5x8(ap, bp, c, ldc, kc, loadC);
}

/**
 * One chunk of C[M][N] = op(A)·op(B) (+ C when accumulate). A is [M][K] row-major, or [K][M] when
 * transA; B as for mmPackB. With byRows the chunk is a band of rows and B was packed beforehand
 * into bPacked by mmPackB (every band reads all of it). Otherwise the chunk is a band of 8-column
 * panels, owned by this chunk alone, so it packs each B panel right before use, into L1-resident
 * scratch: small-M products then never write the packed B out to memory and read it back.
 * The calling thread packs into its own MM_SCRATCH_BYTES at scratchBase + thread * scratchStride.
 */
export function mmCompute(a: usize, b: usize, bPacked: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32, accumulate: i32, byRows: i32, scratchBase: usize, scratchStride: usize, chunk: i32, chunks: i32, thread: i32): void {
  const panels = (n + NR - 1) / NR;
  let i0 = 0, i1 = m, p0 = 0, p1 = panels;
  if (byRows) {
    i0 = part(m, chunk, chunks);
    i1 = part(m, chunk + 1, chunks);
  } else {
    p0 = part(panels, chunk, chunks);
    p1 = part(panels, chunk + 1, chunks);
  }
  if (i0 >= i1 || p0 >= p1) return;
  const scratch = scratchBase + <usize>thread * scratchStride;
  const bPanel = scratch + (<usize>(MC * KC) << 2);
  const tile = bPanel + (<usize>(KC * NR) << 2);
  const ldc = <usize>n << 2;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = minI(KC, k - pc);
    const loadC = accumulate != 0 || pc > 0;
    for (let ic = i0; ic < i1; ic += MC) {
      const mc = minI(MC, i1 - ic);
      packA(a, m, k, transA, ic, mc, pc, kc, scratch);
      for (let p = p0; p < p1; p++) {
        const j = p * NR;
        const w = minI(NR, n - j);
        let bp = bPanel;
        if (byRows) bp = bPacked + ((<usize>p * <usize>k + <usize>pc) * NR << 2);
        else packBPanel(b, k, n, transB, p, pc, kc, bPanel);
        for (let ip = 0; ip < mc; ip += MR) {
          const h = minI(MR, mc - ip);
          const ap = scratch + (<usize>ip * <usize>kc << 2);
          const cp = c + <usize>(ic + ip) * ldc + (<usize>j << 2);
          if (h == MR && w == NR) {
            kernel(ap, bp, cp, ldc, kc, loadC);
          } else {
            for (let ii = 0; ii < MR; ii++) {
              for (let jj = 0; jj < NR; jj++) {
                const inside = loadC && ii < h && jj < w;
                store<f32>(tile + (<usize>(ii * NR + jj) << 2), inside ? load<f32>(cp + <usize>ii * ldc + (<usize>jj << 2)) : 0);
              }
            }
            kernel(ap, bp, tile, NR << 2, kc, true);
            for (let ii = 0; ii < h; ii++) {
              for (let jj = 0; jj < w; jj++) store<f32>(cp + <usize>ii * ldc + (<usize>jj << 2), load<f32>(tile + (<usize>(ii * NR + jj) << 2)));
            }
          }
        }
      }
    }
  }
}
