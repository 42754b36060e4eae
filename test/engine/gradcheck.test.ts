// Every differentiable op's backward formula agrees with central finite differences, in float64,
// as torch.autograd.gradcheck checks it in PyTorch. Inputs are deterministic and kept away from
// the points where an op is not differentiable (kinks of abs/relu/clamp, ties of max/min).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { torch } from '../../src/engine/torch.js';
import type { Tensor } from '../../src/engine/tensor.js';
import { f64, input, long } from './helpers.js';

const { gradcheck } = torch.autograd;
const { slice } = torch;

/** gradcheck must pass (it throws a Jacobian-mismatch error otherwise). */
function check(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[]): void {
  assert.equal(gradcheck(fn, inputs), true);
}

/**
 * PyTorch's gradgradcheck: the first derivative, computed with create_graph and contracted
 * with a free upstream gradient `v`, is itself gradchecked with respect to the inputs and `v`.
 */
function gradgradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], seed = 99): void {
  const out = fn(...inputs);
  const v = input(out.shape, seed);
  const firstDerivative = (...args: Tensor[]): Tensor => {
    const xs = args.slice(0, inputs.length);
    const upstream = args[inputs.length]!;
    const grads = torch.autograd.grad([fn(...xs)], xs, { grad_outputs: [upstream], create_graph: true, allow_unused: true });
    // Concatenate every input's gradient into one vector (as gradgradcheck does with tuples).
    return torch.cat(grads.map((g, i) => (g ?? torch.zeros(xs[i]!.shape, { dtype: torch.float64 })).reshape(-1)));
  };
  check(firstDerivative, [...inputs, v]);
}

describe('gradcheck itself', () => {
  it('returns true when backward matches finite differences', () => {
    assert.equal(gradcheck((x) => x.mul(x), [input([3], 1)]), true);
  });

  it('detects a wrong gradient (raise_exception: false returns false)', () => {
    const wrong = (x: Tensor) => {
      const y = x.mul(1);
      if (y.requires_grad) y.register_hook((g) => g.mul(2));
      return y;
    };
    assert.equal(gradcheck(wrong, [input([3], 2)], { raise_exception: false }), false);
  });

  it('throws a Jacobian mismatch error by default when the gradient is wrong', () => {
    const wrong = (x: Tensor) => {
      const y = x.mul(1);
      if (y.requires_grad) y.register_hook((g) => g.mul(2));
      return y;
    };
    assert.throws(() => gradcheck(wrong, [input([3], 2)]), /Jacobian mismatch for output 0 with respect to input 0/);
  });
});

