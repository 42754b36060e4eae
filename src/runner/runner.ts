/**
 * Runs a learner's script in its own process and turns what happens into the event stream of
 * protocol/run-events.ts. The script process can be stopped at any moment (a graceful message, then
 * SIGKILL within 1 s, which also ends `while (true) {}`), is held to a memory limit, and its
 * events are stamped with this run's id so that several runs never mix.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { AUTOGRAD_LAB_VERSION as engineVersion } from '../protocol/version.js';
import { newRunId } from './records.js';
import {
  PROTOCOL_VERSION,
  type RunEvent,
  type RunFailedEvent,
  type RunFinishedEvent,
  type ScriptError,
  type ScriptLanguage,
  type Unstamped,
} from '../protocol/run-events.js';
import { parseChildEvent, type HostConfig } from '../protocol/script-process.js';

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
/** How long a stop request may take before the process is killed. */
const STOP_GRACE_MS = 500;
const MEMORY_POLL_MS = 200;

// '.py': Python scripts under Pyodide (#5, src/runner/python/).
export const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs', '.py'];

function languageOf(script: string): ScriptLanguage {
  const ext = extname(script);
  return ext === '.ts' || ext === '.mts' ? 'typescript' : ext === '.py' ? 'python' : 'javascript';
}

/** Where the script host lives: compiled JS normally; the TypeScript source under tsx (tests). */
function hostEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { path: resolve(dirname(here), 'child', 'host.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  return { path: resolve(dirname(here), 'child', 'host.js'), execArgv: [] };
}

/** The script's environment: ours, minus what would make its Node act as something else. */
function scriptEnvironment(config: HostConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AUTOGRAD_LAB_RUN: JSON.stringify(config) };
  // Set when we run under `node --test`: a child that inherits it reports to a test runner.
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
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
  private readonly memoryLimitBytes: number;

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
    const host = hostEntry();
    const heapMB = Math.max(64, Math.floor(this.memoryLimitBytes / (1024 * 1024)));
    const child = fork(host.path, [], {
      cwd: dirname(this.script),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
      execArgv: [...host.execArgv, `--max-old-space-size=${heapMB}`],
      env: scriptEnvironment(config),
      serialization: 'json',
    });
    this.child = child;
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[stream]!.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (text) this.emit<RunEvent>({ type: 'output', stream, text });
      });
    }
    this.readEvents(child.stdio[4] as NodeJS.ReadableStream);
    child.on('error', (err) => {
      this.scriptError ??= { name: 'Error', message: `could not start the script process: ${err.message}`, stack: '' };
    });
    child.on('close', (code, signal) => this.finish(code, signal));
    this.memoryTimer = setInterval(() => {
      const rss = child.pid ? residentBytes(child.pid) : null;
      if (rss !== null) this.checkMemory(rss);
    }, MEMORY_POLL_MS);
    this.memoryTimer.unref();
    return this;
  }

  private readEvents(stream: NodeJS.ReadableStream): void {
    const decoder = new StringDecoder('utf8');
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += decoder.write(chunk);
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line) this.onChildEvent(line);
      }
    });
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
    if (rss <= this.memoryLimitBytes || this.memoryExceeded !== null || this.finished) return;
    this.memoryExceeded = rss;
    this.child?.kill('SIGKILL');
  }

  /** Stops the run: asks the script process to end, and kills it if it hasn't within 500 ms. */
  stop(): void {
    if (this.finished || !this.child || this.stopRequested) return;
    this.stopRequested = true;
    const child = this.child;
    if (child.connected) child.send({ type: 'stop' }, () => undefined);
    this.killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    this.killTimer.unref();
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.finished = true;
    if (this.killTimer) clearTimeout(this.killTimer);
    if (this.memoryTimer) clearInterval(this.memoryTimer);
    const durationMs = Date.now() - this.started;
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
      });
    } else if (this.stopRequested) {
      terminal = this.emit<RunFinishedEvent>({ type: 'run-finished', status: 'stopped', exitCode: code, durationMs });
    } else if (this.scriptError) {
      terminal = this.emit<RunFailedEvent>({ type: 'run-failed', reason: 'error', error: this.scriptError, exitCode: code, durationMs });
    } else if (code === 0) {
      terminal = this.emit<RunFinishedEvent>({ type: 'run-finished', status: 'completed', exitCode: 0, durationMs });
    } else {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      terminal = this.emit<RunFailedEvent>({
        type: 'run-failed',
        reason: 'crash',
        error: { name: 'ProcessError', message: `The script process ${how}.`, stack: '' },
        exitCode: code,
        durationMs,
      });
    }
    this.resolveDone(terminal);
  }
}

/** Starts a run of `options.script`; listen with `onEvent` (or options.onEvent), await `done`. */
export function startRun(options: RunOptions): TrainingRun {
  return new TrainingRun(options).start();
}
