// `backward(gradient, { inputs })` and `torch.autograd.backward(tensors, grads, { inputs })`:
// only the listed tensors accumulate a gradient, as in PyTorch. Fixture:
// test/fixtures/backward-inputs.json (test/engine/gen_backward_inputs.py, PyTorch 1.13); each
// function below is the TypeScript transcription of the case's script, returning its `expected`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { torch, type Tensor } from '../../src/engine/index.js';
import { assertMatches, assertThrowsPyTorch, type ExpectedError } from '../parity-helpers.js';

interface Case {
  id: string;
  name: string;
  python: string;
  expected: { values: Record<string, unknown> } | { error: ExpectedError };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/backward-inputs.json', import.meta.url), 'utf8')) as { cases: Case[] };

const scripts: Record<string, () => Record<string, unknown>> = {
  only_the_inputs_accumulate() {
    const a = torch.tensor([1.0, 2.0], { requires_grad: true });
    const b = torch.tensor([3.0, 4.0], { requires_grad: true });
    a.mul(b).sum().backward(null, { inputs: [a] });
    return { a: a.grad, b: b.grad };
  },
  a_single_tensor_as_inputs() {
    const a = torch.tensor([1.0, 2.0], { requires_grad: true });
    const b = torch.tensor([3.0, 4.0], { requires_grad: true });
    a.mul(b).sum().backward(null, { inputs: b });
    return { a: a.grad, b: b.grad };
  },
  a_non_leaf_input_keeps_its_gradient() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const c = x.mul(2);
    c.mul(c).sum().backward(null, { inputs: [c] });
    return { c: c.grad, c_retains_grad: c.retains_grad, x: x.grad };
  },
  an_input_listed_twice_accumulates_once() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    x.mul(x).sum().backward(null, { inputs: [x, x] });
    return { x: x.grad };
  },
  inputs_accumulate_over_calls() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const w = torch.tensor([0.5, -1.0], { requires_grad: true });
    const loss = x.mul(w).sum();
    loss.backward(null, { inputs: [w], retain_graph: true });
    loss.backward(null, { inputs: [w] });
    return { w: w.grad, x: x.grad };
  },
  an_unreachable_input_stays_without_grad() {
    const a = torch.tensor([1.0, 2.0], { requires_grad: true });
    const d = torch.tensor([1.0], { requires_grad: true });
    a.mul(a).sum().backward(null, { inputs: [a, d] });
    return { a: a.grad, d: d.grad };
  },
  hooks_off_the_path_do_not_run() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const z = torch.tensor([3.0, 4.0], { requires_grad: true });
    const h = z.mul(3);
    let calls = 0;
    h.register_hook(() => void calls++);
    x.mul(x).sum().add(h.sum()).backward(null, { inputs: [x] });
    return { x: x.grad, z: z.grad, hook_calls: calls };
  },
  autograd_backward_with_inputs() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const z = torch.tensor([3.0, 4.0], { requires_grad: true });
    torch.autograd.backward([x.mul(z).sum(), x.add(z).sum()], null, { inputs: [z] });
    return { x: x.grad, z: z.grad };
  },
  empty_inputs() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    x.mul(x).sum().backward(null, { inputs: [] });
    return {};
  },
  an_input_without_grad() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const e = torch.tensor([1.0]);
    x.mul(x).sum().backward(null, { inputs: [e] });
    return {};
  },
};

describe('backward(inputs=...) as PyTorch 1.13', () => {
  for (const c of fixture.cases) {
    test(c.name, () => {
      const script = scripts[c.id];
      assert.ok(script, `no transcription of fixture case ${c.id}`);
      if ('error' in c.expected) {
        assertThrowsPyTorch(script, c.expected.error, c.id);
        return;
      }
      const got = script();
      for (const [key, expected] of Object.entries(c.expected.values)) {
        if (expected === null) assert.equal(got[key], null, `${c.id}: ${key} stays None`);
        else assertMatches(got[key], expected, `${c.id}: ${key}`);
      }
    });
  }

  test('every transcription has its fixture case', () => {
    assert.deepEqual(Object.keys(scripts).sort(), fixture.cases.map((c) => c.id).sort());
  });
});

describe('one backward engine', () => {
  test('a backward started in a hook during another leaves the outer pass its gradients', () => {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = x.mul(x);
    const t = y.mul(3);
    const other = y.sum();
    let inner: Tensor | null = null;
    // Runs before y's node, which both passes share: the inner pass uses that node's scratch
    // state while the outer pass still waits on it.
    t.register_hook((g) => {
      inner = torch.autograd.grad(other, x, { retain_graph: true })[0]!;
      return g;
    });
    t.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [6, 12]);
    assert.deepEqual((inner as Tensor | null)!.tolist(), [2, 4]);
  });

  test('autograd.grad runs only the nodes on a path to its inputs: a hook elsewhere is not called', () => {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const z = torch.tensor([3.0, 4.0], { requires_grad: true });
    const h = z.mul(3);
    let calls = 0;
    h.register_hook(() => void calls++);
    const [g] = torch.autograd.grad(x.mul(x).sum().add(h.sum()), [x]);
    assert.deepEqual(g!.tolist(), [2, 4]);
    assert.equal(calls, 0);
    assert.equal(z.grad, null);
  });
});
