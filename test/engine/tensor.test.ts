// Tensors as PyTorch 1.13 defines them: creation and dtype inference, type promotion, float32
// rounding, broadcasting, reductions, max/argmax, metadata, printing, Python indexing and the
// seeded random factories. Every expected value and message below was produced by PyTorch 1.13.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { torch } from '../../src/engine/torch.js';
import { Tensor } from '../../src/engine/tensor.js';
import { assertPyTorchError } from './helpers.js';

const { slice } = torch;

const T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
const T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];

/** The matrix most reduction and indexing tests below use. */
const M = () => torch.tensor([[1.0, 5.0, 5.0], [7.0, 2.0, 7.0]]);

describe('torch.tensor: creation and dtype inference', () => {
  it('nested arrays of numbers give a float32 tensor of that shape', () => {
    const t = torch.tensor([[1, 2], [3, 4]]);
    assert.equal(t.dtype, torch.float32);
    assert.deepEqual(t.shape, [2, 2]);
    assert.deepEqual(t.tolist(), [[1, 2], [3, 4]]);
  });

  it('a number gives a zero-dim tensor', () => {
    const t = torch.tensor(3.5);
    assert.deepEqual(t.shape, []);
    assert.equal(t.dim(), 0);
    assert.equal(t.item(), 3.5);
  });

  it('an empty array gives a float32 tensor of shape [0]', () => {
    const t = torch.tensor([]);
    assert.deepEqual(t.shape, [0]);
    assert.equal(t.dtype, torch.float32);
  });

  it('bigints give int64 (Python ints)', () => {
    const t = torch.tensor([1n, 2n, 3n]);
    assert.equal(t.dtype, torch.int64);
    assert.deepEqual(t.tolist(), [1, 2, 3]);
  });

  it('booleans give bool', () => {
    const t = torch.tensor([true, false]);
    assert.equal(t.dtype, torch.bool);
    assert.deepEqual(t.tolist(), [true, false]);
  });

  it('mixing booleans and numbers gives float32', () => {
    assert.equal(torch.tensor([true, 2.5]).dtype, torch.float32);
  });

  it('numbers are rounded to float32', () => {
    assert.deepEqual(torch.tensor([35.7, 1 / 3]).tolist(), [35.70000076293945, 0.3333333432674408]);
  });

  it('an explicit int64 dtype truncates toward zero', () => {
    assert.deepEqual(torch.tensor([1.7, -1.7], { dtype: torch.int64 }).tolist(), [1, -1]);
  });

  it('an explicit float64 dtype keeps the full double', () => {
    assert.deepEqual(torch.tensor([0.1], { dtype: torch.float64 }).tolist(), [0.1]);
  });

  it('ragged nested arrays are rejected with PyTorch\'s ValueError', () => {
    assertPyTorchError(() => torch.tensor([[1, 2], [3]]), 'ValueError', 'expected sequence of length 2 at dim 1 (got 1)', { hint: false });
  });

  it('a number where a list is expected is rejected', () => {
    assert.throws(() => torch.tensor([[1, 2], 3] as never));
  });

  it('a list where a number is expected is rejected', () => {
    assert.throws(() => torch.tensor([1, [2, 3]] as never));
  });
});

