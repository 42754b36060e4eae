// Every optimizer against PyTorch 1.13: 20 steps (fewer for some LBFGS cases) on a fixed loss over two parameters (shapes [3]
// and [2, 2]), with default and non-default hyperparameters. Checked after every step: the loss
// and the parameters; at the end: optimizer.state_dict() (state and param_groups).
// Fixture: test/fixtures/parity-optim.json (test/parity/gen_optim.py, whose docstring defines
// the loss). Values use TOLERANCE.trajectory (rounding differences compound over steps).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { optim, torch, Tensor } from '../../src/engine/index.js';
import { assertMatches, assertNumber, assertTensor, assertThrowsPyTorch, loadFixture, TOLERANCE, type TensorSpec } from '../parity-helpers.js';

interface OptimCase {
  name: string;
  optimizer: string;
  kwargs: Record<string, unknown>;
  param_groups_spec?: ({ params: number[] } & Record<string, unknown>)[];
  error?: { type: string; message: string; at_step: number };
  steps?: number;
  compare_state?: false;
  why?: string;
  losses?: number[];
  step_returns?: number[];
  params?: TensorSpec[][];
  state?: Record<string, Record<string, unknown>>;
  param_groups?: Record<string, unknown>[];
}

const fixture = loadFixture<OptimCase>('optim');
const STEPS = fixture.steps as number;
const PROBLEM = fixture.problem as { initial: number[][] | number[][][]; target: unknown[]; weight: unknown[] };
const IMPLEMENTATION_KEYS = new Set(fixture.implementation_keys as string[]);
const TOL = TOLERANCE.trajectory;

type OptimizerLike = {
  zero_grad(): void;
  step(closure?: () => Tensor): Tensor | undefined | null | void;
  state_dict(): { state: unknown; param_groups: Record<string, unknown>[] };
  param_groups: Record<string, unknown>[];
};
type OptimizerClass = new (params: unknown, options?: Record<string, unknown>) => OptimizerLike;

function setup(c: OptimCase) {
  const params = (PROBLEM.initial as unknown[]).map((v) => torch.tensor(v as number[], { requires_grad: true }));
  const target = PROBLEM.target.map((v) => torch.tensor(v as number[]));
  const weight = PROBLEM.weight.map((v) => torch.tensor(v as number[]));
  const lossFn = (): Tensor => {
    let loss: Tensor | null = null;
    params.forEach((p, i) => {
      const term = p.sub(target[i]!).pow(2).mul(weight[i]!).sum().add(p.sin().sum());
      loss = loss === null ? term : loss.add(term);
    });
    return loss!;
  };
  const Cls = (optim as unknown as Record<string, OptimizerClass>)[c.optimizer];
  assert.ok(typeof Cls === 'function', `the engine has no optim.${c.optimizer}`);
  const arg = c.param_groups_spec
    ? c.param_groups_spec.map(({ params: idx, ...rest }) => ({ ...rest, params: idx.map((i) => params[i]!) }))
    : params;
  const opt = Object.keys(c.kwargs).length > 0 ? new Cls(arg, { ...c.kwargs }) : new Cls(arg);
  return { params, lossFn, opt };
}

/** Runs the 20 steps and checks each against PyTorch as it goes. */
function run(c: OptimCase) {
  const { params, lossFn, opt } = setup(c);
  const closure = (): Tensor => {
    opt.zero_grad();
    const loss = lossFn();
    loss.backward();
    return loss;
  };
  for (let step = 0; step < (c.steps ?? STEPS); step++) {
    if (c.optimizer === 'LBFGS') {
      const loss = torch.no_grad(lossFn);
      assertNumber(loss.item(), c.losses![step]!, `loss before step ${step + 1}`, TOL);
      const returned = opt.step(closure);
      assert.ok(returned instanceof Tensor, 'LBFGS.step(closure) returns the closure loss');
      assertNumber(returned.item(), c.step_returns![step]!, `step(closure) return at step ${step + 1}`, TOL);
    } else {
      const loss = closure();
      assertNumber(loss.item(), c.losses![step]!, `loss before step ${step + 1}`, TOL);
      opt.step();
    }
    params.forEach((p, i) => assertTensor(p, c.params![step]![i]!, `param ${i} after step ${step + 1}`, TOL));
  }
  return opt;
}

