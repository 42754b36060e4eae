/**
 * The "Autograd Lab" output channel: the script's stdout/stderr and the run's story. The first
 * output of a run (what the script prints, or its error) brings the channel to the front, without
 * taking the focus from the editor, unless the autogradLab.output.revealOnRun setting is off.
 */
import * as vscode from 'vscode';
import type { RunEvent } from '../protocol/run-events.js';
import { readSettings } from './settings.js';

export class RunOutput implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Autograd Lab');
  /** Runs whose first output has shown the channel already. */
  private readonly revealed = new Set<string>();

  log(line: string): void {
    this.channel.appendLine(line);
  }

  /** Brings the channel to the front on a run's first output (once per run). */
  private revealFor(runId: string): void {
    if (this.revealed.has(runId)) return;
    this.revealed.add(runId);
    if (readSettings().revealOutput) this.channel.show(true);
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.channel.appendLine(`▶ ${event.script} (run ${event.runId}, engine ${event.engineVersion})`);
        break;
      case 'output':
        this.channel.append(event.text);
        this.revealFor(event.runId);
        break;
      case 'warning':
        this.channel.appendLine(`⚠ ${event.message}`);
        break;
      case 'run-finished':
        this.channel.appendLine(`■ run ${event.status} in ${(event.durationMs / 1000).toFixed(1)} s`);
        this.revealed.delete(event.runId);
        break;
      case 'run-failed':
        this.channel.appendLine(`✖ ${event.error.name}: ${event.error.message}`);
        // The stack as the script process trimmed it: the learner's own frames.
        if (event.error.stack) this.channel.appendLine(event.error.stack);
        this.revealFor(event.runId);
        this.revealed.delete(event.runId);
        break;
      default:
        break;
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
