import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayPoints, overfitMarker } from '../../webview/curves-model.js';
import { IncrementalEma, smoothEma } from '../../src/series/smoothing.js';
import { recordedCurves } from '../../src/runner/records.js';
import { RULE_TWO } from '../../src/series/overfitting.js';
import { recordedEvents, recordedEventsV1 } from '../extension/fixture.js';

const steps = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('displayPoints turns columns into chart points: smoothed, in step order', () => {
  const ys = [10, 0, 0];
  const smoothed = smoothEma(ys, 0.6);
  assert.deepEqual(displayPoints(steps(3), ys, { smoothing: 0.6, logScale: false, buckets: 800 }), [0, 1, 2].map((i) => ({ x: i + 1, y: smoothed[i] })));
  assert.deepEqual(displayPoints(steps(3), ys, { smoothing: 0, logScale: false, buckets: 800 }), [{ x: 1, y: 10 }, { x: 2, y: 0 }, { x: 3, y: 0 }]);
});

test('displayPoints of 100k points draws at most 4 points per bucket (time printed, not asserted)', () => {
  const ys = Array.from({ length: 100_000 }, (_, i) => 1 / (i + 1) + (i % 7) * 0.001);
  const t0 = performance.now();
  const out = displayPoints(steps(ys.length), ys, { smoothing: 0.6, logScale: true, buckets: 800 });
  console.log(`# displayPoints: 100k points → ${out.length} in ${(performance.now() - t0).toFixed(1)} ms`);
  assert.ok(out.length > 800 && out.length <= 3200, `${out.length} points`);
  assert.equal(out[0]!.x, 1);
  assert.equal(out.at(-1)!.x, 100_000);
});

test('on a log scale, values the axis cannot draw are left out, not plotted at −∞', () => {
  const out = displayPoints(steps(5), [1, 0, -1, NaN, 2], { smoothing: 0, logScale: true, buckets: 800 });
  assert.deepEqual(out.map((p) => p.x), [1, 5]);
});

test('a bucketed point weighs in the smoothing as the points it stands for', () => {
  const ys = [10, 0, 0, 0];
  const ema = new IncrementalEma();
  const spanned = displayPoints(steps(4), ys, { smoothing: 0.5, logScale: false, buckets: 800, span: 2 }, ema);
  assert.deepEqual(spanned.map((p) => p.y), Array.from(smoothEma(ys, 0.25)));
});

test('the overfitting marker sits where the run’s warning says validation was lowest, with its text', () => {
  const events = recordedEvents();
  const warning = events.find((e) => e.type === 'warning' && e.kind === 'overfitting');
  assert.ok(warning && warning.type === 'warning' && warning.lowest, 'the recorded run warns with the lowest point');
  const marker = overfitMarker(warning);
  assert.ok(marker);
  assert.deepEqual({ series: marker.series, step: marker.step }, { series: 'val_loss', step: warning.lowest.step });
  assert.ok(marker.tooltip.includes(RULE_TWO));
  assert.match(marker.tooltip, new RegExp(`it was lowest at epoch ${marker.step}\\.`), 'the marker and the warning name the same epoch');
  const val = recordedCurves(events).series.get('val_loss')!;
  assert.equal(marker.value, val.values[val.steps.indexOf(marker.step)], 'on the validation curve, as logged');
});

test('an overfitting warning recorded before it carried the lowest point has no marker, and other warnings none', () => {
  const old = recordedEventsV1().find((e) => e.type === 'warning' && e.kind === 'overfitting');
  assert.ok(old && old.type === 'warning');
  assert.equal(overfitMarker(old), null);
  assert.equal(overfitMarker({ kind: 'nan', message: 'loss became nan at epoch 3', lowest: { step: 1, value: 1 } }), null);
});
