// Row kernels: one 256-thread workgroup per row, each thread striding over the row's columns, and
// workgroup tree reductions (common.wgsl) in a fixed order. Softmax and its backward, layer norm
// and its backward, cross-entropy (loss per row, gradient, and the masked mean), and the
// attention mask over per-head score blocks. The formulas are the CPU kernels' (kernels/cpu/rows.ts).

const LOWEST: f32 = -3.4028234e38;

/** Softmax over rows of in1 into out1. Params: 0 rows, 1 cols, 2 causal (row r sees keys 0..r % cols). */
@compute @workgroup_size(256)
fn softmax(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flatGroup(wg, ng);
  if (r >= pu(0u)) { return; }
  let cols = pu(1u);
  let n = select(cols, r % cols + 1u, pu(2u) != 0u);
  let o = r * cols;
  var m = LOWEST;
  for (var j = lid; j < n; j += 256u) { m = max(m, in1[oi1() + o + j]); }
  m = reduceMax(lid, m);
  var s = 0.0;
  for (var j = lid; j < n; j += 256u) {
    let e = exp(in1[oi1() + o + j] - m);
    out1[oo1() + o + j] = e;
    s += e;
  }
  s = reduceSum(lid, s);
  let inv = 1.0 / s;
  for (var j = lid; j < cols; j += 256u) {
    if (j < n) { out1[oo1() + o + j] = out1[oo1() + o + j] * inv; } else { out1[oo1() + o + j] = 0.0; }
  }
}

/** dx = y ⊙ (dy − Σ y⊙dy) per row: in1 y, in2 dy, out1 dx. Params: 0 rows, 1 cols. */
@compute @workgroup_size(256)
fn softmaxBackward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flatGroup(wg, ng);
  if (r >= pu(0u)) { return; }
  let cols = pu(1u);
  let o = r * cols;
  var s = 0.0;
  for (var j = lid; j < cols; j += 256u) { s += in1[oi1() + o + j] * in2[oi2() + o + j]; }
  s = reduceSum(lid, s);
  for (var j = lid; j < cols; j += 256u) { out1[oo1() + o + j] = in1[oi1() + o + j] * (in2[oi2() + o + j] - s); }
}

/**
 * Layer norm with the two-pass variance: in1 x, in2 gamma, in3 beta; out1 y, out2 mean, out3
 * rstd. Params: 0 rows, 1 d, 2 eps (f32).
 */
@compute @workgroup_size(256)
fn layerNorm(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flatGroup(wg, ng);
  if (r >= pu(0u)) { return; }
  let d = pu(1u);
  let o = r * d;
  var s = 0.0;
  for (var j = lid; j < d; j += 256u) { s += in1[oi1() + o + j]; }
  let mu = reduceSum(lid, s) / f32(d);
  var ss = 0.0;
  for (var j = lid; j < d; j += 256u) {
    let c = in1[oi1() + o + j] - mu;
    ss += c * c;
  }
  let rs = 1.0 / sqrt(reduceSum(lid, ss) / f32(d) + pf(2u));
  if (lid == 0u) {
    out2[oo2() + r] = mu;
    out3[oo3() + r] = rs;
  }
  for (var j = lid; j < d; j += 256u) { out1[oo1() + o + j] = (in1[oi1() + o + j] - mu) * rs * in2[oi2() + j] + in3[oi3() + j]; }
}

/**
 * Layer-norm backward, input part: dx = rstd·(g − mean(g) − x̂·mean(g⊙x̂)), g = dy⊙gamma.
 * in1 x, in2 gamma, in3 mean, in4 rstd, in5 dy; out1 dx. Params: 0 rows, 1 d.
 */
@compute @workgroup_size(256)
fn layerNormBackward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flatGroup(wg, ng);
  if (r >= pu(0u)) { return; }
  let d = pu(1u);
  let o = r * d;
  let mu = in3[oi3() + r];
  let rs = in4[oi4() + r];
  var s1 = 0.0;
  var s2 = 0.0;
  for (var j = lid; j < d; j += 256u) {
    let g = in5[oi5() + o + j] * in2[oi2() + j];
    s1 += g;
    s2 += g * ((in1[oi1() + o + j] - mu) * rs);
  }
  let m1 = reduceSum(lid, s1) / f32(d);
  let m2 = reduceSum(lid, s2) / f32(d);
  for (var j = lid; j < d; j += 256u) {
    let g = in5[oi5() + o + j] * in2[oi2() + j];
    let xh = (in1[oi1() + o + j] - mu) * rs;
    out1[oo1() + o + j] = rs * (g - m1 - xh * m2);
  }
}

