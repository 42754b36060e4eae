// The shortcuts small training loops take (a narrow layer's product summed one output at a time,
// a bias gradient summed straight into its shape, mse_loss reduced without its elementwise
// tensor) against the general arithmetic they stand in for, bit for bit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import torch from '../../src/engine/index.js';
import type { Tensor } from '../../src/engine/tensor.js';
import { stream } from './helpers.js';

/** `count` values in [-2, 2) with about one in six exactly zero (the product skips zeros of its left operand). */
function values(count: number, seed: number): number[] {
  const next = stream(seed);
  return Array.from({ length: count }, () => (next() < 1 / 6 ? 0 : next() * 4 - 2));
}

function sameBits(actual: Tensor, expected: ArrayLike<number>, what: string): void {
  const got = actual.contiguous().values();
  assert.equal(got.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(got[i], expected[i])) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${expected[i]}`);
  }
}

/**
 * The reference product (bmmKernel's arithmetic): for each row, float64 partial sums over p in
 * order, zeros of A skipped, then `beta * c + alpha * sum` stored (rounded once) in float32.
 */
function referenceAddmm(a: number[], b: number[], n: number, k: number, m: number, c: number[] | null, beta = 1, alpha = 1): Float32Array {
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(m);
    for (let p = 0; p < k; p++) {
      const av = Math.fround(a[i * k + p]!);
      if (av === 0) continue;
      for (let j = 0; j < m; j++) row[j] += av * Math.fround(b[p * m + j]!);
    }
    for (let j = 0; j < m; j++) {
      if (c === null) out[i * m + j] = row[j]!;
      else {
        const cv = Math.fround(c[j]!);
        out[i * m + j] = (beta === 1 ? cv : beta * cv) + (alpha === 1 ? row[j]! : alpha * row[j]!);
      }
    }
  }
  return out;
}

/** Shapes [n, k, m] with at most 8 output columns, the ones summed one output at a time. */
const NARROW: [number, number, number][] = [
  [11, 1, 8],
  [11, 8, 1],
  [8, 11, 1],
  [1, 11, 8],
  [5, 7, 3],
  [16, 16, 8],
];

describe('narrow matrix products give the reference sums bit for bit', () => {
  for (const [n, k, m] of NARROW) {
    it(`mm ${n}x${k} @ ${k}x${m}, plain and through transposed views`, () => {
      const a = values(n * k, n * 100 + k);
      const b = values(k * m, k * 100 + m);
      const expected = referenceAddmm(a, b, n, k, m, null);
      const ta = torch.tensor(a).reshape(n, k);
      const tb = torch.tensor(b).reshape(k, m);
      sameBits(torch.mm(ta, tb), expected, 'contiguous operands');
      sameBits(torch.mm(ta.t().contiguous().t(), tb.t().contiguous().t()), expected, 'column-major operands');
    });

    it(`addmm ${n}x${k} @ ${k}x${m} with a bias row, and with beta and alpha`, () => {
      const a = values(n * k, n * 31 + k);
      const b = values(k * m, k * 31 + m);
      const c = values(m, m * 7 + 1);
      const [ta, tb, tc] = [torch.tensor(a).reshape(n, k), torch.tensor(b).reshape(k, m), torch.tensor(c)];
      sameBits(torch.addmm(tc, ta, tb), referenceAddmm(a, b, n, k, m, c), 'beta = alpha = 1');
      sameBits(torch.addmm(tc, ta, tb, { beta: 0.5, alpha: -3 }), referenceAddmm(a, b, n, k, m, c, 0.5, -3), 'beta 0.5, alpha -3');
    });
  }

  it('a zero of the left operand still skips an infinity in the right one (no NaN from 0 * inf)', () => {
    const a = torch.tensor([[0, 1], [2, 0]]);
    const b = torch.tensor([[Infinity], [3]]);
    sameBits(torch.mm(a, b), [3, Infinity], 'zeros skipped');
    // One column of A (k = 1): a zero row gives zeros, not NaN.
    sameBits(torch.mm(torch.tensor([[0], [2]]), torch.tensor([[Infinity, 1]])), [0, 0, Infinity, 2], 'k = 1');
  });

  it("nn.Linear with one output gives the reference sums, forward and the weight's gradient", () => {
    const x = values(11 * 8, 5);
    const w = values(8, 6);
    const bias = values(1, 7);
    const layer = new torch.nn.Linear(8, 1);
    torch.no_grad(() => {
      layer.weight.copy_(torch.tensor(w).reshape(1, 8));
      layer.bias!.copy_(torch.tensor(bias));
    });
    const input = torch.tensor(x).reshape(11, 8);
    const y = layer.call(input);
    sameBits(y, referenceAddmm(x, w, 11, 8, 1, bias), 'forward');
    const g = values(11, 8);
    y.backward(torch.tensor(g).reshape(11, 1));
    // dW = gᵀ @ x: [1, 11] @ [11, 8]
    sameBits(layer.weight.grad!, referenceAddmm(g, x, 1, 11, 8, null), 'weight gradient');
  });
});

describe('bias gradients summed over leading dims match sum(dims, keepdim) then reshape', () => {
  for (const dtype of [torch.float32, torch.float64]) {
    it(`${dtype}: a [8] bias broadcast over 11 rows (addmm's bias gradient)`, () => {
      const bias = torch.tensor(values(8, 11), { dtype, requires_grad: true });
      const g = torch.tensor(values(11 * 8, 12), { dtype }).reshape(11, 8);
      bias.expand(11, 8).backward(g);
      const expected = g.sum([0], true).reshape(8);
      sameBits(bias.grad!, expected.values(), 'bias gradient');
    });

    it(`${dtype}: a [3, 4] tensor broadcast over two leading dims`, () => {
      const t = torch.tensor(values(12, 13), { dtype, requires_grad: true }).reshape(3, 4).detach().requires_grad_();
      const g = torch.tensor(values(5 * 6 * 12, 14), { dtype }).reshape(5, 6, 3, 4);
      t.expand(5, 6, 3, 4).backward(g);
      sameBits(t.grad!, g.sum([0, 1], true).reshape(3, 4).values(), 'gradient');
    });
  }

  it('an empty leading dim gives a gradient of zeros', () => {
    const t = torch.tensor([1, 2, 3], { requires_grad: true });
    t.expand(0, 3).backward(torch.zeros(0, 3));
    sameBits(t.grad!, [0, 0, 0], 'gradient');
  });
});

