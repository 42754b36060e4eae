// How a run ends, through the runner API: every byte the script writes arrives, in order, in
// both languages; whatever way the script ends, its data is flushed and the terminal event says
// how it ended; Stop, the memory limit and the script's own end take everything it started
// with them (checked with ps).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunEvent, RunFailedEvent, RunFinishedEvent } from '../../src/protocol/run-events.js';
import { startRun, type RunOptions } from '../../src/runner/runner.js';
import { pointsOf as batchPoints, type MetricPoint } from '../metric-points.js';
import { leftRunning, sleep, withBusyGrandchild } from './processes.js';

const work = mkdtempSync(join(tmpdir(), 'agl-run-ending-'));
after(() => rmSync(work, { recursive: true, force: true }));

const cpython = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'cpython-tracebacks.json'), 'utf8')) as {
  cases: Record<string, { source: string; frameLines: number; repeatLine: string | null; lastLine: string }>;
};

function script(name: string, source: string): string {
  const path = join(work, name);
  writeFileSync(path, source);
  return path;
}

function textOf(events: RunEvent[], stream: 'stdout' | 'stderr'): string {
  return events.flatMap((e) => (e.type === 'output' && e.stream === stream ? [e.text] : [])).join('');
}

async function runToEnd(path: string, options: Partial<RunOptions> = {}) {
  const events: RunEvent[] = [];
  const run = startRun({ script: path, onEvent: (e) => events.push(e), ...options });
  const end = await run.done;
  return { events, end, stdout: textOf(events, 'stdout'), stderr: textOf(events, 'stderr') };
}

function pointsOf(events: RunEvent[]): MetricPoint[] {
  return events.flatMap((e) => (e.type === 'metrics' ? batchPoints(e) : []));
}

async function untilOutput(events: RunEvent[]): Promise<void> {
  while (!events.some((e) => e.type === 'output')) await sleep(20);
}

const LOSS_LOOP_TS = `let loss = 0;\nfor (let epoch = 1; epoch <= 50; epoch++) {\n  loss = 1 / epoch;\n}\n`;

describe('every byte a script writes arrives', () => {
  it('Python: one sys.stdout.write of 1 MiB arrives whole', async () => {
    const { stdout, end } = await runToEnd(script('mib.py', `import sys\nsys.stdout.write('a' * 1048576)\n`));
    assert.equal(end.type, 'run-finished');
    assert.equal(stdout.length, 1048576);
    assert.ok(/^a+$/.test(stdout));
  });

  it('Python: print(list(range(300000))) arrives whole', async () => {
    const { stdout } = await runToEnd(script('list.py', `print(list(range(300000)))\n`));
    assert.equal(stdout, `[${Array.from({ length: 300000 }, (_, i) => i).join(', ')}]\n`);
  });

  it('Python: stdout and stderr lines each arrive in the order they were written', async () => {
    const { stdout, stderr } = await runToEnd(script('lines.py', `import sys\nfor i in range(20000):\n    print(i)\n    print(-i, file=sys.stderr)\n`));
    assert.equal(stdout, Array.from({ length: 20000 }, (_, i) => `${i}\n`).join(''));
    assert.equal(stderr, Array.from({ length: 20000 }, (_, i) => `${-i}\n`).join(''));
  });

  it('TypeScript: 10 MiB written just before process.exit() arrive whole', async () => {
    const { stdout } = await runToEnd(script('exit-after-write.ts', `process.stdout.write('x'.repeat(10 * 1024 * 1024));\nprocess.exit(0);\n`));
    assert.equal(stdout.length, 10 * 1024 * 1024);
  });

  it('while the listener pauses the run, the script waits instead of its output piling up; resumed, all of it arrives', async () => {
    const total = 16 * 1024 * 1024;
    const events: RunEvent[] = [];
    const run = startRun({ script: script('paused.ts', `const s = 'y'.repeat(1 << 20);\nfor (let i = 0; i < 16; i++) process.stdout.write(s);\n`), onEvent: (e) => events.push(e) });
    await untilOutput(events);
    run.pause();
    await sleep(1000);
    const whilePaused = textOf(events, 'stdout').length;
    assert.ok(whilePaused < total, `${whilePaused} of ${total} bytes arrived while paused`);
    run.resume();
    await run.done;
    assert.equal(textOf(events, 'stdout').length, total);
  });
});

