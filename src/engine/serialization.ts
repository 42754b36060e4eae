/**
 * torch.save / torch.load, written as .safetensors: a little-endian u64 header length, a JSON
 * header of `{ name: { dtype, shape, data_offsets } }`, then raw tensor bytes. A module's
 * state dict saved here loads into real PyTorch with `safetensors.torch.load_file`, keys intact.
 * Non-tensor parts (an optimizer's hyperparameters, an epoch number) and the nesting of a
 * checkpoint ride along as JSON in `__metadata__`, so load() rebuilds the object saved.
 *
 * load() reads a file from anywhere, so it checks everything the safetensors format requires
 * before it trusts a byte: the header's size, encoding and types, every shape and offset, and
 * that the tensors cover the data exactly. Errors say what safetensors itself says of the fault
 * (`invalid offset for tensor …`), then what is wrong. Keys of the file never reach an
 * object's prototype: the header is read into Maps, and objects are rebuilt with own properties.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { bool, type DType, float32, float64, int32, int64, uint8 } from './dtype.js';
import { RuntimeError } from './errors.js';
import { contiguousData } from './ops/kernels.js';
import { Tensor } from './tensor.js';

const DTYPE_CODES: [DType, string][] = [
  [float32, 'F32'],
  [float64, 'F64'],
  [int64, 'I64'],
  [int32, 'I32'],
  [uint8, 'U8'],
  [bool, 'BOOL'],
];
/** Every dtype name of the safetensors format, so a file's other dtypes are told apart from nonsense. */
const SAFETENSORS_DTYPES = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'C64', 'I64', 'U64', 'F4', 'F6_E2M3', 'F6_E3M2'];
/** safetensors refuses longer headers ("header too large"). */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const STRUCTURE_KEY = 'autograd_lab.structure';

/** What torch.save accepts: tensors, numbers, strings, booleans, null, and arrays/plain objects/Maps of them. */
export type Saveable = Tensor | number | string | boolean | null | readonly Saveable[] | { [key: string]: Saveable } | Map<string | number, Saveable>;

/**
 * The JSON form of a saved object. Tagged objects stand for what JSON has no form of: a tensor
 * (stored by name), a Map, a number JSON cannot write (NaN, ±Infinity, -0), and a plain object
 * whose own keys would read as a tag.
 */
type Skeleton =
  | { $tensor: string }
  | { $map: [string | number, Skeleton][] }
  | { $number: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { $object: [string, Skeleton][] }
  | number
  | string
  | boolean
  | null
  | Skeleton[]
  | { [key: string]: Skeleton };
const TAGS = ['$tensor', '$map', '$number', '$object'];

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
    if (key === METADATA_KEY) throw new RuntimeError(`torch.save: a tensor cannot be stored under the name '${METADATA_KEY}', which safetensors keeps for metadata`);
    if (tensors.has(key)) throw new RuntimeError(`torch.save: two tensors would be stored under the name '${key}'`);
    tensors.set(key, value);
    return { $tensor: key };
  }
  const join = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $number: 'NaN' };
    if (value === Infinity) return { $number: 'Infinity' };
    if (value === -Infinity) return { $number: '-Infinity' };
    if (Object.is(value, -0)) return { $number: '-0' };
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => flatten(v, join(i), tensors));
  if (value instanceof Map) {
    return { $map: [...value.entries()].map(([k, v]) => [k, flatten(v, join(k), tensors)] as [string | number, Skeleton]) };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]): [string, Skeleton] => [k, flatten(v, join(k), tensors)]);
    // An object with a key like `$tensor` would read back as that tag: store it tagged itself.
    if (entries.some(([k]) => TAGS.includes(k))) return { $object: entries };
    return Object.fromEntries(entries) as { [key: string]: Skeleton };
  }
  throw new RuntimeError(
    `torch.save: cannot save ${describe(value)}${path ? ` at '${path}'` : ''}.`,
    'Autograd Lab saves tensors and state dicts (model.state_dict(), optimizer.state_dict()), and plain objects or arrays of them, as .safetensors. Save model.state_dict() rather than the model itself.',
  );
}

/** `torch.save(obj, f)`: writes `obj` as a .safetensors file at the path `f`. */
export function save(obj: Saveable, f: string): void {
  const path = f;
  const tensors = new Map<string, Tensor>();
  const skeleton = flatten(obj, '', tensors);
  // Own properties only: a tensor named `__proto__` is a key like any other.
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const code = DTYPE_CODES.find(([d]) => d === t.dtype)![1];
    const bytes = encode(t);
    header[name] = { dtype: code, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  header[METADATA_KEY] = { format: 'pt', [STRUCTURE_KEY]: JSON.stringify(skeleton) };
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
    case int32:
      return new Uint8Array(Int32Array.from(values).buffer);
    default:
      return Uint8Array.from(values);
  }
}

