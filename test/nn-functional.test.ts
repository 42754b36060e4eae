// torch.nn.functional: values and input gradients against PyTorch 1.13 (numbers below were
// printed by the oracle, /usr/bin/python3 with torch 1.13, as float32 shortest reprs), recorded
// node names, finite-difference gradient checks in float64 (first and second order), numerical
// stability, PyTorch's warnings and error messages, and nn.init.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { torch } from '../src/engine/torch.js';
import * as nn from '../src/engine/nn/index.js';
import { setWarningListener } from '../src/engine/errors.js';
import type { Tensor } from '../src/engine/tensor.js';
import type { NestedList } from '../src/engine/tensor.js';

const F = nn.functional;

const warnings: string[] = [];
setWarningListener((category, message) => warnings.push(`${category}: ${message}`));

type Nested = number | Nested[];

/** Same shape, and every value within atol + rtol·|expected| (a few float32 ulps by default). */
function assertClose(actual: Tensor | null, expected: Nested, options: { rtol?: number; atol?: number } = {}): void {
  assert.ok(actual, 'expected a tensor');
  const rtol = options.rtol ?? 2e-5;
  const atol = options.atol ?? 1e-7;
  const flat = (v: Nested | NestedList): number[] => (Array.isArray(v) ? v.flatMap((e) => flat(e as Nested)) : [Number(v)]);
  const shape = (v: Nested): number[] => (Array.isArray(v) ? [v.length, ...shape(v[0] ?? 0)] : []);
  assert.deepEqual(actual.shape, shape(expected), 'shape');
  const a = flat(actual.tolist());
  const e = flat(expected);
  a.forEach((v, i) => {
    const want = e[i]!;
    const ok = Object.is(v, want) || Math.abs(v - want) <= atol + rtol * Math.abs(want);
    assert.ok(ok, `element ${i}: got ${v}, expected ${want} (${JSON.stringify(actual.tolist())})`);
  });
}

/** Bit-identical to the float32 values PyTorch printed. */
function assertExact(actual: Tensor | null, expected: Nested): void {
  assert.ok(actual, 'expected a tensor');
  const f32 = (v: Nested): Nested => (Array.isArray(v) ? v.map(f32) : Math.fround(v));
  assert.deepEqual(actual.tolist(), f32(expected));
}

const f32 = (data: Nested) => torch.tensor(data as number[]);
const leaf = (data: Nested) => torch.tensor(data as number[], { requires_grad: true });
const long = (data: number[]) => torch.tensor(data, { dtype: torch.int64 });
const f64 = (t: Tensor) => t.detach().double().requires_grad_();

