/**
 * Runs a learner's script in its own process and turns what happens into the event stream of
 * protocol/run-events.ts. The script process leads a process group of its own, so whatever it
 * starts ends with it: Stop (a graceful message, then SIGKILL to the group after 500 ms, which
 * also ends `while (true) {}`), the memory limit, the script's own end, and the end of this
 * process all end the whole group (and the script process ends the group when this process is
 * gone without a word: see child/host.ts). Every byte the script writes reaches the listeners, in
 * order per stream; its events are stamped with this run's id so that several runs never mix.
 * A Python run takes the Python process kept ready (python-standby.ts) when there is one, and
 * hands it its configuration over IPC; from then on it is a script process like any other.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { AUTOGRAD_LAB_VERSION as engineVersion } from '../protocol/version.js';
import { newRunId } from './records.js';
import {
  PROTOCOL_VERSION,
  type RunEnding,
  type RunEvent,
  type RunFailedEvent,
  type RunFinishedEvent,
  type ScriptError,
  type ScriptLanguage,
  type Unstamped,
} from '../protocol/run-events.js';
import { parseChildEvent, type HostConfig, type RunnerMessage } from '../protocol/script-process.js';
import { forgetHost, forkHost, heapLimitMB, killGroup, readLines } from './host-process.js';
import { takeReadyPython } from './python-standby.js';

export { keepPythonReady, pythonReady, stopKeepingPythonReady } from './python-standby.js';

export interface RunOptions {
  /** The script to run (.ts, .mts, .js, .mjs, .cjs, .py). */
  script: string;
  /** The learner's folder: their files for stack traces and probes. Default: the script's folder. */
  workspaceRoot?: string;
  /** Line probes and loss metrics (default true). */
  probes?: boolean;
  /** Graph snapshots (default true). */
  graph?: boolean;
  /** Most values kept in a probe's history (default: the script process's PROBE_HISTORY_LIMIT). */
  probeHistoryLimit?: number;
  /** Memory limit for the script process in MiB (default 2048). */
  memoryLimitMB?: number;
  /** Called for every event, in order. */
  onEvent?: (event: RunEvent) => void;
  /** A fixed run id (default: made from the start time). */
  runId?: string;
}

export const DEFAULT_MEMORY_LIMIT_MB = 2048;
/** How long a stop request may take before the process group is killed. */
const STOP_GRACE_MS = 500;
const MEMORY_POLL_MS = 200;
/**
 * After the script process is gone, how long its pipes may stay open before they are given up:
 * only a process that left the script's group (setsid) can still hold them.
 */
const PIPE_DRAIN_MS = 300;
/** Output is passed on at most this often, so a script printing line by line costs an event per batch, not per line. */
const OUTPUT_BATCH_MS = 10;
const OUTPUT_BATCH_CHARS = 64 * 1024;

// '.py': Python scripts under Pyodide (#5, src/runner/python/).
export const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs', '.py'];

function languageOf(script: string): ScriptLanguage {
  const ext = extname(script);
  return ext === '.ts' || ext === '.mts' ? 'typescript' : ext === '.py' ? 'python' : 'javascript';
}

/** What a script that ended with its own exit code did, in its language's words. */
function exitCodeMessage(code: number | null, language: ScriptLanguage): string {
  const call = language === 'python' ? `sys.exit(${code})` : `process.exit(${code}) or process.exitCode = ${code}`;
  return `The script ended with exit code ${code} (${call}).`;
}

