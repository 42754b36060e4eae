// numpy for Python scripts, against real NumPy: driver.py runs every case of cases.py under the
// runner, as a learner's script runs (one Pyodide process), and each group of cases — one
// behaviour, named after it — is compared with what real NumPy gave (fixtures/cases.json,
// written by gen_fixtures.py from Debian's NumPy 1.24 moved to NumPy 2.x where it differs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runScript } from '../python/run-script.js';

type Value = number | string | boolean | null | Value[];

/** What a case gave: its last expression described, or its error; and its warnings. */
interface CaseRecord {
  type?: string;
  repr?: string;
  str?: string;
  dtype?: string;
  shape?: number[];
  values?: Value;
  items?: CaseRecord[];
  error?: [string, string];
  warnings: [string, string][];
  code?: string;
}

interface Group {
  name: string;
  compare: 'exact' | 'close';
  needs: 'int32' | null;
  keys: string[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'cases.json'), 'utf8')) as {
  numpy: string;
  groups: Group[];
  cases: Record<string, CaseRecord>;
};

const got = new Map<string, CaseRecord>();
let engineHasInt32 = false;

before(
  async () => {
    const stdout = await runScript(join(import.meta.dirname, 'driver.py'));
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const record = JSON.parse(line) as CaseRecord & { key?: string; int32?: boolean };
      if (record.key === undefined) engineHasInt32 = record.int32 === true;
      else got.set(record.key, record);
    }
  },
  { timeout: 600_000 },
);

/** Floats within a few units in the last place of their dtype (NumPy's exp and BLAS differ by that between CPUs). */
function close(expected: Value | undefined, actual: Value | undefined, ulp: number): boolean {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length === actual.length && expected.every((e, i) => close(e, actual[i], ulp));
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    return expected === actual || Math.abs(expected - actual) <= 4 * ulp * Math.max(Math.abs(expected), Math.abs(actual));
  }
  return expected === actual;
}

const EXACT = ['type', 'repr', 'str', 'dtype', 'shape', 'values', 'items', 'error', 'warnings'] as const;
const CLOSE = ['type', 'dtype', 'shape', 'error', 'warnings'] as const;

function check(key: string, group: Group): void {
  const expected = fixture.cases[key]!;
  const actual = got.get(key);
  assert.ok(actual, `the driver printed nothing for ${expected.code}`);
  assert.equal(actual.code, expected.code, 'the driver ran another case than the fixture recorded (regenerate the fixtures)');
  const fields = group.compare === 'close' ? CLOSE : EXACT;
  const pick = (r: CaseRecord) => Object.fromEntries(fields.map((f) => [f, r[f] ?? null]));
  assert.deepEqual(pick(actual), pick(expected), expected.code);
  if (group.compare === 'close') {
    const ulp = expected.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
    assert.ok(close(expected.values, actual.values, ulp), `${expected.code}: ${JSON.stringify(actual.values)} is not ${JSON.stringify(expected.values)} within 4 ulp`);
  }
}

describe(`numpy under Autograd Lab gives what NumPy ${fixture.numpy} (moved to 2.x) gives`, () => {
  for (const group of fixture.groups) {
    it(group.name, (t) => {
      if (group.needs === 'int32' && !engineHasInt32) {
        t.skip("needs the engine's int32 tensors, which this branch does not have yet");
        return;
      }
      for (const key of group.keys) check(key, group);
    });
  }
});
