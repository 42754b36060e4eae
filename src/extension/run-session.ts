/**
 * The live run: starts the runner on a script, records it (RunRecordWriter, retention), and fans
 * its event stream out to everything that shows it. The extension consumes only this stream.
 */
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import type { RunEvent, RunFailedEvent, RunFinishedEvent } from '../protocol/run-events.js';
import { applyRetention, RunRecordWriter } from '../runner/records.js';
import type { TrainingRun } from '../runner/runner.js';
import { loadRunner, type RunnerModule } from './runtime.js';
import { readSettings } from './settings.js';

export const UNTRUSTED_RUN = 'Autograd Lab runs training scripts as programs on your machine, so it needs a trusted workspace. Trust this folder to run scripts; the curves and graphs of recorded runs stay available.';

export interface LiveRun {
  runId: string;
  script: string;
  workspaceRoot: string;
  run: TrainingRun;
  done: Promise<RunFinishedEvent | RunFailedEvent>;
}

/**
 * A run's record in the workspace (.autograd-lab/runs/<id>/). Its problems are logged, never
 * thrown: a run goes on without its record. Script runs and notebook cell runs alike.
 */
export class RunRecorder {
  private writer: RunRecordWriter | null = null;

  constructor(private readonly workspaceRoot: string, runId: string, private readonly log: (line: string) => void) {
    try {
      this.writer = RunRecordWriter.create(workspaceRoot, runId, { onError: (e) => log(`Run record not written: ${e.message}`) });
    } catch (err) {
      log(`Run record not started: ${(err as Error).message}`);
    }
  }

  append(event: RunEvent): void {
    try {
      this.writer?.append(event);
    } catch (err) {
      this.log(`Run record: ${(err as Error).message}`);
    }
  }

  /** Closes the record, then keeps the newest `retention` records of the workspace. */
  close(retention: number): void {
    try {
      this.writer?.close();
      applyRetention(this.workspaceRoot, retention, { onProblem: (p) => this.log(`Retention: ${p.message}`) });
    } catch (err) {
      this.log(`Run record: ${(err as Error).message}`);
    }
  }
}

export class RunSessions implements vscode.Disposable {
  private readonly eventEmitter = new vscode.EventEmitter<RunEvent>();
  private readonly startEmitter = new vscode.EventEmitter<LiveRun>();
  /** Every event of every run, in order. */
  readonly onEvent = this.eventEmitter.event;
  readonly onDidStart = this.startEmitter.event;
  private readonly live = new Map<string, LiveRun>();
  private lastRun: LiveRun | null = null;
  /** The runner, once a Python process is kept ready through it (ended on dispose). */
  private keepingPythonReady: RunnerModule | null = null;
  private disposed = false;

  constructor(private readonly extensionPath: string, private readonly log: (line: string) => void) {}

  get current(): LiveRun | null {
    return this.lastRun && this.live.has(this.lastRun.runId) ? this.lastRun : null;
  }

  get running(): LiveRun[] {
    return [...this.live.values()];
  }

  isRunning(script: string): boolean {
    return this.running.some((r) => r.script === script);
  }

  static workspaceRootFor(script: string): string {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(script));
    return folder ? folder.uri.fsPath : dirname(script);
  }

  /**
   * Starts a run of `script`. Only in a trusted workspace, for every caller (the commands and the
   * extension's exported API alike): a run executes the script as a program on this machine.
   */
  async start(script: string): Promise<LiveRun> {
    if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_RUN);
    const settings = readSettings();
    const runner = await loadRunner(this.extensionPath);
    const workspaceRoot = RunSessions.workspaceRootFor(script);
    const run = new runner.TrainingRun({ script, workspaceRoot, memoryLimitMB: settings.memoryLimitMB, probeHistoryLimit: settings.probeHistorySize });
    const record = new RunRecorder(workspaceRoot, run.runId, this.log);
    run.onEvent((event) => {
      record.append(event);
      if (event.type === 'run-finished' || event.type === 'run-failed') this.live.delete(event.runId);
      this.eventEmitter.fire(event);
    });
    const live: LiveRun = { runId: run.runId, script: run.script, workspaceRoot, run, done: run.done };
    this.live.set(run.runId, live);
    this.lastRun = live;
    this.startEmitter.fire(live);
    run.start();
    void run.done.then(() => {
      this.live.delete(run.runId);
      if (run.script.endsWith('.py') && this.keepingPythonReady) void this.keepPythonReady();
      record.close(settings.runRetention);
    });
    return live;
  }

  /**
   * Keeps a Python process ready (Pyodide loaded), so that Run Training on a .py does not wait
   * for it: called when a Python file or notebook is opened, and after each Python run (the
   * memory limit may have changed). Only in a trusted workspace, as runs.
   */
  async keepPythonReady(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const runner = await loadRunner(this.extensionPath);
    if (this.disposed) return;
    runner.keepPythonReady({ memoryLimitMB: readSettings().memoryLimitMB });
    this.keepingPythonReady = runner;
  }

  stop(runId?: string): boolean {
    const targets = runId ? [this.live.get(runId)].filter((r): r is LiveRun => !!r) : this.running;
    for (const r of targets) r.run.stop();
    return targets.length > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.keepingPythonReady?.stopKeepingPythonReady();
    this.eventEmitter.dispose();
    this.startEmitter.dispose();
  }
}