const ORACLE = {
  x: [[0.5, -1.25, 2.0, 0.1], [1.5, 0.3, -0.7, -2.2], [-0.4, 0.9, 1.1, 0.0]],
  target: [[0.2, -1.0, 1.5, 0.0], [1.0, 1.0, -1.0, -2.0], [0.0, 0.5, 1.0, 0.25]],
  upstream: [[0.3, -0.2, 0.5, 1.0], [-1.0, 0.4, 0.25, -0.6], [0.8, 0.1, -0.3, 0.7]],
  softmax_dim0: { out: [[0.242433, 0.069948025, 0.67852956, 0.4987292], [0.6590012, 0.32955807, 0.045600925, 0.050002016], [0.0985659, 0.6004939, 0.27586952, 0.45126885]], grad: [[0.1957449, -0.026432171, 0.1574839, 0.1074182], [-0.32461172, 0.07320045, -0.000816445, -0.0692336], [0.12886688, -0.046768274, -0.15666744, -0.038184647]] },
  log_softmax_dim0: { out: [[-1.41703, -2.660003, -0.38782725, -0.69569206], [-0.41702995, -1.1100028, -3.0878272, -2.995692], [-2.31703, -0.5100028, -1.2878273, -0.7956921]], grad: [[0.27575672, -0.22098441, 0.1946617, 0.45139796], [-1.0659001, 0.3011326, 0.22947958, -0.65500224], [0.79014343, -0.080148175, -0.4241413, 0.20360433]] },
  softmax_dim1: { out: [[0.1580832, 0.02747074, 0.7084797, 0.10596633], [0.6960294, 0.20964003, 0.077122256, 0.017208302], [0.09396014, 0.34476763, 0.42110014, 0.14017206]], grad: [[-0.031954464, -0.019288223, -0.0015140249, 0.052756716], [-0.27617207, 0.21031462, 0.06580208, 5.5373155e-05], [0.067516446, 0.006400516, -0.16062245, 0.08670549]] },
  log_softmax_dim1: { out: [[-1.8446338, -3.5946338, -0.34463388, -2.244634], [-0.36236334, -1.5623634, -2.5623634, -4.0623636], [-2.3648846, -1.0648847, -0.8648846, -1.9648846]], grad: [[0.047066886, -0.24395318, -0.6335675, 0.8304539], [-0.338772, 0.59915805, 0.32326615, -0.58365214], [0.67785186, -0.3481979, -0.84743017, 0.5177763]] },
  leaky_relu_02: { out: [[0.5, -0.25, 2.0, 0.1], [1.5, 0.3, -0.14, -0.44000003], [-0.080000006, 0.9, 1.1, 0.0]], grad: [[0.3, -0.040000003, 0.5, 1.0], [-1.0, 0.4, 0.05, -0.120000005], [0.16000001, 0.1, -0.3, 0.14]] },
  mse_mean: { out: 0.13958333, grad: [[0.050000004, -0.041666668, 0.083333336, 0.016666668], [0.083333336, -0.11666667, 0.050000004, -0.033333343], [-0.06666667, 0.06666666, 0.016666671, -0.041666668]], gradTarget: [[-0.050000004, 0.041666668, -0.083333336, -0.016666668], [-0.083333336, 0.11666667, -0.050000004, 0.033333343], [0.06666667, -0.06666666, -0.016666671, 0.041666668]] },
  l1_mean: { out: 0.33333334, grad: [[0.083333336, -0.083333336, 0.083333336, 0.083333336], [0.083333336, -0.083333336, 0.083333336, -0.083333336], [-0.083333336, 0.083333336, 0.083333336, -0.083333336]], gradTarget: [[-0.083333336, 0.083333336, -0.083333336, -0.083333336], [-0.083333336, 0.083333336, -0.083333336, 0.083333336], [0.083333336, -0.083333336, -0.083333336, 0.083333336]] },
  mse_sum: { out: 1.675, grad: [[0.6, -0.5, 1.0, 0.2], [1.0, -1.4, 0.6, -0.4000001], [-0.8, 0.79999995, 0.20000005, -0.5]], gradTarget: [[-0.6, 0.5, -1.0, -0.2], [-1.0, 1.4, -0.6, 0.4000001], [0.8, -0.79999995, -0.20000005, 0.5]] },
  l1_sum: { out: 4.0, grad: [[1.0, -1.0, 1.0, 1.0], [1.0, -1.0, 1.0, -1.0], [-1.0, 1.0, 1.0, -1.0]], gradTarget: [[-1.0, 1.0, -1.0, -1.0], [-1.0, 1.0, -1.0, 1.0], [1.0, -1.0, -1.0, 1.0]] },
  mse_none: { out: [[0.09, 0.0625, 0.25, 0.010000001], [0.25, 0.48999998, 0.09, 0.040000018], [0.16000001, 0.15999998, 0.010000004, 0.0625]], grad: [[0.18, 0.1, 0.5, 0.2], [-1.0, -0.56, 0.15, 0.24000007], [-0.64000005, 0.08, -0.060000017, -0.35]], gradTarget: [[-0.18, -0.1, -0.5, -0.2], [1.0, 0.56, -0.15, -0.24000007], [0.64000005, -0.08, 0.060000017, 0.35]] },
  l1_none: { out: [[0.3, 0.25, 0.5, 0.1], [0.5, 0.7, 0.3, 0.20000005], [0.4, 0.39999998, 0.100000024, 0.25]], grad: [[0.3, 0.2, 0.5, 1.0], [-1.0, -0.4, 0.25, 0.6], [-0.8, 0.1, -0.3, -0.7]], gradTarget: [[-0.3, -0.2, -0.5, -1.0], [1.0, 0.4, -0.25, -0.6], [0.8, -0.1, 0.3, 0.7]] },
  classes: [2, 0, 3],
  classWeight: [0.5, 2.0, 1.0, 1.5],
  ce_mean: { out: 0.8906273, grad: [[0.052694403, 0.009156914, -0.09717344, 0.03532211], [-0.10132353, 0.06988001, 0.02570742, 0.005736099], [0.03132005, 0.114922546, 0.14036672, -0.28660932]] },
  nll_mean: { out: 0.8906273, grad: [[0.0, 0.0, -0.33333334, 0.0], [-0.33333334, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -0.33333334]] },
  ce_sum: { out: 2.671882, grad: [[0.1580832, 0.027470741, -0.2915203, 0.10596633], [-0.30397058, 0.20964003, 0.077122256, 0.017208297], [0.09396014, 0.34476763, 0.42110014, -0.85982794]] },
  nll_sum: { out: 2.671882, grad: [[0.0, 0.0, -1.0, 0.0], [-1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -1.0]] },
  ce_none: { out: [0.34463388, 0.36236334, 1.9648846], grad: [[0.0790416, 0.013735371, -0.14576015, 0.052983165], [0.30397058, -0.20964003, -0.077122256, -0.017208297], [0.18792029, 0.68953526, 0.8422003, -1.7196559]] },
  nll_none: { out: [0.34463388, 0.36236334, 1.9648846], grad: [[0.0, 0.0, -0.5, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -2.0]] },
  ce_weight: { out: 1.1577141, grad: [[0.052694403, 0.009156914, -0.09717344, 0.03532211], [-0.050661765, 0.034940004, 0.01285371, 0.0028680495], [0.04698007, 0.17238382, 0.21055007, -0.42991397]] },
  nll_weight: { out: 1.1577141, grad: [[0.0, 0.0, -0.33333334, 0.0], [-0.16666667, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -0.5]] },
  ce_ignore0: { out: 1.1547593, grad: [[0.0790416, 0.013735371, -0.14576015, 0.052983165], [0.0, 0.0, 0.0, 0.0], [0.04698007, 0.17238382, 0.21055007, -0.42991397]] },
  ce_smooth01: { out: 0.9918773, grad: [[0.044361062, 0.0008235795, -0.072173424, 0.026988775], [-0.07632353, 0.061546665, 0.017374082, -0.0025972356], [0.022986712, 0.106589206, 0.13203338, -0.2616093]] },
  ce_weight_smooth02: { out: 1.441328, grad: [[0.04699579, -0.023718575, -0.035365447, 0.012088216], [0.009139706, 0.012088674, 4.3155935e-05, -0.021271538], [0.03708074, 0.13330437, 0.18686509, -0.3572502]] },
  probTarget: [[0.17273478, 0.05202671, 0.6338151, 0.14142327], [0.4576403, 0.4576403, 0.061934877, 0.022784568], [0.15035269, 0.24788967, 0.40870097, 0.19305666]],
  ce_prob: { out: 1.1753241, grad: [[-0.004883865, -0.008185324, 0.024888184, -0.011818983], [0.07946305, -0.082666755, 0.0050624604, -0.0018587573], [-0.018797517, 0.032292645, 0.004133047, -0.017628208]] },
  ce_single: { out: 3.5946338, grad: [0.1580832, -0.97252923, 0.7084797, 0.10596633] },
  ce_spatial: { out: 2.002638, grad: [[[-0.18939176, 0.017487004, 0.16963239, 0.12468229], [0.1647503, 0.08238951, -0.23859976, -0.23749949], [0.024641475, -0.09987652, 0.06896738, 0.112817205]]] },
  probs: [0.1, 0.8, 0.35, 0.6, 0.99, 0.02],
  labels: [0.0, 1.0, 1.0, 0.0, 1.0, 0.0],
  bceWeight: [1.0, 0.5, 2.0, 1.5, 1.0, 0.25],
  logits: [-2.0, 1.5, 0.3, -0.4, 3.0, -1.2],
  bce_mean: { out: 0.38747832, grad: [0.1851852, -0.20833333, -0.47619048, 0.41666672, -0.16835016, 0.17006803], gradTarget: [0.3662041, -0.23104906, 0.1031732, -0.06757754, -0.76585346, 0.64863676] },
  bcel_mean: { out: 0.28459695, grad: [0.019867154, -0.03040426, -0.07092625, 0.06688539, -0.007904311, 0.038579203], gradTarget: [0.33333334, -0.25, -0.05, 0.06666667, -0.5, 0.2] },
  bce_sum: { out: 2.3248699, grad: [1.1111112, -1.25, -2.857143, 2.5000002, -1.010101, 1.0204082], gradTarget: [2.1972246, -1.3862944, 0.6190392, -0.40546525, -4.595121, 3.8918204] },
  bcel_sum: { out: 1.7075818, grad: [0.11920292, -0.18242556, -0.4255575, 0.40131235, -0.047425866, 0.23147522], gradTarget: [2.0, -1.5, -0.3, 0.4, -3.0, 1.2] },
  bce_none: { out: [0.105360545, 0.22314353, 1.0498221, 0.9162908, 0.010050327, 0.020202687], grad: [1.1111112, 0.625, -0.71428573, 5.0000005, -0.5050505, -1.0204082], gradTarget: [2.1972246, 0.6931472, 0.1547598, -0.8109305, -2.2975605, -3.8918204] },
  bcel_none: { out: [0.12692805, 0.20141333, 0.55435526, 0.5130153, 0.04858733, 0.26328245], grad: [0.11920292, 0.09121278, -0.10638937, 0.8026247, -0.023712933, -0.23147522], gradTarget: [2.0, 0.75, -0.075, 0.8, -1.5, -1.2] },
  bce_weight: { out: 0.6176856, grad: [0.1851852, -0.104166664, -0.95238096, 0.62500006, -0.16835016, 0.042517006] },
  bcel_pos_weight: { out: 0.5527156, grad: [0.019867154, -0.09121279, -0.21277875, 0.06688539, -0.023712954, 0.038579203], gradTarget: [1.0423094, -0.18286224, 0.13478507, 0.37100506, -0.48380423, 0.68776083] },
  bcel_weight_pos_weight_sum: { out: 4.736285, grad: [0.11920292, -0.27363837, -2.553345, 0.6019685, -0.14227772, 0.057868805] },
  bce_clamped: { out: [100.0, 100.0, 0.6931472], grad: [-1000000000000.0, 1000000000000.0, -2.0] },
  bcel_large: { out: [100.0, 100.0, 0.0, 0.0], grad: [1.0, -1.0, 0.0, 9.3576236e-14] },
  softmax_large: [[0.24472848, 0.66524094, 0.09003057], [0.0, 0.0, 1.0]],
  log_softmax_large: [[-1.4076059, -0.40760595, -2.407606], [-2000.0, -1000.0, 0.0]],
};

