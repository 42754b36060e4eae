// The PyTorch 1.13 parity fixtures (test/fixtures/parity-*.json), run through the Python path:
// parity_driver.py (beside this file) runs under the runner as a learner's script does — Pyodide
// and the `torch` layer over the engine — replaying the ops, broadcast and nn calls, executing
// the autograd and errors fixtures' own Python source verbatim, and stepping every optimizer and
// scheduler through `torch.optim`. Each case here compares what our `torch` produced with what
// PyTorch recorded, under THE tolerance of test/parity-helpers.ts (TOLERANCE.trajectory for
// optimizer steps, TOLERANCE.lr for learning rates, as in test/parity/optim.test.ts and
// schedulers.test.ts); error messages and warnings must be PyTorch's exactly.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runScript } from './run-script.js';
import { Tensor, torch } from '../../src/engine/index.js';
import {
  assertMatches,
  assertNumber,
  assertNumbers,
  assertTensor,
  decodeNumber,
  fromSpec,
  isTensorSpec,
  loadFixture,
  TOLERANCE,
  type CallCase,
  type Encoded,
  type TensorSpec,
} from '../parity-helpers.js';

/** One line the driver printed: a case's key and what our `torch` gave. */
interface Reply {
  area: string;
  key: string | number;
  error?: { type: string; message: string };
  outputs?: unknown[];
  grads?: Record<string, TensorSpec | null>;
  expected?: Record<string, unknown>;
  raised?: { type: string; message: string } | null;
  warnings?: { category: string; message: string }[];
  // optim
  losses?: Encoded[];
  step_returns?: Encoded[];
  params?: TensorSpec[][];
  state?: Record<string, Record<string, unknown>>;
  param_groups?: Record<string, unknown>[];
  // schedulers
  lrs?: Encoded[][];
  last_lrs?: Encoded[][];
  momentum?: Encoded[][];
}

const replies = new Map<string, Reply>();

/** Runs the driver script to completion and files its replies by area and key. */
async function runDriver(script: string): Promise<void> {
  const stdout = await runScript(join(import.meta.dirname, script));
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const reply = JSON.parse(line) as Reply;
    replies.set(`${reply.area}/${reply.key}`, reply);
  }
}

before(() => runDriver('parity_driver.py'), { timeout: 180_000 });

function reply(area: string, key: string | number): Reply {
  const r = replies.get(`${area}/${key}`);
  assert.ok(r, `the Python driver printed nothing for ${area} case ${key}`);
  assert.equal(r.error, undefined, `raised ${r.error?.type}: ${r.error?.message}`);
  return r;
}

/** A value the driver printed, with its tensor specs turned back into engine tensors to compare. */
function revive(v: unknown): unknown {
  if (isTensorSpec(v)) return fromSpec(v, false);
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, revive(e)]));
  return v;
}

function checkOutputs(r: Reply, c: Pick<CallCase, 'outputs' | 'grads'>): void {
  assert.equal(r.outputs?.length, c.outputs.length, 'number of outputs');
  c.outputs.forEach((expected, i) => {
    const actual = r.outputs![i] as TensorSpec & { requires_grad: boolean; grad_fn: string | null };
    assertTensor(fromSpec(actual, false), expected, `output ${i}`);
    if (expected.requires_grad !== undefined) assert.equal(actual.requires_grad, expected.requires_grad, `output ${i}: requires_grad`);
    if (expected.grad_fn !== undefined) assert.equal(actual.grad_fn, expected.grad_fn, `output ${i}: grad_fn`);
  });
  for (const [name, expected] of Object.entries(c.grads ?? {})) {
    const actual = r.grads?.[name];
    if (expected === null) assert.equal(actual, null, `grad of ${name} should be None`);
    else {
      assert.ok(actual, `grad of ${name} is None`);
      assertTensor(fromSpec(actual, false), expected, `grad of ${name}`);
    }
  }
}

for (const area of ['ops', 'broadcast'] as const) {
  describe(`${area} through Python`, () => {
    loadFixture<CallCase>(area).cases.forEach((c, i) => {
      test(`${c.group}: ${c.python} matches PyTorch`, () => checkOutputs(reply(area, i), c));
    });
  });
}

type NNCase = { kind: string; name: string; group: string; parameter_grads?: Record<string, TensorSpec> } & Pick<CallCase, 'outputs' | 'grads'>;