describe('gradcheck: arithmetic', () => {
  it('add of two same-shape tensors', () => check((a, b) => a.add(b), [input([3, 4], 1), input([3, 4], 2)]));
  it('add broadcasts [3,1] with [4]', () => check((a, b) => a.add(b), [input([3, 1], 1), input([4], 2)]));
  it('add of a tensor and a number', () => check((a) => a.add(2.5), [input([3], 1)]));
  it('add of a zero-dim tensor and a vector', () => check((a, b) => a.add(b), [input([], 1), input([4], 2)]));
  it('add with alpha', () => check((a, b) => a.add(b, { alpha: -1.5 }), [input([3], 1), input([3], 2)]));
  it('sub of two same-shape tensors', () => check((a, b) => a.sub(b), [input([2, 3], 1), input([2, 3], 2)]));
  it('sub broadcasts [3,1] with [4]', () => check((a, b) => a.sub(b), [input([3, 1], 1), input([4], 2)]));
  it('sub of a tensor and a number', () => check((a) => a.sub(0.25), [input([3], 1)]));
  it('sub with alpha', () => check((a, b) => a.sub(b, { alpha: 3 }), [input([3], 1), input([3], 2)]));
  it('rsub (number minus tensor)', () => check((a) => a.rsub(2.5), [input([3], 1)]));
  it('mul of two same-shape tensors', () => check((a, b) => a.mul(b), [input([2, 3], 1), input([2, 3], 2)]));
  it('mul broadcasts [3,1] with [4]', () => check((a, b) => a.mul(b), [input([3, 1], 1), input([4], 2)]));
  it('mul of a tensor and a number', () => check((a) => a.mul(-1.75), [input([3], 1)]));
  it('mul of a zero-dim tensor and a matrix', () => check((a, b) => a.mul(b), [input([], 1), input([2, 3], 2)]));
  it('mul of a tensor with itself', () => check((a) => a.mul(a), [input([4], 1)]));
  it('div of two same-shape tensors', () =>
    check((a, b) => a.div(b), [input([2, 3], 1), input([2, 3], 2, { awayFromZero: 0.5 })]));
  it('div broadcasts [3,1] with [4]', () => check((a, b) => a.div(b), [input([3, 1], 1), input([4], 2, { awayFromZero: 0.5 })]));
  it('div of a tensor by a number', () => check((a) => a.div(3), [input([3], 1)]));
  it('div of a number by a tensor (rdiv)', () => check((a) => a.rdiv(2), [input([3], 1, { awayFromZero: 0.5 })]));
  it('div by a zero-dim tensor', () => check((a, b) => a.div(b), [input([3], 1), input([], 2, { awayFromZero: 0.5 })]));
  it('neg', () => check((a) => a.neg(), [input([2, 2], 1)]));
});

describe('gradcheck: pow', () => {
  it('pow with exponent 2', () => check((a) => a.pow(2), [input([4], 1)]));
  it('pow with exponent 3', () => check((a) => a.pow(3), [input([4], 1)]));
  it('pow with exponent 0.5', () => check((a) => a.pow(0.5), [input([4], 1, { lo: 0.5, hi: 2 })]));
  it('pow with exponent -1', () => check((a) => a.pow(-1), [input([4], 1, { awayFromZero: 0.5 })]));
  it('pow with exponent 0 has zero gradient', () => check((a) => a.pow(0), [input([4], 1)]));
  it('square', () => check((a) => a.square(), [input([4], 1)]));
  it('pow with a tensor exponent (both gradients)', () =>
    check((a, b) => a.pow(b), [input([4], 1, { lo: 0.5, hi: 2 }), input([4], 2)]));
  it('pow with a broadcast tensor exponent [3,1] ** [4]', () =>
    check((a, b) => a.pow(b), [input([3, 1], 1, { lo: 0.5, hi: 2 }), input([4], 2)]));
});

describe('gradcheck: unary functions', () => {
  it('exp', () => check((a) => a.exp(), [input([5], 1)]));
  it('log', () => check((a) => a.log(), [input([5], 1, { lo: 0.2, hi: 3 })]));
  it('sqrt', () => check((a) => a.sqrt(), [input([5], 1, { lo: 0.2, hi: 3 })]));
  it('rsqrt', () => check((a) => a.rsqrt(), [input([5], 1, { lo: 0.2, hi: 3 })]));
  it('abs', () => check((a) => a.abs(), [input([5], 1, { awayFromZero: 0.1 })]));
  it('sin', () => check((a) => a.sin(), [input([5], 1, { lo: -3, hi: 3 })]));
  it('cos', () => check((a) => a.cos(), [input([5], 1, { lo: -3, hi: 3 })]));
  it('tanh', () => check((a) => a.tanh(), [input([5], 1, { lo: -2, hi: 2 })]));
  it('sigmoid', () => check((a) => a.sigmoid(), [input([5], 1, { lo: -4, hi: 4 })]));
  it('relu', () => check((a) => a.relu(), [input([6], 1, { awayFromZero: 0.1 })]));
  it('reciprocal', () => check((a) => a.reciprocal(), [input([5], 1, { awayFromZero: 0.5 })]));
  it('clamp with min and max', () => check((a) => a.clamp(-0.5, 0.5), [f64([-0.9, -0.3, 0.1, 0.45, 0.8])]));
  it('clamp with only min', () => check((a) => a.clamp({ min: 0 }), [f64([-0.9, -0.3, 0.1, 0.45, 0.8])]));
  it('clamp with only max', () => check((a) => a.clamp(null, 0.2), [f64([-0.9, -0.3, 0.1, 0.45, 0.8])]));
  it('maximum of two tensors', () => check((a, b) => a.maximum(b), [input([6], 1), input([6], 2)]));
  it('minimum of two tensors', () => check((a, b) => a.minimum(b), [input([6], 1), input([6], 2)]));
  it('maximum broadcasts [3,1] with [4]', () => check((a, b) => torch.maximum(a, b), [input([3, 1], 1), input([4], 2)]));
  it('where picks from both inputs', () => {
    const cond = torch.tensor([true, false, true, false]);
    check((a, b) => torch.where(cond, a, b), [input([4], 1), input([4], 2)]);
  });
  it('where broadcasts the condition and inputs', () => {
    const cond = torch.tensor([[true], [false], [true]]);
    check((a, b) => torch.where(cond, a, b), [input([4], 1), input([3, 1], 2)]);
  });
  it('where with a number for other', () => {
    const cond = torch.tensor([true, false, true]);
    check((a) => torch.where(cond, a, 0), [input([3], 1)]);
  });
});

