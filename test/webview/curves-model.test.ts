import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CurveModel, displayPoints } from '../../webview/curves-model.js';
import type { Point } from '../../src/series/columns.js';
import { curvesToCsv } from '../../src/series/csv.js';
import { decimateMinMax, forLogScale } from '../../src/series/decimation.js';
import { findPairs, overfitMarker, RULE_TWO } from '../../src/series/overfitting.js';
import { IncrementalEma, smoothEma } from '../../src/series/smoothing.js';

const pts = (ys: number[]): Point[] => ys.map((y, i) => ({ x: i + 1, y }));

test('smoothEma is TensorBoard’s debiased EMA: the first point is kept, constants stay constant', () => {
  const s = smoothEma(pts([10, 0, 0]), 0.6);
  assert.equal(s[0]!.y, 10);
  // second: (0.6*0.4*10 + 0) / (1 - 0.36) = 2.4 / 0.64
  assert.ok(Math.abs(s[1]!.y - 2.4 / 0.64) < 1e-12);
  assert.deepEqual(smoothEma(pts([3, 3, 3, 3]), 0.9).map((p) => Math.round(p.y * 1e9) / 1e9), [3, 3, 3, 3]);
  assert.deepEqual(smoothEma(pts([1, 2]), 0), pts([1, 2]));
});

test('smoothEma passes NaN and Infinity through without poisoning the average', () => {
  const s = smoothEma(pts([1, NaN, 1, Infinity, 1]), 0.6);
  assert.ok(Number.isNaN(s[1]!.y));
  assert.equal(s[3]!.y, Infinity);
  assert.ok(Math.abs(s[4]!.y - 1) < 1e-12);
});

test('decimateMinMax keeps spikes and bounds the point count', () => {
  const ys = Array.from({ length: 100_000 }, (_, i) => Math.exp(-i / 20_000));
  ys[54_321] = 50;
  const out = decimateMinMax(pts(ys), 500);
  assert.ok(out.length <= 2000, `got ${out.length}`);
  assert.ok(out.some((p) => p.y === 50), 'the spike survives');
  assert.equal(out[0]!.x, 1);
  assert.equal(out[out.length - 1]!.x, 100_000);
  for (let i = 1; i < out.length; i++) assert.ok(out[i]!.x > out[i - 1]!.x, 'sorted by x');
  const few = pts([1, 2, 3]);
  assert.equal(decimateMinMax(few, 500), few);
});

test('displayPoints of 100k points draws at most 4 points per bucket (time printed, not asserted)', () => {
  const points = pts(Array.from({ length: 100_000 }, (_, i) => 1 / (i + 1) + (i % 7) * 0.001));
  const t0 = performance.now();
  const out = displayPoints(points, { smoothing: 0.6, logScale: true, buckets: 800 });
  console.log(`# displayPoints: 100k points → ${out.length} in ${(performance.now() - t0).toFixed(1)} ms`);
  assert.ok(out.length > 800 && out.length <= 3200, `${out.length} points`);
  assert.equal(out[0]!.x, 1);
  assert.equal(out[out.length - 1]!.x, 100_000);
});

test('IncrementalEma fed in chunks equals smoothEma of the whole series', () => {
  const ys = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 30) + (i === 500 ? NaN : 0) + 2);
  const series: Point[] = [];
  const ema = new IncrementalEma();
  let out: readonly Point[] = [];
  for (let i = 0; i < ys.length; i += 137) {
    for (const y of ys.slice(i, i + 137)) series.push({ x: series.length + 1, y });
    out = ema.update(series, 0.6);
  }
  const whole = smoothEma(series, 0.6);
  assert.equal(out.length, whole.length);
  for (let i = 0; i < whole.length; i++) assert.ok(Object.is(out[i]!.y, whole[i]!.y) || Math.abs(out[i]!.y - whole[i]!.y) < 1e-12, `point ${i}`);
});

test('IncrementalEma starts over when the weight changes or the series is replaced', () => {
  const ema = new IncrementalEma();
  const a = pts([10, 0, 0]);
  ema.update(a, 0.6);
  assert.deepEqual(ema.update(a, 0.3), smoothEma(a, 0.3));
  const b = pts([1, 1]);
  assert.deepEqual(ema.update(b, 0.3), smoothEma(b, 0.3));
  assert.equal(ema.update(b, 0), b, 'no smoothing draws the points themselves');
});

