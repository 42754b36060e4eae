// The signature conformance suite: for every callable of the signature table that the engine
// supports (test/python/conformance.py builds the cases from the table), each overload called
// positionally, by keyword, mixed, with its optional parameters positionally, with an unknown
// keyword and with a wrong type, under real PyTorch (the fixture, written by
// gen_conformance.py) and under our Python layer (the driver, run as a learner's script).
// Values, dtypes and shapes must match; errors must be PyTorch's class and message, word for
// word. What Autograd Lab names as not supported yet (NotImplementedError) is reported as
// skipped, with its message, never as passing.
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
type Encoded =
  | { tensor: Spec }
  | { pair: [Spec, Spec]; type: string }
  | { size: number[] }
  | { list: Encoded[] }
  | { float: number | string }
  | { value: unknown }
  | { dtype: string }
  | { repr: string }
  | { groups: Record<string, Encoded>[] }
  | { lrs: (number | string)[][] };
interface Outcome {
  result?: Encoded;
  error?: string;
  message?: string;
}
interface Case {
  key: string;
  form: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  pytorch2?: string;
  expected: Outcome;
}

const root = join(import.meta.dirname, '..', '..');
const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'python-conformance.json'), 'utf8')) as { callables: string[]; cases: Case[] };
const replies = new Map<number, Outcome>();

before(async () => {
  for (const [i, r] of byIndex<Outcome>(await runScript(join(import.meta.dirname, 'conformance_driver.py')))) replies.set(i, r);
}, { timeout: 300_000 });

function closeNumber(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (typeof a !== 'number' || typeof b !== 'number') return a === b;
  return Math.abs(a - b) <= 1e-6 + 1e-5 * Math.abs(b);
}

function assertSpec(actual: Spec, expected: Spec, where: string): void {
  assert.equal(actual.dtype, expected.dtype, `${where}: dtype`);
  assert.deepEqual(actual.shape, expected.shape, `${where}: shape`);
  expected.data.forEach((e, i) => {
    assert.ok(closeNumber(actual.data[i], e), `${where}: element ${i} is ${String(actual.data[i])}, PyTorch ${String(e)}`);
  });
}

function assertEncoded(actual: Encoded, expected: Encoded, where: string): void {
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${where}: kind of result`);
  if ('tensor' in expected) assertSpec((actual as { tensor: Spec }).tensor, expected.tensor, where);
  else if ('pair' in expected) {
    const a = actual as { pair: [Spec, Spec]; type: string };
    assert.equal(a.type, expected.type, `${where}: type`);
    assertSpec(a.pair[0], expected.pair[0], `${where}: values`);
    assertSpec(a.pair[1], expected.pair[1], `${where}: indices`);
  } else if ('list' in expected) {
    const a = (actual as { list: Encoded[] }).list;
    assert.equal(a.length, expected.list.length, `${where}: length`);
    expected.list.forEach((e, i) => assertEncoded(a[i]!, e, `${where}[${i}]`));
  } else if ('float' in expected) assert.ok(closeNumber((actual as { float: number }).float, expected.float), `${where}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  else if ('groups' in expected) {
    const a = (actual as { groups: Record<string, Encoded>[] }).groups;
    expected.groups.forEach((g, i) => {
      for (const [k, v] of Object.entries(g)) {
        assert.ok(a[i] && k in a[i]!, `${where}: param_groups[${i}] has no ${k}`);
        assertEncoded(a[i]![k]!, v, `${where}: param_groups[${i}].${k}`);
      }
    });
  } else if ('lrs' in expected) {
    const a = (actual as { lrs: (number | string)[][] }).lrs;
    expected.lrs.forEach((row, i) => row.forEach((v, j) => assert.ok(closeNumber(a[i]?.[j], v), `${where}: lr after step ${i + 1}: ${String(a[i]?.[j])} vs ${String(v)}`)));
  } else assert.deepEqual(actual, expected, where);
}

describe('every supported callable binds its arguments as PyTorch does', () => {
  test('the suite covers the callables the table and the engine share', () => {
    assert.ok(fixture.callables.length > 250, `${fixture.callables.length} callables`);
  });
  fixture.cases.forEach((c, i) => {
    const call = `${c.key}(${[...c.args.map((a) => JSON.stringify(a)), ...Object.entries(c.kwargs).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].join(', ')})`;
    test(`${c.form}: ${call}`, (t) => {
      const actual = replies.get(i);
      assert.ok(actual, `the driver printed nothing for case ${i}`);
      const expected = c.expected;
      if (c.pytorch2 && expected.error && (actual.error !== expected.error || actual.message !== expected.message)) {
        t.skip(`follows PyTorch 2.x, where 1.13 raised ${expected.error}: ${c.pytorch2}`);
        return;
      }
      if (actual.error === 'NotImplementedError' && expected.error !== 'NotImplementedError') {
        t.skip(`not supported by Autograd Lab yet: ${actual.message}`);
        return;
      }
      if (expected.error) {
        assert.deepEqual({ error: actual.error, message: actual.message }, { error: expected.error, message: expected.message });
        return;
      }
      assert.equal(actual.error, undefined, `raised ${actual.error}: ${actual.message}`);
      assertEncoded(actual.result!, expected.result!, 'result');
    });
  });
});
