// Line probes, the recording side: per-line statistics and history, loss curves from probes
// named like a loss, warnings, and batched flushes. The end-to-end tests run the chapter's
// examples instrumented, in-process, and check they print the book's output unchanged.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { transform } from 'sucrase';

import torch, { hooks, hostGlobal, nn, setHostGlobal, type Tensor } from '../../src/engine/index.js';
import { instrument, type ProbeSite } from '../../src/runner/child/instrument.js';
import { ProbeRecorder, installNamingGlobal, installProbeGlobal } from '../../src/runner/child/probes.js';
import type { ProbeSnapshot } from '../../src/protocol/run-events.js';
import { PROBE_HISTORY_LIMIT } from '../../src/protocol/run-events.js';
import type { ChildEvent } from '../../src/protocol/script-process.js';
import { pointsOf as batchPoints, type MetricPoint } from '../metric-points.js';

type Sent = ChildEvent[];

function site(id: number, line: number, name: string): ProbeSite {
  return { id, line, column: 7, name };
}

/** A recorder that never flushes on its own, with one file of the given sites. */
function recorder(sites: ProbeSite[], options: ConstructorParameters<typeof ProbeRecorder>[1] = {}): { r: ProbeRecorder; sent: Sent; file: number } {
  const sent: Sent = [];
  const r = new ProbeRecorder((e) => sent.push(e), { flushIntervalMs: 1e9, ...options });
  const file = r.registerFile('train.ts', sites);
  return { r, sent, file };
}

function probesOf(sent: Sent): ProbeSnapshot[][] {
  return sent.filter((e) => e.type === 'probes').map((e) => (e as { probes: ProbeSnapshot[] }).probes);
}
function pointsOf(sent: Sent): MetricPoint[] {
  return sent.flatMap((e) => (e.type === 'metric-columns' ? batchPoints(e) : []));
}
function warningsOf(sent: Sent): Extract<ChildEvent, { type: 'warning' }>[] {
  return sent.filter((e): e is Extract<ChildEvent, { type: 'warning' }> => e.type === 'warning');
}

