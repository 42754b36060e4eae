// torch.save / torch.load write .safetensors files: tensors and state dicts round-trip, the
// bytes follow the safetensors layout (so PyTorch's safetensors package reads them), and
// anything that is not a tensor, number, string or plain container is refused clearly.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load, save } from '../src/engine/serialization.js';
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

  it('reports a missing file and a corrupt file without crashing', () => {
    assert.throws(() => load(file('missing.safetensors')), { name: 'RuntimeError', message: /cannot read/ });
    writeFileSync(file('short.safetensors'), Buffer.from([1, 2, 3]));
    assert.throws(() => load(file('short.safetensors')), { message: /not a valid \.safetensors file: it is shorter/ });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(1000n);
    writeFileSync(file('trunc.safetensors'), Buffer.concat([len, Buffer.from('{}')]));
    assert.throws(() => load(file('trunc.safetensors')), { message: /runs past the end of the file/ });
    const json = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }));
    len.writeBigUInt64LE(BigInt(json.length));
    writeFileSync(file('cut.safetensors'), Buffer.concat([len, json, Buffer.alloc(4)]));
    assert.throws(() => load(file('cut.safetensors')), { message: /data of 'w' lies outside the file/ });
  });
});
