/**
 * Turns the runner's event stream into panel messages (protocol/panel-messages.ts). Every metric
 * point is kept here (a SeriesSet); a drain sends, per changed series, only what the chart needs
 * since the last drain (SeriesLod: all points of a short series, min–max buckets of a long one),
 * so a drain's size is bounded however fast the script logs. Also: the graph snapshots (the
 * newest GRAPH_HISTORY_LIMIT, for the snapshot picker), warnings (an overfitting one carries
 * where the chart marks it), and the whole run again for a webview that (re)loads. Earlier runs
 * for the overlay are cut down the same way (overlayRun). Pure: no vscode, unit-tested.
 */
import { basename } from 'node:path';
import type { FailureReason, GraphSnapshot, RunEvent, RunPhase, RunStatus, ScriptError, WarningEvent } from '../protocol/run-events.js';
import { curvesToCsv } from '../protocol/curves-csv.js';
import { SeriesSet } from '../series/columns.js';
import { recordedCurves, type RunRecordSummary } from '../runner/records.js';
import { lodOfAll, SeriesLod } from './series-lod.js';
import { GRAPH_HISTORY_LIMIT, type OverlayRun, type PanelSettings, type PanelWarning, type RunInfo, type SeriesUpdate, type ToWebview } from '../protocol/panel-messages.js';

/** Warnings kept for the panel (it lists fewer; the runner's warnings are few per run anyway). */
export const WARNING_HISTORY_LIMIT = 200;

type Queued = Extract<ToWebview, { type: 'graph' | 'warning' | 'run-end' | 'phase' }>;

export class PanelFeed {
  run: RunInfo | null = null;
  private curves = new SeriesSet();
  private lods = new Map<string, SeriesLod>();
  /** Series with points the webview has not been sent yet. */
  private changed = new Set<string>();
  private startPending: ToWebview | null = null;
  /** Graph snapshots, warnings and the run's end not sent yet, in order; bounded like the history. */
  private queued: Queued[] = [];
  private graphs: GraphSnapshot[] = [];
  private warnings: PanelWarning[] = [];
  private end: { status: RunStatus; error?: ScriptError; reason?: FailureReason } | null = null;

  constructor(private settings: PanelSettings) {}

  /** The curve settings a run starts with (the workspace's). */
  get currentSettings(): PanelSettings {
    return this.settings;
  }

  /** New settings; returns the message that applies them to an open panel (null if unchanged). */
  setSettings(settings: PanelSettings): ToWebview | null {
    if (settings.smoothing === this.settings.smoothing && (settings.logScale === true) === (this.settings.logScale === true)) return null;
    this.settings = settings;
    return { type: 'settings', settings };
  }

  /** Shows a recorded run (all its events at once). */
  load(events: readonly RunEvent[]): void {
    for (const e of events) this.onEvent(e);
  }

  /** Whether a drain would send something. */
  get hasPending(): boolean {
    return this.startPending !== null || this.changed.size > 0 || this.queued.length > 0;
  }