describe('gradcheck: reductions', () => {
  it('sum of all elements', () => check((a) => a.sum(), [input([2, 3], 1)]));
  it('sum over a dim', () => check((a) => a.sum(1), [input([2, 3], 1)]));
  it('sum over a negative dim with keepdim', () => check((a) => a.sum(-2, true), [input([2, 3], 1)]));
  it('sum over several dims', () => check((a) => a.sum([0, 2]), [input([2, 3, 2], 1)]));
  it('sum over several dims with keepdim (options object)', () =>
    check((a) => a.sum({ dim: [0, -1], keepdim: true }), [input([2, 3, 2], 1)]));
  it('mean of all elements', () => check((a) => a.mean(), [input([2, 3], 1)]));
  it('mean over a dim', () => check((a) => a.mean(0), [input([2, 3], 1)]));
  it('mean over a dim with keepdim', () => check((a) => a.mean(1, true), [input([2, 3], 1)]));
  it('mean over several dims', () => check((a) => a.mean([1, 2]), [input([2, 3, 2], 1)]));
  it('max of all elements', () => check((a) => a.max(), [input([2, 3], 1)]));
  it('min of all elements', () => check((a) => a.min(), [input([2, 3], 1)]));
  it('max over a dim (values)', () => check((a) => a.max(1).values, [input([3, 4], 1)]));
  it('max over a dim with keepdim', () => check((a) => a.max(0, true).values, [input([3, 4], 1)]));
  it('min over a dim (values)', () => check((a) => a.min(-1).values, [input([3, 4], 1)]));
  it('torch.max over a dim', () => check((a) => torch.max(a, 1).values, [input([3, 4], 1)]));
  it('var of all elements', () => check((a) => a.var(), [input([2, 3], 1)]));
  it('var over a dim', () => check((a) => a.var(1), [input([2, 3], 1)]));
  it('var over a dim, biased, keepdim', () => check((a) => a.var(0, { unbiased: false, keepdim: true }), [input([3, 2], 1)]));
  it('std of all elements', () => check((a) => a.std(), [input([2, 3], 1)]));
  it('std over a dim', () => check((a) => a.std(1), [input([2, 3], 1)]));
  it('norm', () => check((a) => a.norm(), [input([2, 3], 1)]));
});

