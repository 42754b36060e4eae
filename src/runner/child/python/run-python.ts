/**
 * Python scripts (#5): runs a learner's `.py` file in the script process under Pyodide (CPython
 * in WebAssembly, loaded lazily on the first Python run), with a `torch` package whose tensors
 * are handles to this process's engine tensors (the shim in ./py/torch). Line probes come from
 * an `ast` rewrite in ./py/_autograd_lab_runner.py that calls the same `__autogradLab.file`
 * probe API as the TypeScript instrumentation; errors come back as a ScriptError whose stack is
 * the Python traceback trimmed to the learner's frames.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EngineHooks } from '../../../engine/index.js';
import type { ScriptError } from '../../../protocol/run-events.js';
import { figuresModule } from '../figures/bridge.js';
import { numpyModule } from '../numpy/kernels.js';

type Engine = typeof import('../../../engine/index.js');

/** What the runner tells the script process about the run (a subset of HostConfig). */
export interface PythonRunConfig {
  script: string;
  userRoot: string;
  probes: boolean;
}

/** Where the Python sources of the shim are: beside this module (copied to dist by the build). */
export function shimDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Beside this module, or — when the extension bundle moved this code into a shared chunk
  // (dist/runtime/chunks/) — in the bundle's runner/child/python/py.
  for (const candidate of [join(here, 'py'), join(here, '..', 'runner', 'child', 'python', 'py')]) {
    if (existsSync(candidate)) return candidate;
  }
  // dist/ built without the copy step of `npm run build`: the sources themselves.
  return join(here, '..', '..', '..', '..', 'src', 'runner', 'child', 'python', 'py');
}

// The minimal slice of Pyodide's API used here (its own types are ESM-only d.ts with DOM types).
interface PyProxyFn {
  (...args: unknown[]): unknown;
  destroy?: () => void;
}
export interface Pyodide {
  FS: {
    mkdirTree(path: string): void;
    writeFile(path: string, data: string): void;
    analyzePath(path: string): { exists: boolean };
  };
  setStdout(options: { write: (buffer: Uint8Array) => number }): void;
  setStderr(options: { write: (buffer: Uint8Array) => number }): void;
  registerJsModule(name: string, module: object): void;
  mountNodeFS(emscriptenPath: string, hostPath: string): void;
  runPython(code: string): unknown;
  pyimport(name: string): { run: PyProxyFn; where: PyProxyFn };
  setInterruptBuffer(buffer: Int32Array): void;
}

let loading: Promise<Pyodide> | null = null;
/** Milliseconds the last Pyodide start-up took (for the benchmark). */
export let pyodideStartupMs = 0;

/**
 * Pyodide's folder: the copy the extension bundle carries (dist/runtime/pyodide, beside
 * dist/runtime/runner/child/python/run-python.js — an installed extension has no node_modules), else
 * the installed npm package (the sources, the CLI).
 */
export function pyodideDir(): string {
  // From dist/runtime/runner/child/python/, or from a shared chunk in dist/runtime/chunks/.
  for (const relative of ['../../../pyodide/', '../pyodide/']) {
    const bundled = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(bundled, 'pyodide.mjs'))) return bundled;
  }
  return dirname(createRequire(import.meta.url).resolve('pyodide/package.json')) + '/';
}

/** Loads Pyodide once per process (≈2–4 s). */
export function loadPython(): Promise<Pyodide> {
  loading ??= (async () => {
    const started = performance.now();
    const indexURL = pyodideDir();
    const entry = pathToFileURL(join(indexURL, 'pyodide.mjs')).href;
    const { loadPyodide } = (await import(entry)) as { loadPyodide: (o: object) => Promise<Pyodide> };
    const py = await loadPyodide({ indexURL, stdout: undefined, stderr: undefined });
    pyodideStartupMs = performance.now() - started;
    return py;
  })();
  return loading;
}

/** Writes the shim's .py files into Pyodide's file system under `target`. */
export function copyShim(py: Pyodide, from: string, target: string): void {
  py.FS.mkdirTree(target);
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) {
      if (name !== '__pycache__') copyShim(py, path, `${target}/${name}`);
    } else if (name.endsWith('.py')) {
      py.FS.writeFile(`${target}/${name}`, readFileSync(path, 'utf8'));
    }
  }
}

/** Blocks this thread for `ms` milliseconds without using the CPU (the script process's main thread may wait). */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Pyodide's stdout/stderr: the bytes go straight to our fds, so print output is unchanged. All
 * of them: a write may take only part of a buffer, and a pipe that is full (non-blocking, where
 * the host could not make it blocking) answers EAGAIN until the runner has read from it.
 */
function rawWriter(fd: number): { write: (buffer: Uint8Array) => number } {
  return {
    write: (buffer) => {
      let written = 0;
      while (written < buffer.length) {
        try {
          written += writeSync(fd, buffer, written, buffer.length - written);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
          sleepMs(1);
        }
      }
      return buffer.length;
    },
  };
}