describe('ProbeRecorder statistics', () => {
  test('records hits, first, last, min and max of a number', () => {
    const { r } = recorder([site(0, 3, 'x')]);
    for (const v of [3, -1, 7, 2]) r.probe(0, 0, v);
    const [s] = r.snapshots();
    assert.deepEqual(s, { id: 'train.ts:3:x', file: 'train.ts', line: 3, name: 'x', hits: 4, first: 3, last: 2, min: -1, max: 7, history: [3, -1, 7, 2], historyStep: 1 });
  });

  test('min and max skip NaN; last and history keep it', () => {
    const { r } = recorder([site(0, 3, 'x')]);
    for (const v of [NaN, 4, NaN, 1]) r.probe(0, 0, v);
    r.probe(0, 0, NaN);
    const [s] = r.snapshots();
    assert.equal(s!.min, 1);
    assert.equal(s!.max, 4);
    assert.ok(Number.isNaN(s!.last));
    assert.ok(Number.isNaN(s!.first));
    assert.equal(s!.history.length, 5);
  });

  test('min and max are NaN while only NaN has been seen', () => {
    const { r } = recorder([site(0, 3, 'x')]);
    r.probe(0, 0, NaN);
    const [s] = r.snapshots();
    assert.ok(Number.isNaN(s!.min) && Number.isNaN(s!.max));
  });

  test('returns the value it was given, the same object', () => {
    const { r } = recorder([site(0, 3, 'x')]);
    const t = torch.tensor([1, 2]);
    const o = { a: 1 };
    assert.equal(r.probe(0, 0, t), t);
    assert.equal(r.probe(0, 0, o), o);
    assert.equal(r.probe(0, 0, 'text'), 'text');
    assert.equal(r.probe(0, 0, undefined), undefined);
  });

  test('records a one-element tensor’s value, also of a view into a larger storage', () => {
    const { r } = recorder([site(0, 3, 'loss'), site(1, 4, 'b')]);
    r.probe(0, 0, torch.tensor(2.5));
    const params = torch.tensor([1.0, -3.0]);
    const [, b] = params;
    assert.equal(b!.storage_offset(), 1);
    r.probe(0, 1, b);
    const byName = Object.fromEntries(r.snapshots().map((s) => [s.name, s]));
    assert.equal(byName.loss!.last, 2.5);
    assert.equal(byName.b!.last, -3);
  });

  test('ignores tensors of more than one element and values that are not numbers', () => {
    const { r } = recorder([site(0, 3, 'x')]);
    r.probe(0, 0, torch.tensor([1, 2]));
    r.probe(0, 0, 'text');
    r.probe(0, 0, [1]);
    r.probe(0, 0, true);
    assert.deepEqual(r.snapshots(), []);
  });

  test('names an unnamed tensor after its line’s variable, of any size, and keeps an existing name', () => {
    const { r } = recorder([site(0, 3, 'params'), site(1, 4, 'alias')]);
    const params = torch.tensor([1.0, 0.0]);
    r.probe(0, 0, params);
    r.probe(0, 1, params);
    assert.equal(hooks.tensorName(params), 'params');
  });

  test('names a module’s parameters <name>.<parameter>', () => {
    const { r } = recorder([site(0, 3, 'seq_model')]);
    const model = new nn.Sequential(new nn.Linear(1, 13), new nn.Tanh(), new nn.Linear(13, 1));
    r.probe(0, 0, model);
    assert.deepEqual(
      model.named_parameters().map(([, p]) => hooks.tensorName(p)),
      ['seq_model.0.weight', 'seq_model.0.bias', 'seq_model.2.weight', 'seq_model.2.bias'],
    );
  });

  test('two sites of one name on one line are one probe', () => {
    const { r } = recorder([site(0, 3, 'x'), site(1, 3, 'x')]);
    r.probe(0, 0, 1);
    r.probe(0, 1, 2);
    const snapshots = r.snapshots();
    assert.equal(snapshots.length, 1);
    assert.equal(snapshots[0]!.hits, 2);
  });
});

describe('ProbeRecorder history', () => {
  test('decimates evenly: history[i] is the value at hit 1 + i * historyStep, never more than the limit', () => {
    const { r } = recorder([site(0, 3, 'x')], { historyLimit: 8 });
    for (let hit = 1; hit <= 1000; hit++) {
      r.probe(0, 0, hit);
      const [s] = r.snapshots();
      assert.ok(s!.history.length <= 8);
      s!.history.forEach((v, i) => assert.equal(v, 1 + i * s!.historyStep));
      assert.equal(s!.last, hit);
    }
    const [s] = r.snapshots();
    assert.equal(s!.historyStep, 128);
    assert.deepEqual(s!.history, [1, 129, 257, 385, 513, 641, 769, 897]);
  });

  test('the decimation invariant holds for any limit, odd ones too', () => {
    for (const limit of [2, 3, 5, 7, 10]) {
      const { r } = recorder([site(0, 3, 'x')], { historyLimit: limit });
      for (let hit = 1; hit <= 300; hit++) {
        r.probe(0, 0, hit);
        const [s] = r.snapshots();
        assert.ok(s!.history.length <= limit);
        s!.history.forEach((v, i) => assert.equal(v, 1 + i * s!.historyStep, `limit ${limit}, hit ${hit}`));
        // Nothing that belongs in the history is missing.
        assert.equal(s!.history.length, Math.floor((hit - 1) / s!.historyStep) + 1, `limit ${limit}, hit ${hit}`);
      }
    }
  });

  test('keeps at most PROBE_HISTORY_LIMIT values over a 5000-epoch run, first value first', () => {
    const { r } = recorder([site(0, 3, 'x')]);
    for (let hit = 1; hit <= 5000; hit++) r.probe(0, 0, hit * 2);
    const [s] = r.snapshots();
    assert.ok(s!.history.length <= PROBE_HISTORY_LIMIT);
    assert.ok(s!.history.length >= PROBE_HISTORY_LIMIT / 2);
    assert.equal(s!.history[0], 2);
    s!.history.forEach((v, i) => assert.equal(v, 2 * (1 + i * s!.historyStep)));
  });
});

