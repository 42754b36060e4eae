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
