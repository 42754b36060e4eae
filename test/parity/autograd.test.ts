// The autograd engine on whole scripts, against PyTorch 1.13: the chapter's thermometer model,
// gradient accumulation, retain_graph, hooks, retain_grad, second-order gradients, detach and
// no_grad. Fixture: test/fixtures/parity-autograd.json (test/parity/gen_autograd.py), where each
// case holds the Python script verbatim; the function under the same id below is its TypeScript
// transcription, returning what the script put in `expected`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { torch, type Tensor } from '../../src/engine/index.js';
import { assertMatches, captureWarnings, graphOf, loadFixture, tensorMeta, assertPyTorchMessage } from '../parity-helpers.js';

interface AutogradCase {
  id: string;
  name: string;
  python: string;
  expected: Record<string, unknown>;
}

const fixture = loadFixture<AutogradCase>('autograd');
const T_C = fixture.t_c as number[];
const T_U = fixture.t_u as number[];

type Script = () => Record<string, unknown>;

const scripts: Record<string, Script> = {
  thermometer_loss_and_grad() {
    const t_c = torch.tensor(T_C);
    const t_u = torch.tensor(T_U);
    const params = torch.tensor([1.0, 0.0], { requires_grad: true });
    const [w, b] = params;
    const t_p = w!.mul(t_u).add(b!);
    const loss = t_p.sub(t_c).pow(2).mean();
    loss.backward();
    return {
      loss,
      grad: params.grad,
      graph: graphOf(loss.grad_fn),
      w: tensorMeta(w!),
      t_p: tensorMeta(t_p),
      loss_meta: tensorMeta(loss),
      params: tensorMeta(params),
    };
  },

  thermometer_normalized_training() {
    const t_c = torch.tensor(T_C);
    const t_un = torch.tensor(T_U).mul(0.1);
    const params = torch.tensor([1.0, 0.0], { requires_grad: true });
    const learning_rate = 1e-2;
    const losses: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      if (params.grad !== null) params.grad.zero_();
      const [w, b] = params;
      const loss = w!.mul(t_un).add(b!).sub(t_c).pow(2).mean();
      loss.backward();
      torch.no_grad(() => params.sub_(params.grad!.mul(learning_rate)));
      losses.push(loss.item());
    }
    return { losses, params, params_requires_grad: params.requires_grad, params_is_leaf: params.is_leaf };
  },

  thermometer_graph_model_function() {
    const t_c = torch.tensor(T_C);
    const t_u = torch.tensor(T_U);
    const w = torch.ones([]);
    const b = torch.zeros([]);
    w.requires_grad_();
    b.requires_grad_();
    const loss = w.mul(t_u).add(b).sub(t_c).pow(2).mean();
    loss.backward();
    return { loss, w_grad: w.grad, b_grad: b.grad, graph: graphOf(loss.grad_fn) };
  },

  grad_accumulates_over_two_backward_calls() {
    const t_c = torch.tensor(T_C);
    const t_u = torch.tensor(T_U);
    const params = torch.tensor([1.0, 0.0], { requires_grad: true });
    const loss_fn = () => {
      const [w, b] = params;
      return w!.mul(t_u).add(b!).sub(t_c).pow(2).mean();
    };
    loss_fn().backward();
    const after_first = params.grad!.clone();
    loss_fn().backward();
    const after_second = params.grad!.clone();
    params.grad!.zero_();
    const after_zero = params.grad!.clone();
    loss_fn().backward();
    return { after_first, after_second, after_zero, after_third: params.grad };
  },

  retain_graph_allows_a_second_backward() {
    const x = torch.tensor([0.5, -1.5, 2.0], { requires_grad: true });
    const y = x.exp().mul(x).sum();
    y.backward(null, { retain_graph: true });
    const after_first = x.grad!.clone();
    y.backward();
    return { after_first, after_second: x.grad };
  },

  backward_with_gradient_argument() {
    const x = torch.tensor([[1.0, -2.0], [3.0, 0.5]], { requires_grad: true });
    const y = x.mul(x).mul(3);
    y.backward(torch.tensor([[1.0, 0.1], [0.01, -1.0]]));
    return { grad: x.grad };
  },

  input_used_on_two_paths() {
    const x = torch.tensor([1.0, -2.0, 0.5], { requires_grad: true });
    const y = x.mul(x).add(x.sin()).add(x);
    y.sum().backward();
    return { grad: x.grad, graph: graphOf(y.grad_fn) };
  },

  leaf_and_non_leaf() {
    const a = torch.tensor([1.0, 2.0], { requires_grad: true });
    const c = torch.tensor([3.0, 4.0]);
    const r = a.mul(2);
    const k = c.mul(2);
    return { a: tensorMeta(a), c: tensorMeta(c), r: tensorMeta(r), k: tensorMeta(k), mixed: tensorMeta(a.add(c)) };
  },

  hook_doubles_the_gradient_of_an_intermediate() {
    const x = torch.tensor([1.0, 2.0, -3.0], { requires_grad: true });
    const h = x.mul(x);
    h.register_hook((g) => g.mul(2));
    const y = h.mul(torch.tensor([1.0, 0.5, 0.25])).sum();
    y.backward();
    return { grad: x.grad };
  },

  hook_on_a_leaf() {
    const x = torch.tensor([1.0, 2.0, -3.0], { requires_grad: true });
    const seen: Tensor[] = [];
    x.register_hook((g) => {
      seen.push(g.clone());
      return g.mul(2);
    });
    x.pow(2).sum().backward();
    return { seen: seen[0], grad: x.grad };
  },

  hook_that_returns_none_only_observes() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const seen: Tensor[] = [];
    const h = x.mul(3);
    h.register_hook((g) => {
      seen.push(g.clone());
    });
    h.mul(h).sum().backward();
    return { seen: seen[0], grad: x.grad };
  },

  retain_grad_on_an_intermediate() {
    const x = torch.tensor([0.5, 1.0, 1.5], { requires_grad: true });
    const h = x.exp();
    h.retain_grad();
    const y = h.mul(h).sum();
    y.backward();
    return { h_grad: h.grad, x_grad: x.grad, h_retains_grad: h.retains_grad, h_is_leaf: h.is_leaf };
  },

  retain_grad_and_hook_together() {
    const x = torch.tensor([1.0, -1.0], { requires_grad: true });
    const h = x.mul(2);
    h.retain_grad();
    h.register_hook((g) => g.mul(10));
    h.mul(h).sum().backward();
    return { h_grad: h.grad, x_grad: x.grad };
  },

  second_derivative_of_cube() {
    const x = torch.tensor([1.0, -2.0, 0.5], { requires_grad: true });
    const y = x.pow(3).sum();
    const [g] = torch.autograd.grad(y, x, { create_graph: true });
    const first_meta = tensorMeta(g!);
    const [g2] = torch.autograd.grad(g!.sum(), x);
    return { first: g, first_meta, second: g2 };
  },

  second_derivative_of_sin_times_x() {
    const x = torch.tensor([0.3, -1.2, 2.5, 0.0], { requires_grad: true });
    const y = x.sin().mul(x).sum();
    const [g] = torch.autograd.grad(y, x, { create_graph: true });
    const [g2] = torch.autograd.grad(g!.sum(), x);
    return { first: g, second: g2 };
  },

  hessian_vector_product() {
    const x = torch.tensor([0.5, -1.0, 2.0], { requires_grad: true });
    const A = torch.tensor([[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 3.0]]);
    const v = torch.tensor([1.0, -2.0, 0.5]);
    const f = x.matmul(A).matmul(x).mul(0.5).add(x.sin().sum()).add(x.pow(3).sum().div(6));
    const [g] = torch.autograd.grad(f, x, { create_graph: true });
    const [hv] = torch.autograd.grad(g!, x, { grad_outputs: v });
    return { f, grad: g, hvp: hv };
  },

  backward_with_create_graph() {
    const x = torch.tensor([1.5, -0.5], { requires_grad: true });
    const y = x.pow(3).sum();
    y.backward(null, { create_graph: true });
    const grad = x.grad!;
    const grad_requires_grad = grad.requires_grad;
    const g = x.grad!;
    x.grad = null;
    g.sum().backward();
    return { grad, grad_requires_grad, second: x.grad };
  },

  grad_of_two_inputs() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const w = torch.tensor([0.5, -1.5], { requires_grad: true });
    const y = x.mul(w).exp().sum();
    const [gx, gw] = torch.autograd.grad(y, [x, w]);
    return { gx, gw, x_grad_is_none: x.grad === null };
  },

  grad_allow_unused() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const z = torch.tensor([3.0], { requires_grad: true });
    const y = x.mul(x).sum();
    const [gx, gz] = torch.autograd.grad(y, [x, z], { allow_unused: true });
    return { gx, gz_is_none: gz === null || gz === undefined };
  },

  grad_with_grad_outputs() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const y = x.pow(2);
    const [g] = torch.autograd.grad(y, x, { grad_outputs: torch.tensor([1.0, 0.5, -1.0]) });
    return { grad: g };
  },

  detach() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = x.mul(3);
    const d = y.detach();
    const meta = tensorMeta(d);
    d.add_(1);
    // as in the Python script, tensors are recorded as they are at the end (after the add_)
    return { d: meta, d_values: d, y_after_inplace_on_detached: y, y: tensorMeta(y) };
  },

  requires_grad_() {
    const a = torch.tensor([1.0, 2.0]);
    const before = tensorMeta(a);
    const r = a.requires_grad_();
    const after = tensorMeta(a);
    const returns_self = r === a;
    a.mul(a).sum().backward();
    const grad = a.grad;
    a.requires_grad_(false);
    return { before, after, returns_self, grad, after_false: tensorMeta(a) };
  },

  no_grad() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    let enabled_inside = true;
    const [y, z] = torch.no_grad(() => {
      const y = x.mul(2);
      const z = y.add(x);
      enabled_inside = torch.is_grad_enabled();
      return [y, z] as const;
    });
    const enabled_after = torch.is_grad_enabled();
    const w = x.mul(2);
    return { y: tensorMeta(y), z: tensorMeta(z), z_values: z, enabled_inside, enabled_after, w: tensorMeta(w) };
  },

  no_grad_update_keeps_leaf() {
    const p = torch.tensor([1.0, -1.0], { requires_grad: true });
    p.mul(p).sum().backward();
    torch.no_grad(() => p.sub_(p.grad!.mul(0.1)));
    return { p, p_meta: tensorMeta(p), version: p._version };
  },

  enable_grad_inside_no_grad() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const [y, z] = torch.no_grad(() => {
      const y = torch.enable_grad(() => x.mul(2));
      const z = x.mul(2);
      return [y, z] as const;
    });
    return { y: tensorMeta(y), z: tensorMeta(z) };
  },

  set_grad_enabled_false() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = torch.set_grad_enabled(false, () => x.mul(2))!;
    return { y: tensorMeta(y) };
  },

  grad_of_non_leaf_is_none_with_warning() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = x.mul(2);
    y.sum().backward();
    let g: Tensor | null = null;
    const warnings = captureWarnings(() => {
      g = y.grad;
    });
    assert.equal(warnings.length, 1, 'exactly one warning');
    assertPyTorchMessage(warnings[0]!.message, this_case('grad_of_non_leaf_is_none_with_warning').expected.warning as string, 'warning');
    return { grad_is_none: g === null, warning_category: warnings[0]!.category };
  },

  version_counter() {
    const x = torch.tensor([1.0, 2.0]);
    const v0 = x._version;
    x.add_(1);
    const v1 = x._version;
    x.mul_(2);
    const v2 = x._version;
    const y = x.add(1);
    const view = x.narrow(0, 0, 1);
    view.add_(1);
    return { versions: [v0, v1, v2, y._version, x._version], x };
  },

  zero_grad_with_none() {
    const x = torch.tensor([2.0, 3.0], { requires_grad: true });
    x.mul(x).sum().backward();
    x.grad = null;
    x.mul(5).sum().backward();
    return { grad: x.grad };
  },

  unbind_graph() {
    const params = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const [a, , c] = params;
    const y = a!.mul(2).add(c!.mul(3));
    y.backward();
    return { graph: graphOf(y.grad_fn), grad: params.grad };
  },

  graph_of_linear_model_with_mse() {
    const x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]]);
    const w = torch.tensor([[0.1, -0.2]], { requires_grad: true });
    const b = torch.tensor([0.05], { requires_grad: true });
    const y = torch.tensor([[1.0], [2.0], [0.0]]);
    const loss = x.matmul(w.t()).add(b).sub(y).pow(2).mean();
    loss.backward();
    return { loss, w_grad: w.grad, b_grad: b.grad, graph: graphOf(loss.grad_fn) };
  },
};

function this_case(id: string): AutogradCase {
  const c = fixture.cases.find((k) => k.id === id);
  assert.ok(c, `no fixture case ${id}`);
  return c;
}

/** Keys compared elsewhere in the script itself (the warning text, checked by prefix). */
const CHECKED_IN_SCRIPT: Record<string, string[]> = { grad_of_non_leaf_is_none_with_warning: ['warning'] };

describe('autograd scripts match PyTorch', () => {
  for (const c of fixture.cases) {
    test(`${c.name} (${c.id})`, () => {
      const script = scripts[c.id];
      assert.ok(script, `no TypeScript transcription for case ${c.id}`);
      const actual = script();
      const skip = new Set(CHECKED_IN_SCRIPT[c.id] ?? []);
      for (const [key, expected] of Object.entries(c.expected)) {
        if (skip.has(key)) continue;
        assert.ok(key in actual, `the script did not record ${key}`);
        assertMatches(actual[key], expected, key);
      }
    });
  }
  test('every transcription has a fixture case', () => {
    const ids = new Set(fixture.cases.map((c) => c.id));
    assert.deepEqual(Object.keys(scripts).filter((id) => !ids.has(id)), []);
  });
});
