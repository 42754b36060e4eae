/**
 * A script error becomes a diagnostic on the learner's line (Problems panel) and an error
 * message with a "Go to line" action. Cleared when the script runs again.
 */
import * as vscode from 'vscode';
import type { RunEvent, SourceLocation } from '../protocol/run-events.js';

export async function revealLocation(location: SourceLocation): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(location.file));
  const pos = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, location.column - 1));
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false, viewColumn: vscode.ViewColumn.One });
}

export class RunDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('autograd-lab');

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') {
      this.collection.delete(vscode.Uri.file(event.script));
      return;
    }
    if (event.type !== 'run-failed') return;
    const { error } = event;
    const text = `${error.name}: ${error.message}`;
    const loc = error.location;
    if (loc) {
      const line = Math.max(0, loc.line - 1);
      const col = Math.max(0, loc.column - 1);
      const range = new vscode.Range(line, col, line, Number.MAX_SAFE_INTEGER);
      const diagnostic = new vscode.Diagnostic(range, text, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Autograd Lab';
      const uri = vscode.Uri.file(loc.file);
      this.collection.set(uri, [...(this.collection.get(uri) ?? []), diagnostic]);
    }
    const where = loc ? ` (${vscode.workspace.asRelativePath(loc.file)}:${loc.line})` : '';
    const actions = loc ? ['Go to line', 'Show output'] : ['Show output'];
    void vscode.window.showErrorMessage(`Training script failed${where}: ${text}`, ...actions).then((choice) => {
      if (choice === 'Go to line' && loc) void revealLocation(loc);
      else if (choice === 'Show output') void vscode.commands.executeCommand('autogradLab.showOutput');
    });
  }

  dispose(): void {
    this.collection.dispose();
  }
}
