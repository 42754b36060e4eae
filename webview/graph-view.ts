/**
 * The Graph view: the computation graph of a backward() in torchviz's conventions (backward
 * functions grey, parameters light blue with name and shape, the loss green, the data the ops
 * read as rounded amber leaves that never show a gradient, with a legend),
 * pan and zoom, hover and click for forward value and gradient, click-through to the source
 * line, a picker for earlier snapshots of the run, and Step backward: the backward pass node by
 * node in reverse topological order, highlighting the edges the gradient flows along with the
 * local derivative as the engine explains it and the accumulated gradient. Large graphs are
 * laid out in a Web Worker.
 *
 * Self-describing DOM: `g.agl-node[data-node][data-name][data-role]` (role root, function,
 * parameter, data or summary; parameters and data also carry `data-tensor`, the script's name),
 * `path.agl-edge[data-edge]` (`.data` for an edge from a data leaf),
 * the section's `data-step` (−1, k or "all"), `data-backward-index` and `data-layout`
 * ("worker" or "main").
 */
import type { GraphNode, GraphSnapshot } from '../src/protocol/run-events.js';
import { backwardStep, backwardSteps, dataNodeIds, gradientKnown, gradientText, localDerivative, NOT_COMPUTED, nodeLabelLines, nodeRole, previewText, shapeText, toDot, toJson } from './graph-model.js';
import { GRAPH_HISTORY_LIMIT, type GraphViewState } from '../src/protocol/panel-messages.js';
import { button, select, setDisabled, setOptions } from './components/index.js';
import { layoutGraph, type LayoutInput, type LayoutResult } from './layout.js';
import { post } from './vscode-api.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Above this many nodes the layout runs in the worker (dagre is super-linear on wide graphs). */
export const WORKER_THRESHOLD = 150;
const LATEST = 'latest';

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
  item.append(sw, text);
  return item;
}

export class GraphView {
  readonly root = document.createElement('section');
  /** Snapshots of this run, oldest first (the newest GRAPH_HISTORY_LIMIT). */
  private snapshots: GraphSnapshot[] = [];
  private snapshot: GraphSnapshot | null = null;
  private layout: LayoutResult | null = null;
  /** undefined: the whole backward pass as recorded; −1: before it; k: after step k. */
  private step: number | undefined = -1;
  /** The backwardIndex picked in the snapshot picker; undefined follows the newest. */
  private pinned: number | undefined;
  private selected: string | null = null;
  private readonly svg = el('svg', { class: 'agl-graph-svg' });
  private readonly scene = el('g');
  private readonly details = document.createElement('div');
  private readonly stepInfo = document.createElement('div');
  private readonly empty = document.createElement('div');
  private readonly truncatedNote = document.createElement('div');
  private readonly stepBtn: HTMLElement;
  private readonly resetBtn: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private view = { x: 0, y: 0, k: 1 };
  private worker: Worker | null | undefined;
  private layoutSeq = 0;

