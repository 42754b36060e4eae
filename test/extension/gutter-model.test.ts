import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProbeSnapshot } from '../../src/protocol/run-events.js';
import { formatValue } from '../../src/protocol/number-format.js';
import { gutterText, hoverMarkdown, lineAfterEdit, lineNames, LruDisposableCache, previousValue, probeTrend, quantizeSparkline, shapeSvg, sparklineSvg, sparkShapeKey, svgDataUri, throttle } from '../../src/extension/gutter-model.js';

const probe = (over: Partial<ProbeSnapshot>): ProbeSnapshot => ({
  id: '/w/a.ts:10:loss', file: '/w/a.ts', line: 10, name: 'loss', hits: 5000, first: 80.36, last: 2.927647, min: 2.927647, max: 80.36, history: [80.36, 30, 10, 3, 2.93], historyStep: 1000, ...over,
});

test('gutterText is `loss 2.927647 ▼ ×5000`', () => {
  assert.equal(gutterText([probe({ previous: 2.93 })]), 'loss 2.927647 ▼ ×5000');
  assert.equal(gutterText([probe({ name: 'n_samples', hits: 1, last: 11, history: [11], historyStep: 1 })]), 'n_samples 11');
  assert.equal(gutterText([probe({ last: 3.5, previous: 2 })]), 'loss 3.5 ▲ ×5000');
  assert.equal(gutterText([probe({ previous: 2.93 })], { stale: true }), 'loss 2.927647 ▼ ×5000 (stale)');
});

test('a value the same as the one before says so in a word, not "="', () => {
  assert.equal(gutterText([probe({ last: 56, previous: 56 })]), 'loss 56 unchanged ×5000');
});

test('the gutter writes values as every view does (formatValue): nan as PyTorch prints it', () => {
  assert.equal(gutterText([probe({ last: NaN, previous: 3 })]), 'loss nan ×5000');
  assert.equal(gutterText([probe({ last: 1.5e-7, previous: 1 })]), `loss ${formatValue(1.5e-7)} ▼ ×5000`);
});

test('a line that shows the name leaves it out, and a narrow editor gets the value and its trend only', () => {
  const p = probe({ name: 'train_loss', previous: 2.93 });
  assert.equal(gutterText([p], { nameOnLine: () => true }), '2.927647 ▼ ×5000');
  assert.equal(gutterText([p], { columns: 20 }), '2.927647 ▼ ×5000');
  assert.equal(gutterText([p], { columns: 12 }), '2.927647 ▼');
  assert.equal(gutterText([p], { columns: 0 }), '2.927647 ▼', 'the shortest text always shows');
  assert.equal(gutterText([p], { columns: 40 }), 'train_loss 2.927647 ▼ ×5000');
});

test('lineNames tells a line that assigns the name from one that only uses it', () => {
  assert.equal(lineNames('    const train_loss = loss_fn(train_t_p, train_t_c);', 'train_loss'), true);
  assert.equal(lineNames('        loss = loss_fn(t_p, t_c)', 'loss'), true);
  assert.equal(lineNames('  let loss: Tensor = f(x);', 'loss'), true);
  assert.equal(lineNames('  total = loss + 1', 'loss'), false);
  assert.equal(lineNames('  val_loss = f(x)', 'loss'), false);
  assert.equal(lineNames('  if (loss == 3) {}', 'loss'), false);
});

