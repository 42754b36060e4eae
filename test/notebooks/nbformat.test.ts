// Notebooks on disk: what is malformed is named, outputs become nbformat 4 outputs, and the
// executed notebook is written as nbformat writes it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nbformatOutputs, parseNotebook, serializeNotebook, splitLines } from '../../src/runner/kernel/nbformat.js';

const notebook = (cells: unknown[], nbformat = 4) => JSON.stringify({ cells, metadata: {}, nbformat, nbformat_minor: 5 });

describe('reading a notebook', () => {
  it('refuses text that is not JSON, saying so', () => {
    assert.throws(() => parseNotebook('{"cells": [', 'nb.ipynb'), /nb\.ipynb is not a notebook: it is not valid JSON/);
  });

  it('refuses an nbformat 3 notebook, saying how to convert it', () => {
    assert.throws(() => parseNotebook(JSON.stringify({ nbformat: 3, worksheets: [] }), 'old.ipynb'), /old\.ipynb is an nbformat 3 notebook; only nbformat 4 is read \(convert it with/);
  });

  it('refuses an unknown cell type, naming the cell and the type', () => {
    assert.throws(() => parseNotebook(notebook([{ cell_type: 'code', source: '' }, { cell_type: 'heading', source: 'x' }]), 'nb.ipynb'), /nb\.ipynb, cell 2: unknown cell type 'heading'/);
  });

  it('refuses a cell without source, naming the cell', () => {
    assert.throws(() => parseNotebook(notebook([{ cell_type: 'markdown', metadata: {} }]), 'nb.ipynb'), /nb\.ipynb, cell 1: the markdown cell has no source/);
  });

  it('refuses a notebook without cells', () => {
    assert.throws(() => parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5 }), 'nb.ipynb'), /it has no list of cells/);
  });
});

describe('writing outputs as nbformat 4', () => {
  it('splits text into lines that keep their newlines', () => {
    assert.deepEqual(splitLines('a\nb\n'), ['a\n', 'b\n']);
    assert.deepEqual(splitLines('a\nb'), ['a\n', 'b']);
    assert.deepEqual(splitLines(''), []);
  });

  it('joins consecutive text of one stream into one output, as Jupyter shows it', () => {
    const outputs = nbformatOutputs([
      { kind: 'stream', name: 'stdout', text: 'Epoch 1\nEp' },
      { kind: 'stream', name: 'stdout', text: 'och 2\n' },
      { kind: 'stream', name: 'stderr', text: 'warning\n' },
      { kind: 'stream', name: 'stdout', text: 'done\n' },
    ]);
    assert.deepEqual(outputs, [
      { name: 'stdout', output_type: 'stream', text: ['Epoch 1\n', 'Epoch 2\n'] },
      { name: 'stderr', output_type: 'stream', text: ['warning\n'] },
      { name: 'stdout', output_type: 'stream', text: ['done\n'] },
    ]);
  });

  it('writes results, displays and errors with their nbformat fields; a PNG stays one base64 string', () => {
    const outputs = nbformatOutputs([
      { kind: 'result', executionCount: 3, data: { 'text/plain': 'tensor([1.,\n        2.])' } },
      { kind: 'display', data: { 'text/plain': '<Figure size 640x480 with 1 Axes>', 'image/png': 'iVBORw0KGgo=' } },
      { kind: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['ValueError: bad'] },
    ]);
    assert.deepEqual(outputs, [
      { data: { 'text/plain': ['tensor([1.,\n', '        2.])'] }, execution_count: 3, metadata: {}, output_type: 'execute_result' },
      { data: { 'text/plain': ['<Figure size 640x480 with 1 Axes>'], 'image/png': 'iVBORw0KGgo=' }, metadata: {}, output_type: 'display_data' },
      { ename: 'ValueError', evalue: 'bad', output_type: 'error', traceback: ['ValueError: bad'] },
    ]);
  });

  it('serializes with sorted keys, a one-space indent and a final newline, as nbformat does', () => {
    const nb = parseNotebook(JSON.stringify({ nbformat_minor: 5, nbformat: 4, metadata: { z: 1, a: 'é' }, cells: [] }), 'nb.ipynb');
    assert.equal(serializeNotebook(nb), '{\n "cells": [],\n "metadata": {\n  "a": "é",\n  "z": 1\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n');
  });
});
