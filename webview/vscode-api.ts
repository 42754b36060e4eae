/** The webview side of the panel protocol: typed postMessage and state. */
import type { FromWebview, PanelState } from '../src/protocol/panel-messages.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: (m) => console.log('postMessage', m), getState: () => undefined, setState: () => undefined };

export function post(message: FromWebview): void {
  api.postMessage(message);
}

export function getState(): unknown {
  return api.getState();
}

export function setState(state: PanelState): void {
  api.setState(state);
}
