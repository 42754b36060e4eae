/** The Autograd Lab panel: two views (Loss curves, Graph), fed by the messages of protocol/panel-messages.ts. */
import { decodeToWebview, DEFAULT_PANEL_STATE, sanitizeState, type PanelState, type PanelView, type ToWebview } from '../src/protocol/panel-messages.js';
import { tabs } from './components/index.js';
import { CurvesView } from './curves-view.js';
import { GraphView } from './graph-view.js';
import { getState, post, setState } from './vscode-api.js';

const app = document.getElementById('app')!;
const state: PanelState = getState() ? sanitizeState(getState()) : { ...DEFAULT_PANEL_STATE };
const save = () => setState(state);

const curves = new CurvesView(state, save);
const graph = new GraphView(app.dataset.worker ?? '', state.graph, (g) => {
  state.graph = g;
  save();
});

function showView(view: PanelView): void {
  state.view = view;
  save();
  curves.root.hidden = view !== 'curves';
  graph.root.hidden = view !== 'graph';
  tabBar.select(view);
  document.body.dataset.view = view;
  if (view === 'curves') curves.redraw(true);
  else graph.fit();
}

const tabBar = tabs<PanelView>(
  [
    { id: 'curves', label: 'Loss curves' },
    { id: 'graph', label: 'Graph' },
  ],
  state.view,
  (view) => {
    showView(view);
    post({ type: 'view-changed', view });
  },
);
app.append(tabBar.root, curves.root, graph.root);
showView(state.view);

export function handle(message: ToWebview): void {
  switch (message.type) {
    case 'run-start': {
      // The same run again (the panel was hidden or reloaded): keep the learner's view of it.
      const sameRun = state.runId === message.run.runId;
      curves.startRun(message.run, message.settings);
      if (!sameRun) {
        delete state.graph;
        graph.clear();
      }
      state.runId = message.run.runId;
      save();
      document.body.dataset.runId = message.run.runId;
      delete document.body.dataset.status;
      break;
    }
    case 'metrics':
      curves.addPoints(message.series);
      break;
    case 'graph':
      void graph.addSnapshot(message.snapshot);
      break;
    case 'warning':
      curves.addWarning(message.warning);
      break;
    case 'run-end':
      curves.endRun(message.status, message.error, message.reason);
      document.body.dataset.status = message.status;
      break;
    case 'overlay':
      curves.setOverlay(message.runs);
      break;
    case 'show-view':
      showView(message.view);
      break;
    case 'settings':
      curves.applySettings(message.settings);
      break;
    case 'phase':
      curves.setPhase(message.phase);
      break;
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const message = decodeToWebview(e.data);
  if (message) handle(message);
});
post({ type: 'ready', state });