describe('factories', () => {
  it('zeros and ones accept sizes as arguments or as one array', () => {
    assert.deepEqual(torch.zeros(2, 3).shape, [2, 3]);
    assert.deepEqual(torch.ones([2, 3]).tolist(), [[1, 1, 1], [1, 1, 1]]);
  });

  it('arange of integers is int64', () => {
    const t = torch.arange(5);
    assert.equal(t.dtype, torch.int64);
    assert.deepEqual(t.tolist(), [0, 1, 2, 3, 4]);
  });

  it('arange with a fractional step is float32', () => {
    const t = torch.arange(0, 1, 0.25);
    assert.equal(t.dtype, torch.float32);
    assert.deepEqual(t.tolist(), [0, 0.25, 0.5, 0.75]);
  });

  it('linspace includes both ends', () => {
    assert.deepEqual(torch.linspace(0, 1, 5).tolist(), [0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('type promotion', () => {
  it('int64 tensor * 0.5 is float32', () => {
    const r = torch.tensor([1n, 2n, 3n]).mul(0.5);
    assert.equal(r.dtype, torch.float32);
    assert.deepEqual(r.tolist(), [0.5, 1, 1.5]);
  });

  it('float32 tensor + float64 tensor is float64', () => {
    assert.equal(torch.ones(2).add(torch.ones(2, { dtype: torch.float64 })).dtype, torch.float64);
  });

  it('a zero-dim float64 tensor does not widen a dimensioned float32 tensor', () => {
    assert.equal(torch.ones(2).add(torch.tensor(1.0, { dtype: torch.float64 })).dtype, torch.float32);
  });

  it('a zero-dim float64 tensor does promote a dimensioned int64 tensor (higher category)', () => {
    assert.equal(torch.tensor([1n, 2n]).add(torch.tensor(1.0, { dtype: torch.float64 })).dtype, torch.float64);
  });

  it('a zero-dim float32 tensor promotes a dimensioned int64 tensor to float32', () => {
    assert.equal(torch.tensor([1n, 2n]).add(torch.tensor(1.0)).dtype, torch.float32);
  });

  it('two zero-dim tensors promote as dimensioned ones do', () => {
    assert.equal(torch.tensor(1.0, { dtype: torch.float64 }).add(torch.tensor(1.0)).dtype, torch.float64);
  });

  it('a zero-dim int64 tensor times a float32 vector is float32', () => {
    assert.equal(torch.tensor(3n).mul(torch.tensor([1.5])).dtype, torch.float32);
  });

  it('int64 tensor + integer number stays int64', () => {
    assert.equal(torch.tensor([1n, 2n]).add(2).dtype, torch.int64);
  });

  it('bool tensor + integer number is int64', () => {
    assert.equal(torch.tensor([true]).add(2).dtype, torch.int64);
  });

  it('bool tensor + boolean stays bool', () => {
    assert.equal(torch.tensor([true]).add(true).dtype, torch.bool);
  });

  it('int64 / int64 is true division in float32', () => {
    const r = torch.tensor([1n, 2n]).div(torch.tensor([2n, 2n]));
    assert.equal(r.dtype, torch.float32);
    assert.deepEqual(r.tolist(), [0.5, 1]);
  });

  it('sum of an int64 tensor is int64', () => {
    const s = torch.tensor([[1n, 2n], [3n, 4n]]).sum();
    assert.equal(s.dtype, torch.int64);
    assert.equal(s.item(), 10);
  });
});

describe('float32 rounding after every op', () => {
  it('0.1 * t rounds the number to float32, then the product to float32', () => {
    const x = torch.tensor([35.7, 1 / 3, 7.0]);
    const expected = (x.tolist() as number[]).map((v) => Math.fround(Math.fround(0.1) * v));
    assert.deepEqual(x.mul(0.1).tolist(), expected);
    assert.deepEqual(x.mul(0.1).tolist(), [3.570000171661377, 0.03333333507180214, 0.699999988079071]);
  });

  it('the chapter\'s normalized input t_u * 0.1 prints as the book shows', () => {
    assert.equal(
      String(torch.tensor(T_U).mul(0.1)),
      'tensor([3.5700, 5.5900, 5.8200, 8.1900, 5.6300, 4.8900, 3.3900, 2.1800, 4.8400,\n        6.0400, 6.8400])',
    );
  });

  it('a chain of ops rounds at each step, not once at the end', () => {
    const x = torch.tensor([1 / 3]);
    const v = Math.fround(1 / 3);
    const expected = Math.fround(Math.fround(v * 3) - 1);
    assert.equal(x.mul(3).sub(1).item(), expected);
  });

  it('float64 tensors are not rounded to float32', () => {
    const x = torch.tensor([0.1], { dtype: torch.float64 });
    assert.equal(x.mul(3).item(), 0.1 * 3);
  });
});

describe('broadcasting', () => {
  it('[3,1] with [4] gives [3,4]', () => {
    assert.deepEqual(torch.ones(3, 1).add(torch.ones(4)).shape, [3, 4]);
  });

  it('a zero-dim tensor broadcasts against anything', () => {
    assert.deepEqual(torch.tensor(2.0).mul(torch.ones(2, 3)).shape, [2, 3]);
  });

  it('incompatible shapes fail with PyTorch\'s message', () => {
    assertPyTorchError(
      () => torch.ones(2, 3).add(torch.ones(3, 2)),
      'RuntimeError',
      'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1',
    );
  });

  it('the failing dimension is reported as PyTorch counts it', () => {
    assertPyTorchError(
      () => torch.ones(2, 3).mul(torch.ones(4)),
      'RuntimeError',
      'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1',
    );
  });

  it('an in-place op cannot grow its tensor', () => {
    assertPyTorchError(() => torch.ones(3).add_(torch.ones(2, 3)), 'RuntimeError', "output with shape [3] doesn't match the broadcast shape [2, 3]", {
      hint: false,
    });
  });
});

describe('reductions', () => {
  it('sum over the last dim with a negative index', () => {
    assert.deepEqual(M().sum(-1).tolist(), [11, 16]);
  });

  it('sum with keepdim keeps the reduced dim as size 1', () => {
    const s = M().sum(0, true);
    assert.deepEqual(s.shape, [1, 3]);
    assert.deepEqual(s.tolist(), [[8, 7, 12]]);
  });

  it('sum over several dims (including negative ones)', () => {
    assert.equal(M().sum([0, 1]).item(), 27);
    assert.equal(M().sum([-1, 0]).item(), 27);
  });

  it('sum accepts an options object', () => {
    assert.deepEqual(M().sum({ dim: 1, keepdim: true }).tolist(), [[11], [16]]);
  });

  it('mean of all elements and over a negative dim', () => {
    assert.equal(M().mean().item(), 4.5);
    assert.deepEqual(M().mean(-2).tolist(), [4, 3.5, 6]);
  });

  it('mean of an int64 tensor fails with PyTorch\'s message', () => {
    assertPyTorchError(
      () => torch.tensor([1n, 2n]).mean(),
      'RuntimeError',
      'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long',
    );
  });

  it('var and std are Bessel-corrected by default', () => {
    assert.equal(M().var().item(), 6.300000190734863);
    assert.equal(M().std().item(), 2.5099799633026123);
    assert.deepEqual(M().std(1).tolist(), [2.309401035308838, 2.886751413345337]);
  });

  it('var with unbiased: false divides by n', () => {
    assert.deepEqual(M().var(0, { unbiased: false }).tolist(), [9, 2.25, 1]);
  });

  it('a dim out of range fails with PyTorch\'s IndexError', () => {
    assertPyTorchError(() => M().sum(2), 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)', { hint: false });
  });
});

describe('max, min, argmax, argmin', () => {
  it('max() and min() of all elements', () => {
    assert.equal(M().max().item(), 7);
    assert.equal(M().min().item(), 1);
  });

  it('argmax/argmin without dim index the flattened tensor, first occurrence on ties', () => {
    assert.equal(M().argmax().item(), 3);
    assert.equal(M().argmin().item(), 0);
    assert.equal(torch.tensor([1.0, 3.0, 3.0, 2.0]).argmax().item(), 1);
  });

  it('argmax/argmin over a dim pick the first occurrence on ties', () => {
    assert.deepEqual(M().argmax(1).tolist(), [1, 0]);
    assert.deepEqual(M().argmin(0).tolist(), [0, 1, 0]);
  });

  it('argmax with keepdim', () => {
    assert.deepEqual(M().argmax(1, true).tolist(), [[1], [0]]);
  });

  it('argmax returns int64', () => {
    assert.equal(M().argmax().dtype, torch.int64);
  });

  it('max(dim) returns { values, indices } (first occurrence on ties)', () => {
    const r = M().max(1);
    assert.deepEqual(r.values.tolist(), [5, 7]);
    assert.deepEqual(r.indices.tolist(), [1, 0]);
    assert.equal(r.indices.dtype, torch.int64);
  });

  it('max(dim) destructures like Python\'s tuple unpacking', () => {
    const [values, indices] = M().max(1);
    assert.deepEqual(values!.tolist(), [5, 7]);
    assert.deepEqual(indices!.tolist(), [1, 0]);
  });

  it('max(dim) destructures by name', () => {
    const { values, indices } = M().min(0);
    assert.deepEqual(values.tolist(), [1, 2, 5]);
    assert.deepEqual(indices.tolist(), [0, 1, 0]);
  });

  it('max(dim, keepdim) keeps the reduced dim', () => {
    const { values, indices } = M().max(1, true);
    assert.deepEqual(values.shape, [2, 1]);
    assert.deepEqual(indices.tolist(), [[1], [0]]);
  });

  it('torch.max(t, dim) is t.max(dim)', () => {
    assert.deepEqual(torch.max(M(), 1).indices.tolist(), [1, 0]);
  });

  it('max(other) is the elementwise maximum', () => {
    assert.deepEqual(torch.tensor([1.0, 5.0]).max(torch.tensor([3.0, 2.0])).tolist(), [3, 5]);
  });
});

describe('metadata and values', () => {
  it('size(), size(dim), shape, dim(), numel()', () => {
    const t = M();
    assert.deepEqual(t.size(), [2, 3]);
    assert.equal(t.size(-1), 3);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dim(), 2);
    assert.equal(t.numel(), 6);
  });

  it('item() of a one-element tensor is a number', () => {
    assert.equal(torch.tensor(2.5).item(), 2.5);
    assert.equal(torch.tensor([[2.5]]).item(), 2.5);
  });

  it('item() of a tensor with several elements fails with PyTorch\'s ValueError', () => {
    assertPyTorchError(() => torch.ones(2, 3).item(), 'ValueError', 'only one element tensors can be converted to Python scalars', { hint: false });
  });

  it('tolist() gives nested numbers, with booleans for bool tensors', () => {
    assert.deepEqual(torch.tensor([[1n, 2n]]).tolist(), [[1, 2]]);
    assert.deepEqual(torch.tensor([true, false]).tolist(), [true, false]);
  });

  it('tolist() of a zero-dim tensor is a plain number', () => {
    assert.equal(torch.tensor(1.5).tolist(), 1.5);
  });

  it('tolist() of a transposed tensor follows its logical order', () => {
    assert.deepEqual(M().t().tolist(), [[1, 7], [5, 2], [5, 7]]);
  });
});

describe('printing with String(t)', () => {
  it('the chapter gradient: tensor([4517.2969,   82.6000])', () => {
    assert.equal(String(torch.tensor([4517.296875, 82.5999984741211])), 'tensor([4517.2969,   82.6000])');
  });

  it('the chapter parameters after training, with requires_grad', () => {
    assert.equal(String(torch.tensor([5.3671, -17.3012], { requires_grad: true })), 'tensor([  5.3671, -17.3012], requires_grad=True)');
  });

  it('t_c wraps at 80 columns as PyTorch does', () => {
    assert.equal(
      String(torch.tensor(T_C)),
      'tensor([ 0.5000, 14.0000, 15.0000, 28.0000, 11.0000,  8.0000,  3.0000, -4.0000,\n         6.0000, 13.0000, 21.0000])',
    );
  });

  it('t_u wraps at 80 columns as PyTorch does', () => {
    assert.equal(
      String(torch.tensor(T_U)),
      'tensor([35.7000, 55.9000, 58.2000, 81.9000, 56.3000, 48.9000, 33.9000, 21.8000,\n        48.4000, 60.4000, 68.4000])',
    );
  });

  it('a model output carries its grad_fn', () => {
    const params = torch.tensor([1.0, 0.0], { requires_grad: true });
    const [w, b] = params;
    assert.equal(
      String(w!.mul(torch.tensor(T_U)).add(b!)),
      'tensor([35.7000, 55.9000, 58.2000, 81.9000, 56.3000, 48.9000, 33.9000, 21.8000,\n        48.4000, 60.4000, 68.4000], grad_fn=<AddBackward0>)',
    );
  });

  it('integer-valued floats print with a trailing dot', () => {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    assert.equal(String(x.mul(2)), 'tensor([2., 4., 6.], grad_fn=<MulBackward0>)');
    assert.equal(String(x.sum()), 'tensor(6., grad_fn=<SumBackward0>)');
  });

  it('a matrix aligns its columns', () => {
    assert.equal(String(torch.tensor([[1.0, -2.5], [300.0, 4.0]])), 'tensor([[  1.0000,  -2.5000],\n        [300.0000,   4.0000]])');
  });

  it('int64 and bool tensors', () => {
    assert.equal(String(torch.tensor([-1n, 20n, 300n])), 'tensor([ -1,  20, 300])');
    assert.equal(String(torch.tensor([true, false])), 'tensor([ True, False])');
    assert.equal(String(torch.tensor([[true], [false]])), 'tensor([[ True],\n        [False]])');
  });

  it('non-finite values', () => {
    assert.equal(String(torch.tensor([1.5, NaN, Infinity])), 'tensor([1.5000,    nan,    inf])');
  });

  it('float64 tensors say their dtype', () => {
    assert.equal(String(torch.tensor(-0.5, { dtype: torch.float64 })), 'tensor(-0.5000, dtype=torch.float64)');
    assert.equal(
      String(torch.tensor([0.1, 0.25], { requires_grad: true }).double()),
      'tensor([0.1000, 0.2500], dtype=torch.float64, grad_fn=<ToCopyBackward0>)',
    );
  });

  it('scientific notation when the range is wide', () => {
    assert.equal(String(torch.tensor([1e-5, 1.0])), 'tensor([1.0000e-05, 1.0000e+00])');
    assert.equal(String(torch.tensor([0.1, 100000.0])), 'tensor([1.0000e-01, 1.0000e+05])');
  });

  it('a transposed tensor prints in its logical order', () => {
    assert.equal(String(torch.ones(2, 3).t()), 'tensor([[1., 1.],\n        [1., 1.],\n        [1., 1.]])');
  });
});

describe('Python indexing', () => {
  it('t[i] is t.get(i)', () => {
    assert.deepEqual(M().get(1).tolist(), [7, 2, 7]);
  });

  it('t[-1] is t.get(-1)', () => {
    assert.deepEqual(M().get(-1).tolist(), [7, 2, 7]);
  });

  it('t[:-n] is t.slice(null, -n)', () => {
    assert.deepEqual(M().slice(null, -1).tolist(), [[1, 5, 5]]);
  });

  it('t[a:b] is t.slice(a, b), clamped to the size as Python slices are', () => {
    assert.deepEqual(torch.arange(5).slice(1, 100).tolist(), [1, 2, 3, 4]);
    assert.deepEqual(torch.arange(5).slice(-2).tolist(), [3, 4]);
  });

  it('t[::2] is t.slice(null, null, 2)', () => {
    assert.deepEqual(torch.arange(5).slice(null, null, 2).tolist(), [0, 2, 4]);
  });

  it('t[a:b, i] is t.index(slice(a, b), i)', () => {
    assert.deepEqual(M().index(slice(0, 1), 2).tolist(), [5]);
  });

  it('t[a:b, i] is also t.index(\'a:b, i\')', () => {
    assert.deepEqual(M().index('0:1, 2').tolist(), [5]);
  });

  it('t[:, i] picks a column', () => {
    assert.deepEqual(M().index(':, 1').tolist(), [5, 2]);
    assert.deepEqual(M().index(slice(), 1).tolist(), [5, 2]);
  });

  it('t[i, j] picks an element as a zero-dim tensor', () => {
    const e = M().index(1, 0);
    assert.deepEqual(e.shape, []);
    assert.equal(e.item(), 7);
  });

  it('None adds an axis and ... fills the remaining dims', () => {
    assert.deepEqual(M().index('None').shape, [1, 2, 3]);
    assert.deepEqual(M().index('..., 0').tolist(), [1, 7]);
    assert.deepEqual(M().index(null, '...', 0).shape, [1, 2]);
  });

  it('t[mask] with a bool mask of the same shape selects elements in row-major order', () => {
    const t = M();
    assert.deepEqual(t.get(t.gt(4)).tolist(), [5, 5, 7, 7]);
  });

  it('t[mask] with a mask over the first dim selects rows', () => {
    assert.deepEqual(M().get(torch.tensor([false, true])).tolist(), [[7, 2, 7]]);
  });

  it('t[index_tensor] gathers rows, repeats allowed', () => {
    assert.deepEqual(M().get(torch.tensor([1n, 0n, 1n])).tolist(), [[7, 2, 7], [1, 5, 5], [7, 2, 7]]);
  });

  it('t[[i, j]] with an array of ints is a tensor index', () => {
    assert.deepEqual(torch.arange(5).get([4, 0]).tolist(), [4, 0]);
  });

  it('t[rows, cols] with two index tensors pairs them up', () => {
    assert.deepEqual(M().index(torch.tensor([0n, 1n]), torch.tensor([2n, 1n])).tolist(), [5, 2]);
  });

  it('an int index out of range fails with PyTorch\'s IndexError', () => {
    assertPyTorchError(() => M().get(2), 'IndexError', 'index 2 is out of bounds for dimension 0 with size 2', { hint: false });
  });

  it('too many indices fail with PyTorch\'s IndexError', () => {
    assertPyTorchError(() => M().index(0, 0, 0), 'IndexError', 'too many indices for tensor of dimension 2', { hint: false });
  });

  it('an index tensor value out of range fails with PyTorch\'s IndexError', () => {
    assertPyTorchError(() => torch.ones(3).get(torch.tensor([3n])), 'IndexError', 'index 3 is out of bounds for dimension 0 with size 3', { hint: false });
  });

  it('a float index tensor fails with PyTorch\'s IndexError', () => {
    assertPyTorchError(() => torch.ones(3).get(torch.tensor([1.0])), 'IndexError', 'tensors used as indices must be long, byte or bool tensors');
  });

  it('a mask of the wrong shape fails with PyTorch\'s IndexError', () => {
    assertPyTorchError(
      () => torch.ones(2).get(torch.tensor([true, false, true])),
      'IndexError',
      'The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2] at index 0',
      { hint: false },
    );
  });
});

describe('index_put_ (t[idx] = value)', () => {
  it('t[i] = v fills a row', () => {
    const x = torch.zeros(2, 3);
    x.index_put_([1], 5);
    assert.deepEqual(x.tolist(), [[0, 0, 0], [5, 5, 5]]);
  });

  it('t[:, 0] = tensor writes a column', () => {
    const x = torch.zeros(3, 2);
    x.index_put_([slice(), 0], torch.tensor([1.0, 2.0, 3.0]));
    assert.deepEqual(x.tolist(), [[1, 0], [2, 0], [3, 0]]);
  });

  it('t[mask] = v writes where the mask is true', () => {
    const x = torch.tensor([1.0, 6.0, 3.0, 9.0]);
    x.index_put_([x.gt(4)], -1);
    assert.deepEqual(x.tolist(), [1, -1, 3, -1]);
  });

  it('accepts the Python index as a string', () => {
    const x = torch.zeros(2, 3);
    x.index_put_('1, 1:', 7);
    assert.deepEqual(x.tolist(), [[0, 0, 0], [0, 7, 7]]);
  });

  it('PyTorch\'s sequence of assignments, each bumping the version once', () => {
    const x = torch.zeros(3, 4);
    x.index_put_([1], 5);
    x.index_put_([slice(), 0], torch.tensor([1.0, 2.0, 3.0]));
    x.index_put_([x.gt(4)], -1);
    x.index_put_([torch.tensor([2n]), 3], 9);
    assert.deepEqual(x.tolist(), [
      [1, 0, 0, 0],
      [2, -1, -1, -1],
      [3, 0, 0, 9],
    ]);
    assert.equal(x._version, 4);
  });

  it('values are cast to the tensor\'s dtype', () => {
    const x = torch.zeros(2, { dtype: torch.int64 });
    x.index_put_([0], 2.7);
    assert.deepEqual(x.tolist(), [2, 0]);
  });
});

describe('seeded random numbers match PyTorch CPU', () => {
  it('manual_seed(0); randperm(11)', () => {
    torch.manual_seed(0);
    assert.deepEqual(torch.randperm(11).tolist(), [10, 0, 4, 3, 5, 8, 2, 1, 9, 7, 6]);
  });

  it('manual_seed(0); rand(3)', () => {
    torch.manual_seed(0);
    assert.deepEqual(torch.rand(3).tolist(), [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]);
  });

  it('manual_seed(0); randn(3)', () => {
    torch.manual_seed(0);
    assert.deepEqual(torch.randn(3).tolist(), [1.5409960746765137, -0.293428897857666, -2.1787893772125244]);
  });

  it('randperm gives int64', () => {
    torch.manual_seed(0);
    assert.equal(torch.randperm(4).dtype, torch.int64);
  });

  it('re-seeding repeats the sequence', () => {
    torch.manual_seed(0);
    const a = torch.rand(2).tolist();
    torch.manual_seed(0);
    assert.deepEqual(torch.rand(2).tolist(), a);
  });
});

describe('gather and .data assignment (regressions)', () => {
  it('gather reads along dim with an index longer than the input', () => {
    assert.deepEqual(torch.tensor([1, 2, 3]).gather(0, torch.tensor([2n, 2n, 1n, 0n])).tolist(), [3, 3, 2, 1]);
    assert.deepEqual(torch.tensor([[1, 2], [3, 4]]).gather(1, torch.tensor([[0n, 0n, 1n], [1n, 0n, 0n]])).tolist(), [[1, 1, 2], [4, 3, 3]]);
  });

  it('assigning .data replaces the dtype too, as PyTorch does', () => {
    const p = torch.ones(2);
    p.data = p.data.double();
    assert.equal(p.dtype, torch.float64);
    assert.equal(String(p), 'tensor([1., 1.], dtype=torch.float64)');
  });
});

describe('new Tensor (the low-level constructor)', () => {
  it('copies the shape and strides it is given, so changing the caller’s arrays later changes nothing', () => {
    const shape = [2, 2];
    const strides = [2, 1];
    const t = new Tensor(new Float32Array([1, 2, 3, 4]), shape, torch.float32, strides);
    shape[0] = 4;
    strides[0] = 1;
    assert.deepEqual(t.shape, [2, 2]);
    assert.deepEqual(t.stride(), [2, 1]);
    assert.deepEqual(t.tolist(), [
      [1, 2],
      [3, 4],
    ]);
  });
});
