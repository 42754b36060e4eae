/**
 * The one message protocol between the extension host and the "Autograd Lab" webview panel.
 * Both sides import this module (the extension bundle and the browser bundle), so every message
 * is typed end to end. A message to the webview crosses as the JSON text wire.ts writes (so NaN
 * and ±Inf survive), and is read back by decodeToWebview, which checks it against the list of
 * message types below and restores its numbers. Messages from the webview are checked against
 * their own list (isFromWebview) before the host acts on them.
 */
import { decodeGraphSnapshot, type FailureReason, type GraphSnapshot, type RunPhase, type RunStatus, type ScriptError, type ScriptLanguage, type SourceLocation, type WarningKind } from './run-events.js';
import { decodeFields, decodeNumbers, encodeJson } from './wire.js';

export const PANEL_PROTOCOL_VERSION = 1;

export const PANEL_VIEWS = ['curves', 'graph'] as const;
export type PanelView = (typeof PANEL_VIEWS)[number];

/**
 * What changed in one series since the previous update (extension/series-lod.ts), as columns:
 * the webview keeps its first `from` points and puts these after them. A long series arrives as
 * min–max buckets of `stride` points each, so there can be far fewer points than `total`.
 */
export interface SeriesUpdate {
  /** Points the series has (all of them, not only those sent). */
  total: number;
  /** Points of the series each bucket stands for (1: every point is sent). */
  stride: number;
  from: number;
  steps: number[];
  values: number[];
  /** The newest value and the one before it, for the ▲/▼ trend (buckets may not show them). */
  last: number;
  previous?: number;
}

export interface RunInfo {
  runId: string;
  /** The script's file name, for legends and titles. */
  label: string;
  script: string;
  status: RunStatus | 'running';
  startedAt: string;
  /** The script's language (a Python run shows "Loading Python…" until its script runs). */
  language?: ScriptLanguage;
  /** What the script process is doing before the script shows life; absent: running. */
  phase?: RunPhase;
}

export interface PanelWarning {
  kind: WarningKind;
  message: string;
  epoch?: number;
  series?: string;
  location?: SourceLocation;
  /** For an overfitting warning: where validation was lowest (the chart's marker). */
  lowest?: { step: number; value: number };
}

/**
 * How the learner set up the curves: kept per workspace by the host (workspaceState, so a new
 * run, another script or a reload keeps them), the `autogradLab.curves.smoothing` setting as the
 * default until the learner moves the slider.
 */
export interface PanelSettings {
  /** Smoothing weight of the curve slider (0 ≤ w < 1). */
  smoothing: number;
  /** Log-scale y axis (absent: linear). */
  logScale?: boolean;
}

/** An earlier run overlaid on the curves: its series, cut down as the live ones are. */
export interface OverlayRun {
  run: RunInfo;
  series: Record<string, SeriesUpdate>;
}

/** Extension → webview, by type: the one list of these messages. */
interface ToWebviewMessages {
  /** A new live run began (or a recorded one is being shown): curves and graph start empty. */
  'run-start': { run: RunInfo; settings: PanelSettings };
  /**
   * The series that changed since the last update. At most one of these is in flight: the host
   * coalesces while it is delivered.
   */
  metrics: { runId: string; series: Record<string, SeriesUpdate> };
  graph: { runId: string; snapshot: GraphSnapshot };
  warning: { runId: string; warning: PanelWarning };
  'run-end': { runId: string; status: RunStatus; error?: ScriptError; reason?: FailureReason };
  /** Earlier runs to overlay (replaces the previous overlay set; none: cleared). */
  overlay: { runs: OverlayRun[] };
  /** The script process of the shown run moved on (a Python run: Pyodide loaded, the script runs). */
  phase: { runId: string; phase: RunPhase };
  'show-view': { view: PanelView };
  /** The `autogradLab.*` settings changed while the panel is open: applied at once. */
  settings: { settings: PanelSettings };
}

type Tagged<M> = { [K in keyof M]: { type: K } & M[K] }[keyof M];

export type ToWebview = Tagged<ToWebviewMessages>;

/** How many graph snapshots of a run the panel keeps for the snapshot picker (the newest ones). */
export const GRAPH_HISTORY_LIMIT = 20;

