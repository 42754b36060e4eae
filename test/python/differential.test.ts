// The differential test: 2200 random programs (test/python/differential.py draws them, seeded:
// chains of the supported ops with random shapes, dtypes and argument forms) run by real
// PyTorch (the fixture, written by gen_differential.py) and by our Python layer (the driver,
// run as a learner's script). Each program's results must match step by step: dtypes and
// shapes exactly, values within float32 tolerance; a program PyTorch ends with an error must
// end with the same error class at the same step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { byIndex, runScript } from './run-script.js';

interface Spec {
  dtype: string;
  shape: number[];
  data: (number | boolean | string)[];
}
type StepResult = Spec | { pair: [Spec, Spec]; repr_head: string };
interface Outcome {
  steps: StepResult[];
  error: { type: string } | null;
}

const root = join(import.meta.dirname, '..', '..');
const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'python-differential.json'), 'utf8')) as {
  programs: unknown[];
  expected: Outcome[];
};
const replies = new Map<number, Outcome>();

before(async () => {
  for (const [i, r] of byIndex<Outcome>(await runScript(join(import.meta.dirname, 'differential_driver.py')))) replies.set(i, r);
}, { timeout: 300_000 });

/** float32 tolerance: PyTorch and the engine may round a transcendental differently by an ulp or two. */
function close(actual: number | boolean | string, expected: number | boolean | string, dtype: string): boolean {
  if (typeof expected === 'string' || typeof actual === 'string') return actual === expected;
  if (dtype === 'bool' || dtype === 'int64') return actual === expected;
  const a = Number(actual);
  const b = Number(expected);
  return Math.abs(a - b) <= 1e-6 + 1e-5 * Math.abs(b);
}

function assertSpec(actual: Spec, expected: Spec, where: string): void {
  assert.equal(actual.dtype, expected.dtype, `${where}: dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${where}: shape`);
  expected.data.forEach((e, i) => {
    assert.ok(close(actual.data[i]!, e, expected.dtype), `${where}: element ${i} is ${String(actual.data[i])}, PyTorch ${String(e)}`);
  });
}

interface Step {
  op: string;
  other?: { bool?: boolean; int?: number; float?: number; input?: number };
  min?: number | null;
  max?: number | null;
}
interface Program {
  inputs: Spec[];
  steps: Step[];
}

/** The tensor a step of a program works on, as PyTorch had it (its input, or the step before's result). */
function entering(program: Program, expected: Outcome, s: number): Spec {
  if (s === 0) return program.inputs[0]!;
  const before = expected.steps[s - 1]!;
  return 'pair' in before ? before.pair[0] : before;
}

/**
 * Engine semantics the Python layer passes through and the engine doesn't have yet (the engine
 * changes listed for the engine phase). Each is recognised from PyTorch's side of the program
 * alone: the op, the dtype or rank it met, and what PyTorch did there.
 */
const ENGINE_GAPS: { why: string; matches: (step: Step, t: Spec, raised: boolean, program: Program) => boolean }[] = [];

function engineGap(program: Program, expected: Outcome): string | null {
  for (let s = 0; s < program.steps.length && s <= expected.steps.length; s++) {
    const raised = s === expected.steps.length && expected.error !== null;
    if (s === expected.steps.length && !raised) break;
    const gap = ENGINE_GAPS.find((g) => g.matches(program.steps[s]!, entering(program, expected, s), raised, program));
    if (gap) return gap.why;
  }
  return null;
}

describe('random programs give what PyTorch gives', () => {
  fixture.expected.forEach((expected, i) => {
    const program = fixture.programs[i] as Program;
    const gap = engineGap(program, expected);
    test(`program ${i}: ${JSON.stringify(program)}`, { skip: gap ? `engine gap: ${gap}` : false }, () => {
      const actual = replies.get(i);
      assert.ok(actual, `the driver printed nothing for program ${i}`);
      if (expected.error) {
        assert.equal(actual.error?.type, expected.error.type, `error class (PyTorch raised ${expected.error.type} at step ${expected.steps.length + 1})`);
        assert.equal(actual.steps.length, expected.steps.length, 'the step that raised');
      } else {
        assert.equal(actual.error, null, `raised ${actual.error?.type}`);
      }
      expected.steps.forEach((e, s) => {
        const a = actual.steps[s]!;
        if ('pair' in e) {
          assert.ok('pair' in a, `step ${s + 1}: a (values, indices) pair`);
          assert.equal(a.repr_head, e.repr_head, `step ${s + 1}: repr`);
          assertSpec(a.pair[0], e.pair[0], `step ${s + 1} values`);
          assertSpec(a.pair[1], e.pair[1], `step ${s + 1} indices`);
        } else {
          assert.ok(!('pair' in a), `step ${s + 1}: a tensor`);
          assertSpec(a as Spec, e, `step ${s + 1}`);
        }
      });
    });
  });
});
