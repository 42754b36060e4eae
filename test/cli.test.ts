// `autograd-lab run <script>`: runs a learner's script with the engine importable as
// 'autograd-lab', prints exactly what the script prints, and points errors at the .ts line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseEvent, type RunEvent } from '../src/protocol/run-events.js';

const cli = resolve('bin', 'autograd-lab.mjs');
const work = mkdtempSync(join(tmpdir(), 'autograd-lab-cli-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function script(name: string, source: string): string {
  writeFileSync(join(work, name), source);
  return name;
}

describe('autograd-lab run', () => {
  it('prints what a TypeScript script prints, with autograd-lab importable', () => {
    const s = script('hello.ts', `import torch from 'autograd-lab';\nconst x: number = 2;\nconsole.log(String(torch.tensor([1.5, x])));\n`);
    assert.deepEqual(run('run', s), { code: 0, out: 'tensor([1.5000, 2.0000])\n', err: '' });
  });

  it('resolves the learner’s own modules without extensions, and top-level await', () => {
    script('helper.ts', `export const data = [35.7, 55.9];\n`);
    const s = script('main.ts', `import { torch } from 'autograd-lab';\nimport { data } from './helper';\nawait Promise.resolve();\nconsole.log(torch.tensor(data).sum().item().toFixed(1));\n`);
    assert.deepEqual(run('run', s), { code: 0, out: '91.6\n', err: '' });
  });

  it('runs plain ES module JavaScript', () => {
    const s = script('plain.mjs', `import { torch } from 'autograd-lab';\nconsole.log(torch.ones(3).sum().item());\n`);
    assert.deepEqual(run('run', s), { code: 0, out: '3\n', err: '' });
  });

  it('exits 1 on a runtime error and names the .ts file and line', () => {
    const s = script('broken.ts', `import torch from 'autograd-lab';\n\ntype Unused = number;\nconst params = torch.tensor([1.0, 0.0], { requires_grad: true });\nparams.mul(2).backward();\n`);
    const r = run('run', s);
    assert.equal(r.code, 1);
    assert.match(r.err, /RuntimeError: grad can be implicitly created only for scalar outputs/);
    assert.match(r.err, /broken\.ts:5:\d+/);
  });

  it('exits 1 on a syntax error and names the file and line', () => {
    const s = script('syntax.ts', `const a = 1;\nconst b = (a +;\n`);
    const r = run('run', s);
    assert.equal(r.code, 1);
    assert.match(r.err, /syntax\.ts/);
    assert.match(r.err, /\(2:\d+\)|:2:\d+/);
  });

  it('refuses a missing file, an unsupported extension and an unknown command with exit 2', () => {
    assert.equal(run('run', 'nope.ts').code, 2);
    assert.match(run('run', 'nope.ts').err, /no such file: nope\.ts/);
    assert.equal(run('run', script('notes.txt', 'hi')).code, 2);
    const unknown = run('fly');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command 'fly'/);
  });

  it('--json prints the event stream, a JSON line an event, with NaN spelled as the records spell it', () => {
    const s = script('nan-loss.ts', `let loss = 0;\nfor (let epoch = 1; epoch <= 3; epoch++) {\n  loss = epoch < 3 ? 1 / epoch : NaN;\n}\n`);
    const r = run('run', s, '--json', '--no-record');
    assert.equal(r.code, 0, r.err);
    const events = r.out.trim().split('\n').map(parseEvent);
    assert.ok(events.every((e): e is RunEvent => e !== null), 'every line is an event');
    assert.deepEqual(events.flatMap((e) => (e.type === 'metrics' ? e.values : [])), [1, 0.5, NaN]);
    assert.match(r.out, /"NaN"/);
    assert.deepEqual(events.flatMap((e) => (e.type === 'warning' ? [e.message] : [])), ['loss became nan at epoch 3 (line 3)']);
  });

  it('prints usage with --help', () => {
    const r = run('--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /usage: autograd-lab run/);
  });
});
