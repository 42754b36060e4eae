/**
 * The Graph view: the computation graph of a backward() in torchviz's conventions (backward
 * functions grey, parameters light blue with name and shape, the loss green, the data the ops
 * read as rounded amber leaves that never show a gradient, with a legend that folds away),
 * pan and gentle zoom, re-fit when the panel is resized, hover and click for forward value and
 * gradient, click-through to the source line, a picker for earlier snapshots of the run, and
 * Step backward: the backward pass one node's backward call at a time (graph-model.ts says what
 * a step shows), with the edges the gradient flows along drawn from the node back to its
 * inputs. Stepping changes only what is highlighted and written: the graph does not move, and
 * the step text keeps its height. The details pane follows the step (a click shows another
 * node until the next step) and sits beside the graph when the panel is wide, below it when not.
 * Large graphs are laid out in a Web Worker.
 *
 * Self-describing DOM: `g.agl-node[data-node][data-name][data-role]` (role root, function,
 * parameter, data or summary; parameters and data also carry `data-tensor`, the script's name),
 * `path.agl-edge[data-edge]` (`.data` for an edge from a data leaf, `.flow` for the gradient
 * flowing in this step, drawn from `data-flow-from` to `data-flow-to`), the section's
 * `data-step` (−1, k or "all"), `data-backward-index`, `data-layout` ("worker" or "main"),
 * `data-orientation` ("TB" or "LR"), `data-scale` (screen pixels per layout unit) and
 * `data-details` ("beside" or "below").
 */
import type { GraphNode, GraphSnapshot } from '../src/protocol/run-events.js';
import { backwardStep, backwardSteps, dataNodeIds, gradientKnown, gradientText, localDerivative, NOT_COMPUTED, nodeLabelLines, nodeRole, nodeTitle, previewText, shapeText, toDot, toJson, type BackwardStepView } from './graph-model.js';
import { GRAPH_HISTORY_LIMIT, type GraphViewState } from '../src/protocol/panel-messages.js';
import { button, select, setDisabled, setOptions } from './components/index.js';
import { layoutGraph, type LayoutInput, type LayoutResult, type Orientation } from './layout.js';
import { post } from './vscode-api.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Above this many nodes the layout runs in the worker (dagre is super-linear on wide graphs). */
export const WORKER_THRESHOLD = 150;
const LATEST = 'latest';
/** Node labels in layout units: at a Fit scale of 1 they are this many pixels. */
export const LABEL_PX = 14;
const LINE_PX = 17;
/** Fit never magnifies beyond this: a three-node graph should not fill the panel with 40 px text. */
const MAX_FIT_SCALE = 1.25;
/**
 * The side pane (snapshot picker, the step's text, the node's details): this wide beside the
 * graph, this tall below it, whichever leaves the graph larger. Fixed either way, so what a step
 * writes never moves the graph.
 */
const PANE_WIDTH = 200;
const PANE_HEIGHT = 150;
const BODY_GAP = 8;
/** Zoom per wheel notch (a notch is ~100 px of deltaY): 10 %. */
const ZOOM_PER_NOTCH = 0.1;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function legendItem(role: string, text: string): HTMLElement {
  const item = document.createElement('span');
  item.className = 'agl-legend-item';
  item.dataset.role = role;
  const sw = document.createElement('span');
  sw.className = `sw ${role}`;
  sw.setAttribute('aria-hidden', 'true');
  if (role === 'has-grad') sw.textContent = '∇';
  item.append(sw, text);
  return item;
}

/** A box's text: one line (`params (2,)`), so a deep graph keeps its height and its labels their size. */
function boxLines(node: GraphNode): string[] {
  return [nodeLabelLines(node).join(' ')];
}

function line(className: string, ...parts: (string | Node)[]): HTMLElement {
  const div = document.createElement('div');
  div.className = className;
  div.append(...parts);
  return div;
}

/** Measures label widths with the font the boxes use, so boxes fit their text. */
function textMeasurer(): (text: string) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  const family = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  if (ctx) ctx.font = `${LABEL_PX}px ${family}`;
  return (text) => (ctx ? ctx.measureText(text).width : text.length * LABEL_PX * 0.62);
}

