/**
 * The Loss curves view: chart.js streaming train/validation series (no animation, parsing off,
 * normalized data, our min-max decimation, at most 10 redraws per second), linear/log y,
 * TensorBoard smoothing, legend toggles, earlier runs overlaid, the overfitting marker, and
 * PNG / CSV export.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip, type ChartDataset } from 'chart.js';
import { CurveModel, curvesToCsv, displayPoints, type OverfitMarker, type Point } from '../src/shared/curves.js';
import { decodeNumber, type PanelState, type RunInfo, type WirePoint } from '../src/shared/panel-protocol.js';
import { button, checkbox, setChecked, slider } from './components/index.js';
import { post } from './vscode-api.js';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Tooltip, Legend);

const PALETTE = ['#3794ff', '#f48771', '#89d185', '#cca700', '#c586c0', '#4ec9b0', '#ce9178', '#9cdcfe'];
const REDRAW_MS = 100;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

type XY = { x: number; y: number };

export class CurvesView {
  readonly root = document.createElement('section');
  readonly model = new CurveModel();
  private overlays: { run: RunInfo; model: CurveModel }[] = [];
  private chart: Chart<'line' | 'scatter', XY[]>;
  private dirty = true;
  private run: RunInfo | null = null;
  private markers: OverfitMarker[] = [];
  private readonly status = document.createElement('div');
  private readonly logBox: HTMLElement;
  private readonly smoothInput: HTMLInputElement;

  constructor(private state: PanelState, private readonly saveState: () => void) {
    this.root.className = 'agl-view agl-curves';
    const toolbar = document.createElement('div');
    toolbar.className = 'agl-toolbar';
    this.logBox = checkbox('Log scale', state.logScale, (v) => {
      this.state.logScale = v;
      this.saveState();
      this.dirty = true;
    }, 'log-scale');
    const s = slider('Smoothing', state.smoothing, 0, 0.99, 0.01, (v) => {
      this.state.smoothing = v;
      this.saveState();
      this.dirty = true;
    }, 'smoothing');
    this.smoothInput = s.input;
    toolbar.append(
      this.logBox,
      s.root,
      button('Compare runs…', () => post({ type: 'compare-runs' }), { secondary: true, title: 'Overlay earlier runs from the run records' }),
      button('Export PNG', () => this.exportPng(), { secondary: true, id: 'export-png' }),
      button('Export CSV', () => this.exportCsv(), { secondary: true, id: 'export-csv' }),
    );
    this.status.className = 'agl-status';
    const holder = document.createElement('div');
    holder.className = 'agl-chart';
    const canvas = document.createElement('canvas');
    canvas.id = 'curves-canvas';
    holder.append(canvas);
    this.root.append(toolbar, this.status, holder);
    const fg = cssVar('--vscode-foreground', '#cccccc');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    Chart.defaults.color = fg;
    Chart.defaults.font.family = cssVar('--vscode-font-family', 'sans-serif');
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.5, tension: 0 } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'epoch' }, grid: { color: grid } },
          y: { type: 'linear', title: { display: true, text: 'loss' }, grid: { color: grid } },
        },
        plugins: {
          legend: {
            onClick: (_e, item, legend) => {
              const ci = legend.chart;
              const index = item.datasetIndex!;
              const label = ci.data.datasets[index]!.label ?? '';
              const hidden = ci.isDatasetVisible(index);
              ci.setDatasetVisibility(index, !hidden);
              this.state.hiddenSeries = hidden ? [...new Set([...this.state.hiddenSeries, label])] : this.state.hiddenSeries.filter((s) => s !== label);
              this.saveState();
              ci.update('none');
            },
          },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const marker = (ctx.dataset as { marker?: OverfitMarker }).marker;
                if (marker) return marker.tooltip;
                return `${ctx.dataset.label}: ${(ctx.parsed.y ?? NaN).toPrecision(7)}`;
              },
              title: (items) => (items[0] ? `epoch ${items[0].parsed.x}` : ''),
            },
          },
        },
      },
    });
    setInterval(() => this.redraw(), REDRAW_MS);
  }

  restoreState(state: PanelState): void {
    this.state = state;
    setChecked(this.logBox, state.logScale);
    this.smoothInput.value = String(state.smoothing);
    this.dirty = true;
  }

  startRun(run: RunInfo, smoothing: number | undefined): void {
    this.run = run;
    this.model.clear();
    if (smoothing !== undefined && this.state.runId !== run.runId) {
      this.state.smoothing = smoothing;
      this.smoothInput.value = String(smoothing);
      this.smoothInput.dispatchEvent(new Event('input'));
    }
    this.setStatus();
    this.dirty = true;
  }

  addPoints(series: Record<string, WirePoint[]>): void {
    for (const [name, points] of Object.entries(series)) for (const [x, y] of points) this.model.add(name, x, decodeNumber(y));
    this.setStatus();
    this.dirty = true;
  }

  endRun(status: string): void {
    if (this.run) this.run = { ...this.run, status: status as RunInfo['status'] };
    this.setStatus();
  }

  setOverlay(runs: { run: RunInfo; series: Record<string, WirePoint[]> }[]): void {
    this.overlays = runs.map(({ run, series }) => {
      const model = new CurveModel();
      for (const [name, pts] of Object.entries(series)) for (const [x, y] of pts) model.add(name, x, decodeNumber(y));
      return { run, model };
    });
    this.dirty = true;
  }

  private setStatus(): void {
    if (!this.run) {
      this.status.textContent = 'No run yet. Run a training script (Autograd Lab: Run Training) to see its loss curves here.';
      return;
    }
    const parts = [`${this.run.label} — ${this.run.status}`];
    for (const name of this.model.series.keys()) {
      const t = this.model.trend(name);
      if (t) parts.push(`${name} ${t.last.toPrecision(6)}${t.direction === 'down' ? ' ▼' : t.direction === 'up' ? ' ▲' : ''}`);
    }
    this.status.textContent = parts.join(' · ');
  }

  private datasetFor(label: string, points: readonly Point[], color: string, dashed: boolean): ChartDataset<'line', XY[]> {
    const buckets = Math.max(100, this.chart.width || 800);
    return {
      type: 'line',
      label,
      data: displayPoints(points, { smoothing: this.state.smoothing, logScale: this.state.logScale, buckets }) as XY[],
      borderColor: color,
      backgroundColor: color,
      borderDash: dashed ? [4, 3] : [],
      hidden: this.state.hiddenSeries.includes(label),
      pointRadius: 0,
    };
  }

  redraw(force = false): void {
    if (!this.dirty && !force) return;
    if (!this.root.isConnected || this.root.offsetParent === null) {
      if (!force) return; // hidden tab: draw when shown
    }
    this.dirty = false;
    const datasets: ChartDataset<'line' | 'scatter', XY[]>[] = [];
    let k = 0;
    for (const [name, points] of this.model.series) datasets.push(this.datasetFor(name, points, PALETTE[k++ % PALETTE.length]!, false));
    for (const o of this.overlays) {
      for (const [name, points] of o.model.series) datasets.push(this.datasetFor(`${name} · ${o.run.label} ${o.run.runId}`, points, PALETTE[k++ % PALETTE.length]!, true));
    }
    this.markers = this.model.markers();
    for (const m of this.markers) {
      if (this.state.logScale && !(m.value > 0)) continue;
      const ds: ChartDataset<'scatter', XY[]> & { marker: OverfitMarker } = {
        type: 'scatter',
        label: `overfitting: ${m.pair.val} turns up`,
        data: [{ x: m.step, y: m.value }],
        pointRadius: 7,
        pointHoverRadius: 9,
        pointStyle: 'triangle',
        borderColor: cssVar('--vscode-editorWarning-foreground', '#cca700'),
        backgroundColor: cssVar('--vscode-editorWarning-foreground', '#cca700'),
        marker: m,
      };
      datasets.push(ds);
    }
    this.chart.data.datasets = datasets;
    const y = this.chart.options.scales!.y!;
    (y as { type: string }).type = this.state.logScale ? 'logarithmic' : 'linear';
    this.chart.update('none');
    this.root.dataset.points = String([...this.model.series.values()].reduce((s, p) => s + p.length, 0));
    this.root.dataset.markers = String(this.markers.length);
  }

  private exportPng(): void {
    post({ type: 'export', format: 'png', suggestedName: `${this.baseName()}-curves.png`, content: this.chart.toBase64Image('image/png', 1) });
  }

  private exportCsv(): void {
    post({ type: 'export', format: 'csv', suggestedName: `${this.baseName()}-curves.csv`, content: curvesToCsv(this.model.series) });
  }

  private baseName(): string {
    return (this.run?.label ?? 'run').replace(/\.[^.]+$/, '') + (this.run ? `-${this.run.runId}` : '');
  }
}
