/**
 * `npm run bench:python`: the chapter's 5000-epoch SGD loop (03-sgd.py's In [39]) run by real
 * PyTorch (/usr/bin/python3) and by Autograd Lab's Python path (Pyodide + the engine, through the
 * runner with probes and graph snapshots on, as a learner runs it). The same script times its own
 * loop with time.perf_counter(); Pyodide's start-up is measured separately. Prints both and the ratio.
 *
 * Then printing: 100 000 `print(i)` in Python and `console.log(i)` in TypeScript, each script
 * timing its own loop, through the runner to a listener that takes every line (as the CLI and the
 * Output channel do). The script process's output pipes block until the runner has read them,
 * so a loop's time includes getting its lines out. Target: Python within 2x of TypeScript.
 *
 * Then a notebook: how long a new kernel takes to its first cell's result, and a later cell.
 *
 *   npm run bench:python [-- --runs N] [-- --python /usr/bin/python3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun } from '../src/runner/runner.js';
import { loadPython } from '../src/runner/child/python/run-python.js';
import { NotebookKernel } from '../src/runner/kernel/notebook-kernel.js';

const SCRIPT = `import time
import torch
import torch.optim as optim

t_c = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
t_u = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])
t_un = 0.1 * t_u


def model(t_u, w, b):
    return w * t_u + b


def loss_fn(t_p, t_c):
    squared_diffs = (t_p - t_c)**2
    return squared_diffs.mean()


def training_loop(n_epochs, optimizer, params, t_u, t_c):
    for epoch in range(1, n_epochs + 1):
        t_p = model(t_u, *params)
        loss = loss_fn(t_p, t_c)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % 500 == 0:
            print('Epoch %d, Loss %f' % (epoch, float(loss)))
    return params


params = torch.tensor([1.0, 0.0], requires_grad=True)
optimizer = optim.SGD([params], lr=1e-2)
start = time.perf_counter()
training_loop(5000, optimizer, params, t_un, t_c)
print('LOOP_SECONDS', time.perf_counter() - start)
`;

const PRINT_LINES = 100_000;
const PRINT_PY = `import sys, time
start = time.perf_counter()
for i in range(${PRINT_LINES}):
    print(i)
sys.stderr.write('LOOP_SECONDS %r\\n' % (time.perf_counter() - start))
`;
const PRINT_TS = `const start = performance.now();
for (let i = 0; i < ${PRINT_LINES}; i++) console.log(i);
process.stderr.write(\`LOOP_SECONDS \${(performance.now() - start) / 1000}\\n\`);
`;

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const python = args.includes('--python') ? args[args.indexOf('--python') + 1]! : '/usr/bin/python3';

const loopSeconds = (out: string): number => {
  const m = /LOOP_SECONDS ([\d.e-]+)/.exec(out);
  if (!m) throw new Error(`no timing in output:\n${out}`);
  return Number(m[1]);
};

/** Seconds the print loop of `script` took through the runner; checks every line arrived. */
async function printLoopSeconds(script: string): Promise<number> {
  let stdout = 0;
  let stderr = '';
  const run = startRun({
    script,
    probes: false,
    graph: false,
    onEvent: (e) => {
      if (e.type !== 'output') return;
      if (e.stream === 'stdout') stdout += e.text.length;
      else stderr += e.text;
    },
  });
  const end = await run.done;
  if (end.type !== 'run-finished') throw new Error(`print run failed: ${JSON.stringify(end)}`);
  const expected = Array.from({ length: PRINT_LINES }, (_, i) => `${i}\n`).join('').length;
  if (stdout !== expected) throw new Error(`${script}: ${stdout} of ${expected} characters of output arrived`);
  return loopSeconds(stderr);
}

const dir = mkdtempSync(join(tmpdir(), 'agl-bench-py-'));
const file = join(dir, 'sgd.py');
writeFileSync(file, SCRIPT);
const printPy = join(dir, 'print.py');
const printTs = join(dir, 'print.ts');
writeFileSync(printPy, PRINT_PY);
writeFileSync(printTs, PRINT_TS);
try {
  const t0 = performance.now();
  await loadPython();
  const startupMs = performance.now() - t0;

  const torchTimes: number[] = [];
  for (let i = 0; i < runs; i++) torchTimes.push(loopSeconds(execFileSync(python, [file], { encoding: 'utf8' })));

  const labTimes: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    let out = '';
    const started = performance.now();
    const run = startRun({ script: file, onEvent: (e) => void (e.type === 'output' && e.stream === 'stdout' && (out += e.text)) });
    const end = await run.done;
    wall.push(performance.now() - started);
    if (end.type !== 'run-finished') throw new Error(`run failed: ${JSON.stringify(end)}`);
    labTimes.push(loopSeconds(out));
  }
  const best = (xs: number[]) => Math.min(...xs);
  const torchBest = best(torchTimes);
  const labBest = best(labTimes);
  console.log(`5000-epoch SGD loop (best of ${runs})`);
  console.log(`  PyTorch (${python}):              ${(torchBest * 1000).toFixed(0)} ms`);
  console.log(`  Autograd Lab Python path (runner): ${(labBest * 1000).toFixed(0)} ms  (probes + graph on)`);
  console.log(`  ratio Autograd Lab / PyTorch:      ${(labBest / torchBest).toFixed(2)}x  (target ≤ 2x)`);
  console.log(`  Pyodide start-up (separately):     ${startupMs.toFixed(0)} ms in this process; whole runs took ${wall.map((w) => w.toFixed(0)).join(', ')} ms`);

  const pyPrint: number[] = [];
  const tsPrint: number[] = [];
  for (let i = 0; i < runs; i++) {
    pyPrint.push(await printLoopSeconds(printPy));
    tsPrint.push(await printLoopSeconds(printTs));
  }
  const pyBest = best(pyPrint);
  const tsBest = best(tsPrint);
  const perSecond = (seconds: number) => `${Math.round(PRINT_LINES / seconds / 1000)}k lines/s`;
  console.log(`${PRINT_LINES} lines printed through the runner (best of ${runs})`);
  console.log(`  Python print(i):                   ${(pyBest * 1000).toFixed(0)} ms  (${perSecond(pyBest)})`);
  console.log(`  TypeScript console.log(i):         ${(tsBest * 1000).toFixed(0)} ms  (${perSecond(tsBest)})`);
  console.log(`  ratio Python / TypeScript:         ${(pyBest / tsBest).toFixed(2)}x  (target ≤ 2x)`);

  // A notebook: a new kernel process (no ready one kept yet), its first cell, then a later one.
  const firstCell: number[] = [];
  const laterCell: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const kernel = NotebookKernel.start({ notebookPath: join(dir, 'bench.ipynb'), userRoot: dir, probes: true, graph: true });
    try {
      await kernel.execute({ code: 'import torch\ntorch.ones(2)', cellId: 'first' }, () => undefined);
      firstCell.push(performance.now() - started);
      const later = performance.now();
      await kernel.execute({ code: 'torch.ones(2) * 2', cellId: 'later' }, () => undefined);
      laterCell.push(performance.now() - later);
    } finally {
      kernel.dispose();
    }
  }
  console.log(`Notebook kernel (best of ${runs}, probes + graph on)`);
  console.log(`  first cell (import torch), from start: ${best(firstCell).toFixed(0)} ms`);
  console.log(`  a later cell:                          ${best(laterCell).toFixed(1)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
