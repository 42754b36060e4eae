/**
 * A script error becomes a diagnostic on the failing expression of the learner's line (Problems
 * panel, squiggle) and one error notification with "Go to error". Cleared when the script runs
 * again.
 *
 * Notifications cannot be closed by an extension, but VS Code replaces one with the same text and
 * actions: so the notification's text is always the same and says where the details are (the
 * squiggle, the panel, the output), and its actions act on the latest failure. A learner
 * rerunning a failing script sees one notification, not a pile.
 */
import * as vscode from 'vscode';
import type { RunEvent, RunFailedEvent, SourceLocation } from '../protocol/run-events.js';
import { expressionRange } from './error-range.js';

export const FAILURE_NOTIFICATION = 'Autograd Lab: the training script stopped with an error. It is marked on its line, and the panel and the output say more.';

export async function revealLocation(location: SourceLocation): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(location.file));
  const pos = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, location.column - 1));
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false, viewColumn: vscode.ViewColumn.One });
}

/** The range a diagnostic covers: the failing expression on the error's line (error-range.ts). */
async function errorRange(loc: SourceLocation): Promise<vscode.Range> {
  const line = Math.max(0, loc.line - 1);
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(loc.file));
    if (line < doc.lineCount) {
      const { start, end } = expressionRange(doc.lineAt(line).text, loc.column);
      return new vscode.Range(line, start, line, end);
    }
  } catch {
    // The file is gone or unreadable: the error's own place, then.
  }
  const col = Math.max(0, loc.column - 1);
  return new vscode.Range(line, col, line, col + 1);
}

export class RunDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('autograd-lab');
  /** The latest failure, which the one notification's actions act on. */
  private latest: RunFailedEvent | null = null;

  async onEvent(event: RunEvent): Promise<void> {
    if (event.type === 'run-started') {
      this.collection.delete(vscode.Uri.file(event.script));
      return;
    }
    if (event.type !== 'run-failed') return;
    this.latest = event;
    const { error } = event;
    const text = `${error.name}: ${error.message}`;
    const loc = error.location;
    if (loc) {
      const diagnostic = new vscode.Diagnostic(await errorRange(loc), text, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Autograd Lab';
      const uri = vscode.Uri.file(loc.file);
      this.collection.set(uri, [...(this.collection.get(uri) ?? []), diagnostic]);
    }
    void vscode.window.showErrorMessage(FAILURE_NOTIFICATION, 'Go to error', 'Show output').then((choice) => {
      const location = this.latest?.error.location;
      if (choice === 'Go to error' && location) void revealLocation(location);
      else if (choice === 'Go to error' && this.latest) void vscode.window.showInformationMessage(`${this.latest.error.name}: ${this.latest.error.message} (no line of the script to go to)`);
      else if (choice === 'Show output') void vscode.commands.executeCommand('autogradLab.showOutput');
    });
  }

  dispose(): void {
    this.collection.dispose();
  }
}
