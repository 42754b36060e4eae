import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelFeed } from '../../src/extension/panel-feed.js';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../src/extension/panel-html.js';
import { endedTooltip, StatusModel } from '../../src/extension/status-model.js';
import { notRunnableReason, rankScripts } from '../../src/extension/script-pick.js';
import { exampleTitle } from '../../src/extension/scaffold-title.js';
import { GRAPH_HISTORY_LIMIT, type ToWebview } from '../../src/protocol/panel-messages.js';
import { ShownCurves } from '../../webview/curves-model.js';
import { batchOf } from '../metric-points.js';
import { feedWithoutGraphs, pointsPerSeries, recordedEvents } from './fixture.js';

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
  // Every point is counted, and the webview ends with what a reloaded one gets from the replay.
  const shown = (ms: ToWebview[]) => {
    const curves = new ShownCurves();
    for (const m of ms) if (m.type === 'metrics') curves.apply(m.series);
    return curves;
  };
  const totals = (curves: ShownCurves) => Object.fromEntries([...curves.series].map(([name, s]) => [name, s.total]));
  assert.deepEqual(totals(shown(live)), pointsPerSeries(events));
  assert.ok(live.some((m) => m.type === 'graph'));
  assert.ok(live.some((m) => m.type === 'warning' && m.warning.kind === 'overfitting'));
  const replay = feed.replay();
  assert.deepEqual(replay.map((m) => m.type), ['run-start', 'metrics', 'graph', 'warning', 'run-end']);
  assert.deepEqual(shown(replay).series, shown(live).series);
  assert.deepEqual(feed.drain(), []);
  // events of another run are ignored
  feed.onEvent({ type: 'output', stream: 'stdout', text: 'x', runId: 'other', seq: 1, time: 0 });
  assert.deepEqual(feed.drain(), []);
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
  s.observe(batchOf([['val_loss', 1, 5], ['train_loss', 1, 9]]));
  s.observe(batchOf([['train_loss', 2, 4.5]]));
  assert.equal(s.text(true), '$(sync~spin) epoch 2 · train_loss 4.5 ▼');
  s.observe(batchOf([['train_loss', 3, 4.6]]));
  assert.equal(s.text(false), '$(graph-line) epoch 3 · train_loss 4.6 ▲');
});

test('the status bar follows a plain loss until a train series appears, never a validation one', () => {
  const s = new StatusModel();
  s.observe(batchOf([['val_loss', 1, 5]]));
  assert.equal(s.progress(), null, 'a validation loss alone is not followed');
  s.observe(batchOf([['loss', 1, 3], ['val_loss', 2, 4], ['loss', 2, 2]]));
  assert.equal(s.progress(), 'epoch 2 · loss 2 ▼');
  s.observe(batchOf([['train_loss', 3, 1.25], ['loss', 3, 1]]));
  assert.equal(s.progress(), 'epoch 3 · train_loss 1.25', 'switching series starts its trend over');
});

test('the status bar says a flat loss is unchanged, in a word', () => {
  const s = new StatusModel();
  s.observe(batchOf([['loss', 1, 56], ['loss', 2, 56]]));
  assert.equal(s.progress(), 'epoch 2 · loss 56 unchanged');
});

test('the status bar’s tooltip says how the run ended, not "Training…"', () => {
  const base = { runId: 'r', seq: 9, time: 1200, exitCode: 0, durationMs: 1234 };
  assert.equal(endedTooltip('a.ts', { ...base, type: 'run-finished', status: 'completed' }), 'a.ts completed after 1.2 s. Click for the loss curves.');
  assert.equal(endedTooltip('a.ts', { ...base, type: 'run-finished', status: 'stopped' }), 'a.ts was stopped after 1.2 s. Click for the loss curves.');
  const error = { name: 'RuntimeError', message: 'mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)', stack: '', location: { file: '/w/a.ts', line: 6, column: 13 } };
  assert.equal(endedTooltip('a.ts', { ...base, type: 'run-failed', reason: 'error', error, exitCode: 1 }), 'a.ts failed after 1.2 s: RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3) (line 6). Click for the loss curves.');
  assert.match(endedTooltip('a.ts', { ...base, type: 'run-failed', reason: 'memory-limit', error: { ...error, location: undefined }, exitCode: null }), /^a\.ts went over its memory limit after 1\.2 s: RuntimeError/);
});