/** A tensor as the header describes it, checked. */
interface TensorEntry {
  name: string;
  /** null for a safetensors dtype the engine does not have. */
  dtype: DType | null;
  code: string;
  shape: number[];
  begin: number;
  end: number;
}

/** A tensor's name in a message, with control characters escaped. */
function named(name: string): string {
  return `\`${JSON.stringify(name).slice(1, -1)}\``;
}

/** What a JSON value is, for a message. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** JSON text of a header value, bounded, for a message. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A header entry checked as safetensors checks it: a known dtype, a shape of counts, two offsets. */
function tensorEntry(name: string, info: unknown, bad: (why: string) => RuntimeError): TensorEntry {
  if (info === null || typeof info !== 'object' || Array.isArray(info)) {
    throw bad(`invalid JSON in header: tensor ${named(name)} is ${jsonKind(info)}, not an object with dtype, shape and data_offsets`);
  }
  const fields = new Map(Object.entries(info));
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (!fields.has(field)) throw bad(`invalid JSON in header: tensor ${named(name)} has no ${field}`);
  }
  const code = fields.get('dtype');
  if (typeof code !== 'string' || !SAFETENSORS_DTYPES.includes(code)) {
    throw bad(`invalid JSON in header: tensor ${named(name)} has dtype ${shown(code)}, which is not a safetensors dtype (${SAFETENSORS_DTYPES.join(', ')})`);
  }
  const shape = fields.get('shape');
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw bad(`invalid JSON in header: tensor ${named(name)} has shape ${shown(shape)}, but a shape is a list of non-negative integers`);
  }
  const offsets = fields.get('data_offsets');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw bad(`invalid JSON in header: tensor ${named(name)} has data_offsets ${shown(offsets)}, but data_offsets are two non-negative integers [begin, end]`);
  }
  const dtype = DTYPE_CODES.find(([, c]) => c === code)?.[0] ?? null;
  return { name, dtype, code, shape: [...(shape as number[])], begin: offsets[0] as number, end: offsets[1] as number };
}

/**
 * Checks that the tensors cover the data region in order, without gaps or overlaps, each with
 * exactly the bytes its dtype and shape take; returns the data's length.
 */
function checkLayout(entries: TensorEntry[], bad: (why: string) => RuntimeError): number {
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of byOffset) {
    if (e.end < e.begin) throw bad(`invalid offset for tensor ${named(e.name)}: its data ends (at byte ${e.end}) before it begins (at byte ${e.begin})`);
    if (e.begin !== covered) {
      const where = covered === 0 ? 'the data begins at byte 0' : `the data before it ends at byte ${covered}`;
      throw bad(`invalid offset for tensor ${named(e.name)}: its data begins at byte ${e.begin}, but ${where} (tensors cover the data in order, without gaps or overlaps)`);
    }
    covered = e.end;
    if (e.dtype === null) continue; // its size is checked when it is refused for its dtype
    let bytes = e.dtype.itemsize;
    for (const size of e.shape) bytes *= size;
    if (!Number.isSafeInteger(bytes)) throw bad(`tensor ${named(e.name)}: overflow computing buffer size from shape and/or element type (shape [${e.shape.join(', ')}])`);
    if (e.end - e.begin !== bytes) {
      throw bad(`invalid shape, data type, or offset for tensor ${named(e.name)}: shape [${e.shape.join(', ')}] of ${e.code} takes ${bytes} bytes, its data_offsets [${e.begin}, ${e.end}] hold ${e.end - e.begin}`);
    }
  }
  return covered;
}

function decode(bytes: Uint8Array, entry: TensorEntry, path: string): Tensor {
  const { dtype, shape, name } = entry;
  if (dtype === null) {
    throw new RuntimeError(`torch.load: tensor ${named(name)} in '${path}' has dtype ${entry.code}, which Autograd Lab does not support (${DTYPE_CODES.map(([, c]) => c).join(', ')})`);
  }
  const n = bytes.length / dtype.itemsize;
  const copy = bytes.slice(); // aligned, owned copy
  const data = dtype.alloc(n);
  if (dtype === float32) data.set(new Float32Array(copy.buffer, 0, n));
  else if (dtype === float64) data.set(new Float64Array(copy.buffer, 0, n));
  else if (dtype === int64) {
    const ints = new BigInt64Array(copy.buffer, 0, n);
    for (let i = 0; i < n; i++) {
      const v = ints[i]!;
      // int64 tensors hold their values in doubles: beyond 2^53 a value would silently change.
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new RuntimeError(`torch.load: tensor ${named(name)} in '${path}' holds the int64 value ${v}, beyond ±2^53 - 1, the largest that Autograd Lab's int64 tensors hold exactly`);
      }
      data[i] = Number(v);
    }
  } else if (dtype === int32) data.set(new Int32Array(copy.buffer, 0, n));
  else if (dtype === uint8) data.set(copy.subarray(0, n));
  else {
    for (let i = 0; i < n; i++) data[i] = copy[i] === 0 ? 0 : 1; // any nonzero byte is True
  }
  return new Tensor(data, shape, dtype);
}