test('CurveModel finds the same overfitting marker incrementally as over the whole run', () => {
  const n = 4000;
  const train = (i: number) => 10 / (i + 1);
  const val = (i: number) => 5 + Math.pow((i + 1 - 2500) / 300, 2);
  const m = new CurveModel();
  let seen = m.markers();
  for (let i = 0; i < n; i++) {
    m.add('train_loss', i + 1, train(i));
    m.add('val_loss', i + 1, val(i));
    if (i % 250 === 0) seen = m.markers();
  }
  seen = m.markers();
  const whole = overfitMarker(m.series.get('train_loss')!, m.series.get('val_loss')!, { key: 'loss', train: 'train_loss', val: 'val_loss' });
  assert.ok(whole, 'the whole-run scan finds the turn');
  assert.deepEqual(seen, [whole]);
});

test('CurveModel waits for a validation point’s training point before scanning it', () => {
  const m = new CurveModel();
  for (let i = 1; i <= 300; i++) m.add('val_loss', i, i < 100 ? 5 - i / 100 : 4 + (i - 100) / 10);
  assert.deepEqual(m.markers(), [], 'no training loss yet: nothing to compare');
  for (let i = 1; i <= 300; i++) m.add('train_loss', i, 10 / i);
  const [marker] = m.markers();
  assert.ok(marker);
  assert.ok(marker.step >= 95 && marker.step <= 110, `turns up at ${marker.step}`);
});

test('forLogScale drops values a log axis cannot draw', () => {
  assert.deepEqual(forLogScale(pts([1, 0, -1, NaN, 2])).map((p) => p.x), [1, 5]);
});

test('findPairs pairs train/val series as the runner does', () => {
  assert.deepEqual(findPairs(['train_loss', 'val_loss']), [{ key: 'loss', train: 'train_loss', val: 'val_loss' }]);
  assert.deepEqual(findPairs(['loss', 'val_loss']), [{ key: 'loss', train: 'loss', val: 'val_loss' }]);
  assert.deepEqual(findPairs(['loss']), []);
});

test('overfitMarker marks where validation turns up while training keeps falling, with rule two', () => {
  const n = 400;
  const train = pts(Array.from({ length: n }, (_, i) => 10 / (i + 1)));
  const val = pts(Array.from({ length: n }, (_, i) => 5 + Math.pow((i + 1 - 150) / 50, 2)));
  const m = overfitMarker(train, val, { key: 'loss', train: 'train_loss', val: 'val_loss' });
  assert.ok(m);
  assert.ok(m.step >= 140 && m.step <= 175, `turning point at ${m.step}`);
  assert.ok(m.firedAt > m.step);
  assert.ok(m.tooltip.includes(RULE_TWO));
  assert.equal(overfitMarker(train, pts(Array.from({ length: n }, (_, i) => 8 / (i + 1))), { key: 'loss', train: 'train_loss', val: 'val_loss' }), null);
});

test('CurveModel: a step going back starts a new series, so each stays sorted', () => {
  const m = new CurveModel();
  m.add('loss', 1, 3);
  m.add('loss', 2, 2);
  m.add('loss', 1, 5);
  m.add('loss', 2, 4);
  assert.deepEqual([...m.series.keys()], ['loss', 'loss (2)']);
  assert.deepEqual(m.trend('loss (2)'), { last: 4, direction: 'down' });
  assert.deepEqual(m.trend('loss'), { last: 2, direction: 'down' });
  m.add('loss', 3, 4.5);
  assert.deepEqual(m.trend('loss (2)'), { last: 4.5, direction: 'up' });
});

test('curvesToCsv writes one row per step with empty cells for missing points', () => {
  const csv = curvesToCsv(new Map([['loss', pts([3, 2])], ['val,loss', [{ x: 2, y: 1.5 }]]]));
  assert.equal(csv, 'step,loss,"val,loss"\n1,3,\n2,2,1.5\n');
});