describe('ProbeRecorder metrics', () => {
  test('only loss-like names become series: loss, train_loss, val_loss, *_loss, loss_*', () => {
    const names = ['loss', 'train_loss', 'val_loss', 'mse_loss', 'loss_total', 'lossy', 'gloss', 'accuracy', 't_p'];
    const { r, sent } = recorder(names.map((n, i) => site(i, 10 + i, n)));
    for (let epoch = 1; epoch <= 3; epoch++) names.forEach((_, i) => r.probe(0, i, epoch));
    r.flush();
    assert.deepEqual([...new Set(pointsOf(sent).map((p) => p.series))], ['loss', 'train_loss', 'val_loss', 'mse_loss', 'loss_total']);
  });

  test('a loss series is indexed by hit count, every point', () => {
    const { r, sent } = recorder([site(0, 49, 'loss')]);
    for (let epoch = 1; epoch <= 300; epoch++) r.probe(0, 0, torch.tensor(100 / epoch));
    r.flush();
    const points = pointsOf(sent);
    assert.equal(points.length, 300);
    points.forEach((p, i) => {
      assert.equal(p.step, i + 1);
      assert.equal(p.source, 'probe');
    });
    assert.equal(points[0]!.value, 100);
    assert.equal(points[299]!.value, Math.fround(100 / 300));
  });

  test('the first point of each series in a batch carries its source line, the others leave it out', () => {
    const { r, sent } = recorder([site(0, 49, 'loss'), site(1, 50, 'val_loss')]);
    for (let epoch = 1; epoch <= 3; epoch++) {
      r.probe(0, 0, 1 / epoch);
      r.probe(0, 1, 2 / epoch);
    }
    r.flush();
    r.probe(0, 0, 0.1);
    r.flush();
    assert.deepEqual(
      pointsOf(sent).map((p) => `${p.series}@${p.step}:${p.location?.line ?? '-'}`),
      ['loss@1:49', 'loss@2:-', 'val_loss@1:50', 'val_loss@2:-', 'loss@3:-', 'val_loss@3:-', 'loss@4:49'],
    );
  });

  test('a loss line that runs once is a value, not a curve', () => {
    const { r, sent } = recorder([site(0, 26, 'loss'), site(1, 38, 'loss'), site(2, 49, 'loss')]);
    r.probe(0, 0, 1763.88);
    r.probe(0, 1, 80.36);
    for (let epoch = 1; epoch <= 5; epoch++) r.probe(0, 2, 80 - epoch);
    r.flush();
    const points = pointsOf(sent);
    assert.deepEqual(points.map((p) => `${p.series}@${p.step}=${p.value}`), ['loss@1=79', 'loss@2=78', 'loss@3=77', 'loss@4=76', 'loss@5=75']);
    assert.equal(r.snapshots().length, 3);
  });

  test('a second repeating line of the same loss name gets its own series, named by line', () => {
    const { r, sent } = recorder([site(0, 41, 'val_loss'), site(1, 39, 'val_loss')]);
    for (let epoch = 1; epoch <= 3; epoch++) {
      r.probe(0, 0, epoch);
      r.probe(0, 1, epoch);
    }
    r.flush();
    assert.deepEqual([...new Set(pointsOf(sent).map((p) => p.series))], ['val_loss', 'val_loss (line 39)']);
  });

  test('logged scalars become points of their tag, source tensorboard', () => {
    const { r, sent } = recorder([]);
    r.scalar('Loss/train', 0, 1.5);
    r.scalar('Loss/train', 1, 1.25);
    r.flush();
    assert.deepEqual(pointsOf(sent), [
      { series: 'Loss/train', step: 0, value: 1.5, source: 'tensorboard' },
      { series: 'Loss/train', step: 1, value: 1.25, source: 'tensorboard' },
    ]);
  });
});