/** What the Python runner needs of the script process beyond the engine (passed to `run`). */
export function processHooks(flush: () => void) {
  return {
    /** time.sleep: sends what the probes hold, then sleeps for real (Pyodide's own sleep spins). */
    sleep: (seconds: number) => {
      flush();
      sleepMs(seconds * 1000);
    },
  };
}

/** Python's `warnings.warn` for engine warnings, once the shim has registered it. */
let pythonWarning: ((category: string, message: string) => void) | null = null;

/** The JS side of the shim: one call per tensor op (each Python→JS call costs ~3 µs). */
export function bridge(engine: Engine) {
  const { Tensor, nn, torch } = engine;
  const Node = engine.Node;
  const undef = <T>(x: T | null): T | undefined => (x === null ? undefined : x);
  return {
    engine,
    torch,
    nn,
    functional: (nn as unknown as { functional: object }).functional,
    optim: engine.optim,
    SummaryWriter: engine.SummaryWriter ?? engine.torch.utils.tensorboard.SummaryWriter,
    isModuleClass: (cls: unknown) => typeof cls === 'function' && (cls as { prototype: unknown }).prototype instanceof nn.Module,
    forward1: (m: { forward(x: unknown): unknown }, x: unknown) => m.forward(x),
    Tensor,
    /** 1 tensor, 2 array, 3 nn.Module, 4 autograd Node, 5 ValuesIndices, 0 anything else. */
    kind: (x: unknown): number =>
      x instanceof Tensor ? 1 : Array.isArray(x) ? 2 : x instanceof nn.Module ? 3 : x instanceof Node ? 4 : x instanceof engine.ValuesIndices ? 5 : 0,
    add: (a: InstanceType<typeof Tensor>, b: number) => a.add(b),
    sub: (a: InstanceType<typeof Tensor>, b: number) => a.sub(b),
    mul: (a: InstanceType<typeof Tensor>, b: number) => a.mul(b),
    div: (a: InstanceType<typeof Tensor>, b: number) => a.div(b),
    pow: (a: InstanceType<typeof Tensor>, b: number) => a.pow(b),
    rsub: (a: InstanceType<typeof Tensor>, b: number) => a.rsub(b),
    rdiv: (a: InstanceType<typeof Tensor>, b: number) => a.rdiv(b),
    rpow: (a: InstanceType<typeof Tensor>, b: number) => a.rpow(b),
    matmul: (a: InstanceType<typeof Tensor>, b: InstanceType<typeof Tensor>) => a.matmul(b),
    neg: (a: InstanceType<typeof Tensor>) => a.neg(),
    cmp: (op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', a: InstanceType<typeof Tensor>, b: number) => a[op](b),
    iop: (op: 'add_' | 'sub_' | 'mul_' | 'div_' | 'pow_', a: InstanceType<typeof Tensor>, b: number) => a[op](b),
    item: (a: InstanceType<typeof Tensor>) => a.item(),
    str: (a: object) => String(a),
    shape: (a: InstanceType<typeof Tensor>) => a._shape.slice(),
    dim: (a: InstanceType<typeof Tensor>) => a._shape.length,
    unbind: (a: InstanceType<typeof Tensor>) => [...a],
    index: (a: InstanceType<typeof Tensor>, items: unknown[]) => a.index(...(items as never[])),
    indexPut: (a: InstanceType<typeof Tensor>, items: unknown[], value: unknown) => a.index_put_(items as never[], value as never),
    slice: (start: number | null, stop: number | null, step: number | null) => engine.slice(start ?? null, stop ?? null, step ?? null),
    grad: (a: InstanceType<typeof Tensor>) => undef(a.grad),
    setGrad: (a: InstanceType<typeof Tensor>, g: InstanceType<typeof Tensor> | undefined) => void (a.grad = g ?? null),
    gradFn: (a: InstanceType<typeof Tensor>) => undef(a.grad_fn),
    nodeName: (n: { name(): string }) => n.name(),
    backward: (a: InstanceType<typeof Tensor>, g?: InstanceType<typeof Tensor>) => a.backward(g ?? null),
    isGradEnabled: () => torch.is_grad_enabled(),
    setGradEnabled: (flag: boolean) => void torch.set_grad_enabled(flag),
    isNull: (x: unknown) => x === null || x === undefined,
    /** `new cls(...args, options?)`. */
    construct: (cls: new (...a: unknown[]) => unknown, args: unknown[], options?: object) =>
      options === undefined ? new cls(...args) : new cls(...args, options),
    /** `fn(...args, options?)` with `this` = self. */
    call: (self: unknown, fn: (...a: unknown[]) => unknown, args: unknown[], options?: object) =>
      options === undefined ? fn.apply(self, args) : fn.apply(self, [...args, options]),
    has: (obj: object, name: string) => obj !== null && obj !== undefined && name in obj,
    get: (obj: Record<string, unknown>, name: string) => undef(obj[name] as unknown),
    set: (obj: Record<string, unknown>, name: string, value: unknown) => void (obj[name] = value),
    typeOf: (x: unknown) => typeof x,
    keys: (obj: object) => Object.keys(obj),
    object: (entries: [string, unknown][]) => Object.fromEntries(entries),
    array: () => [] as unknown[],
    errorInfo: (e: unknown) => {
      const err = e as { name?: string; message?: string } | null;
      return [err?.name ?? 'Error', err?.message ?? String(e)];
    },
    /** The probe function of one instrumented file, or undefined when the runner neither probes nor names. */
    probeFile: (file: string, sitesJson: string) => {
      const lab = engine.hostGlobal();
      return lab && typeof lab.file === 'function' ? lab.file(file, JSON.parse(sitesJson)) : undefined;
    },
    /** Names a tensor for the graph view (the name of the variable a module's parameter was reached through). */
    nameTensor: (t: InstanceType<typeof Tensor>, name: string) => engine.hooks.nameTensor(t, name),
    write: (fd: number, text: string) => void writeSync(fd, text),
    /** The shim's handler that raises engine warnings through Python's warnings module. */
    setPythonWarning: (handler: (category: string, message: string) => void) => void (pythonWarning = handler),
  };
}

let runnerModule: { run: PyProxyFn; where: PyProxyFn } | null = null;
/** Where graph nodes' creating lines are read from when not the script runner's (the notebook kernel's). */
let frameLocator: PyProxyFn | null = null;
export function setFrameLocator(where: PyProxyFn | null): void {
  frameLocator = where;
}

/**
 * The engine hooks the graph recorder uses, with the creating line of each node taken from the
 * running Python frame: while the recorder reads `new Error().stack`, the stack it sees is the
 * learner's Python stack in V8's format (`at <module> (/path/train.py:12:5)`).
 */
export function pythonEngineHooks(hooks: EngineHooks): EngineHooks {
  return {
    ...hooks,
    setRecordObserver(observer) {
      if (observer === null) return hooks.setRecordObserver(null);
      hooks.setRecordObserver((node, outputs, inputs) => {
        const where = frameLocator ?? runnerModule?.where;
        if (!where) return observer(node, outputs, inputs);
        const previous = Error.prepareStackTrace;
        Error.prepareStackTrace = () => `Error\n${String(where())}`;
        try {
          observer(node, outputs, inputs);
        } finally {
          Error.prepareStackTrace = previous;
        }
      });
    },
  };
}

/**
 * Runs `config.script` under Pyodide. Resolves when the script finished; a Python exception is
 * reported as the returned ScriptError (null when the script completed), `exit` for sys.exit(n).
 */
export async function runPythonScript(
  config: PythonRunConfig,
  engine: Engine,
  reportWarning: (message: string) => void = () => {},
  flush: () => void = () => {},
): Promise<{ error: ScriptError | null; exitCode: number }> {
  // The run's events get each message once, as for TypeScript.
  const reported = new Set<string>();
  const py = await preparePython(config.userRoot, engine, (message) => {
    if (reported.has(message)) return;
    reported.add(message);
    reportWarning(message);
  });
  py.setStdout(rawWriter(1));
  py.setStderr(rawWriter(2));
  runnerModule = py.pyimport('_autograd_lab_runner');
  const result = String(runnerModule.run(config.script, config.userRoot, shimTarget, config.probes, processHooks(flush)));
  const parsed = JSON.parse(result) as { exitCode: number; error: ScriptError | null };
  return { error: parsed.error, exitCode: parsed.exitCode };
}

/** Where the shim's packages are in Pyodide's file system. */
export const shimTarget = '/autograd_lab';

/**
 * Loads Pyodide and makes it ours: engine warnings through Python's warnings module, the shim's
 * packages importable, the learner's folder mounted at its own path, the JS bridges registered.
 */
export async function preparePython(userRoot: string, engine: Engine, reportWarning: (message: string) => void): Promise<Pyodide> {
  const py = await loadPython();
  // Engine warnings go through Python's warnings module every time they are raised: its filters
  // decide what shows (once per line by default, every time under simplefilter('always'), as for
  // PyTorch's warnings); `reportWarning` hears every one.
  engine.setWarningListener(
    (category, message) => {
      if (pythonWarning) pythonWarning(category, message);
      else writeSync(2, `${category}: ${message}\n`);
      reportWarning(message);
    },
    { everyTime: true },
  );
  copyShim(py, shimDir(), shimTarget);
  // The learner's folder at its own path: tracebacks name the real file, and data files,
  // sibling modules and the working directory behave as under CPython.
  const root = userRoot;
  if (existsSync(root) && !py.FS.analyzePath(root).exists) {
    py.FS.mkdirTree(root);
    py.mountNodeFS(root, root);
  } else if (existsSync(root)) {
    try {
      py.mountNodeFS(root, root);
    } catch {
      // already mounted (a second run in this process)
    }
  }
  py.registerJsModule('_agl_js', bridge(engine));
  py.registerJsModule('_agl_figures', figuresModule);
  py.registerJsModule('_agl_numpy', numpyModule(engine));
  py.runPython(`import sys\nif ${JSON.stringify(shimTarget)} not in sys.path: sys.path.insert(0, ${JSON.stringify(shimTarget)})`);
  return py;
}
