/** Every `autogradLab.*` command, registered in one place. */
import * as vscode from 'vscode';
import type { GutterDecorations } from './gutter.js';
import type { PanelHost } from './panel-host.js';
import type { RecordsBrowser } from './records-browser.js';
import type { RunOutput } from './output.js';
import { RunSessions, UNTRUSTED_RUN } from './run-session.js';
import { newTrainingScript, openExample } from './scaffold.js';
import { isRunnable, notRunnableReason, rankScripts } from './script-pick.js';
import { StatusModel } from './status-model.js';

export interface CommandDeps {
  extensionPath: string;
  sessions: RunSessions;
  panel: PanelHost;
  gutter: GutterDecorations;
  records: RecordsBrowser;
  output: RunOutput;
  /** Scripts the learner had in the active editor, most recent first. */
  recentScripts: () => readonly vscode.Uri[];
}

async function pickScript(): Promise<vscode.Uri | undefined> {
  const uris = await vscode.workspace.findFiles('**/*.{ts,mts,js,mjs,py}', '{**/node_modules/**,**/dist/**,**/.autograd-lab/**,**/*.d.ts}', 500);
  const files = await Promise.all(
    uris.map(async (uri) => ({ uri, path: uri.fsPath, source: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') })),
  );
  const ranked = rankScripts(files);
  if (ranked.length === 0) {
    const choice = await vscode.window.showInformationMessage('No training script in this workspace yet.', 'New Training Script…');
    if (choice) await vscode.commands.executeCommand('autogradLab.newTrainingScript');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    ranked.map((f) => ({ label: vscode.workspace.asRelativePath(f.uri), uri: f.uri })),
    { title: 'Run which training script?', placeHolder: 'Scripts that import autograd-lab are listed first' },
  );
  return pick?.uri;
}

/**
 * The script Run Training means when given none: the active editor's, else (the walkthrough or
 * the panel has the focus) the open one the learner had in front of them last, else one in a
 * visible editor or an open tab.
 */
function openScript(recent: readonly vscode.Uri[]): vscode.Uri | undefined {
  const runnable = (uri: vscode.Uri | undefined): uri is vscode.Uri => uri !== undefined && uri.scheme === 'file' && isRunnable(uri.fsPath);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (runnable(active)) return active;
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri : undefined))).filter(runnable);
  const visible = vscode.window.visibleTextEditors.map((e) => e.document.uri).filter(runnable);
  const open = [...visible, ...tabs];
  return recent.find((r) => open.some((o) => o.fsPath === r.fsPath)) ?? open[0];
}

async function runTraining(deps: CommandDeps, arg?: vscode.Uri): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(UNTRUSTED_RUN);
    return;
  }
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  uri ??= openScript(deps.recentScripts());
  uri ??= await pickScript();
  if (!uri) return;
  const reason = notRunnableReason(uri.fsPath);
  if (reason) {
    void vscode.window.showWarningMessage(reason);
    return;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri!.fsPath);
  if (doc?.isDirty) await doc.save();
  if (deps.sessions.isRunning(uri.fsPath)) {
    const again = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(uri)} is already training.`, 'Stop and restart');
    if (!again) return;
    for (const r of deps.sessions.running) if (r.script === uri.fsPath) r.run.stop();
  }
  deps.output.channel.clear();
  // The panel first: its webview loads while the script process starts, so it shows the run from its start.
  deps.panel.show('curves');
  const live = await deps.sessions.start(uri.fsPath);
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Training ${vscode.workspace.asRelativePath(uri)}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => deps.sessions.stop(live.runId));
      const model = new StatusModel();
      const sub = deps.sessions.onEvent((e) => {
        if (e.runId !== live.runId || e.type !== 'metrics') return;
        model.observe(e);
        const message = model.progress();
        if (message !== null) progress.report({ message });
      });
      try {
        await live.done;
      } finally {
        sub.dispose();
      }
    },
  );
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const reg = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg('autogradLab.runTraining', (uri?: vscode.Uri) => runTraining(deps, uri));
  reg('autogradLab.stopTraining', () => {
    if (!deps.sessions.stop()) void vscode.window.showInformationMessage('No training run is live.');
  });
  reg('autogradLab.visualizeGraph', () => deps.panel.show('graph'));
  reg('autogradLab.showLossCurves', () => deps.panel.show('curves'));
  reg('autogradLab.toggleGutter', async () => {
    const config = vscode.workspace.getConfiguration('autogradLab');
    const next = !config.get<boolean>('gutter.enabled', true);
    await config.update('gutter.enabled', next, vscode.ConfigurationTarget.Global);
    void vscode.window.setStatusBarMessage(`Autograd Lab: gutter loss annotations ${next ? 'on' : 'off'}`, 2500);
  });
  reg('autogradLab.compareRuns', () => deps.panel.compareRuns());
  reg('autogradLab.exportRun', () => deps.records.exportCsv());
  reg('autogradLab.newTrainingScript', () => newTrainingScript(deps.extensionPath));
  reg('autogradLab.showOutput', () => deps.output.channel.show(true));
  reg('autogradLab.openExample', (file?: string) => openExample(deps.extensionPath, typeof file === 'string' ? file : '02-manual-training-loop.ts'));
  reg('autogradLab.runExample', async (file?: string) => {
    const uri = await openExample(deps.extensionPath, typeof file === 'string' ? file : '02-manual-training-loop.ts');
    if (uri) await runTraining(deps, uri);
  });
}
