// The PyTorch 1.13 parity fixtures (test/fixtures/parity-*.json), run through the Python path:
// parity_calls.py and parity_errors.py (beside this file) run under the runner as a learner's
// scripts do — Pyodide and the `torch` layer over the engine — replaying the ops, broadcast and
// nn calls and executing the autograd and errors fixtures' own Python source verbatim. Each
// case here compares what our `torch` produced with what PyTorch recorded, under THE tolerance
// of test/parity-helpers.ts; error messages and warnings must be PyTorch's exactly.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { startRun } from '../../src/runner/runner.js';
import {
  assertMatches,
  assertTensor,
  fromSpec,
  isTensorSpec,
  loadFixture,
  type CallCase,
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
}

const root = join(import.meta.dirname, '..', '..');
const replies = new Map<string, Reply>();

/** Runs one driver script to completion and files its replies by area and key. */
async function runDriver(script: string): Promise<void> {
  let stdout = '';
  let stderr = '';
  const run = startRun({
    script: join(import.meta.dirname, script),
    workspaceRoot: root, // the driver reads test/fixtures
    probes: false,
    graph: false,
    onEvent: (e) => {
      if (e.type === 'output') {
        if (e.stream === 'stdout') stdout += e.text;
        else stderr += e.text;
      }
    },
  });
  const end = await run.done;
  assert.equal(end.type, 'run-finished', `${script} failed: ${JSON.stringify(end)}\n${stderr}`);
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const reply = JSON.parse(line) as Reply;
    replies.set(`${reply.area}/${reply.key}`, reply);
  }
}

before(() => Promise.all([runDriver('parity_calls.py'), runDriver('parity_errors.py')]), { timeout: 120_000 });

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

describe('errors and warnings are PyTorch’s, run verbatim under Python', () => {
  for (const c of loadFixture<ErrorCase>('errors').cases) {
    const e = c.expected;
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