describe('gradcheck: linear algebra', () => {
  it('matmul 1-D @ 1-D (dot)', () => check((a, b) => a.matmul(b), [input([3], 1), input([3], 2)]));
  it('matmul 2-D @ 1-D (mv)', () => check((a, b) => a.matmul(b), [input([2, 3], 1), input([3], 2)]));
  it('matmul 1-D @ 2-D', () => check((a, b) => a.matmul(b), [input([3], 1), input([3, 2], 2)]));
  it('matmul 2-D @ 2-D', () => check((a, b) => a.matmul(b), [input([2, 3], 1), input([3, 4], 2)]));
  it('matmul 3-D @ 3-D', () => check((a, b) => a.matmul(b), [input([2, 2, 3], 1), input([2, 3, 2], 2)]));
  it('matmul 3-D @ 2-D', () => check((a, b) => a.matmul(b), [input([2, 2, 3], 1), input([3, 2], 2)]));
  it('matmul 2-D @ 3-D', () => check((a, b) => a.matmul(b), [input([2, 3], 1), input([2, 3, 2], 2)]));
  it('matmul 1-D @ 3-D', () => check((a, b) => a.matmul(b), [input([3], 1), input([2, 3, 2], 2)]));
  it('matmul 3-D @ 1-D', () => check((a, b) => a.matmul(b), [input([2, 2, 3], 1), input([3], 2)]));
  it('matmul broadcasts batch dims [2,1,2,3] @ [3,3,2]', () =>
    check((a, b) => a.matmul(b), [input([2, 1, 2, 3], 1), input([3, 3, 2], 2)]));
  it('mm', () => check((a, b) => a.mm(b), [input([2, 3], 1), input([3, 2], 2)]));
  it('mm of a transposed (non-contiguous) operand', () => check((a, b) => a.t().mm(b), [input([3, 2], 1), input([3, 2], 2)]));
  it('bmm', () => check((a, b) => a.bmm(b), [input([2, 2, 3], 1), input([2, 3, 2], 2)]));
  it('dot', () => check((a, b) => a.dot(b), [input([4], 1), input([4], 2)]));
  it('addmm with a broadcast bias', () =>
    check((c, a, b) => torch.addmm(c, a, b), [input([2], 1), input([3, 4], 2), input([4, 2], 3)]));
  it('addmm with a full bias, beta and alpha', () =>
    check((c, a, b) => torch.addmm(c, a, b, { beta: 0.5, alpha: 2 }), [input([3, 2], 1), input([3, 4], 2), input([4, 2], 3)]));
});

describe('gradcheck: views and shape ops', () => {
  it('t', () => check((a) => a.t(), [input([2, 3], 1)]));
  it('transpose', () => check((a) => a.transpose(0, 2), [input([2, 3, 2], 1)]));
  it('permute', () => check((a) => a.permute(2, 0, 1), [input([2, 3, 2], 1)]));
  it('reshape', () => check((a) => a.reshape(3, -1), [input([2, 3], 1)]));
  it('reshape of a non-contiguous tensor (copies)', () => check((a) => a.t().reshape(6), [input([2, 3], 1)]));
  it('view', () => check((a) => a.view([3, 2]), [input([2, 3], 1)]));
  it('flatten', () => check((a) => a.flatten(), [input([2, 3, 2], 1)]));
  it('flatten with start_dim', () => check((a) => a.flatten(1), [input([2, 3, 2], 1)]));
  it('squeeze of all size-1 dims', () => check((a) => a.squeeze(), [input([2, 1, 3, 1], 1)]));
  it('squeeze of one dim', () => check((a) => a.squeeze(1), [input([2, 1, 3], 1)]));
  it('unsqueeze', () => check((a) => a.unsqueeze(-1), [input([2, 3], 1)]));
  it('expand', () => check((a) => a.expand(2, 3, 4), [input([3, 1], 1)]));
  it('expand_as', () => check((a, b) => a.expand_as(b).mul(b), [input([1, 3], 1), input([2, 3], 2)]));
  it('cat along dim 0', () => check((a, b) => torch.cat([a, b]), [input([2, 3], 1), input([1, 3], 2)]));
  it('cat along dim 1 of three tensors', () =>
    check((a, b, c) => torch.cat([a, b, c], 1), [input([2, 1], 1), input([2, 3], 2), input([2, 2], 3)]));
  it('cat along a negative dim', () => check((a, b) => torch.cat([a, b], -1), [input([2, 2], 1), input([2, 1], 2)]));
  it('stack along dim 0', () => check((a, b) => torch.stack([a, b]), [input([2, 3], 1), input([2, 3], 2)]));
  it('stack along dim 1', () => check((a, b) => torch.stack([a, b], 1), [input([2, 3], 1), input([2, 3], 2)]));
  it('stack along dim -1', () => check((a, b) => torch.stack([a, b], -1), [input([3], 1), input([3], 2)]));
  it('unbind by iteration (Python *params)', () =>
    check((p) => {
      const [w, b] = p;
      return w!.mul(f64([1.5, -2, 3], false)).add(b!);
    }, [input([2], 1)]));
  it('unbind along dim 1', () =>
    check((a) => {
      const [x, y, z] = a.unbind(1);
      return x!.mul(y!).add(z!);
    }, [input([2, 3], 1)]));
  it('unbind with some outputs unused', () =>
    check((a) => {
      const parts = a.unbind();
      return parts[1]!.mul(2);
    }, [input([3, 2], 1)]));
  it('chunk', () =>
    check((a) => {
      const [x, y] = a.chunk(2);
      return x!.mul(y!);
    }, [input([4], 1)]));
  it('narrow', () => check((a) => a.narrow(1, 1, 2), [input([2, 4], 1)]));
});

