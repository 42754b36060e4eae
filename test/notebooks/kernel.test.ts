// The notebook kernel through its parent-side API (what the VS Code controller and the CLI use):
// cells run as IPython runs them, in one interpreter whose state lives across cells, and each
// executed cell is a run with its own stamped events.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/protocol/run-events.js';
import { NotebookKernel, type CellOutput, type CellRun } from '../../src/runner/kernel/notebook-kernel.js';
import { countColour, inkPixels, readPng } from '../figures/png.js';

const folder = mkdtempSync(join(tmpdir(), 'autograd-lab-kernel-'));
const notebookPath = join(folder, 'lab.ipynb');

function startKernel(probes = false): NotebookKernel {
  return NotebookKernel.start({ notebookPath, userRoot: folder, probes, graph: probes });
}

interface Executed {
  run: CellRun;
  outputs: CellOutput[];
}

async function execute(kernel: NotebookKernel, code: string, cellId = `${notebookPath}#cell`): Promise<Executed> {
  const outputs: CellOutput[] = [];
  const run = await kernel.execute({ code, cellId }, (o) => outputs.push(o));
  return { run, outputs };
}

const stdoutOf = (outputs: CellOutput[]) => outputs.map((o) => (o.kind === 'stream' && o.name === 'stdout' ? o.text : '')).join('');
const resultOf = (outputs: CellOutput[]) => outputs.find((o): o is Extract<CellOutput, { kind: 'result' }> => o.kind === 'result');
const errorOf = (outputs: CellOutput[]) => outputs.find((o): o is Extract<CellOutput, { kind: 'error' }> => o.kind === 'error');
const masked = (text: string) => text.replace(/0x[0-9a-f]+/g, '0x…');

interface IPythonCell {
  code: string;
  stdout: string;
  result?: string;
  traceback?: string[];
}
const ipython = JSON.parse(readFileSync(new URL('./fixtures/ipython-cells.json', import.meta.url), 'utf8')) as { cells: IPythonCell[] };

describe('cells show what IPython shows for them (fixtures/ipython-cells.json, from IPython itself)', () => {
  let kernel: NotebookKernel;
  before(async () => {
    kernel = startKernel();
    await kernel.ready;
  });
  after(() => kernel.dispose());

  for (const [i, cell] of ipython.cells.entries()) {
    it(`In [${i + 1}]: ${cell.code.split('\n').at(-1)}`, async () => {
      const { run, outputs } = await execute(kernel, cell.code);
      assert.equal(run.executionCount, i + 1);
      assert.equal(stdoutOf(outputs), cell.stdout);
      const result = resultOf(outputs);
      assert.equal(result === undefined ? undefined : masked(result.data['text/plain']!), cell.result);
      if (result) assert.equal(result.executionCount, i + 1);
      assert.deepEqual(errorOf(outputs)?.traceback, cell.traceback);
      assert.equal(run.status, cell.traceback === undefined ? 'ok' : /^KeyboardInterrupt/m.test(cell.traceback.at(-1)!) ? 'interrupted' : 'error');
    });
  }
});