export class GraphView {
  readonly root = document.createElement('section');
  /** Snapshots of this run, oldest first (the newest GRAPH_HISTORY_LIMIT). */
  private snapshots: GraphSnapshot[] = [];
  private snapshot: GraphSnapshot | null = null;
  /** The snapshot's layouts: top-to-bottom always, left-to-right too for a graph laid out here. */
  private layouts: Partial<Record<Orientation, LayoutResult>> = {};
  private layout: LayoutResult | null = null;
  /** undefined: the whole backward pass as recorded; −1: before it; k: after step k. */
  private step: number | undefined = -1;
  /** The backwardIndex picked in the snapshot picker; undefined follows the newest. */
  private pinned: number | undefined;
  /** A node clicked since the last step (the details pane shows it instead of the step's node). */
  private selected: string | null = null;
  private legendOpen: boolean;
  private readonly svg = el('svg', { class: 'agl-graph-svg' });
  private readonly scene = el('g');
  private readonly body = document.createElement('div');
  private readonly details = document.createElement('div');
  private readonly stepInfo = document.createElement('div');
  private readonly empty = document.createElement('div');
  private readonly truncatedNote = document.createElement('div');
  private readonly legend = document.createElement('div');
  private readonly legendBtn = document.createElement('button');
  private readonly pane = document.createElement('div');
  private readonly exportPick: HTMLSelectElement;
  private readonly stepBtn: HTMLElement;
  private readonly resetBtn: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private view = { x: 0, y: 0, k: 1 };
  private worker: Worker | null | undefined;
  private layoutSeq = 0;
  private measure: ((text: string) => number) | null = null;

