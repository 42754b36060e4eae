// The engine's hooks interface: what script-process code (probes, graph snapshots) may use.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { torch, nn, hooks, hostGlobal, setHostGlobal, Tensor } from '../../src/engine/index.js';

describe('engine hooks', () => {
  test("leafOf gives an AccumulateGrad node's tensor, and null for other nodes", () => {
    const w = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = w.mul(2);
    assert.equal(hooks.leafOf(y.grad_fn!), null);
    assert.equal(hooks.leafOf(y.grad_fn!.next_functions[0]![0]!), w);
  });

  test('nameTensor keeps the first name a leaf gets', () => {
    const t = torch.tensor([1.0]);
    assert.equal(hooks.tensorName(t), null);
    hooks.nameTensor(t, 't_u');
    hooks.nameTensor(t, 'alias');
    assert.equal(hooks.tensorName(t), 't_u');
  });

  test('names are kept by the engine, not written into the tensor', () => {
    const t = torch.tensor([1.0]);
    hooks.nameTensor(t, 't_c');
    assert.deepEqual(
      Object.keys(t).filter((k) => k.includes('name')),
      [],
    );
  });

  test('scalarValue reads a one-element tensor, of any shape, and nothing else', () => {
    assert.equal(hooks.scalarValue(torch.tensor(2.5)), 2.5);
    assert.equal(hooks.scalarValue(torch.tensor([[3]], { dtype: torch.int64 })), 3);
    assert.equal(hooks.scalarValue(torch.tensor([1.0, 2.0]).select(0, 1)), 2);
    assert.equal(hooks.scalarValue(torch.tensor([1.0, 2.0])), undefined);
    assert.equal(hooks.scalarValue(2.5), undefined);
  });

  test("namedParameters lists a module's parameters, and gives null for anything else", () => {
    const m = new nn.Linear(2, 1);
    assert.deepEqual(hooks.namedParameters(m)!.map(([name, p]) => [name, p instanceof Tensor]), [
      ['weight', true],
      ['bias', true],
    ]);
    assert.equal(hooks.namedParameters({ named_parameters: () => [] }), null);
    assert.equal(hooks.namedParameters(torch.tensor(1)), null);
  });

  test('hostGlobal reads what setHostGlobal installed at globalThis.__autogradLab', () => {
    const scalar = () => {};
    setHostGlobal({ scalar });
    try {
      assert.equal(hostGlobal()?.scalar, scalar);
      assert.equal((globalThis as { __autogradLab?: unknown }).__autogradLab, hostGlobal());
    } finally {
      setHostGlobal(undefined);
    }
    assert.equal(hostGlobal(), undefined);
  });
});
