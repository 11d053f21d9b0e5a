// The float64 tensor of the reference language model: a shape and a flat row-major buffer, and
// nothing else. The reference exists to be obviously right, so there are no strides, views with
// offsets or broadcasting rules to get wrong; every op checks the shapes it is given and says
// which argument is wrong when they do not fit.

import { Rng } from '../../util/random.js';

/** A dense row-major float64 tensor. `data.length` is always the product of `shape`. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** A shape mismatch or an otherwise impossible tensor argument. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`bad dimension ${d} in shape [${shape.join(', ')}]`);
    n *= d;
  }
  return n;
}

/** `[2, 3]` as text, for error messages. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[]): Tensor {
  return { shape: [...shape], data: new Float64Array(numel(shape)) };
}

/** A tensor filled with one value. */
export function full(shape: readonly number[], value: number): Tensor {
  const t = zeros(shape);
  t.data.fill(value);
  return t;
}

/** A tensor holding a copy of `values` (row-major); throws when the count does not fit the shape. */
export function fromArray(shape: readonly number[], values: ArrayLike<number>): Tensor {
  const n = numel(shape);
  if (values.length !== n) throw new ShapeError(`${values.length} values do not fill shape ${shapeText(shape)} (${n} elements)`);
  return { shape: [...shape], data: Float64Array.from(values) };
}

/** A deep copy. */
export function clone(t: Tensor): Tensor {
  return { shape: [...t.shape], data: new Float64Array(t.data) };
}

/** The same buffer under another shape with the same element count (no copy). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  if (numel(shape) !== t.data.length) throw new ShapeError(`cannot reshape ${shapeText(t.shape)} to ${shapeText(shape)}`);
  return { shape: [...shape], data: t.data };
}

/** Throws a `ShapeError` naming `what` unless `t` has exactly `shape`. */
export function assertShape(t: Tensor, shape: readonly number[], what: string): void {
  const ok = t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) && t.data.length === numel(shape);
  if (!ok) throw new ShapeError(`${what}: expected shape ${shapeText(shape)}, got ${shapeText(t.shape)}`);
}

/** Throws unless `t` has `rank` dimensions; returns the shape for destructuring. */
export function assertRank(t: Tensor, rank: number, what: string): readonly number[] {
  if (t.shape.length !== rank) throw new ShapeError(`${what}: expected a rank-${rank} tensor, got shape ${shapeText(t.shape)}`);
  if (t.data.length !== numel(t.shape)) throw new ShapeError(`${what}: ${t.data.length} values for shape ${shapeText(t.shape)}`);
  return t.shape;
}

/** `dst += src`, elementwise, in place. */
export function addInto(dst: Tensor, src: Tensor, what = 'addInto'): void {
  assertShape(src, dst.shape, what);
  const d = dst.data;
  const s = src.data;
  for (let i = 0; i < d.length; i++) d[i]! += s[i]!;
}

/**
 * Standard normal samples from `Rng` by Box-Muller. The second sample of each pair is dropped so
 * that a draw depends only on the generator's state, never on a cached half-pair.
 */
export function gaussian(rng: Rng): number {
  // 53-bit uniforms in (0, 1]: log(0) must never happen.
  const u1 = (rng.nextU32() * 0x200000 + (rng.nextU32() >>> 11) + 1) / 0x20000000000000;
  const u2 = (rng.nextU32() * 0x200000 + (rng.nextU32() >>> 11)) / 0x20000000000000;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A tensor of independent N(0, std²) samples drawn from `rng` in row-major order. */
export function randn(shape: readonly number[], rng: Rng, std = 1): Tensor {
  const t = zeros(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = std * gaussian(rng);
  return t;
}

/** Largest absolute elementwise difference of two same-shaped tensors. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  assertShape(b, a.shape, 'maxAbsDiff');
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}