describe('nn through Python', () => {
  loadFixture<NNCase>('nn').cases.forEach((c, i) => {
    if (c.kind === 'call') {
      test(`${c.group}: ${c.name} matches PyTorch`, () => checkOutputs(reply('nn', i), c));
    } else if (c.kind === 'module') {
      test(`${c.group}: ${c.name} matches PyTorch, parameter gradients included`, () => {
        checkOutputs(reply('nn', `${i}:module`), c);
        for (const [name, expected] of Object.entries(c.parameter_grads ?? {})) {
          const actual = reply('nn', `${i}:parameter_grads`).grads?.[name];
          assert.ok(actual, `grad of ${name} is None`);
          assertTensor(fromSpec(actual, false), expected, `grad of ${name}`);
        }
      });
    }
  });
});

describe('autograd scripts run verbatim under Python', () => {
  for (const c of loadFixture<{ id: string; name: string; expected: Record<string, unknown> }>('autograd').cases) {
    test(`${c.name} (${c.id})`, () => {
      const r = reply('autograd', c.id);
      assertMatches(revive(r.expected), c.expected, c.id);
    });
  }
});

interface ErrorCase {
  group: string;
  id: string;
  name: string;
  expected: { kind: 'error' | 'warning' | 'none'; type?: string; category?: string; message?: string } & Record<string, unknown>;
}

/**
 * Cases where the Python layer follows current PyTorch 2.x, not the fixtures' 1.13 (the
 * differences of src/runner/child/python/pytorch2_overrides.py): what 2.x does instead.
 */
const FOLLOWS_PYTORCH_2: Record<string, { why: string; raised: null }> = {
  sgd_without_lr: { why: 'PyTorch 2.x gives SGD a default lr of 1e-3', raised: null },
};

describe('errors and warnings are PyTorch’s, run verbatim under Python', () => {
  for (const c of loadFixture<ErrorCase>('errors').cases) {
    const e = c.expected;
    const newer = FOLLOWS_PYTORCH_2[c.id];
    if (newer) {
      test(`${c.group}: ${c.name} (${c.id}) follows PyTorch 2.x: ${newer.why}`, () => {
        assert.equal(reply('errors', c.id).raised, newer.raised);
      });
      continue;
    }
    test(`${c.group}: ${c.name} (${c.id})`, () => {
      const r = reply('errors', c.id);
      if (e.kind === 'error') {
        assert.deepEqual(r.raised, { type: e.type, message: e.message });
      } else if (e.kind === 'warning') {
        assert.equal(r.raised, null, `raised ${r.raised?.type}: ${r.raised?.message}`);
        assert.deepEqual(r.warnings, [{ category: e.category, message: e.message }]);
      } else {
        assert.equal(r.raised, null, `raised ${r.raised?.type}: ${r.raised?.message}`);
        const { kind: _kind, ...values } = e;
        assertMatches(revive(r.expected), values, c.id);
      }
    });
  }
});

interface OptimCase {
  name: string;
  optimizer: string;
  kwargs: Record<string, unknown>;
  error?: { type: string; message: string };
  steps?: number;
  compare_state?: false;
  losses?: Encoded[];
  step_returns?: Encoded[];
  params?: TensorSpec[][];
  state?: Record<string, Record<string, unknown>>;
  param_groups?: Record<string, unknown>[];
}

/** A state value read as PyTorch 1.13 holds it where the engine differs: a 0-dim tensor or a number. */
function likeExpected(actual: unknown, expected: unknown): unknown {
  if (typeof expected === 'number' && actual instanceof Tensor && actual.numel() === 1) return actual.item();
  if (isTensorSpec(expected) && expected.shape.length === 0 && typeof actual === 'number') {
    return torch.tensor(actual, { dtype: torch[expected.dtype] });
  }
  if (Array.isArray(expected) && Array.isArray(actual)) return actual.map((a, i) => likeExpected(a, expected[i]));
  if (expected !== null && typeof expected === 'object' && !isTensorSpec(expected) && actual !== null && typeof actual === 'object' && !(actual instanceof Tensor)) {
    const record = actual as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).map((k) => [k, likeExpected(record[k], (expected as Record<string, unknown>)[k])]));
  }
  return actual;
}

