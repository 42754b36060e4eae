/**
 * The notebook kernel's Python thread: Pyodide with our torch/numpy/matplotlib, the engine, the
 * probes and the graph recorder all live here, and cells run here one at a time. The process's
 * main thread (kernel-host.ts) stays free to take requests: it interrupts a running cell through
 * the interrupt buffer Pyodide polls. Everything a cell produces — its outputs and its run's
 * events — is written synchronously, one JSON line each, to the one event pipe, so the parent
 * reads them in the order they happened, even while a cell never yields.
 */
import { writeSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import * as engine from '../../../engine/index.js';
import type { CellOutput, CellStatus, KernelConfig, KernelEvent, KernelRequest } from '../../../protocol/kernel-process.js';
import type { ScriptError } from '../../../protocol/run-events.js';
import { EVENT_FD, type ChildEvent } from '../../../protocol/script-process.js';
import { encodeJson } from '../../../protocol/wire.js';
import { figuresModule, setFigureDisplay } from '../figures/bridge.js';
import type { FigureDescription } from '../figures/description.js';
import { GraphRecorder } from '../graph.js';
import { installNamingGlobal, installProbeGlobal, ProbeRecorder } from '../probes.js';
import { preparePython, pythonEngineHooks, setFrameLocator, shimTarget } from '../python/run-python.js';
import { CELL_FILE_PREFIX, figureText, INLINE_PAD_INCHES, StreamDecoder } from './cell-io.js';

interface WorkerData {
  config: KernelConfig;
  /** Pyodide's interrupt buffer: the main thread writes 2 (SIGINT) to interrupt a cell. */
  interrupt: SharedArrayBuffer;
}

const { config, interrupt: interruptMemory } = workerData as WorkerData;
const interrupt = new Int32Array(interruptMemory);
/** What the main thread writes into the interrupt buffer (Pyodide raises KeyboardInterrupt for it). */
const SIGINT = 2;

/** Python's `_autograd_lab_kernel` module, as Pyodide hands it to JS. */
interface KernelModule {
  setup(notebookDir: string, userRoot: string, shimRoot: string, host: object): void;
  run_cell(code: string, cellId: string, filename: string, probes: boolean, emit: (json: string) => void): string;
  where: (...args: unknown[]) => unknown;
  _count: number;
}

function write(event: KernelEvent): void {
  writeSync(EVENT_FD, `${encodeJson(event)}\n`);
}

const streams = new StreamDecoder((output) => write({ type: 'cell-output', output }));

function sendOutput(output: CellOutput): void {
  write({ type: 'cell-output', output });
}

/** The code file name of each cell execution → the cell's id (probe, graph and error locations name the cell). */
const cellIds = new Map<string, string>();

function isUserFile(file: string): boolean {
  if (file.startsWith(CELL_FILE_PREFIX)) return true;
  if (file.includes(`${sep}node_modules${sep}`)) return false;
  const rel = relative(config.userRoot, file);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}

/** A run event of the running cell; graph locations name the cell, not its code file. */
function sendRunEvent(event: ChildEvent): void {
  if (event.type === 'graph') {
    for (const node of event.snapshot.nodes) {
      const id = node.location ? cellIds.get(node.location.file) : undefined;
      if (id !== undefined) node.location = { ...node.location!, file: id };
    }
  }
  write(event);
}

// ------------------------------------------------------------------------------ per-cell recorders

let flushRecorders: () => void = () => {};
let uninstallGraph: (() => void) | null = null;
const hooks = pythonEngineHooks(engine.hooks);
if (!config.probes && config.graph) installNamingGlobal();

/** Engine warnings the running cell's run has reported. */
const warned = new Set<string>();

/** Each cell is a run: fresh probe history, backward count and warnings. */
function startRecording(): void {
  warned.clear();
  const flushers: (() => void)[] = [];
  uninstallGraph?.();
  uninstallGraph = null;
  if (config.graph) {
    const graph = new GraphRecorder(sendRunEvent, hooks, { isUserFile });
    uninstallGraph = graph.install();
    flushers.push(() => graph.flush());
  }
  if (config.probes) {
    const recorder = new ProbeRecorder(sendRunEvent, config.probeHistoryLimit === undefined ? {} : { historyLimit: config.probeHistoryLimit });
    installProbeGlobal(recorder);
    flushers.push(() => recorder.flush());
  }
  flushRecorders = () => {
    for (const flush of flushers) flush();
  };
}

// ------------------------------------------------------------------------------ figures

function showFigure(figure: FigureDescription): void {
  const png = figuresModule.render(JSON.stringify(figure), 'png', figure.dpi, INLINE_PAD_INCHES);
  sendOutput({ kind: 'display', data: { 'text/plain': figureText(figure), 'image/png': Buffer.from(png as Uint8Array).toString('base64') } });
}

// ------------------------------------------------------------------------------ start-up

/**
 * time.sleep: sends what the probes hold, then sleeps for real. An interrupt wakes it: it takes
 * the interrupt from the buffer (true) and Python raises KeyboardInterrupt in the sleeping cell.
 */
const kernelHost = {
  sleep(seconds: number): boolean {
    flushRecorders();
    const deadline = performance.now() + seconds * 1000;
    for (let left = seconds * 1000; left > 0; left = deadline - performance.now()) {
      if (Atomics.compareExchange(interrupt, 0, SIGINT, 0) === SIGINT) return true;
      Atomics.wait(interrupt, 0, 0, Math.min(left, 1000));
    }
    return Atomics.compareExchange(interrupt, 0, SIGINT, 0) === SIGINT;
  },
};

let kernel: KernelModule;
try {
  const py = await preparePython(config.userRoot, engine, (message) => {
    // A cell's run gets each engine warning once, as a script's run does.
    if (warned.has(message)) return;
    warned.add(message);
    sendRunEvent({ type: 'warning', kind: 'engine', message: message.split('\n')[0]! });
  });
  const decode = (name: 'stdout' | 'stderr') => ({ write: (buffer: Uint8Array) => (streams.write(name, buffer), buffer.length) });
  py.setStdout(decode('stdout'));
  py.setStderr(decode('stderr'));
  py.setInterruptBuffer(interrupt);
  setFigureDisplay(showFigure);
  kernel = py.pyimport('_autograd_lab_kernel') as unknown as KernelModule;
  setFrameLocator(kernel.where);
  kernel.setup(config.notebookDir, config.userRoot, shimTarget, kernelHost);
  write({ type: 'kernel-ready' });
} catch (err) {
  write({ type: 'kernel-failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

// ------------------------------------------------------------------------------ cells

let executions = 0;

function runCell(code: string, cellId: string): void {
  const filename = `${CELL_FILE_PREFIX}${++executions}`;
  cellIds.set(filename, cellId);
  startRecording();
  let done: { executionCount: number; status: CellStatus; error?: ScriptError };
  try {
    done = JSON.parse(kernel.run_cell(code, cellId, filename, config.probes || config.graph, (json) => sendOutput(JSON.parse(json) as CellOutput)));
  } catch (err) {
    // An interrupt that came after the cell's own code ended, in the kernel's bookkeeping.
    const interrupted = String(err).includes('KeyboardInterrupt');
    const ename = interrupted ? 'KeyboardInterrupt' : 'KernelError';
    const evalue = interrupted ? '' : String(err);
    sendOutput({ kind: 'error', ename, evalue, traceback: [interrupted ? ename : `${ename}: ${evalue}`] });
    done = { executionCount: Number(kernel._count), status: interrupted ? 'interrupted' : 'error', error: { name: ename, message: evalue, stack: '' } };
  }
  flushRecorders();
  write({ type: 'cell-done', ...done });
}

parentPort!.on('message', (request: KernelRequest) => {
  if (request.type === 'execute') runCell(request.code, request.cellId);
});