  constructor(
    private readonly workerUrl: string,
    restored: GraphViewState | undefined,
    private readonly saveState: (state: GraphViewState) => void,
  ) {
    this.root.className = 'agl-view agl-graph';
    this.root.dataset.testid = 'graph-view';
    this.pinned = restored?.backwardIndex;
    this.step = restored ? (restored.step === 'all' ? undefined : restored.step) : -1;
    this.legendOpen = restored?.legend === true;
    const toolbar = document.createElement('div');
    toolbar.className = 'agl-toolbar';
    this.stepBtn = button('Step backward', () => this.stepBackward(), { id: 'step-backward', title: 'Run the backward pass one node further' });
    this.resetBtn = button('Reset', () => this.setStep(-1), { secondary: true, id: 'step-reset', title: 'Back to before backward(): no gradient computed yet' });
    const pick = select('Snapshot', [], LATEST, (value) => this.pick(value), 'graph-snapshot');
    pick.root.title = 'The runner captures the graph at the first backward() and then every few seconds: pick an earlier one';
    this.picker = pick.input;
    this.picker.setAttribute('aria-label', 'Snapshot: which backward() of the run');
    // One row of buttons in a narrow panel: the exports share a drop-down.
    const exports = select('', [
      { value: '', label: 'Export…' },
      { value: 'dot', label: 'Graphviz DOT' },
      { value: 'json', label: 'JSON' },
    ], '', (value) => this.export(value), 'graph-export');
    exports.root.title = 'Export the graph: Graphviz DOT in torchviz’s style, or the snapshot as JSON';
    this.exportPick = exports.input;
    toolbar.append(
      this.stepBtn,
      this.resetBtn,
      button('All gradients', () => this.setStep(undefined), { secondary: true, id: 'step-all', title: 'Show the gradients of the whole backward pass' }),
      button('Fit', () => this.fit(), { secondary: true, id: 'graph-fit', title: 'Fit the graph to the panel' }),
      exports.root,
    );
    this.legendBtn.className = 'agl-legend-toggle';
    this.legendBtn.id = 'graph-legend-toggle';
    this.legendBtn.title = 'What the colours, shapes and marks mean';
    this.legendBtn.addEventListener('click', () => this.toggleLegend());
    this.empty.className = 'agl-status';
    this.empty.textContent = 'No graph yet: the graph appears at the script’s first backward().';
    this.truncatedNote.className = 'agl-status';
    this.truncatedNote.hidden = true;
    this.stepInfo.className = 'agl-stepinfo';
    this.stepInfo.id = 'step-info';
    this.stepInfo.setAttribute('aria-live', 'polite');
    this.details.className = 'agl-details';
    this.details.id = 'node-details';
    this.details.setAttribute('aria-live', 'polite');
    this.body.className = 'agl-graph-body';
    this.pane.className = 'agl-step-pane';
    this.legend.className = 'agl-legend';
    this.legend.dataset.testid = 'graph-legend';
    this.legend.setAttribute('aria-label', 'Legend');
    this.legend.append(
      legendItem('root', 'loss (backward() starts here)'),
      legendItem('function', 'backward function (PyTorch’s grad_fn name)'),
      legendItem('parameter', 'parameter: a leaf that requires grad (its AccumulateGrad node)'),
      legendItem('data', 'data the op read (requires_grad=False: never a gradient)'),
      legendItem('has-grad', 'gradient computed'),
      legendItem('flow', 'gradient flowing back in this step'),
    );
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-label', 'Computation graph');
    this.svg.append(this.scene);
    // The legend opens over the graph's corner: it takes none of the graph's room.
    const stage = document.createElement('div');
    stage.className = 'agl-graph-stage';
    stage.append(this.svg, this.legendBtn, this.legend);
    this.pane.append(pick.root, this.stepInfo, this.details);
    this.body.append(stage, this.pane);
    this.root.append(toolbar, this.empty, this.truncatedNote, this.body);
    this.applyLegend();
    this.setStepAttribute();
    this.installPanZoom();
    this.pane.style.setProperty('--pane-width', `${PANE_WIDTH}px`);
    this.pane.style.setProperty('--pane-height', `${PANE_HEIGHT}px`);
    this.placeDetails('beside');
    // A resized panel gets the graph fitted again.
    let lastSize = '';
    new ResizeObserver(() => {
      const rect = this.body.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) return; // hidden tab
      const size = `${Math.round(rect.width)}x${Math.round(rect.height)}`;
      if (size === lastSize) return;
      lastSize = size;
      this.fit();
    }).observe(this.body);
  }

  private placeDetails(where: 'beside' | 'below'): void {
    if (this.root.dataset.details === where) return;
    this.root.dataset.details = where;
    this.body.classList.toggle('below', where === 'below');
  }

  private toggleLegend(): void {
    this.legendOpen = !this.legendOpen;
    this.applyLegend();
    this.persist();
  }

  private applyLegend(): void {
    this.legend.hidden = !this.legendOpen;
    this.legendBtn.setAttribute('aria-expanded', String(this.legendOpen));
    this.legendBtn.textContent = this.legendOpen ? '× Legend' : 'Legend';
  }

  private export(format: string): void {
    this.exportPick.value = '';
    if (!this.snapshot) return;
    if (format === 'dot') post({ type: 'export', format: 'dot', suggestedName: 'graph.dot', content: toDot(this.snapshot) });
    else if (format === 'json') post({ type: 'export', format: 'json', suggestedName: 'graph.json', content: toJson(this.snapshot) });
  }

  /**
   * A new snapshot of the run: kept for the picker and shown when following the newest. Once the
   * learner steps through a graph it is pinned, so a live run does not swap it mid-walk.
   */
  addSnapshot(snapshot: GraphSnapshot): Promise<void> {
    this.snapshots = [...this.snapshots.filter((s) => s.backwardIndex !== snapshot.backwardIndex), snapshot].slice(-GRAPH_HISTORY_LIMIT);
    this.updatePicker();
    if (this.pinned === undefined || snapshot.backwardIndex === this.pinned || !this.snapshot) return this.show(snapshot);
    return Promise.resolve();
  }

  /** A new run: its graphs replace the old run's. */
  clear(): void {
    this.snapshots = [];
    this.snapshot = null;
    this.layout = null;
    this.layouts = {};
    this.pinned = undefined;
    this.step = -1;
    this.selected = null;
    this.empty.hidden = false;
    this.updatePicker();
    this.render();
  }

  private pick(value: string): void {
    const found = value === LATEST ? this.snapshots[this.snapshots.length - 1] : this.snapshots.find((s) => String(s.backwardIndex) === value);
    this.pinned = value === LATEST ? undefined : found?.backwardIndex;
    this.step = -1;
    if (found) void this.show(found);
    this.persist();
  }

  private updatePicker(): void {
    const newest = this.snapshots[this.snapshots.length - 1];
    const options = [{ value: LATEST, label: newest ? `newest (backward() #${newest.backwardIndex})` : 'newest' }];
    for (const s of [...this.snapshots].reverse()) options.push({ value: String(s.backwardIndex), label: `backward() #${s.backwardIndex}` });
    setOptions(this.picker, options, this.pinned !== undefined ? String(this.pinned) : LATEST);
    setDisabled(this.picker, this.snapshots.length < 2);
  }

  private layoutInput(snapshot: GraphSnapshot): LayoutInput {
    this.measure ??= textMeasurer();
    const measure = this.measure;
    return {
      nodes: snapshot.nodes.map((n) => {
        const lines = boxLines(n);
        const width = Math.max(56, Math.ceil(Math.max(...lines.map(measure))) + 14);
        return { id: n.id, width, height: lines.length * LINE_PX + 8 };
      }),
      edges: snapshot.edges.map((e) => ({ from: e.from, to: e.to })),
    };
  }

  private async show(snapshot: GraphSnapshot): Promise<void> {
    this.snapshot = snapshot;
    this.empty.hidden = true;
    this.selected = null;
    const total = backwardSteps(snapshot).length;
    if (this.step !== undefined && this.step >= total && (this.pinned === undefined || this.pinned === snapshot.backwardIndex)) this.step = total - 1;
    const notes: string[] = [];
    if (snapshot.truncated) notes.push(`A large graph: ${snapshot.truncated.shownNodes} of ${snapshot.truncated.totalNodes} nodes shown, the rest summarized.`);
    if (snapshot.truncatedData) notes.push(`${snapshot.truncatedData.shownLeaves} of the ${snapshot.truncatedData.totalLeaves} data tensors the ops read are shown.`);
    this.truncatedNote.hidden = notes.length === 0;
    this.truncatedNote.textContent = notes.join(' ');
    this.root.dataset.backwardIndex = String(snapshot.backwardIndex);
    const input = this.layoutInput(snapshot);
    const seq = ++this.layoutSeq;
    let layouts: Partial<Record<Orientation, LayoutResult>>;
    let where: 'worker' | 'main';
    if (input.nodes.length > WORKER_THRESHOLD) {
      const laid = await this.layoutInWorker(input);
      layouts = { TB: laid.result };
      where = laid.where;
    } else {
      // Small graphs both ways: Fit takes the one that shows the labels larger in this panel.
      layouts = { TB: layoutGraph(input, 'TB'), LR: layoutGraph(input, 'LR') };
      where = 'main';
    }
    if (seq !== this.layoutSeq) return;
    this.layouts = layouts;
    this.layout = layouts.TB!;
    this.root.dataset.layout = where;
    this.render();
    this.fit();
  }

  /** Lays out in the worker; falls back to the main thread if no worker can start here. */
  private async layoutInWorker(input: LayoutInput): Promise<{ result: LayoutResult; where: 'worker' | 'main' }> {
    if (this.worker === undefined) {
      try {
        // A worker cannot load a webview resource URL directly (another origin): go through a blob.
        const code = await (await fetch(this.workerUrl)).text();
        this.worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      } catch {
        this.worker = null;
      }
    }
    const worker = this.worker;
    if (!worker) return { result: layoutGraph(input, 'TB'), where: 'main' };
    const id = this.layoutSeq;
    return new Promise((resolve) => {
      const done = (value: { result: LayoutResult; where: 'worker' | 'main' }) => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        resolve(value);
      };
      const onMessage = (e: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
        if (e.data.id !== id) return;
        done(e.data.result ? { result: e.data.result, where: 'worker' } : { result: layoutGraph(input, 'TB'), where: 'main' });
      };
      // A worker that fails to load or crashes must not leave the graph empty: lay out here.
      const onError = (e: Event) => {
        e.preventDefault();
        this.worker = null;
        done({ result: layoutGraph(input, 'TB'), where: 'main' });
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage({ id, input });
    });
  }

  private setStep(step: number | undefined): void {
    this.step = step;
    this.selected = null;
    this.render();
    this.persist();
  }

  private setStepAttribute(): void {
    this.root.dataset.step = this.step === undefined ? 'all' : String(this.step);
  }

  private persist(): void {
    const state: GraphViewState = { step: this.step === undefined ? 'all' : this.step };
    if (this.pinned !== undefined) state.backwardIndex = this.pinned;
    if (this.legendOpen) state.legend = true;
    this.saveState(state);
  }

  stepBackward(): void {
    if (!this.snapshot) return;
    if (this.pinned === undefined) {
      this.pinned = this.snapshot.backwardIndex;
      this.updatePicker();
    }
    const total = backwardSteps(this.snapshot).length;
    if (this.step === undefined) this.step = -1;
    if (this.step < total - 1) this.step++;
    this.selected = null;
    this.render();
    this.persist();
  }

  private gradText(node: GraphNode): string {
    if (!this.snapshot) return NOT_COMPUTED;
    return gradientText(this.snapshot, node, this.step);
  }

  private render(): void {
    const snap = this.snapshot;
    const layout = this.layout;
    this.scene.replaceChildren();
    this.setStepAttribute();
    if (!snap || !layout) {
      this.renderStepInfo(null, 0);
      this.renderDetails(null);
      return;
    }
    const stepView = this.step !== undefined && this.step >= 0 ? backwardStep(snap, this.step) : null;
    const flowing = new Set(stepView ? stepView.flows.map(({ edge }) => `${edge.from}->${edge.to}`) : []);
    const data = dataNodeIds(snap);
    const total = backwardSteps(snap).length;
    setDisabled(this.stepBtn, this.step !== undefined && this.step >= total - 1);
    setDisabled(this.resetBtn, this.step === -1);
    const defs = el('defs');
    for (const [id, cls] of [['arrow', 'agl-arrow'], ['arrow-flow', 'agl-arrow flow']] as const) {
      const marker = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
      marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
      defs.append(marker);
    }
    this.scene.append(defs);
    const flows: SVGPathElement[] = [];
    for (const e of layout.edges) {
      const key = `${e.from}->${e.to}`;
      const flow = flowing.has(key);
      // The gradient flows against the data: from the node whose backward runs back to its input.
      const points = flow ? [...e.points].reverse() : e.points;
      const d = points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      const path = el('path', { d, class: flow ? 'agl-edge flow' : data.has(e.from) ? 'agl-edge data' : 'agl-edge', 'marker-end': `url(#${flow ? 'arrow-flow' : 'arrow'})` });
      path.dataset.edge = key;
      if (flow) {
        path.dataset.flowFrom = e.to;
        path.dataset.flowTo = e.from;
        flows.push(path);
      } else this.scene.append(path);
    }
    // Drawn last, so no other edge covers the one the gradient flows along.
    this.scene.append(...flows);
    const focus = this.selected ?? stepView?.node.id ?? null;
    for (const node of snap.nodes) {
      const box = layout.nodes[node.id];
      if (!box) continue;
      const role = nodeRole(snap, node);
      const known = gradientKnown(snap, node, this.step);
      const g = el('g', { class: `agl-node ${role}${node.id === this.selected ? ' selected' : ''}${stepView?.node.id === node.id ? ' current' : ''}${known ? ' has-grad' : ''}`, transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})` });
      g.dataset.node = node.id;
      g.dataset.name = node.name;
      g.dataset.role = role;
      if (node.tensorName) g.dataset.tensor = node.tensorName;
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `${nodeLabelLines(node).join(' ')}, gradient ${this.gradText(node)}`);
      // Data leaves are pill-shaped, so the shape tells them apart from parameters without colour.
      g.append(el('rect', { width: box.width, height: box.height, rx: role === 'parameter' ? 2 : role === 'data' ? Math.min(12, box.height / 2) : 4 }));
      boxLines(node).forEach((text, i) => {
          const t = el('text', { x: box.width / 2, y: 4 + LINE_PX * (i + 0.5), 'text-anchor': 'middle', 'dominant-baseline': 'central' });
        t.textContent = text;
        g.append(t);
      });
      if (known) {
        // "Gradient computed" as a mark of its own, readable without telling border widths apart.
        const badge = el('g', { class: 'agl-grad-badge', transform: `translate(${box.width},0)` });
        badge.append(el('circle', { r: 8 }));
        const t = el('text', { 'text-anchor': 'middle', 'dominant-baseline': 'central' });
        t.textContent = '∇';
        badge.append(t);
        g.append(badge);
      }
      const title = el('title');
      const heading = role === 'data' ? `${node.tensorName ?? 'data'} ${shapeText(node.shape)} ${node.dtype}, requires_grad=False` : `${node.name}${node.tensorName ? ` (${node.tensorName})` : ''} ${shapeText(node.shape)}`;
      title.textContent = `${heading}\nvalue: ${previewText(node.value ?? null).replace(NOT_COMPUTED, 'not captured')}\ngrad: ${this.gradText(node)}`;
      g.append(title);
      const activate = () => {
        this.selected = node.id;
        this.render();
        if (node.location) post({ type: 'open-location', location: node.location });
      };
      g.addEventListener('click', (ev) => {
        ev.stopPropagation();
        activate();
      });
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          activate();
        }
      });
      this.scene.append(g);
    }
    this.renderStepInfo(stepView, total);
    this.renderDetails(focus);
    this.applyView();
  }

  private renderStepInfo(stepView: BackwardStepView | null, total: number): void {
    const s = this.stepInfo;
    s.replaceChildren();
    if (!this.snapshot) return;
    if (this.step === undefined) {
      s.append(line('agl-step-head', `The whole backward pass: ${total} backward calls ran. Gradients as computed by backward() #${this.snapshot.backwardIndex}; click a node for its own.`));
      return;
    }
    if (this.step === -1 || !stepView) {
      s.append(line('agl-step-head', `Before backward(): no gradient is computed yet. Press Step backward to follow the gradient from the loss, one backward call at a time (${total} steps).`));
      return;
    }
    const { node, title } = stepView;
    const strong = document.createElement('strong');
    strong.textContent = `Step ${stepView.index + 1} of ${stepView.total}:`;
    const where = node.location ? ` (line ${node.location.line})` : '';
    const kind = node.kind === 'parameter' ? ` — a leaf: its AccumulateGrad node` : title !== node.name ? ` (${node.name})` : '';
    s.append(line('agl-step-head', strong, ` ${title}${kind}${where}`));
    s.append(this.receivedLine(stepView));
    for (const flow of stepView.flows) {
      const parts = [`→ ${flow.inputTitle} (input ${flow.edge.inputNr})`];
      if (flow.rule) parts.push(`local derivative ${flow.rule}`);
      parts.push(`sends ${flow.sent}`);
      if (flow.waiting > 0) parts.push(`${flow.inputTitle} still waits for ${flow.waiting} more`);
      const p = line('agl-flow', parts.join(' · '));
      p.dataset.input = flow.edge.from;
      s.append(p);
    }
    for (const input of stepView.data) {
      s.append(line('agl-flow-data', `· ${input.tensorName ?? 'data'} ${shapeText(input.shape)}: data (requires_grad=False), no gradient flows to it`));
    }
    if (node.kind === 'parameter') {
      const rule = localDerivative(node, 0);
      const parts = [rule ?? `AccumulateGrad adds what it receives to ${title}.grad`];
      if (stepView.leafGrad !== null) parts.push(`${title}.grad is now ${stepView.leafGrad}`);
      s.append(line('agl-flow agl-leaf', parts.join(' · ')));
    } else if (stepView.flows.length === 0 && stepView.data.length === 0) {
      s.append(line('agl-flow-data', 'No input of this op needs a gradient: the walk ends here on this path.'));
    }
  }

  private receivedLine(stepView: BackwardStepView): HTMLElement {
    const from = (titles: string[]) => (titles.length === 0 ? '' : titles.length === 1 ? ` from ${titles[0]}` : ` (the sum of what ${titles.join(' and ')} sent)`);
    const r = stepView.received;
    let text: string;
    if (r.kind === 'outputs' && r.outputs.length === 1) {
      const o = r.outputs[0]!;
      text = stepView.index === 0 ? `receives ${o.text}: backward() starts with ∂loss/∂loss = 1` : `receives ${o.text}${from(o.from)}`;
    } else if (r.kind === 'outputs') {
      text = `receives one gradient per output: ${r.outputs.map((o) => `[${o.outputNr}] ${o.text}${from(o.from)}`).join(' · ')}`;
    } else {
      text = `receives, from each node it fed: ${r.contributions.map((c) => `${c.text}${from(c.from)}`).join(' · ')} (this record does not say whether they add up or reach separate outputs)`;
    }
    const p = line('agl-received', text);
    p.id = 'step-received';
    return p;
  }

  private renderDetails(focus: string | null): void {
    const d = this.details;
    d.replaceChildren();
    const node = this.snapshot?.nodes.find((n) => n.id === focus);
    if (!node) {
      d.textContent = 'Click a node for its forward value and gradient; a node with a source line opens it.';
      return;
    }
    const rows: [string, string][] = [
      ['node', node.kind === 'data' ? 'data (requires_grad=False)' : node.kind === 'parameter' ? `${nodeTitle(node)} (AccumulateGrad)` : node.name],
      ['shape', `${shapeText(node.shape)} ${node.dtype}`],
      ['forward value', node.value ? previewText(node.value) : 'not captured'],
      ['gradient', this.gradText(node)],
    ];
    if (node.kind === 'parameter' && node.leafGrad !== undefined && this.snapshot && gradientKnown(this.snapshot, node, this.step)) rows.push([`${nodeTitle(node)}.grad`, previewText(node.leafGrad)]);
    if (node.tensorName && node.kind !== 'parameter') rows.splice(1, 0, ['tensor', node.tensorName]);
    if (node.location) rows.push(['source', `line ${node.location.line}`]);
    if (node.backwardOrder !== undefined) rows.push(['backward order', String(node.backwardOrder + 1)]);
    const table = document.createElement('table');
    for (const [k, v] of rows) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.textContent = k;
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(th, td);
      table.append(tr);
    }
    d.append(table);
  }

  private installPanZoom(): void {
    let drag: { x: number; y: number; vx: number; vy: number } | null = null;
    this.svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = this.svg.getBoundingClientRect();
      const mx = e.clientX - rect.left;
      const my = e.clientY - rect.top;
      // Lines and pages as pixels, and one notch at most per event: trackpads and wheels alike zoom gently.
      const pixels = e.deltaY * (e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1);
      const notches = Math.max(-1, Math.min(1, pixels / 100));
      const k = Math.min(8, Math.max(0.05, this.view.k * Math.exp(-notches * Math.log(1 + ZOOM_PER_NOTCH))));
      this.view.x = mx - ((mx - this.view.x) * k) / this.view.k;
      this.view.y = my - ((my - this.view.y) * k) / this.view.k;
      this.view.k = k;
      this.applyView();
    }, { passive: false });
    this.svg.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y };
    });
    window.addEventListener('pointermove', (e) => {
      if (!drag) return;
      this.view.x = drag.vx + e.clientX - drag.x;
      this.view.y = drag.vy + e.clientY - drag.y;
      this.applyView();
    });
    window.addEventListener('pointerup', () => (drag = null));
  }

  /** The scale at which `layout` fits a w × h area. */
  private static fitScale(layout: LayoutResult, w: number, h: number): number {
    return Math.min(MAX_FIT_SCALE, Math.min(w / (layout.width || 1), h / (layout.height || 1)) * 0.96);
  }

  /**
   * Fits the graph to the panel: the details pane beside the graph or below it, and the graph top
   * to bottom or left to right, whichever shows the labels largest (top to bottom and beside, the
   * usual way, unless another is clearly better).
   */
  fit(): void {
    if (!this.layout) return;
    const body = this.body.getBoundingClientRect();
    if (body.width === 0 || body.height === 0) return; // hidden: fitted when shown
    type Choice = { where: 'beside' | 'below'; layout: LayoutResult; w: number; h: number; k: number };
    const choices: Choice[] = [];
    for (const where of ['beside', 'below'] as const) {
      const w = where === 'beside' ? body.width - PANE_WIDTH - BODY_GAP : body.width;
      const h = where === 'below' ? body.height - PANE_HEIGHT - BODY_GAP : body.height;
      if (w <= 0 || h <= 0) continue;
      for (const layout of [this.layouts.TB, this.layouts.LR]) if (layout) choices.push({ where, layout, w, h, k: GraphView.fitScale(layout, w, h) });
    }
    if (choices.length === 0) return;
    const best = choices.reduce((a, b) => (b.k > a.k * 1.1 ? b : a));
    this.placeDetails(best.where);
    if (best.layout !== this.layout) {
      this.layout = best.layout;
      this.render();
    }
    this.root.dataset.orientation = best.layout === this.layouts.LR ? 'LR' : 'TB';
    this.view = { k: best.k, x: (best.w - best.layout.width * best.k) / 2, y: (best.h - best.layout.height * best.k) / 2 };
    this.applyView();
  }

  private applyView(): void {
    this.scene.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
    this.root.dataset.scale = this.view.k.toFixed(4);
  }
}