describe('ProbeRecorder warnings', () => {
  test('a probed loss that becomes NaN warns once, with epoch and line', () => {
    const { r, sent } = recorder([site(0, 18, 'loss')]);
    for (let epoch = 1; epoch <= 2000; epoch++) r.probe(0, 0, torch.tensor(epoch < 1234 ? 1 : NaN));
    r.flush();
    const warnings = warningsOf(sent);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.message, 'loss became nan at epoch 1234 (line 18)');
    assert.equal(warnings[0]!.epoch, 1234);
    assert.equal(warnings[0]!.location?.line, 18);
  });

  test('a loss that is NaN on a line that runs once still warns', () => {
    const { r, sent } = recorder([site(0, 27, 'loss')]);
    r.probe(0, 0, NaN);
    r.flush();
    assert.deepEqual(warningsOf(sent).map((w) => w.message), ['loss became nan at epoch 1 (line 27)']);
  });

  test('a diverging loss warns once: learning rate too high?', () => {
    const { r, sent } = recorder([site(0, 24, 'loss')]);
    [1763.88, 5802485.5, 19408035840, Infinity, NaN].forEach((v) => r.probe(0, 0, v));
    r.flush();
    assert.deepEqual(
      warningsOf(sent).map((w) => `${w.kind}@${w.epoch}`),
      ['divergence@2', 'nan@4'],
    );
  });

  test('a name that is not a loss never warns', () => {
    const { r, sent } = recorder([site(0, 5, 'grad_norm')]);
    [1, 1000, NaN].forEach((v) => r.probe(0, 0, v));
    r.flush();
    assert.deepEqual(warningsOf(sent), []);
  });

  test('overfitPatience sets how long val must rise while train falls', () => {
    const { r, sent } = recorder([site(0, 10, 'train_loss'), site(1, 11, 'val_loss')], { overfitPatience: 10 });
    for (let epoch = 1; epoch <= 200; epoch++) {
      r.probe(0, 0, 10 / epoch);
      r.probe(0, 1, 1 + ((epoch - 50) / 25) ** 2);
    }
    r.flush();
    const [w] = warningsOf(sent);
    assert.equal(w!.kind, 'overfitting');
    assert.match(w!.message, /rising for 10 epochs/);
    assert.equal(w!.location?.line, 11);
  });
});

