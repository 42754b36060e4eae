/**
 * The status bar item while a run is live: epoch, last loss, ▲/▼; click opens the curves.
 * Each text change is a message to the workbench, so a fast run updates it at most 4 times a
 * second (the model follows every point; only the text waits); the run's end shows at once.
 */
import * as vscode from 'vscode';
import type { RunEvent } from '../protocol/run-events.js';
import { throttle } from './gutter-model.js';
import { endedTooltip, StatusModel } from './status-model.js';

const UPDATES_PER_SECOND = 4;

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('autogradLab.run', vscode.StatusBarAlignment.Left, 100);
  private model = new StatusModel();
  private runId: string | null = null;
  private script = '';
  private readonly showProgress = throttle(() => {
    this.item.text = this.model.text(true);
  }, 1000 / UPDATES_PER_SECOND);

  constructor() {
    this.item.name = 'Autograd Lab training run';
    this.item.command = 'autogradLab.showLossCurves';
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') {
      this.runId = event.runId;
      this.showProgress.cancel();
      this.model = new StatusModel();
      this.script = vscode.workspace.asRelativePath(event.script);
      this.item.tooltip = `Training ${this.script} — click for the loss curves`;
      this.item.text = this.model.text(true);
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    if (event.runId !== this.runId) return;
    if (event.type === 'metrics') {
      this.model.observe(event);
      this.showProgress();
    } else if (event.type === 'run-finished' || event.type === 'run-failed') {
      this.showProgress.cancel();
      this.item.text = this.model.text(false) + (event.type === 'run-failed' ? ' $(error)' : event.status === 'stopped' ? ' (stopped)' : '');
      if (event.type === 'run-failed') this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.tooltip = endedTooltip(this.script, event);
    }
  }

  dispose(): void {
    this.showProgress.cancel();
    this.item.dispose();
  }
}
