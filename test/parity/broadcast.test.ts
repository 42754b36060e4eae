// Broadcasting binary ops against PyTorch 1.13: output shapes and values, and each input's
// gradient summed back to its own shape. Fixture: test/fixtures/parity-broadcast.json, written by
// test/parity/gen_broadcast.py; each case is a call that the driver in
// test/parity-helpers.ts replays. Tolerance: TOLERANCE in parity-helpers.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { checkCallCase, gradFnNames, loadFixture, type CallCase } from '../parity-helpers.js';

const fixture = loadFixture<CallCase>('broadcast');

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
