import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CellRunViews } from '../../src/extension/notebook/cell-run-views.js';
import type { RunEvent } from '../../src/protocol/run-events.js';

let seq = 0;
const base = (runId: string) => ({ runId, seq: seq++, time: 0 });
const started = (runId: string): RunEvent => ({ ...base(runId), type: 'run-started', protocolVersion: 2, script: 'vscode-notebook-cell:/w/nb.ipynb#a', language: 'python', engineVersion: '0', startedAt: '2026-12-03T10:00:00.000Z' });
const output = (runId: string): RunEvent => ({ ...base(runId), type: 'output', stream: 'stdout', text: 'x\n' });
const metrics = (runId: string): RunEvent => ({ ...base(runId), type: 'metrics', series: ['loss'], index: [0], steps: [1], values: [0.5] }) as unknown as RunEvent;
const finished = (runId: string): RunEvent => ({ ...base(runId), type: 'run-finished', status: 'completed', exitCode: null, durationMs: 1 });
const types = (events: RunEvent[]) => events.map((e) => e.type);

test('a cell that only prints never reaches the panel: the curves of the cell before stay', () => {
  const views = new CellRunViews();
  const passed = [started('r1'), output('r1'), finished('r1')].flatMap((e) => views.route(e));
  assert.deepEqual(passed, []);
});

test('a training cell is shown from its start on its first loss point, and entirely after it', () => {
  const views = new CellRunViews();
  assert.deepEqual(views.route(started('r2')), []);
  assert.deepEqual(views.route(output('r2')), []);
  assert.deepEqual(types(views.route(metrics('r2'))), ['run-started', 'metrics']);
  assert.deepEqual(types(views.route(metrics('r2'))), ['metrics']);
  assert.deepEqual(types(views.route(output('r2'))), ['output']);
  assert.deepEqual(types(views.route(finished('r2'))), ['run-finished']);
});

test('a cell that calls backward() once is shown by its graph', () => {
  const views = new CellRunViews();
  views.route(started('r3'));
  const graph = { ...base('r3'), type: 'graph', snapshot: { nodes: [], edges: [] } } as unknown as RunEvent;
  assert.deepEqual(types(views.route(graph)), ['run-started', 'graph']);
});

test('runs of two notebooks are told apart by their run ids', () => {
  const views = new CellRunViews();
  views.route(started('a'));
  views.route(started('b'));
  assert.deepEqual(types(views.route(metrics('b'))), ['run-started', 'metrics']);
  assert.deepEqual(views.route(output('a')), []);
  assert.deepEqual(views.route(finished('a')), []);
});
