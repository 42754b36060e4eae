// The one series model: columns, the split rule, min-max decimation and EMA smoothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeriesColumns, SeriesNames, SeriesSet } from '../../src/series/columns.js';
import { bucketPicks, decimate } from '../../src/series/decimation.js';
import { IncrementalEma, smoothEma } from '../../src/series/smoothing.js';
import { batchOf } from '../metric-points.js';

test('SeriesColumns grows past its first capacity and views its columns without copying', () => {
  const c = new SeriesColumns();
  for (let i = 0; i < 1000; i++) c.push(i + 1, 1 / (i + 1));
  assert.equal(c.length, 1000);
  assert.equal(c.steps.length, 1000);
  assert.deepEqual([c.steps[999], c.values[999]], [1000, 1 / 1000]);
});

test('a series whose step goes back continues as `name (2)`, then `name (3)`', () => {
  const names = new SeriesNames();
  assert.deepEqual([1, 2, 3].map((s) => names.of('loss', s)), ['loss', 'loss', 'loss']);
  assert.deepEqual([1, 2].map((s) => names.of('loss', s)), ['loss (2)', 'loss (2)']);
  assert.equal(names.of('loss', 2), 'loss (3)', 'a repeated step starts a new series too');
  assert.equal(names.of('val_loss', 1), 'val_loss', 'each name splits on its own');
});

test('SeriesSet keeps each series sorted by step, split by the rule, in order of first appearance', () => {
  const set = new SeriesSet();
  const changed = set.addBatch(batchOf([['loss', 1, 3], ['val_loss', 1, 4], ['loss', 2, 2], ['loss', 1, 5], ['loss', 2, 4]]));
  assert.deepEqual([...changed], ['loss', 'val_loss', 'loss (2)']);
  assert.deepEqual([...set.series.keys()], ['loss', 'val_loss', 'loss (2)']);
  assert.deepEqual([...set.series.get('loss (2)')!.steps], [1, 2]);
  assert.deepEqual([...set.series.get('loss (2)')!.values], [5, 4]);
  assert.equal(set.add('loss', 3, 1), 'loss (2)', 'points continue where the name went last');
});

test('a bucket is drawn by its first, lowest, highest and last point, and its first NaN', () => {
  const picks: number[] = [];
  bucketPicks([5, 1, 7, NaN, 3, 4, 6], 0, 7, picks);
  assert.deepEqual(picks, [0, 1, 2, 3, 6]);
  const two: number[] = [];
  bucketPicks([5, 1, 7, NaN, 3, 4, 6], 4, 6, two);
  assert.deepEqual(two, [4, 5], 'two points are both kept');
  const inf: number[] = [];
  bucketPicks([1, Infinity, 2, 3], 0, 4, inf);
  assert.deepEqual(inf, [0, 1, 3], 'an Infinity is kept, not taken for the highest value');
});

test('decimate keeps spikes and bounds the point count', () => {
  const ys = Array.from({ length: 100_000 }, (_, i) => Math.exp(-i / 20_000));
  ys[54_321] = 50;
  const out = decimate(ys, 500);
  assert.ok(out.length <= 2000, `got ${out.length}`);
  assert.ok(out.includes(54_321), 'the spike survives');
  assert.equal(out[0], 0);
  assert.equal(out.at(-1), 99_999);
  for (let i = 1; i < out.length; i++) assert.ok(out[i]! > out[i - 1]!, 'in step order');
  assert.deepEqual(decimate([1, 2, 3], 500), [0, 1, 2], 'few points are all kept');
});

test('smoothEma is TensorBoard’s debiased EMA: the first point is kept, constants stay constant', () => {
  const s = smoothEma([10, 0, 0], 0.6);
  assert.equal(s[0], 10);
  // second: (0.6*0.4*10 + 0) / (1 - 0.36) = 2.4 / 0.64
  assert.ok(Math.abs(s[1]! - 2.4 / 0.64) < 1e-12);
  assert.deepEqual(Array.from(smoothEma([3, 3, 3, 3], 0.9), (y) => Math.round(y * 1e9) / 1e9), [3, 3, 3, 3]);
  const raw = [1, 2];
  assert.equal(smoothEma(raw, 0), raw, 'no smoothing draws the values themselves');
});

test('smoothEma passes NaN and Infinity through without poisoning the average', () => {
  const s = smoothEma([1, NaN, 1, Infinity, 1], 0.6);
  assert.ok(Number.isNaN(s[1]!));
  assert.equal(s[3], Infinity);
  assert.ok(Math.abs(s[4]! - 1) < 1e-12);
});

test('IncrementalEma fed in chunks equals smoothEma of the whole series', () => {
  const ys = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 30) + (i === 500 ? NaN : 0) + 2);
  const values: number[] = [];
  const ema = new IncrementalEma();
  let out: ArrayLike<number> = [];
  for (let i = 0; i < ys.length; i += 137) {
    values.push(...ys.slice(i, i + 137));
    out = ema.update(values, 0.6);
  }
  assert.deepEqual(Array.from(out), Array.from(smoothEma(values, 0.6)));
});

test('IncrementalEma starts over when the weight changes or the values are replaced', () => {
  const ema = new IncrementalEma();
  const a = [10, 0, 0];
  ema.update(a, 0.6);
  assert.deepEqual(ema.update(a, 0.3), smoothEma(a, 0.3));
  const b = [1, 1];
  assert.deepEqual(ema.update(b, 0.3), smoothEma(b, 0.3));
});
