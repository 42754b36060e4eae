import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeSnapshot } from '../../src/runner/protocol.js';
import { formatValue, gutterText, hoverMarkdown, sparklineSvg, svgDataUri, throttle, trendOf } from '../../src/shared/gutter-model.js';

const probe = (over: Partial<ProbeSnapshot>): ProbeSnapshot => ({
  id: '/w/a.ts:10:loss', file: '/w/a.ts', line: 10, name: 'loss', hits: 5000, first: 80.36, last: 2.927647, min: 2.927647, max: 80.36, history: [80.36, 30, 10, 3, 2.93], historyStep: 1000, ...over,
});

test('gutterText is `loss 2.927647 ▼ ×5000`', () => {
  assert.equal(gutterText(probe({})), 'loss 2.927647 ▼ ×5000');
  assert.equal(gutterText(probe({ name: 'n_samples', hits: 1, last: 11, history: [11] })), 'n_samples 11');
  assert.equal(gutterText(probe({ last: 3.5, history: [1, 2, 3.5] })), 'loss 3.5 ▲ ×5000');
  assert.equal(gutterText(probe({}), true), 'loss 2.927647 ▼ ×5000 (stale)');
});

test('formatValue: whole numbers whole, 7 significant digits, exponents for tiny and huge, NaN spelled', () => {
  assert.equal(formatValue(11), '11');
  assert.equal(formatValue(2.9276471234), '2.927647');
  assert.equal(formatValue(1.5e-7), '1.5000e-7');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(-Infinity), '-Infinity');
});

test('trendOf compares the last value with the one before it', () => {
  assert.equal(trendOf({ hits: 1, history: [1], last: 1 }), 'none');
  assert.equal(trendOf({ hits: 3, history: [3, 2, 1], last: 1 }), 'down');
  assert.equal(trendOf({ hits: 3, history: [3, 2], last: 2.5 }), 'up');
});

test('sparklineSvg draws a scaled polyline with a dot on the last value and breaks at NaN', () => {
  const svg = sparklineSvg([3, 2, 1], { width: 16, height: 16 });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="16" height="16"/);
  assert.equal((svg.match(/<polyline/g) ?? []).length, 1);
  assert.match(svg, /<circle /);
  const ys = [...svg.matchAll(/(\d+\.\d+),(\d+\.\d+)/g)].map((m) => Number(m[2]));
  assert.ok(ys[0]! < ys[2]!, 'a falling series goes down the box');
  assert.equal((sparklineSvg([1, NaN, 2, 3]).match(/<polyline/g) ?? []).length, 2);
  assert.doesNotMatch(sparklineSvg([5, 5]), /NaN/);
  assert.equal(sparklineSvg([]).includes('polyline'), false);
  const big = sparklineSvg(Array.from({ length: 2000 }, (_, i) => i), { width: 16 });
  assert.ok((big.match(/,/g) ?? []).length <= 40);
  assert.ok(svgDataUri(svg).startsWith('data:image/svg+xml;base64,'));
});

test('hoverMarkdown shows a larger sparkline, first/min/last and the hit count', () => {
  const md = hoverMarkdown(probe({}));
  assert.match(md, /\*\*loss\*\* \(line 10\)/);
  assert.match(md, /!\[history of loss\]\(data:image\/svg\+xml;base64,/);
  assert.match(md, /first `80.36` · min `2.927647` · last `2.927647` · 5000 hits/);
  assert.match(hoverMarkdown(probe({}), { stale: true }), /stale/);
});

test('throttle runs at most once per interval with the latest arguments', async () => {
  const calls: number[] = [];
  const t = throttle((n: number) => calls.push(n), 40);
  for (let i = 0; i < 10; i++) t(i);
  assert.deepEqual(calls, [0]);
  await new Promise((r) => setTimeout(r, 70));
  assert.deepEqual(calls, [0, 9]);
  t(10);
  t.cancel();
  await new Promise((r) => setTimeout(r, 70));
  assert.deepEqual(calls, [0, 9]);
});
