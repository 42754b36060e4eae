// torch.nn against PyTorch 1.13: Linear with given weights, activations, Softmax/LogSoftmax,
// the losses (values, input grads and parameter grads), a Sequential trained 100 SGD steps on
// the chapter's thermometer data, and the parameter names of Sequential models.
// Fixture: test/fixtures/parity-nn.json (test/parity/gen_nn.py). A "module" case builds
// nn.<Module>(...module_args, module_kwargs) — PyTorch keyword arguments as one trailing
// options object — loads the given parameters, and calls it with module.call(...args).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { nn, optim, torch, Tensor } from '../../src/engine/index.js';
import {
  assertNumbers,
  assertTensor,
  checkCallCase,
  fromSpec,
  gradFnNames,
  loadFixture,
  makeInputs,
  resolveArg,
  TOLERANCE,
  type Arg,
  type CallCase,
  type Encoded,
  type TensorSpec,
} from '../parity-helpers.js';

interface ModuleCase {
  kind: 'module';
  group: string;
  name: string;
  module: string;
  module_args: Arg[];
  module_kwargs: Record<string, Arg>;
  parameters?: Record<string, TensorSpec>;
  inputs: Record<string, TensorSpec>;
  args: Arg[];
  outputs: TensorSpec[];
  upstream?: { output: number; grad: TensorSpec };
  grads?: Record<string, TensorSpec>;
  parameter_grads?: Record<string, TensorSpec>;
}
interface TrainingCase {
  kind: 'training';
  id: string;
  name: string;
  python: string;
  input_scale: number;
  lr: number;
  steps: number;
  initial: Record<string, TensorSpec>;
  first_step_grads: Record<string, TensorSpec>;
  losses: Encoded[];
  final: Record<string, TensorSpec>;
  final_output: TensorSpec;
}
interface StructureCase {
  kind: 'structure';
  id: string;
  name: string;
  python: string;
  state_dict: [string, number[]][];
  named_parameters: [string, number[], boolean][];
  numels: number[];
  children: string[];
}
type NNCase = ModuleCase | TrainingCase | StructureCase | (CallCase & { kind: 'call' });

const fixture = loadFixture<NNCase>('nn');
const T_C = fixture.t_c as number[];
const T_U = fixture.t_u as number[];

interface ModuleLike {
  call(...args: unknown[]): Tensor;
  parameters(): Iterable<Tensor>;
  named_parameters(): Iterable<[string, Tensor]> | Map<string, Tensor>;
  state_dict(): Map<string, Tensor> | Record<string, Tensor>;
  children?(): Iterable<object>;
}

function entries<V>(x: Iterable<[string, V]> | Map<string, V> | Record<string, V>): [string, V][] {
  if (x instanceof Map) return [...x.entries()];
  if (Symbol.iterator in (x as object)) return [...(x as Iterable<[string, V]>)];
  return Object.entries(x as Record<string, V>);
}

function loadParameters(m: ModuleLike, values: Record<string, TensorSpec>): void {
  const params = new Map(entries(m.named_parameters()));
  for (const [name, spec] of Object.entries(values)) {
    const p = params.get(name);
    assert.ok(p, `module has no parameter ${name}`);
    torch.no_grad(() => p.copy_(fromSpec(spec, false)));
  }
}

function buildModule(c: ModuleCase, env: Record<string, Tensor>): ModuleLike {
  const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => ModuleLike>)[c.module];
  assert.ok(typeof Cls === 'function', `the engine has no nn.${c.module}`);
  const args = c.module_args.map((a) => resolveArg(a, env));
  const kwargs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.module_kwargs)) kwargs[k] = resolveArg(v, env);
  const m = Object.keys(kwargs).length > 0 ? new Cls(...args, kwargs) : new Cls(...args);
  if (c.parameters) loadParameters(m, c.parameters);
  return m;
}

function checkModuleCase(c: ModuleCase): void {
  const env = makeInputs(c.inputs);
  const m = buildModule(c, env);
  const out = m.call(...c.args.map((a) => resolveArg(a, env)));
  assertTensor(out, c.outputs[0]!, 'output');
  assert.equal(out.requires_grad, c.outputs[0]!.requires_grad, 'output requires_grad');
  if (!c.upstream) return;
  out.backward(fromSpec(c.upstream.grad));
  for (const [name, spec] of Object.entries(c.grads ?? {})) assertTensor(env[name]!.grad, spec, `grad of ${name}`);
  const params = new Map(entries(m.named_parameters()));
  assert.deepEqual([...params.keys()], Object.keys(c.parameter_grads ?? {}), 'parameter names');
  for (const [name, spec] of Object.entries(c.parameter_grads ?? {})) assertTensor(params.get(name)!.grad, spec, `grad of parameter ${name}`);
}

const moduleAndCallCases = fixture.cases.filter((c): c is ModuleCase | (CallCase & { kind: 'call' }) => c.kind === 'module' || c.kind === 'call');
const groups = new Map<string, typeof moduleAndCallCases>();
for (const c of moduleAndCallCases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);

