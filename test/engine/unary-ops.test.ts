// Every op of the engine's unary table (src/engine/ops/unary.ts) against PyTorch 1.13: values,
// gradients, the backward node's name, the result dtype of an int64 input, and the forms the
// table gives each op (x.op(), x.op_(), torch.op(x)). Fixture: test/fixtures/unary-ops.json
// (test/engine/gen_unary_ops.py), which covers PyTorch's unary ops beyond the table's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { torch, hooks, type Tensor } from '../../src/engine/index.js';
import { UNARY, type UnaryName } from '../../src/engine/ops/unary.js';
import { assertTensor, fromSpec, type TensorSpec } from '../parity-helpers.js';

interface OpCase {
  node: string | null;
  int_dtype: string | null;
  float32: { x: TensorSpec; g: TensorSpec; y: TensorSpec; grad: TensorSpec };
  float64: { x: TensorSpec; g: TensorSpec; y: TensorSpec; grad: TensorSpec };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/unary-ops.json', import.meta.url), 'utf8')) as { ops: Record<string, OpCase> };

for (const name of Object.keys(UNARY) as UnaryName[]) {
  describe(`unary op ${name}`, () => {
    const expected = fixture.ops[name];

    test('PyTorch has it (test/engine/gen_unary_ops.py lists it)', () => {
      assert.ok(expected, `${name} is not in test/fixtures/unary-ops.json: add it to test/engine/gen_unary_ops.py`);
    });
    if (!expected) return;

    test(`records ${expected.node}, explained`, () => {
      const y = torch.tensor([0.5], { requires_grad: true })[name]();
      assert.equal(y.grad_fn?.name(), expected.node);
      assert.equal(hooks.explain(y.grad_fn!).length, 1);
    });

    test(`an int64 input gives ${expected.int_dtype}`, () => {
      assert.equal(torch.tensor([1n, 2n])[name]().dtype.name, expected.int_dtype);
    });

    for (const dtype of ['float32', 'float64'] as const) {
      test(`${dtype}: values and gradient as PyTorch's`, () => {
        const c = expected[dtype];
        const x = fromSpec(c.x, true);
        const y = x[name]();
        assertTensor(y, c.y, `${name}(x)`);
        y.mul(fromSpec(c.g)).sum().backward();
        assertTensor(x.grad, c.grad, `gradient of ${name}`);
      });

      test(`${dtype}: torch.${name}(x) and x.${name}_() give x.${name}()`, () => {
        const x = fromSpec(expected[dtype].x);
        const y = x[name]();
        const viaTorch = (torch as unknown as Record<UnaryName, (t: Tensor) => Tensor>)[name](x);
        assert.deepEqual(viaTorch.tolist(), y.tolist());
        const inPlace = x.clone();
        assert.equal(inPlace[`${name}_`](), inPlace);
        assert.deepEqual(inPlace.tolist(), y.tolist());
      });
    }
  });
}

describe('round to decimals, as ATen’s round.decimals', () => {
  // Values from PyTorch 1.13: x.round(decimals=d).
  test('float32 rounds x·10^d in float32 first, half to even', () => {
    const x = torch.tensor([1.2345, -2.5678, 0.125, 1234.5, 2.675]);
    assert.deepEqual(x.round({ decimals: 2 }).tolist(), [1.23, -2.57, 0.12, 1234.5, 2.68].map(Math.fround));
  });
  test('negative decimals round to tens and hundreds', () => {
    assert.deepEqual(torch.tensor([1.2345, -2.5678, 1234.5]).round({ decimals: -2 }).tolist(), [0, -0, 1200]);
  });
  test('float64 rounds in float64', () => {
    assert.deepEqual(torch.tensor([1.25, 2.675], { dtype: torch.float64 }).round({ decimals: 1 }).tolist(), [1.2, 2.7]);
  });
  test('the node is RoundBackward1 and its gradient zero', () => {
    const x = torch.tensor([1.26, -0.5], { requires_grad: true });
    const y = torch.round(x, { decimals: 1 });
    assert.equal(y.grad_fn?.name(), 'RoundBackward1');
    y.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [0, 0]);
  });
  test('integer and bool tensors are refused as ATen refuses them', () => {
    assert.throws(() => torch.tensor([15n, 25n]).round({ decimals: -1 }), { name: 'RuntimeError', message: '"round_cpu" not implemented for \'Long\'' });
    assert.throws(() => torch.tensor([15n]).round({ decimals: 0 }), { name: 'RuntimeError', message: '"round_vml_cpu" not implemented for \'Long\'' });
    assert.throws(() => torch.tensor([true]).round({ decimals: 1 }), { name: 'RuntimeError', message: '"round_cpu" not implemented for \'Bool\'' });
  });
  test('round_ with decimals rounds in place', () => {
    const x = torch.tensor([0.25, 1.35]);
    x.round_({ decimals: 1 });
    assert.deepEqual(x.tolist(), [0.2, 1.4].map(Math.fround));
  });
});