describe('activations', () => {
  for (const dim of [0, 1] as const) {
    test(`softmax over dim ${dim} matches PyTorch (values and grad)`, () => {
      const x = leaf(ORACLE.x);
      const y = F.softmax(x, dim);
      y.backward(f32(ORACLE.upstream));
      const want = dim === 0 ? ORACLE.softmax_dim0 : ORACLE.softmax_dim1;
      assertClose(y, want.out);
      assertClose(x.grad, want.grad, { atol: 1e-6 });
    });
    test(`log_softmax over dim ${dim} matches PyTorch (values and grad)`, () => {
      const x = leaf(ORACLE.x);
      const y = F.log_softmax(x, { dim });
      y.backward(f32(ORACLE.upstream));
      const want = dim === 0 ? ORACLE.log_softmax_dim0 : ORACLE.log_softmax_dim1;
      assertClose(y, want.out);
      assertClose(x.grad, want.grad, { atol: 1e-6 });
    });
  }

  test('softmax and log_softmax of large logits are finite (the max is subtracted first)', () => {
    const big = f32([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]]);
    assertClose(F.softmax(big, 1), ORACLE.softmax_large);
    assertClose(F.log_softmax(big, 1), ORACLE.log_softmax_large);
  });

  test('softmax rows sum to one along the chosen dim, also for negative dims and 3-d input', () => {
    const x = torch.randn(2, 3, 4);
    const sums = F.softmax(x, -2).sum(1);
    assertClose(sums, [[1, 1, 1, 1], [1, 1, 1, 1]], { rtol: 1e-6 });
  });

  test('softmax without a dim warns as PyTorch does and picks dim 1 for 2-d input', () => {
    const x = f32([[1, 2], [3, 5]]);
    const y = F.softmax(x);
    assert.ok(warnings.includes('UserWarning: Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.'));
    assertClose(y, F.softmax(x, 1).tolist() as Nested);
  });

  test('softmax dtype option computes in that dtype', () => {
    const y = F.softmax(f32([1, 2, 3]), { dim: 0, dtype: torch.float64 });
    assert.equal(y.dtype, torch.float64);
  });

  test('softmax of an integer tensor raises PyTorch\'s kernel error', () => {
    assert.throws(() => F.softmax(long([1, 2]), 0), { name: 'RuntimeError', message: `"softmax_lastdim_kernel_impl" not implemented for 'Long'` });
  });

  test('leaky_relu scales negative inputs by the slope (values and grad)', () => {
    const x = leaf(ORACLE.x);
    const y = F.leaky_relu(x, 0.2);
    y.backward(f32(ORACLE.upstream));
    assertExact(y, ORACLE.leaky_relu_02.out);
    assertExact(x.grad, ORACLE.leaky_relu_02.grad);
  });

  test('leaky_relu defaults to a slope of 0.01', () => {
    assertExact(F.leaky_relu(f32([-2, 3])), [-0.02, 3]);
  });

  test('leaky_relu in place records LeakyReluBackward1 on the same tensor', () => {
    const x = leaf([-1, 2]).mul(1);
    const y = F.leaky_relu(x, { negative_slope: 0.5, inplace: true });
    assert.equal(y, x);
    assert.equal(y.grad_fn?.name(), 'LeakyReluBackward1');
    assertExact(y, [-0.5, 2]);
  });

  test('relu, tanh and sigmoid use the tensor ops; tanh and sigmoid warn that they are deprecated', () => {
    const x = leaf([-1, 0.5]);
    assert.equal(F.relu(x).grad_fn?.name(), 'ReluBackward0');
    assert.equal(F.tanh(x).grad_fn?.name(), 'TanhBackward0');
    assert.equal(F.sigmoid(x).grad_fn?.name(), 'SigmoidBackward0');
    assert.ok(warnings.includes('UserWarning: nn.functional.tanh is deprecated. Use torch.tanh instead.'));
    assert.ok(warnings.includes('UserWarning: nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.'));
  });
});

