// Every backward node explains its local derivative per input, from its op's own entry (what
// the graph view shows), and the explanation says what the engine computes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { torch, nn, hooks, slice, type Node, type Tensor } from '../../src/engine/index.js';
import { declaredDerivatives } from '../../src/engine/autograd/derivative.js';
import { FunctionNode } from '../../src/engine/autograd/node.js';
import { UNARY, type UnaryName } from '../../src/engine/ops/unary.js';

const F = nn.functional;

/** A leaf of `shape` that requires grad, with values in (0.1, 1.1) (inside every op's domain). */
function leaf(shape: number[], seed = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => 0.1 + ((i * 7 + seed * 3) % 11) / 11);
  return torch.tensor(values).reshape(shape).requires_grad_();
}

/** Higher derivatives: the nodes that differentiating a backward formula (and its own) records. */
function gradOfGrad(f: (x: Tensor) => Tensor, shape = [3, 2]): void {
  const x = leaf(shape);
  const [g] = torch.autograd.grad(f(x).pow(2).sum(), x, { create_graph: true });
  g!.pow(2).sum().backward(null, { create_graph: true });
}

/** Programs that between them record every kind of node the engine has. */
const PROGRAMS: Record<string, () => void> = {
  ...Object.fromEntries(Object.keys(UNARY).map((name) => [name, () => leaf([3])[name as UnaryName]()])),
  'add, sub, rsub, mul, div (with alpha and rounding)': () => {
    const [a, b] = [leaf([3]), leaf([3], 2)];
    a.add(b, { alpha: 2 }).sub(b, { alpha: 2 }).rsub(1, { alpha: 3 }).mul(b).div(b).div(b, { rounding_mode: 'floor' });
  },
  'pow with a number, a tensor and a number base': () => {
    const [a, b] = [leaf([3]), leaf([3], 2)];
    a.pow(2).add(a.pow(b)).add(a.rpow(2));
  },
  'clamp, clamp_min, clamp_max, maximum, minimum, where': () => {
    const [a, b] = [leaf([3]), leaf([3], 2)];
    a.clamp(0.2, 0.8).add(a.clamp_min(0.3)).add(a.clamp_max(0.7)).add(torch.maximum(a, b)).add(torch.minimum(a, b)).add(torch.where(a.gt(0.5), a, b));
  },
  'addcmul, addcdiv, lerp, clone, to': () => {
    const [a, b, c] = [leaf([3]), leaf([3], 2), leaf([3], 3)];
    torch.addcmul(a, b, c, { value: 0.5 }).add(torch.addcdiv(a, b, c)).add(torch.lerp(a, b, 0.25)).add(a.clone()).add(a.to(torch.float64).to(torch.float32));
  },
  'cat, stack, unbind, split': () => {
    const [a, b] = [leaf([2, 3]), leaf([2, 3], 2)];
    torch.cat([a, b]).sum().add(torch.stack([a, b]).sum());
    const [u] = a.unbind(0);
    const [s] = a.split(1, 0);
    u!.sum().add(s!.sum());
  },
  views: () => {
    const a = leaf([2, 3]);
    a.view(3, 2).reshape(6).unsqueeze(0).squeeze().unsqueeze(1).squeeze(1);
    a.t().reshape(6); // not viewable: a copy (CloneBackward0, UnsafeViewBackward0)
    a.permute(1, 0).transpose(0, 1).expand(2, 2, 3);
    leaf([3]).matmul(leaf([3, 2])); // SqueezeBackward3
    a.select(0, 1).add(a.index(slice(0, 1)).sum());
  },
  'in-place through a view while recording (CopySlices, AsStridedBackward0)': () => {
    const a = leaf([2, 3]).mul(1);
    a.select(0, 0).mul_(2);
    a.sum();
  },
  'in-place fill_, copy_, index_put_ on computed tensors': () => {
    const [a, b] = [leaf([3]), leaf([3], 2)];
    a.mul(1).fill_(b.sum());
    a.mul(1).copy_(b);
    a.mul(1).index_put_([torch.tensor([0, 2], { dtype: torch.int64 })], b.sum());
  },
  'indexing, gather, scatter_add, masked_fill': () => {
    const a = leaf([3, 2]);
    const index = torch.tensor([[0, 1], [1, 0], [0, 0]], { dtype: torch.int64 });
    a.index(torch.tensor([0, 2], { dtype: torch.int64 })).sum();
    a.index_select(0, torch.tensor([2, 0], { dtype: torch.int64 })).sum();
    a.gather(1, index).sum();
    a.scatter_add(1, index, leaf([3, 2], 2)).sum();
    a.masked_fill(a.gt(0.5), 0).sum();
    a.masked_fill(a.gt(0.5), leaf([], 3)).sum();
  },
  reductions: () => {
    const a = leaf([3, 2]);
    a.sum().add(a.sum(0).sum()).add(a.mean()).add(a.mean(1).sum()).add(a.max()).add(a.min());
    a.max(0).values.sum().add(a.min(1).values.sum()).add(a.var()).add(a.std()).add(a.norm());
  },
  'matrix products': () => {
    const [a, b] = [leaf([2, 3]), leaf([3, 2], 2)];
    a.mm(b).sum().add(leaf([2, 2, 3]).bmm(leaf([2, 3, 2], 2)).sum()).add(leaf([3]).dot(leaf([3], 2))).add(a.mv(leaf([3], 3)).sum());
    torch.addmm(leaf([2]), a, b, { beta: 0.5, alpha: 2 }).sum();
  },
  'activations and losses': () => {
    const logits = leaf([4, 3]);
    const target = torch.tensor([0, 2, 1, 1], { dtype: torch.int64 });
    F.leaky_relu(logits, 0.1).sum().add(F.leaky_relu(logits.mul(1), { negative_slope: 0.1, inplace: true }).sum());
    F.softmax(logits, 1).sum().add(F.cross_entropy(logits, target));
    F.nll_loss(F.log_softmax(leaf([2, 3, 2, 2]), 1), torch.tensor([[[0, 1], [2, 0]], [[1, 1], [0, 2]]], { dtype: torch.int64 }));
    F.cross_entropy(logits, F.softmax(leaf([4, 3], 2), 1)); // class probabilities: DivBackward1
    F.mse_loss(logits, leaf([4, 3], 2));
    const p = leaf([4, 3]).sigmoid();
    F.binary_cross_entropy(p, torch.ones([4, 3]).mul(0.5)).add(F.binary_cross_entropy_with_logits(logits, torch.ones([4, 3])));
  },
  'lerp with a tensor weight, split with sizes, repeat, flip': () => {
    const [a, b, w] = [leaf([3]), leaf([3], 2), leaf([3], 3)];
    torch.lerp(a, b, w).sum();
    const [p] = leaf([4]).split([1, 3]);
    p!.sum().add(a.repeat(2).sum()).add(a.flip(0).sum());
  },
  'round to decimals': () => {
    leaf([3]).round({ decimals: 1 });
  },
  'prod, cumsum, sort, topk, norm with a dtype': () => {
    const a = leaf([2, 3]);
    a.prod().add(a.prod(1).sum()).add(a.cumsum(0).sum()).add(a.sort(1).values.sum()).add(a.topk(2).values.sum());
    a.norm(2, 1, { dtype: torch.float64 }).sum();
  },
  'normal with tensor parameters': () => {
    const [m, s] = [leaf([3]), leaf([3], 2)];
    torch.normal(m, 1).add(torch.normal(0, s)).add(torch.normal(m, s)).sum();
  },
  'activations chapter 6 draws': () => {
    const x = leaf([4]).sub(0.6);
    for (const f of [F.hardtanh, F.softplus, F.elu, F.selu, F.celu, F.hardswish, F.hardsigmoid, F.gelu, F.silu, F.mish, F.logsigmoid, F.softshrink, F.hardshrink]) {
      (f as (t: Tensor) => Tensor)(x).sum();
    }
    F.elu(x.mul(1), 1, true).sum();
    F.celu(x.mul(1), 1, true).sum();
  },
  'smooth L1 and Huber losses': () => {
    const [a, b] = [leaf([4]), leaf([4], 2)];
    F.smooth_l1_loss(a, b).add(F.huber_loss(a, b));
  },
  'second derivatives of views and indexing': () => {
    gradOfGrad((x) => x.select(0, 1));
    gradOfGrad((x) => x.index(slice(1, 3)));
    gradOfGrad((x) => x.index(torch.tensor([0, 2, 2], { dtype: torch.int64 })));
    gradOfGrad((x) => x.index_select(0, torch.tensor([2, 0], { dtype: torch.int64 })));
    gradOfGrad((x) => x.gather(1, torch.tensor([[0], [1], [1]], { dtype: torch.int64 })));
    gradOfGrad((x) => {
      const y = x.mul(1);
      y.select(0, 0).mul_(2);
      return y;
    });
  },
};