describe('data is flushed however the script ends', () => {
  it('TypeScript: process.exit(0) after a 50-epoch loop keeps its 50 loss points', async () => {
    const { events, end } = await runToEnd(script('exit-0.ts', `${LOSS_LOOP_TS}process.exit(0);\n`));
    assert.equal(end.type, 'run-finished');
    assert.deepEqual(pointsOf(events).map((p) => p.step), Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('TypeScript: process.exit(3) after the loop keeps its 50 loss points too', async () => {
    const { events } = await runToEnd(script('exit-3-points.ts', `${LOSS_LOOP_TS}process.exit(3);\n`));
    assert.equal(pointsOf(events).length, 50);
  });

  it('Python: sys.exit(0) after a 50-epoch loop keeps its 50 loss points', async () => {
    const { events, end } = await runToEnd(script('exit_0.py', `import sys\nloss = 0.0\nfor epoch in range(1, 51):\n    loss = 1 / epoch\nsys.exit(0)\n`));
    assert.equal(end.type, 'run-finished');
    assert.deepEqual(pointsOf(events).map((p) => p.step), Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('the terminal event says how the run ended', () => {
  it('a script that ran to its end: completed', async () => {
    const { end } = await runToEnd(script('plain.ts', `console.log('done');\n`));
    assert.deepEqual((end as RunFinishedEvent).ending, { how: 'completed', exitCode: 0, signal: null });
  });

  it('TypeScript process.exit(3): failed with its exit code, in the script’s words', async () => {
    const { end } = await runToEnd(script('exit-3.ts', `process.exit(3);\n`));
    const failed = end as RunFailedEvent;
    assert.equal(failed.type, 'run-failed');
    assert.equal(failed.exitCode, 3);
    assert.deepEqual(failed.ending, { how: 'exit-code', exitCode: 3, signal: null });
    assert.match(failed.error.message, /exit code 3 \(process\.exit\(3\)/);
  });

  it('Python sys.exit(3): failed with its exit code, in the script’s words', async () => {
    const { end } = await runToEnd(script('exit_3.py', `import sys\nsys.exit(3)\n`));
    const failed = end as RunFailedEvent;
    assert.deepEqual(failed.ending, { how: 'exit-code', exitCode: 3, signal: null });
    assert.match(failed.error.message, /exit code 3 \(sys\.exit\(3\)\)/);
  });

  it('an uncaught error: failed, ending error, exit code 1', async () => {
    const { end } = await runToEnd(script('throws.ts', `throw new Error('boom');\n`));
    assert.deepEqual((end as RunFailedEvent).ending, { how: 'error', exitCode: 1, signal: null });
  });

  it('a script process killed by SIGKILL: failed, ending signal, with the time it really ran', async () => {
    const { end } = await runToEnd(script('killed.mjs', `setTimeout(() => process.kill(process.pid, 'SIGKILL'), 400);\n`));
    const failed = end as RunFailedEvent;
    assert.deepEqual(failed.ending, { how: 'signal', exitCode: null, signal: 'SIGKILL' });
    assert.equal(failed.error.message, 'The script process was killed by SIGKILL.');
    assert.ok(failed.durationMs >= 400, `durationMs ${failed.durationMs}`);
  });

  it('Stop: stopped', async () => {
    const events: RunEvent[] = [];
    const run = startRun({ script: script('stop-me.ts', `console.log('go');\nsetInterval(() => {}, 1000);\n`), onEvent: (e) => events.push(e) });
    await untilOutput(events);
    run.stop();
    const end = (await run.done) as RunFinishedEvent;
    assert.equal(end.status, 'stopped');
    assert.equal(end.ending?.how, 'stopped');
  });
});

describe('what the script started ends with the run', () => {
  it('Stop ends the script and a busy grandchild that holds its stdout and stderr; nothing is left', async () => {
    const pidFile = join(work, 'stop-pids.json');
    const events: RunEvent[] = [];
    const run = startRun({ script: script('stop-grandchild.mjs', withBusyGrandchild(pidFile, '')), onEvent: (e) => events.push(e) });
    await untilOutput(events);
    run.stop();
    const end = await run.done;
    assert.equal(end.type, 'run-finished');
    assert.deepEqual(await leftRunning(JSON.parse(readFileSync(pidFile, 'utf8')) as number[]), []);
  });

  it('Stop of a script in an endless loop ends its grandchild too', async () => {
    const pidFile = join(work, 'loop-pids.json');
    const events: RunEvent[] = [];
    const run = startRun({ script: script('loop-grandchild.mjs', withBusyGrandchild(pidFile, 'while (true) {}')), onEvent: (e) => events.push(e) });
    await untilOutput(events);
    run.stop();
    await run.done;
    assert.deepEqual(await leftRunning(JSON.parse(readFileSync(pidFile, 'utf8')) as number[]), []);
  });

  it('a script that ends by itself does not leave its grandchild running, and the run does not wait for the pipes it holds', async () => {
    const pidFile = join(work, 'end-pids.json');
    const { end } = await runToEnd(script('end-grandchild.mjs', withBusyGrandchild(pidFile, 'setTimeout(() => process.exit(0), 200);')));
    assert.equal(end.type, 'run-finished');
    assert.deepEqual(await leftRunning(JSON.parse(readFileSync(pidFile, 'utf8')) as number[]), []);
  });

  it('the memory limit ends the grandchild with the script', async () => {
    const pidFile = join(work, 'memory-pids.json');
    const hog = 'const kept = [];\nsetTimeout(() => { while (true) kept.push(torch.ones(1024, 1024)); }, 100);';
    const { end } = await runToEnd(script('memory-grandchild.mjs', `import torch from 'autograd-lab';\n${withBusyGrandchild(pidFile, hog)}`), { memoryLimitMB: 300 });
    assert.equal((end as RunFailedEvent).reason, 'memory-limit');
    assert.deepEqual(await leftRunning(JSON.parse(readFileSync(pidFile, 'utf8')) as number[]), []);
  });
});

describe('Python tracebacks end as CPython ends them', () => {
  it('an endless recursion shows three frames of it, then [Previous line repeated N more times], N as CPython says', async () => {
    const expected = cpython.cases.recursion!;
    const { end } = await runToEnd(script('recursion.py', expected.source));
    const lines = (end as RunFailedEvent).error.stack.split('\n');
    assert.equal(lines.filter((l) => l.startsWith('  File ')).length, expected.frameLines);
    assert.equal(lines.find((l) => l.includes('[Previous line repeated')), expected.repeatLine);
    assert.equal(lines.at(-1), expected.lastLine);
  });

  it('an exception whose __str__ raises is shown as CPython shows it, with no frame of the runner', async () => {
    const expected = cpython.cases.str_fails!;
    const { end } = await runToEnd(script('str_fails.py', expected.source));
    const failed = end as RunFailedEvent;
    assert.equal(failed.error.stack.split('\n').at(-1), expected.lastLine);
    assert.equal(failed.error.location?.line, 6);
    assert.doesNotMatch(failed.error.stack, /_autograd_lab_runner|PythonError|During handling/);
  });
});

describe('Python time.sleep', () => {
  /** CPU seconds (user + system) the script process of this test process has used; Linux only. */
  function scriptProcessCpuSeconds(): number {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      let cmdline: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || !/child[\\/]host\.[jt]s/.test(cmdline)) continue;
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ, 100 on Linux)
    }
    throw new Error('no script process found');
  }

  it('sleeps without using the CPU', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    const events: RunEvent[] = [];
    const run = startRun({ script: script('sleeps.py', `import time\nprint('sleeping', flush=True)\ntime.sleep(2)\nprint('awake', flush=True)\ntime.sleep(1)\n`), onEvent: (e) => events.push(e) });
    await untilOutput(events);
    const before = scriptProcessCpuSeconds();
    while (!textOf(events, 'stdout').includes('awake')) {
      if (events.some((e) => e.type === 'run-finished' || e.type === 'run-failed')) break;
      await sleep(50);
    }
    const during = scriptProcessCpuSeconds() - before;
    await run.done;
    assert.ok(during < 1, `${during} CPU seconds during a 2-second sleep`);
  });

  it('raises the interpreter’s own error for what it cannot sleep, at once', async () => {
    const source = `import time\nfor arg in (-1, 'a'):\n    try:\n        time.sleep(arg)\n    except Exception as e:\n        print(type(e).__name__)\ntime.sleep(float('nan'))\n`;
    const { stdout, end } = await runToEnd(script('bad_sleep.py', source));
    assert.equal(stdout, 'ValueError\nTypeError\n');
    const failed = end as RunFailedEvent;
    assert.equal(failed.error.name, 'ValueError');
    assert.equal(failed.error.location?.line, 7);
  });
});