describe('linear', () => {
  test('linear on a 2-d input is addmm (AddmmBackward0); without bias mm; 1-d input adds the bias', () => {
    const w = leaf([[1, 2], [3, 4], [5, 6]]);
    const b = leaf([0.5, -0.5, 1]);
    assert.equal(F.linear(leaf([[1, 1]]), w, b).grad_fn?.name(), 'AddmmBackward0');
    assert.equal(F.linear(leaf([[1, 1]]), w).grad_fn?.name(), 'MmBackward0');
    assert.equal(F.linear(leaf([1, 1]), w, b).grad_fn?.name(), 'AddBackward0');
    assert.equal(F.linear(torch.ones(2, 2, 2, { requires_grad: true }), w, b).grad_fn?.name(), 'ViewBackward0');
    assertExact(F.linear(f32([1, -1]), w, b), [-0.5, -1.5, 0]);
  });

  test('linear with mismatched dtypes raises PyTorch\'s message', () => {
    assert.throws(() => F.linear(torch.ones(2, 2, { dtype: torch.float64 }), torch.ones(3, 2)), { message: /^mat1 and mat2 must have the same dtype/ });
  });

  test('linear with the wrong number of input features raises PyTorch\'s shape message', () => {
    assert.throws(() => F.linear(torch.ones(4, 5), torch.ones(2, 3), torch.ones(2)), { message: /^mat1 and mat2 shapes cannot be multiplied \(4x5 and 3x2\)\n/ });
  });
});

describe('regression losses', () => {
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    test(`mse_loss with reduction ${reduction} matches PyTorch bit for bit (value, input and target grads)`, () => {
      const x = leaf(ORACLE.x);
      const t = leaf(ORACLE.target);
      const loss = F.mse_loss(x, t, { reduction });
      loss.backward(reduction === 'none' ? f32(ORACLE.upstream) : undefined);
      const want = ORACLE[`mse_${reduction}`];
      assertExact(loss, want.out);
      assertExact(x.grad, want.grad);
      assertExact(t.grad, want.gradTarget);
      assert.equal(loss.grad_fn?.name(), 'MseLossBackward0');
    });
    test(`l1_loss with reduction ${reduction} matches PyTorch (value, input and target grads)`, () => {
      const x = leaf(ORACLE.x);
      const t = leaf(ORACLE.target);
      const loss = F.l1_loss(x, t, { reduction });
      loss.backward(reduction === 'none' ? f32(ORACLE.upstream) : undefined);
      const want = ORACLE[`l1_${reduction}`];
      assertExact(loss, want.out);
      assertExact(x.grad, want.grad);
      assertExact(t.grad, want.gradTarget);
    });
  }

  test('l1_loss records the ops PyTorch composes it from (AbsBackward0, then Mean/Sum)', () => {
    const x = leaf([1, 2]);
    const t = f32([0, 0]);
    assert.equal(F.l1_loss(x, t).grad_fn?.name(), 'MeanBackward0');
    assert.equal(F.l1_loss(x, t, { reduction: 'sum' }).grad_fn?.name(), 'SumBackward0');
    assert.equal(F.l1_loss(x, t, { reduction: 'none' }).grad_fn?.name(), 'AbsBackward0');
  });

  test('mse_loss with a target of another shape warns with PyTorch\'s broadcasting message, then broadcasts', () => {
    const x = torch.ones(11, 1, { requires_grad: true });
    const t = torch.zeros(11);
    const loss = F.mse_loss(x, t);
    const text =
      'UserWarning: Using a target size (torch.Size([11])) that is different to the input size (torch.Size([11, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.';
    assert.ok(warnings.some((w) => w.startsWith(text)), warnings.join('\n'));
    assertExact(loss, 1);
    loss.backward();
    assert.deepEqual(x.grad?.shape, [11, 1]);
  });

  test('mse_loss with shapes that cannot broadcast raises PyTorch\'s size message', () => {
    assert.throws(() => F.mse_loss(torch.ones(3), torch.ones(4)), { message: /^The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 0/ });
  });

  test('an unknown reduction raises ValueError when the loss is computed', () => {
    assert.throws(() => F.mse_loss(torch.ones(2), torch.ones(2), { reduction: 'avg' as 'mean' }), { name: 'ValueError', message: 'avg is not a valid value for reduction' });
  });

  test('the deprecated size_average/reduce arguments map to a reduction, with PyTorch\'s warning', () => {
    const loss = F.mse_loss(f32([1, 3]), f32([0, 0]), { size_average: false });
    assertExact(loss, 10);
    assert.ok(warnings.includes("UserWarning: size_average and reduce args will be deprecated, please use reduction='sum' instead."));
  });

  test('mse_loss of float32 and float64 tensors computes in float64, as PyTorch promotes', () => {
    assert.equal(F.mse_loss(torch.ones(2), torch.zeros(2, { dtype: torch.float64 })).dtype, torch.float64);
  });
});

