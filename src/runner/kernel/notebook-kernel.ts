/**
 * A notebook's Python kernel, parent side (the extension host, the CLI): one long-lived kernel
 * process per notebook (runner/child/kernel/), where variables live across cells as in IPython.
 * Cells run one at a time in the order execute() was called. Each executed cell is a run of its
 * own: the same stamped RunEvents a script run emits (run-started … run-finished/run-failed), so
 * the panel shows a training cell's curves live and records keep it.
 */
import { dirname, resolve } from 'node:path';
import { AUTOGRAD_LAB_VERSION as engineVersion } from '../../protocol/version.js';
import { PROTOCOL_VERSION, type RunEvent, type RunFailedEvent, type RunFinishedEvent, type ScriptError, type Unstamped } from '../../protocol/run-events.js';
import type { CellOutput, CellStatus, KernelConfig, KernelEvent } from '../../protocol/kernel-process.js';
import { newRunId } from '../records.js';
import { KernelProcess, type KernelExit } from './kernel-process.js';

export type { CellOutput, MimeBundle } from '../../protocol/kernel-process.js';

export interface KernelStartOptions {
  /** Absolute path of the .ipynb; the kernel's working directory is its folder. */
  notebookPath: string;
  /** Files under this folder are the learner's (as HostConfig.userRoot). */
  userRoot: string;
  probes: boolean;
  graph: boolean;
  probeHistoryLimit?: number;
  maxMemoryMb?: number;
}

export interface CellRun {
  executionCount: number;
  status: CellStatus;
  runId: string;
}

export interface CellSource {
  code: string;
  /** Names the cell in probe locations and tracebacks' file field: VS Code passes the cell
   *  document's URI string, the CLI `<notebook path>#cell<index>`. */
  cellId: string;
}

export const DEFAULT_KERNEL_MEMORY_MB = 2048;
/** Printed text is passed on at most this often: a print per training step must not cost a cell output each. */
const STREAM_BATCH_MS = 10;

interface Pending {
  cell: CellSource;
  onOutput: (output: CellOutput) => void;
  resolve: (run: CellRun) => void;
  reject: (error: Error) => void;
}

/** The cell that is running: its run's stamping state. */
interface Running extends Pending {
  runId: string;
  started: number;
  seq: number;
}

export class NotebookKernel {
  private process: KernelProcess | null = null;
  private readyPromise: Promise<void> = Promise.resolve();
  private isReady = false;
  /** Why cells cannot run (the process could not start, or ended); null while it can. */
  private dead: string | null = null;
  private readonly queue: Pending[] = [];
  private running: Running | null = null;
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private disposed = false;
  private settleReady: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private pendingStream: Extract<CellOutput, { kind: 'stream' }> | null = null;
  private streamTimer: NodeJS.Timeout | null = null;
  /** The kernel's execution count so far: what a cell that never reported its own is given. */
  private lastCount = 0;

  private constructor(private readonly options: KernelStartOptions) {}

  static start(options: KernelStartOptions): NotebookKernel {
    const kernel = new NotebookKernel(options);
    kernel.launch();
    return kernel;
  }

  /** Resolves when Python is loaded (rejects with a clear Error if the process cannot start). */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Runs one cell; outputs stream through onOutput as they happen; cells queue in call order. */
  execute(cell: CellSource, onOutput: (output: CellOutput) => void): Promise<CellRun> {
    if (this.disposed) return Promise.reject(new Error('The notebook kernel was shut down.'));
    if (this.dead !== null) return Promise.reject(new Error(this.dead));
    return new Promise<CellRun>((resolve, reject) => {
      this.queue.push({ cell, onOutput, resolve, reject });
      this.next();
    });
  }

  /** KeyboardInterrupt in the running cell within 1 s; the interpreter's state is kept. */
  interrupt(): void {
    if (this.running) this.process?.send({ type: 'interrupt' });
  }

