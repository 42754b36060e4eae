/**
 * The one message protocol between the extension host and the "Autograd Lab" webview panel.
 * Both sides import this module (the extension bundle and the browser bundle), so every message
 * is typed end to end. Only plain JSON crosses: non-finite numbers are sent as the runner's wire
 * format spells them (see encodeNumber / decodeNumber) because postMessage to a webview goes
 * through JSON.
 *
 * Type-only imports from the runner keep this module free of Node, vscode and DOM code.
 */
import type { FailureReason, GraphSnapshot, RunStatus, ScriptError, SourceLocation, WarningKind } from './run-events.js';
import type { OverfitMarker } from '../series/overfitting.js';

export const PANEL_PROTOCOL_VERSION = 1;

export type PanelView = 'curves' | 'graph';

/** A point of a curve on the wire: [step, value]; value may be 'NaN' / 'Infinity' / '-Infinity'. */
export type WirePoint = [number, number | string];

/**
 * What changed in one series since the previous update (src/shared/live-series.ts): the webview
 * keeps its first `from` points and puts `points` after them. A long series arrives as min–max
 * buckets of `stride` points each, so `points` can be far fewer than `total`.
 */
export interface SeriesUpdate {
  /** Points the series has (all of them, not only those sent). */
  total: number;
  /** Points of the series each bucket stands for (1: every point is sent). */
  stride: number;
  from: number;
  points: WirePoint[];
  /** The newest value and the one before it, for the ▲/▼ trend (buckets may not show them). */
  last: number | string;
  previous?: number | string;
}

export interface RunInfo {
  runId: string;
  /** The script's file name, for legends and titles. */
  label: string;
  script: string;
  status: RunStatus | 'running';
  startedAt: string;
}

export interface PanelWarning {
  kind: WarningKind;
  message: string;
  epoch?: number;
  series?: string;
  location?: SourceLocation;
}

export interface PanelSettings {
  /** Default smoothing weight for the curve slider (0 ≤ w < 1). */
  smoothing: number;
}

/** Extension → webview. */
export type ToWebview =
  /** A new live run began (or a recorded one is being shown): curves and graph start empty. */
  | { type: 'run-start'; run: RunInfo; settings: PanelSettings }
  /**
   * The series that changed since the last update, and the overfitting markers found on all of
   * their points. At most one of these is in flight: the host coalesces while it is delivered.
   */
  | { type: 'metrics'; runId: string; series: Record<string, SeriesUpdate>; markers: OverfitMarker[] }
  | { type: 'graph'; runId: string; snapshot: GraphSnapshot }
  | { type: 'warning'; runId: string; warning: PanelWarning }
  | { type: 'run-end'; runId: string; status: RunStatus; error?: ScriptError; reason?: FailureReason }
  /** Earlier runs to overlay (replaces the previous overlay set). */
  | { type: 'overlay'; runs: { run: RunInfo; series: Record<string, WirePoint[]> }[] }
  | { type: 'show-view'; view: PanelView }
  /** The `autogradLab.*` settings changed while the panel is open: applied at once. */
  | { type: 'settings'; settings: PanelSettings };

/** How many graph snapshots of a run the panel keeps for the snapshot picker (the newest ones). */
export const GRAPH_HISTORY_LIMIT = 20;

/** Which graph snapshot the Graph view shows and how far Step backward has gone in it. */
export interface GraphViewState {
  /** The snapshot's backwardIndex; absent = follow the newest snapshot as it arrives. */
  backwardIndex?: number;
  /** −1 = before backward(), k = after step k, 'all' = the whole backward pass. */
  step: number | 'all';
}

/** What the webview keeps with getState/setState (and the serializer hands back). */
export interface PanelState {
  version: typeof PANEL_PROTOCOL_VERSION;
  view: PanelView;
  logScale: boolean;
  smoothing: number;
  hiddenSeries: string[];
  /** The run shown when the panel was last open, to restore it from the run record. */
  runId?: string;
  graph?: GraphViewState;
}

export type ExportFormat = 'png' | 'csv' | 'dot' | 'json';

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready'; state?: PanelState }
  | { type: 'open-location'; location: SourceLocation }
  | { type: 'export'; format: ExportFormat; suggestedName: string; /** text, or base64 for png */ content: string }
  /** Export CSV: the host writes it from every point it holds (the webview may hold buckets). */
  | { type: 'export-curves-csv'; suggestedName: string }
  | { type: 'compare-runs' }
  | { type: 'view-changed'; view: PanelView };

export function encodeNumber(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function decodeNumber(value: number | string | null): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return NaN;
}

export function isToWebview(value: unknown): value is ToWebview {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function isFromWebview(value: unknown): value is FromWebview {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'open-location' || type === 'export' || type === 'export-curves-csv' || type === 'compare-runs' || type === 'view-changed';
}

export const DEFAULT_PANEL_STATE: PanelState = {
  version: PANEL_PROTOCOL_VERSION,
  view: 'curves',
  logScale: false,
  smoothing: 0.6,
  hiddenSeries: [],
};

/** A state read back from the webview or the serializer: anything malformed falls back to defaults. */
export function sanitizeState(value: unknown): PanelState {
  const s = (typeof value === 'object' && value !== null ? value : {}) as Partial<PanelState>;
  const smoothing = typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : DEFAULT_PANEL_STATE.smoothing;
  const state: PanelState = {
    version: PANEL_PROTOCOL_VERSION,
    view: s.view === 'graph' ? 'graph' : 'curves',
    logScale: s.logScale === true,
    smoothing,
    hiddenSeries: Array.isArray(s.hiddenSeries) ? s.hiddenSeries.filter((x): x is string => typeof x === 'string') : [],
  };
  if (typeof s.runId === 'string' && /^[A-Za-z0-9._-]+$/.test(s.runId)) state.runId = s.runId;
  const g = (typeof s.graph === 'object' && s.graph !== null ? s.graph : null) as Partial<GraphViewState> | null;
  if (g) {
    const step = g.step === 'all' ? 'all' : Number.isInteger(g.step) && (g.step as number) >= -1 ? (g.step as number) : -1;
    state.graph = { step };
    if (Number.isInteger(g.backwardIndex) && (g.backwardIndex as number) >= 1) state.graph.backwardIndex = g.backwardIndex as number;
  }
  return state;
}