/** The object a skeleton describes, with its tensors; throws on anything torch.save never writes. */
function rebuild(s: Skeleton, tensors: Map<string, Tensor>): Saveable {
  if (s === null || typeof s !== 'object') return s;
  if (Array.isArray(s)) return s.map((v) => rebuild(v, tensors));
  const own = new Map(Object.entries(s));
  if (own.size === 1 && own.has('$tensor')) {
    const name = own.get('$tensor');
    const t = typeof name === 'string' ? tensors.get(name) : undefined;
    if (!t) throw new RuntimeError(`torch.load: the file refers to tensor ${shown(name)}, which it does not contain`);
    return t;
  }
  if (own.size === 1 && own.has('$number')) {
    const text = own.get('$number');
    if (text === 'NaN' || text === 'Infinity' || text === '-Infinity' || text === '-0') return Number(text);
    throw new TypeError(`$number ${shown(text)}`);
  }
  if (own.size === 1 && (own.has('$map') || own.has('$object'))) {
    const entries = (own.get('$map') ?? own.get('$object')) as unknown;
    if (!Array.isArray(entries) || !entries.every((e) => Array.isArray(e) && e.length === 2 && (typeof e[0] === 'string' || typeof e[0] === 'number'))) {
      throw new TypeError('entries');
    }
    const pairs = (entries as [string | number, Skeleton][]).map(([k, v]): [string | number, Saveable] => [k, rebuild(v, tensors)]);
    return own.has('$map') ? new Map(pairs) : (Object.fromEntries(pairs) as { [key: string]: Saveable });
  }
  // fromEntries defines own properties: a key `__proto__` stays a key.
  return Object.fromEntries([...own].map(([k, v]) => [k, rebuild(v as Skeleton, tensors)])) as { [key: string]: Saveable };
}

/** The header's entries (own keys only), after the checks of its size, encoding and JSON. */
function readHeader(file: Buffer, bad: (why: string) => RuntimeError): { header: Map<string, unknown>; dataStart: number } {
  if (file.length < 8) throw bad(`header too small: the file has ${file.length} bytes, fewer than the 8 that give the header's length`);
  const declared = file.readBigUInt64LE(0);
  if (declared > BigInt(MAX_HEADER_BYTES)) throw bad(`header too large: it declares ${declared} bytes, more than the ${MAX_HEADER_BYTES} that safetensors allows`);
  const headerLength = Number(declared);
  if (headerLength > file.length - 8) throw bad(`invalid header length: the header (${headerLength} bytes) runs past the end of the file (${file.length} bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(file.subarray(8, 8 + headerLength));
  } catch {
    throw bad('invalid UTF-8 in header');
  }
  if (!text.startsWith('{')) throw bad('invalid start character in header, must be `{`');
  let parsed: object; // JSON that starts with `{` is an object
  try {
    parsed = JSON.parse(text) as object;
  } catch (err) {
    throw bad(`invalid JSON in header: ${(err as Error).message}`);
  }
  return { header: new Map(Object.entries(parsed)), dataStart: 8 + headerLength };
}

/** `__metadata__`: safetensors allows only strings in it. */
function readMetadata(value: unknown, bad: (why: string) => RuntimeError): Map<string, string> {
  if (value === undefined) return new Map();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`invalid JSON in header: ${METADATA_KEY} is ${jsonKind(value)}, not an object of strings`);
  const metadata = new Map<string, string>();
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== 'string') throw bad(`invalid JSON in header: ${METADATA_KEY} entry ${named(key)} is ${jsonKind(text)}, not a string`);
    metadata.set(key, text);
  }
  return metadata;
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
  const { header, dataStart } = readHeader(file, bad);
  const metadata = readMetadata(header.get(METADATA_KEY), bad);
  const entries = [...header].filter(([name]) => name !== METADATA_KEY).map(([name, info]) => tensorEntry(name, info, bad));
  const dataLength = checkLayout(entries, bad);
  if (dataStart + dataLength !== file.length) {
    throw bad(`incomplete metadata, file not fully covered: the tensors take ${dataLength} bytes of data, the file holds ${file.length - dataStart}`);
  }
  const tensors = new Map<string, Tensor>();
  for (const e of entries) tensors.set(e.name, decode(new Uint8Array(file.subarray(dataStart + e.begin, dataStart + e.end)), e, path));
  const structure = metadata.get(STRUCTURE_KEY);
  if (structure === undefined) return Object.fromEntries(tensors);
  try {
    return rebuild(JSON.parse(structure) as Skeleton, tensors);
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    throw bad('its structure metadata is corrupt');
  }
}
