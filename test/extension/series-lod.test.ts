import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelFeed } from '../../src/extension/panel-feed.js';
import type { MetricSeries, RunEvent } from '../../src/protocol/run-events.js';
import { ShownCurves } from '../../webview/curves-model.js';
import { SeriesColumns, SeriesSet, type SeriesBatch } from '../../src/series/columns.js';
import { lodOfAll, MAX_BUCKETS, SeriesLod } from '../../src/extension/series-lod.js';
import { GRAPH_HISTORY_LIMIT, type SeriesUpdate, type ToWebview } from '../../src/protocol/panel-messages.js';
import { feedWithoutGraphs } from './fixture.js';

/** A noisy falling loss, n points from step 1. */
function noisyLoss(n: number, seed = 1): number[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => 1 / Math.sqrt(i + 1) + rand() * 0.05);
}

/** At most this many points of a series reach the webview: 5 a bucket (first, min, max, last, a NaN). */
const MAX_SHOWN = 5 * MAX_BUCKETS + 5;

/** Feeds a series to a SeriesLod in chunks; the webview's ShownCurves gets every update. */
function stream(values: readonly number[], chunk: number, maxBuckets = MAX_BUCKETS): { shown: ShownCurves; updates: SeriesUpdate[] } {
  const columns = new SeriesColumns();
  const lod = new SeriesLod(maxBuckets);
  const shown = new ShownCurves();
  const updates: SeriesUpdate[] = [];
  for (let i = 0; i < values.length; i++) {
    columns.push(i + 1, values[i]!);
    if ((i + 1) % chunk === 0 || i === values.length - 1) {
      const u = lod.update(columns);
      if (u) {
        updates.push(u);
        shown.apply({ loss: u });
      }
    }
  }
  return { shown, updates };
}

test('a short series reaches the webview whole, each update appending what is new', () => {
  const values = noisyLoss(1500);
  const { shown, updates } = stream(values, 100);
  assert.equal(updates.length, 15);
  updates.forEach((u, k) => {
    assert.equal(u.stride, 1);
    assert.equal(u.from, k * 100);
    assert.equal(u.steps.length, 100);
  });
  const s = shown.series.get('loss')!;
  assert.equal(s.total, 1500);
  assert.deepEqual(s.steps, values.map((_, i) => i + 1));
  assert.deepEqual(s.values, values);
});

test('a long series is sent as min–max buckets: bounded, with its true count, extremes and newest point', () => {
  const values = noisyLoss(1_000_000);
  const { shown, updates } = stream(values, 20_000);
  const s = shown.series.get('loss')!;
  assert.equal(s.total, 1_000_000);
  assert.ok(s.steps.length <= MAX_SHOWN, `${s.steps.length} points in the webview`);
  for (const u of updates) assert.ok(u.steps.length <= MAX_SHOWN, `an update of ${u.steps.length} points`);
  const lowest = (ys: readonly number[]) => ys.reduce((a, b) => Math.min(a, b), Infinity);
  const highest = (ys: readonly number[]) => ys.reduce((a, b) => Math.max(a, b), -Infinity);
  assert.equal(lowest(s.values), lowest(values));
  assert.equal(highest(s.values), highest(values));
  assert.deepEqual([s.steps.at(-1), s.values.at(-1)], [1_000_000, values.at(-1)]);
  assert.ok(s.steps.every((x, i) => i === 0 || x > s.steps[i - 1]!), 'the points stay in step order');
});

test('streamed updates leave the webview with exactly what one update of the whole series gives', () => {
  const values = noisyLoss(50_000, 7);
  const streamed = stream(values, 777, 1000).shown.series.get('loss')!;
  const once = stream(values, values.length, 1000).shown.series.get('loss')!;
  assert.deepEqual([streamed.steps, streamed.values], [once.steps, once.values]);
});

test('a NaN in a bucketed series still reaches the webview', () => {
  const values = noisyLoss(100_000);
  values[54_321] = NaN;
  const s = stream(values, 10_000, 500).shown.series.get('loss')!;
  assert.ok(s.values.some(Number.isNaN));
  assert.equal(s.steps[s.values.findIndex(Number.isNaN)], 54_322);
});

test('an earlier run’s series for the overlay are cut down to the bucket cap, whole', () => {
  const curves = new SeriesSet();
  noisyLoss(100_000).forEach((y, i) => curves.add('loss', i + 1, y));
  noisyLoss(300).forEach((y, i) => curves.add('val_loss', i + 1, y));
  const out = lodOfAll(curves, 500);
  assert.deepEqual(Object.keys(out), ['loss', 'val_loss']);
  assert.ok(out.loss!.steps.length <= 5 * 500 + 5 && out.loss!.steps.length > 500, `${out.loss!.steps.length} points`);
  assert.equal(out.loss!.from, 0);
  assert.equal(out.loss!.total, 100_000);
  assert.deepEqual(out.val_loss!.values, noisyLoss(300));
});

/** One metrics event of a run, from point tuples. */
function metricsEvent(runId: string, seq: number, points: [string, number, number][]): RunEvent {
  const batch: SeriesBatch<MetricSeries> = { series: [], index: [], steps: [], values: [] };
  for (const [name, step, value] of points) {
    let k = batch.series.findIndex((s) => s.name === name);
    if (k < 0) k = batch.series.push({ name, source: 'probe' }) - 1;
    batch.index.push(k);
    batch.steps.push(step);
    batch.values.push(value);
  }
  return { type: 'metrics', ...batch, runId, seq, time: seq };
}

