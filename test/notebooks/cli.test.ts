// `autograd-lab run notebook.ipynb`: every code cell in order in one kernel, outputs printed,
// `--output` writing the executed notebook as `jupyter nbconvert --to notebook --execute` does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';

const cli = resolve('bin', 'autograd-lab.mjs');
const examples = resolve('examples', 'notebooks');

function run(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'run', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Json = Record<string, unknown>;
interface Cell extends Json {
  cell_type: string;
  source: string[];
  outputs?: Json[];
  execution_count?: number | null;
}
const readNotebook = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { cells: Cell[]; metadata: Json; nbformat: number; nbformat_minor: number };
const joined = (text: unknown) => (Array.isArray(text) ? text.join('') : String(text));
const codeCells = (nb: { cells: Cell[] }) => nb.cells.filter((c) => c.cell_type === 'code');
const textOf = (cell: Cell) => (cell.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stdout').map((o) => joined(o.text)).join('');
const resultOf = (cell: Cell) => {
  const r = (cell.outputs ?? []).find((o) => o.output_type === 'execute_result') as { data: Json } | undefined;
  return r === undefined ? undefined : joined(r.data['text/plain']);
};
const masked = (text: string | undefined) => text?.replace(/0x[0-9a-f]+/g, '0x…');

function notebookFile(dir: string, name: string, cells: { cell_type: string; source: string }[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ cells: cells.map((c) => ({ metadata: {}, ...c, ...(c.cell_type === 'code' ? { outputs: [], execution_count: null } : {}) })), metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return path;
}

// The book's printed numbers (chapter 5, In [29] … In [53]).
const BOOK_SGD = `Epoch 500, Loss 7.860116
Epoch 1000, Loss 3.828538
Epoch 1500, Loss 3.092191
Epoch 2000, Loss 2.957697
Epoch 2500, Loss 2.933134
Epoch 3000, Loss 2.928648
Epoch 3500, Loss 2.927830
Epoch 4000, Loss 2.927679
Epoch 4500, Loss 2.927652
Epoch 5000, Loss 2.927647
`;
const BOOK_ADAM = `Epoch 500, Loss 7.612903
Epoch 1000, Loss 3.086700
Epoch 1500, Loss 2.928578
Epoch 2000, Loss 2.927646
`;
const BOOK_SPLIT = `Epoch 1, Training loss 90.34750366210938, Validation loss 35.44009780883789
Epoch 2, Training loss 40.74310302734375, Validation loss 12.03737735748291
Epoch 3, Training loss 34.29985046386719, Validation loss 11.497885704040527
Epoch 500, Training loss 8.272359848022461, Validation loss 1.0062336921691895
Epoch 1000, Training loss 3.6953022480010986, Validation loss 2.0580081939697266
Epoch 1500, Training loss 2.8709726333618164, Validation loss 3.6276702880859375
Epoch 2000, Training loss 2.72251296043396, Validation loss 4.496127128601074
Epoch 2500, Training loss 2.695772886276245, Validation loss 4.9011125564575195
Epoch 3000, Training loss 2.690957546234131, Validation loss 5.079550743103027
`;
/** Each code cell of chapter5-autograd-optim.ipynb: what it prints, then its Out[n]. */
const CHAPTER5: [string, string | undefined][] = [
  ['', undefined],
  ['', 'torch.Size([11])'],
  ['', undefined],
  ['', 'True'],
  ['', 'tensor([4517.2969,   82.6000])'],
  ['', undefined],
  [BOOK_SGD, 'tensor([  5.3671, -17.3012], requires_grad=True)'],
  ['', 'tensor([ 9.5483e-01, -8.2600e-04], requires_grad=True)'],
  ['', 'tensor([1.7761, 0.1064], requires_grad=True)'],
  ['', undefined],
  [BOOK_SGD, 'tensor([  5.3671, -17.3012], requires_grad=True)'],
  [BOOK_ADAM, 'tensor([  0.5367, -17.3021], requires_grad=True)'],
  ['', '(11, 2)'],
  ['', '(tensor([ 9,  0, 10,  3,  4,  2,  7,  8,  5]), tensor([1, 6]))'],
  ['', undefined],
  ['', undefined],
  [BOOK_SPLIT, 'tensor([  5.5010, -18.3851], requires_grad=True)'],
  ['', '(False, True)'],
];

describe('autograd-lab run chapter5-autograd-optim.ipynb', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-nb5-'));
  const input = join(dir, 'chapter5.ipynb');
  const output = join(dir, 'executed.ipynb');
  let result: ReturnType<typeof run>;
  before(() => {
    copyFileSync(join(examples, 'chapter5-autograd-optim.ipynb'), input);
    result = run(dir, 'chapter5.ipynb', '--output', 'executed.ipynb');
  });

  it("runs every cell and prints the book's numbers", () => {
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(`${BOOK_SGD}Out[7]: tensor([  5.3671, -17.3012], requires_grad=True)`), result.stdout);
    assert.ok(result.stdout.includes(`${BOOK_ADAM}Out[12]: tensor([  0.5367, -17.3021], requires_grad=True)`));
    assert.ok(result.stdout.includes(`${BOOK_SPLIT}Out[17]: tensor([  5.5010, -18.3851], requires_grad=True)`));
  });

  it("records each code cell's printed text and Out[n] in the executed notebook", () => {
    const cells = codeCells(readNotebook(output));
    assert.deepEqual(cells.map((c) => [textOf(c), resultOf(c)]), CHAPTER5);
  });

  it('numbers the executed cells 1, 2, 3 … as the kernel ran them', () => {
    const cells = codeCells(readNotebook(output));
    assert.deepEqual(cells.map((c) => c.execution_count), cells.map((_, i) => i + 1));
    for (const c of cells) for (const o of c.outputs!) if (o.output_type === 'execute_result') assert.equal(o.execution_count, c.execution_count);
  });

  it("keeps the markdown cells, the cells' ids and the notebook's metadata as they were", () => {
    const before = readNotebook(input);
    const after = readNotebook(output);
    assert.deepEqual(after.metadata, before.metadata);
    assert.deepEqual([after.nbformat, after.nbformat_minor], [before.nbformat, before.nbformat_minor]);
    assert.deepEqual(after.cells.filter((c) => c.cell_type !== 'code'), before.cells.filter((c) => c.cell_type !== 'code'));
    assert.deepEqual(after.cells.map((c) => [c.id, c.source]), before.cells.map((c) => [c.id, c.source]));
  });

  it('leaves the input notebook untouched', () => {
    assert.equal(readFileSync(input, 'utf8'), readFileSync(join(examples, 'chapter5-autograd-optim.ipynb'), 'utf8'));
  });
});

interface Expected {
  cells: { stdout: string; result?: string }[];
}
const CHAPTER6 = JSON.parse(readFileSync(new URL('./fixtures/chapter6-nn-sequential.outputs.json', import.meta.url), 'utf8')) as Expected;

describe('autograd-lab run chapter6-nn-sequential.ipynb (compared with PyTorch, fixtures/chapter6-nn-sequential.outputs.json)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-nb6-'));
  let cells: Cell[];
  before(() => {
    copyFileSync(join(examples, 'chapter6-nn-sequential.ipynb'), join(dir, 'chapter6.ipynb'));
    run(dir, 'chapter6.ipynb', '--allow-errors', '--output', 'executed.ipynb');
    cells = codeCells(readNotebook(join(dir, 'executed.ipynb')));
  });
  const SEED = 0;
  const TRAINING = 10;
  const FIGURE = 11;
  const SAVEFIG = 12;
  const MORE_ACTIVATIONS = 14;

  it('builds the data, nn.Linear, nn.Sequential and the OrderedDict model as PyTorch does', () => {
    for (const [i, expected] of CHAPTER6.cells.entries()) {
      if (i === SEED || i === TRAINING || i === FIGURE || i === SAVEFIG || i === MORE_ACTIVATIONS) continue;
      assert.deepEqual([textOf(cells[i]!), masked(resultOf(cells[i]!))], [expected.stdout, expected.result], `code cell ${i + 1}`);
    }
  });

  it("shows torch.manual_seed's generator as PyTorch does", () => {
    assert.equal(masked(resultOf(cells[SEED]!)), CHAPTER6.cells[SEED]!.result);
  });

  it('applies nn.Hardtanh, nn.ELU and nn.Softsign as PyTorch does', () => {
    assert.equal(textOf(cells[MORE_ACTIVATIONS]!), CHAPTER6.cells[MORE_ACTIVATIONS]!.stdout);
  });

  it('trains to the losses PyTorch prints', { todo: "the engine's float32 results differ from PyTorch's in the last bit from epoch 20 on, and 5000 epochs amplify it (report of h-nbk)" }, () => {
    assert.equal(textOf(cells[TRAINING]!), CHAPTER6.cells[TRAINING]!.stdout);
  });

  it('draws the fit: the Line2D list, the figure as a PNG, and savefig writing SVG and PNG files', () => {
    assert.equal(masked(resultOf(cells[FIGURE]!)), CHAPTER6.cells[FIGURE]!.result);
    const figure = cells[FIGURE]!.outputs!.find((o) => o.output_type === 'display_data') as { data: Json } | undefined;
    assert.equal(joined(figure?.data['text/plain']), '<Figure size 640x480 with 1 Axes>');
    const svg = readFileSync(join(dir, 'thermometer-fit.svg'), 'utf8');
    assert.ok(svg.includes('Fahrenheit') && svg.includes('Celsius'));
    assert.ok(existsSync(join(dir, 'thermometer-fit.png')));
  });
});