  /** A fresh interpreter; execution counts start again at 1; queued cells are dropped (their promises reject). */
  restart(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('The notebook kernel was shut down.'));
    this.stopAll('the kernel was restarted');
    this.launch();
    return this.readyPromise;
  }

  /** Each executed cell is a run (see the module's comment). */
  onRunEvent(listener: (event: RunEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Stops the process (and its group). */
  dispose(): void {
    if (this.disposed) return;
    this.stopAll('the kernel was shut down');
    this.disposed = true;
    this.listeners.clear();
  }

  /** A cell that ended without the kernel's word (restart, a dead kernel): IPython had counted it. */
  private countOf(run: Running): number {
    return run.cell.code.trim() ? this.lastCount + 1 : this.lastCount;
  }

  private launch(): void {
    const o = this.options;
    const notebookPath = resolve(o.notebookPath);
    const config: KernelConfig = { notebookDir: dirname(notebookPath), userRoot: resolve(o.userRoot), probes: o.probes, graph: o.graph };
    if (o.probeHistoryLimit !== undefined) config.probeHistoryLimit = o.probeHistoryLimit;
    this.dead = null;
    this.isReady = false;
    this.lastCount = 0;
    this.readyPromise = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    // A caller that never awaits `ready` must not see an unhandled rejection: execute() reports it too.
    this.readyPromise.catch(() => undefined);
    const proc: KernelProcess = new KernelProcess(config, o.maxMemoryMb ?? DEFAULT_KERNEL_MEMORY_MB, {
      onEvent: (event) => {
        if (this.process === proc) this.onEvent(event);
      },
      onStray: (stream, text) => {
        if (this.process === proc && this.running) this.output({ kind: 'stream', name: stream, text });
      },
      onExit: (exit) => {
        if (this.process === proc) this.onExit(exit);
      },
    });
    this.process = proc;
  }

  /** Ends the process; the running cell ends interrupted, queued cells reject with `why`. */
  private stopAll(why: string): void {
    const proc = this.process;
    this.process = null;
    proc?.dispose();
    this.flushStream();
    const running = this.running;
    this.running = null;
    if (running) {
      this.finishRun(running, { type: 'run-finished', status: 'stopped', exitCode: null, durationMs: Date.now() - running.started, ending: { how: 'stopped', exitCode: null, signal: null } });
      running.resolve({ executionCount: this.countOf(running), status: 'interrupted', runId: running.runId });
    }
    this.rejectQueued(`The cell was not run: ${why}.`);
    this.settleReady?.reject(new Error(`The notebook kernel did not start: ${why}.`));
    this.settleReady = null;
  }

  private rejectQueued(message: string): void {
    for (const p of this.queue.splice(0)) p.reject(new Error(message));
  }

  private next(): void {
    if (this.running || !this.isReady || !this.process) return;
    const pending = this.queue.shift();
    if (!pending) return;
    const running: Running = { ...pending, runId: newRunId(), started: Date.now(), seq: 0 };
    this.running = running;
    this.emit(running, {
      type: 'run-started',
      protocolVersion: PROTOCOL_VERSION,
      script: pending.cell.cellId,
      language: 'python',
      engineVersion,
      startedAt: new Date(running.started).toISOString(),
    });
    this.process.send({ type: 'execute', code: pending.cell.code, cellId: pending.cell.cellId });
  }

  private emit(run: Running, event: Unstamped): void {
    // Text read before this event is passed on before it.
    if (event.type !== 'output') this.flushStream();
    const full = { ...event, runId: run.runId, seq: run.seq++, time: Date.now() - run.started } as unknown as RunEvent;
    for (const listener of [...this.listeners]) listener(full);
  }

  /**
   * The running cell's output. Printed text that comes in quick succession (the kernel sends
   * each write as it happens) is joined into one stream output, passed on within STREAM_BATCH_MS.
   */
  private output(output: CellOutput): void {
    if (!this.running) return;
    if (output.kind !== 'stream') {
      this.flushStream();
      this.running.onOutput(output);
      return;
    }
    const pending = this.pendingStream;
    if (pending && pending.name === output.name) pending.text += output.text;
    else {
      this.flushStream();
      this.pendingStream = { ...output };
    }
    this.streamTimer ??= setTimeout(() => this.flushStream(), STREAM_BATCH_MS);
  }

  private flushStream(): void {
    if (this.streamTimer) clearTimeout(this.streamTimer);
    this.streamTimer = null;
    const pending = this.pendingStream;
    this.pendingStream = null;
    const run = this.running;
    if (!pending || !run) return;
    this.emit(run, { type: 'output', stream: pending.name, text: pending.text });
    run.onOutput(pending);
  }

  private onEvent(event: KernelEvent): void {
    switch (event.type) {
      case 'kernel-ready':
        this.isReady = true;
        this.settleReady?.resolve();
        this.settleReady = null;
        this.next();
        return;
      case 'kernel-failed':
        this.fail(`The notebook kernel could not load Python: ${event.message}`);
        return;
      case 'cell-output':
        this.output(event.output);
        return;
      case 'cell-done':
        this.cellDone(event.executionCount, event.status, event.error);
        return;
      case 'memory':
      case 'script-error':
        return;
      case 'metric-columns': {
        const { series, index, steps, values } = event;
        if (this.running) this.emit(this.running, { type: 'metrics', series, index, steps, values });
        return;
      }
      default:
        if (this.running) this.emit(this.running, event);
    }
  }

  private cellDone(executionCount: number, status: CellStatus, error: ScriptError | undefined): void {
    this.flushStream();
    const run = this.running;
    if (!run) return;
    this.running = null;
    const durationMs = Date.now() - run.started;
    if (status === 'error') {
      const scriptError = error ?? { name: 'Error', message: 'the cell raised an exception', stack: '' };
      this.finishRun(run, { type: 'run-failed', reason: 'error', error: scriptError, exitCode: null, durationMs, ending: { how: 'error', exitCode: null, signal: null } });
    } else {
      const stopped = status === 'interrupted';
      this.finishRun(run, {
        type: 'run-finished',
        status: stopped ? 'stopped' : 'completed',
        exitCode: null,
        durationMs,
        ending: { how: stopped ? 'stopped' : 'completed', exitCode: null, signal: null },
      });
    }
    this.lastCount = executionCount;
    run.resolve({ executionCount, status, runId: run.runId });
    this.next();
  }

  private finishRun(run: Running, terminal: Unstamped<RunFinishedEvent> | Unstamped<RunFailedEvent>): void {
    this.emit(run, terminal);
  }

  /** Python cannot run in this process: nothing queued will run until a restart. */
  private fail(message: string): void {
    this.dead = message;
    this.settleReady?.reject(new Error(message));
    this.settleReady = null;
    this.rejectQueued(message);
  }

  private onExit(exit: KernelExit): void {
    this.process = null;
    const why = exit.memoryExceeded !== null
      ? `The notebook kernel was stopped because it used ${Math.round(exit.memoryExceeded / (1024 * 1024))} MiB, more than its ${this.options.maxMemoryMb ?? DEFAULT_KERNEL_MEMORY_MB} MiB memory limit. Restart the kernel to run cells again.`
      : `The notebook kernel process ended (${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`}). Restart the kernel to run cells again.`;
    this.flushStream();
    const run = this.running;
    this.running = null;
    if (run) {
      const name = exit.memoryExceeded !== null ? 'MemoryLimitError' : 'KernelDied';
      run.onOutput({ kind: 'error', ename: name, evalue: why, traceback: [`${name}: ${why}`] });
      this.finishRun(run, {
        type: 'run-failed',
        reason: exit.memoryExceeded !== null ? 'memory-limit' : 'crash',
        error: { name, message: why, stack: '' },
        exitCode: exit.code,
        durationMs: Date.now() - run.started,
        ending: { how: exit.memoryExceeded !== null ? 'memory-limit' : exit.signal ? 'signal' : 'exit-code', exitCode: exit.code, signal: exit.signal },
      });
      run.resolve({ executionCount: this.countOf(run), status: 'error', runId: run.runId });
    }
    // The first reason stands: a kernel that could not load Python says so, then exits.
    if (this.dead === null) this.fail(why);
  }
}
