// Python scripts (#5): .py files run under Pyodide with the `torch` layer over the engine.
// Each run starts Pyodide (~3 s), so the runs go concurrently.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { startRun } from '../../src/runner/runner.js';
import type { RunEvent, RunFailedEvent } from '../../src/protocol/run-events.js';
import { pointsOf } from '../metric-points.js';

const run = promisify(execFile);
const cli = join('bin', 'autograd-lab.mjs');

/** Runs a script through the CLI (the built dist, as a learner does); stdout. */
async function cliOutput(script: string): Promise<string> {
  const { stdout } = await run(process.execPath, [cli, 'run', script, '--no-record'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return stdout;
}

const tmp = mkdtempSync(join(tmpdir(), 'agl-py-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
function script(name: string, text: string): string {
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
}

function stdoutOf(evs: RunEvent[]): string {
  return evs.flatMap((e) => (e.type === 'output' && e.stream === 'stdout' ? [e.text] : [])).join('');
}

async function events(file: string, options: { stopAfterMs?: number } = {}): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  const r = startRun({ script: file, onEvent: (e) => void out.push(e) });
  if (options.stopAfterMs !== undefined) {
    // Stop once the script is surely inside its loop (Pyodide is up and the first line printed).
    await new Promise<void>((resolve) => {
      const off = r.onEvent((e) => {
        if (e.type === 'output') {
          off();
          setTimeout(resolve, options.stopAfterMs);
        }
      });
    });
    r.stop();
  }
  await r.done;
  return out;
}

const examples = [
  ...readdirSync(join('examples', 'thermometer')).filter((f) => f.endsWith('.py')).map((f) => join('examples', 'thermometer', f)),
  join('examples', 'chapter6', 'seq-model.py'),
];

describe('Python examples print exactly their expected output', { concurrency: 4 }, () => {
  it('has a .py twin for each thermometer .ts example', () => {
    for (const f of readdirSync(join('examples', 'thermometer')).filter((f) => f.endsWith('.ts'))) {
      assert.ok(existsSync(join('examples', 'thermometer', f.replace(/\.ts$/, '.py'))), `${f} has no .py twin`);
    }
  });
  for (const file of examples) {
    it(file, async () => {
      // Where Python's own print differs (True vs true, a list's repr) the .py has its own file.
      // The expected outputs live under test/, out of the learner's sight.
      const expectedBase = join('test', file).replace(/\.py$/, '');
      const own = `${expectedBase}.py.expected.txt`;
      const expected = readFileSync(existsSync(own) ? own : `${expectedBase}.expected.txt`, 'utf8');
      assert.equal(await cliOutput(file), expected);
    });
  }
  it('chapter 6: the .ts twin prints the same text', async () => {
    const expected = readFileSync(join('test', 'examples', 'chapter6', 'seq-model.expected.txt'), 'utf8');
    assert.equal(await cliOutput(join('examples', 'chapter6', 'seq-model.ts')), expected);
  });
});

describe('Python runs in the runner', { concurrency: 4 }, () => {
  it('supports each listed construct, printing what PyTorch prints', async () => {
    const expected = readFileSync(join('test', 'python', 'fixtures', 'constructs.expected.txt'), 'utf8');
    assert.equal(await cliOutput(join('test', 'python', 'fixtures', 'constructs.py')), expected);
  });

  it('names what is not supported yet in a NotImplementedError', async () => {
    const file = script('unsupported.py', 'import torch\nx = torch.ones(2)\ny = torch.fft.fft(x)\n');
    const end = (await events(file)).at(-1) as RunFailedEvent;
    assert.equal(end.type, 'run-failed');
    assert.equal(end.error.name, 'NotImplementedError');
    assert.equal(end.error.message, 'torch.fft is not supported by Autograd Lab yet');
    assert.equal(end.error.location?.line, 3);
    const file2 = script('unsupported2.py', 'import torch\ntorch.ones(2).stft()\n');
    const end2 = (await events(file2)).at(-1) as RunFailedEvent;
    assert.equal(end2.error.message, 'torch.Tensor.stft is not supported by Autograd Lab yet');
  });

  it('raises engine errors as PyTorch’s exception classes with PyTorch’s messages, whichever way the call went', async () => {
    // The expected text is the same script's output under PyTorch 1.13.
    const expected = readFileSync(join('test', 'python', 'fixtures', 'exceptions.expected.txt'), 'utf8');
    assert.equal(await cliOutput(join('test', 'python', 'fixtures', 'exceptions.py')), expected);
  });

  it('shows the engine’s hint under an uncaught error, in Python syntax', async () => {
    const file = script('hint.py', 'import torch\nx = torch.tensor([1, 2])\nx.requires_grad_()\n');
    const end = (await events(file)).at(-1) as RunFailedEvent;
    assert.equal(end.error.name, 'RuntimeError');
    assert.equal(end.error.message, 'only Tensors of floating point dtype can require gradients\nAutograd Lab: create it from decimal data or pass dtype=torch.float32.');
    assert.match(end.error.stack, /\nRuntimeError: only Tensors of floating point dtype can require gradients\nAutograd Lab: create it/);
    assert.equal(end.error.location?.line, 3);
  });

  it('shares memory with NumPy as PyTorch does: numpy() and from_numpy() share, tensor() copies, as_tensor() shares', async () => {
    // The expected text is the same script's output under PyTorch 1.13 and NumPy 1.24.
    const expected = readFileSync(join('test', 'python', 'fixtures', 'numpy_glue.expected.txt'), 'utf8');
    assert.equal(await cliOutput(join('test', 'python', 'fixtures', 'numpy_glue.py')), expected);
  });

  it('gives back from torch.load what torch.save saved: dicts, state_dict OrderedDicts, None, int keys', async () => {
    // Run from a temporary copy: the script saves its checkpoints next to itself.
    const file = script('checkpoints.py', readFileSync(join('test', 'python', 'fixtures', 'checkpoints.py'), 'utf8'));
    assert.equal(await cliOutput(file), readFileSync(join('test', 'python', 'fixtures', 'checkpoints.expected.txt'), 'utf8'));
  });

  it('draws from a torch.Generator of its own what PyTorch draws, as generator= of every random function', async () => {
    const expected = readFileSync(join('test', 'python', 'fixtures', 'generators.expected.txt'), 'utf8');
    assert.equal(await cliOutput(join('test', 'python', 'fixtures', 'generators.py')), expected);
  });

  it('keeps str(e) of a shape error PyTorch’s text and puts the hint in the note the traceback prints', async () => {
    const file = script(
      'shape-hint.py',
      [
        'import torch',
        'try:',
        '    torch.ones(2, 3).mv(torch.ones(4))',
        'except RuntimeError as e:',
        '    print(repr(str(e)))',
        '    print(e.__notes__)',
        'a = torch.ones(2, 3)',
        'a @ a',
        '',
      ].join('\n'),
    );
    const evs = await events(file);
    assert.equal(
      stdoutOf(evs),
      "'size mismatch, got input (2), mat (2x3), vec (4)'\n" +
        '["Autograd Lab: mv needs the vector\'s length to equal the matrix\'s columns (3); for a batch of vectors use matmul."]\n',
    );
    const end = evs.at(-1) as RunFailedEvent;
    assert.equal(end.error.name, 'RuntimeError');
    assert.match(end.error.stack, /\nRuntimeError: mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)\nAutograd Lab: for A @ B the columns of A \(3\) must equal the rows of B \(2\)/);
    assert.equal(end.error.location?.line, 8);
  });

  it('answers hasattr with a bool and raises NotImplementedError on use for what PyTorch has and Autograd Lab lacks', async () => {
    const file = script(
      'has.py',
      [
        'import torch',
        'import torch.optim as optim',
        'print(hasattr(torch, "fft"), hasattr(torch.ones(1), "stft"), hasattr(optim, "swa_utils"), hasattr(torch, "no_such_name"))',
        'for probe in (lambda: torch.fft, lambda: torch.ones(1).stft, lambda: __import__("torch.fft")):',
        '    try:',
        '        probe()',
        '    except NotImplementedError as e:',
        '        print(e)',
        'try:',
        '    import torch.no_such_module',
        'except ModuleNotFoundError as e:',
        '    print(type(e).__name__)',
        '',
      ].join('\n'),
    );
    assert.equal(
      await cliOutput(file),
      'False False False False\ntorch.fft is not supported by Autograd Lab yet\ntorch.Tensor.stft is not supported by Autograd Lab yet\ntorch.fft is not supported by Autograd Lab yet\nModuleNotFoundError\n',
    );
  });

  it('raises engine warnings through Python’s warnings module, at the learner’s line', async () => {
    const file = script(
      'warn.py',
      [
        'import warnings',
        'import torch',
        'x = torch.tensor([1.0, 2.0], requires_grad=True)',
        'y = x * 2',
        'with warnings.catch_warnings(record=True) as caught:',
        '    warnings.simplefilter("always")',
        '    g = y.grad',
        'print(g is None, len(caught), caught[0].category.__name__, caught[0].lineno)',
        '',
      ].join('\n'),
    );
    const evs = await events(file);
    const stdout = evs.flatMap((e) => (e.type === 'output' && e.stream === 'stdout' ? [e.text] : [])).join('');
    assert.equal(stdout, 'True 1 UserWarning 7\n');
    assert.ok(evs.some((e) => e.type === 'warning' && e.message.startsWith('The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.')));
  });

  it('prints an engine warning as Python does: file, line, category, message and the source line', async () => {
    const file = script('warn2.py', 'import torch\nx = torch.tensor([1.0], requires_grad=True)\ny = x * 2\nprint(y.grad)\n');
    const stderr = (await events(file)).flatMap((e) => (e.type === 'output' && e.stream === 'stderr' ? [e.text] : [])).join('');
    assert.match(stderr, /^.*warn2\.py:4: UserWarning: The \.grad attribute of a Tensor that is not a leaf Tensor is being accessed\..*\n {2}print\(y\.grad\)\n/);
  });

  it('hands Python every engine warning: simplefilter("always") sees each one', async () => {
    const file = script(
      'warn-always.py',
      [
        'import warnings',
        'import torch',
        'y = torch.tensor([1.0], requires_grad=True) * 2',
        'with warnings.catch_warnings(record=True) as caught:',
        '    warnings.simplefilter("always")',
        '    for _ in range(3):',
        '        y.grad',
        'print(len(caught))',
        '',
      ].join('\n'),
    );
    assert.equal(stdoutOf(await events(file)), '3\n');
  });

  it('shows an engine warning once per line by default, as Python shows PyTorch’s, and reports it once', async () => {
    const file = script(
      'warn-lines.py',
      ['import torch', 'y = torch.tensor([1.0], requires_grad=True) * 2', 'for _ in range(3):', '    y.grad', 'y.grad', ''].join('\n'),
    );
    const evs = await events(file);
    const stderr = evs.flatMap((e) => (e.type === 'output' && e.stream === 'stderr' ? [e.text] : [])).join('');
    assert.deepEqual([...stderr.matchAll(/warn-lines\.py:(\d+): UserWarning/g)].map((m) => m[1]), ['4', '5']);
    assert.equal(evs.filter((e) => e.type === 'warning').length, 1);
  });

  it('steps a scheduler after optimizer.step() without PyTorch’s order warning', async () => {
    const file = script(
      'sched-order.py',
      [
        'import warnings',
        'import torch',
        'import torch.optim as optim',
        'p = torch.zeros(2, requires_grad=True)',
        'opt = optim.SGD([p], lr=0.1)',
        'sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)',
        'with warnings.catch_warnings(record=True) as caught:',
        '    warnings.simplefilter("always")',
        '    opt.step()',
        '    sched.step()',
        'print([str(w.message)[:40] for w in caught], sched.get_last_lr())',
        '',
      ].join('\n'),
    );
    assert.equal(stdoutOf(await events(file)), '[] [0.05]\n');
  });

  it('gives state_dict() as PyTorch’s dicts: state by parameter position, params as positions', async () => {
    const file = script(
      'state-dict.py',
      [
        'import torch',
        'import torch.optim as optim',
        'a = torch.tensor([1.0, 2.0], requires_grad=True)',
        'b = torch.tensor([3.0], requires_grad=True)',
        'opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)',
        '(a * a).sum().backward()',
        'opt.step()',
        'sd = opt.state_dict()',
        'print(sorted(sd), sorted(sd["state"]), sd["state"][0]["momentum_buffer"])',
        'print([g["params"] for g in sd["param_groups"]], [g["lr"] for g in sd["param_groups"]])',
        'opt.load_state_dict(sd)',
        'print(opt.state_dict()["state"][0]["momentum_buffer"])',
        '',
      ].join('\n'),
    );
    assert.equal(
      stdoutOf(await events(file)),
      "['param_groups', 'state'] [0] tensor([2., 4.])\n[[0], [1]] [0.1, 0.5]\ntensor([2., 4.])\n",
    );
  });

  it('reports a syntax error at its line', async () => {
    const file = script('syntax.py', 'import torch\n\nx = torch.tensor([1.0, 2.0]\nprint(x)\n');
    const end = (await events(file)).at(-1) as RunFailedEvent;
    assert.equal(end.type, 'run-failed');
    assert.equal(end.error.name, 'SyntaxError');
    assert.deepEqual({ file: end.error.location?.file, line: end.error.location?.line }, { file, line: 3 });
  });

  it('reports a runtime error at the learner’s line, traceback trimmed to their frames', async () => {
    const file = script('runtime.py', 'import torch\n\ndef f(t):\n    return t @ torch.ones(3)\n\ny = f(torch.ones(2))\n');
    const end = (await events(file)).at(-1) as RunFailedEvent;
    assert.equal(end.type, 'run-failed');
    assert.equal(end.error.name, 'RuntimeError');
    assert.equal(end.error.location?.line, 4);
    assert.equal(end.error.location?.file, file);
    assert.match(end.error.stack, /^Traceback \(most recent call last\):\n {2}File ".*runtime\.py", line 6, in <module>\n {4}y = f\(torch\.ones\(2\)\)\n {2}File ".*runtime\.py", line 4, in f\n/);
    assert.doesNotMatch(end.error.stack, /autograd_lab|_agl_|pyodide/);
  });

  it('stops `while True: pass`', { timeout: 120_000 }, async () => {
    const file = script('busy.py', "print('looping', flush=True)\nwhile True:\n    pass\n");
    const evs = await events(file, { stopAfterMs: 200 });
    const end = evs.at(-1)!;
    assert.equal(end.type, 'run-finished');
    assert.equal((end as { status: string }).status, 'stopped');
  });

  it('reports probes, loss curves and graph snapshots with Python line numbers', async () => {
    const file = script(
      'train.py',
      [
        'import torch',
        'import torch.optim as optim',
        'x = torch.tensor([1.0, 2.0, 3.0])',
        'y = torch.tensor([2.0, 4.0, 6.0])',
        'params = torch.tensor([0.0, 0.0], requires_grad=True)',
        'optimizer = optim.SGD([params], lr=0.05)',
        'for epoch in range(50):',
        '    w, b = params',
        '    loss = ((w * x + b - y) ** 2).mean()',
        '    optimizer.zero_grad()',
        '    loss.backward()',
        '    optimizer.step()',
        'total = 0.0',
        'total += loss.item()',
        '',
      ].join('\n'),
    );
    const evs = await events(file);
    assert.equal(evs.at(-1)!.type, 'run-finished');
    const probes = new Map<string, { hits: number; line: number; last: number }>();
    for (const e of evs) if (e.type === 'probes') for (const p of e.probes) probes.set(`${p.name}:${p.line}`, p);
    assert.equal(probes.get('loss:9')?.hits, 50);
    assert.equal(probes.get('total:14')?.hits, 1);
    const points = evs.flatMap((e) => (e.type === 'metrics' ? pointsOf(e) : []));
    assert.equal(points.filter((p) => p.series === 'loss').length, 50);
    assert.equal(points[0]!.location?.line, 9);
    const graph = evs.find((e) => e.type === 'graph');
    assert.ok(graph && graph.type === 'graph');
    const mean = graph.snapshot.nodes.find((n) => n.name === 'MeanBackward0');
    assert.equal(mean?.location?.line, 9);
    assert.equal(mean?.location?.file, file);
    assert.ok(graph.snapshot.nodes.some((n) => n.name === 'AccumulateGrad' && n.tensorName === 'params'));
  });
});
