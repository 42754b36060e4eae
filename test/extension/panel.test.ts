import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelFeed } from '../../src/extension/panel-feed.js';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../src/extension/panel-html.js';
import { StatusModel } from '../../src/extension/status-model.js';
import { notRunnableReason, rankScripts } from '../../src/extension/script-pick.js';
import { exampleTitle } from '../../src/extension/scaffold-title.js';
import { decodeNumber, encodeNumber, GRAPH_HISTORY_LIMIT, isFromWebview, sanitizeState, type ToWebview } from '../../src/protocol/panel-messages.js';
import { recordedEvents } from './fixture.js';

test('the panel feed batches a live run into few messages and replays it whole', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = recordedEvents();
  const live: ToWebview[] = [];
  for (const e of events) {
    feed.onEvent(e);
    if (e.seq % 5 === 0) live.push(...feed.drain());
  }
  live.push(...feed.drain());
  assert.equal(live[0]!.type, 'run-start');
  assert.equal(live[live.length - 1]!.type, 'run-end');
  // A short run arrives whole: every point once, each update appending to the last.
  const points = (ms: ToWebview[]) => ms.reduce((s, m) => s + (m.type === 'metrics' ? Object.values(m.series).reduce((a, u) => a + u.points.length, 0) : 0), 0);
  const recorded = events.reduce((s, e) => s + (e.type === 'metrics' ? e.points.length : 0), 0);
  assert.equal(points(live), recorded);
  assert.ok(live.some((m) => m.type === 'graph'));
  assert.ok(live.some((m) => m.type === 'warning' && m.warning.kind === 'overfitting'));
  const replay = feed.replay();
  assert.deepEqual(replay.map((m) => m.type), ['run-start', 'metrics', 'graph', 'warning', 'run-end']);
  assert.equal(points(replay), recorded);
  assert.deepEqual(feed.drain(), []);
  // events of another run are ignored
  feed.onEvent({ type: 'output', stream: 'stdout', text: 'x', runId: 'other', seq: 1, time: 0 });
  assert.deepEqual(feed.drain(), []);
});

test('the panel protocol keeps NaN and Infinity across JSON, and rejects foreign messages', () => {
  for (const v of [1.5, NaN, Infinity, -Infinity]) assert.ok(Object.is(decodeNumber(JSON.parse(JSON.stringify(encodeNumber(v)))), v));
  assert.equal(isFromWebview({ type: 'ready' }), true);
  assert.equal(isFromWebview({ type: 'rm -rf' }), false);
  assert.equal(isFromWebview(null), false);
  assert.deepEqual(sanitizeState({ view: 'graph', smoothing: 7, runId: '../x' }), { version: 1, view: 'graph', logScale: false, smoothing: 0.6, hiddenSeries: [] });
  assert.equal(sanitizeState({ runId: '20261127-005226-372-84b0' }).runId, '20261127-005226-372-84b0');
});

test('the panel HTML has a strict nonce CSP and no remote resources', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  const html = panelHtml({ cspSource: 'vscode-webview://abc', nonce, scriptUri: 'vscode-webview://abc/main.js', workerUri: 'vscode-webview://abc/w.js', styleUri: 'vscode-webview://abc/p.css' });
  const csp = contentSecurityPolicy({ cspSource: 'vscode-webview://abc', nonce });
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.doesNotMatch(csp, /script-src[^;]*unsafe/);
  assert.ok(html.includes(`<script nonce="${nonce}" src="vscode-webview://abc/main.js">`));
  assert.doesNotMatch(html, /https?:\/\//);
});

test('the status bar follows the training loss with ▲/▼', () => {
  const s = new StatusModel();
  assert.equal(s.text(true), '$(sync~spin) Autograd Lab: starting…');
  s.observe([{ series: 'val_loss', step: 1, value: 5, source: 'probe' }, { series: 'train_loss', step: 1, value: 9, source: 'probe' }]);
  s.observe([{ series: 'train_loss', step: 2, value: 4.5, source: 'probe' }]);
  assert.equal(s.text(true), '$(sync~spin) epoch 2 · train_loss 4.5 ▼');
  s.observe([{ series: 'train_loss', step: 3, value: 4.6, source: 'probe' }]);
  assert.equal(s.text(false), '$(graph-line) epoch 3 · train_loss 4.6 ▲');
});

