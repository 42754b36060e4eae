/** The "Autograd Lab" output channel: the script's stdout/stderr and the run's story. */
import * as vscode from 'vscode';
import type { RunEvent } from '../protocol/run-events.js';

export class RunOutput implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Autograd Lab');

  log(line: string): void {
    this.channel.appendLine(line);
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.channel.appendLine(`▶ ${event.script} (run ${event.runId}, engine ${event.engineVersion})`);
        break;
      case 'output':
        this.channel.append(event.text);
        break;
      case 'warning':
        this.channel.appendLine(`⚠ ${event.message}`);
        break;
      case 'run-finished':
        this.channel.appendLine(`■ run ${event.status} in ${(event.durationMs / 1000).toFixed(1)} s`);
        break;
      case 'run-failed':
        this.channel.appendLine(`✖ ${event.error.name}: ${event.error.message}`);
        if (event.error.stack) this.channel.appendLine(event.error.stack);
        break;
      default:
        break;
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
