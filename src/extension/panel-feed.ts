/**
 * Turns the runner's event stream into panel messages (src/shared/panel-protocol.ts): metric
 * points batched per flush (the host flushes at 10 per second), the graph snapshots (the newest
 * GRAPH_HISTORY_LIMIT, for the snapshot picker), warnings, and the whole run again for a webview
 * that (re)loads. Pure: no vscode, unit-tested.
 */
import { basename } from 'node:path';
import type { FailureReason, GraphSnapshot, RunEvent, RunStatus, ScriptError } from '../runner/protocol.js';
import { encodeNumber, GRAPH_HISTORY_LIMIT, type PanelSettings, type PanelWarning, type RunInfo, type ToWebview, type WirePoint } from '../shared/panel-protocol.js';

export class PanelFeed {
  run: RunInfo | null = null;
  private series: Record<string, WirePoint[]> = {};
  private pendingSeries: Record<string, WirePoint[]> = {};
  private pending: ToWebview[] = [];
  private graphs: GraphSnapshot[] = [];
  private warnings: PanelWarning[] = [];
  private end: { status: RunStatus; error?: ScriptError; reason?: FailureReason } | null = null;

  constructor(private settings: PanelSettings) {}

  /** New settings; returns the message that applies them to an open panel (null if unchanged). */
  setSettings(settings: PanelSettings): ToWebview | null {
    if (settings.smoothing === this.settings.smoothing) return null;
    this.settings = settings;
    return { type: 'settings', settings };
  }

  /** Shows a recorded run (all its events at once). */
  load(events: readonly RunEvent[]): void {
    for (const e of events) this.onEvent(e);
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') {
      this.run = { runId: event.runId, label: basename(event.script), script: event.script, status: 'running', startedAt: event.startedAt };
      this.series = {};
      this.pendingSeries = {};
      this.graphs = [];
      this.warnings = [];
      this.end = null;
      this.pending = [{ type: 'run-start', run: this.run, settings: this.settings }];
      return;
    }
    if (!this.run || event.runId !== this.run.runId) return;
    const runId = this.run.runId;
    switch (event.type) {
      case 'metrics':
        for (const p of event.points) {
          const point: WirePoint = [p.step, encodeNumber(p.value)];
          (this.series[p.series] ??= []).push(point);
          (this.pendingSeries[p.series] ??= []).push(point);
        }
        break;
      case 'graph':
        this.graphs.push(event.snapshot);
        if (this.graphs.length > GRAPH_HISTORY_LIMIT) this.graphs.splice(0, this.graphs.length - GRAPH_HISTORY_LIMIT);
        this.flushSeries();
        this.pending.push({ type: 'graph', runId, snapshot: event.snapshot });
        break;
      case 'warning': {
        const warning: PanelWarning = { kind: event.kind, message: event.message };
        if (event.epoch !== undefined) warning.epoch = event.epoch;
        if (event.series !== undefined) warning.series = event.series;
        if (event.location !== undefined) warning.location = event.location;
        this.warnings.push(warning);
        this.flushSeries();
        this.pending.push({ type: 'warning', runId, warning });
        break;
      }
      case 'run-finished':
      case 'run-failed': {
        this.end = event.type === 'run-failed' ? { status: 'failed', error: event.error, reason: event.reason } : { status: event.status };
        this.run = { ...this.run, status: this.end.status };
        this.flushSeries();
        this.pending.push({ type: 'run-end', runId, ...this.end });
        break;
      }
      default:
        break;
    }
  }

  private flushSeries(): void {
    if (!this.run || Object.keys(this.pendingSeries).length === 0) return;
    this.pending.push({ type: 'metrics', runId: this.run.runId, series: this.pendingSeries });
    this.pendingSeries = {};
  }

  /** Messages since the last drain, in order (metric points merged into as few as possible). */
  drain(): ToWebview[] {
    this.flushSeries();
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Everything a freshly loaded webview needs to show the current run. Drops what is pending. */
  replay(): ToWebview[] {
    this.pending = [];
    this.pendingSeries = {};
    if (!this.run) return [];
    const runId = this.run.runId;
    const out: ToWebview[] = [{ type: 'run-start', run: { ...this.run, status: 'running' }, settings: this.settings }];
    if (Object.keys(this.series).length > 0) out.push({ type: 'metrics', runId, series: this.series });
    for (const snapshot of this.graphs) out.push({ type: 'graph', runId, snapshot });
    for (const warning of this.warnings) out.push({ type: 'warning', runId, warning });
    if (this.end) out.push({ type: 'run-end', runId, ...this.end });
    return out;
  }
}
