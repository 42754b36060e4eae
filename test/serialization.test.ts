// torch.save / torch.load write .safetensors files: tensors and state dicts round-trip, the
// bytes follow the safetensors layout (so PyTorch's safetensors package reads them), and
// anything that is not a tensor, number, string or plain container is refused clearly. A file
// from elsewhere is checked as the safetensors format requires (each bad file is built here),
// and its keys never reach a prototype.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load, save, type Saveable } from '../src/engine/serialization.js';
import { torch } from '../src/engine/torch.js';
import { Tensor } from '../src/engine/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-save-'));
const file = (name: string) => join(dir, name);

function header(path: string): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>> {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
}

describe('torch.save / torch.load', () => {
  it('round-trips a tensor with its dtype, shape and values', () => {
    const t = torch.tensor([[1.5, -2.25], [3.0, 4.125]]);
    save(t, file('t.safetensors'));
    const back = load(file('t.safetensors')) as Tensor;
    assert.ok(back instanceof Tensor);
    assert.equal(back.dtype, torch.float32);
    assert.deepEqual(back.shape, [2, 2]);
    assert.deepEqual(back.tolist(), [[1.5, -2.25], [3.0, 4.125]]);
  });

  it('round-trips float64, int64 and bool tensors exactly', () => {
    const sd = {
      d: torch.tensor([Math.PI, -1e-300], { dtype: torch.float64 }),
      i: torch.tensor([9n, -3n, 2n ** 40n]),
      b: torch.tensor([true, false, true]),
    };
    save(sd, file('mixed.safetensors'));
    const back = load(file('mixed.safetensors')) as Record<string, Tensor>;
    assert.deepEqual(back.d!.tolist(), [Math.PI, -1e-300]);
    assert.equal(back.i!.dtype, torch.int64);
    assert.deepEqual(back.i!.tolist(), [9, -3, 2 ** 40]);
    assert.deepEqual(back.b!.tolist(), [true, false, true]);
  });

  it('writes the safetensors layout: u64 header length, JSON header, little-endian data', () => {
    save({ weight: torch.tensor([[1, 2, 3]]), bias: torch.tensor([0.5]) }, file('layout.safetensors'));
    const h = header(file('layout.safetensors'));
    assert.deepEqual(h.weight, { dtype: 'F32', shape: [1, 3], data_offsets: [0, 12] });
    assert.deepEqual(h.bias, { dtype: 'F32', shape: [1], data_offsets: [12, 16] });
    const bytes = readFileSync(file('layout.safetensors'));
    const start = 8 + Number(bytes.readBigUInt64LE(0));
    assert.equal(start % 8, 0, 'data starts 8-byte aligned');
    assert.equal(bytes.readFloatLE(start + 4), 2);
    assert.equal(bytes.readFloatLE(start + 12), 0.5);
  });

  it('saves a non-contiguous tensor by its values, not its storage', () => {
    const t = torch.tensor([[1, 2], [3, 4]]).t();
    save(t, file('t2.safetensors'));
    assert.deepEqual((load(file('t2.safetensors')) as Tensor).tolist(), [[1, 3], [2, 4]]);
  });

  it('rebuilds nested checkpoints with numbers, strings, arrays and maps', () => {
    const checkpoint = {
      epoch: 5000,
      note: 'thermometer',
      model: { 'hidden.weight': torch.ones(2, 1) },
      optimizer: { state: { 0: { step: 3, exp_avg: torch.zeros(2) } }, param_groups: [{ lr: 0.1, betas: [0.9, 0.999], params: [0] }] },
      order: new Map([['a', 1]]),
    };
    save(checkpoint, file('ckpt.safetensors'));
    const back = load(file('ckpt.safetensors')) as typeof checkpoint;
    assert.equal(back.epoch, 5000);
    assert.equal(back.note, 'thermometer');
    assert.deepEqual(back.model['hidden.weight']!.shape, [2, 1]);
    assert.deepEqual(back.optimizer.param_groups, [{ lr: 0.1, betas: [0.9, 0.999], params: [0] }]);
    assert.deepEqual(back.optimizer.state[0]!.exp_avg.tolist(), [0, 0]);
    assert.ok(back.order instanceof Map);
  });

  it('keeps the state dict keys as tensor names, as PyTorch expects them', () => {
    save({ 'hidden_linear.weight': torch.zeros(8, 1), 'hidden_linear.bias': torch.zeros(8) }, file('sd.safetensors'));
    const names = Object.keys(header(file('sd.safetensors'))).filter((k) => k !== '__metadata__');
    assert.deepEqual(names, ['hidden_linear.weight', 'hidden_linear.bias']);
  });

  it('loads a plain safetensors file without our metadata as an object of tensors', () => {
    const json = Buffer.from(JSON.stringify({ w: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    writeFileSync(file('plain.safetensors'), Buffer.concat([len, json, Buffer.from(new Float64Array([1.5, 2.5]).buffer)]));
    const back = load(file('plain.safetensors')) as Record<string, Tensor>;
    assert.deepEqual(back.w!.tolist(), [1.5, 2.5]);
    assert.equal(back.w!.dtype, torch.float64);
  });

  it('refuses to save a function or a class instance, naming what and where', () => {
    assert.throws(() => save({ model: { forward: () => 1 } } as never, file('bad.safetensors')), {
      name: 'RuntimeError',
      message: /cannot save a function \(forward\) at 'model\.forward'/,
    });
    assert.throws(() => save(new Date() as never, file('bad.safetensors')), { message: /cannot save an instance of Date/ });
  });

  it('round-trips NaN, ±Infinity and -0 in a checkpoint as the numbers they are', () => {
    save({ best: Infinity, worst: -Infinity, undefinedLoss: NaN, zero: -0, list: [NaN] }, file('special.safetensors'));
    const back = load(file('special.safetensors')) as Record<string, unknown>;
    assert.equal(back.best, Infinity);
    assert.equal(back.worst, -Infinity);
    assert.ok(Number.isNaN(back.undefinedLoss));
    assert.ok(Object.is(back.zero, -0));
    assert.ok(Number.isNaN((back.list as number[])[0]));
  });

  it('round-trips a plain object whose keys look like the file’s own tags ($tensor, $map)', () => {
    const notes = { $tensor: 'not a tensor', $map: [1, 2] };
    save({ notes }, file('tags.safetensors'));
    assert.deepEqual((load(file('tags.safetensors')) as { notes: unknown }).notes, notes);
  });

  it('refuses to save a tensor under the name __metadata__, which safetensors keeps for itself', () => {
    assert.throws(() => save({ __metadata__: torch.ones(1) }, file('meta.safetensors')), { name: 'RuntimeError', message: /cannot be stored under the name '__metadata__'/ });
  });

  it('reports a missing file', () => {
    assert.throws(() => load(file('missing.safetensors')), { name: 'RuntimeError', message: /cannot read/ });
  });
});

/** Writes a .safetensors file: the header (JSON text, a value to stringify, or raw bytes), then `data`. */
function fileWith(name: string, header: unknown, data: Uint8Array | number = 0): string {
  const json = Buffer.isBuffer(header) ? header : Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(file(name), Buffer.concat([length, json, typeof data === 'number' ? Buffer.alloc(data) : Buffer.from(data)]));
  return file(name);
}

/** Asserts that load() refuses the file as invalid, for exactly this reason. */
function refuses(path: string, why: string): void {
  assert.throws(() => load(path), { name: 'RuntimeError', message: `torch.load: '${path}' is not a valid .safetensors file: ${why}` });
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('torch.load refuses a malformed .safetensors file, naming the tensor and the fault', () => {
  it('a file shorter than the 8 bytes of the header length', () => {
    writeFileSync(file('short.safetensors'), Buffer.from([1, 2, 3]));
    refuses(file('short.safetensors'), `header too small: the file has 3 bytes, fewer than the 8 that give the header's length`);
  });

  it('a header length beyond the end of the file', () => {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(1000n);
    writeFileSync(file('trunc.safetensors'), Buffer.concat([length, Buffer.from('{}')]));
    refuses(file('trunc.safetensors'), 'invalid header length: the header (1000 bytes) runs past the end of the file (10 bytes)');
  });

  it('a header length above the 100 MB safetensors allows', () => {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(2n ** 40n);
    writeFileSync(file('huge.safetensors'), Buffer.concat([length, Buffer.from('{}')]));
    refuses(file('huge.safetensors'), 'header too large: it declares 1099511627776 bytes, more than the 100000000 that safetensors allows');
  });

  it('a header that is not UTF-8', () => {
    refuses(fileWith('utf8.safetensors', Buffer.from([0x7b, 0xff, 0x7d])), 'invalid UTF-8 in header');
  });

  it('a header that is not a JSON object: null', () => {
    refuses(fileWith('null.safetensors', 'null'), 'invalid start character in header, must be `{`');
  });

  it('a header that is not JSON', () => {
    assert.throws(() => load(fileWith('json.safetensors', '{"w": ')), { message: /is not a valid \.safetensors file: invalid JSON in header: / });
  });

  it('a tensor entry that is null', () => {
    refuses(fileWith('null-entry.safetensors', { w: null }), 'invalid JSON in header: tensor `w` is null, not an object with dtype, shape and data_offsets');
  });

  it('a tensor entry without data_offsets', () => {
    refuses(fileWith('no-offsets.safetensors', { w: { dtype: 'F32', shape: [1] } }, 4), 'invalid JSON in header: tensor `w` has no data_offsets');
  });

  it('a dtype that safetensors does not have', () => {
    refuses(
      fileWith('dtype.safetensors', { w: { dtype: 'F99', shape: [1], data_offsets: [0, 4] } }, 4),
      'invalid JSON in header: tensor `w` has dtype "F99", which is not a safetensors dtype (BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, I16, U16, F16, BF16, I32, U32, F32, F64, C64, I64, U64, F4, F6_E2M3, F6_E3M2)',
    );
  });

  it('a safetensors dtype the engine does not have, named as unsupported', () => {
    const path = fileWith('bf16.safetensors', { w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, 4);
    assert.throws(() => load(path), { name: 'RuntimeError', message: `torch.load: tensor \`w\` in '${path}' has dtype BF16, which Autograd Lab does not support (F32, F64, I64, I32, U8, BOOL)` });
  });

  it('a fractional shape', () => {
    refuses(fileWith('frac-shape.safetensors', { w: f32([2.5], 0, 10) }, 10), 'invalid JSON in header: tensor `w` has shape [2.5], but a shape is a list of non-negative integers');
  });

  it('a negative shape', () => {
    refuses(fileWith('neg-shape.safetensors', { w: f32([-1, 4], 0, 16) }, 16), 'invalid JSON in header: tensor `w` has shape [-1,4], but a shape is a list of non-negative integers');
  });

  it('a negative offset', () => {
    refuses(fileWith('neg-offset.safetensors', { w: f32([1], -4, 0) }, 4), 'invalid JSON in header: tensor `w` has data_offsets [-4,0], but data_offsets are two non-negative integers [begin, end]');
  });

  it('a fractional offset', () => {
    refuses(fileWith('frac-offset.safetensors', { w: f32([2], 0, 7.5) }, 8), 'invalid JSON in header: tensor `w` has data_offsets [0,7.5], but data_offsets are two non-negative integers [begin, end]');
  });

  it('offsets that end before they begin', () => {
    refuses(fileWith('reversed.safetensors', { w: f32([4], 16, 0) }, 16), 'invalid offset for tensor `w`: its data ends (at byte 0) before it begins (at byte 16)');
  });

  it('overlapping tensors', () => {
    refuses(
      fileWith('overlap.safetensors', { a: f32([4], 0, 16), b: f32([4], 8, 24) }, 24),
      'invalid offset for tensor `b`: its data begins at byte 8, but the data before it ends at byte 16 (tensors cover the data in order, without gaps or overlaps)',
    );
  });

  it('a gap between tensors', () => {
    refuses(
      fileWith('gap.safetensors', { a: f32([4], 0, 16), b: f32([4], 24, 40) }, 40),
      'invalid offset for tensor `b`: its data begins at byte 24, but the data before it ends at byte 16 (tensors cover the data in order, without gaps or overlaps)',
    );
  });

  it('data that does not begin at the start of the data region', () => {
    refuses(fileWith('late.safetensors', { w: f32([4], 8, 24) }, 24), 'invalid offset for tensor `w`: its data begins at byte 8, but the data begins at byte 0 (tensors cover the data in order, without gaps or overlaps)');
  });

  it('offsets that do not match dtype × shape', () => {
    refuses(fileWith('size.safetensors', { w: f32([4], 0, 12) }, 12), 'invalid shape, data type, or offset for tensor `w`: shape [4] of F32 takes 16 bytes, its data_offsets [0, 12] hold 12');
  });

  it('a shape whose size overflows', () => {
    refuses(fileWith('overflow.safetensors', { w: f32([2 ** 40, 2 ** 40], 0, 16) }, 16), 'tensor `w`: overflow computing buffer size from shape and/or element type (shape [1099511627776, 1099511627776])');
  });

  it('offsets beyond the end of the file', () => {
    refuses(fileWith('cut.safetensors', { w: f32([4], 0, 16) }, 4), 'incomplete metadata, file not fully covered: the tensors take 16 bytes of data, the file holds 4');
  });

  it('bytes after the last tensor', () => {
    refuses(fileWith('trailing.safetensors', { w: f32([1], 0, 4) }, 12), 'incomplete metadata, file not fully covered: the tensors take 4 bytes of data, the file holds 12');
  });

  it('__metadata__ that is null', () => {
    refuses(fileWith('meta-null.safetensors', { __metadata__: null }), 'invalid JSON in header: __metadata__ is null, not an object of strings');
  });

  it('__metadata__ that holds something other than strings', () => {
    refuses(fileWith('meta-number.safetensors', { __metadata__: { epoch: 3 } }), 'invalid JSON in header: __metadata__ entry `epoch` is a number, not a string');
  });

  it('an int64 value beyond what an int64 tensor holds exactly (2^53)', () => {
    const path = fileWith('big-int.safetensors', { i: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(new BigInt64Array([2n ** 53n + 1n]).buffer));
    assert.throws(() => load(path), { message: /tensor `i` in '.*' holds the int64 value 9007199254740993, beyond ±2\^53 - 1/ });
  });

  it('structure metadata that torch.save never writes', () => {
    const structure = JSON.stringify({ $map: [null] });
    refuses(fileWith('structure.safetensors', { __metadata__: { 'autograd_lab.structure': structure } }), 'its structure metadata is corrupt');
  });
});

describe('torch.load keeps the file’s keys off every prototype', () => {
  it('a tensor named __proto__ is an own key of the object loaded', () => {
    const back = load(fileWith('proto-tensor.safetensors', '{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', 4)) as Record<string, Tensor>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.ok(Object.hasOwn(back, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(back, '__proto__')!.value.tolist(), [0]);
  });

  it('__proto__ and constructor keys in __metadata__ change no prototype', () => {
    const back = load(fileWith('proto-meta.safetensors', '{"__metadata__": {"__proto__": "x", "constructor": "y"}}')) as object;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('a __proto__ key in the saved structure stays a key of the rebuilt object', () => {
    const structure = '{"settings": {"__proto__": {"polluted": true}, "lr": 0.1}}';
    const back = load(fileWith('proto-structure.safetensors', { __metadata__: { 'autograd_lab.structure': structure } })) as { settings: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(back.settings), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(back.settings, '__proto__')!.value, { polluted: true });
    assert.equal(back.settings.lr, 0.1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('an own __proto__ key saved by torch.save round-trips as a key', () => {
    const settings = JSON.parse('{"__proto__": {"depth": 2}, "lr": 0.1}') as { [key: string]: Saveable };
    save({ settings, weight: torch.ones(1) }, file('proto-roundtrip.safetensors'));
    const back = load(file('proto-roundtrip.safetensors')) as { settings: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(back.settings), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(back.settings, '__proto__')!.value, { depth: 2 });
  });
});