  constructor(
    private readonly workerUrl: string,
    restored: GraphViewState | undefined,
    private readonly saveState: (state: GraphViewState) => void,
  ) {
    this.root.className = 'agl-view agl-graph';
    this.root.dataset.testid = 'graph-view';
    this.pinned = restored?.backwardIndex;
    this.step = restored ? (restored.step === 'all' ? undefined : restored.step) : -1;
    const toolbar = document.createElement('div');
    toolbar.className = 'agl-toolbar';
    this.stepBtn = button('Step backward', () => this.stepBackward(), { id: 'step-backward', title: 'Run the backward pass one node further' });
    this.resetBtn = button('Reset', () => this.setStep(-1), { secondary: true, id: 'step-reset', title: 'Back to before backward(): no gradient computed yet' });
    const pick = select('Snapshot', [], LATEST, (value) => this.pick(value), 'graph-snapshot');
    pick.root.title = 'The runner captures the graph at the first backward() and then every few seconds: pick an earlier one';
    this.picker = pick.input;
    toolbar.append(
      this.stepBtn,
      this.resetBtn,
      button('All gradients', () => this.setStep(undefined), { secondary: true, id: 'step-all', title: 'Show the gradients of the whole backward pass' }),
      pick.root,
      button('Fit', () => this.fit(), { secondary: true, id: 'graph-fit' }),
      button('Export DOT', () => this.snapshot && post({ type: 'export', format: 'dot', suggestedName: 'graph.dot', content: toDot(this.snapshot) }), { secondary: true, id: 'export-dot' }),
      button('Export JSON', () => this.snapshot && post({ type: 'export', format: 'json', suggestedName: 'graph.json', content: toJson(this.snapshot) }), { secondary: true, id: 'export-json' }),
    );
    this.empty.className = 'agl-status';
    this.empty.textContent = 'No graph yet: the graph appears at the script’s first backward().';
    this.truncatedNote.className = 'agl-status';
    this.truncatedNote.hidden = true;
    this.stepInfo.className = 'agl-stepinfo';
    this.stepInfo.id = 'step-info';
    this.stepInfo.setAttribute('aria-live', 'polite');
    this.details.className = 'agl-details';
    this.details.id = 'node-details';
    const body = document.createElement('div');
    body.className = 'agl-graph-body';
    const legend = document.createElement('div');
    legend.className = 'agl-legend';
    legend.dataset.testid = 'graph-legend';
    legend.setAttribute('aria-label', 'Legend');
    legend.append(
      legendItem('root', 'loss (the output backward() starts from)'),
      legendItem('function', 'backward function (PyTorch’s grad_fn name)'),
      legendItem('parameter', 'parameter: a leaf that requires grad (AccumulateGrad, name and shape)'),
      legendItem('data', 'data: a tensor the op read that requires no grad (name and shape; never a gradient)'),
      legendItem('has-grad', 'gradient computed (bold border)'),
      legendItem('flow', 'gradient flowing in this step'),
    );
    this.svg.setAttribute('role', 'img');
    this.svg.setAttribute('aria-label', 'Computation graph');
    this.svg.append(this.scene);
    body.append(this.svg, this.details);
    this.root.append(toolbar, legend, this.empty, this.truncatedNote, this.stepInfo, body);
    this.setStepAttribute();
    this.installPanZoom();
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
    this.pinned = undefined;
    this.step = -1;
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
    const input: LayoutInput = {
      nodes: snapshot.nodes.map((n) => {
        const lines = nodeLabelLines(n);
        const width = Math.max(90, Math.max(...lines.map((l) => l.length)) * 7 + 20);
        return { id: n.id, width, height: lines.length * 14 + 12 };
      }),
      edges: snapshot.edges.map((e) => ({ from: e.from, to: e.to })),
    };
    const seq = ++this.layoutSeq;
    const laid = input.nodes.length > WORKER_THRESHOLD ? await this.layoutInWorker(input) : { result: layoutGraph(input), where: 'main' as const };
    if (seq !== this.layoutSeq) return;
    this.layout = laid.result;
    this.root.dataset.layout = laid.where;
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
    if (!worker) return { result: layoutGraph(input), where: 'main' };
    const id = this.layoutSeq;
    return new Promise((resolve) => {
      const done = (value: { result: LayoutResult; where: 'worker' | 'main' }) => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        resolve(value);
      };
      const onMessage = (e: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
        if (e.data.id !== id) return;
        done(e.data.result ? { result: e.data.result, where: 'worker' } : { result: layoutGraph(input), where: 'main' });
      };
      // A worker that fails to load or crashes must not leave the graph empty: lay out here.
      const onError = (e: Event) => {
        e.preventDefault();
        this.worker = null;
        done({ result: layoutGraph(input), where: 'main' });
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage({ id, input });
    });
  }

  private setStep(step: number | undefined): void {
    this.step = step;
    this.render();
    this.persist();
  }

  private setStepAttribute(): void {
    this.root.dataset.step = this.step === undefined ? 'all' : String(this.step);
  }