describe('classification losses', () => {
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    test(`cross_entropy with class indices, reduction ${reduction}, matches PyTorch`, () => {
      const x = leaf(ORACLE.x);
      const loss = F.cross_entropy(x, long(ORACLE.classes), { reduction });
      loss.backward(reduction === 'none' ? f32([0.5, -1.0, 2.0]) : undefined);
      const want = ORACLE[`ce_${reduction}`];
      assertExact(loss, want.out);
      assertClose(x.grad, want.grad);
    });
    test(`nll_loss, reduction ${reduction}, matches PyTorch bit for bit`, () => {
      const logp = F.log_softmax(f32(ORACLE.x), 1).requires_grad_();
      const loss = F.nll_loss(logp, long(ORACLE.classes), { reduction });
      loss.backward(reduction === 'none' ? f32([0.5, -1.0, 2.0]) : undefined);
      const want = ORACLE[`nll_${reduction}`];
      assertExact(loss, want.out);
      assertExact(logp.grad, want.grad);
    });
  }

  test('cross_entropy records LogSoftmaxBackward0 then NllLossBackward0, as PyTorch', () => {
    const loss = F.cross_entropy(leaf(ORACLE.x), long(ORACLE.classes));
    assert.equal(loss.grad_fn?.name(), 'NllLossBackward0');
    assert.equal(loss.grad_fn?.next_functions[0]?.[0]?.name(), 'LogSoftmaxBackward0');
  });

  test('nll_loss leaves +0 (not -0) in the gradient slots of the other classes', () => {
    const logp = leaf([[-1, -2], [-0.5, -3]]);
    F.nll_loss(logp, long([0, 1])).backward();
    assert.ok(Object.is(logp.grad!.get(0).get(1).item(), 0));
  });

  test('cross_entropy with class weights matches PyTorch (weighted mean divides by the summed weights)', () => {
    const x = leaf(ORACLE.x);
    const loss = F.cross_entropy(x, long(ORACLE.classes), { weight: f32(ORACLE.classWeight) });
    loss.backward();
    assertExact(loss, ORACLE.ce_weight.out);
    assertClose(x.grad, ORACLE.ce_weight.grad);
  });

  test('nll_loss with class weights (positional, as in Python) matches PyTorch', () => {
    const logp = F.log_softmax(f32(ORACLE.x), 1).requires_grad_();
    const loss = F.nll_loss(logp, long(ORACLE.classes), f32(ORACLE.classWeight));
    loss.backward();
    assertExact(loss, ORACLE.nll_weight.out);
    assertExact(logp.grad, ORACLE.nll_weight.grad);
  });

  test('cross_entropy skips targets equal to ignore_index', () => {
    const x = leaf(ORACLE.x);
    const loss = F.cross_entropy(x, long(ORACLE.classes), { ignore_index: 0 });
    loss.backward();
    assertExact(loss, ORACLE.ce_ignore0.out);
    assertClose(x.grad, ORACLE.ce_ignore0.grad);
  });

  test('cross_entropy with every target ignored is nan for mean, as in PyTorch', () => {
    assert.ok(Number.isNaN(F.cross_entropy(f32(ORACLE.x), long([-100, -100, -100])).item()));
  });

  test('cross_entropy with label_smoothing matches PyTorch and records AddBackward0 last', () => {
    const x = leaf(ORACLE.x);
    const loss = F.cross_entropy(x, long(ORACLE.classes), { label_smoothing: 0.1 });
    loss.backward();
    assertClose(loss, ORACLE.ce_smooth01.out);
    assertClose(x.grad, ORACLE.ce_smooth01.grad);
    assert.equal(loss.grad_fn?.name(), 'AddBackward0');
  });

  test('cross_entropy with class weights and label_smoothing matches PyTorch', () => {
    const x = leaf(ORACLE.x);
    const loss = F.cross_entropy(x, long(ORACLE.classes), { weight: f32(ORACLE.classWeight), label_smoothing: 0.2 });
    loss.backward();
    assertClose(loss, ORACLE.ce_weight_smooth02.out);
    assertClose(x.grad, ORACLE.ce_weight_smooth02.grad, { atol: 1e-6 });
  });

  test('cross_entropy with a probability target of the input\'s shape matches PyTorch', () => {
    const x = leaf(ORACLE.x);
    const loss = F.cross_entropy(x, f32(ORACLE.probTarget));
    loss.backward();
    assertClose(loss, ORACLE.ce_prob.out);
    assertClose(x.grad, ORACLE.ce_prob.grad, { atol: 1e-6 });
    // ATen divides by the sample count as a C++ integer, which records DivBackward1
    assert.equal(loss.grad_fn?.name(), 'DivBackward1');
  });

  test('cross_entropy of one sample (1-d logits, 0-dim target) matches PyTorch', () => {
    const x = leaf(ORACLE.x[0]!);
    const loss = F.cross_entropy(x, torch.tensor(1n));
    loss.backward();
    assertExact(loss, ORACLE.ce_single.out);
    assertClose(x.grad, ORACLE.ce_single.grad);
  });

  test('cross_entropy over a spatial input [N, C, L] with targets [N, L] matches PyTorch', () => {
    const x = torch.tensor(ORACLE.x).reshape(1, 3, 4).requires_grad_();
    const loss = F.cross_entropy(x, torch.tensor([[0n, 2n, 1n, 1n]]));
    loss.backward();
    assertClose(loss, ORACLE.ce_spatial.out);
    assertClose(x.grad, ORACLE.ce_spatial.grad);
    assert.equal(loss.grad_fn?.name(), 'NllLoss2DBackward0');
  });

  test('float class indices raise PyTorch\'s dtype error with a hint about int64', () => {
    assert.throws(() => F.cross_entropy(torch.randn(4, 3), f32([0, 1, 2, 1])), (e: Error) => {
      assert.equal(e.name, 'RuntimeError');
      assert.match(e.message, /^expected scalar type Long but found Float\n/);
      assert.match(e.message, /int64/);
      return true;
    });
  });

  test('class index errors match PyTorch: out of bounds, batch size, weight length, smoothing range', () => {
    const x = torch.randn(4, 3);
    assert.throws(() => F.cross_entropy(x, long([0, 1, 5, 1])), { name: 'IndexError', message: 'Target 5 is out of bounds.' });
    assert.throws(() => F.cross_entropy(x, long([0, 1, 2])), { name: 'ValueError', message: 'Expected input batch_size (4) to match target batch_size (3).' });
    assert.throws(() => F.cross_entropy(x, long([0, 1, 2, 1]), { weight: torch.ones(4) }), {
      message: 'weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [4]',
    });
    assert.throws(() => F.cross_entropy(x, long([0, 1, 2, 1]), { label_smoothing: 1.5 }), { message: 'label_smoothing must be between 0.0 and 1.0. Got: 1.5' });
    assert.throws(() => F.nll_loss(torch.randn(3, 2), torch.zeros(3, 1, { dtype: torch.int64 })), { message: '0D or 1D target tensor expected, multi-target not supported' });
    assert.throws(() => F.nll_loss(torch.randn(2, 3, 4), torch.zeros(2, 5, { dtype: torch.int64 })), { message: 'Expected target size [2, 4], got [2, 5]' });
  });

  test('an int64 target of the input\'s shape is read as probabilities and rejected, as in PyTorch', () => {
    assert.throws(() => F.cross_entropy(torch.randn(4, 3), torch.zeros(4, 3, { dtype: torch.int64 })), {
      message: /^Expected floating point type for target with class probabilities, got Long/,
    });
  });

  for (const reduction of ['mean', 'sum', 'none'] as const) {
    test(`binary_cross_entropy, reduction ${reduction}, matches PyTorch (value, input and target grads)`, () => {
      const p = leaf(ORACLE.probs);
      const y = leaf(ORACLE.labels);
      const loss = F.binary_cross_entropy(p, y, { reduction });
      loss.backward(reduction === 'none' ? f32([1.0, -0.5, 0.25, 2.0, 0.5, -1.0]) : undefined);
      const want = ORACLE[`bce_${reduction}`];
      assertClose(loss, want.out);
      assertExact(p.grad, want.grad);
      assertClose(y.grad, want.gradTarget);
      assert.equal(loss.grad_fn?.name(), 'BinaryCrossEntropyBackward0');
    });
    test(`binary_cross_entropy_with_logits, reduction ${reduction}, matches PyTorch (value, input and target grads)`, () => {
      const z = leaf(ORACLE.logits);
      const y = leaf(ORACLE.labels);
      const loss = F.binary_cross_entropy_with_logits(z, y, { reduction });
      loss.backward(reduction === 'none' ? f32([1.0, -0.5, 0.25, 2.0, 0.5, -1.0]) : undefined);
      const want = ORACLE[`bcel_${reduction}`];
      assertClose(loss, want.out);
      assertClose(z.grad, want.grad);
      assertClose(y.grad, want.gradTarget);
      assert.equal(loss.grad_fn?.name(), 'BinaryCrossEntropyWithLogitsBackward0');
    });
  }

  test('binary_cross_entropy with a weight matches PyTorch', () => {
    const p = leaf(ORACLE.probs);
    const loss = F.binary_cross_entropy(p, f32(ORACLE.labels), f32(ORACLE.bceWeight));
    loss.backward();
    assertClose(loss, ORACLE.bce_weight.out);
    assertExact(p.grad, ORACLE.bce_weight.grad);
  });

  test('binary_cross_entropy clamps log(0) at -100 and the gradient\'s denominator at 1e-12', () => {
    const p = leaf([0.0, 1.0, 0.5]);
    const loss = F.binary_cross_entropy(p, f32([1.0, 0.0, 1.0]), { reduction: 'none' });
    loss.backward(torch.ones(3));
    assertExact(loss, ORACLE.bce_clamped.out);
    assertExact(p.grad, ORACLE.bce_clamped.grad);
  });

  test('binary_cross_entropy_with_logits with pos_weight matches PyTorch', () => {
    const z = leaf(ORACLE.logits);
    const y = leaf(ORACLE.labels);
    const loss = F.binary_cross_entropy_with_logits(z, y, { pos_weight: f32([3.0]) });
    loss.backward();
    assertClose(loss, ORACLE.bcel_pos_weight.out);
    assertClose(z.grad, ORACLE.bcel_pos_weight.grad);
    assertClose(y.grad, ORACLE.bcel_pos_weight.gradTarget);
  });

  test('binary_cross_entropy_with_logits with weight and pos_weight, reduction sum, matches PyTorch', () => {
    const z = leaf(ORACLE.logits);
    const loss = F.binary_cross_entropy_with_logits(z, f32(ORACLE.labels), { weight: f32(ORACLE.bceWeight), pos_weight: f32([3.0]), reduction: 'sum' });
    loss.backward();
    assertClose(loss, ORACLE.bcel_weight_pos_weight_sum.out);
    assertClose(z.grad, ORACLE.bcel_weight_pos_weight_sum.grad);
  });

  test('binary_cross_entropy_with_logits stays finite for logits of ±100', () => {
    const z = leaf([100.0, -100.0, 30.0, -30.0]);
    const loss = F.binary_cross_entropy_with_logits(z, f32([0.0, 1.0, 1.0, 0.0]), { reduction: 'none' });
    loss.backward(torch.ones(4));
    assertExact(loss, ORACLE.bcel_large.out);
    assertClose(z.grad, ORACLE.bcel_large.grad);
  });

  test('binary losses raise PyTorch\'s errors for size, range and dtype mismatches', () => {
    assert.throws(() => F.binary_cross_entropy(torch.rand(3), torch.rand(3, 1)), {
      name: 'ValueError',
      message: 'Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) is deprecated. Please ensure they have the same size.',
    });
    assert.throws(() => F.binary_cross_entropy(f32([1.5]), f32([1])), { message: 'all elements of input should be between 0 and 1' });
    assert.throws(() => F.binary_cross_entropy(f32([0.5]), torch.tensor([1], { dtype: torch.float64 })), { message: 'Found dtype Double but expected Float' });
    assert.throws(() => F.binary_cross_entropy_with_logits(torch.rand(3), torch.rand(3, 1)), {
      name: 'ValueError',
      message: 'Target size (torch.Size([3, 1])) must be the same as input size (torch.Size([3]))',
    });
  });
});

