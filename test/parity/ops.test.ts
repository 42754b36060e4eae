// Every op against PyTorch 1.13: forward values, dtypes and shapes, and the gradient of each
// input for a fixed random upstream gradient. Fixture: test/fixtures/parity-ops.json, written by
// test/parity/gen_ops.py; each case is a call (`x.sum(1, keepdim=True)` → x.sum(1, true)) that
// the driver in test/parity-helpers.ts replays. Tolerance: TOLERANCE in parity-helpers.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { checkCallCase, gradFnNames, loadFixture, type CallCase } from '../parity-helpers.js';

const fixture = loadFixture<CallCase>('ops');

function byGroup(cases: CallCase[]): Map<string, CallCase[]> {
  const groups = new Map<string, CallCase[]>();
  for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return groups;
}

for (const [group, cases] of byGroup(fixture.cases)) {
  describe(group, () => {
    for (const c of cases) {
      const what = c.upstream ? 'values and grad' : 'values';
      test(`${c.name} matches PyTorch (${what}) — ${c.python}`, () => checkCallCase(c));
    }
  });
}

describe('grad_fn names', () => {
  for (const c of fixture.cases) {
    const expected = c.outputs.map((o) => o.grad_fn ?? null);
    if (expected.every((n) => n === null)) continue;
    test(`${c.name} records ${expected.filter((n) => n !== null).join(', ')} — ${c.python}`, () => {
      assert.deepEqual(gradFnNames(c), expected);
    });
  }
});