/** Runs every program with the record observer on; the nodes recorded. */
function recordedNodes(): Node[] {
  const nodes: Node[] = [];
  hooks.setRecordObserver((node) => void nodes.push(node));
  try {
    for (const program of Object.values(PROGRAMS)) program();
  } finally {
    hooks.setRecordObserver(null);
  }
  return nodes;
}

describe('every kind of node explains its local derivative', () => {
  const nodes = recordedNodes();

  test('the programs record every kind of node the engine declares', () => {
    const recorded = new Set(nodes.map((n) => (n as FunctionNode).derivative));
    const missing = declaredDerivatives().filter((d) => !recorded.has(d as never)).map((d) => d.name);
    assert.deepEqual(missing, []);
  });

  test('each recorded node has one non-empty explanation per input', () => {
    for (const node of nodes) {
      const lines = hooks.explain(node);
      assert.equal(lines.length, node.next_functions.length, `${node.name()}: ${JSON.stringify(lines)}`);
      for (const line of lines) assert.ok(typeof line === 'string' && line.trim().length > 0, `${node.name()}: ${JSON.stringify(lines)}`);
    }
  });

  test("a leaf's AccumulateGrad explains how the gradient is added into .grad", () => {
    const w = leaf([2]);
    const node = w.mul(2).grad_fn!.next_functions[0]![0]!;
    assert.equal(node.name(), 'AccumulateGrad');
    const [line, ...more] = hooks.explain(node);
    assert.equal(more.length, 0);
    assert.match(line!, /\.grad \+=/);
  });
});

