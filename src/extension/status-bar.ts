/** The status bar item while a run is live: epoch, last loss, ▲/▼; click opens the curves. */
import * as vscode from 'vscode';
import type { RunEvent } from '../runner/protocol.js';
import { StatusModel } from './status-model.js';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('autogradLab.run', vscode.StatusBarAlignment.Left, 100);
  private model = new StatusModel();
  private runId: string | null = null;

  constructor() {
    this.item.name = 'Autograd Lab training run';
    this.item.command = 'autogradLab.showLossCurves';
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') {
      this.runId = event.runId;
      this.model = new StatusModel();
      this.item.tooltip = `Training ${vscode.workspace.asRelativePath(event.script)} — click for the loss curves`;
      this.item.text = this.model.text(true);
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    if (event.runId !== this.runId) return;
    if (event.type === 'metrics') {
      this.model.observe(event.points);
      this.item.text = this.model.text(true);
    } else if (event.type === 'run-finished' || event.type === 'run-failed') {
      this.item.text = this.model.text(false) + (event.type === 'run-failed' ? ' $(error)' : event.status === 'stopped' ? ' (stopped)' : '');
      if (event.type === 'run-failed') this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