/** state_dict().state with 0-dim tensors read as numbers where PyTorch has numbers, and vice versa. */
function normalize(actual: unknown, expected: unknown): unknown {
  if (actual instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of actual) out[String(k)] = v;
    return normalize(out, expected);
  }
  if (typeof expected === 'number' && actual instanceof Tensor && actual.numel() === 1) return actual.item();
  const isScalarSpec = (v: unknown): v is TensorSpec => typeof v === 'object' && v !== null && 'shape' in v && (v as TensorSpec).shape.length === 0;
  if (isScalarSpec(expected) && typeof actual === 'number') return torch.tensor(actual, { dtype: torch[expected.dtype] });
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((a, i) => normalize(a, expected[i]));
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected) && typeof actual === 'object' && actual !== null && !(actual instanceof Tensor)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(expected)) out[k] = normalize((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]);
    return out;
  }
  return actual;
}

function hyper(kwargs: Record<string, unknown>): string {
  const parts = Object.entries(kwargs).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : 'defaults';
}

for (const c of fixture.cases) {
  describe(`${c.name} (${c.optimizer}: ${hyper(c.kwargs)})`, () => {
    if (c.error) {
      const error = c.error;
      test(`step() raises ${error.type}: ${error.message}`, () => {
        const { opt, lossFn } = setup(c);
        lossFn().backward();
        assertThrowsPyTorch(() => opt.step(), error, 'step');
      });
      return;
    }
    test(`losses and parameters after each of ${c.steps ?? STEPS} steps match PyTorch`, () => {
      run(c);
    });
    // c.why says why a state is not compared (LBFGS past convergence: float32 noise).
    if (c.compare_state !== false) test('final state_dict state matches PyTorch', () => {
      const opt = run(c);
      const state = normalize(opt.state_dict().state, c.state);
      assertMatches(state, c.state, 'state', TOL);
      const keys = (s: unknown) => (s instanceof Map ? [...s.keys()].map(String) : Object.keys(s as object));
      assert.deepEqual(keys(opt.state_dict().state).sort(), Object.keys(c.state!).sort(), 'state keys (parameter indices)');
      const raw = opt.state_dict().state;
      for (const [k, entry] of Object.entries(c.state!)) {
        const actualEntry = raw instanceof Map ? raw.get(Number(k)) ?? raw.get(k) : (raw as Record<string, unknown>)[k];
        const entryKeys = actualEntry instanceof Map ? [...actualEntry.keys()].map(String) : Object.keys(actualEntry as object);
        assert.deepEqual(entryKeys.sort(), Object.keys(entry).sort(), `state[${k}] keys`);
      }
    });
    test('state_dict param_groups hold the hyperparameters PyTorch reports', () => {
      const opt = run(c);
      const groups = opt.state_dict().param_groups;
      assert.equal(groups.length, c.param_groups!.length, 'number of param_groups');
      c.param_groups!.forEach((expected, g) => {
        for (const [key, value] of Object.entries(expected)) {
          if (IMPLEMENTATION_KEYS.has(key)) continue;
          assert.ok(key in groups[g]!, `param_groups[${g}] has no ${key}`);
          assertMatches(groups[g]![key], value, `param_groups[${g}].${key}`);
        }
      });
    });
  });
}

describe('optimizer state representation', () => {
  test("Adam's state 'step' is a 0-dim float32 tensor, as in PyTorch 1.13", () => {
    const c = fixture.cases.find((k) => k.optimizer === 'Adam' && !k.param_groups_spec)!;
    const opt = run(c);
    const state = opt.state_dict().state;
    const entry = (state instanceof Map ? state.get(0) ?? state.get('0') : (state as Record<string, unknown>)['0']) as Record<string, unknown>;
    assertMatches(entry.step, c.state!['0']!.step, "state[0].step");
  });
  test('SGD without momentum keeps momentum_buffer None in its state, as in PyTorch 1.13', () => {
    const c = fixture.cases.find((k) => k.name === 'SGD plain')!;
    const opt = run(c);
    const state = normalize(opt.state_dict().state, c.state) as Record<string, Record<string, unknown>>;
    assert.ok('momentum_buffer' in state['0']!, 'state[0] has momentum_buffer');
    assert.equal(state['0']!.momentum_buffer, null);
  });
});
