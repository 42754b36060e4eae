// The chapter's programs, run through the CLI exactly as a learner runs them, must print the
// book's numbers digit for digit (each example's expected output is under test/examples/, out
// of the learner's sight).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const cli = join('bin', 'autograd-lab.mjs');
const dir = join('examples', 'thermometer');
const expectedDir = join('test', 'examples', 'thermometer');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('examples/thermometer print the book’s output', () => {
  it('has one expected-output file per example', () => {
    assert.ok(scripts.length >= 6);
    for (const script of scripts) readFileSync(join(expectedDir, script.replace(/\.ts$/, '.expected.txt')), 'utf8');
  });
  for (const script of scripts) {
    it(`${script} prints exactly its expected output`, () => {
      const expected = readFileSync(join(expectedDir, script.replace(/\.ts$/, '.expected.txt')), 'utf8');
      const out = execFileSync(process.execPath, [cli, 'run', join(dir, script)], { encoding: 'utf8' });
      assert.equal(out, expected);
    });
  }
});