describe('gradients of the new ops against finite differences (float64)', () => {
  torch.manual_seed(7);
  const x = torch.randn(3, 4, { dtype: torch.float64, requires_grad: true });
  const t = torch.randn(3, 4, { dtype: torch.float64 });
  const probs = torch.rand(3, 4, { dtype: torch.float64 }).mul(0.8).add(0.1);
  const labels = torch.rand(3, 4, { dtype: torch.float64 });
  const classes = long([0, 3, 1]);
  const w = torch.tensor([1, 2, 0.5, 3], { dtype: torch.float64 });
  const cases: [string, (...a: Tensor[]) => Tensor, Tensor[]][] = [
    ['softmax', (a) => F.softmax(a!, 1), [x]],
    ['log_softmax', (a) => F.log_softmax(a!, 0), [x]],
    ['leaky_relu', (a) => F.leaky_relu(a!, 0.1), [x]],
    ['mse_loss (input and target)', (a, b) => F.mse_loss(a!, b!), [x, f64(t)]],
    ['mse_loss with reduction none', (a) => F.mse_loss(a!, t, { reduction: 'none' }), [x]],
    ['l1_loss', (a) => F.l1_loss(a!, t, { reduction: 'sum' }), [x]],
    ['nll_loss with class weights', (a) => F.nll_loss(a!, classes, { weight: w }), [x]],
    ['cross_entropy', (a) => F.cross_entropy(a!, classes), [x]],
    ['cross_entropy with label_smoothing and weights', (a) => F.cross_entropy(a!, classes, { weight: w, label_smoothing: 0.2 }), [x]],
    ['cross_entropy with probability targets (input and target)', (a, b) => F.cross_entropy(a!, b!), [x, f64(labels)]],
    ['binary_cross_entropy (input and target)', (a, b) => F.binary_cross_entropy(a!, b!), [f64(probs), f64(labels)]],
    ['binary_cross_entropy_with_logits with weight and pos_weight (input and target)', (a, b) => F.binary_cross_entropy_with_logits(a!, b!, { weight: w, pos_weight: w.mul(0.5).add(0.25) }), [x, f64(labels)]],
  ];
  for (const [name, fn, inputs] of cases) {
    test(`${name}: backward agrees with finite differences`, () => {
      assert.equal(torch.autograd.gradcheck(fn, inputs), true);
    });
  }

  // Second order: the gradient (computed with create_graph) is itself differentiated.
  const secondOrder: [string, (a: Tensor) => Tensor][] = [
    ['softmax', (a) => F.softmax(a, 1)],
    ['log_softmax', (a) => F.log_softmax(a, 1)],
    ['mse_loss', (a) => F.mse_loss(a, t)],
    ['cross_entropy', (a) => F.cross_entropy(a, classes, { label_smoothing: 0.1 })],
    ['binary_cross_entropy', (a) => F.binary_cross_entropy(a.sigmoid(), labels)],
    ['binary_cross_entropy_with_logits', (a) => F.binary_cross_entropy_with_logits(a, labels, { pos_weight: w })],
  ];
  const weights = torch.arange(1, 13, { dtype: torch.float64 }).reshape(3, 4);
  for (const [name, fn] of secondOrder) {
    test(`${name}: double backward agrees with finite differences`, () => {
      const gradOfLoss = (a: Tensor) => {
        const [g] = torch.autograd.grad([fn(a).sum()], [a], { create_graph: true });
        return g!.mul(weights).sum();
      };
      assert.equal(torch.autograd.gradcheck(gradOfLoss, [x]), true);
    });
  }

  test('nll_loss and leaky_relu backward are differentiable with respect to the incoming gradient', () => {
    const logp = torch.randn(3, 4, { dtype: torch.float64, requires_grad: true });
    const upstream = torch.randn(3, { dtype: torch.float64, requires_grad: true });
    const viaUpstream = (u: Tensor) => {
      const [g] = torch.autograd.grad([F.nll_loss(logp, classes, { reduction: 'none' })], [logp], { grad_outputs: [u], create_graph: true });
      return g!.mul(weights).sum();
    };
    assert.equal(torch.autograd.gradcheck(viaUpstream, [upstream]), true);
    const up2 = torch.randn(3, 4, { dtype: torch.float64, requires_grad: true });
    const leaky = (u: Tensor) => {
      const [g] = torch.autograd.grad([F.leaky_relu(x, 0.3)], [x], { grad_outputs: [u], create_graph: true });
      return g!.mul(weights).sum();
    };
    assert.equal(torch.autograd.gradcheck(leaky, [up2]), true);
  });
});