for (const [group, cases] of groups) {
  describe(group, () => {
    for (const c of cases) {
      const what = c.upstream ? (c.kind === 'module' && c.parameters ? 'values, input and parameter grads' : 'values and grad') : 'values';
      if (c.kind === 'module') {
        test(`${c.name} matches PyTorch (${what})`, () => checkModuleCase(c));
      } else {
        test(`${c.name} matches PyTorch (${what}) — ${c.python}`, () => checkCallCase(c));
      }
    }
  });
}

describe('grad_fn names of nn outputs', () => {
  for (const c of moduleAndCallCases) {
    const expected = c.outputs[0]!.grad_fn ?? null;
    if (expected === null) continue;
    test(`${c.name} records ${expected}`, () => {
      if (c.kind === 'call') {
        assert.deepEqual(gradFnNames(c), [expected]);
      } else {
        const env = makeInputs(c.inputs);
        const out = buildModule(c, env).call(...c.args.map((a) => resolveArg(a, env)));
        assert.equal(out.grad_fn?.name() ?? null, expected);
      }
    });
  }
});

describe('training the thermometer MLP', () => {
  for (const c of fixture.cases.filter((k): k is TrainingCase => k.kind === 'training')) {
    const train = () => {
      const model = new nn.Sequential(new nn.Linear(1, 8), new nn.Tanh(), new nn.Linear(8, 1)) as unknown as ModuleLike;
      loadParameters(model, c.initial);
      const t_c = torch.tensor(T_C).unsqueeze(1);
      const t_un = torch.tensor(T_U).mul(c.input_scale).unsqueeze(1);
      const opt = new optim.SGD(model.parameters(), { lr: c.lr });
      const loss_fn = new nn.MSELoss();
      const losses: number[] = [];
      let firstGrads: Map<string, Tensor | null> | null = null;
      for (let step = 0; step < c.steps; step++) {
        const t_p = model.call(t_un);
        const loss = loss_fn.call(t_p, t_c);
        opt.zero_grad();
        loss.backward();
        if (firstGrads === null) firstGrads = new Map(entries(model.named_parameters()).map(([n, p]) => [n, p.grad?.clone() ?? null]));
        opt.step();
        losses.push(loss.item());
      }
      return { model, losses, firstGrads: firstGrads!, output: torch.no_grad(() => model.call(t_un)) };
    };
    test(`${c.name}: the first step's gradients match PyTorch`, () => {
      const { firstGrads } = train();
      for (const [name, spec] of Object.entries(c.first_step_grads)) assertTensor(firstGrads.get(name), spec, `grad of ${name}`);
    });
    test(`${c.name}: the loss of each of ${c.steps} steps matches PyTorch`, () => {
      assertNumbers(train().losses, c.losses, 'losses', TOLERANCE.trajectory);
    });
    test(`${c.name}: the final parameters (state_dict) and predictions match PyTorch`, () => {
      const { model, output } = train();
      const state = new Map(entries(model.state_dict()));
      assert.deepEqual([...state.keys()], Object.keys(c.final), 'state_dict keys');
      for (const [name, spec] of Object.entries(c.final)) assertTensor(state.get(name), spec, name, TOLERANCE.trajectory);
      assertTensor(output, c.final_output, 'final output', TOLERANCE.trajectory);
    });
  }
});

describe('parameter names and shapes', () => {
  const builders: Record<string, () => ModuleLike> = {
    sequential_default_names: () => new nn.Sequential(new nn.Linear(1, 13), new nn.Tanh(), new nn.Linear(13, 1)) as unknown as ModuleLike,
    sequential_ordered_dict_names: () =>
      new nn.Sequential(
        new Map<string, unknown>([
          ['hidden_linear', new nn.Linear(1, 8)],
          ['hidden_activation', new nn.Tanh()],
          ['output_linear', new nn.Linear(8, 1)],
        ]) as never,
      ) as unknown as ModuleLike,
    linear_parameters: () => new nn.Linear(3, 2) as unknown as ModuleLike,
  };
  for (const c of fixture.cases.filter((k): k is StructureCase => k.kind === 'structure')) {
    test(`${c.name} — ${c.python}`, () => {
      const build = builders[c.id];
      assert.ok(build, `no builder for ${c.id}`);
      const m = build();
      assert.deepEqual(entries(m.state_dict()).map(([k, v]) => [k, [...v.shape]]), c.state_dict, 'state_dict() keys and shapes');
      assert.deepEqual(entries(m.named_parameters()).map(([k, v]) => [k, [...v.shape], v.requires_grad]), c.named_parameters, 'named_parameters()');
      assert.deepEqual([...m.parameters()].map((p) => p.numel()), c.numels, 'numel of parameters()');
      assert.deepEqual([...(m.children?.() ?? [])].map((x) => x.constructor.name), c.children, 'children() types');
    });
  }
});
