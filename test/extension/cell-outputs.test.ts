import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleItems, CellOutputPlanner } from '../../src/extension/notebook/cell-outputs.js';

/** A 1×1 PNG, as nbformat stores it (base64). */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

test('consecutive writes to one stream continue its output, as Jupyter shows a block of printed text', () => {
  const planner = new CellOutputPlanner();
  assert.deepEqual(planner.plan({ kind: 'stream', name: 'stdout', text: 'a\n' }), { append: 'new', items: [{ kind: 'stdout', text: 'a\n' }], metadata: { outputType: 'stream' } });
  assert.deepEqual(planner.plan({ kind: 'stream', name: 'stdout', text: 'b\n' }), { append: 'continue', items: [{ kind: 'stdout', text: 'b\n' }] });
});

test('stderr after stdout opens an output of its own (an nbformat stream has one name)', () => {
  const planner = new CellOutputPlanner();
  planner.plan({ kind: 'stream', name: 'stdout', text: 'a\n' });
  assert.equal(planner.plan({ kind: 'stream', name: 'stderr', text: 'warn\n' })?.append, 'new');
  assert.equal(planner.plan({ kind: 'stream', name: 'stdout', text: 'c\n' })?.append, 'new');
});

test('printing after a displayed figure opens a new stream output below it, not above in the earlier one', () => {
  const planner = new CellOutputPlanner();
  planner.plan({ kind: 'stream', name: 'stdout', text: 'before\n' });
  planner.plan({ kind: 'display', data: { 'image/png': PNG_BASE64 } });
  assert.equal(planner.plan({ kind: 'stream', name: 'stdout', text: 'after\n' })?.append, 'new');
});

test('a cell’s result is an execute_result with its execution count, for the .ipynb serializer', () => {
  const plan = new CellOutputPlanner().plan({ kind: 'result', executionCount: 7, data: { 'text/plain': 'tensor([1., 2.])' } });
  assert.deepEqual(plan, { append: 'new', items: [{ kind: 'text', mime: 'text/plain', text: 'tensor([1., 2.])' }], metadata: { outputType: 'execute_result', executionCount: 7 } });
});

test('a figure is display_data with the PNG decoded from base64 and its text/plain repr beside it', () => {
  const plan = new CellOutputPlanner().plan({ kind: 'display', data: { 'text/plain': '<Figure size 640x480 with 1 Axes>', 'image/png': PNG_BASE64 } });
  assert.equal(plan?.metadata?.outputType, 'display_data');
  assert.deepEqual(plan?.items.map((i) => [i.kind, i.kind === 'text' || i.kind === 'bytes' ? i.mime : '']), [['bytes', 'image/png'], ['text', 'text/plain']]);
  const png = plan?.items[0];
  assert.ok(png?.kind === 'bytes');
  assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG signature');
  assert.equal(Buffer.from(png.data).toString('base64'), PNG_BASE64);
});

test('an error keeps IPython’s name, value and traceback, both for the renderer and for the saved notebook', () => {
  const traceback = ['Cell In[3], line 2', '      1 x = 1', '----> 2 1 / 0', 'ZeroDivisionError: division by zero'];
  const plan = new CellOutputPlanner().plan({ kind: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback });
  assert.deepEqual(plan?.items, [{ kind: 'error', name: 'ZeroDivisionError', message: 'division by zero', stack: traceback.join('\n') }]);
  assert.deepEqual(plan?.metadata, { outputType: 'error', originalError: { output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback } });
});

test('a result with an empty mime bundle shows nothing', () => {
  assert.equal(new CellOutputPlanner().plan({ kind: 'result', executionCount: 1, data: {} }), null);
  assert.deepEqual(bundleItems({}), []);
});

test('every mime type of a bundle is kept, richest first', () => {
  const items = bundleItems({ 'text/plain': 'p', 'text/html': '<b>h</b>', 'image/svg+xml': '<svg/>' });
  assert.deepEqual(items.map((i) => (i.kind === 'text' ? i.mime : i.kind)), ['text/html', 'image/svg+xml', 'text/plain']);
});