describe('nn.init', () => {
  test('calculate_gain returns PyTorch\'s gains', () => {
    assert.equal(nn.init.calculate_gain('linear'), 1);
    assert.equal(nn.init.calculate_gain('sigmoid'), 1);
    assert.equal(nn.init.calculate_gain('conv2d'), 1);
    assert.equal(nn.init.calculate_gain('tanh'), 1.6666666666666667);
    assert.equal(nn.init.calculate_gain('relu'), Math.SQRT2);
    assert.equal(nn.init.calculate_gain('leaky_relu'), 1.4141428569978354);
    assert.equal(nn.init.calculate_gain('leaky_relu', Math.sqrt(5)), Math.sqrt(2 / 6.000000000000001));
    assert.equal(nn.init.calculate_gain('selu'), 0.75);
  });

  test('calculate_gain rejects unknown nonlinearities and bad slopes with PyTorch\'s messages', () => {
    assert.throws(() => nn.init.calculate_gain('foo'), { name: 'ValueError', message: 'Unsupported nonlinearity foo' });
    assert.throws(() => nn.init.calculate_gain('leaky_relu', 'x' as unknown as number), { message: 'negative_slope x not a valid number' });
  });

  test('fan in and fan out include the receptive field; fewer than 2 dims is an error', () => {
    assert.deepEqual(nn.init._calculate_fan_in_and_fan_out(torch.empty(8, 3)), [3, 8]);
    assert.deepEqual(nn.init._calculate_fan_in_and_fan_out(torch.empty(16, 3, 5, 5)), [75, 400]);
    assert.throws(() => nn.init.kaiming_uniform_(torch.ones(3)), {
      name: 'ValueError',
      message: 'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions',
    });
    assert.throws(() => nn.init.kaiming_uniform_(torch.ones(3, 3), { mode: 'foo' as 'fan_in' }), {
      message: "Mode foo not supported, please use one of ['fan_in', 'fan_out']",
    });
  });

  test('kaiming_uniform_ draws the same numbers as PyTorch for the same seed', () => {
    // torch.manual_seed(0); w = torch.empty(2, 3); nn.init.kaiming_uniform_(w, a=math.sqrt(5))
    torch.manual_seed(0);
    const w = nn.init.kaiming_uniform_(torch.empty(2, 3), { a: Math.sqrt(5) });
    assertExact(w, [[-0.0043225177, 0.30971584, -0.47518533], [-0.4248946, -0.22236897, 0.15482073]]);
  });

  test('kaiming, xavier, uniform and normal initialisers stay within their ranges and change values in place', () => {
    const w = torch.empty(200, 50);
    const same = nn.init.kaiming_uniform_(w, { nonlinearity: 'relu' });
    assert.equal(same, w);
    const bound = Math.sqrt(2) * Math.sqrt(3 / 50);
    assert.ok(w.abs().max().item() <= bound);
    nn.init.xavier_uniform_(w, 2);
    assert.ok(w.abs().max().item() <= 2 * Math.sqrt(6 / 250));
    nn.init.uniform_(w, -0.1, 0.1);
    assert.ok(w.abs().max().item() <= 0.1);
    nn.init.kaiming_normal_(w, { mode: 'fan_out' });
    assert.ok(Math.abs(w.std().item() - Math.sqrt(2 / 1.0001) / Math.sqrt(200)) < 0.005);
    nn.init.xavier_normal_(w);
    assert.ok(Math.abs(w.std().item() - Math.sqrt(2 / 250)) < 0.005);
    nn.init.normal_(w, 3, 0.5);
    assert.ok(Math.abs(w.mean().item() - 3) < 0.05);
  });

  test('constant_, zeros_ and ones_ fill a parameter without recording history', () => {
    const p = new nn.Parameter(torch.empty(2, 2));
    nn.init.constant_(p, 0.25);
    assertExact(p, [[0.25, 0.25], [0.25, 0.25]]);
    nn.init.zeros_(p);
    assertExact(p, [[0, 0], [0, 0]]);
    nn.init.ones_(p);
    assertExact(p, [[1, 1], [1, 1]]);
    assert.equal(p.grad_fn, null);
  });

  test('initialising a zero-element tensor warns that it is a no-op', () => {
    nn.init.kaiming_uniform_(torch.empty(0, 3));
    assert.ok(warnings.includes('UserWarning: Initializing zero-element tensors is a no-op'));
  });
});