test('the status bar writes the loss as every view does: 7 significant digits, nan as PyTorch prints it', () => {
  const s = new StatusModel();
  s.observe(batchOf([['loss', 1, 2.9276471234], ['loss', 2, NaN]]));
  assert.equal(s.progress(), 'epoch 2 · loss nan');
  s.observe(batchOf([['loss', 3, 2.9276471234]]));
  assert.equal(s.progress(), 'epoch 3 · loss 2.927647');
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
  const { feed, graph } = feedWithoutGraphs();
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


test('the panel feed passes an overfitting warning on with the point the chart marks', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const events = recordedEvents();
  feed.load(events);
  const recorded = events.find((e) => e.type === 'warning' && e.kind === 'overfitting');
  const sent = feed.drain().find((m) => m.type === 'warning');
  assert.ok(recorded?.type === 'warning' && recorded.lowest && sent?.type === 'warning');
  assert.deepEqual(sent.warning.lowest, recorded.lowest);
  assert.equal(sent.warning.message, recorded.message);
});

test('the panel feed says a Python run is loading Python until its script shows life, and then that it runs', () => {
  const feed = new PanelFeed({ smoothing: 0.6 });
  const base = { runId: 'py', time: 0 };
  feed.onEvent({ ...base, seq: 0, type: 'run-started', protocolVersion: 2, script: '/w/a.py', language: 'python', engineVersion: 't', startedAt: new Date(0).toISOString() });
  const start = feed.drain();
  assert.equal(start[0]?.type === 'run-start' && start[0].run.phase, 'loading-python');
  feed.onEvent({ ...base, seq: 1, type: 'status', phase: 'running' });
  assert.deepEqual(feed.drain(), [{ type: 'phase', runId: 'py', phase: 'running' }]);
  // A record made before status events: the first output says the script runs.
  const old = new PanelFeed({ smoothing: 0.6 });
  old.onEvent({ ...base, seq: 0, type: 'run-started', protocolVersion: 2, script: '/w/a.py', language: 'python', engineVersion: 't', startedAt: new Date(0).toISOString() });
  old.drain();
  old.onEvent({ ...base, seq: 1, type: 'output', stream: 'stdout', text: 'hello\n' });
  assert.deepEqual(old.drain(), [{ type: 'phase', runId: 'py', phase: 'running' }]);
  // A TypeScript run has no loading phase at all.
  const ts = new PanelFeed({ smoothing: 0.6 });
  ts.onEvent({ ...base, seq: 0, type: 'run-started', protocolVersion: 2, script: '/w/a.ts', language: 'typescript', engineVersion: 't', startedAt: new Date(0).toISOString() });
  const tsStart = ts.drain();
  assert.equal(tsStart[0]?.type === 'run-start' && tsStart[0].run.phase, undefined);
});

test('the panel feed starts each run with the workspace’s curve settings, and tells an open panel of new ones once', () => {
  const feed = new PanelFeed({ smoothing: 0.3, logScale: true });
  assert.equal(feed.setSettings({ smoothing: 0.3, logScale: true }), null);
  assert.deepEqual(feed.setSettings({ smoothing: 0.3, logScale: false }), { type: 'settings', settings: { smoothing: 0.3, logScale: false } });
  feed.onEvent({ runId: 'r', seq: 0, time: 0, type: 'run-started', protocolVersion: 2, script: '/w/a.ts', language: 'typescript', engineVersion: 't', startedAt: new Date(0).toISOString() });
  const [start] = feed.drain();
  assert.deepEqual(start?.type === 'run-start' && start.settings, { smoothing: 0.3, logScale: false });
});
