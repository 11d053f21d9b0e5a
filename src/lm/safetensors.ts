// The safetensors weight format (https://github.com/huggingface/safetensors), read and written
// exactly: an 8-byte little-endian header length N, N bytes of JSON header (padded with spaces
// so the data starts 8-byte aligned), then the tensors' raw little-endian bytes back to back.
// Weights cross a trust boundary (a model directory may come from anywhere, or be cut short by a
// full disk), so reading checks everything the format promises and names the file and the
// problem rather than handing back garbage. Writes go through a temporary file and a rename, so a
// crash never leaves a half-written file under the real name.

import { readFileSync } from 'node:fs';
import { writeFileAtomic as writeAtomically } from '../util/fs.js';

/** A weights or model-directory file that is missing, corrupt, or does not fit its configuration. */
export class WeightsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsError';
  }
}

/** The element types gns reads. It writes F32 and F64 only. */
export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16';

/** The element types gns writes. */
export type WriteDtype = 'F64' | 'F32';

const DTYPE_SIZE: Readonly<Record<Dtype, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2 };

/** Every other dtype the format defines: recognised, so the error can say "unsupported" rather than "unknown". */
const OTHER_DTYPES = new Set(['BOOL', 'U8', 'I8', 'I16', 'U16', 'I32', 'U32', 'I64', 'U64', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64']);

/**
 * The order the reference implementation lays tensors out in: larger dtypes first (its `Dtype`
 * enum order, descending), then by name. For a file of one dtype this is plain name order; for
 * mixed files it keeps gns's output byte-identical to Python's `safetensors.save_file`.
 */
const DTYPE_RANK: Readonly<Record<WriteDtype, number>> = { F64: 1, F32: 0 };

/** The safetensors reference rejects headers above 100 MB; so does gns. */
const MAX_HEADER = 100_000_000;

/** A dense tensor as stored: its shape and row-major values (widened to float64 on read). */
export interface StoredTensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** The content of one safetensors file. */
export interface SafetensorsContent {
  /** Tensors by name, in file (data offset) order. */
  readonly tensors: Map<string, StoredTensor>;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Record<string, string>;
}

/** A tensor to write: anything with a shape and row-major values. */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** Options of `encodeSafetensors` / `writeSafetensors`. */
export interface WriteOptions {
  /** Element type of every tensor, or per tensor name (default F32). */
  readonly dtype?: WriteDtype | ((name: string) => WriteDtype);
  /** Free-form string annotations, stored as `__metadata__`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

function elementCount(shape: readonly number[], what: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new WeightsError(`${what}: bad dimension ${String(d)} in shape [${shape.join(', ')}]`);
    n *= d;
    if (!Number.isSafeInteger(n)) throw new WeightsError(`${what}: shape [${shape.join(', ')}] is too large`);
  }
  return n;
}

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** Serialises tensors to safetensors bytes (see the file comment for the layout). */
export function encodeSafetensors(tensors: Iterable<readonly [string, TensorLike]>, options: WriteOptions = {}): Buffer {
  const dtypeOf = (name: string): WriteDtype => {
    const d = typeof options.dtype === 'function' ? options.dtype(name) : (options.dtype ?? 'F32');
    if (d !== 'F32' && d !== 'F64') throw new WeightsError(`cannot write tensor '${name}' as ${String(d)}: gns writes F32 or F64`);
    return d;
  };
  const entries: Array<{ name: string; dtype: WriteDtype; t: TensorLike }> = [];
  const seen = new Set<string>();
  for (const [name, t] of tensors) {
    if (name === '' || name === '__metadata__') throw new WeightsError(`cannot write a tensor named '${name}'`);
    if (seen.has(name)) throw new WeightsError(`tensor '${name}' given twice`);
    seen.add(name);
    const n = elementCount(t.shape, `tensor '${name}'`);
    if (t.data.length !== n) throw new WeightsError(`tensor '${name}': ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    entries.push({ name, dtype: dtypeOf(name), t });
  }
  entries.sort((a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || utf8Compare(a.name, b.name));

  // The JSON is assembled by hand: a JS object would move integer-like names ("0", "12") to the
  // front, and the header's key order is part of the byte layout.
  const parts: string[] = [];
  if (options.metadata !== undefined) {
    // Sorted, so equal inputs give equal bytes (the reference keeps a hash map's arbitrary order).
    const meta: string[] = [];
    for (const k of Object.keys(options.metadata).sort(utf8Compare)) {
      const v = options.metadata[k];
      if (typeof v !== 'string') throw new WeightsError(`metadata '${k}' must be a string`);
      meta.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
    }
    parts.push(`"__metadata__":{${meta.join(',')}}`);
  }
  let offset = 0;
  for (const e of entries) {
    const bytes = e.t.data.length * DTYPE_SIZE[e.dtype];
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.t.shape.join(',')}],"data_offsets":[${offset},${offset + bytes}]}`);
    offset += bytes;
  }
  let json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad > 0) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);

  const out = Buffer.alloc(8 + json.length + offset);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let at = 8 + json.length;
  for (const e of entries) {
    const d = e.t.data;
    if (e.dtype === 'F64') for (let i = 0; i < d.length; i++, at += 8) view.setFloat64(at, d[i]!, true);
    else for (let i = 0; i < d.length; i++, at += 4) view.setFloat32(at, d[i]!, true);
  }
  return out;
}

/**
 * Writes `data` to `path` all or nothing: into a temporary file in the same folder, flushed to
 * disk, then renamed over `path` (atomic on POSIX file systems).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  try {
    writeAtomically(path, data);
  } catch (e) {
    throw new WeightsError(`cannot write '${path}': ${(e as Error).message}`);
  }
}

/** Writes tensors to a safetensors file, atomically. */
export function writeSafetensors(path: string, tensors: Iterable<readonly [string, TensorLike]>, options: WriteOptions = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, options));
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function f16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const bf16Scratch = new DataView(new ArrayBuffer(4));

