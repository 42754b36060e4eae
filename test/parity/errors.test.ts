// The exact error messages (and the one warning) PyTorch 1.13 gives for common mistakes.
// Fixture: test/fixtures/parity-errors.json (test/parity/gen_errors.py) holds each Python script
// verbatim and what it raised; the function under the same id below is its transcription.
// The engine's message must START WITH PyTorch's text: it may add one line of its own after a
// newline. The error's name must be PyTorch's exception type (RuntimeError, IndexError, ...).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { nn, optim, torch } from '../../src/engine/index.js';
import { assertMatches, assertPyTorchMessage, assertThrowsPyTorch, captureWarnings, loadFixture } from '../parity-helpers.js';

interface ErrorCase {
  group: string;
  id: string;
  name: string;
  python: string;
  expected:
    | { kind: 'error'; type: string; message: string }
    | { kind: 'warning'; category: string; message: string }
    | ({ kind: 'none' } & Record<string, unknown>);
}

const fixture = loadFixture<ErrorCase>('errors');

/** Each script performs the case; the last statement is the one expected to raise. */
const scripts: Record<string, () => unknown> = {
  backward_non_scalar() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const y = x.mul(2);
    y.backward();
  },
  backward_not_requiring_grad() {
    const x = torch.tensor([1.0, 2.0, 3.0]);
    const loss = x.mul(2).sum();
    loss.backward();
  },
  backward_twice() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const loss = x.mul(x).sum();
    loss.backward();
    loss.backward();
  },
  backward_twice_thermometer() {
    const t_u = torch.tensor([35.7, 55.9, 58.2]);
    const t_c = torch.tensor([0.5, 14.0, 15.0]);
    const params = torch.tensor([1.0, 0.0], { requires_grad: true });
    const [w, b] = params;
    const loss = w!.mul(t_u).add(b!).sub(t_c).pow(2).mean();
    for (let epoch = 0; epoch < 2; epoch++) loss.backward();
  },
  backward_gradient_shape_mismatch() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = x.mul(2);
    y.backward(torch.ones(3));
  },
  autograd_grad_non_scalar() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    torch.autograd.grad(x.mul(2), x);
  },
  autograd_grad_unused_input() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const z = torch.tensor([3.0], { requires_grad: true });
    const y = x.mul(x).sum();
    torch.autograd.grad(y, [x, z]);
  },
  autograd_grad_output_not_requiring_grad() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = torch.no_grad(() => x.mul(x).sum());
    torch.autograd.grad(y, x);
  },
  inplace_on_leaf() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    x.add_(1);
  },
  inplace_on_leaf_sub() {
    const params = torch.tensor([1.0, 0.0], { requires_grad: true });
    params.mul(params).sum().backward();
    params.sub_(params.grad!.mul(0.01));
  },
  inplace_on_view_of_leaf() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    x.narrow(0, 0, 2).add_(1);
  },
  inplace_modified_output_exp() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const y = x.exp();
    y.add_(1);
    y.sum().backward();
  },
  inplace_modified_output_sigmoid_matrix() {
    const x = torch.tensor([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]], { requires_grad: true });
    const y = x.sigmoid();
    y.mul_(2);
    y.sum().backward();
  },
  inplace_modified_intermediate_input() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const h = x.mul(1);
    const y = h.pow(2);
    h.add_(1);
    y.sum().backward();
  },
  inplace_modified_data_tensor() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const d = torch.tensor([4.0, 5.0, 6.0]);
    const y = x.mul(d);
    d.add_(1);
    y.sum().backward();
  },
  inplace_modified_float64_data_tensor() {
    const x = torch.tensor([1.0, 2.0], { dtype: torch.float64, requires_grad: true });
    const d = torch.tensor([4.0, 5.0], { dtype: torch.float64 });
    const y = x.mul(d);
    d.add_(1);
    d.mul_(3);
    y.sum().backward();
  },
  inplace_modified_via_data_is_silent() {
    const x = torch.tensor([1.0, 2.0, 3.0], { requires_grad: true });
    const w = torch.tensor([4.0, 5.0, 6.0], { requires_grad: true });
    const a = x.mul(w);
    w.data.add_(1);
    a.sum().backward();
    return { x_grad: x.grad, w_grad: w.grad };
  },
  requires_grad_false_on_non_leaf() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = x.mul(2);
    y.requires_grad_(false);
  },
  requires_grad_on_int_tensor() {
    const x = torch.tensor([1, 2], { dtype: torch.int64 });
    x.requires_grad_();
  },
  non_leaf_grad_warning() {
    const x = torch.tensor([1.0, 2.0], { requires_grad: true });
    const y = x.mul(2);
    y.sum().backward();
    return y.grad;
  },
  broadcast_mismatch() {
    torch.ones(2, 3).add(torch.ones(4));
  },
  broadcast_mismatch_dim0() {
    torch.ones(3).mul(torch.ones(2, 4));
  },
  matmul_shape_mismatch() {
    torch.ones(2, 3).matmul(torch.ones(4, 5));
  },
  mm_of_a_vector() {
    torch.mm(torch.ones(3), torch.ones(3, 2));
  },
  dot_size_mismatch() {
    torch.ones(2).matmul(torch.ones(3));
  },
  view_non_contiguous() {
    torch.ones(2, 3).t().view(6);
  },
  reshape_invalid() {
    torch.ones(2, 3).reshape(4, 2);
  },
  view_two_inferred() {
    torch.ones(2, 3).view(-1, -1);
  },
  dim_out_of_range_sum() {
    torch.ones(2, 3).sum(2);
  },
  dim_out_of_range_squeeze() {
    torch.ones(2, 3).squeeze(3);
  },
  dim_out_of_range_max() {
    torch.ones(2, 3).max(5);
  },
  dim_out_of_range_transpose() {
    torch.ones(2, 3).transpose(0, 2);
  },
  permute_duplicate_dims() {
    torch.ones(2, 3).permute(0, 0);
  },
  expand_mismatch() {
    torch.ones(2, 3).expand(4, 3);
  },
  cat_size_mismatch() {
    torch.cat([torch.ones(2, 3), torch.ones(2, 2)], 0);
  },
  stack_size_mismatch() {
    torch.stack([torch.ones(2), torch.ones(3)]);
  },
  item_of_many_elements() {
    torch.ones(3).item();
  },
  ragged_nested_list() {
    torch.tensor([[1, 2], [3]]);
  },
  mean_of_int64() {
    torch.tensor([1, 2], { dtype: torch.int64 }).mean();
  },
  index_select_out_of_range() {
    torch.ones(3).index_select(0, torch.tensor([5], { dtype: torch.int64 }));
  },
  gather_float_index() {
    torch.ones(3).gather(0, torch.tensor([1.0]));
  },
  where_float_condition() {
    torch.where(torch.tensor([1.0, 0.0]), torch.ones(2), torch.zeros(2));
  },
  linear_input_mismatch() {
    torch.manual_seed(0);
    const linear = new nn.Linear(3, 2);
    linear.call(torch.ones(4, 5));
  },
  cross_entropy_target_out_of_bounds() {
    nn.functional.cross_entropy(torch.ones(2, 3), torch.tensor([0, 3], { dtype: torch.int64 }));
  },
  nll_loss_float_target() {
    nn.functional.nll_loss(torch.ones(2, 3), torch.tensor([0.0, 1.0]));
  },
  bce_input_out_of_range() {
    nn.functional.binary_cross_entropy(torch.tensor([0.5, 1.5]), torch.tensor([0.0, 1.0]));
  },
  sgd_negative_lr() {
    const p = torch.ones(2, { requires_grad: true });
    new optim.SGD([p], { lr: -0.01 });
  },
  sgd_nesterov_without_momentum() {
    const p = torch.ones(2, { requires_grad: true });
    new optim.SGD([p], { lr: 0.1, nesterov: true });
  },
  adam_invalid_beta() {
    const p = torch.ones(2, { requires_grad: true });
    new optim.Adam([p], { betas: [1.0, 0.9] });
  },
  optimizer_non_leaf() {
    const p = torch.ones(2, { requires_grad: true });
    new optim.SGD([p.mul(2)], { lr: 0.1 });
  },
  sparse_adam_dense_gradient() {
    const p = torch.ones(2, { requires_grad: true });
    const opt = new optim.SparseAdam([p]);
    p.mul(p).sum().backward();
    opt.step();
  },
};