/** The explanation of the node that made `t`, and the gradients its inputs get for an incoming gradient of ones. */
function explained(t: Tensor): string[] {
  return [...hooks.explain(t.grad_fn!)];
}

describe('the explanations say what the engine computes', () => {
  test('MulBackward0: ∂(a·b)/∂a = b and ∂(a·b)/∂b = a', () => {
    assert.deepEqual(explained(leaf([2]).mul(leaf([2], 2))), ['∂(a·b)/∂a = b', '∂(a·b)/∂b = a']);
  });

  test('RsubBackward1 (2 − x) is −1 for x and 1 for the number, as the gradient shows', () => {
    const x = leaf([2]);
    const y = x.rsub(2);
    assert.equal(y.grad_fn!.name(), 'RsubBackward1');
    assert.deepEqual(explained(y), ['∂(b − a)/∂a = −1', '∂(b − a)/∂b = 1']);
    y.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [-1, -1]);
  });

  test('RsubBackward1 with alpha (other − α·self) shows α', () => {
    const x = leaf([2]);
    const y = x.rsub(2, { alpha: 3 });
    assert.deepEqual(explained(y), ['∂(b − 3·a)/∂a = −3', '∂(b − 3·a)/∂b = 1']);
    y.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [-3, -3]);
  });

  test('SubBackward0 with alpha: 1 for a, −α for b', () => {
    const [a, b] = [leaf([2]), leaf([2], 2)];
    const y = a.sub(b, { alpha: 2 });
    assert.deepEqual(explained(y), ['∂(a − 2·b)/∂a = 1', '∂(a − 2·b)/∂b = −2']);
    y.sum().backward();
    assert.deepEqual([a.grad!.tolist(), b.grad!.tolist()], [[1, 1], [-2, -2]]);
    assert.deepEqual(explained(a.sub(b)), ['∂(a − b)/∂a = 1', '∂(a − b)/∂b = −1']);
  });

  test('DivBackward0: 1/b for a and −a/b² for b', () => {
    assert.deepEqual(explained(leaf([2]).div(leaf([2], 2))), ['∂(a/b)/∂a = 1/b', '∂(a/b)/∂b = −a/b²']);
  });

  test('PowBackward0 shows the real exponent', () => {
    assert.deepEqual(explained(leaf([2]).pow(2)), ['∂(x²)/∂x = 2·x']);
    assert.deepEqual(explained(leaf([2]).pow(3)), ['∂(x³)/∂x = 3·x²']);
    assert.deepEqual(explained(leaf([2]).pow(0.5)), ['∂(x^0.5)/∂x = 0.5·x^−0.5']);
    assert.deepEqual(explained(leaf([2]).pow(-1)), ['∂(x⁻¹)/∂x = −x⁻²']);
  });

  test('PowBackward2 (2 ** x) is 2ˣ·ln 2, as the gradient shows', () => {
    const x = torch.tensor([0.0, 1.0, 3.0], { requires_grad: true });
    const y = torch.pow(2, x);
    assert.equal(y.grad_fn!.name(), 'PowBackward2');
    assert.deepEqual(explained(y), ['∂(2ˣ)/∂x = 2ˣ·ln 2']);
    y.sum().backward();
    const expected = [1, 2, 8].map((v) => Math.fround(Math.fround(v) * Math.fround(Math.LN2)));
    assert.deepEqual(x.grad!.tolist(), expected);
  });

  test('MeanBackward0 shows the count it divides by', () => {
    assert.deepEqual(explained(leaf([3, 3]).mean()), ['∂mean(x)/∂xᵢ = 1/9: the gradient is shared equally by the 9 elements']);
  });

  test('a view shows the shape its gradient goes back to', () => {
    assert.deepEqual(explained(leaf([2, 3]).view(6)), ['∂view(x)/∂x = 1: the gradient is reshaped back to [2, 3]']);
  });
});