test('Run Training picks runnable scripts, those importing autograd-lab first', () => {
  assert.equal(notRunnableReason('/w/a.ts'), null);
  assert.equal(notRunnableReason('/w/a.py'), null);
  assert.match(notRunnableReason('/w/a.txt')!, /runs \.ts/);
  const ranked = rankScripts([
    { path: '/w/b.ts', source: 'console.log(1)' },
    { path: '/w/c.d.ts', source: '' },
    { path: '/w/a.ts', source: "import torch from 'autograd-lab';" },
  ]);
  assert.deepEqual(ranked.map((f) => f.path), ['/w/a.ts', '/w/b.ts']);
  assert.equal(exampleTitle('// Chapter 5: the loop\nconst x = 1;', 'f'), 'Chapter 5: the loop');
});

test('a Python example is titled by its first # comment line, as New Training Script… lists it', () => {
  assert.equal(exampleTitle('# Chapter 5, In [42]: a validation set\nimport torch\n', 'f.py'), 'Chapter 5, In [42]: a validation set');
  assert.equal(exampleTitle('import torch\n', '03-sgd.py'), '03-sgd.py');
});

test('the panel feed keeps the newest graph snapshots for the picker and replays them in order', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = recordedEvents();
  const graph = events.find((e) => e.type === 'graph')!;
  assert.ok(graph.type === 'graph');
  feed.load(events.filter((e) => e.type !== 'graph' && e.type !== 'run-finished'));
  const total = GRAPH_HISTORY_LIMIT + 5;
  const drained: number[] = [];
  for (let k = 1; k <= total; k++) {
    feed.onEvent({ ...graph, snapshot: { ...graph.snapshot, backwardIndex: k } });
    for (const m of feed.drain()) if (m.type === 'graph') drained.push(m.snapshot.backwardIndex);
  }
  assert.equal(drained.length, total, 'a live panel gets every snapshot as it comes');
  const replayed = feed.replay().flatMap((m) => (m.type === 'graph' ? [m.snapshot.backwardIndex] : []));
  assert.deepEqual(replayed, Array.from({ length: GRAPH_HISTORY_LIMIT }, (_, i) => total - GRAPH_HISTORY_LIMIT + 1 + i));
});

test('the panel feed turns a settings change into one message, and none when nothing changed', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  assert.equal(feed.setSettings({ smoothing: 0.6 }), null);
  assert.deepEqual(feed.setSettings({ smoothing: 0.2 }), { type: 'settings', settings: { smoothing: 0.2 } });
  feed.onEvent(recordedEvents()[0]!);
  const start = feed.drain()[0]!;
  assert.ok(start.type === 'run-start' && start.settings.smoothing === 0.2, 'the next run starts with the new default');
});

test('the panel feed tells the panel why a run failed', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const [started] = recordedEvents();
  feed.onEvent(started!);
  const error = { name: 'RangeError', message: 'over the memory limit', stack: '' };
  feed.onEvent({ type: 'run-failed', reason: 'memory-limit', error, exitCode: null, durationMs: 5, runId: started!.runId, seq: 1, time: 5 });
  const end = feed.drain().find((m) => m.type === 'run-end');
  assert.deepEqual(end, { type: 'run-end', runId: started!.runId, status: 'failed', error, reason: 'memory-limit' });
});

test('a saved panel state keeps the graph step and pinned snapshot, and drops malformed ones', () => {
  assert.deepEqual(sanitizeState({ graph: { step: 3, backwardIndex: 7 } }).graph, { step: 3, backwardIndex: 7 });
  assert.deepEqual(sanitizeState({ graph: { step: 'all' } }).graph, { step: 'all' });
  assert.deepEqual(sanitizeState({ graph: { step: 'x', backwardIndex: -2 } }).graph, { step: -1 });
  assert.equal(sanitizeState({ graph: null }).graph, undefined);
});
