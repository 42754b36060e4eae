// The runner runs a learner's script in its own process and reports it as an event stream:
// output, errors mapped to the learner's lines, graph snapshots, stop and memory limits.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GraphEvent, ProbeSnapshot, RunEvent, RunFailedEvent, WarningEvent } from '../../src/protocol/run-events.js';
import { pointsOf as batchPoints, type MetricPoint } from '../metric-points.js';
import { readRun } from '../../src/runner/records.js';
import { RunRecordWriter } from '../../src/runner/records.js';
import { startRun } from '../../src/runner/runner.js';

const work = mkdtempSync(join(tmpdir(), 'autograd-lab-runner-'));
const examples = join(import.meta.dirname, '..', '..', 'examples', 'thermometer');

/** The latest state of every probe, by `line:name`. */
function probesOf(events: RunEvent[]): Map<string, ProbeSnapshot> {
  const latest = new Map<string, ProbeSnapshot>();
  for (const e of events) if (e.type === 'probes') for (const p of e.probes) latest.set(`${p.line}:${p.name}`, p);
  return latest;
}
function pointsOf(events: RunEvent[]): MetricPoint[] {
  return events.flatMap((e) => (e.type === 'metrics' ? batchPoints(e) : []));
}
function script(name: string, source: string): string {
  const path = join(work, name);
  writeFileSync(path, source);
  return path;
}
async function runToEnd(path: string, options: { memoryLimitMB?: number; probes?: boolean; probeHistoryLimit?: number } = {}) {
  const events: RunEvent[] = [];
  const run = startRun({ script: path, onEvent: (e) => events.push(e), ...options });
  const end = await run.done;
  return { events, end, stdout: events.flatMap((e) => (e.type === 'output' && e.stream === 'stdout' ? [e.text] : [])).join('') };
}

const THERMOMETER = `import torch, { optim, type Tensor } from 'autograd-lab';
const t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]);
const t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]).mul(0.1);
const params = torch.tensor([1.0, 0.0], { requires_grad: true });
const optimizer = new optim.SGD([params], { lr: 1e-2 });
for (let epoch = 1; epoch <= 20; epoch++) {
  const [w, b] = params;
  const t_p = w.mul(t_u).add(b);
  const loss = t_p.sub(t_c).pow(2).mean();
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
console.log(String(params));
`;

