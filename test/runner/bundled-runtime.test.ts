// The extension's runtime bundle (dist/runtime, built by scripts/build-extension.mjs) must run
// scripts on its own: an installed extension has no node_modules, so the Python shim, Pyodide's
// files and the engine's matmul.wasm travel inside dist/runtime. The bundle is copied to a
// folder with no node_modules above it and run from there, as the extension loads it.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

type RunnerModule = typeof import('../../src/runner/runner.js');

const bundle = join('dist', 'runtime');
const extension = mkdtempSync(join(tmpdir(), 'agl-bundled-'));
after(() => rmSync(extension, { recursive: true, force: true }));
let runner: RunnerModule;

before(async () => {
  assert.ok(existsSync(join(bundle, 'runner', 'runner.js')), 'dist/runtime is missing: run npm run build first');
  cpSync(bundle, join(extension, 'dist', 'runtime'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  cpSync(join('examples', 'thermometer'), join(extension, 'scripts'), { recursive: true });
  runner = (await import(pathToFileURL(join(extension, 'dist', 'runtime', 'runner', 'runner.js')).href)) as RunnerModule;
});

async function stdoutOf(script: string): Promise<string> {
  let stdout = '';
  const run = runner.startRun({ script, onEvent: (e) => void (e.type === 'output' && e.stream === 'stdout' && (stdout += e.text)) });
  const end = await run.done;
  assert.equal(end.type, 'run-finished', JSON.stringify(end));
  return stdout;
}

describe('the extension runtime bundle, with no node_modules', () => {
  it('has no node_modules folder above it', () => {
    for (let dir = extension; dir !== join(dir, '..'); dir = join(dir, '..')) assert.ok(!existsSync(join(dir, 'node_modules')), `${dir}/node_modules exists`);
  });

  it('carries the Python shim, Pyodide and matmul.wasm', () => {
    const runtime = join(extension, 'dist', 'runtime');
    assert.ok(existsSync(join(runtime, 'runner', 'child', 'python', 'py', 'torch', '__init__.py')));
    for (const f of ['pyodide.mjs', 'pyodide.asm.js', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']) assert.ok(existsSync(join(runtime, 'pyodide', f)), f);
    assert.ok(existsSync(join(runtime, 'chunks', 'matmul.wasm')) || existsSync(join(runtime, 'engine', 'matmul.wasm')));
  });

  it('runs a TypeScript example and prints its expected output', async () => {
    const script = join(extension, 'scripts', '03-sgd.ts');
    assert.equal(await stdoutOf(script), readFileSync(join('test', 'examples', 'thermometer', '03-sgd.expected.txt'), 'utf8'));
  });

  it('runs a Python example and prints its expected output', async () => {
    const script = join(extension, 'scripts', '03-sgd.py');
    const expected = join('test', 'examples', 'thermometer', existsSync(join('test', 'examples', 'thermometer', '03-sgd.py.expected.txt')) ? '03-sgd.py.expected.txt' : '03-sgd.expected.txt');
    assert.equal(await stdoutOf(script), readFileSync(expected, 'utf8'));
  });

  it('carries the figure renderer with resvg.wasm and its font', () => {
    const figures = join(extension, 'dist', 'runtime', 'runner', 'child', 'figures');
    for (const f of ['render-worker.js', 'resvg.wasm', 'DejaVuSans.ttf']) assert.ok(existsSync(join(figures, f)), f);
    assert.ok(existsSync(join(extension, 'dist', 'runtime', 'runner', 'child', 'python', 'py', 'matplotlib', 'pyplot.py')));
  });

  it('runs a Python script that saves a figure as PNG', async () => {
    const script = join(extension, 'scripts', 'figure.py');
    writeFileSync(script, 'import matplotlib.pyplot as plt\nplt.figure(figsize=(2, 1.5), dpi=100)\nplt.plot([1, 2, 3])\nplt.xlabel("epoch")\nplt.savefig("figure.png")\nprint("saved")\n');
    assert.equal(await stdoutOf(script), 'saved\n');
    const png = readFileSync(join(extension, 'scripts', 'figure.png'));
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [200, 150]);
  });
});
