/**
 * The Loss curves view, drawn as TensorBoard draws scalars: each series' raw values as a faint
 * line under its smoothed line (debiased EMA), a tooltip with both, a linear or log y axis (log
 * ticks at 1, 2 and 5 only), a constant series drawn flat in a padded range. chart.js streams
 * them (no animation, parsing off, our min-max decimation, at most 10 redraws per second).
 * Drag across the chart to zoom into a stretch of epochs; Reset zoom (or a double-click) shows
 * them all again. Earlier runs overlaid by Compare runs… are listed under the chart, each with
 * its own toggle, and a Clear; the x axis follows the live run, so a longer earlier run never
 * squashes it. The overfitting marker (the run's own warning, drawn where it says validation
 * was lowest) explains itself on hover and focus. Above the chart: the run's state ("Loading
 * Python…", then the epoch) and each series' last value with its trend (series/trend.ts); a
 * click on a series hides it. Smoothing and log scale are the workspace's (the host keeps them).
 * Colours follow the theme (--vscode-charts-*), also when the learner switches themes.
 *
 * A long live series arrives from the host as min–max buckets (src/extension/series-lod.ts), with
 * its true point count; CSV export asks the host, which has every point.
 *
 * The DOM describes itself for tests and integration tests: `data-points` (all points of the
 * run's series, also those that arrived as buckets), `data-drawn-points` (after smoothing and
 * decimation), `data-lines` (the lines drawn, `|`-separated: `loss (raw)|loss`), `data-y-scale`, `data-y-min`/`data-y-max` and `data-x-min`/`data-x-max` (the axes'
 * ranges), `data-y-ticks` (the y tick labels, `|`-separated), `data-x-zoom`
 * ("min,max" while zoomed), `data-redraws`, `data-markers`, `data-overlays`, and one
 * `[data-series]` element per series with its own `data-points`.
 */
import { CategoryScale, Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type ChartDataset, type TooltipItem } from 'chart.js';
import type { FailureReason, ScriptError } from '../src/protocol/run-events.js';
import { formatValue } from '../src/protocol/number-format.js';
import { IncrementalEma } from '../src/series/smoothing.js';
import { TREND_MARK } from '../src/series/trend.js';
import { displayPoints, flatRange, logTickLabel, overfitMarker, ShownCurves, valueAtStep, type OverfitMarker, type ShownSeries, type XY } from './curves-model.js';
import type { OverlayRun, PanelSettings, PanelState, PanelWarning, RunInfo, SeriesUpdate } from '../src/protocol/panel-messages.js';
import { button, checkbox, setChecked, setDisabled, slider } from './components/index.js';
import { post } from './vscode-api.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Tooltip);

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
/** How faint the raw line is under the smoothed one (TensorBoard's is about this). */
const RAW_ALPHA = 0.3;
/** A drag shorter than this many pixels is a click, not a zoom. */
const MIN_DRAG_PX = 6;
/** After the learner moves the slider, the host hears of it once it rests this long. */
const SAVE_SETTINGS_MS = 400;

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