function bf16ToNumber(h: number): number {
  bf16Scratch.setUint32(0, h << 16);
  return bf16Scratch.getFloat32(0);
}

function decodeValues(view: DataView, at: number, n: number, dtype: Dtype): Float64Array {
  const out = new Float64Array(n);
  switch (dtype) {
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + 8 * i, true);
      break;
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = f16ToNumber(view.getUint16(at + 2 * i, true));
      break;
    case 'BF16':
      for (let i = 0; i < n; i++) out[i] = bf16ToNumber(view.getUint16(at + 2 * i, true));
      break;
  }
  return out;
}

/**
 * Parses safetensors bytes. `file` names the source in error messages. Throws `WeightsError` for
 * a truncated file, a header length beyond the file, a header that is not a JSON object, a
 * malformed entry, an unknown or unsupported dtype, offsets outside the data or overlapping or
 * leaving holes, and a byte length that does not match shape × dtype size.
 */
export function decodeSafetensors(bytes: Uint8Array, file = '<buffer>'): SafetensorsContent {
  const fail = (problem: string): never => {
    throw new WeightsError(`'${file}' is not a valid safetensors file: ${problem}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(bytes.length - 8)) fail(`header length ${headerLen} runs beyond the end of the file (${bytes.length} bytes); the file is truncated or not safetensors`);
  const n = Number(headerLen);
  if (n > MAX_HEADER) fail(`header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail('the header does not start with a JSON object');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) return fail('the header is not a JSON object');

  const metadata: Record<string, string> = {};
  const raw = header['__metadata__'];
  if (raw !== undefined) {
    if (!isObject(raw)) fail('__metadata__ is not an object of strings');
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`__metadata__ entry '${k}' is not a string`);
      metadata[k] = v as string;
    }
  }

  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  interface Entry {
    readonly name: string;
    readonly dtype: Dtype;
    readonly shape: number[];
    readonly begin: number;
    readonly end: number;
  }
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const where = `tensor '${name}'`;
    if (!isObject(info)) return fail(`${where}: its entry is not an object`);
    const dtype = info['dtype'];
    if (typeof dtype !== 'string') return fail(`${where}: missing dtype`);
    if (!(dtype in DTYPE_SIZE)) {
      return fail(OTHER_DTYPES.has(dtype) ? `${where}: unsupported dtype '${dtype}' (gns reads F64, F32, F16 and BF16)` : `${where}: unknown dtype '${dtype}'`);
    }
    const shape = info['shape'];
    if (!Array.isArray(shape) || !shape.every((d): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
      return fail(`${where}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const offsets = info['data_offsets'];
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o): o is number => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
      return fail(`${where}: data_offsets must be two non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLen) fail(`${where}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLen} bytes); the file is truncated`);
    let count: number;
    try {
      count = elementCount(shape, where);
    } catch (e) {
      return fail((e as Error).message);
    }
    const size = DTYPE_SIZE[dtype as Dtype];
    if (end - begin !== count * size) fail(`${where}: ${end - begin} bytes of data, but shape [${shape.join(', ')}] of ${dtype} needs ${count * size}`);
    entries.push({ name, dtype: dtype as Dtype, shape, begin, end });
  }

  // The data must be covered exactly once: no overlaps (two tensors sharing bytes) and no holes
  // (bytes belonging to nobody, which is how polyglot files hide content).
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: Entry | undefined;
  for (const e of entries) {
    if (e.begin < covered) fail(`tensor '${e.name}' (bytes ${e.begin}..${e.end}) overlaps tensor '${previous!.name}' (bytes ${previous!.begin}..${previous!.end})`);
    if (e.begin > covered) fail(`bytes ${covered}..${e.begin} of the data belong to no tensor`);
    covered = e.end;
    previous = e;
  }
  if (covered !== dataLen) fail(`${dataLen - covered} bytes after the last tensor belong to no tensor`);

  const tensors = new Map<string, StoredTensor>();
  for (const e of entries) {
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: decodeValues(view, dataStart + e.begin, (e.end - e.begin) / DTYPE_SIZE[e.dtype], e.dtype) });
  }
  return { tensors, metadata };
}

/** Reads and validates one safetensors file; a missing or unreadable file is a `WeightsError` too. */
export function readSafetensors(path: string): SafetensorsContent {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new WeightsError(`cannot read '${path}': ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}`);
  }
  return decodeSafetensors(bytes, path);
}