describe('gradcheck: indexing', () => {
  it('get with an int (select)', () => check((a) => a.get(1), [input([3, 2], 1)]));
  it('get with a negative int', () => check((a) => a.get(-1), [input([3, 2], 1)]));
  it('select along dim 1', () => check((a) => a.select(1, 0), [input([3, 2], 1)]));
  it('slice from an index', () => check((a) => a.slice(1), [input([4, 2], 1)]));
  it('slice with a negative stop (t[:-1])', () => check((a) => a.slice(null, -1), [input([4, 2], 1)]));
  it('slice with a step (t[::2])', () => check((a) => a.slice(null, null, 2), [input([5], 1)]));
  it('index with a slice and an int (t[0:2, 1])', () => check((a) => a.index(slice(0, 2), 1), [input([3, 2], 1)]));
  it('index with a Python string (t[:, 1])', () => check((a) => a.index(':, 1'), [input([3, 2], 1)]));
  it('index with an ellipsis and a new axis', () => check((a) => a.index('..., None, 0'), [input([2, 3], 1)]));
  it('get with an int64 index tensor (repeated indices accumulate)', () =>
    check((a) => a.get(long([2, 0, 2])), [input([3, 2], 1)]));
  it('get with an array of ints', () => check((a) => a.get([1, 1, 0]), [input([3], 1)]));
  it('get with a bool mask', () => check((a) => a.get(torch.tensor([[true, false], [false, true], [true, true]])), [input([3, 2], 1)]));
  it('get with a bool mask over the first dim', () => check((a) => a.get(torch.tensor([true, false, true])), [input([3, 2], 1)]));
  it('index with a slice then an index tensor', () => check((a) => a.index(slice(null, null), long([1, 0, 1])), [input([3, 2], 1)]));
  it('index with two index tensors', () => check((a) => a.index(long([0, 2, 2]), long([1, 0, 1])), [input([3, 2], 1)]));
  it('index_select', () => check((a) => a.index_select(1, long([2, 0, 2])), [input([2, 3], 1)]));
  it('index_select along dim 0', () => check((a) => torch.index_select(a, 0, long([1, 1])), [input([2, 3], 1)]));
  it('gather', () => check((a) => a.gather(1, long([[0, 0], [1, 0]])), [input([2, 3], 1)]));
  it('gather along dim 0', () => check((a) => torch.gather(a, 0, long([[1, 0, 1]])), [input([2, 3], 1)]));
  it('scatter_add into self and from src', () =>
    check((a, s) => a.scatter_add(1, long([[0, 0, 2], [1, 1, 1]]), s), [input([2, 3], 1), input([2, 3], 2)]));
  it('masked_fill', () => check((a) => a.masked_fill(torch.tensor([true, false, true, false]), 0.5), [input([4], 1)]));
  it('masked_fill with a broadcast mask', () => check((a) => a.masked_fill(torch.tensor([[true], [false]]), -1), [input([2, 3], 1)]));
  it('masked_fill with a zero-dim value tensor (gradient to the value)', () =>
    check((a, v) => a.masked_fill(torch.tensor([true, false, true]), v), [input([3], 1), input([], 2)]));
});