  /** Whether the run shown has ended (its end may still be waiting for a drain). */
  get ended(): boolean {
    return this.end !== null;
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') {
      this.run = { runId: event.runId, label: basename(event.script), script: event.script, status: 'running', startedAt: event.startedAt, language: event.language };
      // A Python script runs only once Pyodide has loaded: that takes seconds, and the panel says so.
      if (event.language === 'python') this.run.phase = 'loading-python';
      this.curves = new SeriesSet();
      this.lods = new Map();
      this.changed = new Set();
      this.graphs = [];
      this.warnings = [];
      this.end = null;
      this.queued = [];
      this.startPending = { type: 'run-start', run: this.run, settings: this.settings };
      return;
    }
    if (!this.run || event.runId !== this.run.runId) return;
    const runId = this.run.runId;
    // Anything the script does shows it runs (a record without `status` events says no more).
    if (this.run.phase === 'loading-python' && event.type !== 'status' && event.type !== 'warning') this.setPhase('running');
    switch (event.type) {
      case 'status':
        this.setPhase(event.phase);
        break;
      case 'metrics':
        for (const name of this.curves.addBatch(event)) this.changed.add(name);
        break;
      case 'graph':
        this.graphs.push(event.snapshot);
        if (this.graphs.length > GRAPH_HISTORY_LIMIT) this.graphs.splice(0, this.graphs.length - GRAPH_HISTORY_LIMIT);
        this.enqueue({ type: 'graph', runId, snapshot: event.snapshot });
        break;
      case 'warning': {
        if (this.warnings.length >= WARNING_HISTORY_LIMIT) break;
        const warning = panelWarning(event);
        this.warnings.push(warning);
        this.enqueue({ type: 'warning', runId, warning });
        break;
      }
      case 'run-finished':
      case 'run-failed': {
        this.end = event.type === 'run-failed' ? { status: 'failed', error: event.error, reason: event.reason } : { status: event.status };
        this.run = { ...this.run, status: this.end.status };
        this.enqueue({ type: 'run-end', runId, ...this.end });
        break;
      }
      default:
        break;
    }
  }

  private setPhase(phase: RunPhase): void {
    if (!this.run || this.run.phase === phase || (this.run.phase === undefined && phase === 'running')) return;
    this.run = { ...this.run, phase };
    this.enqueue({ type: 'phase', runId: this.run.runId, phase });
  }

  /** Queues a message; while nobody drains (the panel is closed), only the newest graphs wait. */
  private enqueue(message: Queued): void {
    this.queued.push(message);
    const graphs = this.queued.filter((m) => m.type === 'graph').length;
    if (graphs > GRAPH_HISTORY_LIMIT) {
      const drop = this.queued.findIndex((m) => m.type === 'graph');
      this.queued.splice(drop, 1);
    }
  }

  /** The points of the changed series since the last drain, bucketed. */
  private seriesMessage(names: Iterable<string>): ToWebview | null {
    if (!this.run) return null;
    const series: Record<string, SeriesUpdate> = {};
    let any = false;
    for (const name of names) {
      const columns = this.curves.series.get(name);
      if (!columns) continue;
      let lod = this.lods.get(name);
      if (!lod) this.lods.set(name, (lod = new SeriesLod()));
      const update = lod.update(columns);
      if (!update) continue;
      series[name] = update;
      any = true;
    }
    return any ? { type: 'metrics', runId: this.run.runId, series } : null;
  }

  /**
   * Everything since the last drain: the run's start, then the series' new points (all that
   * arrived, however many events brought them: one message), then graphs, warnings and the end.
   */
  drain(): ToWebview[] {
    const out: ToWebview[] = [];
    if (this.startPending) out.push(this.startPending);
    this.startPending = null;
    const metrics = this.seriesMessage(this.changed);
    this.changed.clear();
    if (metrics) out.push(metrics);
    out.push(...this.queued);
    this.queued = [];
    return out;
  }

  /** Everything a freshly loaded webview needs to show the current run. Drops what is pending. */
  replay(): ToWebview[] {
    this.startPending = null;
    this.queued = [];
    this.changed.clear();
    if (!this.run) return [];
    const runId = this.run.runId;
    const out: ToWebview[] = [{ type: 'run-start', run: { ...this.run, status: 'running' }, settings: this.settings }];
    for (const lod of this.lods.values()) lod.resend();
    const metrics = this.seriesMessage(this.curves.series.keys());
    if (metrics) out.push(metrics);
    for (const snapshot of this.graphs) out.push({ type: 'graph', runId, snapshot });
    for (const warning of this.warnings) out.push({ type: 'warning', runId, warning });
    if (this.end) out.push({ type: 'run-end', runId, ...this.end });
    return out;
  }

  /** The shown run's curves as CSV, every point of every series; null when there is no run. */
  curvesCsv(): string | null {
    return this.run ? curvesToCsv(this.curves.series) : null;
  }
}

function panelWarning(event: WarningEvent): PanelWarning {
  const warning: PanelWarning = { kind: event.kind, message: event.message };
  if (event.epoch !== undefined) warning.epoch = event.epoch;
  if (event.series !== undefined) warning.series = event.series;
  if (event.location !== undefined) warning.location = event.location;
  if (event.lowest !== undefined) warning.lowest = event.lowest;
  return warning;
}

function runInfo(summary: RunRecordSummary): RunInfo {
  return { runId: summary.runId, label: basename(summary.script), script: summary.script, status: summary.status, startedAt: summary.startedAt };
}

/** An earlier run for Compare Runs…: its recorded curves, split and cut down as a live run's are. */
export function overlayRun(summary: RunRecordSummary, events: readonly RunEvent[]): OverlayRun {
  return { run: runInfo(summary), series: lodOfAll(recordedCurves(events)) };
}
