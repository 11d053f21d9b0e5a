// Element-wise and column kernels: GELU and its backward, embedding gather and scatter-add,
// residual and bias adds, column sums (bias gradients), scaling, positions, and the optimizer
// (gradient norm, clipping factor, AdamW). Column kernels give each thread one column and add the
// rows in order, so results are deterministic and equal the CPU kernels' order of additions.

const K0: f32 = 0.7978845608028654; // sqrt(2 / pi)
const K1: f32 = 0.044715;

/** tanh that saturates cleanly: (1 − e)/(1 + e) with e = exp(−2|u|) never overflows. */
fn safeTanh(u: f32) -> f32 {
  let e = exp(-2.0 * abs(u));
  return sign(u) * (1.0 - e) / (1.0 + e);
}

/** out1 = GELU(in1) (tanh form) over params 0 = n elements. */
@compute @workgroup_size(256)
fn gelu(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  let x = in1[oi1() + i];
  out1[oo1() + i] = 0.5 * x * (1.0 + safeTanh(K0 * (x + K1 * x * x * x)));
}

/** out1 = in2 ⊙ GELU′(in1) over params 0 = n elements. */
@compute @workgroup_size(256)
fn geluBackward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  let x = in1[oi1() + i];
  let x2 = x * x;
  let th = safeTanh(K0 * (x + K1 * x * x2));
  let du = K0 * (1.0 + 3.0 * K1 * x2);
  out1[oo1() + i] = in2[oi2() + i] * (0.5 * (1.0 + th) + 0.5 * x * ((1.0 - th * th) * du));
}

/** out1[r][j] = in1[ids[r]][j]. Params: 0 rows·d, 1 d. */
@compute @workgroup_size(256)
fn embedding(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  let d = pu(1u);
  out1[oo1() + i] = in1[oi1() + u32(ids[i / d]) * d + i % d];
}

/** Scatter-add, one thread per column: out1[ids[r]][j] += in1[r][j] for r in order. Params: 0 rows, 1 d. */
@compute @workgroup_size(256)
fn embeddingBackward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = flatIndex(wg, ng, lid);
  let d = pu(1u);
  if (j >= d) { return; }
  for (var r = 0u; r < pu(0u); r++) {
    let t = u32(ids[r]) * d + j;
    out1[oo1() + t] = out1[oo1() + t] + in1[oi1() + r * d + j];
  }
}

/** Rows of d into a wider layout: out1[(i / d)·stride + off + i mod d] = in1[i]. Params: 0 n, 1 d, 2 stride, 3 off. */
@compute @workgroup_size(256)
fn writeRows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  let d = pu(1u);
  out1[oo1() + (i / d) * pu(2u) + pu(3u) + i % d] = in1[oi1() + i];
}

/** out1 += in1 over params 0 = n elements. */
@compute @workgroup_size(256)
fn addInto(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  out1[oo1() + i] = out1[oo1() + i] + in1[oi1() + i];
}

/** out1 = in1 + in2 over params 0 = n elements. */
@compute @workgroup_size(256)
fn add(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  out1[oo1() + i] = in1[oi1() + i] + in2[oi2() + i];
}

/** out1[r][c] += in1[c]: a bias over rows. Params: 0 n = rows·cols, 1 cols. */
@compute @workgroup_size(256)
fn addBias(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  out1[oo1() + i] = out1[oo1() + i] + in1[oi1() + i % pu(1u)];
}

/** out1[c] += Σ_r in1[r][c], rows in order (bias gradients). Params: 0 rows, 1 cols. */
@compute @workgroup_size(256)
fn columnSums(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flatIndex(wg, ng, lid);
  let cols = pu(1u);
  if (c >= cols) { return; }
  var s = out1[oo1() + c];
  for (var r = 0u; r < pu(0u); r++) { s += in1[oi1() + r * cols + c]; }
  out1[oo1() + c] = s;
}

/** out1 = alpha·in1. Params: 0 n, 1 alpha (f32). */
@compute @workgroup_size(256)
fn scale(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  out1[oo1() + i] = in1[oi1() + i] * pf(1u);
}

/**
 * Token embeddings to model inputs, in place: out1[r][j] = out1[r][j]·s + in1[t][j], with position
 * t = t0 + r mod T. Params: 0 n = rows·d, 1 d, 2 T, 3 t0, 4 s (f32).
 */
@compute @workgroup_size(256)
fn addPositions(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  let d = pu(1u);
  let t = pu(3u) + (i / d) % pu(2u);
  out1[oo1() + i] = out1[oo1() + i] * pf(4u) + in1[oi1() + t * d + i % d];
}

/** Learned-position gradient: out1[t][j] += Σ in1[r][j] over r ≡ t (mod T), in order. Params: 0 rows, 1 d, 2 T. */
@compute @workgroup_size(256)
fn positionGrad(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  let d = pu(1u);
  let T = pu(2u);
  if (i >= T * d) { return; }
  let t = i / d;
  let j = i % d;
  var s = out1[oo1() + i];
  for (var r = t; r < pu(0u); r += T) { s += in1[oi1() + r * d + j]; }
  out1[oo1() + i] = s;
}

/** out1[slot] = Σ in1² (one workgroup). Params: 0 n, 1 slot. */
@compute @workgroup_size(256)
fn sumSquares(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < pu(0u); i += 256u) { s += in1[oi1() + i] * in1[oi1() + i]; }
  s = reduceSum(lid, s);
  if (lid == 0u) { out1[oo1() + pu(1u)] = s; }
}

/**
 * Global gradient norm and clipping factor from the per-tensor sums of squares in out1[0..count):
 * out1[count] = norm, out1[count + 1] = maxNorm / norm when norm > maxNorm, else 1.
 * Params: 0 count, 1 maxNorm (f32). One thread.
 */
@compute @workgroup_size(1)
fn clipFactor() {
  let count = pu(0u);
  var s = 0.0;
  for (var i = 0u; i < count; i++) { s += out1[oo1() + i]; }
  let norm = sqrt(s);
  let maxNorm = pf(1u);
  out1[oo1() + count] = norm;
  out1[oo1() + count + 1u] = select(1.0, maxNorm / norm, norm > maxNorm && norm > 0.0);
}

/**
 * AdamW over a tensor (or all parameters packed), the gradient (in1) scaled by the clipping
 * factor in2[params 9]: m = b1·m + (1−b1)·g, v = b2·v + (1−b2)·g², p = p·decay − lr·(m/c1)/(sqrt(v/c2) + eps),
 * where decay applies to the elements whose mask (in3) is non-zero when params 10 says there is
 * one (matrices decay, vectors do not), else to every element.
 * out1 p, out2 m, out3 v. Params: 0 n, 1 b1, 2 b2, 3 eps, 4 lr, 5 decay, 6 c1, 7 c2, 9 factor slot, 10 has mask.
 */
@compute @workgroup_size(256)
fn adamw(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wg, ng, lid);
  if (i >= pu(0u)) { return; }
  let g = in1[oi1() + i] * in2[oi2() + pu(9u)];
  let b1 = pf(1u);
  let b2 = pf(2u);
  let m = b1 * out2[oo2() + i] + (1.0 - b1) * g;
  let v = b2 * out3[oo3() + i] + (1.0 - b2) * g * g;
  out2[oo2() + i] = m;
  out3[oo3() + i] = v;
  var decay = pf(5u);
  if (pu(10u) != 0u && in3[oi3() + i] == 0.0) { decay = 1.0; }
  out1[oo1() + i] = out1[oo1() + i] * decay - (pf(4u) * (m / pf(6u))) / (sqrt(v / pf(7u)) + pf(3u));
}
