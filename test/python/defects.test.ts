// Issue 11's defects, each as its own test through Python: test/python/fixtures/defects.py
// prints one line per defect (the call, then what it gave); real PyTorch's lines are
// defects.expected.txt (written by running the same script with /usr/bin/python3). Where the
// engine lacks the feature, the Python layer must say so (NotImplementedError), never give a
// number: those lines are listed below with the engine change they wait for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runScript } from './run-script.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const lines = (text: string) => new Map(text.split('\n').filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
const expected = lines(readFileSync(join(fixtures, 'defects.expected.txt'), 'utf8'));
let actual = new Map<string, string>();

/** What waits for an engine change: the engine's name for the feature. */
const WAITS_FOR_ENGINE: Record<string, string> = {
};

before(async () => {
  actual = lines(await runScript(join(fixtures, 'defects.py')));
}, { timeout: 180_000 });

describe('issue 11’s defects print what PyTorch prints', () => {
  for (const [label, value] of expected) {
    const engine = WAITS_FOR_ENGINE[label];
    if (engine) {
      test(`${label} says it is not supported yet (PyTorch: ${value})`, () => {
        assert.equal(actual.get(label), `raised NotImplementedError: ${engine} is not supported by Autograd Lab yet`);
      });
    } else {
      test(`${label} → ${value}`, () => assert.equal(actual.get(label), value));
    }
  }
});