describe("mse_loss's mean and sum match the reduction of its elementwise losses bit for bit", () => {
  for (const dtype of [torch.float32, torch.float64]) {
    for (const reduction of ['mean', 'sum'] as const) {
      it(`${dtype}, reduction '${reduction}', 1000 elements`, () => {
        const input = torch.tensor(values(1000, 21), { dtype }).reshape(100, 10);
        const target = torch.tensor(values(1000, 22), { dtype }).reshape(100, 10);
        const elementwise = torch.nn.functional.mse_loss(input, target, { reduction: 'none' });
        const expected = reduction === 'mean' ? elementwise.mean() : elementwise.sum();
        const loss = torch.nn.functional.mse_loss(input, target, { reduction });
        assert.deepEqual(loss.shape, []);
        assert.equal(loss.dtype, dtype);
        sameBits(loss, expected.values(), 'loss');
      });
    }
  }

  it('a loss that requires grad still records MseLossBackward0 and gives the same value', () => {
    const input = torch.tensor(values(11, 31), { requires_grad: true }).reshape(11, 1);
    const target = torch.tensor(values(11, 32)).reshape(11, 1);
    const loss = torch.nn.functional.mse_loss(input, target);
    assert.equal(loss.grad_fn?.name(), 'MseLossBackward0');
    sameBits(loss, torch.nn.functional.mse_loss(input.detach(), target, { reduction: 'none' }).mean().values(), 'loss');
  });
});
