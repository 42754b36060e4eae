// A Python process kept ready (issue 14, part 6): a run that takes it behaves exactly as a run
// that forks its own process — the same events, the same errors, its own process group, the
// memory limit — and a ready process is used once, replaced after, and never used once dead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunEvent, RunFailedEvent } from '../../src/protocol/run-events.js';
import { DEFAULT_MEMORY_LIMIT_MB, keepPythonReady, pythonReady, startRun, stopKeepingPythonReady, type RunOptions } from '../../src/runner/runner.js';
import { readyPythonPid } from '../../src/runner/python-standby.js';
import { pointsOf } from '../metric-points.js';
import { leftRunning, running, sleep } from './processes.js';

const work = mkdtempSync(join(tmpdir(), 'agl-standby-'));
after(() => {
  stopKeepingPythonReady();
  rmSync(work, { recursive: true, force: true });
});

function script(name: string, source: string): string {
  const path = join(work, name);
  writeFileSync(path, source);
  return path;
}

/** A run's events, once it has ended. */
async function eventsOf(path: string, options: Partial<RunOptions> = {}): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await startRun({ script: path, onEvent: (e) => events.push(e), ...options }).done;
  return events;
}

/** Runs `path` in a process forked for it: none is kept ready. */
function coldRun(path: string, options: Partial<RunOptions> = {}): Promise<RunEvent[]> {
  stopKeepingPythonReady();
  return eventsOf(path, options);
}

/** A Python process kept ready for this memory limit, loaded; its pid. */
async function readyProcess(memoryLimitMB = DEFAULT_MEMORY_LIMIT_MB): Promise<number> {
  keepPythonReady({ memoryLimitMB });
  assert.equal(await pythonReady(), true, 'the ready process loaded Python');
  return readyPythonPid()!;
}

/** Runs `path` on the ready process; which process that was. */
async function warmRun(path: string, options: Partial<RunOptions> = {}): Promise<{ events: RunEvent[]; pid: number }> {
  const pid = await readyProcess(options.memoryLimitMB);
  return { events: await eventsOf(path, options), pid };
}

/**
 * What a run shows, without what differs between any two runs (ids, times, how output was
 * batched): the phases, the text of each stream, the metric points, warnings, the terminal event.
 */
function observed(events: RunEvent[]) {
  const text = (stream: string) => events.flatMap((e) => (e.type === 'output' && e.stream === stream ? [e.text] : [])).join('');
  const end = events[events.length - 1]!;
  const { runId: _r, seq: _s, time: _t, durationMs: _d, ...terminal } = end as RunEvent & { durationMs?: number };
  return {
    phases: events.flatMap((e) => (e.type === 'status' ? [e.phase] : [])),
    stdout: text('stdout'),
    stderr: text('stderr'),
    points: events.flatMap((e) => (e.type === 'metrics' ? pointsOf(e) : [])),
    warnings: events.flatMap((e) => (e.type === 'warning' ? [e.message] : [])),
    graphs: events.filter((e) => e.type === 'graph').length,
    terminal,
  };
}

const TRAINING = `import sys
import torch
t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3])
t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0])
params = torch.tensor([1.0, 0.0], requires_grad=True)
optimizer = torch.optim.SGD([params], lr=1e-4)
for epoch in range(1, 21):
    loss = ((params[0] * t_u + params[1] - t_c) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print('Epoch %d, Loss %f' % (epoch, float(loss)))
sys.stderr.write('done\\n')
`;

