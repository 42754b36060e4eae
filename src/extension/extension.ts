/** The Autograd Lab extension: wires the run session to its views. One concern per file. */
import * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { RunDiagnostics } from './diagnostics.js';
import { GutterDecorations } from './gutter.js';
import type { AutogradLabNotebooks } from './notebook/notebook-controller.js';
import { registerNotebooks } from './notebook/register.js';
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
  notebooks: AutogradLabNotebooks;
}

export function activate(context: vscode.ExtensionContext): AutogradLabApi {
  const output = new RunOutput();
  const log = (line: string) => output.log(line);
  const sessions = new RunSessions(context.extensionPath, log);
  const records = new RecordsBrowser(log);
  const status = new RunStatusBar();
  const diagnostics = new RunDiagnostics();
  // Restoring a file's annotations reads the workspace's run records on every file opened: only
  // in a trusted workspace. In Restricted Mode records are read only when the learner asks
  // (Compare Runs…, Export Run, a panel restored with a run).
  const gutter = new GutterDecorations(vscode.Uri.joinPath(context.extensionUri, 'media'), readSettings().gutterEnabled, (file) => (vscode.workspace.isTrusted ? records.restoreProbes(file) : null));
  const panel = new PanelHost(context.extensionUri, records, context.workspaceState);
  context.subscriptions.push(output, sessions, status, diagnostics, gutter, panel);

  context.subscriptions.push(
    sessions.onEvent((event) => {
      output.onEvent(event);
      status.onEvent(event);
      void diagnostics.onEvent(event);
      gutter.onEvent(event);
      panel.onEvent(event);
      if (event.type === 'run-started' || event.type === 'run-finished' || event.type === 'run-failed') {
        void vscode.commands.executeCommand('setContext', 'autogradLab.running', sessions.running.length > 0);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('autogradLab.gutter.enabled')) gutter.setEnabled(readSettings().gutterEnabled);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => gutter.retryRestore()),
  );
  // The scripts the learner had in front of them, for Run Training from the walkthrough or the panel.
  const recent: vscode.Uri[] = [];
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const uri = editor?.document.uri;
      if (!uri || uri.scheme !== 'file') return;
      const i = recent.findIndex((r) => r.fsPath === uri.fsPath);
      if (i >= 0) recent.splice(i, 1);
      recent.unshift(uri);
      recent.length = Math.min(recent.length, 20);
    }),
  );
  registerCommands(context, { extensionPath: context.extensionPath, sessions, panel, gutter, records, output, recentScripts: () => recent });
  const notebooks = registerNotebooks(context, context.extensionPath, log, { gutter, panel, status });
  void showWalkthroughOnce(context);
  gutter.render();
  return { sessions, gutter, panel, notebooks };
}

/**
 * The walkthrough, on the first start of the extension in a profile that wants walkthroughs
 * (`workbench.welcomePage.walkthroughs.openOnInstall`, on by default): what `npm start` shows a
 * new learner. Test profiles turn that setting off.
 */
async function showWalkthroughOnce(context: vscode.ExtensionContext): Promise<void> {
  const key = 'autogradLab.walkthroughShown';
  if (context.globalState.get<boolean>(key)) return;
  if (vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true) === false) return;
  await context.globalState.update(key, true);
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#autogradLab.gettingStarted`, false);
}

export function deactivate(): void {
  // Everything is in context.subscriptions; a live run is stopped by RunSessions.dispose.
}