test('the trend compares the last value with the exact one before it, never with a decimated history point', () => {
  // 5000 hits kept every 4th: history's last entry is hit 4997. Without `previous` no trend is claimed.
  const decimated = probe({ hits: 5000, historyStep: 4, history: Array.from({ length: 1250 }, (_, i) => 3 - i * 1e-4), last: 2.9 });
  assert.equal(previousValue(decimated), null);
  assert.equal(probeTrend(decimated), null);
  assert.equal(probeTrend({ ...decimated, previous: 2.8 }), 'up');
  // Every hit kept: the history's entry for hit `hits − 1` is exact.
  assert.equal(previousValue(probe({ hits: 3, historyStep: 1, history: [3, 2, 1], last: 1 })), 2);
  assert.equal(probeTrend(probe({ hits: 3, historyStep: 1, history: [3, 2, 1], last: 1 })), 'down');
  assert.equal(probeTrend(probe({ hits: 1, historyStep: 1, history: [1], last: 1 })), null);
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
  assert.match(hoverMarkdown(probe({ previous: 2.93 })), /▼ down from the value before: `2\.93` → `2\.927647`/);
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

test('quantizeSparkline cuts a history into 8 bucket means on 6 levels', () => {
  const falling = Array.from({ length: 5000 }, (_, i) => 80 * Math.exp(-i / 600) + 2.9);
  const shape = quantizeSparkline(falling);
  assert.equal(shape.levelCount, 6);
  assert.equal(shape.levels.length, 8);
  assert.equal(shape.levels[0], 5, 'the highest bucket is the top level');
  assert.equal(shape.levels[7], 0, 'the lowest bucket is the bottom level');
  for (let i = 1; i < 8; i++) assert.ok(shape.levels[i]! <= shape.levels[i - 1]!, 'a falling loss never rises');
  assert.deepEqual(quantizeSparkline([1, 2, 3, 4], 8, 4).levels, [0, 1, 2, 3], 'short histories keep one bucket per value');
  assert.deepEqual(quantizeSparkline([0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 0, 10], 8).levels, [2, 2, 2, 2, 2, 2, 2, 2], 'bucket means smooth an oscillation to a flat line');
});

test('quantizeSparkline puts a constant series in the middle and marks all-NaN buckets as gaps', () => {
  assert.deepEqual(quantizeSparkline([7, 7, 7]).levels, [2, 2, 2]);
  assert.deepEqual(quantizeSparkline([11]).levels, [2]);
  assert.deepEqual(quantizeSparkline([3, NaN, 1]).levels, [5, null, 0]);
  assert.deepEqual(quantizeSparkline([NaN, NaN]).levels, [null, null]);
});

test('sparkShapeKey tells shapes and live from stale apart, and equal shapes share a key', () => {
  const a = quantizeSparkline([3, 2, 1]);
  assert.equal(sparkShapeKey(a, false), 'live:6:530');
  assert.equal(sparkShapeKey(a, true), 'stale:6:530');
  assert.equal(sparkShapeKey(quantizeSparkline([300, 200, 100]), false), sparkShapeKey(a, false));
  assert.equal(sparkShapeKey(quantizeSparkline([3, NaN, 1]), false), 'live:6:5x0');
});

test('shapeSvg draws a 16×16 icon: a polyline from the first to the newest level, a dot on the newest', () => {
  const svg = shapeSvg({ levels: [5, 2, 0], levelCount: 6 }, '#3794ff');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="16" height="16" viewBox="0 0 16 16">/);
  assert.match(svg, /points="2.0,2.0 8.0,9.2 14.0,14.0"/);
  assert.match(svg, /<circle cx="14.0" cy="14.0" r="1.8" fill="#3794ff"\/>/);
  assert.equal((shapeSvg({ levels: [1, null, 2, 3], levelCount: 6 }, '#888').match(/<polyline/g) ?? []).length, 1, 'a lone point before a gap draws no line');
  assert.doesNotMatch(shapeSvg({ levels: [2], levelCount: 6 }, '#888'), /polyline/);
  assert.match(shapeSvg({ levels: [2], levelCount: 6 }, '#888'), /<circle cx="8.0"/);
});

test('LruDisposableCache creates a value once per key and reuses it', () => {
  const created: string[] = [];
  const cache = new LruDisposableCache(3, (key) => { created.push(key); return { key }; }, () => undefined);
  const first = cache.acquire(['a', 'b']);
  const again = cache.acquire(['b', 'a', 'a']);
  assert.equal(again.get('a'), first.get('a'));
  assert.deepEqual(created, ['a', 'b']);
  assert.equal(cache.size, 2);
});

test('LruDisposableCache evicts and disposes the least recently used value not needed now', () => {
  const disposed: string[] = [];
  const cache = new LruDisposableCache(2, (key) => ({ key }), (v) => disposed.push(v.key));
  cache.acquire(['a']);
  cache.acquire(['b']);
  cache.acquire(['a']); // a is now the most recently used
  cache.acquire(['c']);
  assert.deepEqual(disposed, ['b']);
  assert.equal(cache.has('a') && cache.has('c'), true);
});

test('LruDisposableCache never evicts a value the same render needs: the extra key gets null', () => {
  const disposed: string[] = [];
  const cache = new LruDisposableCache(2, (key) => ({ key }), (v) => disposed.push(v.key));
  const got = cache.acquire(['a', 'b', 'c']);
  assert.deepEqual([...got.entries()].map(([k, v]) => [k, v?.key ?? null]), [['a', 'a'], ['b', 'b'], ['c', null]]);
  assert.deepEqual(disposed, []);
  cache.clear();
  assert.deepEqual(disposed.sort(), ['a', 'b']);
  assert.equal(cache.size, 0);
  assert.throws(() => new LruDisposableCache(0, () => 1, () => undefined), /capacity must be at least 1, got 0/);
});

test('lineAfterEdit keeps an annotation on its line when lines are inserted or removed above it', () => {
  assert.equal(lineAfterEdit(10, { startLine: 3, endLine: 3, newLineCount: 3 }), 12, 'two lines inserted above');
  assert.equal(lineAfterEdit(10, { startLine: 3, endLine: 5, newLineCount: 1 }), 8, 'two lines removed above');
  assert.equal(lineAfterEdit(2, { startLine: 3, endLine: 5, newLineCount: 1 }), 2, 'lines above an edit stay');
  assert.equal(lineAfterEdit(10, { startLine: 10, endLine: 10, newLineCount: 1 }), 10, 'an edit within the line keeps it');
  assert.equal(lineAfterEdit(4, { startLine: 3, endLine: 5, newLineCount: 1 }), null, 'a removed line loses its annotation');
});