describe('startRun', () => {
  it('emits run-started first and run-finished last, with the script output between', async () => {
    const { events, end, stdout } = await runToEnd(script('hello.ts', `import torch from 'autograd-lab';\nconsole.log(String(torch.ones(2)));\n`));
    assert.equal(events[0]!.type, 'run-started');
    assert.equal(end.type, 'run-finished');
    assert.equal(events.at(-1), end);
    assert.equal(stdout, 'tensor([1., 1.])\n');
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i));
    assert.ok(events.every((e) => e.runId === events[0]!.runId));
  });

  it('runs a TypeScript script that imports the learner’s own helper module', async () => {
    script('data.ts', `export const readings: number[] = [1, 2, 3];\n`);
    const { stdout, end } = await runToEnd(script('uses-helper.ts', `import { readings } from './data';\nimport torch from 'autograd-lab';\nconsole.log(torch.tensor(readings).sum().item());\n`));
    assert.equal(end.type, 'run-finished');
    assert.equal(stdout, '6\n');
  });

  it('reports a runtime error at the line of the .ts source, with PyTorch’s message', async () => {
    const { end } = await runToEnd(
      script('runtime-error.ts', `import torch from 'autograd-lab';\n\ninterface Unused { a: number }\nconst x = torch.tensor([1.0, 2.0], { requires_grad: true });\nconst y = x.mul(2);\ny.backward();\n`),
    );
    assert.equal(end.type, 'run-failed');
    const failed = end as RunFailedEvent;
    assert.equal(failed.reason, 'error');
    assert.equal(failed.error.name, 'RuntimeError');
    assert.match(failed.error.message, /^grad can be implicitly created only for scalar outputs/);
    assert.equal(failed.error.location?.line, 6);
    assert.match(failed.error.location!.file, /runtime-error\.ts$/);
    assert.doesNotMatch(failed.error.stack, /engine[\\/]/, 'engine frames are trimmed');
  });

  it('reports a syntax error at its line of the .ts source', async () => {
    const { end } = await runToEnd(script('syntax-error.ts', `const a: number = 1;\nconst b = (a +;\n`));
    assert.equal(end.type, 'run-failed');
    const failed = end as RunFailedEvent;
    assert.equal(failed.error.name, 'SyntaxError');
    assert.equal(failed.error.location?.line, 2);
  });

  it('stops an endless loop within one second', async () => {
    const events: RunEvent[] = [];
    const run = startRun({ script: script('endless.ts', `console.log('started');\nwhile (true) {}\n`), onEvent: (e) => events.push(e) });
    while (!events.some((e) => e.type === 'output')) await new Promise((r) => setTimeout(r, 20));
    const asked = Date.now();
    run.stop();
    const end = await run.done;
    assert.ok(Date.now() - asked < 1000, `stopped after ${Date.now() - asked} ms`);
    assert.equal(end.type, 'run-finished');
    assert.equal((end as { status: string }).status, 'stopped');
  });

  it('ends a script that allocates without bound with the memory-limit message', async () => {
    const { end } = await runToEnd(
      script('hog.ts', `import torch from 'autograd-lab';\nconst kept = [];\nwhile (true) kept.push(torch.ones(1024, 1024));\n`),
      { memoryLimitMB: 300 },
    );
    assert.equal(end.type, 'run-failed');
    const failed = end as RunFailedEvent;
    assert.equal(failed.reason, 'memory-limit');
    assert.match(failed.error.message, /more than its 300 MiB memory limit/);
  });

  it('sends a graph snapshot of the first backward with PyTorch’s node names and the creating lines', async () => {
    const { events } = await runToEnd(script('graph.ts', THERMOMETER));
    const graphs = events.filter((e): e is GraphEvent => e.type === 'graph');
    assert.ok(graphs.length >= 1);
    const first = graphs[0]!.snapshot;
    assert.equal(first.backwardIndex, 1);
    const root = first.nodes.find((n) => n.id === first.rootId)!;
    assert.equal(root.name, 'MeanBackward0');
    assert.equal(root.location?.line, 9);
    const names = new Set(first.nodes.map((n) => n.name));
    for (const name of ['PowBackward0', 'SubBackward0', 'AddBackward0', 'MulBackward0', 'UnbindBackward0', 'AccumulateGrad']) assert.ok(names.has(name), name);
    const leaf = first.nodes.find((n) => n.kind === 'parameter')!;
    assert.deepEqual(leaf.shape, [2]);
    assert.ok(leaf.grad, 'the leaf shows the gradient it received');
    assert.deepEqual(root.value?.shape, []);
    assert.ok(first.edges.some((e) => e.to === root.id));
  });

  it('keeps two runs apart: each event names its own run', async () => {
    const a = startRun({ script: script('a.ts', `console.log('a');\n`) });
    const b = startRun({ script: script('b.ts', `console.log('b');\n`) });
    const seen: RunEvent[] = [];
    a.onEvent((e) => seen.push(e));
    b.onEvent((e) => seen.push(e));
    await Promise.all([a.done, b.done]);
    assert.notEqual(a.runId, b.runId);
    const texts = (id: string) => seen.filter((e) => e.runId === id && e.type === 'output').map((e) => (e as { text: string }).text).join('');
    assert.equal(texts(a.runId), 'a\n');
    assert.equal(texts(b.runId), 'b\n');
  });

  it('probes the chapter’s SGD script: loss on its line, 5000 hits, the book’s last value', async () => {
    const { events, stdout } = await runToEnd(join(examples, '03-sgd.ts'));
    assert.ok(stdout.includes('Epoch 5000, Loss 2.927647'), 'the script prints what it prints');
    const probes = probesOf(events);
    const loss = probes.get('49:loss')!;
    assert.equal(loss.hits, 5000);
    assert.equal(loss.last.toFixed(6), '2.927647');
    assert.equal(loss.first.toFixed(4), '80.3643');
    assert.ok(loss.history.length <= 2000 && loss.history.length > 100);
    assert.equal(probes.get('26:loss')!.hits, 1);
    assert.ok(!probes.has('48:t_p'), 't_p is not a scalar, so it has no probe values');
  });

  it('turns the train/validation script’s losses into two series of 3000 points', async () => {
    const { events } = await runToEnd(join(examples, '05-train-validation.ts'));
    const points = pointsOf(events);
    const bySeries = new Map<string, number[]>();
    for (const p of points) bySeries.set(p.series, [...(bySeries.get(p.series) ?? []), p.step]);
    assert.deepEqual([...bySeries.keys()].sort(), ['train_loss', 'val_loss']);
    for (const steps of bySeries.values()) assert.deepEqual(steps, Array.from({ length: 3000 }, (_, i) => i + 1));
    const overfitting = events.filter((e): e is WarningEvent => e.type === 'warning' && e.kind === 'overfitting');
    assert.equal(overfitting.length, 1, 'rule two fires once');
    const { lowest } = overfitting[0]!;
    const val = points.filter((p) => p.series === 'val_loss');
    assert.ok(lowest, 'the warning says where validation was lowest');
    assert.equal(lowest.value, val[lowest.step - 1]!.value, 'a point of the validation curve');
  });

  it('hands the metric columns of the script process on as they are, a series entry each', async () => {
    const { events } = await runToEnd(join(examples, '05-train-validation.ts'));
    const metrics = events.filter((e) => e.type === 'metrics');
    assert.ok(metrics.length > 0);
    for (const e of metrics) {
      assert.equal(e.index.length, e.steps.length);
      assert.equal(e.index.length, e.values.length);
      assert.deepEqual(e.series.map((s) => [s.name, s.source, s.location?.line]).sort(), [['train_loss', 'probe', 53], ['val_loss', 'probe', 55]]);
      assert.equal('points' in e, false, 'no object per point');
    }
  });

  it('passes the probe history size on to the script process', async () => {
    const path = script('config.mjs', `console.log(JSON.parse(process.env.AUTOGRAD_LAB_RUN).probeHistoryLimit);\n`);
    assert.equal((await runToEnd(path, { probeHistoryLimit: 50 })).stdout, '50\n');
    assert.equal((await runToEnd(path)).stdout, 'undefined\n', 'left to the script process’s default');
  });

  it('warns once when a loss becomes NaN, naming the epoch and the line', async () => {
    const { events } = await runToEnd(
      script(
        'nan.ts',
        `import torch from 'autograd-lab';\nlet w = torch.tensor(1.0);\nfor (let epoch = 1; epoch <= 20; epoch++) {\n  w = epoch >= 7 ? w.mul(NaN) : w.mul(1);\n  const loss = w.add(1);\n}\n`,
      ),
    );
    const nan = events.filter((e): e is WarningEvent => e.type === 'warning' && e.kind === 'nan');
    assert.equal(nan.length, 1);
    assert.equal(nan[0]!.epoch, 7);
    assert.equal(nan[0]!.location?.line, 5);
    assert.match(nan[0]!.message, /became nan at epoch 7/);
  });

  it('leaves a readable record when the run is stopped mid-way', async () => {
    const root = mkdtempSync(join(tmpdir(), 'autograd-lab-record-'));
    let writer: RunRecordWriter | null = null;
    const run = startRun({
      script: script('long.ts', `let loss = 0;\nfor (let epoch = 1; ; epoch++) {\n  loss = 1 / epoch;\n}\n`),
      onEvent: (e) => {
        writer ??= RunRecordWriter.create(root, e.runId);
        writer.append(e);
      },
    });
    const seen: RunEvent[] = [];
    run.onEvent((e) => seen.push(e));
    while (!seen.some((e) => e.type === 'metrics')) await new Promise((r) => setTimeout(r, 20));
    run.stop();
    await run.done;
    (writer as RunRecordWriter | null)!.close();
    const { summary, events } = readRun(root, run.runId);
    assert.equal(summary.status, 'stopped');
    assert.ok(pointsOf(events).length > 0, 'the loss points recorded before the stop are kept');
  });
});