describe('optimizers through Python’s torch.optim', () => {
  const fixture = loadFixture<OptimCase>('optim');
  const implementationKeys = new Set(fixture.implementation_keys as string[]);
  const TOL = TOLERANCE.trajectory;
  fixture.cases.forEach((c, i) => {
    describe(`${c.name} (optim.${c.optimizer}: ${JSON.stringify(c.kwargs)})`, () => {
      if (c.error) {
        const e = c.error;
        test(`step() raises ${e.type}: ${e.message}`, () => {
          assert.deepEqual(reply('optim', i).raised, { type: e.type, message: e.message });
        });
        return;
      }
      const steps = c.steps ?? (fixture.steps as number);
      test(`losses and parameters after each of ${steps} steps match PyTorch`, () => {
        const r = reply('optim', i);
        assert.equal(r.losses?.length, steps, 'number of steps');
        for (let step = 0; step < steps; step++) {
          assertNumber(decodeNumber(r.losses![step]!), c.losses![step]!, `loss before step ${step + 1}`, TOL);
          if (c.step_returns) assertNumber(decodeNumber(r.step_returns![step]!), c.step_returns[step]!, `step(closure) return at step ${step + 1}`, TOL);
          c.params![step]!.forEach((expected, k) => {
            assertTensor(fromSpec(r.params![step]![k]!, false), expected, `param ${k} after step ${step + 1}`, TOL);
          });
        }
      });
      // LBFGS past convergence keeps float32 noise in its state (the fixture's "why").
      if (c.compare_state !== false) {
        test('final state_dict()["state"] matches PyTorch, keyed by parameter position', () => {
          const r = reply('optim', i);
          const state = likeExpected(revive(r.state), c.state) as Record<string, Record<string, unknown>>;
          assert.deepEqual(Object.keys(state).sort(), Object.keys(c.state!).sort(), 'state keys (parameter positions)');
          for (const [k, entry] of Object.entries(c.state!)) {
            assert.deepEqual(Object.keys(state[k]!).sort(), Object.keys(entry).sort(), `state[${k}] keys`);
          }
          assertMatches(state, c.state, 'state', TOL);
        });
      }
      test('state_dict()["param_groups"] holds the hyperparameters PyTorch reports', () => {
        const groups = reply('optim', i).param_groups!;
        assert.equal(groups.length, c.param_groups!.length, 'number of param_groups');
        c.param_groups!.forEach((expected, g) => {
          for (const [key, value] of Object.entries(expected)) {
            if (implementationKeys.has(key)) continue;
            assert.ok(key in groups[g]!, `param_groups[${g}] has no ${key}`);
            assertMatches(groups[g]![key], value, `param_groups[${g}].${key}`);
          }
        });
      });
    });
  });
});

interface SchedulerCase {
  name: string;
  scheduler: string;
  lrs: Encoded[][];
  momentum?: Encoded[][];
}

describe('learning-rate schedulers through Python’s torch.optim.lr_scheduler', () => {
  const fixture = loadFixture<SchedulerCase>('schedulers');
  const steps = fixture.steps as number;
  const TOL = TOLERANCE.lr;
  const numbers = (row: Encoded[]) => row.map(decodeNumber);
  fixture.cases.forEach((c, i) => {
    describe(`${c.name} (lr_scheduler.${c.scheduler})`, () => {
      test(`param_groups lr after construction and each of ${steps} steps matches PyTorch`, () => {
        const r = reply('schedulers', i);
        assert.equal(r.lrs?.length, steps + 1, 'number of rows');
        c.lrs.forEach((expected, k) => assertNumbers(numbers(r.lrs![k]!), expected, k === 0 ? 'lr after construction' : `lr after step ${k}`, TOL));
      });
      if (c.scheduler !== 'ReduceLROnPlateau') {
        test('get_last_lr() returns the lr of every param_group after each step', () => {
          const r = reply('schedulers', i);
          assert.equal(r.last_lrs?.length, steps, 'number of rows');
          for (let k = 0; k < steps; k++) assertNumbers(numbers(r.last_lrs![k]!), c.lrs[k + 1]!, `get_last_lr() after step ${k + 1}`, TOL);
        });
      }
      if (c.momentum) {
        const momentum = c.momentum;
        test('the cycled momentum (SGD momentum or Adam betas[0]) matches PyTorch', () => {
          const r = reply('schedulers', i);
          momentum.forEach((expected, k) => assertNumbers(numbers(r.momentum![k]!), expected, k === 0 ? 'momentum after construction' : `momentum after step ${k}`, TOL));
        });
      }
    });
  });
});