/**
 * Layer-norm backward, one parameter's part, one thread per column adding the rows in order:
 * out1 += Σ dy⊙x̂ (dGamma, params 2 = 0) or Σ dy (dBeta, params 2 = 1). The two are separate
 * dispatches so that both may lie in one packed gradient buffer.
 * in1 x, in3 mean, in4 rstd, in5 dy. Params: 0 rows, 1 d, 2 which.
 */
@compute @workgroup_size(256)
fn layerNormBackwardParam(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = flatIndex(wg, ng, lid);
  let d = pu(1u);
  if (c >= d) { return; }
  let beta = pu(2u) != 0u;
  var acc = out1[oo1() + c];
  for (var r = 0u; r < pu(0u); r++) {
    let g = in5[oi5() + r * d + c];
    if (beta) {
      acc += g;
    } else {
      acc += g * ((in1[oi1() + r * d + c] - in3[oi3() + r]) * in4[oi4() + r]);
    }
  }
  out1[oo1() + c] = acc;
}

/** Cross-entropy, step 1: out1[0] = Σ mask (in2), or rows without a mask. Params: 0 rows, 2 has mask. One workgroup. */
@compute @workgroup_size(256)
fn crossEntropyWeight(@builtin(local_invocation_index) lid: u32) {
  let rows = pu(0u);
  var s = 0.0;
  for (var r = lid; r < rows; r += 256u) { s += select(1.0, in2[oi2() + r], pu(2u) != 0u); }
  s = reduceSum(lid, s);
  if (lid == 0u) { out1[oo1() + 0] = s; }
}

/**
 * Cross-entropy, step 2, per row: out1[r] = w·(logsumexp − logit[target]) and, with a gradient,
 * out2 = w·scale·(softmax − onehot(target)), scale = 1 / Σ mask. in1 logits, in2 mask, in3 the
 * weight from step 1, ids targets. Params: 0 rows, 1 v, 2 has mask, 3 has gradient.
 */
@compute @workgroup_size(256)
fn crossEntropyRows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = flatGroup(wg, ng);
  if (r >= pu(0u)) { return; }
  let v = pu(1u);
  let o = r * v;
  let w = select(1.0, in2[oi2() + r], pu(2u) != 0u);
  let total = in3[oi3() + 0];
  let scale = select(1.0 / total, 0.0, total == 0.0);
  let grad = pu(3u) != 0u;
  let want = u32(ids[r]);
  var m = LOWEST;
  for (var j = lid; j < v; j += 256u) { m = max(m, in1[oi1() + o + j]); }
  m = reduceMax(lid, m);
  var s = 0.0;
  for (var j = lid; j < v; j += 256u) { s += exp(in1[oi1() + o + j] - m); }
  s = reduceSum(lid, s);
  if (lid == 0u) { out1[oo1() + r] = select(w * (log(s) + m - in1[oi1() + o + want]), 0.0, w == 0.0); }
  if (grad) {
    let k = w * scale / s;
    for (var j = lid; j < v; j += 256u) {
      var g = exp(in1[oi1() + o + j] - m) * k;
      if (j == want) { g -= w * scale; }
      out2[oo2() + o + j] = select(g, 0.0, w == 0.0);
    }
  }
}

/** Cross-entropy, step 3: out1[0] = Σ in1[r] / in3[0] (0 when the weight is 0). Params: 0 rows. One workgroup. */
@compute @workgroup_size(256)
fn crossEntropyMean(@builtin(local_invocation_index) lid: u32) {
  let rows = pu(0u);
  var s = 0.0;
  for (var r = lid; r < rows; r += 256u) { s += in1[oi1() + r]; }
  s = reduceSum(lid, s);
  let total = in3[oi3() + 0];
  if (lid == 0u) { out1[oo1() + 0] = select(s / total, 0.0, total == 0.0); }
}

/**
 * Masks per-head attention scores [B][H][Tq][Tk] in place (out1): key j of query i in item b is
 * kept when j < length[b] (ids) and, if causal, j <= i; the rest become NEG_BIG, which softmax
 * turns into exact zeros. Params: 0 H, 1 Tq, 2 Tk, 3 causal, 4 element count.
 */
@compute @workgroup_size(256)
fn attentionMask(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) ng: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let idx = flatIndex(wg, ng, lid);
  if (idx >= pu(4u)) { return; }
  let tq = pu(1u);
  let tk = pu(2u);
  let j = idx % tk;
  let i = (idx / tk) % tq;
  let b = idx / (tk * tq * pu(0u));
  if (j >= u32(ids[b]) || (pu(3u) != 0u && j > i)) { out1[oo1() + idx] = NEG_BIG; }
}