  private persist(): void {
    const state: GraphViewState = { step: this.step === undefined ? 'all' : this.step };
    if (this.pinned !== undefined) state.backwardIndex = this.pinned;
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
      this.renderDetails();
      return;
    }
    const stepView = this.step !== undefined && this.step >= 0 ? backwardStep(snap, this.step) : null;
    const flowing = new Set(stepView ? stepView.edges.map(({ edge }) => `${edge.from}->${edge.to}`) : []);
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
    for (const e of layout.edges) {
      const key = `${e.from}->${e.to}`;
      const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      const path = el('path', { d, class: flowing.has(key) ? 'agl-edge flow' : data.has(e.from) ? 'agl-edge data' : 'agl-edge', 'marker-end': `url(#${flowing.has(key) ? 'arrow-flow' : 'arrow'})` });
      path.dataset.edge = key;
      this.scene.append(path);
    }
    for (const node of snap.nodes) {
      const box = layout.nodes[node.id];
      if (!box) continue;
      const role = nodeRole(snap, node);
      const g = el('g', { class: `agl-node ${role}${node.id === this.selected ? ' selected' : ''}${stepView?.node.id === node.id ? ' current' : ''}${gradientKnown(snap, node, this.step) ? ' has-grad' : ''}`, transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})` });
      g.dataset.node = node.id;
      g.dataset.name = node.name;
      g.dataset.role = role;
      if (node.tensorName) g.dataset.tensor = node.tensorName;
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', `${nodeLabelLines(node).join(' ')}, gradient ${this.gradText(node)}`);
      // Data leaves are pill-shaped, so the shape tells them apart from parameters without colour.
      g.append(el('rect', { width: box.width, height: box.height, rx: role === 'parameter' ? 2 : role === 'data' ? Math.min(12, box.height / 2) : 4 }));
      nodeLabelLines(node).forEach((line, i) => {
        const t = el('text', { x: box.width / 2, y: 18 + i * 14, 'text-anchor': 'middle' });
        t.textContent = line;
        g.append(t);
      });
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
    this.renderDetails();
    this.applyView();
  }

  private renderStepInfo(stepView: ReturnType<typeof backwardStep>, total: number): void {
    const s = this.stepInfo;
    s.replaceChildren();
    if (!this.snapshot) return;
    if (this.step === undefined) {
      s.textContent = `The whole backward pass (${total} nodes ran). Gradients as computed by backward() #${this.snapshot?.backwardIndex ?? ''}.`;
      return;
    }
    if (this.step === -1 || !stepView) {
      s.textContent = `Before backward(): no gradient is computed yet. Press Step backward to follow the gradient from the loss, node by node (${total} steps).`;
      return;
    }
    const head = document.createElement('div');
    const strong = document.createElement('strong');
    strong.textContent = `Step ${stepView.index + 1} of ${stepView.total}:`;
    head.append(strong, ' ');
    head.append(`${stepView.node.name} receives the gradient ${this.gradText(stepView.node)}`);
    s.append(head);
    if (stepView.edges.length === 0) {
      const p = document.createElement('div');
      const node = stepView.node;
      if (node.kind === 'parameter') {
        // The engine's own words for AccumulateGrad, where the snapshot has them.
        const rule = localDerivative(node, 0);
        const name = node.tensorName ?? 'The parameter';
        p.textContent = rule ? `${name}: ${rule}` : `${name} is a leaf: the backward pass ends here.`;
      } else {
        p.textContent = 'No inputs need a gradient from here.';
      }
      s.append(p);
    }
    stepView.edges.forEach(({ input, rule, sent }, i) => {
      const p = document.createElement('div');
      p.className = 'agl-flow';
      const name = input ? (input.kind === 'parameter' ? `${input.tensorName ?? 'parameter'} (AccumulateGrad)` : input.name) : '?';
      p.textContent = `→ ${name}: ${rule ? `${rule}; ` : ''}sends ${sent}; accumulated there: ${stepView.accumulated[i]!.text}`;
      s.append(p);
    });
    for (const input of stepView.data) {
      const p = document.createElement('div');
      p.className = 'agl-flow-data';
      p.textContent = `· ${input.tensorName ?? 'data'} ${shapeText(input.shape)}: data (requires_grad=False), no gradient flows to it`;
      s.append(p);
    }
  }

  private renderDetails(): void {
    const d = this.details;
    d.replaceChildren();
    const node = this.snapshot?.nodes.find((n) => n.id === this.selected);
    if (!node) {
      d.textContent = 'Click a node to see its forward value and gradient; a node with a source line opens it.';
      return;
    }
    const rows: [string, string][] = [
      ['node', node.kind === 'data' ? 'data (requires_grad=False)' : node.name],
      ['shape', `${shapeText(node.shape)} ${node.dtype}`],
      ['forward value', node.value ? previewText(node.value) : 'not captured'],
      ['gradient', this.gradText(node)],
    ];
    if (node.tensorName) rows.splice(1, 0, ['tensor', node.tensorName]);
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
      const factor = Math.exp(-e.deltaY * 0.0015);
      const k = Math.min(8, Math.max(0.05, this.view.k * factor));
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

  fit(): void {
    if (!this.layout) return;
    const rect = this.svg.getBoundingClientRect();
    const w = rect.width || 600;
    const h = rect.height || 400;
    const k = Math.min(2, Math.min(w / (this.layout.width || 1), h / (this.layout.height || 1)) * 0.95);
    this.view = { k, x: (w - this.layout.width * k) / 2, y: (h - this.layout.height * k) / 2 };
    this.applyView();
  }

  private applyView(): void {
    this.scene.setAttribute('transform', `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
  }
}
