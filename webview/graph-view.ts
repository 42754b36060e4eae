/**
 * The Graph view: the computation graph of the newest backward() in torchviz's conventions
 * (backward functions grey, parameters light blue with name and shape, the loss green), pan and
 * zoom, hover and click for forward value and gradient, click-through to the source line, and
 * Step backward: the backward pass node by node in reverse topological order, highlighting the
 * edges the gradient flows along with the local derivative and the accumulated gradient.
 */
import type { GraphNode, GraphSnapshot } from '../src/runner/protocol.js';
import { backwardStep, backwardSteps, gradientKnown, NOT_COMPUTED, nodeLabelLines, nodeRole, previewText, shapeText, toDot, toJson } from '../src/shared/graph-model.js';
import { formatValue } from '../src/shared/gutter-model.js';
import { button, setDisabled } from './components/index.js';
import { layoutGraph, type LayoutInput, type LayoutResult } from './layout.js';
import { post } from './vscode-api.js';

const SVG = 'http://www.w3.org/2000/svg';
const WORKER_THRESHOLD = 150;

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export class GraphView {
  readonly root = document.createElement('section');
  private snapshot: GraphSnapshot | null = null;
  private layout: LayoutResult | null = null;
  /** undefined: the whole backward pass as recorded; −1: before it; k: after step k. */
  private step: number | undefined = -1;
  private selected: string | null = null;
  private readonly svg = el('svg', { class: 'agl-graph-svg' });
  private readonly scene = el('g');
  private readonly details = document.createElement('div');
  private readonly stepInfo = document.createElement('div');
  private readonly empty = document.createElement('div');
  private readonly stepBtn: HTMLElement;
  private readonly resetBtn: HTMLElement;
  private view = { x: 0, y: 0, k: 1 };
  private worker: Worker | null | undefined;
  private layoutSeq = 0;

  constructor(private readonly workerUrl: string) {
    this.root.className = 'agl-view agl-graph';
    const toolbar = document.createElement('div');
    toolbar.className = 'agl-toolbar';
    this.stepBtn = button('Step backward', () => this.stepBackward(), { id: 'step-backward', title: 'Run the backward pass one node further' });
    this.resetBtn = button('Reset', () => this.setStep(-1), { secondary: true, id: 'step-reset', title: 'Back to before backward(): no gradient computed yet' });
    toolbar.append(
      this.stepBtn,
      this.resetBtn,
      button('All gradients', () => this.setStep(undefined), { secondary: true, id: 'step-all', title: 'Show the gradients of the whole backward pass' }),
      button('Fit', () => this.fit(), { secondary: true }),
      button('Export DOT', () => this.snapshot && post({ type: 'export', format: 'dot', suggestedName: 'graph.dot', content: toDot(this.snapshot) }), { secondary: true, id: 'export-dot' }),
      button('Export JSON', () => this.snapshot && post({ type: 'export', format: 'json', suggestedName: 'graph.json', content: toJson(this.snapshot) }), { secondary: true, id: 'export-json' }),
    );
    this.empty.className = 'agl-status';
    this.empty.textContent = 'No graph yet: the graph appears at the script’s first backward().';
    this.stepInfo.className = 'agl-stepinfo';
    this.stepInfo.id = 'step-info';
    this.details.className = 'agl-details';
    this.details.id = 'node-details';
    const body = document.createElement('div');
    body.className = 'agl-graph-body';
    const legend = document.createElement('div');
    legend.className = 'agl-legend';
    legend.innerHTML =
      '<span class="sw root"></span>loss (output) <span class="sw function"></span>backward function <span class="sw parameter"></span>parameter (AccumulateGrad) <span class="sw flow"></span>gradient flowing';
    this.svg.append(this.scene);
    body.append(this.svg, this.details);
    this.root.append(toolbar, legend, this.empty, this.stepInfo, body);
    this.installPanZoom();
  }

  async setSnapshot(snapshot: GraphSnapshot): Promise<void> {
    this.snapshot = snapshot;
    this.empty.hidden = true;
    this.step = -1;
    this.selected = null;
    const input: LayoutInput = {
      nodes: snapshot.nodes.map((n) => {
        const lines = nodeLabelLines(n);
        const width = Math.max(90, Math.max(...lines.map((l) => l.length)) * 7 + 20);
        return { id: n.id, width, height: lines.length * 14 + 12 };
      }),
      edges: snapshot.edges.map((e) => ({ from: e.from, to: e.to })),
    };
    const seq = ++this.layoutSeq;
    const result = input.nodes.length > WORKER_THRESHOLD ? await this.layoutInWorker(input) : layoutGraph(input);
    if (seq !== this.layoutSeq) return;
    this.layout = result;
    this.render();
    this.fit();
  }

  private async layoutInWorker(input: LayoutInput): Promise<LayoutResult> {
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
    if (!worker) return layoutGraph(input);
    const id = this.layoutSeq;
    return new Promise((resolve) => {
      const onMessage = (e: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
        if (e.data.id !== id) return;
        worker.removeEventListener('message', onMessage);
        resolve(e.data.result ?? layoutGraph(input));
      };
      worker.addEventListener('message', onMessage);
      worker.postMessage({ id, input });
    });
  }

  private setStep(step: number | undefined): void {
    this.step = step;
    this.render();
  }

  stepBackward(): void {
    if (!this.snapshot) return;
    const total = backwardSteps(this.snapshot).length;
    if (this.step === undefined) this.step = -1;
    if (this.step < total - 1) this.step++;
    this.render();
  }

  private gradText(node: GraphNode): string {
    if (!this.snapshot || !gradientKnown(this.snapshot, node, this.step)) return NOT_COMPUTED;
    return previewText(node.grad);
  }

  private render(): void {
    const snap = this.snapshot;
    const layout = this.layout;
    this.scene.replaceChildren();
    if (!snap || !layout) return;
    const stepView = this.step !== undefined && this.step >= 0 ? backwardStep(snap, this.step) : null;
    const flowing = new Set(stepView ? stepView.edges.map(({ edge }) => `${edge.from}->${edge.to}`) : []);
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
      const path = el('path', { d, class: flowing.has(key) ? 'agl-edge flow' : 'agl-edge', 'marker-end': `url(#${flowing.has(key) ? 'arrow-flow' : 'arrow'})` });
      path.dataset.edge = key;
      this.scene.append(path);
    }
    for (const node of snap.nodes) {
      const box = layout.nodes[node.id];
      if (!box) continue;
      const role = nodeRole(snap, node);
      const g = el('g', { class: `agl-node ${role}${node.id === this.selected ? ' selected' : ''}${stepView?.node.id === node.id ? ' current' : ''}${this.step !== undefined && gradientKnown(snap, node, this.step) ? ' has-grad' : ''}`, transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})` });
      g.dataset.node = node.id;
      g.dataset.name = node.name;
      g.append(el('rect', { width: box.width, height: box.height, rx: role === 'parameter' ? 2 : 4 }));
      nodeLabelLines(node).forEach((line, i) => {
        const t = el('text', { x: box.width / 2, y: 18 + i * 14, 'text-anchor': 'middle' });
        t.textContent = line;
        g.append(t);
      });
      const title = el('title');
      title.textContent = `${node.name}${node.tensorName ? ` (${node.tensorName})` : ''} ${shapeText(node.shape)}\nvalue: ${previewText(node.value ?? null).replace(NOT_COMPUTED, 'not captured')}\ngrad: ${this.gradText(node)}`;
      g.append(title);
      g.addEventListener('click', (ev) => {
        ev.stopPropagation();
        this.selected = node.id;
        this.render();
        if (node.location) post({ type: 'open-location', location: node.location });
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
    if (this.step === undefined) {
      s.textContent = `The whole backward pass (${total} nodes ran). Gradients as computed by backward() #${this.snapshot?.backwardIndex ?? ''}.`;
      return;
    }
    if (this.step === -1 || !stepView) {
      s.textContent = `Before backward(): no gradient is computed yet. Press Step backward to follow the gradient from the loss, node by node (${total} steps).`;
      return;
    }
    const head = document.createElement('div');
    head.innerHTML = `<strong>Step ${stepView.index + 1} of ${stepView.total}:</strong> `;
    head.append(`${stepView.node.name} receives the gradient ${this.gradText(stepView.node)}`);
    s.append(head);
    if (stepView.edges.length === 0) {
      const p = document.createElement('div');
      p.textContent = stepView.node.kind === 'parameter' ? `${stepView.node.tensorName ?? 'The parameter'}.grad is now ${previewText(stepView.node.grad)}.` : 'No inputs need a gradient from here.';
      s.append(p);
    }
    stepView.edges.forEach(({ input, rule, local, sent }, i) => {
      const p = document.createElement('div');
      p.className = 'agl-flow';
      const name = input ? (input.kind === 'parameter' ? `${input.tensorName ?? 'parameter'} (AccumulateGrad)` : input.name) : '?';
      const localText = local ? `local derivative ${local.slice(0, 4).map(formatValue).join(', ')}${local.length > 4 ? ', …' : ''}` : '';
      p.textContent = `→ ${name}: ${[rule, localText].filter(Boolean).join(' · ')}; sends ${sent}; accumulated there: ${stepView.accumulated[i]!.text}`;
      s.append(p);
    });
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
      ['node', node.name],
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
