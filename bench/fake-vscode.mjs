// The part of the `vscode` API that bench/first-point-worker.mjs drives the extension's run
// session and panel host with, in plain Node. Only the panel is stood in for: the webview is a
// recorder of the messages the extension posts to it, and it says `ready` at once (a panel that
// is already open). Everything else the measured path runs is the extension's own code.
import { join } from 'node:path';

export class EventEmitter {
  listeners = [];
  event = (listener) => {
    this.listeners.push(listener);
    return { dispose: () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1) };
  };
  fire(value) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {
    this.listeners = [];
  }
}

const disposable = () => ({ dispose() {} });

function uri(fsPath) {
  return { fsPath, scheme: 'file', toString: () => `file://${fsPath}` };
}

export const Uri = {
  file: uri,
  joinPath: (base, ...parts) => uri(join(base.fsPath, ...parts)),
};

export const ViewColumn = { Beside: -2 };

/** Where the bench runs its script: the one workspace folder. */
export const workspaceState = { root: null };

/** The extension's workspace Memento (context.workspaceState): starts empty, as in a new workspace. */
export class Memento {
  #values = new Map();
  keys() {
    return [...this.#values.keys()];
  }
  get(key, fallback) {
    return this.#values.has(key) ? this.#values.get(key) : fallback;
  }
  update(key, value) {
    this.#values.set(key, value);
    return Promise.resolve();
  }
}

export const workspace = {
  // Run Training runs only in a trusted workspace; the bench's own folder is.
  isTrusted: true,
  get workspaceFolders() {
    return workspaceState.root ? [{ uri: uri(workspaceState.root), name: 'bench', index: 0 }] : [];
  },
  getWorkspaceFolder: () => (workspaceState.root ? { uri: uri(workspaceState.root), name: 'bench', index: 0 } : undefined),
  getConfiguration: () => ({ get: (_key, fallback) => fallback }),
  onDidChangeConfiguration: disposable,
};

/** Every webview panel created, with the messages posted to it. */
export const panels = [];

export const window = {
  registerWebviewPanelSerializer: disposable,
  createWebviewPanel() {
    const messages = new EventEmitter();
    const disposed = new EventEmitter();
    const panel = {
      posted: [],
      onPost: null,
      iconPath: undefined,
      webview: {
        options: {},
        html: '',
        cspSource: 'vscode-resource:',
        asWebviewUri: (u) => u,
        onDidReceiveMessage: messages.event,
        postMessage(message) {
          panel.posted.push(message);
          panel.onPost?.(message);
          return Promise.resolve(true);
        },
      },
      reveal() {},
      onDidDispose: disposed.event,
      dispose: () => disposed.fire(),
      /** What the webview's script says once it has loaded. */
      receive: (message) => messages.fire(message),
    };
    panels.push(panel);
    return panel;
  },
  showInformationMessage: () => Promise.resolve(undefined),
};
