// Shared declarations of every gns WGSL kernel, prepended to each module by the loader
// (src/lm/engine/gpu/kernels.ts). Parameters arrive as 32 u32 words in one uniform block (f32
// parameters bit-cast); inputs are read-only storage bindings 1-5, so one buffer may feed several
// of them, outputs are read-write bindings 8-10, and token ids or lengths are binding 7. A kernel
// declares nothing itself: the pipeline's 'auto' layout keeps only the bindings it uses.
// A tensor may start inside its buffer (many parameters share one): words 24-31 hold the element
// offsets of in1-in5 and out1-out3, which every access adds (oi1() .. oo3()). The matmul takes
// its offsets with its strides instead.

struct Params { v: array<vec4<u32>, 8> }
@group(0) @binding(0) var<uniform> params: Params;

@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;
@group(0) @binding(3) var<storage, read> in3: array<f32>;
@group(0) @binding(4) var<storage, read> in4: array<f32>;
@group(0) @binding(5) var<storage, read> in5: array<f32>;
@group(0) @binding(7) var<storage, read> ids: array<i32>;
@group(0) @binding(8) var<storage, read_write> out1: array<f32>;
@group(0) @binding(9) var<storage, read_write> out2: array<f32>;
@group(0) @binding(10) var<storage, read_write> out3: array<f32>;

fn pu(i: u32) -> u32 { return params.v[i / 4u][i % 4u]; }
fn pf(i: u32) -> f32 { return bitcast<f32>(pu(i)); }

fn oi1() -> u32 { return pu(24u); }
fn oi2() -> u32 { return pu(25u); }
fn oi3() -> u32 { return pu(26u); }
fn oi4() -> u32 { return pu(27u); }
fn oi5() -> u32 { return pu(28u); }
fn oo1() -> u32 { return pu(29u); }
fn oo2() -> u32 { return pu(30u); }
fn oo3() -> u32 { return pu(31u); }

/** The flat index of a thread in a 256-wide 2-D grid (dispatches wider than 65535 groups wrap into y). */
fn flatIndex(wg: vec3<u32>, groups: vec3<u32>, lid: u32) -> u32 {
  return (wg.y * groups.x + wg.x) * 256u + lid;
}

/** The flat index of a workgroup in a 2-D grid (one workgroup per row). */
fn flatGroup(wg: vec3<u32>, groups: vec3<u32>) -> u32 {
  return wg.y * groups.x + wg.x;
}

/**
 * A finite stand-in for -infinity: WGSL leaves infinities to the implementation, and
 * exp(NEG_BIG - max) is exactly 0 in f32 all the same.
 */
const NEG_BIG: f32 = -1.0e30;

// Workgroup tree reductions over 256 threads, in a fixed order so results are deterministic.
var<workgroup> red: array<f32, 256>;

fn reduceSum(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn reduceMax(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
