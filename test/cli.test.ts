// `autograd-lab run <script>`: runs a learner's script with the engine importable as
// 'autograd-lab', prints exactly what the script prints, and points errors at the .ts line.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseEvent, type RunEvent } from '../src/protocol/run-events.js';
import { leftRunning, sleep, withBusyGrandchild } from './runner/processes.js';

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

/** The CLI started in the background (for signals); its output so far and how it exited. */
function startCli(cwd: string, ...args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { out: '', err: '' };
  child.stdout.on('data', (d: Buffer) => (output.out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output.err += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, output, exited };
}

/** The pids a script wrote to `file`, once it has. */
async function pidsIn(file: string): Promise<number[]> {
  while (!existsSync(file) || readFileSync(file, 'utf8') === '') await sleep(50);
  return JSON.parse(readFileSync(file, 'utf8')) as number[];
}

describe('autograd-lab run: how it ends', () => {
  it('exits with the code a TypeScript script gave process.exit(3), printing nothing of its own', () => {
    const s = script('exit3.ts', `console.log('bye');\nprocess.exit(3);\n`);
    assert.deepEqual(run('run', s, '--no-record'), { code: 3, out: 'bye\n', err: '' });
  });

  it('exits with the code a Python script gave sys.exit(3)', () => {
    const s = script('exit3.py', `import sys\nprint('bye')\nsys.exit(3)\n`);
    assert.deepEqual(run('run', s, '--no-record'), { code: 3, out: 'bye\n', err: '' });
  });

  it('ends quietly when the reader of its output goes away (| head): no EPIPE stack, exit 141 as for SIGPIPE', async () => {
    const s = script('endless-print.ts', `for (let i = 0; ; i++) console.log(i);\n`);
    const cliRun = startCli(work, 'run', s, '--no-record');
    await new Promise((r) => cliRun.child.stdout.once('data', r));
    cliRun.child.stdout.destroy();
    const { code } = await cliRun.exited;
    assert.equal(cliRun.output.err, '');
    assert.equal(code, 141);
  });

  it('Ctrl+C stops the run, ends a grandchild that holds the inherited pipes, and exits 130; nothing is left', async () => {
    const pidFile = join(work, 'sigint-pids.json');
    const s = script('sigint.mjs', withBusyGrandchild(pidFile, 'setInterval(() => {}, 1000);'));
    const cliRun = startCli(work, 'run', s, '--no-record');
    const pids = await pidsIn(pidFile);
    cliRun.child.kill('SIGINT');
    assert.deepEqual(await cliRun.exited, { code: 130, signal: null });
    assert.deepEqual(await leftRunning(pids), []);
  });

  it('SIGHUP (its terminal closed) stops the run, records it as stopped and exits 129', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'autograd-lab-cli-hup-'));
    const pidFile = join(folder, 'pids.json');
    writeFileSync(join(folder, 'hup.mjs'), withBusyGrandchild(pidFile, 'setInterval(() => {}, 1000);'));
    const cliRun = startCli(folder, 'run', 'hup.mjs');
    const pids = await pidsIn(pidFile);
    cliRun.child.kill('SIGHUP');
    assert.deepEqual(await cliRun.exited, { code: 129, signal: null });
    assert.deepEqual(await leftRunning(pids), []);
    const listed = JSON.parse(spawnSync(process.execPath, [cli, 'runs', 'list', '--json'], { cwd: folder, encoding: 'utf8' }).stdout) as { runs: { status: string; note?: string }[] };
    assert.deepEqual(listed.runs.map((r) => [r.status, r.note]), [['stopped', undefined]]);
  });

  it('when the CLI is killed with SIGKILL, the script process (in an endless loop) and its grandchild end too', async () => {
    const pidFile = join(work, 'sigkill-pids.json');
    const s = script('sigkill.mjs', withBusyGrandchild(pidFile, 'while (true) {}'));
    const cliRun = startCli(work, 'run', s, '--no-record');
    const pids = await pidsIn(pidFile);
    cliRun.child.kill('SIGKILL');
    await cliRun.exited;
    assert.deepEqual(await leftRunning(pids), []);
  });

  it('a run whose CLI was killed with SIGKILL is listed with the time it ran, not its last event’s', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'autograd-lab-cli-kill-'));
    const pidFile = join(folder, 'pids.json');
    writeFileSync(join(folder, 'silent.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, JSON.stringify([process.pid]));\nsetInterval(() => {}, 1000);\n`);
    const cliRun = startCli(folder, 'run', 'silent.mjs');
    const pids = await pidsIn(pidFile);
    await sleep(1500);
    cliRun.child.kill('SIGKILL');
    await cliRun.exited;
    assert.deepEqual(await leftRunning(pids), []);
    const listed = JSON.parse(spawnSync(process.execPath, [cli, 'runs', 'list', '--json'], { cwd: folder, encoding: 'utf8' }).stdout) as { runs: { status: string; durationMs: number }[] };
    assert.equal(listed.runs[0]!.status, 'stopped');
    assert.ok(listed.runs[0]!.durationMs >= 1000, `listed with ${listed.runs[0]!.durationMs} ms`);
  });

  it('prints all of a 20 MiB output, keeps the first 8 MiB in the record and says how much more there was', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'autograd-lab-cli-cap-'));
    writeFileSync(join(folder, 'loud.mjs'), `process.stdout.write('z'.repeat(20 * 1024 * 1024));\n`);
    const r = spawnSync(process.execPath, [cli, 'run', 'loud.mjs'], { cwd: folder, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.length, 20 * 1024 * 1024);
    const shown = JSON.parse(spawnSync(process.execPath, [cli, 'runs', 'list', '--json'], { cwd: folder, encoding: 'utf8' }).stdout) as { runs: { runId: string; outputNotRecordedBytes?: number }[] };
    const [recorded] = shown.runs;
    assert.equal(recorded!.outputNotRecordedBytes, 12 * 1024 * 1024);
    const size = statSync(join(folder, '.autograd-lab', 'runs', recorded!.runId, 'events.jsonl')).size;
    assert.ok(size < 9 * 1024 * 1024, `events.jsonl is ${size} bytes`);
  });
});
