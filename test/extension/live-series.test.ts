import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelFeed } from '../../src/extension/panel-feed.js';
import { StatusModel } from '../../src/extension/status-model.js';
import type { MetricPoint, RunEvent } from '../../src/protocol/run-events.js';
import { ShownCurves } from '../../webview/curves-model.js';
import { SeriesColumns, type Point } from '../../src/series/columns.js';
import { findPairs, overfitMarker } from '../../src/series/overfitting.js';
import { bucketPoints, decimateWire, LiveCurves, MAX_BUCKETS, SeriesLod, trendPoints } from '../../src/extension/live-series.js';
import { GRAPH_HISTORY_LIMIT, type SeriesUpdate, type ToWebview } from '../../src/protocol/panel-messages.js';
import { recordedEvents } from './fixture.js';

function columnsOf(values: readonly number[], firstStep = 1): SeriesColumns {
  const c = new SeriesColumns();
  values.forEach((v, i) => c.push(firstStep + i, v));
  return c;
}

/** A noisy falling loss, n points from step 1. */
function noisyLoss(n: number, seed = 1): number[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => 1 / Math.sqrt(i + 1) + rand() * 0.05);
}

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
        shown.apply({ loss: u }, []);
      }
    }
  }
  return { shown, updates };
}

test('a short series reaches the webview whole, each update appending what is new', () => {
  const values = noisyLoss(3000);
  const { shown, updates } = stream(values, 100);
  assert.equal(updates.length, 30);
  updates.forEach((u, k) => {
    assert.equal(u.stride, 1);
    assert.equal(u.from, k * 100);
    assert.equal(u.points.length, 100);
  });
  const s = shown.series.get('loss')!;
  assert.equal(s.total, 3000);
  assert.deepEqual(s.points, values.map((y, i) => ({ x: i + 1, y })));
});

test('a long series is sent as min–max buckets: bounded, with its true count, extremes and newest point', () => {
  const values = noisyLoss(1_000_000);
  const { shown, updates } = stream(values, 20_000);
  const s = shown.series.get('loss')!;
  assert.equal(s.total, 1_000_000);
  assert.ok(s.points.length <= 2 * MAX_BUCKETS + 2, `${s.points.length} points in the webview`);
  for (const u of updates) assert.ok(u.points.length <= 2 * MAX_BUCKETS + 2, `an update of ${u.points.length} points`);
  const lowest = (ys: readonly number[]) => ys.reduce((a, b) => Math.min(a, b), Infinity);
  const highest = (ys: readonly number[]) => ys.reduce((a, b) => Math.max(a, b), -Infinity);
  const ys = s.points.map((p) => p.y);
  assert.equal(lowest(ys), lowest(values));
  assert.equal(highest(ys), highest(values));
  assert.deepEqual(s.points[s.points.length - 1], { x: 1_000_000, y: values[values.length - 1] });
  assert.ok(s.points.every((p, i) => i === 0 || p.x > s.points[i - 1]!.x), 'the points stay in step order');
});

test('streamed updates leave the webview with exactly what one update of the whole series gives', () => {
  const values = noisyLoss(50_000, 7);
  const streamed = stream(values, 777, 1000).shown.series.get('loss')!;
  const once = stream(values, values.length, 1000).shown.series.get('loss')!;
  assert.deepEqual(streamed.points, once.points);
});

test('a bucket keeps its lowest and highest point in step order, and a NaN so the line still breaks', () => {
  const c = columnsOf([5, 1, 7, NaN, 3, 4]);
  assert.deepEqual(bucketPoints(c, 0, 6, false), [[2, 1], [3, 7], [4, 'NaN']]);
  assert.deepEqual(bucketPoints(c, 0, 6, true), [[2, 1], [3, 7], [4, 'NaN'], [6, 4]]);
  assert.deepEqual(bucketPoints(c, 4, 6, false), [[5, 3], [6, 4]], 'two points are both kept');
});

test('an earlier run’s series for the overlay is cut down to the bucket cap', () => {
  const wire = noisyLoss(100_000).map((y, i): [number, number] => [i + 1, y]);
  const out = decimateWire(wire, 500);
  assert.ok(out.length <= 2 * 500 + 2 && out.length > 500, `${out.length} points`);
  assert.deepEqual(decimateWire(wire.slice(0, 300), 500), wire.slice(0, 300));
});

test('LiveCurves continues a series whose step goes back as a new series', () => {
  const curves = new LiveCurves();
  for (const x of [1, 2, 3]) curves.add('loss', x, 1 / x);
  assert.equal(curves.add('loss', 1, 9), 'loss (2)');
  assert.equal(curves.add('loss', 2, 8), 'loss (2)');
  assert.deepEqual([...curves.series].map(([name, c]) => [name, c.length]), [['loss', 3], ['loss (2)', 2]]);
});

