/**
 * Wires the notebook kernel into the extension: its cell runs feed the same gutter, panel, status
 * bar and run records as script runs (the gutter every run's probes; the rest only the runs
 * CellRunViews shows), and the Restart Kernel command. Everything lands in context.subscriptions.
 */
import * as vscode from 'vscode';
import type { RunEvent } from '../../protocol/run-events.js';
import type { GutterDecorations } from '../gutter.js';
import type { PanelHost } from '../panel-host.js';
import { RunRecorder, RunSessions } from '../run-session.js';
import { readSettings } from '../settings.js';
import type { RunStatusBar } from '../status-bar.js';
import { CellRunViews } from './cell-run-views.js';
import { AutogradLabNotebooks, NOTEBOOK_TYPE } from './notebook-controller.js';

export interface NotebookViews {
  gutter: GutterDecorations;
  panel: PanelHost;
  status: RunStatusBar;
}

/** The notebook a command was invoked for: the toolbar passes its editor, the palette nothing. */
function targetNotebook(arg: unknown): vscode.NotebookDocument | undefined {
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : (arg as { notebookEditor?: { notebookUri?: vscode.Uri } } | undefined)?.notebookEditor?.notebookUri ??
        (arg as { notebookUri?: vscode.Uri } | undefined)?.notebookUri;
  if (uri) return vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
  return vscode.window.activeNotebookEditor?.notebook;
}

export function registerNotebooks(context: vscode.ExtensionContext, extensionPath: string, log: (line: string) => void, views: NotebookViews): AutogradLabNotebooks {
  const notebooks = new AutogradLabNotebooks(extensionPath, log);
  const shown = new CellRunViews();
  const records = new Map<string, RunRecorder>();
  /** Runs whose loss points have opened the panel. */
  const training = new Set<string>();

  const show = (cellEvent: RunEvent, notebookPath: string) => {
    // A cell run names its cell (a vscode-notebook-cell URI); the panel, the status bar and the
    // records name the notebook, so runs of one notebook compare with each other.
    const event: RunEvent = cellEvent.type === 'run-started' ? { ...cellEvent, script: notebookPath } : cellEvent;
    if (event.type === 'run-started') records.set(event.runId, new RunRecorder(RunSessions.workspaceRootFor(notebookPath), event.runId, log));
    records.get(event.runId)?.append(event);
    views.status.onEvent(event);
    views.panel.onEvent(event);
    if (event.type === 'run-finished' || event.type === 'run-failed') {
      records.get(event.runId)?.close(readSettings().runRetention);
      records.delete(event.runId);
    }
  };

  context.subscriptions.push(
    notebooks,
    notebooks.onRunEvent(({ event, notebookPath }) => {
      views.gutter.onEvent(event);
      for (const e of shown.route(event)) {
        show(e, notebookPath);
        // A training cell: its curves come live into the panel, beside the notebook (once per run).
        if (e.type === 'metrics' && !training.has(e.runId)) {
          training.add(e.runId);
          views.panel.show('curves');
        }
        if (e.type === 'run-finished' || e.type === 'run-failed') training.delete(e.runId);
      }
    }),
    vscode.commands.registerCommand('autogradLab.restartKernel', async (arg?: unknown) => {
      const notebook = targetNotebook(arg);
      if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
        void vscode.window.showInformationMessage('Restart Kernel restarts the Autograd Lab Python of the notebook in front of you: open a notebook first.');
        return;
      }
      await notebooks.restart(notebook);
    }),
  );
  return notebooks;
}
