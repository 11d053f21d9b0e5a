// Batched, strided matmul: C[z] = alpha·A[z]·B[z] (+ C[z] when accumulating) for z = b·H + h.
// Every operand is addressed through strides, element (i, k) of A[z] at
// aOff + b·aSb + h·aSh + i·aSr + k·aSc, so one kernel covers plain products, both transposes, and
// the per-head products of multi-head attention read in place from [rows, d] activations.
// A workgroup of 16×16 threads computes a 64×64 tile of C, 4×4 per thread, staging 16-deep
// slices of A and B in workgroup memory. Each output sums k in order: deterministic.
//
// Parameters: 0 M, 1 N, 2 K, 3 H, 4 accumulate, 5 alpha (f32);
//   A 8-12, B 13-17, C 18-22: offset, batch stride, head stride, row stride, column stride.
// Bindings: in1 = A, in2 = B, out1 = C. Dispatch: (ceil(N/64), ceil(M/64), batches·H).

const TILE: u32 = 64u;
const KT: u32 = 16u;
var<workgroup> tileA: array<f32, 1024>; // [KT][TILE], k-major
var<workgroup> tileB: array<f32, 1024>; // [KT][TILE], k-major

fn base(slot: u32, b: u32, h: u32) -> u32 {
  return pu(slot) + b * pu(slot + 1u) + h * pu(slot + 2u);
}

@compute @workgroup_size(16, 16)
fn matmul(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = pu(0u);
  let N = pu(1u);
  let K = pu(2u);
  let H = pu(3u);
  let b = wg.z / H;
  let h = wg.z % H;
  let aBase = base(8u, b, h);
  let aSr = pu(11u);
  let aSc = pu(12u);
  let bBase = base(13u, b, h);
  let bSr = pu(16u);
  let bSc = pu(17u);
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  // Load so that neighbouring threads read neighbouring addresses where an operand allows it.
  let aKFast = aSc == 1u;
  let bKFast = bSr == 1u && bSc != 1u;
  var acc: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }
  for (var k0 = 0u; k0 < K; k0 += KT) {
    for (var t = 0u; t < 4u; t++) {
      let e = li + t * 256u;
      var kk = e / TILE;
      var mm = e % TILE;
      if (aKFast) { kk = e % KT; mm = e / KT; }
      let gm = row0 + mm;
      let gk = k0 + kk;
      var va = 0.0;
      if (gm < M && gk < K) { va = in1[aBase + gm * aSr + gk * aSc]; }
      tileA[kk * TILE + mm] = va;
      var kb = e / TILE;
      var nn = e % TILE;
      if (bKFast) { kb = e % KT; nn = e / KT; }
      let gn = col0 + nn;
      let gkb = k0 + kb;
      var vb = 0.0;
      if (gn < N && gkb < K) { vb = in2[bBase + gkb * bSr + gn * bSc]; }
      tileB[kb * TILE + nn] = vb;
    }
    workgroupBarrier();
    let kEnd = min(KT, K - k0);
    for (var kk = 0u; kk < kEnd; kk++) {
      var a: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = tileA[kk * TILE + lid.y * 4u + i];
        bv[i] = tileB[kk * TILE + lid.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] = acc[i * 4u + j] + a[i] * bv[j]; }
      }
    }
    workgroupBarrier();
  }
  let cBase = base(18u, b, h);
  let cSr = pu(21u);
  let cSc = pu(22u);
  let accumulate = pu(4u) != 0u;
  let alpha = pf(5u);
  for (var i = 0u; i < 4u; i++) {
    let gm = row0 + lid.y * 4u + i;
    if (gm >= M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let gn = col0 + lid.x * 4u + j;
      if (gn >= N) { continue; }
      let idx = cBase + gm * cSr + gn * cSc;
      let v = alpha * acc[i * 4u + j];
      if (accumulate) { out1[idx] = out1[idx] + v; } else { out1[idx] = v; }
    }
  }
}