describe('ProbeRecorder flushing', () => {
  test('a flush sends the changed probes, the new points, then the warnings', () => {
    const { r, sent } = recorder([site(0, 3, 'x'), site(1, 4, 'loss')]);
    r.probe(0, 0, 1);
    r.probe(0, 1, 1);
    r.probe(0, 1, NaN);
    r.flush();
    assert.deepEqual(sent.map((e) => e.type), ['probes', 'metric-columns', 'warning']);
    assert.deepEqual(probesOf(sent)[0]!.map((p) => p.name), ['x', 'loss']);
  });

  test('a flush sends only the probes that changed since the last one', () => {
    const { r, sent } = recorder([site(0, 3, 'x'), site(1, 4, 'y')]);
    r.probe(0, 0, 1);
    r.probe(0, 1, 1);
    r.flush();
    r.probe(0, 1, 2);
    r.probe(0, 1, 3);
    r.flush();
    const batches = probesOf(sent);
    assert.equal(batches.length, 2);
    assert.deepEqual(batches[1]!.map((p) => [p.name, p.hits, p.last]), [['y', 3, 3]]);
  });

  test('a flush with nothing new sends nothing', () => {
    const { r, sent } = recorder([site(0, 3, 'x')]);
    r.probe(0, 0, 1);
    r.flush();
    const count = sent.length;
    r.flush();
    assert.equal(sent.length, count);
  });

  test('a synchronous loop flushes on its own once the interval has passed', () => {
    const sent: Sent = [];
    const r = new ProbeRecorder((e) => sent.push(e), { flushIntervalMs: 5 });
    const file = r.registerFile('train.ts', [site(0, 3, 'loss')]);
    const start = performance.now();
    let epoch = 0;
    while (performance.now() - start < 60) r.probe(file, 0, ++epoch);
    assert.ok(probesOf(sent).length >= 2, `flushed ${probesOf(sent).length} times`);
    assert.ok(pointsOf(sent).length > 0);
  });

  test('a running script sends probe snapshots less often when sending them is slow, metrics every time', () => {
    const sent: Sent = [];
    const slowProbes = (e: ChildEvent) => {
      sent.push(e);
      if (e.type === 'probes') {
        const until = performance.now() + 2;
        while (performance.now() < until);
      }
    };
    const r = new ProbeRecorder(slowProbes, { flushIntervalMs: 1 });
    const file = r.registerFile('train.ts', [site(0, 3, 'loss')]);
    const start = performance.now();
    let epoch = 0;
    while (performance.now() - start < 200) r.probe(file, 0, ++epoch);
    const probes = probesOf(sent).length;
    const metrics = sent.filter((e) => e.type === 'metric-columns').length;
    assert.ok(probes >= 1 && probes * 5 < metrics, `${probes} probes events, ${metrics} metrics events`);
    // An explicit flush still sends everything.
    r.flush();
    const last = probesOf(sent).at(-1)![0]!;
    assert.equal(last.hits, epoch);
    assert.equal(pointsOf(sent).length, epoch);
  });

  test('snapshots sent earlier are not changed by later probes', () => {
    const { r, sent } = recorder([site(0, 3, 'x')]);
    r.probe(0, 0, 1);
    r.flush();
    r.probe(0, 0, 2);
    assert.deepEqual(probesOf(sent)[0]![0]!.history, [1]);
  });
});

describe('installProbeGlobal', () => {
  test('instrumented code reports to the recorder through globalThis.__autogradLab', () => {
    const sent: Sent = [];
    const r = new ProbeRecorder((e) => sent.push(e), { flushIntervalMs: 1e9 });
    const lab = installProbeGlobal(r);
    try {
      assert.equal(hostGlobal(), lab);
      const js = 'let loss;\nfor (let epoch = 1; epoch <= 4; epoch++) {\n  loss = 1 / epoch;\n}\n';
      vm.runInThisContext(instrument(js, 'loop.js').code);
      r.flush();
      const [s] = probesOf(sent)[0]!;
      assert.deepEqual([s!.id, s!.hits, s!.last], ['loop.js:3:loss', 4, 0.25]);
      assert.deepEqual(pointsOf(sent).map((p) => p.step), [1, 2, 3, 4]);
    } finally {
      delete (globalThis as { __autogradLab?: unknown }).__autogradLab;
    }
  });
});

describe('installNamingGlobal', () => {
  test('instrumented lines name the tensors and modules they assign, and record nothing', () => {
    installNamingGlobal();
    try {
      const js = 'const t_u = torch.tensor([1, 2]);\nconst model = new nn.Linear(1, 1);\nlet loss = 0.5;\n';
      // The script's globalThis is this one, where the global is installed.
      const sandbox = { torch, nn, globalThis };
      const [t_u, model, loss] = vm.runInNewContext(`${instrument(js, 'train.js').code}\n[t_u, model, loss]`, sandbox) as [Tensor, InstanceType<typeof nn.Linear>, number];
      assert.equal(hooks.tensorName(t_u), 't_u');
      assert.deepEqual(model.named_parameters().map(([, p]) => hooks.tensorName(p)), ['model.weight', 'model.bias']);
      assert.equal(loss, 0.5);
    } finally {
      setHostGlobal(undefined);
    }
  });

  test('a computed tensor keeps no name: the graph shows it as the op that made it', () => {
    const { r } = recorder([site(0, 3, 'loss')]);
    const loss = torch.tensor([1.0, 2.0], { requires_grad: true }).mul(2).sum();
    r.probe(0, 0, loss);
    assert.equal(hooks.tensorName(loss), null);
  });
});