const groups = new Map<string, ErrorCase[]>();
for (const c of fixture.cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);

for (const [group, cases] of groups) {
  describe(`${group}: messages match PyTorch`, () => {
    for (const c of cases) {
      const e = c.expected;
      const title =
        e.kind === 'error' ? `${c.name} raises ${e.type}: ${e.message}` : e.kind === 'warning' ? `${c.name} warns ${e.category}: ${e.message}` : c.name;
      test(title, () => {
        const script = scripts[c.id];
        assert.ok(script, `no TypeScript transcription for case ${c.id}`);
        if (e.kind === 'error') {
          assertThrowsPyTorch(script, e, c.id);
        } else if (e.kind === 'warning') {
          const warnings = captureWarnings(() => void script());
          assert.equal(warnings.length, 1, 'exactly one warning');
          assert.equal(warnings[0]!.category, e.category, 'warning category');
          assertPyTorchMessage(warnings[0]!.message, e.message, 'warning');
        } else {
          const actual = script() as Record<string, unknown>;
          for (const [key, expected] of Object.entries(e)) {
            if (key !== 'kind') assertMatches(actual[key], expected, key);
          }
        }
      });
    }
  });
}

test('every transcription has a fixture case', () => {
  const ids = new Set(fixture.cases.map((c) => c.id));
  assert.deepEqual(Object.keys(scripts).filter((id) => !ids.has(id)), []);
});