describe('a run on a Python process kept ready', () => {
  it('shows what a run on a process of its own shows: phases, output, loss points, graph, its end', async () => {
    const path = script('train.py', TRAINING);
    const cold = observed(await coldRun(path));
    const warm = observed((await warmRun(path)).events);
    assert.deepEqual(warm, cold);
    assert.deepEqual(cold.phases, ['loading-python', 'running']);
    assert.equal(cold.points.length, 20);
  });

  it('reports an error as a run on a process of its own does: name, message, place, traceback', async () => {
    const path = script('fails.py', `import torch\nx = torch.ones(2, 3)\ny = x @ x\n`);
    const cold = observed(await coldRun(path));
    const warm = observed((await warmRun(path)).events);
    assert.deepEqual(warm, cold);
    assert.equal((cold.terminal as RunFailedEvent).error.location?.line, 3);
  });

  it('ends with the exit code the script gave sys.exit, as a run on a process of its own', async () => {
    const path = script('exits.py', `import sys\nprint('bye')\nsys.exit(3)\n`);
    const cold = observed(await coldRun(path));
    const warm = observed((await warmRun(path)).events);
    assert.deepEqual(warm, cold);
    assert.equal((cold.terminal as RunFailedEvent).exitCode, 3);
  });

  it('runs in the script’s folder: relative paths and sibling modules are found', async () => {
    const dir = mkdtempSync(join(work, 'folder-'));
    writeFileSync(join(dir, 'data.csv'), '1,2\n');
    writeFileSync(join(dir, 'helper.py'), 'VALUE = 7\n');
    const path = join(dir, 'reads.py');
    writeFileSync(path, `import os, helper\nprint(open('data.csv').read().strip(), helper.VALUE, os.getcwd() == ${JSON.stringify(dir)})\n`);
    const { events } = await warmRun(path);
    assert.equal(observed(events).stdout, '1,2 7 True\n');
  });

  it('imports the torch of the script’s own folder when it has one, as CPython does', async () => {
    const dir = mkdtempSync(join(work, 'own-torch-'));
    writeFileSync(join(dir, 'torch.py'), `WHOSE = 'mine'\n`);
    const path = join(dir, 'uses_own.py');
    writeFileSync(path, `import torch\nprint(torch.WHOSE)\n`);
    const cold = observed(await coldRun(path));
    const warm = observed((await warmRun(path)).events);
    assert.equal(cold.stdout, 'mine\n');
    assert.deepEqual(warm, cold);
  });

  it('gives each run an interpreter that ran nobody’s code, and a process of its own', async () => {
    const first = await warmRun(script('leaves.py', `import builtins\nbuiltins.left_behind = 1\n`));
    const second = await warmRun(script('finds.py', `import builtins\nprint(hasattr(builtins, 'left_behind'))\n`));
    assert.equal(observed(second.events).stdout, 'False\n');
    assert.notEqual(second.pid, first.pid);
  });

  it('leads its own process group, and Stop ends it; nothing is left', async () => {
    const pid = await readyProcess();
    const pgid = spawnSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
    assert.equal(pgid, String(pid));
    const events: RunEvent[] = [];
    const run = startRun({ script: script('endless.py', `print('looping', flush=True)\nwhile True:\n    pass\n`), onEvent: (e) => events.push(e) });
    while (!events.some((e) => e.type === 'output')) await sleep(20);
    run.stop();
    const end = await run.done;
    assert.equal(end.type, 'run-finished');
    assert.deepEqual(await leftRunning([pid]), []);
  });

  it('is ended by the memory limit, with the memory-limit message', async () => {
    const limit = 400;
    const pid = await readyProcess(limit);
    const events = await eventsOf(script('hog.py', `import torch\nkept = []\nwhile True:\n    kept.append(torch.ones(1024, 1024))\n`), { memoryLimitMB: limit });
    const end = events[events.length - 1] as RunFailedEvent;
    assert.equal(end.reason, 'memory-limit');
    assert.deepEqual(await leftRunning([pid]), []);
  });
});

describe('which runs take the Python process kept ready', () => {
  it('a run with another memory limit forks its own and leaves the ready one alone', async () => {
    const pid = await readyProcess(DEFAULT_MEMORY_LIMIT_MB);
    await eventsOf(script('other-limit.py', `print('hi')\n`), { memoryLimitMB: 1000 });
    assert.equal(readyPythonPid(), pid);
    assert.ok(running(pid));
  });

  it('a TypeScript run forks its own and leaves the ready one alone', async () => {
    const pid = await readyProcess();
    const events = await eventsOf(script('plain.ts', `console.log('hi');\n`));
    assert.equal(observed(events).stdout, 'hi\n');
    assert.equal(readyPythonPid(), pid);
  });

  it('a ready process that died is replaced at once, and a run takes the new one', async () => {
    const dead = await readyProcess();
    process.kill(dead, 'SIGKILL');
    while (readyPythonPid() === dead) await sleep(20);
    const replacement = readyPythonPid();
    assert.ok(replacement !== undefined && replacement !== dead);
    const events = await eventsOf(script('after-death.py', `print('hi')\n`));
    assert.equal(observed(events).stdout, 'hi\n');
    assert.notEqual(readyPythonPid(), replacement, 'the run took the replacement');
  });

  it('after a run took it, another is made ready', async () => {
    const used = await readyProcess();
    await eventsOf(script('uses.py', `print('hi')\n`));
    assert.equal(await pythonReady(), true);
    const next = readyPythonPid();
    assert.ok(next !== undefined && next !== used);
  });
});