describe('gradcheck: copies and casts', () => {
  it('clone', () => check((a) => a.clone(), [input([2, 3], 1)]));
  it('contiguous of a transposed tensor', () => check((a) => a.t().contiguous(), [input([2, 3], 1)]));
  it('to(float64) of a float64 tensor is the identity', () => check((a) => a.to(torch.float64).mul(2), [input([3], 1)]));
  it('to(float32) and back passes the gradient through (within float32 accuracy)', () =>
    assert.equal(gradcheck((a) => a.to(torch.float32).mul(2).to(torch.float64), [input([3], 1)], { eps: 1e-3, atol: 1e-3 }), true));
  it('to(float32) gives a float64 gradient to its float64 input', () => {
    const a = input([3], 1);
    a.to(torch.float32).sum().backward();
    assert.equal(a.grad!.dtype, torch.float64);
  });
});

describe('gradcheck: fused pointwise ops', () => {
  it('addcmul', () => check((a, b, c) => torch.addcmul(a, b, c, { value: 0.5 }), [input([3], 1), input([3], 2), input([3], 3)]));
  it('addcdiv', () =>
    check((a, b, c) => torch.addcdiv(a, b, c, { value: 0.5 }), [input([3], 1), input([3], 2), input([3], 3, { awayFromZero: 0.5 })]));
  it('lerp', () => check((a, b) => torch.lerp(a, b, 0.3), [input([3], 1), input([3], 2)]));
});

