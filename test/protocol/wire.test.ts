// One codec for non-finite numbers on every wire: the event pipe, run records and --json output
// (parseEvent), the script process's pipe (parseChildEvent), and the panel's messages
// (encodeToWebview / decodeToWebview). Every message type that carries numbers keeps NaN and ±Inf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSummaryNumbers, parseEvent, type GraphSnapshot, type RunEvent, type RunSummary, type TensorPreview } from '../../src/protocol/run-events.js';
import { parseChildEvent, type ChildEvent } from '../../src/protocol/script-process.js';
import { decodeToWebview, encodeToWebview, type ToWebview } from '../../src/protocol/panel-messages.js';
import { decodeNumber, encodeJson, encodeNumber } from '../../src/protocol/wire.js';

const ODD = [NaN, Infinity, -Infinity];

const preview = (values: number[]): TensorPreview => ({ shape: [values.length], dtype: 'float32', values, truncated: false, min: -Infinity, max: Infinity, mean: NaN });

function snapshot(): GraphSnapshot {
  return {
    backwardIndex: 1,
    rootId: 'n0',
    nodes: [
      { id: 'n0', kind: 'function', name: 'MeanBackward0', shape: [], dtype: 'float32', value: preview([NaN]), grad: preview([1]) },
      { id: 'n1', kind: 'parameter', name: 'AccumulateGrad', shape: [3], dtype: 'float32', value: preview([1, Infinity, -Infinity]), grad: preview(ODD) },
    ],
    edges: [{ from: 'n1', to: 'n0', inputNr: 0, grad: preview(ODD) }],
  };
}

const stamp = { runId: 'r', seq: 1, time: 5 };

/** Whether two values are equal with NaN equal to NaN, at any depth. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

test('a number crosses JSON as itself, or spelled "NaN", "Infinity", "-Infinity"', () => {
  for (const v of [1.5, 0, -2e-300, ...ODD]) assert.ok(Object.is(decodeNumber(JSON.parse(JSON.stringify(encodeNumber(v)))), v));
  assert.equal(encodeJson({ a: [NaN, Infinity, -Infinity, 1] }), '{"a":["NaN","Infinity","-Infinity",1]}');
  assert.ok(Number.isNaN(decodeNumber(null)), 'plain JSON.stringify writes NaN as null');
});

test('run events keep NaN and ±Inf through a JSON line: metrics, probes, graph and warning', () => {
  const events: RunEvent[] = [
    { ...stamp, type: 'metrics', series: [{ name: 'loss', source: 'probe' }], index: [0, 0, 0, 0], steps: [1, 2, 3, 4], values: [1, ...ODD] },
    { ...stamp, type: 'probes', probes: [{ id: 'a:1:loss', file: 'a', line: 1, name: 'loss', hits: 3, first: NaN, last: Infinity, min: -Infinity, max: NaN, history: ODD, historyStep: 1 }] },
    { ...stamp, type: 'graph', snapshot: snapshot() },
    { ...stamp, type: 'warning', kind: 'overfitting', message: 'm', series: 'val_loss', lowest: { step: 3, value: Infinity } },
  ];
  for (const event of events) {
    const line = encodeJson(event);
    assert.doesNotMatch(line, /null/, `${event.type}: no number became null`);
    assert.ok(sameValue(parseEvent(line), event), event.type);
  }
});

test('script-process events keep NaN and ±Inf through the event pipe', () => {
  const events: ChildEvent[] = [
    { type: 'metric-columns', series: [{ name: 'loss', source: 'probe' }], index: [0, 0, 0], steps: [1, 2, 3], values: ODD },
    { type: 'graph', snapshot: snapshot() },
    { type: 'probes', probes: [{ id: 'a:1:loss', file: 'a', line: 1, name: 'loss', hits: 1, first: NaN, last: NaN, min: NaN, max: NaN, history: [NaN], historyStep: 1 }] },
    { type: 'warning', kind: 'overfitting', message: 'm', lowest: { step: 1, value: -Infinity } },
  ];
  for (const event of events) assert.ok(sameValue(parseChildEvent(encodeJson(event)), event), event.type);
});

test('a run summary keeps NaN and ±Inf through summary.json', () => {
  const summary: RunSummary = { runId: 'r', protocolVersion: 2, script: 's', language: 'typescript', startedAt: '', status: 'completed', series: { loss: { points: 2, last: NaN, min: -Infinity } } };
  const read = JSON.parse(encodeJson(summary)) as RunSummary;
  decodeSummaryNumbers(read);
  assert.ok(sameValue(read, summary));
});

test('panel messages keep NaN and ±Inf: metrics, graph, warning and overlay', () => {
  const run = { runId: 'r', label: 'a.ts', script: '/w/a.ts', status: 'completed' as const, startedAt: '' };
  const update = { total: 4, stride: 1, from: 0, steps: [1, 2, 3, 4], values: [1, ...ODD], last: -Infinity, previous: Infinity };
  const messages: ToWebview[] = [
    { type: 'metrics', runId: 'r', series: { loss: update } },
    { type: 'graph', runId: 'r', snapshot: snapshot() },
    { type: 'warning', runId: 'r', warning: { kind: 'overfitting', message: 'm', lowest: { step: 2, value: NaN } } },
    { type: 'overlay', runs: [{ run, series: { loss: update } }] },
  ];
  for (const message of messages) assert.ok(sameValue(decodeToWebview(encodeToWebview(message)), message), message.type);
});

test('a version-1 metrics line (an object per point) reads as columns, its NaN included', () => {
  const line = JSON.stringify({
    ...stamp,
    type: 'metrics',
    points: [
      { series: 'loss', step: 1, value: 2, source: 'probe', location: { file: 'a.ts', line: 9, column: 7 } },
      { series: 'Loss/val', step: 1, value: 'NaN', source: 'tensorboard' },
      { series: 'loss', step: 2, value: 'Infinity', source: 'probe' },
    ],
  });
  const event = parseEvent(line);
  assert.ok(event && event.type === 'metrics');
  assert.ok(
    sameValue(
      { series: event.series, index: event.index, steps: event.steps, values: event.values, points: (event as { points?: unknown }).points },
      {
        series: [{ name: 'loss', source: 'probe', location: { file: 'a.ts', line: 9, column: 7 } }, { name: 'Loss/val', source: 'tensorboard' }],
        index: [0, 1, 0],
        steps: [1, 1, 2],
        values: [2, NaN, Infinity],
        points: undefined,
      },
    ),
  );
});

test('a metrics line whose columns do not fit together is not an event', () => {
  const base = { ...stamp, type: 'metrics', series: [{ name: 'loss', source: 'probe' }] };
  assert.equal(parseEvent(JSON.stringify({ ...base, index: [0, 1], steps: [1, 2], values: [1, 2] })), null, 'an index past the series');
  assert.equal(parseEvent(JSON.stringify({ ...base, index: [0], steps: [1, 2], values: [1] })), null, 'columns of different lengths');
  assert.equal(parseChildEvent(JSON.stringify({ ...base, type: 'metric-columns', index: [0], steps: ['x'], values: [1] })), null, 'a step that is not a number');
});