describe('autograd-lab run on a notebook whose cell fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-nberr-'));
  notebookFile(dir, 'fails.ipynb', [
    { cell_type: 'code', source: 'print("first")' },
    { cell_type: 'markdown', source: 'Next, a mistake:' },
    { cell_type: 'code', source: 'value = 1\nvalue / 0' },
    { cell_type: 'code', source: 'print("after")' },
  ]);

  it('stops at the failing cell with exit code 1, naming it, and writes nothing', () => {
    const r = run(dir, 'fails.ipynb', '--output', 'out.ipynb');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Cell In\[2\], line 2\n      1 value = 1\n----> 2 value \/ 0/);
    assert.match(r.stderr, /ZeroDivisionError: division by zero/);
    assert.match(r.stderr, /cell 3 raised an error; the cells after it did not run and out\.ipynb was not written/);
    assert.ok(!r.stdout.includes('after'));
    assert.ok(!existsSync(join(dir, 'out.ipynb')));
  });

  it('with --allow-errors records the error in its cell and runs the next cells', () => {
    const r = run(dir, 'fails.ipynb', '--allow-errors', '--output', 'out.ipynb');
    assert.equal(r.code, 0, r.stderr);
    const cells = codeCells(readNotebook(join(dir, 'out.ipynb')));
    assert.deepEqual(cells.map((c) => c.execution_count), [1, 2, 3]);
    const error = cells[1]!.outputs![0]!;
    assert.deepEqual([error.output_type, error.ename, error.evalue], ['error', 'ZeroDivisionError', 'division by zero']);
    assert.equal(textOf(cells[2]!), 'after\n');
  });
});

describe('autograd-lab run refuses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autograd-lab-nbbad-'));

  it('a notebook that is not JSON, naming the problem', () => {
    writeFileSync(join(dir, 'broken.ipynb'), '{"cells": [');
    const r = run(dir, 'broken.ipynb');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.ipynb is not a notebook: it is not valid JSON/);
  });

  it('a cell of an unknown type, naming the cell', () => {
    writeFileSync(join(dir, 'odd.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'widget', source: '' }] }));
    const r = run(dir, 'odd.ipynb');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /odd\.ipynb, cell 1: unknown cell type 'widget'/);
  });

  it('to write the executed notebook over the notebook itself, however the path is spelled', () => {
    const input = notebookFile(dir, 'same.ipynb', [{ cell_type: 'code', source: '1' }]);
    const before = readFileSync(input, 'utf8');
    const r = run(dir, 'same.ipynb', '--output', './sub/../same.ipynb');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--output \.\/sub\/\.\.\/same\.ipynb is the notebook being run/);
    assert.equal(readFileSync(input, 'utf8'), before);
  });
});