describe('gradcheck: in-place ops on non-leaf tensors', () => {
  /** y = x * 1 is a non-leaf that may be changed in place. */
  const nonLeaf = (x: Tensor) => x.mul(1);
  it('add_ of a tensor', () => check((x, y) => nonLeaf(x).add_(y), [input([3], 1), input([3], 2)]));
  it('add_ with alpha', () => check((x, y) => nonLeaf(x).add_(y, { alpha: 2 }), [input([3], 1), input([3], 2)]));
  it('sub_ of a broadcast tensor', () => check((x, y) => nonLeaf(x).sub_(y), [input([2, 3], 1), input([3], 2)]));
  it('mul_ of a tensor', () => check((x, y) => nonLeaf(x).mul_(y), [input([3], 1), input([3], 2)]));
  it('mul_ by itself', () => check((x) => {
    const y = nonLeaf(x);
    return y.mul_(y.clone());
  }, [input([3], 1)]));
  it('div_ by a tensor', () => check((x, y) => nonLeaf(x).div_(y), [input([3], 1), input([3], 2, { awayFromZero: 0.5 })]));
  it('pow_ by a number', () => check((x) => nonLeaf(x).pow_(3), [input([3], 1)]));
  it('neg_', () => check((x) => nonLeaf(x).neg_(), [input([3], 1)]));
  it('exp_', () => check((x) => nonLeaf(x).exp_(), [input([3], 1)]));
  it('sqrt_', () => check((x) => nonLeaf(x).sqrt_(), [input([3], 1, { lo: 0.5, hi: 2 })]));
  it('abs_', () => check((x) => nonLeaf(x).abs_(), [input([3], 1, { awayFromZero: 0.1 })]));
  it('relu_', () => check((x) => nonLeaf(x).relu_(), [input([4], 1, { awayFromZero: 0.1 })]));
  it('tanh_', () => check((x) => nonLeaf(x).tanh_(), [input([3], 1)]));
  it('sigmoid_', () => check((x) => nonLeaf(x).sigmoid_(), [input([3], 1)]));
  it('clamp_', () => check((x) => nonLeaf(x).clamp_(-0.5, 0.5), [f64([-0.9, -0.3, 0.1, 0.45, 0.8])]));
  it('masked_fill_', () => check((x) => nonLeaf(x).masked_fill_(torch.tensor([true, false, true]), 2), [input([3], 1)]));
  it('addcmul_', () => check((x, a, b) => nonLeaf(x).addcmul_(a, b, { value: 2 }), [input([3], 1), input([3], 2), input([3], 3)]));
  it('addcdiv_', () =>
    check((x, a, b) => nonLeaf(x).addcdiv_(a, b, { value: 2 }), [input([3], 1), input([3], 2), input([3], 3, { awayFromZero: 0.5 })]));
  it('lerp_', () => check((x, e) => nonLeaf(x).lerp_(e, 0.25), [input([3], 1), input([3], 2)]));
  it('copy_ from another tensor', () => check((x, y) => nonLeaf(x).copy_(y).mul(x), [input([3], 1), input([3], 2)]));
  it('fill_ cuts the gradient to the overwritten values', () => check((x) => nonLeaf(x).fill_(2).add(x), [input([3], 1)]));
  it('a chain of in-place ops', () => check((x, y) => nonLeaf(x).mul_(y).add_(1).exp_(), [input([3], 1), input([3], 2)]));
});

describe('gradcheck: compositions', () => {
  it('the chapter model and loss', () => {
    const t_u = f64([35.7, 55.9, 58.2, 81.9, 56.3], false).mul(0.1);
    const t_c = f64([0.5, 14.0, 15.0, 28.0, 11.0], false);
    check((w, b) => w.mul(t_u).add(b).sub(t_c).pow(2).mean(), [input([], 1), input([], 2)]);
  });
  it('a two-layer network with tanh', () =>
    check((x, w1, b1, w2) => torch.addmm(b1, x, w1.t()).tanh().matmul(w2).sum(), [
      input([4, 3], 1),
      input([5, 3], 2),
      input([5], 3),
      input([5], 4),
    ]));
  it('an input used by several branches', () => check((x) => x.exp().mul(x.sin()).add(x.pow(2)), [input([4], 1)]));
});

