/**
 * torch.save / torch.load, written as .safetensors: a little-endian u64 header length, a JSON
 * header of `{ name: { dtype, shape, data_offsets } }`, then raw tensor bytes. A module's
 * state dict saved here loads into real PyTorch with `safetensors.torch.load_file`, keys intact.
 * Non-tensor parts (an optimizer's hyperparameters, an epoch number) and the nesting of a
 * checkpoint ride along as JSON in `__metadata__`, so load() rebuilds the object saved.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { bool, type DType, float32, float64, int64 } from './dtype.js';
import { RuntimeError } from './errors.js';
import { contiguousData } from './ops/kernels.js';
import { numelOf } from './shape.js';
import { Tensor } from './tensor.js';

const DTYPE_CODES: [DType, string][] = [
  [float32, 'F32'],
  [float64, 'F64'],
  [int64, 'I64'],
  [bool, 'BOOL'],
];
const STRUCTURE_KEY = 'autograd_lab.structure';

/** What torch.save accepts: tensors, numbers, strings, booleans, null, and arrays/plain objects/Maps of them. */
export type Saveable = Tensor | number | string | boolean | null | readonly Saveable[] | { [key: string]: Saveable } | Map<string | number, Saveable>;

type Skeleton = { $tensor: string } | { $map: [string | number, Skeleton][] } | number | string | boolean | null | Skeleton[] | { [key: string]: Skeleton };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (typeof value === 'object' && value !== null) return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return typeof value;
}

/** Splits an object into tensors (by dotted path) and a JSON skeleton that refers to them. */
function flatten(value: unknown, path: string, tensors: Map<string, Tensor>): Skeleton {
  if (value instanceof Tensor) {
    const key = path === '' ? 'tensor' : path;
    if (tensors.has(key)) throw new RuntimeError(`torch.save: two tensors would be stored under the name '${key}'`);
    tensors.set(key, value);
    return { $tensor: key };
  }
  const join = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => flatten(v, join(i), tensors));
  if (value instanceof Map) {
    return { $map: [...value.entries()].map(([k, v]) => [k, flatten(v, join(k), tensors)] as [string | number, Skeleton]) };
  }
  if (isPlainObject(value)) {
    const out: { [key: string]: Skeleton } = {};
    for (const [k, v] of Object.entries(value)) out[k] = flatten(v, join(k), tensors);
    return out;
  }
  throw new RuntimeError(
    `torch.save: cannot save ${describe(value)}${path ? ` at '${path}'` : ''}.`,
    'Autograd Lab saves tensors and state dicts (model.state_dict(), optimizer.state_dict()), and plain objects or arrays of them, as .safetensors. Save model.state_dict() rather than the model itself.',
  );
}

/** `torch.save(obj, path)`: writes `obj` as a .safetensors file. */
export function save(obj: Saveable, path: string): void {
  const tensors = new Map<string, Tensor>();
  const skeleton = flatten(obj, '', tensors);
  const header: Record<string, unknown> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const code = DTYPE_CODES.find(([d]) => d === t.dtype)![1];
    const bytes = encode(t);
    header[name] = { dtype: code, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  header.__metadata__ = { format: 'pt', [STRUCTURE_KEY]: JSON.stringify(skeleton) };
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (the format allows it).
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.length));
  writeFileSync(path, Buffer.concat([length, headerBytes, ...chunks]));
}

function encode(t: Tensor): Uint8Array {
  const values = contiguousData(t);
  const n = values.length;
  switch (t.dtype) {
    case float32:
      return new Uint8Array(Float32Array.from(values).buffer);
    case float64:
      return new Uint8Array(Float64Array.from(values).buffer);
    case int64: {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(values[i]!);
      return new Uint8Array(out.buffer);
    }
    default:
      return Uint8Array.from(values);
  }
}

function decode(bytes: Uint8Array, code: string, shape: number[], name: string): Tensor {
  const entry = DTYPE_CODES.find(([, c]) => c === code);
  if (!entry) throw new RuntimeError(`torch.load: tensor '${name}' has dtype ${code}, which Autograd Lab does not support (F32, F64, I64, BOOL)`);
  const dtype = entry[0];
  const n = numelOf(shape);
  if (bytes.length !== n * dtype.itemsize) {
    throw new RuntimeError(`torch.load: tensor '${name}' has ${bytes.length} bytes of data, expected ${n * dtype.itemsize} for shape [${shape.join(', ')}]`);
  }
  const copy = bytes.slice(); // aligned, owned copy
  const data = dtype.alloc(n);
  if (dtype === float32) data.set(new Float32Array(copy.buffer, 0, n));
  else if (dtype === float64) data.set(new Float64Array(copy.buffer, 0, n));
  else if (dtype === int64) {
    const ints = new BigInt64Array(copy.buffer, 0, n);
    for (let i = 0; i < n; i++) data[i] = Number(ints[i]!);
  } else data.set(copy);
  return new Tensor(data, shape, dtype);
}

function rebuild(s: Skeleton, tensors: Map<string, Tensor>): Saveable {
  if (s === null || typeof s !== 'object') return s;
  if (Array.isArray(s)) return s.map((v) => rebuild(v, tensors));
  if ('$tensor' in s && typeof s.$tensor === 'string') {
    const t = tensors.get(s.$tensor);
    if (!t) throw new RuntimeError(`torch.load: the file refers to tensor '${s.$tensor}', which it does not contain`);
    return t;
  }
  if ('$map' in s && Array.isArray(s.$map)) {
    return new Map((s.$map as [string | number, Skeleton][]).map(([k, v]) => [k, rebuild(v, tensors)]));
  }
  const out: { [key: string]: Saveable } = {};
  for (const [k, v] of Object.entries(s as { [key: string]: Skeleton })) out[k] = rebuild(v, tensors);
  return out;
}

/**
 * `torch.load(path)`: what torch.save wrote; for a .safetensors file from elsewhere, an object
 * of its tensors by name.
 */
export function load(path: string): Saveable {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (err) {
    throw new RuntimeError(`torch.load: cannot read '${path}': ${(err as Error).message}`);
  }
  const bad = (why: string) => new RuntimeError(`torch.load: '${path}' is not a valid .safetensors file: ${why}`);
  if (file.length < 8) throw bad('it is shorter than the 8-byte header length');
  const headerLength = Number(file.readBigUInt64LE(0));
  if (headerLength > file.length - 8) throw bad(`the header length (${headerLength} bytes) runs past the end of the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(file.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw bad('its header is not valid JSON');
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, Tensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets } = info as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!Array.isArray(shape) || !Array.isArray(data_offsets) || typeof dtype !== 'string') throw bad(`entry '${name}' lacks dtype, shape or data_offsets`);
    const [begin, end] = data_offsets;
    if (!(begin! <= end!) || dataStart + end! > file.length) throw bad(`the data of '${name}' lies outside the file`);
    tensors.set(name, decode(new Uint8Array(file.subarray(dataStart + begin!, dataStart + end!)), dtype, shape, name));
  }
  const metadata = header.__metadata__ as Record<string, string> | undefined;
  const structure = metadata?.[STRUCTURE_KEY];
  if (structure !== undefined) {
    try {
      return rebuild(JSON.parse(structure) as Skeleton, tensors);
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw bad('its structure metadata is corrupt');
    }
  }
  return Object.fromEntries(tensors);
}