/** Which graph snapshot the Graph view shows and how far Step backward has gone in it. */
export interface GraphViewState {
  /** The snapshot's backwardIndex; absent = follow the newest snapshot as it arrives. */
  backwardIndex?: number;
  /** −1 = before backward(), k = after step k, 'all' = the whole backward pass. */
  step: number | 'all';
  /** The legend is open (it starts folded, to leave the graph the room). */
  legend?: boolean;
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

export const EXPORT_FORMATS = ['png', 'csv', 'dot', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Webview → extension, by type: the one list of these messages. */
interface FromWebviewMessages {
  ready: { state?: PanelState };
  'open-location': { location: SourceLocation };
  export: { format: ExportFormat; suggestedName: string; /** text, or base64 for png */ content: string };
  /** Export CSV: the host writes it from every point it holds (the webview may hold buckets). */
  'export-curves-csv': { suggestedName: string };
  'compare-runs': Record<never, never>;
  'view-changed': { view: PanelView };
  /** The learner moved the smoothing slider or toggled log scale: the host keeps it for the workspace. */
  'curves-settings': { settings: PanelSettings };
  /** Clear on the overlay list: the host forgets the overlaid runs. */
  'clear-overlays': Record<never, never>;
}

export type FromWebview = Tagged<FromWebviewMessages>;

// ------------------------------------------------------------------------------ checks

/**
 * Per message type: whether a message read from JSON has the fields its receiver acts on; it
 * restores the message's numbers in place. Typed by the message lists, so a type without a check
 * (or a check for no type) does not compile.
 */
type Checks<M> = { [K in keyof M]: (m: Record<string, unknown>) => boolean };

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => list.includes(v as T);

function isLocation(v: unknown): v is SourceLocation {
  return isRecord(v) && isString(v.file) && v.file !== '' && isCount(v.line) && v.line >= 1 && isCount(v.column);
}

function isRunInfo(v: unknown): v is RunInfo {
  return isRecord(v) && isString(v.runId) && isString(v.label) && isString(v.script) && isString(v.status) && isString(v.startedAt);
}

function isSettings(v: unknown): v is PanelSettings {
  return isRecord(v) && typeof v.smoothing === 'number' && v.smoothing >= 0 && v.smoothing < 1 && (v.logScale === undefined || typeof v.logScale === 'boolean');
}

function readSeriesUpdate(v: unknown): boolean {
  if (!isRecord(v) || !isCount(v.total) || !isCount(v.stride) || !isCount(v.from)) return false;
  if (!Array.isArray(v.steps) || !Array.isArray(v.values) || v.steps.length !== v.values.length) return false;
  decodeNumbers(v.values);
  decodeFields(v, ['last', 'previous']);
  return true;
}

function readSeries(v: unknown): boolean {
  return isRecord(v) && Object.values(v).every(readSeriesUpdate);
}

function readWarning(v: unknown): boolean {
  if (!isRecord(v) || !isString(v.kind) || !isString(v.message)) return false;
  if (v.location !== undefined && !isLocation(v.location)) return false;
  if (v.lowest !== undefined) {
    if (!isRecord(v.lowest) || typeof v.lowest.step !== 'number') return false;
    decodeFields(v.lowest, ['value']);
  }
  return true;
}

function readSnapshot(v: unknown): boolean {
  if (!isRecord(v) || !Array.isArray(v.nodes) || !Array.isArray(v.edges) || !isString(v.rootId)) return false;
  decodeGraphSnapshot(v as unknown as GraphSnapshot);
  return true;
}

const RUN_PHASES: readonly RunPhase[] = ['loading-python', 'running'];

const TO_WEBVIEW: Checks<ToWebviewMessages> = {
  'run-start': (m) => isRunInfo(m.run) && isSettings(m.settings),
  metrics: (m) => isString(m.runId) && readSeries(m.series),
  graph: (m) => isString(m.runId) && readSnapshot(m.snapshot),
  warning: (m) => isString(m.runId) && readWarning(m.warning),
  'run-end': (m) => isString(m.runId) && isString(m.status),
  overlay: (m) => Array.isArray(m.runs) && m.runs.every((r) => isRecord(r) && isRunInfo(r.run) && readSeries(r.series)),
  'show-view': (m) => isOneOf(PANEL_VIEWS, m.view),
  settings: (m) => isSettings(m.settings),
  phase: (m) => isString(m.runId) && isOneOf(RUN_PHASES, m.phase),
};

const FROM_WEBVIEW: Checks<FromWebviewMessages> = {
  ready: () => true, // the state is sanitized where it is used (sanitizeState)
  'open-location': (m) => isLocation(m.location),
  export: (m) => isOneOf(EXPORT_FORMATS, m.format) && isString(m.suggestedName) && isString(m.content),
  'export-curves-csv': (m) => isString(m.suggestedName),
  'compare-runs': () => true,
  'view-changed': (m) => isOneOf(PANEL_VIEWS, m.view),
  'curves-settings': (m) => isSettings(m.settings),
  'clear-overlays': () => true,
};

function check<M>(checks: Checks<M>, value: unknown): boolean {
  if (!isRecord(value) || !isString(value.type) || !Object.hasOwn(checks, value.type)) return false;
  return checks[value.type as keyof M](value);
}

/** A message to the webview as it crosses: JSON text, NaN and ±Inf spelled (wire.ts). */
export function encodeToWebview(message: ToWebview): string {
  return encodeJson(message);
}

/** A message the webview received, checked and with its numbers restored; null if it is not one. */
export function decodeToWebview(data: unknown): ToWebview | null {
  if (!isString(data)) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  return check(TO_WEBVIEW, value) ? (value as ToWebview) : null;
}

export function isFromWebview(value: unknown): value is FromWebview {
  return check(FROM_WEBVIEW, value);
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
    if (g.legend === true) state.graph.legend = true;
  }
  return state;
}