/** `color` at `alpha`, whatever CSS colour syntax the theme used. */
function withAlpha(color: string, alpha: number): string {
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`;
}

const FAILURE_TEXT: Record<FailureReason, string> = {
  error: 'The script stopped with an error',
  'memory-limit': 'The script went over the memory limit (setting autogradLab.memoryLimitMB) and was stopped',
  crash: 'The script process crashed',
};

/** What a drawn line is: a series' raw or smoothed values, of the live run or an overlaid one. */
interface LineMeta {
  series: string;
  /** The key a toggle hides it by: the series name, or `name · run` for an overlay. */
  key: string;
  shown: ShownSeries;
  raw: boolean;
}

type LineDataset = ChartDataset<'line', XY[]> & { meta: LineMeta };

export class CurvesView {
  readonly root = document.createElement('section');
  /** The live (or recorded) run's series, as the host sends them. */
  readonly model = new ShownCurves();
  private overlays: { run: RunInfo; model: ShownCurves }[] = [];
  private chart: Chart<'line', XY[]>;
  private dirty = true;
  private redraws = 0;
  private run: RunInfo | null = null;
  private markers: OverfitMarker[] = [];
  private colors = themeColors();
  /** Per drawn series (by key): its smoothing, extended as points arrive. */
  private readonly smoothed = new Map<string, IncrementalEma>();
  /** The x range dragged to, or null: the whole run. */
  private zoom: { min: number; max: number } | null = null;
  private readonly status = document.createElement('div');
  private readonly banner = document.createElement('div');
  private readonly warningList = document.createElement('ul');
  private readonly holder = document.createElement('div');
  private readonly selection = document.createElement('div');
  private readonly markerLayer = document.createElement('div');
  private readonly markerTip = document.createElement('div');
  private readonly overlayBox = document.createElement('div');
  private readonly logBox: HTMLElement;
  private readonly setSlider: (value: number) => void;
  private readonly resetZoomBtn: HTMLElement;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private state: PanelState, private readonly saveState: () => void) {
    this.root.className = 'agl-view agl-curves';
    this.root.dataset.testid = 'curves-view';
    const toolbar = document.createElement('div');
    toolbar.className = 'agl-toolbar';
    this.logBox = checkbox('Log scale', state.logScale, (v) => {
      this.state.logScale = v;
      this.settingsChanged();
    }, 'log-scale');
    const s = slider('Smoothing', state.smoothing, 0, 0.99, 0.01, (v) => {
      this.state.smoothing = v;
      this.settingsChanged();
    }, 'smoothing');
    s.root.title = 'TensorBoard-style smoothing: a debiased exponential moving average, drawn over the raw values (faint). CSV export has the raw values.';
    this.setSlider = s.set;
    this.resetZoomBtn = button('Reset zoom', () => this.setZoom(null), { secondary: true, id: 'reset-zoom', title: 'Show every epoch again (drag across the chart to zoom into some)' });
    toolbar.append(
      this.logBox,
      s.root,
      this.resetZoomBtn,
      button('Compare runs…', () => post({ type: 'compare-runs' }), { secondary: true, title: 'Overlay earlier runs from the run records', id: 'compare-runs' }),
      button('Export PNG', () => this.exportPng(), { secondary: true, id: 'export-png' }),
      button('Export CSV', () => this.exportCsv(), { secondary: true, id: 'export-csv' }),
    );
    this.status.className = 'agl-status agl-curves-status';
    this.status.dataset.testid = 'curves-status';
    this.status.setAttribute('aria-live', 'polite');
    this.banner.className = 'agl-banner';
    this.banner.dataset.testid = 'run-error';
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.warningList.className = 'agl-warnings';
    this.warningList.dataset.testid = 'warnings';
    this.warningList.setAttribute('aria-label', 'Warnings of this run');
    this.warningList.hidden = true;
    this.overlayBox.className = 'agl-overlays';
    this.overlayBox.dataset.testid = 'overlays';
    this.overlayBox.hidden = true;
    this.holder.className = 'agl-chart';
    const canvas = document.createElement('canvas');
    canvas.id = 'curves-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Loss curves');
    this.selection.className = 'agl-zoom-selection';
    this.selection.hidden = true;
    this.markerLayer.className = 'agl-marker-layer';
    this.markerTip.className = 'agl-marker-tip';
    this.markerTip.id = 'marker-tip';
    this.markerTip.setAttribute('role', 'tooltip');
    this.markerTip.hidden = true;
    this.holder.append(canvas, this.selection, this.markerLayer, this.markerTip);
    this.root.append(toolbar, this.status, this.banner, this.warningList, this.holder, this.overlayBox);
    Chart.defaults.font.family = cssVar('--vscode-font-family', 'sans-serif');
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      // The ▲ markers are elements over the canvas: placed again after every update, a resize's too.
      plugins: [{ id: 'agl-markers', afterUpdate: () => this.placeMarkers() }],
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
          // The series are named (and toggled) in the status line above the chart, the overlays
          // in their list below it: a legend inside the canvas would take the plot's room.
          legend: { display: false },
          tooltip: {
            // One line per series: its smoothed value and the raw one at that epoch.
            filter: (item) => !(item.dataset as LineDataset).meta.raw || !this.isSmoothed(),
            callbacks: {
              label: (ctx) => this.tooltipLine(ctx),
              title: (items) => (items[0] ? `epoch ${formatValue(items[0].parsed.x ?? NaN)}` : ''),
            },
          },
        },
      },
    });
    this.installZoom(canvas);
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

  private isSmoothed(): boolean {
    return this.state.smoothing > 0;
  }

  private tooltipLine(ctx: TooltipItem<'line'>): string {
    const { meta } = ctx.dataset as LineDataset;
    const y = formatValue(ctx.parsed.y ?? NaN);
    if (!this.isSmoothed()) return `${meta.key}: ${y}`;
    const raw = valueAtStep(meta.shown.steps, meta.shown.values, ctx.parsed.x ?? NaN);
    return `${meta.key}: ${y} smoothed · ${raw === null ? '—' : formatValue(raw)} raw`;
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
  }

  /** The learner moved the slider or toggled log scale: redraw, remember, and tell the host (once it rests). */
  private settingsChanged(): void {
    this.saveState();
    this.dirty = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      post({ type: 'curves-settings', settings: { smoothing: this.state.smoothing, logScale: this.state.logScale } });
    }, SAVE_SETTINGS_MS);
  }

  private setSmoothing(value: number): void {
    this.state.smoothing = value;
    this.setSlider(value);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.dirty = true;
  }

  /** The workspace's curve settings (from the host): the slider and the log toggle follow at once. */
  applySettings(settings: PanelSettings): void {
    this.setSmoothing(settings.smoothing);
    this.state.logScale = settings.logScale === true;
    setChecked(this.logBox, this.state.logScale);
    this.saveState();
    this.dirty = true;
  }

  startRun(run: RunInfo, settings: PanelSettings): void {
    const sameScript = this.run?.script === run.script;
    this.run = run;
    this.model.clear();
    this.markers = [];
    this.smoothed.clear();
    if (!sameScript) this.zoom = null;
    this.applySettings(settings);
    this.warningList.replaceChildren();
    this.warningList.hidden = true;
    this.banner.hidden = true;
    this.banner.replaceChildren();
    this.setStatus();
    this.dirty = true;
  }

  /** The script process moved on: a Python run's script runs once Pyodide has loaded. */
  setPhase(phase: RunInfo['phase']): void {
    if (!this.run) return;
    this.run = { ...this.run, phase };
    this.setStatus();
  }

  addPoints(series: Record<string, SeriesUpdate>): void {
    this.model.apply(series);
    if (this.run?.phase === 'loading-python') this.run = { ...this.run, phase: 'running' };
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
    if (this.run) this.run = { ...this.run, status, phase: 'running' };
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
    this.dirty = true; // the last points are drawn however soon the run ended
  }

  setOverlay(runs: OverlayRun[]): void {
    this.overlays = runs.map(({ run, series }) => {
      const model = new ShownCurves();
      model.apply(series);
      return { run, model };
    });
    this.renderOverlayList();
    this.dirty = true;
  }

  private overlayKey(series: string, run: RunInfo): string {
    return `${series} · ${run.label} ${run.runId}`;
  }

  private toggleHidden(key: string, hidden: boolean): void {
    const rest = this.state.hiddenSeries.filter((s) => s !== key);
    this.state.hiddenSeries = hidden ? [...rest, key] : rest;
    this.saveState();
    this.dirty = true;
  }

  private renderOverlayList(): void {
    const box = this.overlayBox;
    box.replaceChildren();
    box.hidden = this.overlays.length === 0;
    this.root.dataset.overlays = String(this.overlays.length);
    if (this.overlays.length === 0) return;
    const head = document.createElement('div');
    head.className = 'agl-overlays-head';
    const title = document.createElement('span');
    title.textContent = 'Earlier runs (dashed):';
    head.append(title, button('Clear', () => this.clearOverlays(), { secondary: true, id: 'clear-overlays', title: 'Remove the earlier runs from the chart' }));
    const list = document.createElement('ul');
    let k = this.model.series.size;
    for (const o of this.overlays) {
      for (const name of o.model.series.keys()) {
        const key = this.overlayKey(name, o.run);
        const li = document.createElement('li');
        const label = document.createElement('label');
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.checked = !this.state.hiddenSeries.includes(key);
        input.dataset.overlay = key;
        input.addEventListener('change', () => this.toggleHidden(key, !input.checked));
        const chip = document.createElement('span');
        chip.className = 'agl-chip dashed';
        chip.style.borderColor = this.colorOf(k++);
        label.append(input, chip, `${name} · ${o.run.label} · ${new Date(o.run.startedAt).toLocaleString()} · ${o.run.status}`);
        li.append(label);
        list.append(li);
      }
    }
    box.append(head, list);
  }

  private clearOverlays(): void {
    this.setOverlay([]);
    post({ type: 'clear-overlays' });
  }

  /** The line above the chart: the run and its state, then each series' last value (a click hides it). */
  private setStatus(): void {
    this.status.replaceChildren();
    if (!this.run) {
      this.status.textContent = 'No run yet. Run a training script (Autograd Lab: Run Training) to see its loss curves here.';
      return;
    }
    this.status.dataset.status = this.run.status;
    this.status.dataset.phase = this.run.phase ?? 'running';
    const head = document.createElement('span');
    head.className = 'agl-run-state';
    head.textContent = `${this.run.label} — ${this.stateText()}`;
    this.status.append(head);
    let k = 0;
    for (const [name, shown] of this.model.series) {
      const color = this.colorOf(k++);
      const t = this.model.trend(name);
      if (!t) continue;
      const item = document.createElement('button');
      item.className = 'agl-series-status';
      item.dataset.series = name;
      item.dataset.points = String(shown.total);
      item.dataset.color = color;
      const hidden = this.state.hiddenSeries.includes(name);
      item.setAttribute('aria-pressed', String(!hidden));
      item.classList.toggle('hidden', hidden);
      const chip = document.createElement('span');
      chip.className = 'agl-chip';
      chip.setAttribute('aria-hidden', 'true');
      chip.style.background = color;
      item.append(chip, `${name} ${formatValue(t.last)}${t.direction ? ` ${TREND_MARK[t.direction]}` : ''}`);
      item.title = `${shown.total} points${shown.span > 1 ? ' (the chart draws the lowest and highest of each stretch of them)' : ''}. Click to ${hidden ? 'show' : 'hide'} it.`;
      item.addEventListener('click', () => {
        this.toggleHidden(name, !hidden);
        this.setStatus();
      });
      this.status.append(' ', item);
    }
  }

  private stateText(): string {
    const run = this.run!;
    if (run.status !== 'running') return run.status;
    if (run.phase === 'loading-python') return 'Loading Python…';
    let epoch = -Infinity;
    for (const s of this.model.series.values()) if (s.steps.length > 0) epoch = Math.max(epoch, s.steps[s.steps.length - 1]!);
    return Number.isFinite(epoch) ? `running · epoch ${formatValue(epoch)}` : 'running…';
  }

  /** The colour of the k-th series (live series first, then overlays). */
  private colorOf(k: number): string {
    const palette = this.colors.palette;
    return palette[k % palette.length]!;
  }

  private emaOf(key: string): IncrementalEma {
    let ema = this.smoothed.get(key);
    if (!ema) this.smoothed.set(key, (ema = new IncrementalEma()));
    return ema;
  }

  /** The lines of one series: the raw values (faint when a smoothed line is drawn over them) and the smoothed ones. */
  private datasetsFor(series: string, key: string, shown: ShownSeries, color: string, dashed: boolean): LineDataset[] {
    const buckets = Math.max(100, this.chart.width || 800);
    const base = { logScale: this.state.logScale, buckets, span: shown.span };
    const hidden = this.state.hiddenSeries.includes(key);
    const line = (raw: boolean, data: XY[]): LineDataset => ({
      type: 'line',
      label: raw ? `${key} (raw)` : key,
      data,
      borderColor: raw && this.isSmoothed() ? withAlpha(color, RAW_ALPHA) : color,
      backgroundColor: color,
      borderWidth: raw && this.isSmoothed() ? 1 : 1.5,
      borderDash: dashed ? [4, 3] : [],
      hidden,
      pointRadius: 0,
      meta: { series, key, shown, raw },
    });
    const raw = line(true, displayPoints(shown.steps, shown.values, { ...base, smoothing: 0 }));
    if (!this.isSmoothed()) return [raw];
    return [raw, line(false, displayPoints(shown.steps, shown.values, { ...base, smoothing: this.state.smoothing }, this.emaOf(key)))];
  }

  redraw(force = false): void {
    if (!this.dirty && !force) return;
    if (!this.root.isConnected || this.root.offsetParent === null) {
      if (!force) return; // hidden tab: draw when shown
    }
    this.dirty = false;
    this.setStatus();
    const datasets: LineDataset[] = [];
    let k = 0;
    for (const [name, shown] of this.model.series) datasets.push(...this.datasetsFor(name, name, shown, this.colorOf(k++), false));
    for (const o of this.overlays) {
      for (const [name, shown] of o.model.series) datasets.push(...this.datasetsFor(name, this.overlayKey(name, o.run), shown, this.colorOf(k++), true));
    }
    // Overlays first, so the live run is drawn over them.
    datasets.sort((a, b) => Number(b.borderDash!.length > 0) - Number(a.borderDash!.length > 0));
    this.chart.data.datasets = datasets;
    const scales = this.chart.options.scales!;
    const x = scales.x as { min?: number; max?: number };
    const y = scales.y as { type: string; min?: number; max?: number; ticks: { callback?: (value: number | string) => string } };
    // The x axis follows the live run, unless the learner zoomed.
    const live = this.liveRange();
    x.min = this.zoom?.min ?? live?.min;
    x.max = this.zoom?.max ?? live?.max;
    y.type = this.state.logScale ? 'logarithmic' : 'linear';
    const visible = datasets.filter((d) => !d.hidden).flatMap((d) => d.data.filter((p) => (x.min === undefined || p.x >= x.min) && (x.max === undefined || p.x <= x.max)).map((p) => p.y));
    const flat = flatRange(visible, this.state.logScale);
    y.min = flat?.min;
    y.max = flat?.max;
    y.ticks.callback = this.state.logScale ? (value) => logTickLabel(Number(value), this.chart.scales.y?.min ?? 0, this.chart.scales.y?.max ?? 0) : undefined;
    this.chart.update('none');
    this.redraws++;
    const d = this.root.dataset;
    d.points = String(this.model.total);
    d.drawnPoints = String(datasets.reduce((s, ds) => s + ds.data.length, 0));
    d.lines = datasets.map((ds) => `${ds.meta.key}${ds.meta.raw ? ' (raw)' : ''}`).join('|');
    d.markers = String(this.markers.length);
    d.yScale = this.state.logScale ? 'logarithmic' : 'linear';
    d.yMin = String(this.chart.scales.y?.min ?? '');
    d.yMax = String(this.chart.scales.y?.max ?? '');
    d.yTicks = (this.chart.scales.y?.ticks ?? []).map((t) => String(t.label ?? '')).filter(Boolean).join('|');
    d.xMin = String(this.chart.scales.x?.min ?? '');
    d.xMax = String(this.chart.scales.x?.max ?? '');
    d.redraws = String(this.redraws);
    if (this.zoom) d.xZoom = `${this.zoom.min},${this.zoom.max}`;
    else delete d.xZoom;
    setDisabled(this.resetZoomBtn, this.zoom === null);
  }

  /** The steps the live run's series span, or null before its first point. */
  private liveRange(): { min: number; max: number } | null {
    let min = Infinity;
    let max = -Infinity;
    for (const s of this.model.series.values()) {
      if (s.steps.length === 0) continue;
      min = Math.min(min, s.steps[0]!);
      max = Math.max(max, s.steps[s.steps.length - 1]!);
    }
    return min <= max ? { min, max: max > min ? max : min + 1 } : null;
  }

  /** The ▲ markers, as elements over the canvas: focusable, and explained on hover and focus. */
  private placeMarkers(): void {
    // Called from the chart's constructor too (its first update), before the layer is in place.
    if (!this.markerLayer) return;
    this.markerLayer.replaceChildren();
    const xs = this.chart.scales.x;
    const ys = this.chart.scales.y;
    if (!xs || !ys) return;
    for (const m of this.markers) {
      if (this.state.logScale && !(m.value > 0)) continue;
      if (m.step < xs.min || m.step > xs.max) continue;
      const mark = document.createElement('button');
      mark.className = 'agl-marker';
      mark.dataset.markerSeries = m.series;
      mark.dataset.step = String(m.step);
      mark.textContent = '▲';
      mark.style.color = this.colors.warning;
      mark.style.left = `${xs.getPixelForValue(m.step)}px`;
      mark.style.top = `${ys.getPixelForValue(m.value)}px`;
      mark.setAttribute('aria-label', `Overfitting: ${m.tooltip}`);
      mark.setAttribute('aria-describedby', this.markerTip.id);
      const show = () => {
        this.markerTip.textContent = `▲ epoch ${m.step}: ${m.series} was lowest here (${formatValue(m.value)}). ${m.tooltip}`;
        this.markerTip.hidden = false;
        const left = Math.min(Math.max(0, xs.getPixelForValue(m.step) - 150), Math.max(0, this.holder.clientWidth - 310));
        this.markerTip.style.left = `${left}px`;
        this.markerTip.style.top = `${ys.getPixelForValue(m.value) + 14}px`;
      };
      const hide = () => (this.markerTip.hidden = true);
      mark.addEventListener('mouseenter', show);
      mark.addEventListener('focus', show);
      mark.addEventListener('mouseleave', hide);
      mark.addEventListener('blur', hide);
      this.markerLayer.append(mark);
    }
  }

  private setZoom(zoom: { min: number; max: number } | null): void {
    this.zoom = zoom;
    this.dirty = true;
    this.redraw(true);
  }

  /** Drag across the chart: zoom into that stretch of epochs. A double-click resets. */
  private installZoom(canvas: HTMLCanvasElement): void {
    let start: number | null = null;
    const area = () => this.chart.chartArea;
    const clampX = (clientX: number) => {
      const rect = canvas.getBoundingClientRect();
      const a = area();
      return Math.min(a.right, Math.max(a.left, clientX - rect.left));
    };
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      start = clampX(e.clientX);
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (start === null) return;
      const now = clampX(e.clientX);
      const a = area();
      Object.assign(this.selection.style, { left: `${Math.min(start, now)}px`, width: `${Math.abs(now - start)}px`, top: `${a.top}px`, height: `${a.bottom - a.top}px` });
      this.selection.hidden = Math.abs(now - start) < MIN_DRAG_PX;
    });
    canvas.addEventListener('pointerup', (e) => {
      if (start === null) return;
      const end = clampX(e.clientX);
      const from = start;
      start = null;
      this.selection.hidden = true;
      if (Math.abs(end - from) < MIN_DRAG_PX) return;
      const xs = this.chart.scales.x!;
      const [a, b] = [xs.getValueForPixel(Math.min(from, end))!, xs.getValueForPixel(Math.max(from, end))!];
      if (b > a) this.setZoom({ min: a, max: b });
    });
    canvas.addEventListener('dblclick', () => this.setZoom(null));
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
