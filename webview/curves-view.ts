/**
 * The Loss curves view: chart.js streaming train/validation series (no animation, parsing off,
 * normalized data, our min-max decimation, at most 10 redraws per second), linear/log y,
 * TensorBoard smoothing, legend toggles, earlier runs overlaid, the overfitting marker, the run's
 * warnings and failure, and PNG / CSV export. Colours follow the theme (--vscode-charts-*), also
 * when the learner switches themes with the panel open.
 *
 * A long live series arrives from the host as min–max buckets (src/extension/series-lod.ts), with
 * its true point count; CSV export asks the host, which has every point. The overfitting marker
 * is the run's overfitting warning, drawn where it says validation was lowest.
 *
 * The DOM describes itself for tests and integration tests: `data-points` (all points of the
 * run's series, also those that arrived as buckets), `data-drawn-points` (after smoothing and
 * decimation), `data-y-scale`, `data-redraws`, and one `[data-series]` element per series with
 * its own `data-points`.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip, type ChartDataset } from 'chart.js';
import type { FailureReason, ScriptError } from '../src/protocol/run-events.js';
import { formatValue } from '../src/protocol/number-format.js';
import { IncrementalEma } from '../src/series/smoothing.js';
import { displayPoints, overfitMarker, ShownCurves, type OverfitMarker, type ShownSeries, type XY } from './curves-model.js';
import type { OverlayRun, PanelSettings, PanelState, PanelWarning, RunInfo, SeriesUpdate } from '../src/protocol/panel-messages.js';
import { button, checkbox, setChecked, slider } from './components/index.js';
import { post } from './vscode-api.js';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Tooltip, Legend);

/** Theme chart colours first (every theme, high contrast included, defines them), then fallbacks. */
const PALETTE_VARS: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-orange', '#d18616'],
];
const REDRAW_MS = 100;
const WARNINGS_SHOWN = 50;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

interface ThemeColors {
  foreground: string;
  grid: string;
  warning: string;
  palette: string[];
}

function themeColors(): ThemeColors {
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-contrastBorder', 'rgba(128,128,128,0.35)')),
    warning: cssVar('--vscode-editorWarning-foreground', '#cca700'),
    palette: PALETTE_VARS.map(([name, fallback]) => cssVar(name, fallback)),
  };
}

const FAILURE_TEXT: Record<FailureReason, string> = {
  error: 'The script stopped with an error',
  'memory-limit': 'The script went over the memory limit (setting autogradLab.memoryLimitMB) and was stopped',
  crash: 'The script process crashed',
};

export class CurvesView {
  readonly root = document.createElement('section');
  /** The live (or recorded) run's series, as the host sends them. */
  readonly model = new ShownCurves();
  private overlays: { run: RunInfo; model: ShownCurves }[] = [];
  private chart: Chart<'line' | 'scatter', XY[]>;
  private dirty = true;
  private redraws = 0;
  private run: RunInfo | null = null;
  private markers: OverfitMarker[] = [];
  private colors = themeColors();
  /** Per drawn series (by label): its smoothing, extended as points arrive. */
  private readonly smoothed = new Map<string, IncrementalEma>();
  private readonly status = document.createElement('div');
  private readonly banner = document.createElement('div');
  private readonly warningList = document.createElement('ul');
  private readonly overlayNote = document.createElement('div');
  private readonly logBox: HTMLElement;
  private readonly smoothInput: HTMLInputElement;