describe('a notebook kernel', () => {
  let kernel: NotebookKernel;
  const events: RunEvent[] = [];
  before(async () => {
    kernel = startKernel(true);
    kernel.onRunEvent((e) => events.push(e));
    await kernel.ready;
  });
  after(() => kernel.dispose());

  it('accepts %matplotlib inline without a word', async () => {
    const { run, outputs } = await execute(kernel, '%matplotlib inline\nanswer = 42\nanswer');
    assert.equal(run.status, 'ok');
    assert.deepEqual(outputs.map((o) => o.kind), ['result']);
  });

  it('answers another magic with an error naming it, running nothing of the cell', async () => {
    const { run, outputs } = await execute(kernel, 'answer = 0\n%timeit answer + 1');
    assert.equal(run.status, 'error');
    const error = errorOf(outputs)!;
    assert.equal(error.ename, 'UsageError');
    assert.match(error.evalue, /line 2: the magic %timeit does not run/);
    assert.equal(resultOf((await execute(kernel, 'answer')).outputs)!.data['text/plain'], '42');
  });

  it('answers a shell command with an error naming it', async () => {
    const error = errorOf((await execute(kernel, '!pip install torch')).outputs)!;
    assert.equal(error.ename, 'UsageError');
    assert.match(error.evalue, /shell commands \(!pip install torch\) do not run/);
  });

  it("shows a plot cell's Line2D list, then its figure as a PNG with matplotlib's text", async () => {
    const { outputs } = await execute(kernel, 'import matplotlib.pyplot as plt\nplt.xlabel("x")\nplt.ylabel("y")\nplt.plot([1, 2, 3], [1, 4, 9], "r-")');
    assert.deepEqual(outputs.map((o) => o.kind), ['result', 'display']);
    assert.match(resultOf(outputs)!.data['text/plain']!, /^\[<matplotlib\.lines\.Line2D at 0x[0-9a-f]+>\]$/);
    const figure = outputs[1] as Extract<CellOutput, { kind: 'display' }>;
    assert.equal(figure.data['text/plain'], '<Figure size 640x480 with 1 Axes>');
    const png = readPng(Buffer.from(figure.data['image/png']!, 'base64'));
    // Cropped to what is drawn, as IPython's inline backend does (bbox_inches='tight'):
    // real matplotlib gives 563×432 for this figure; the fonts differ a little.
    assert.ok(png.width > 500 && png.width < 640, `width ${png.width}`);
    assert.ok(png.height > 400 && png.height < 480, `height ${png.height}`);
    assert.ok(countColour(png, '#ff0000') > 100, 'the red line is drawn');
    assert.ok(inkPixels(png) > 2000, 'axes, ticks and labels are drawn');
  });

  it('shows each figure once: a shown figure is closed', async () => {
    const { outputs } = await execute(kernel, 'fig = plt.figure()\nplt.plot([0, 1])\nplt.show()\nlen(plt.get_fignums())');
    assert.deepEqual(outputs.map((o) => o.kind), ['display', 'result']);
    assert.equal(resultOf(outputs)!.data['text/plain'], '0');
  });

  it("writes savefig's SVG into the notebook's folder, with the axis labels as text", async () => {
    const { run } = await execute(kernel, 'fig = plt.figure()\nplt.xlabel("Fahrenheit")\nplt.ylabel("Celsius")\nplt.plot([20, 80], [-6, 26])\nfig.savefig("fit.svg", format="svg")\nplt.close(fig)');
    assert.equal(run.status, 'ok');
    const svg = readFileSync(join(folder, 'fit.svg'), 'utf8');
    assert.ok(svg.includes('Fahrenheit') && svg.includes('Celsius'));
  });

  it('display() shows each object under the cell as it runs, a figure as an image', async () => {
    const { outputs } = await execute(kernel, 'display("text", [1, 2])\nfig = plt.figure()\nplt.plot([1, 2])\ndisplay(fig)\nplt.close(fig)\nprint("end")');
    assert.deepEqual(
      outputs.map((o) => (o.kind === 'display' ? (o.data['image/png'] ? 'image' : o.data['text/plain']) : o.kind)),
      ["'text'", '[1, 2]', 'image', 'stream'],
    );
  });

  it('streams printed text while the cell still runs', async () => {
    let sawText!: () => void;
    const printed = new Promise<void>((r) => (sawText = r));
    const outputs: CellOutput[] = [];
    const running = kernel.execute({ code: 'print("started", flush=True)\nwhile True:\n    pass', cellId: 'streaming' }, (o) => {
      outputs.push(o);
      if (o.kind === 'stream') sawText();
    });
    await printed; // the cell never ends by itself: the text came while it ran
    kernel.interrupt();
    const run = await running;
    assert.equal(run.status, 'interrupted');
    assert.equal(stdoutOf(outputs), 'started\n');
  });

  it('interrupts an endless cell with KeyboardInterrupt and keeps the variables of earlier cells', async () => {
    await execute(kernel, 'kept = [1, 2, 3]');
    const running = execute(kernel, 'n = 0\nwhile True:\n    n += 1');
    setTimeout(() => kernel.interrupt(), 300);
    const { run, outputs } = await running;
    assert.equal(run.status, 'interrupted');
    assert.equal(errorOf(outputs)!.ename, 'KeyboardInterrupt');
    assert.match(errorOf(outputs)!.traceback.join('\n'), /----> 3 +n \+= 1/);
    assert.equal(resultOf((await execute(kernel, 'kept, n > 0')).outputs)!.data['text/plain'], '([1, 2, 3], True)');
  });

  it('interrupts a cell waiting in time.sleep', async () => {
    const running = execute(kernel, 'import time\ntime.sleep(600)');
    setTimeout(() => kernel.interrupt(), 300);
    const { run, outputs } = await running;
    assert.equal(run.status, 'interrupted');
    assert.match(errorOf(outputs)!.traceback.join('\n'), /----> 2 time\.sleep\(600\)/);
  });

  it('makes each executed cell a run: its probes and curves name the cell, its graph nodes the cell line', async () => {
    const cellId = 'vscode-notebook-cell:/home/learner/lab.ipynb#W3sZmlsZQ%3D%3D';
    const code = 'import torch\nw = torch.tensor([1.0], requires_grad=True)\nfor epoch in range(5):\n    loss = ((w * 3 - 6) ** 2).sum()\n    loss.backward()';
    const { run } = await execute(kernel, code, cellId);
    const mine = events.filter((e) => e.runId === run.runId);
    assert.equal(mine[0]!.type, 'run-started');
    assert.equal((mine[0] as Extract<RunEvent, { type: 'run-started' }>).script, cellId);
    assert.equal(mine.at(-1)!.type, 'run-finished');
    const probes = mine.flatMap((e) => (e.type === 'probes' ? e.probes : []));
    const loss = probes.filter((p) => p.name === 'loss').at(-1)!;
    assert.deepEqual([loss.file, loss.line, loss.hits], [cellId, 4, 5]);
    const metrics = mine.filter((e): e is Extract<RunEvent, { type: 'metrics' }> => e.type === 'metrics');
    assert.ok(metrics.some((m) => m.series.some((s) => s.name === 'loss' && s.location?.file === cellId)));
    const graph = mine.filter((e): e is Extract<RunEvent, { type: 'graph' }> => e.type === 'graph').at(-1)!;
    const pow = graph.snapshot.nodes.find((n) => n.name === 'PowBackward0')!;
    assert.deepEqual([pow.location?.file, pow.location?.line], [cellId, 4]);
    assert.ok(events.every((e) => e.runId !== run.runId || mine.includes(e)));
  });

  it("ends a failing cell's run with run-failed carrying the error at the cell's line", async () => {
    const { run } = await execute(kernel, 'a = 1\nb = a / 0', 'cell-that-fails');
    const failed = events.find((e) => e.runId === run.runId && e.type === 'run-failed') as Extract<RunEvent, { type: 'run-failed' }>;
    assert.equal(failed.error.name, 'ZeroDivisionError');
    assert.deepEqual([failed.error.location?.file, failed.error.location?.line], ['cell-that-fails', 2]);
  });
});