// ------------------------------------------------------------------ the chapter's examples

const ENGINE_URL = pathToFileURL(resolve('src/engine/index.ts')).href;

/** Runs an example in-process, instrumented or not; returns what it printed and what was sent. */
async function runExample(name: string, probes: boolean): Promise<{ out: string; sent: Sent }> {
  const ts = readFileSync(join('examples', 'thermometer', name), 'utf8');
  let js = transform(ts, { transforms: ['typescript'], disableESTransforms: true }).code.replace(/from 'autograd-lab'/g, `from '${ENGINE_URL}'`);
  const sent: Sent = [];
  const r = new ProbeRecorder((e) => sent.push(e), { flushIntervalMs: 50 });
  if (probes) {
    js = instrument(js, name).code;
    installProbeGlobal(r);
  }
  const dir = mkdtempSync(join(tmpdir(), 'agl-probes-'));
  const file = join(dir, name.replace(/\.ts$/, probes ? '.probed.mjs' : '.mjs'));
  writeFileSync(file, js);
  const out: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void out.push(`${args.map(String).join(' ')}\n`);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
    delete (globalThis as { __autogradLab?: unknown }).__autogradLab;
    rmSync(dir, { recursive: true, force: true });
  }
  r.flush();
  return { out: out.join(''), sent };
}

describe('the chapter’s examples, instrumented', () => {
  test('03-sgd prints the book’s output unchanged and its loss curve has 5000 points', async () => {
    const expected = readFileSync(join('test', 'examples', 'thermometer', '03-sgd.expected.txt'), 'utf8');
    const { out, sent } = await runExample('03-sgd.ts', true);
    assert.equal(out, expected);
    const points = pointsOf(sent);
    assert.deepEqual([...new Set(points.map((p) => p.series))], ['loss']);
    assert.equal(points.length, 5000);
    assert.deepEqual(points.map((p) => p.step), Array.from({ length: 5000 }, (_, i) => i + 1));
    assert.ok(points.every((p) => p.location === undefined || p.location.line === 49));
    assert.equal(points[0]!.location?.line, 49);
    assert.ok(Math.abs(points[4999]!.value - 2.927647) < 1e-5);
    assert.deepEqual(warningsOf(sent), []);
  });

  test('05-train-validation prints the book’s output unchanged and warns of overfitting once, at the val line', async () => {
    const expected = readFileSync(join('test', 'examples', 'thermometer', '05-train-validation.expected.txt'), 'utf8');
    const { out, sent } = await runExample('05-train-validation.ts', true);
    assert.equal(out, expected);
    const warnings = warningsOf(sent);
    assert.equal(warnings.length, 1);
    const [w] = warnings;
    assert.equal(w!.kind, 'overfitting');
    assert.equal(w!.location?.line, 55);
    assert.ok(w!.epoch! > 600 && w!.epoch! < 800, `epoch ${w!.epoch}`);
    const series = new Map<string, number>();
    for (const p of pointsOf(sent)) series.set(p.series, (series.get(p.series) ?? 0) + 1);
    assert.deepEqual([...series], [['train_loss', 3000], ['val_loss', 3000]]);
  });

  test('the last probe snapshot of a loss line holds the run’s last value and a full history', async () => {
    const { sent } = await runExample('03-sgd.ts', true);
    const last = new Map<string, ProbeSnapshot>();
    for (const batch of probesOf(sent)) for (const s of batch) last.set(s.id, s);
    const loss = last.get('03-sgd.ts:49:loss')!;
    assert.equal(loss.hits, 5000);
    assert.ok(Math.abs(loss.last - 2.927647) < 1e-5);
    assert.ok(loss.history.length <= PROBE_HISTORY_LIMIT && loss.history.length > 1000);
    assert.equal(loss.history[0], loss.first);
    assert.ok(loss.min <= loss.last && loss.max === loss.first);
  });
});
