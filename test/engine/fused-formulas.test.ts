// A derivative formula is written once, with tensor ops; when nothing records, the engine runs it
// as one loop compiled from the same formula (ops/loops.ts). Both ways must give the same bits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { torch, nn, type DType, type Tensor } from '../../src/engine/index.js';
import { fusedFormula, isFusable } from '../../src/engine/ops/loops.js';
import { UNARY, type UnaryName } from '../../src/engine/ops/unary.js';
import { stream } from './helpers.js';

/** Deterministic values in [lo, lo + 2) of `shape` and `dtype` (float32 by default), without grad. */
function input(shape: number[], seed: number, options: { dtype?: DType; lo?: number } = {}): Tensor {
  const next = stream(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const lo = options.lo ?? -1;
  const values = Array.from({ length: n }, () => lo + 2 * next());
  return torch.tensor(values, { dtype: options.dtype ?? torch.float32 }).reshape(shape);
}

function sameBits(fused: Tensor, reference: Tensor, what: string): void {
  assert.deepEqual(fused.shape, reference.shape, `${what}: shape`);
  assert.equal(fused.dtype, reference.dtype, `${what}: dtype`);
  const a = fused.contiguous().values();
  const b = reference.contiguous().values();
  for (let i = 0; i < b.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}: element ${i} is ${a[i]} fused, ${b[i]} with tensor ops`);
  }
}

/** The gradients a node's formula gives for `grads`: as one loop (nothing records) and as tensor ops (recording). */
function bothWays(node: NonNullable<Tensor['grad_fn']>, grads: Tensor[]): [Tensor[], Tensor[]] {
  const fused = torch.no_grad(() => node.apply([...grads]));
  const reference = torch.enable_grad(() => node.apply([...grads]));
  return [fused as Tensor[], reference as Tensor[]];
}

describe('unary derivatives: one loop or tensor ops, the same bits', () => {
  for (const name of Object.keys(UNARY) as UnaryName[]) {
    const formula = UNARY[name].derivative;
    // A step function's gradient is zeros, not a formula.
    if (formula === 'zero') continue;
    test(`${name}: its derivative traces into one loop`, () => {
      assert.ok(isFusable(formula, UNARY[name].save === 'none' ? [true] : [true, true]));
    });
    for (const dtype of [torch.float32, torch.float64]) {
      test(`${name} (${dtype.name}): the loop gives the tensor ops' result`, () => {
        // Positive values with some zeros and negatives where the op takes them.
        const positive = name === 'log' || name === 'sqrt' || name === 'rsqrt';
        const x = input([5, 7], 11, { dtype, lo: positive ? 0.1 : -1 }).requires_grad_();
        const y = x[name]();
        const g = input([5, 7], 12, { dtype });
        const [[fused], [reference]] = bothWays(y.grad_fn!, [g]);
        sameBits(fused!, reference!, name);
      });
    }
  }
});

describe('other formulas with fast paths', () => {
  for (const e of [2, 3, 0.5, -1, 1]) {
    test(`x ** ${e}: the loop gives the tensor ops' result`, () => {
      const x = input([4, 6], 3, { lo: 0.1 }).requires_grad_();
      const [[fused], [reference]] = bothWays(x.pow(e).grad_fn!, [input([4, 6], 4)]);
      sameBits(fused!, reference!, `pow ${e}`);
    });
  }

  for (const reduction of ['mean', 'sum', 'none'] as const) {
    test(`mse_loss (${reduction}): the loop gives the tensor ops' result, a zero-dim gradient read for every element`, () => {
      const x = input([9, 2], 5).requires_grad_();
      const t = input([9, 2], 6).requires_grad_();
      const loss = nn.functional.mse_loss(x, t, { reduction });
      const g = reduction === 'none' ? input([9, 2], 7) : torch.tensor(0.75);
      const [fused, reference] = bothWays(loss.grad_fn!, [g]);
      sameBits(fused[0]!, reference[0]!, 'input');
      sameBits(fused[1]!, reference[1]!, 'target');
    });
  }

  test("mean's gradient: one quotient, repeated (then the next formula reads it as one value)", () => {
    const x = input([11], 8).requires_grad_();
    const [[fused], [reference]] = bothWays(x.mean().grad_fn!, [torch.tensor(2.5)]);
    sameBits(fused!, reference!, 'mean');
  });
});

describe('fusedFormula', () => {
  const scaled = fusedFormula('scaled', (g: Tensor, x: Tensor, k: number) => g.mul(x).mul(k));

  test('a one-element operand is read once for every element', () => {
    const x = input([3], 1);
    sameBits(torch.no_grad(() => scaled(torch.tensor(0.5), x, 3)), torch.tensor(0.5).mul(x).mul(3), 'zero-dim');
  });

  test("a one-element operand with more dims than the others widens the result: the tensor ops' shape", () => {
    const x = input([3], 1);
    const out = torch.no_grad(() => scaled(torch.tensor([[0.5]]), x, 3));
    assert.deepEqual(out.shape, [1, 3]);
    sameBits(out, torch.tensor([[0.5]]).mul(x).mul(3), '[1, 1] with [3]');
  });

  test('operands that broadcast otherwise, or of two dtypes, take the tensor ops', () => {
    const out = torch.no_grad(() => scaled(input([2, 1], 1), input([3], 2), 2));
    sameBits(out, input([2, 1], 1).mul(input([3], 2)).mul(2), 'broadcast');
    const mixed = torch.no_grad(() => scaled(input([3], 1, { dtype: torch.float64 }), input([3], 2), 2));
    assert.equal(mixed.dtype, torch.float64);
  });

  test('a formula that branches on an operand is not traced, and still gives the right values', () => {
    const branching = (g: Tensor, k: number) => (k > 0 ? g.mul(k) : g.neg());
    assert.equal(isFusable(branching, [true, false]), false);
    const f = fusedFormula('branching', branching);
    assert.deepEqual(torch.no_grad(() => f(torch.tensor([1, 2]), -1)).tolist(), [-1, -2]);
    assert.deepEqual(torch.no_grad(() => f(torch.tensor([1, 2]), 2)).tolist(), [2, 4]);
  });

  test('a formula using an op the tracer does not know runs with tensor ops', () => {
    const summed = (g: Tensor) => g.mul(g.sum());
    assert.equal(isFusable(summed, [true]), false);
    assert.deepEqual(torch.no_grad(() => fusedFormula('summed', summed)(torch.tensor([1, 2]))).tolist(), [3, 6]);
  });
});
