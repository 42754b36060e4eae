/** The Autograd Lab extension: wires the run session to its views. One concern per file. */
import * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { RunDiagnostics } from './diagnostics.js';
import { GutterDecorations } from './gutter.js';
import { RunOutput } from './output.js';
import { PanelHost } from './panel-host.js';
import { RecordsBrowser } from './records-browser.js';
import { RunSessions } from './run-session.js';
import { readSettings } from './settings.js';
import { RunStatusBar } from './status-bar.js';

export interface AutogradLabApi {
  sessions: RunSessions;
  gutter: GutterDecorations;
  panel: PanelHost;
}

export function activate(context: vscode.ExtensionContext): AutogradLabApi {
  const output = new RunOutput();
  const log = (line: string) => output.log(line);
  const sessions = new RunSessions(context.extensionPath, log);
  const records = new RecordsBrowser(log);
  const status = new RunStatusBar();
  const diagnostics = new RunDiagnostics();
  const gutter = new GutterDecorations(vscode.Uri.joinPath(context.extensionUri, 'media'), readSettings().gutterEnabled, (file) => records.restoreProbes(file));
  const panel = new PanelHost(context.extensionUri, records, context.workspaceState);
  context.subscriptions.push(output, sessions, status, diagnostics, gutter, panel);

  context.subscriptions.push(
    sessions.onEvent((event) => {
      output.onEvent(event);
      status.onEvent(event);
      diagnostics.onEvent(event);
      gutter.onEvent(event);
      panel.onEvent(event);
      if (event.type === 'run-started' || event.type === 'run-finished' || event.type === 'run-failed') {
        void vscode.commands.executeCommand('setContext', 'autogradLab.running', sessions.running.length > 0);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('autogradLab.gutter.enabled')) gutter.setEnabled(readSettings().gutterEnabled);
    }),
  );
  registerCommands(context, { extensionPath: context.extensionPath, sessions, panel, gutter, records, output });
  gutter.render();
  return { sessions, gutter, panel };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; a live run is stopped by RunSessions.dispose.
}