/** Resident memory of a process, where the OS tells cheaply (Linux); null elsewhere. */
function residentBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export class TrainingRun {
  readonly runId: string;
  readonly script: string;
  readonly done: Promise<RunFinishedEvent | RunFailedEvent>;
  private readonly listeners: ((event: RunEvent) => void)[] = [];
  private readonly started = Date.now();
  private seq = 0;
  private child: ChildProcess | null = null;
  private scriptError: ScriptError | null = null;
  private stopRequested = false;
  private memoryExceeded: number | null = null;
  private finished = false;
  private resolveDone!: (event: RunFinishedEvent | RunFailedEvent) => void;
  private killTimer: NodeJS.Timeout | null = null;
  private memoryTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private readonly memoryLimitBytes: number;
  /** Output read but not yet passed on, in the order it came (consecutive text of one stream joined). */
  private pendingOutput: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  private pendingChars = 0;
  private outputTimer: NodeJS.Timeout | null = null;
  /** When the script process exited (ms since the epoch): the run's end, whatever its pipes do after. */
  private exited: { at: number } | null = null;

  constructor(private readonly options: RunOptions) {
    this.script = resolve(options.script);
    this.runId = options.runId ?? newRunId();
    this.memoryLimitBytes = (options.memoryLimitMB ?? DEFAULT_MEMORY_LIMIT_MB) * 1024 * 1024;
    this.done = new Promise((r) => (this.resolveDone = r));
    if (options.onEvent) this.listeners.push(options.onEvent);
  }

  /** Subscribes to events from now on; returns the unsubscribe function. */
  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.push(listener);
    return () => void this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  private emit<E extends RunEvent>(event: Unstamped<E>): E {
    // Output read before this event is passed on before it.
    if (event.type !== 'output' && this.pendingOutput.length > 0) this.flushOutput();
    const full = { ...event, runId: this.runId, seq: this.seq++, time: Date.now() - this.started } as unknown as E;
    for (const listener of [...this.listeners]) listener(full);
    return full;
  }

  /** Starts the script process. Events begin with run-started. */
  start(): this {
    const language = languageOf(this.script);
    this.emit<RunEvent>({
      type: 'run-started',
      protocolVersion: PROTOCOL_VERSION,
      script: this.script,
      language,
      engineVersion,
      startedAt: new Date(this.started).toISOString(),
    });
    const config: HostConfig = {
      script: this.script,
      userRoot: resolve(this.options.workspaceRoot ?? dirname(this.script)),
      probes: this.options.probes ?? true,
      graph: this.options.graph ?? true,
    };
    if (this.options.probeHistoryLimit !== undefined) config.probeHistoryLimit = this.options.probeHistoryLimit;
    const heapMB = heapLimitMB(this.memoryLimitBytes / (1024 * 1024));
    // A Python process kept ready (python-standby.ts) gets its run over IPC; else one is forked for it.
    const ready = language === 'python' ? takeReadyPython(heapMB) : null;
    if (ready) ready.send({ type: 'start', config } satisfies RunnerMessage, () => undefined);
    const child = ready ?? forkHost({ config }, heapMB, dirname(this.script));
    this.child = child;
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      const readable = child[stream]!;
      readable.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (text) this.queueOutput(stream, text);
      });
      readable.on('end', () => {
        const rest = decoder.end();
        if (rest) this.queueOutput(stream, rest);
      });
    }
    this.readEvents(child.stdio[4] as NodeJS.ReadableStream);
    child.on('error', (err) => {
      this.scriptError ??= { name: 'Error', message: `could not start the script process: ${err.message}`, stack: '' };
    });
    child.on('exit', (code, signal) => this.onExit(code, signal));
    child.on('close', (code, signal) => this.finish(code, signal));
    this.memoryTimer = setInterval(() => {
      const rss = child.pid ? residentBytes(child.pid) : null;
      if (rss !== null) this.checkMemory(rss);
    }, MEMORY_POLL_MS);
    this.memoryTimer.unref();
    return this;
  }

  /** The script process's pipes: its stdout, its stderr and the event pipe. */
  private pipes(): NodeJS.ReadableStream[] {
    const child = this.child;
    if (!child) return [];
    return [child.stdout, child.stderr, child.stdio[4] as NodeJS.ReadableStream | null].filter((s): s is NodeJS.ReadableStream => s !== null);
  }

  /**
   * Stops reading the script's output and events until `resume()`: for a listener that cannot
   * keep up (the CLI writing into a slow pipe). The script then waits in its next write once the
   * pipes are full, so nothing piles up in memory and nothing is lost. Stop still works.
   */
  pause(): void {
    if (!this.exited) for (const pipe of this.pipes()) pipe.pause();
  }

  /** Reads the script's output and events again after `pause()`. */
  resume(): void {
    for (const pipe of this.pipes()) pipe.resume();
  }

  private queueOutput(stream: 'stdout' | 'stderr', text: string): void {
    const last = this.pendingOutput[this.pendingOutput.length - 1];
    if (last !== undefined && last.stream === stream) last.text += text;
    else this.pendingOutput.push({ stream, text });
    this.pendingChars += text.length;
    if (this.pendingChars >= OUTPUT_BATCH_CHARS) this.flushOutput();
    else this.outputTimer ??= setTimeout(() => this.flushOutput(), OUTPUT_BATCH_MS);
  }

  private flushOutput(): void {
    if (this.outputTimer) clearTimeout(this.outputTimer);
    this.outputTimer = null;
    const pending = this.pendingOutput;
    this.pendingOutput = [];
    this.pendingChars = 0;
    for (const { stream, text } of pending) this.emit<RunEvent>({ type: 'output', stream, text });
  }

  private readEvents(stream: NodeJS.ReadableStream): void {
    readLines(stream, (line) => this.onChildEvent(line));
  }

  private onChildEvent(line: string): void {
    const event = parseChildEvent(line);
    if (event === null) return; // a torn line from a killed process carries nothing usable
    switch (event.type) {
      case 'script-error':
        this.scriptError = event.error;
        return;
      case 'memory':
        this.checkMemory(event.rssBytes);
        return;
      case 'metric-columns': {
        // The columns as they came: the metrics event carries the same SeriesBatch.
        const { series, index, steps, values } = event;
        this.emit<RunEvent>({ type: 'metrics', series, index, steps, values });
        return;
      }
      default:
        this.emit<RunEvent>(event);
    }
  }

  private checkMemory(rss: number): void {
    if (rss <= this.memoryLimitBytes || this.memoryExceeded !== null || this.exited || this.finished) return;
    this.memoryExceeded = rss;
    if (this.child) killGroup(this.child);
  }

  /**
   * Stops the run: asks the script process to end (its data is flushed), and kills its process
   * group if it hasn't ended within 500 ms.
   */
  stop(): void {
    if (this.finished || this.exited || !this.child || this.stopRequested) return;
    this.stopRequested = true;
    const child = this.child;
    if (child.connected) child.send({ type: 'stop' } satisfies RunnerMessage, () => undefined);
    // Not unref'd: a host that is shutting down must still get to the SIGKILL (and if it exits
    // first, its exit hook kills the group).
    this.killTimer = setTimeout(() => killGroup(child), STOP_GRACE_MS);
  }

  /**
   * The script process is gone: what it started goes with it (its group is killed), and the run
   * ends once its pipes are read to the end, or after PIPE_DRAIN_MS if something that left the
   * group still holds them.
   */
  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = { at: Date.now() };
    const child = this.child!;
    if (this.killTimer) clearTimeout(this.killTimer);
    killGroup(child);
    forgetHost(child);
    // Whatever is still in the pipes is bounded by their size: read it all.
    this.resume();
    this.drainTimer = setTimeout(() => {
      for (const pipe of this.pipes()) (pipe as NodeJS.ReadableStream & { destroy(): void }).destroy();
      this.finish(code, signal);
    }, PIPE_DRAIN_MS);
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.finished = true;
    if (this.child) forgetHost(this.child);
    if (this.killTimer) clearTimeout(this.killTimer);
    if (this.drainTimer) clearTimeout(this.drainTimer);
    if (this.memoryTimer) clearInterval(this.memoryTimer);
    this.flushOutput();
    const durationMs = (this.exited?.at ?? Date.now()) - this.started;
    const ending = (how: RunEnding['how']): RunEnding => ({ how, exitCode: code, signal });
    const limitMB = Math.round(this.memoryLimitBytes / (1024 * 1024));
    const heapExhausted = !this.stopRequested && this.scriptError === null && (code === 134 || signal === 'SIGABRT');
    let terminal: RunFinishedEvent | RunFailedEvent;
    if (this.memoryExceeded !== null || heapExhausted) {
      const used = this.memoryExceeded !== null ? `${Math.round(this.memoryExceeded / (1024 * 1024))} MiB` : 'all of its memory';
      terminal = this.emit<RunFailedEvent>({
        type: 'run-failed',
        reason: 'memory-limit',
        error: {
          name: 'MemoryLimitError',
          message: `The script was stopped because it used ${used}, more than its ${limitMB} MiB memory limit. Look for tensors created in a loop and kept (a growing list, a graph kept alive by retain_graph or by summing losses without .item()), or raise the limit (autogradLab.memoryLimitMB).`,
          stack: '',
        },
        exitCode: code,
        durationMs,
        ending: ending('memory-limit'),
      });
    } else if (this.stopRequested) {
      terminal = this.emit<RunFinishedEvent>({ type: 'run-finished', status: 'stopped', exitCode: code, durationMs, ending: ending('stopped') });
    } else if (this.scriptError) {
      terminal = this.emit<RunFailedEvent>({ type: 'run-failed', reason: 'error', error: this.scriptError, exitCode: code, durationMs, ending: ending('error') });
    } else if (code === 0) {
      terminal = this.emit<RunFinishedEvent>({ type: 'run-finished', status: 'completed', exitCode: 0, durationMs, ending: ending('completed') });
    } else {
      terminal = this.emit<RunFailedEvent>({
        type: 'run-failed',
        reason: 'crash',
        error: { name: 'ProcessError', message: signal ? `The script process was killed by ${signal}.` : exitCodeMessage(code, languageOf(this.script)), stack: '' },
        exitCode: code,
        durationMs,
        ending: ending(signal ? 'signal' : 'exit-code'),
      });
    }
    this.resolveDone(terminal);
  }
}

/** Starts a run of `options.script`; listen with `onEvent` (or options.onEvent), await `done`. */
export function startRun(options: RunOptions): TrainingRun {
  return new TrainingRun(options).start();
}