/** A run of `epochs` epochs with train and validation loss, in metrics events of `batch` epochs. */
function fastRun(epochs: number, batch: number): RunEvent[] {
  const runId = 'fast';
  const events: RunEvent[] = [{ type: 'run-started', runId, seq: 0, time: 0, script: '/w/fast.ts', language: 'typescript', engineVersion: 'test', startedAt: '2026-01-01T00:00:00.000Z', protocolVersion: 2 }];
  const train = noisyLoss(epochs, 3);
  const val = noisyLoss(epochs, 4);
  for (let start = 0; start < epochs; start += batch) {
    const points: [string, number, number][] = [];
    for (let i = start; i < Math.min(epochs, start + batch); i++) points.push(['train_loss', i + 1, train[i]!], ['val_loss', i + 1, val[i]!]);
    events.push(metricsEvent(runId, events.length, points));
  }
  events.push({ type: 'run-finished', status: 'stopped', exitCode: null, durationMs: 1, runId, seq: events.length, time: events.length });
  return events;
}

const metricsOf = (messages: readonly ToWebview[]) => messages.filter((m): m is Extract<ToWebview, { type: 'metrics' }> => m.type === 'metrics');

test('the panel feed coalesces every event between two drains into one metrics message, the run’s end last', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = fastRun(10_000, 500);
  for (const e of events) feed.onEvent(e);
  const out = feed.drain();
  assert.deepEqual(out.map((m) => m.type), ['run-start', 'metrics', 'run-end']);
  const [metrics] = metricsOf(out);
  assert.deepEqual(Object.keys(metrics!.series), ['train_loss', 'val_loss']);
  assert.equal(metrics!.series.train_loss!.total, 10_000);
  assert.deepEqual(feed.drain(), []);
  assert.equal(feed.hasPending, false);
});

test('a fast run reaches the panel in bounded messages that still count every point', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const shown = new ShownCurves();
  let largest = 0;
  for (const e of fastRun(400_000, 20_000)) {
    feed.onEvent(e);
    for (const m of metricsOf(feed.drain())) {
      largest = Math.max(largest, ...Object.values(m.series).map((u) => u.steps.length));
      shown.apply(m.series);
    }
  }
  assert.ok(largest <= MAX_SHOWN, `the largest update carried ${largest} points of a series`);
  assert.equal(shown.series.get('train_loss')!.total, 400_000);
  assert.equal(shown.series.get('val_loss')!.total, 400_000);
  assert.equal(shown.total, 800_000);
});

test('CSV export of a fast run comes from the host and holds every point', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  for (const e of fastRun(30_000, 5000)) feed.onEvent(e);
  feed.drain();
  const lines = feed.curvesCsv()!.trim().split('\n');
  assert.equal(lines[0], 'step,train_loss,val_loss');
  assert.equal(lines.length - 1, 30_000);
  assert.equal(new PanelFeed({ smoothing: 0.6 }).curvesCsv(), null, 'no run, no CSV');
});

test('the panel feed continues a series whose step goes back as a new series, in the chart and the CSV', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const [started] = fastRun(1, 1);
  feed.onEvent(started!);
  feed.onEvent(metricsEvent('fast', 1, [['loss', 1, 3], ['loss', 2, 2], ['loss', 1, 5], ['loss', 2, 4]]));
  const [metrics] = metricsOf(feed.drain());
  assert.deepEqual(Object.keys(metrics!.series), ['loss', 'loss (2)']);
  assert.deepEqual(metrics!.series['loss (2)']!.values, [5, 4]);
  assert.equal(feed.curvesCsv(), 'step,loss,loss (2)\n1,3,5\n2,2,4\n');
});

test('a reloaded webview gets the whole series again from the replay, not only what is new', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = fastRun(3000, 1000);
  for (const e of events.slice(0, 3)) feed.onEvent(e);
  feed.drain();
  const replay = metricsOf(feed.replay());
  assert.equal(replay[0]!.series.train_loss!.from, 0);
  assert.equal(replay[0]!.series.train_loss!.steps.length, 2000);
});

test('while nobody drains (the panel is closed), only the newest graph snapshots wait', () => {
  const { feed, graph } = feedWithoutGraphs();
  for (let k = 1; k <= GRAPH_HISTORY_LIMIT * 10; k++) feed.onEvent({ ...graph, snapshot: { ...graph.snapshot, backwardIndex: k } });
  const drained = feed.drain().flatMap((m) => (m.type === 'graph' ? [m.snapshot.backwardIndex] : []));
  assert.deepEqual(drained, Array.from({ length: GRAPH_HISTORY_LIMIT }, (_, i) => GRAPH_HISTORY_LIMIT * 9 + 1 + i));
});

test('the webview reports the true count and trend of a bucketed series', () => {
  const shown = new ShownCurves();
  shown.apply({ loss: { total: 1_000_000, stride: 512, from: 0, steps: [1, 600, 1_000_000], values: [3, NaN, 0.5], last: 0.5, previous: 0.4 } });
  assert.equal(shown.total, 1_000_000);
  assert.deepEqual(shown.trend('loss'), { last: 0.5, direction: 'up' });
  assert.ok(Number.isNaN(shown.series.get('loss')!.values[1]!));
  assert.ok(shown.series.get('loss')!.span > 300000);
});

test('the webview keeps what it has of a series when buckets are rewritten from `from` on', () => {
  const shown = new ShownCurves();
  shown.apply({ loss: { total: 3, stride: 1, from: 0, steps: [1, 2, 3], values: [9, 8, 7], last: 7, previous: 8 } });
  shown.apply({ loss: { total: 4, stride: 2, from: 1, steps: [4], values: [6], last: 6, previous: 7 } });
  assert.deepEqual(shown.series.get('loss')!.steps, [1, 4]);
  assert.deepEqual(shown.series.get('loss')!.values, [9, 6]);
});
