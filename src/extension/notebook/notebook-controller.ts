/**
 * Autograd Lab's Python in VS Code's notebook editor: a NotebookController for `.ipynb`
 * (`jupyter-notebook`, VS Code's built-in serializer), offered in the kernel picker with or without
 * the Jupyter extension. One kernel (a Pyodide process, src/runner/kernel) per notebook: started
 * as soon as the notebook has this controller selected, so its first cell does not wait for
 * Python to load; disposed when the notebook closes or another controller is picked. Cells run
 * only in a trusted workspace, as scripts do.
 */
import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import type { RunEvent } from '../../protocol/run-events.js';
import { RunSessions } from '../run-session.js';
import { readSettings } from '../settings.js';
import { loadKernelModule } from './kernel-runtime.js';
import { NotebookSession } from './notebook-session.js';

export const NOTEBOOK_TYPE = 'jupyter-notebook';
export const CONTROLLER_ID = 'autograd-lab.python';
export const CONTROLLER_LABEL = 'Autograd Lab Python';
/** The Jupyter extension: with it installed, the learner may have kernels of their own to prefer. */
const JUPYTER_EXTENSION_ID = 'ms-toolsai.jupyter';

export const UNTRUSTED_NOTEBOOK =
  'Autograd Lab runs notebook cells as Python programs on your machine, so it needs a trusted workspace. Trust this folder to run cells.';

/** Where a notebook's kernel runs: its folder (an unsaved notebook: the workspace folder). */
function notebookPath(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') return notebook.uri.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(notebook.uri) ?? vscode.workspace.workspaceFolders?.[0];
  const name = basename(notebook.uri.path) || 'Untitled.ipynb';
  return folder ? join(folder.uri.fsPath, name) : join(process.cwd(), name);
}

/** A RunEvent of a notebook's cell, with where its notebook is (cell runs name their cell, not it). */
export interface NotebookRunEvent {
  event: RunEvent;
  notebookPath: string;
}

export class AutogradLabNotebooks implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, Promise<NotebookSession>>();
  private readonly selected = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runEmitter = new vscode.EventEmitter<NotebookRunEvent>();
  /** Every RunEvent of every notebook's cells, in order per kernel. */
  readonly onRunEvent = this.runEmitter.event;

  constructor(
    private readonly extensionPath: string,
    private readonly log: (line: string) => void,
  ) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, CONTROLLER_LABEL, (cells, notebook) => this.execute(cells, notebook));
    this.controller.supportedLanguages = ['python'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Python in Pyodide, with Autograd Lab’s torch, numpy and matplotlib';
    this.controller.detail = 'No Python install needed. Loss curves, graphs and line values in the Autograd Lab panel.';
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
    this.disposables.push(
      this.controller,
      this.runEmitter,
      this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        const key = notebook.uri.toString();
        if (selected) {
          this.selected.add(key);
          this.prewarm(notebook);
        } else {
          this.selected.delete(key);
          this.close(notebook);
        }
      }),
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.suggest(notebook)),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => {
        this.selected.delete(notebook.uri.toString());
        this.close(notebook);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const notebook of vscode.workspace.notebookDocuments) if (this.selected.has(notebook.uri.toString())) this.prewarm(notebook);
      }),
    );
    for (const notebook of vscode.workspace.notebookDocuments) this.suggest(notebook);
  }

  /**
   * Without the Jupyter extension nothing else can run an .ipynb here: this controller is the
   * editor's suggestion. With it, the learner's own Python kernels keep their place.
   */
  private suggest(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const jupyter = vscode.extensions.getExtension(JUPYTER_EXTENSION_ID) !== undefined;
    this.controller.updateNotebookAffinity(notebook, jupyter ? vscode.NotebookControllerAffinity.Default : vscode.NotebookControllerAffinity.Preferred);
  }

  /** Starts the notebook's kernel ahead of its first cell (trusted workspaces only). */
  private prewarm(notebook: vscode.NotebookDocument): void {
    if (!vscode.workspace.isTrusted) return;
    this.session(notebook).catch((err: unknown) => this.log(`Notebook kernel for ${basename(notebook.uri.path)} not started: ${(err as Error).message}`));
  }

  /** The notebook's session, its kernel started on first use. */
  private session(notebook: vscode.NotebookDocument): Promise<NotebookSession> {
    const key = notebook.uri.toString();
    let session = this.sessions.get(key);
    if (!session) {
      session = this.startSession(notebook);
      this.sessions.set(key, session);
      // A kernel that cannot even start is forgotten: the next cell tries again.
      session.catch(() => {
        if (this.sessions.get(key) === session) this.sessions.delete(key);
      });
    }
    return session;
  }

  private async startSession(notebook: vscode.NotebookDocument): Promise<NotebookSession> {
    const { NotebookKernel } = await loadKernelModule(this.extensionPath);
    const settings = readSettings();
    const path = notebookPath(notebook);
    const kernel = NotebookKernel.start({
      notebookPath: path,
      userRoot: RunSessions.workspaceRootFor(path),
      probes: true,
      graph: true,
      probeHistoryLimit: settings.probeHistorySize,
      maxMemoryMb: settings.memoryLimitMB,
    });
    const key = notebook.uri.toString();
    const session = new NotebookSession(kernel, (lost, error) => {
      this.log(`Notebook kernel of ${basename(notebook.uri.path)} ended: ${error.message}`);
      // The next cell gets a new kernel; this one is gone.
      void this.sessions.get(key)?.then((current) => {
        if (current !== lost) return;
        this.sessions.delete(key);
        lost.dispose();
      });
    });
    const events = kernel.onRunEvent((event) => this.runEmitter.fire({ event, notebookPath: path }));
    kernel.ready.then(
      () => this.log(`Notebook kernel of ${basename(notebook.uri.path)} ready`),
      () => events.dispose(),
    );
    return session;
  }

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED_NOTEBOOK);
      return;
    }
    const executions = cells.filter((cell) => cell.kind === vscode.NotebookCellKind.Code).map((cell) => this.controller.createNotebookCellExecution(cell));
    let session: NotebookSession;
    try {
      session = await this.session(notebook);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const execution of executions) {
        execution.start(Date.now());
        await execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)], { outputType: 'error' }));
        execution.end(false, Date.now());
      }
      return;
    }
    session.enqueue(executions);
  }

  private async interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    (await this.sessions.get(notebook.uri.toString()))?.interrupt();
  }

  /** Restart Kernel: a fresh interpreter for the notebook (started if it had none yet). */
  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    const session = this.sessions.get(notebook.uri.toString());
    if (!session) {
      this.prewarm(notebook);
      return;
    }
    await (await session).restart();
    void vscode.window.setStatusBarMessage(`Autograd Lab: ${basename(notebook.uri.path)} restarted — execution counts start again at 1`, 4000);
  }

  /** The notebook's kernel, if it has one (for tests). */
  hasKernel(notebook: vscode.NotebookDocument): boolean {
    return this.sessions.has(notebook.uri.toString());
  }

  private close(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    session.then(
      (s) => s.dispose(),
      () => undefined,
    );
  }

  dispose(): void {
    for (const session of this.sessions.values()) {
      session.then(
        (s) => s.dispose(),
        () => undefined,
      );
    }
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
  }
}