describe('second-order gradients (gradcheck of a function that calls autograd.grad with create_graph)', () => {
  it('d/dx of the gradient of sum(x^3) is 6x', () =>
    check((x) => torch.autograd.grad(x.pow(3).sum(), x, { create_graph: true })[0]!, [input([4], 1)]));
  it('the gradient of a product with respect to both factors', () =>
    check((x, y) => {
      const [gx, gy] = torch.autograd.grad(x.mul(y).mul(x).sum(), [x, y], { create_graph: true });
      return gx!.add(gy!);
    }, [input([3], 1), input([3], 2)]));
  it('gradgradcheck: mul', () => gradgradcheck((a, b) => a.mul(b), [input([3], 1), input([3], 2)]));
  it('gradgradcheck: div', () => gradgradcheck((a, b) => a.div(b), [input([3], 1), input([3], 2, { awayFromZero: 0.5 })]));
  it('gradgradcheck: pow with a number exponent', () => gradgradcheck((a) => a.pow(3), [input([3], 1)]));
  it('gradgradcheck: pow with a tensor exponent', () =>
    gradgradcheck((a, b) => a.pow(b), [input([3], 1, { lo: 0.5, hi: 2 }), input([3], 2)]));
  it('gradgradcheck: exp', () => gradgradcheck((a) => a.exp(), [input([3], 1)]));
  it('gradgradcheck: log', () => gradgradcheck((a) => a.log(), [input([3], 1, { lo: 0.5, hi: 2 })]));
  it('gradgradcheck: sqrt', () => gradgradcheck((a) => a.sqrt(), [input([3], 1, { lo: 0.5, hi: 2 })]));
  it('gradgradcheck: rsqrt', () => gradgradcheck((a) => a.rsqrt(), [input([3], 1, { lo: 0.5, hi: 2 })]));
  it('gradgradcheck: sin', () => gradgradcheck((a) => a.sin(), [input([3], 1)]));
  it('gradgradcheck: cos', () => gradgradcheck((a) => a.cos(), [input([3], 1)]));
  it('gradgradcheck: tanh', () => gradgradcheck((a) => a.tanh(), [input([3], 1)]));
  it('gradgradcheck: sigmoid', () => gradgradcheck((a) => a.sigmoid(), [input([3], 1)]));
  it('gradgradcheck: reciprocal', () => gradgradcheck((a) => a.reciprocal(), [input([3], 1, { awayFromZero: 0.5 })]));
  it('gradgradcheck: mean', () => gradgradcheck((a) => a.pow(2).mean(1), [input([2, 3], 1)]));
  it('gradgradcheck: var', () => gradgradcheck((a) => a.var(1), [input([2, 3], 1)]));
  it('gradgradcheck: max over a dim', () => gradgradcheck((a) => a.pow(2).max(1).values, [input([2, 3], 1)]));
  it('gradgradcheck: matmul', () => gradgradcheck((a, b) => a.matmul(b), [input([2, 3], 1), input([3, 2], 2)]));
  it('gradgradcheck: batched matmul', () => gradgradcheck((a, b) => a.matmul(b), [input([2, 2, 3], 1), input([3, 2], 2)]));
  it('gradgradcheck: addmm', () =>
    gradgradcheck((c, a, b) => torch.addmm(c, a, b), [input([2], 1), input([3, 4], 2), input([4, 2], 3)]));
  it('gradgradcheck: select and slice', () => gradgradcheck((a) => a.get(1).mul(a.slice(null, -1).sum(0)), [input([3, 2], 1)]));
  it('gradgradcheck: tensor indexing', () => gradgradcheck((a) => a.get(long([0, 2, 0])).pow(2), [input([3], 1)]));
  it('gradgradcheck: gather', () => gradgradcheck((a) => a.gather(1, long([[0, 0], [1, 0]])).pow(2), [input([2, 3], 1)]));
  it('gradgradcheck: index_select', () => gradgradcheck((a) => a.index_select(0, long([1, 1, 0])).pow(2), [input([2, 2], 1)]));
  it('gradgradcheck: cat and stack', () =>
    gradgradcheck((a, b) => torch.stack([torch.cat([a, b]).pow(2), torch.cat([b, a])]), [input([2], 1), input([2], 2)]));
  it('gradgradcheck: unbind', () =>
    gradgradcheck((a) => {
      const [x, y] = a;
      return x!.mul(y!);
    }, [input([2, 2], 1)]));
  it('gradgradcheck: where and masked_fill', () =>
    gradgradcheck((a) => torch.where(torch.tensor([true, false, true]), a.pow(2), a.masked_fill(torch.tensor([false, true, true]), 0).exp()), [input([3], 1)]));
  it('gradgradcheck: maximum', () => gradgradcheck((a, b) => a.maximum(b).pow(2), [input([4], 1), input([4], 2)]));
  it('gradgradcheck: the chapter loss with respect to params', () => {
    const t_u = f64([3.57, 5.59, 5.82], false);
    const t_c = f64([0.5, 14.0, 15.0], false);
    gradgradcheck((params) => {
      const [w, b] = params;
      return w!.mul(t_u).add(b!).sub(t_c).pow(2).mean();
    }, [input([2], 1)]);
  });
});