describe('restarting and disposing a notebook kernel', () => {
  it('restart gives a fresh interpreter whose counts start again at 1', async () => {
    const kernel = startKernel();
    try {
      await kernel.ready;
      await execute(kernel, 'gone = 1');
      await execute(kernel, 'gone');
      await kernel.restart();
      const { run, outputs } = await execute(kernel, 'gone');
      assert.equal(run.executionCount, 1);
      assert.equal(errorOf(outputs)!.evalue, "name 'gone' is not defined");
    } finally {
      kernel.dispose();
    }
  });

  it('restart ends the running cell as interrupted and rejects the queued ones', async () => {
    const kernel = startKernel();
    try {
      await kernel.ready;
      const running = execute(kernel, 'while True:\n    pass');
      const queued = execute(kernel, '1');
      await new Promise((r) => setTimeout(r, 200));
      const restarted = kernel.restart();
      assert.equal((await running).run.status, 'interrupted');
      await assert.rejects(queued, /not run: the kernel was restarted/);
      await restarted;
      assert.equal(resultOf((await execute(kernel, '2 + 2')).outputs)!.data['text/plain'], '4');
    } finally {
      kernel.dispose();
    }
  });

  it('dispose rejects what is queued and refuses later cells', async () => {
    const kernel = startKernel();
    const queued = execute(kernel, '1');
    kernel.dispose();
    await assert.rejects(queued, /not run: the kernel was shut down/);
    await assert.rejects(execute(kernel, '1'), /shut down/);
    await assert.rejects(kernel.ready, /did not start: the kernel was shut down/);
  });
});
