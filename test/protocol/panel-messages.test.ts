// The panel's messages are checked against one list of message types per direction, and the
// fields the receiving side acts on are checked before it acts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToWebview, encodeToWebview, isFromWebview, sanitizeState, type FromWebview, type ToWebview } from '../../src/protocol/panel-messages.js';

const run = { runId: 'r', label: 'a.ts', script: '/w/a.ts', status: 'running' as const, startedAt: '2026-01-01T00:00:00.000Z' };

test('every message the host sends reads back in the webview as sent', () => {
  const messages: ToWebview[] = [
    { type: 'run-start', run, settings: { smoothing: 0.6 } },
    { type: 'metrics', runId: 'r', series: { loss: { total: 1, stride: 1, from: 0, steps: [1], values: [2], last: 2 } } },
    { type: 'graph', runId: 'r', snapshot: { backwardIndex: 1, rootId: 'n0', nodes: [], edges: [] } },
    { type: 'warning', runId: 'r', warning: { kind: 'nan', message: 'loss became nan at epoch 1' } },
    { type: 'run-end', runId: 'r', status: 'failed', error: { name: 'Error', message: 'x', stack: '' }, reason: 'error' },
    { type: 'overlay', runs: [] },
    { type: 'show-view', view: 'graph' },
    { type: 'settings', settings: { smoothing: 0.2 } },
  ];
  for (const m of messages) assert.deepEqual(decodeToWebview(encodeToWebview(m)), m, m.type);
});

test('the webview drops what is not a message of the list, or lacks what it acts on', () => {
  const read = (value: unknown) => decodeToWebview(JSON.stringify(value));
  assert.equal(decodeToWebview({ type: 'show-view', view: 'graph' }), null, 'an object, not the JSON text the host posts');
  assert.equal(decodeToWebview('{"type":'), null, 'not JSON');
  assert.equal(read({ type: 'reload-everything' }), null, 'an unknown type');
  assert.equal(read({ type: 'toString' }), null, 'a name every object has');
  assert.equal(read({ type: 'show-view', view: 'settings' }), null, 'an unknown view');
  assert.equal(read({ type: 'metrics', series: {} }), null, 'no run id');
  assert.equal(read({ type: 'metrics', runId: 'r', series: { loss: { total: 2, stride: 1, from: 0, steps: [1, 2], values: [1], last: 1 } } }), null, 'columns of different lengths');
  assert.equal(read({ type: 'graph', runId: 'r', snapshot: { rootId: 'n0' } }), null, 'a snapshot without nodes');
  assert.equal(read({ type: 'warning', runId: 'r', warning: { kind: 'nan', message: 'm', location: { file: '', line: 0, column: 1 } } }), null, 'a location without a file or line');
});

test('every message the webview sends is recognized', () => {
  const messages: FromWebview[] = [
    { type: 'ready' },
    { type: 'open-location', location: { file: '/w/a.ts', line: 3, column: 1 } },
    { type: 'export', format: 'dot', suggestedName: 'graph.dot', content: 'digraph {}' },
    { type: 'export-curves-csv', suggestedName: 'a.csv' },
    { type: 'compare-runs' },
    { type: 'view-changed', view: 'curves' },
  ];
  for (const m of messages) assert.equal(isFromWebview(m), true, m.type);
});

test('the host refuses a webview message that is not in the list or lacks what it acts on', () => {
  for (const m of [
    null,
    'ready',
    { type: 'rm -rf' },
    { type: 'hasOwnProperty' },
    { type: 'open-location', location: { file: '/w/a.ts', line: -1, column: 1 } },
    { type: 'open-location', location: { line: 3, column: 1 } },
    { type: 'export', format: 'exe', suggestedName: 'x', content: '' },
    { type: 'export', format: 'png', suggestedName: 7, content: '' },
    { type: 'export-curves-csv' },
    { type: 'view-changed', view: 'everything' },
  ]) {
    assert.equal(isFromWebview(m), false, JSON.stringify(m));
  }
});

test('a saved panel state keeps what is valid and falls back to defaults for the rest', () => {
  assert.deepEqual(sanitizeState({ view: 'graph', smoothing: 7, runId: '../x' }), { version: 1, view: 'graph', logScale: false, smoothing: 0.6, hiddenSeries: [] });
  assert.equal(sanitizeState({ runId: '20261127-005226-372-84b0' }).runId, '20261127-005226-372-84b0');
  assert.deepEqual(sanitizeState({ graph: { step: 3, backwardIndex: 7 } }).graph, { step: 3, backwardIndex: 7 });
  assert.deepEqual(sanitizeState({ graph: { step: 'all' } }).graph, { step: 'all' });
  assert.deepEqual(sanitizeState({ graph: { step: 'x', backwardIndex: -2 } }).graph, { step: -1 });
  assert.equal(sanitizeState({ graph: null }).graph, undefined);
});