  constructor(private state: PanelState, private readonly saveState: () => void) {
    this.root.className = 'agl-view agl-curves';
    this.root.dataset.testid = 'curves-view';
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
    s.root.title = 'TensorBoard-style smoothing: a debiased exponential moving average (the raw values are kept for CSV export)';
    this.smoothInput = s.input;
    toolbar.append(
      this.logBox,
      s.root,
      button('Compare runs…', () => post({ type: 'compare-runs' }), { secondary: true, title: 'Overlay earlier runs from the run records', id: 'compare-runs' }),
      button('Export PNG', () => this.exportPng(), { secondary: true, id: 'export-png' }),
      button('Export CSV', () => this.exportCsv(), { secondary: true, id: 'export-csv' }),
    );
    this.status.className = 'agl-status';
    this.status.dataset.testid = 'curves-status';
    this.banner.className = 'agl-banner';
    this.banner.dataset.testid = 'run-error';
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.warningList.className = 'agl-warnings';
    this.warningList.dataset.testid = 'warnings';
    this.warningList.setAttribute('aria-label', 'Warnings of this run');
    this.warningList.hidden = true;
    this.overlayNote.className = 'agl-legend-note';
    this.overlayNote.hidden = true;
    const holder = document.createElement('div');
    holder.className = 'agl-chart';
    const canvas = document.createElement('canvas');
    canvas.id = 'curves-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Loss curves');
    holder.append(canvas);
    this.root.append(toolbar, this.status, this.banner, this.warningList, this.overlayNote, holder);
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
          x: { type: 'linear', title: { display: true, text: 'epoch' } },
          y: { type: 'linear', title: { display: true, text: 'loss' } },
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
                return `${ctx.dataset.label}: ${formatValue(ctx.parsed.y ?? NaN)}`;
              },
              title: (items) => (items[0] ? `epoch ${items[0].parsed.x}` : ''),
            },
          },
        },
      },
    });
    this.applyTheme();
    this.setStatus();
    // VS Code swaps the body's theme class and the --vscode-* variables in place on a theme change.
    new MutationObserver(() => {
      this.colors = themeColors();
      this.applyTheme();
      this.setStatus();
      this.dirty = true;
    }).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    setInterval(() => this.redraw(), REDRAW_MS);
  }

  private applyTheme(): void {
    const { foreground, grid } = this.colors;
    Chart.defaults.color = foreground;
    const scales = this.chart.options.scales!;
    for (const axis of [scales.x!, scales.y!]) {
      axis.grid = { ...axis.grid, color: grid };
      axis.ticks = { ...axis.ticks, color: foreground };
      (axis as { title: { color?: string } }).title.color = foreground;
    }
    this.chart.options.plugins!.legend!.labels = { ...this.chart.options.plugins!.legend!.labels, color: foreground };
  }

  restoreState(state: PanelState): void {
    this.state = state;
    setChecked(this.logBox, state.logScale);
    this.setSmoothing(state.smoothing);
    this.dirty = true;
  }

  private setSmoothing(value: number): void {
    this.state.smoothing = value;
    this.smoothInput.value = String(value);
    this.smoothInput.dispatchEvent(new Event('input'));
  }

  /** The learner changed `autogradLab.curves.smoothing`: the slider follows at once. */
  applySettings(settings: PanelSettings): void {
    this.setSmoothing(settings.smoothing);
  }

  startRun(run: RunInfo, smoothing: number | undefined): void {
    this.run = run;
    this.model.clear();
    this.markers = [];
    this.smoothed.clear();
    if (smoothing !== undefined) this.setSmoothing(smoothing);
    this.warningList.replaceChildren();
    this.warningList.hidden = true;
    this.banner.hidden = true;
    this.banner.replaceChildren();
    this.setStatus();
    this.dirty = true;
  }

  addPoints(series: Record<string, SeriesUpdate>): void {
    this.model.apply(series);
    this.dirty = true; // the status line follows at the next redraw
  }

  addWarning(warning: PanelWarning): void {
    const marker = overfitMarker(warning);
    if (marker) {
      this.markers.push(marker);
      this.dirty = true;
    }
    if (this.warningList.children.length >= WARNINGS_SHOWN) return;
    const li = document.createElement('li');
    li.dataset.kind = warning.kind;
    if (warning.epoch !== undefined) li.dataset.epoch = String(warning.epoch);
    const icon = document.createElement('span');
    icon.className = 'agl-warning-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = '⚠';
    const text = document.createElement('span');
    text.className = 'agl-warning-text';
    text.textContent = warning.message;
    li.append(icon, text);
    const location = warning.location;
    if (location) {
      const link = document.createElement('a');
      link.href = '#';
      link.className = 'agl-link';
      link.textContent = `line ${location.line}`;
      link.title = `Open ${location.file}:${location.line}`;
      link.addEventListener('click', (e) => {
        e.preventDefault();
        post({ type: 'open-location', location });
      });
      li.append(' ', link);
    }
    this.warningList.append(li);
    this.warningList.hidden = false;
  }

  endRun(status: RunInfo['status'], error?: ScriptError, reason?: FailureReason): void {
    if (this.run) this.run = { ...this.run, status };
    this.banner.replaceChildren();
    this.banner.hidden = !error;
    if (error) {
      const head = document.createElement('strong');
      head.textContent = `${FAILURE_TEXT[reason ?? 'error']}: `;
      const msg = document.createElement('span');
      msg.textContent = `${error.name}: ${error.message}`;
      this.banner.append(head, msg);
      this.banner.dataset.reason = reason ?? 'error';
      const location = error.location;
      if (location) {
        const link = document.createElement('a');
        link.href = '#';
        link.className = 'agl-link';
        link.textContent = `Go to line ${location.line}`;
        link.addEventListener('click', (e) => {
          e.preventDefault();
          post({ type: 'open-location', location });
        });
        this.banner.append(' ', link);
      }
    }
    this.setStatus();
  }

  setOverlay(runs: OverlayRun[]): void {
    this.overlays = runs.map(({ run, series }) => {
      const model = new ShownCurves();
      model.apply(series);
      return { run, model };
    });
    this.dirty = true;
  }

  private setStatus(): void {
    this.status.replaceChildren();
    if (!this.run) {
      this.status.textContent = 'No run yet. Run a training script (Autograd Lab: Run Training) to see its loss curves here.';
      return;
    }
    this.status.dataset.status = this.run.status;
    const head = document.createElement('span');
    head.textContent = `${this.run.label} — ${this.run.status}`;
    this.status.append(head);
    let k = 0;
    for (const [name, shown] of this.model.series) {
      const color = this.colorOf(k++);
      const t = this.model.trend(name);
      if (!t) continue;
      const span = document.createElement('span');
      span.className = 'agl-series-status';
      span.dataset.series = name;
      span.dataset.points = String(shown.total);
      span.dataset.color = color;
      const chip = document.createElement('span');
      chip.className = 'agl-chip';
      chip.setAttribute('aria-hidden', 'true');
      chip.style.background = color;
      span.append(chip, `${name} ${formatValue(t.last)}${t.direction === 'down' ? ' ▼' : t.direction === 'up' ? ' ▲' : ''}`);
      span.title = shown.span > 1 ? `${shown.total} points (the chart draws the lowest and highest of each stretch of them)` : `${shown.total} points`;
      this.status.append(' · ', span);
    }
  }

  /** The colour of the k-th series (live series first, then overlays). */
  private colorOf(k: number): string {
    const palette = this.colors.palette;
    return palette[k % palette.length]!;
  }

  private emaOf(label: string): IncrementalEma {
    let ema = this.smoothed.get(label);
    if (!ema) this.smoothed.set(label, (ema = new IncrementalEma()));
    return ema;
  }

  private datasetFor(label: string, shown: ShownSeries, color: string, dashed: boolean): ChartDataset<'line', XY[]> {
    const buckets = Math.max(100, this.chart.width || 800);
    const options = { smoothing: this.state.smoothing, logScale: this.state.logScale, buckets, span: shown.span };
    return {
      type: 'line',
      label,
      data: displayPoints(shown.steps, shown.values, options, this.emaOf(label)),
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
    this.setStatus();
    const datasets: ChartDataset<'line' | 'scatter', XY[]>[] = [];
    let k = 0;
    for (const [name, shown] of this.model.series) datasets.push(this.datasetFor(name, shown, this.colorOf(k++), false));
    for (const o of this.overlays) {
      for (const [name, shown] of o.model.series) datasets.push(this.datasetFor(`${name} · ${o.run.label} ${o.run.runId}`, shown, this.colorOf(k++), true));
    }
    for (const m of this.markers) {
      if (this.state.logScale && !(m.value > 0)) continue;
      const ds: ChartDataset<'scatter', XY[]> & { marker: OverfitMarker } = {
        type: 'scatter',
        label: `overfitting: ${m.series} turns up`,
        data: [{ x: m.step, y: m.value }],
        pointRadius: 7,
        pointHoverRadius: 9,
        pointStyle: 'triangle',
        borderColor: this.colors.warning,
        backgroundColor: this.colors.warning,
        marker: m,
      };
      datasets.push(ds);
    }
    const notes = [
      this.overlays.length > 0 ? 'Dashed lines: earlier runs (Compare runs…).' : '',
      this.markers.length > 0 ? '▲ marks where validation loss turns up while training loss keeps falling (hover it).' : '',
    ].filter(Boolean);
    this.overlayNote.textContent = notes.join(' ');
    this.overlayNote.hidden = notes.length === 0;
    this.chart.data.datasets = datasets;
    const y = this.chart.options.scales!.y!;
    (y as { type: string }).type = this.state.logScale ? 'logarithmic' : 'linear';
    this.chart.update('none');
    this.redraws++;
    const d = this.root.dataset;
    d.points = String(this.model.total);
    d.drawnPoints = String(datasets.reduce((s, ds) => s + ds.data.length, 0));
    d.markers = String(this.markers.length);
    d.yScale = this.state.logScale ? 'logarithmic' : 'linear';
    d.redraws = String(this.redraws);
  }

  private exportPng(): void {
    post({ type: 'export', format: 'png', suggestedName: `${this.baseName()}-curves.png`, content: this.chart.toBase64Image('image/png', 1) });
  }

  private exportCsv(): void {
    post({ type: 'export-curves-csv', suggestedName: `${this.baseName()}-curves.csv` });
  }

  private baseName(): string {
    return (this.run?.label ?? 'run').replace(/\.[^.]+$/, '') + (this.run ? `-${this.run.runId}` : '');
  }
}