test('LiveCurves finds the overfitting marker on every point, as overfitMarker does on the whole run', () => {
  const curves = new LiveCurves();
  const all: Record<string, Point[]> = {};
  let seen = curves.markers();
  let n = 0;
  for (const e of recordedEvents()) {
    if (e.type !== 'metrics') continue;
    for (const p of e.points) {
      curves.add(p.series, p.step, p.value);
      (all[p.series] ??= []).push({ x: p.step, y: p.value });
      if (++n % 500 === 0) seen = curves.markers();
    }
  }
  seen = curves.markers();
  const [pair] = findPairs(Object.keys(all));
  const expected = overfitMarker(all[pair!.train]!, all[pair!.val]!, pair!);
  assert.ok(expected, 'the fixture overfits');
  assert.deepEqual(seen, [expected]);
});

/** A run of `epochs` epochs with train and validation loss, in metrics events of `batch` epochs. */
function fastRun(epochs: number, batch: number): RunEvent[] {
  const runId = 'fast';
  const events: RunEvent[] = [{ type: 'run-started', runId, seq: 0, time: 0, script: '/w/fast.ts', language: 'typescript', engineVersion: 'test', startedAt: '2026-01-01T00:00:00.000Z', protocolVersion: 1 }];
  const train = noisyLoss(epochs, 3);
  const val = noisyLoss(epochs, 4);
  for (let start = 0; start < epochs; start += batch) {
    const points: MetricPoint[] = [];
    for (let i = start; i < Math.min(epochs, start + batch); i++) {
      points.push({ series: 'train_loss', step: i + 1, value: train[i]!, source: 'probe' });
      points.push({ series: 'val_loss', step: i + 1, value: val[i]!, source: 'probe' });
    }
    events.push({ type: 'metrics', points, runId, seq: events.length, time: events.length });
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
      largest = Math.max(largest, ...Object.values(m.series).map((u) => u.points.length));
      shown.apply(m.series, m.markers);
    }
  }
  assert.ok(largest <= 2 * MAX_BUCKETS + 2, `the largest update carried ${largest} points of a series`);
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

test('a reloaded webview gets the whole series again from the replay, not only what is new', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = fastRun(3000, 1000);
  for (const e of events.slice(0, 3)) feed.onEvent(e);
  feed.drain();
  const replay = metricsOf(feed.replay());
  assert.equal(replay[0]!.series.train_loss!.from, 0);
  assert.equal(replay[0]!.series.train_loss!.points.length, 2000);
});

test('while nobody drains (the panel is closed), only the newest graph snapshots wait', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = recordedEvents();
  const graph = events.find((e) => e.type === 'graph')!;
  assert.ok(graph.type === 'graph');
  feed.load(events.filter((e) => e.type !== 'graph' && e.type !== 'run-finished'));
  for (let k = 1; k <= GRAPH_HISTORY_LIMIT * 10; k++) feed.onEvent({ ...graph, snapshot: { ...graph.snapshot, backwardIndex: k } });
  const drained = feed.drain().flatMap((m) => (m.type === 'graph' ? [m.snapshot.backwardIndex] : []));
  assert.deepEqual(drained, Array.from({ length: GRAPH_HISTORY_LIMIT }, (_, i) => GRAPH_HISTORY_LIMIT * 9 + 1 + i));
});

test('the webview reports the true count and trend of a bucketed series', () => {
  const shown = new ShownCurves();
  shown.apply({ loss: { total: 1_000_000, stride: 512, from: 0, points: [[1, 3], [600, 'NaN'], [1_000_000, 0.5]], last: 0.5, previous: 0.4 } }, []);
  assert.equal(shown.total, 1_000_000);
  assert.deepEqual(shown.trend('loss'), { last: 0.5, direction: 'up' });
  assert.ok(Number.isNaN(shown.series.get('loss')!.points[1]!.y));
  assert.ok(shown.series.get('loss')!.span > 300000);
});

test('the status bar given only the points that decide the trend ends as given every point', () => {
  const points: MetricPoint[] = [];
  const values = noisyLoss(5000, 9);
  values.forEach((v, i) => {
    points.push({ series: 'val_loss', step: i + 1, value: v + 0.1, source: 'probe' });
    if (i >= 10) points.push({ series: 'train_loss', step: i + 1, value: v, source: 'probe' });
    if (i % 7 === 0) points.push({ series: 'lr', step: i + 1, value: 0.1, source: 'tensorboard' });
  });
  for (const batch of [points.slice(0, 15), points.slice(15, 4000), points.slice(4000)]) {
    const thinned = trendPoints(batch);
    assert.ok(thinned.length <= 9);
    const all = new StatusModel();
    const few = new StatusModel();
    all.observe(points.slice(0, points.indexOf(batch[0]!)));
    few.observe(points.slice(0, points.indexOf(batch[0]!)));
    all.observe(batch);
    few.observe(thinned);
    assert.equal(few.text(true), all.text(true));
  }
});
