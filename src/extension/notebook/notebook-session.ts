/**
 * One notebook's kernel and its queue of cell executions. Cells run one at a time in the order
 * they were asked for; each cell's outputs stream into it as the kernel sends them. As in
 * Jupyter, a cell that fails or is interrupted drops the cells queued after it (Run All stops at
 * the first error), and Restart drops them too.
 */
import * as vscode from 'vscode';
import type { CellOutput, NotebookKernel } from '../../runner/kernel/notebook-kernel.js';
import { CellOutputPlanner, type OutputPlan, type PlannedItem } from './cell-outputs.js';

interface CellJob {
  execution: vscode.NotebookCellExecution;
  started: boolean;
  ended: boolean;
  /** Interrupted or dropped before the kernel got it: it is not sent. */
  cancelled: boolean;
  /** Handed to the kernel: an interrupt goes to the kernel. */
  sent: boolean;
}

function outputItem(item: PlannedItem): vscode.NotebookCellOutputItem {
  switch (item.kind) {
    case 'stdout':
      return vscode.NotebookCellOutputItem.stdout(item.text);
    case 'stderr':
      return vscode.NotebookCellOutputItem.stderr(item.text);
    case 'text':
      return vscode.NotebookCellOutputItem.text(item.text, item.mime);
    case 'bytes':
      return new vscode.NotebookCellOutputItem(item.data, item.mime);
    case 'error': {
      const error = new Error(item.message);
      error.name = item.name;
      error.stack = item.stack;
      return vscode.NotebookCellOutputItem.error(error);
    }
  }
}

/**
 * Writes one cell's outputs in order. While a write is on its way to the workbench, what arrives
 * waits, and a stream's waiting pieces go out as one item: a cell printing thousands of lines
 * costs a few edits, not one per line.
 */
class CellOutputWriter {
  private readonly planner = new CellOutputPlanner();
  private pending: OutputPlan[] = [];
  private last: vscode.NotebookCellOutput | null = null;
  private writing: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  add(output: CellOutput): void {
    const plan = this.planner.plan(output);
    if (!plan) return;
    this.pending.push(plan);
    if (!this.busy) this.writing = this.flush();
  }

  /** Resolves when everything added so far is in the cell. */
  async settled(): Promise<void> {
    while (this.busy || this.pending.length > 0) {
      if (!this.busy) this.writing = this.flush();
      await this.writing;
    }
  }

  private async flush(): Promise<void> {
    this.busy = true;
    try {
      while (this.pending.length > 0) {
        const plans = mergeStreams(this.pending.splice(0));
        for (const plan of plans) {
          const items = plan.items.map(outputItem);
          if (plan.append === 'continue' && this.last) {
            await this.execution.appendOutputItems(items, this.last);
          } else {
            this.last = new vscode.NotebookCellOutput(items, plan.metadata);
            await this.execution.appendOutput(this.last);
          }
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

/** Joins each run of stream items of one stream into one item (the plans stay in order). */
function mergeStreams(plans: OutputPlan[]): OutputPlan[] {
  const out: OutputPlan[] = [];
  for (const plan of plans) {
    const prev = out[out.length - 1];
    const item = plan.items[0];
    const prevItem = prev?.items[prev.items.length - 1];
    if (plan.append === 'continue' && prev && item && prevItem && (item.kind === 'stdout' || item.kind === 'stderr') && prevItem.kind === item.kind) {
      prev.items[prev.items.length - 1] = { kind: item.kind, text: prevItem.text + item.text };
      continue;
    }
    out.push({ ...plan, items: [...plan.items] });
  }
  return out;
}

export class NotebookSession {
  private readonly queue: CellJob[] = [];
  private running: CellJob | null = null;
  private disposed = false;

  /**
   * `onKernelLost`: the kernel failed in a way that leaves it unusable (its process could not
   * start or ended); the owner drops this session, so the next cell starts a new kernel.
   */
  constructor(
    readonly kernel: NotebookKernel,
    private readonly onKernelLost: (session: NotebookSession, error: Error) => void,
  ) {}

  /** Queues cells: each is pending until its turn. */
  enqueue(executions: readonly vscode.NotebookCellExecution[]): void {
    for (const execution of executions) {
      if (this.disposed) {
        execution.start(Date.now());
        execution.end(undefined);
        continue;
      }
      this.queue.push({ execution, started: false, ended: false, cancelled: false, sent: false });
    }
    void this.pump();
  }

  /** KeyboardInterrupt in the running cell; the queued ones are dropped. */
  interrupt(): void {
    this.dropQueue();
    const job = this.running;
    if (!job) return;
    if (job.sent) this.kernel.interrupt();
    else job.cancelled = true;
  }

  /** A fresh interpreter: queued cells are dropped, the running one ends unfinished. */
  async restart(): Promise<void> {
    this.dropQueue();
    const job = this.running;
    if (job) job.cancelled = true;
    await this.kernel.restart();
    if (job) this.finish(job, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dropQueue();
    if (this.running) this.finish(this.running, undefined);
    this.kernel.dispose();
  }

  private dropQueue(): void {
    for (const job of this.queue.splice(0)) this.finish(job, undefined);
  }

  private finish(job: CellJob, success: boolean | undefined): void {
    if (job.ended) return;
    job.ended = true;
    if (!job.started) job.execution.start(Date.now());
    job.execution.end(success, Date.now());
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      this.running = job;
      const ok = await this.run(job);
      this.running = null;
      if (!ok) this.dropQueue();
    }
  }

  /** Runs one cell; true when it ran to its end without an error. */
  private async run(job: CellJob): Promise<boolean> {
    const { execution } = job;
    job.started = true;
    execution.start(Date.now());
    await execution.clearOutput();
    const writer = new CellOutputWriter(execution);
    try {
      await this.kernel.ready;
      if (job.cancelled || this.disposed) {
        this.finish(job, undefined);
        return false;
      }
      job.sent = true;
      const run = await this.kernel.execute({ code: execution.cell.document.getText(), cellId: execution.cell.document.uri.toString() }, (output) => {
        if (job.ended) return;
        if (output.kind === 'result') execution.executionOrder = output.executionCount;
        writer.add(output);
      });
      await writer.settled();
      // A cell the kernel never counted (a restart or the kernel's end cut it short) has count 0.
      if (!job.ended && run.executionCount > 0) execution.executionOrder = run.executionCount;
      this.finish(job, run.status === 'ok');
      return run.status === 'ok';
    } catch (err) {
      await writer.settled().catch(() => undefined);
      const error = err instanceof Error ? err : new Error(String(err));
      if (!job.ended && !job.cancelled && !this.disposed) {
        await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)], { outputType: 'error' }));
        this.onKernelLost(this, error);
      }
      this.finish(job, false);
      return false;
    }
  }
}
