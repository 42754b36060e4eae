/**
 * The runner's event stream: the one contract between a training run and everything that shows
 * it (the CLI, the VS Code extension, the webview panels, run records on disk). Every event is
 * plain JSON, carries the run it belongs to, a sequence number and the time since the run
 * started, so two runs at once never mix and a reader can resume from any point.
 *
 * Versioning: PROTOCOL_VERSION changes when an event's meaning or a required field changes;
 * optional fields may be added without a bump. Readers ignore event types they don't know.
 */

export const PROTOCOL_VERSION = 1;

export type ScriptLanguage = 'typescript' | 'javascript' | 'python';

/** A place in the learner's source: 1-based line and column, in the file as they wrote it. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

// ------------------------------------------------------------------------------ line probes

/**
 * What one source line computed, over the run: a scalar (a number or a one-element tensor)
 * assigned to `name`. The gutter draws `history` as a sparkline.
 */
export interface ProbeSnapshot {
  /** Stable within a run: `<file>:<line>:<name>`. */
  id: string;
  file: string;
  line: number;
  name: string;
  /** How many times the line ran (in a training loop: the epoch). */
  hits: number;
  first: number;
  last: number;
  min: number;
  max: number;
  /**
   * A bounded, evenly decimated series: `history[i]` is the value at hit `1 + i * historyStep`.
   * At most PROBE_HISTORY_LIMIT values; `last` is always exact even when it is not in here.
   */
  history: number[];
  historyStep: number;
}

export const PROBE_HISTORY_LIMIT = 2000;

// ------------------------------------------------------------------------------ metrics

/** One point of a loss curve: the value of series `series` at `step` (epoch or global step). */
export interface MetricPoint {
  series: string;
  step: number;
  value: number;
  /** 'probe': a scalar named like a loss in the script; 'tensorboard': SummaryWriter.add_scalar. */
  source: 'probe' | 'tensorboard';
  location?: SourceLocation;
}

/** Names that make a probed scalar a loss series: loss, train_loss, val_loss, *_loss, loss_*. */
export const LOSS_NAME = /^(loss|.+_loss|loss_.+)$/i;

// ------------------------------------------------------------------------------ graph snapshots

/** A bounded look at a tensor's values. */
export interface TensorPreview {
  shape: number[];
  dtype: string;
  /** The first values in row-major order (all of them when `truncated` is false). */
  values: number[];
  truncated: boolean;
  min: number;
  max: number;
  mean: number;
}

export type GraphNodeKind =
  /** A backward function (`MulBackward0`, ...). */
  | 'function'
  /** An AccumulateGrad node: where a leaf that requires grad receives its gradient. */
  | 'parameter'
  /**
   * A tensor an op read that needs no gradient (requires_grad=False: the learner's data, `t_u`,
   * `t_c`). It never receives a gradient; its edges carry none. Newer than the first version-1
   * records, which simply have no such nodes.
   */
  | 'data'
  /** Stands for nodes left out of a graph above the node limit. */
  | 'summary';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** PyTorch's name: `MeanBackward0`, `AccumulateGrad`; for a summary node, a description. */
  name: string;
  /** Shape and dtype of the tensor this node's forward produced (for a parameter or data: the leaf). */
  shape: number[];
  dtype: string;
  /** The leaf's name from the script (`params`, `model.hidden_linear.weight`, `t_u`), where known. */
  tensorName?: string;
  /** The forward value, when the snapshot's epoch was captured (for data: its values when read). */
  value?: TensorPreview;
  /** The gradient that reached this node's output in that backward; null = not computed yet. */
  grad: TensorPreview | null;
  /** Where the op that created this node was called. */
  location?: SourceLocation;
  /** Position in the backward pass (0 = first to run); absent if it did not run. */
  backwardOrder?: number;
  /** For a summary node: how many nodes it stands for. */
  hiddenCount?: number;
  /**
   * The local derivative the engine applies, explained per input (index = inputNr), from the
   * op's own entry in the engine (its forward and derivative live together). For AccumulateGrad:
   * how the gradient lands in `.grad`. Absent in records made before it existed.
   */
  localDerivatives?: string[];
}

/** Data flows forward from `from` to `to`; the gradient flows back along the same edge. */
export interface GraphEdge {
  from: string;
  to: string;
  /** Which input of `to` this edge feeds (the index in `to`'s next_functions). */
  inputNr: number;
  /** The gradient sent from `to` back to `from` along this edge, when captured. */
  grad?: TensorPreview | null;
}

export interface GraphSnapshot {
  /** Which backward() of the run this is (1 = the first). */
  backwardIndex: number;
  /** The node of the tensor being differentiated (the loss). */
  rootId: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Set when the graph was larger than the node limit and was summarized. */
  truncated?: { shownNodes: number; totalNodes: number };
  /** Set when the ops read more data tensors than a snapshot shows; the rest are left out. */
  truncatedData?: { shownLeaves: number; totalLeaves: number };
}

// ------------------------------------------------------------------------------ events

export type WarningKind = 'nan' | 'divergence' | 'overfitting' | 'engine';

export type RunStatus = 'completed' | 'stopped' | 'failed';

export type FailureReason = 'error' | 'memory-limit' | 'crash';

export interface ScriptError {
  /** `RuntimeError`, `TypeError`, `SyntaxError`, ... */
  name: string;
  message: string;
  /** The stack with frames mapped to the learner's files and engine-internal frames removed. */
  stack: string;
  /** The learner's line the error came from (the innermost frame in their files). */
  location?: SourceLocation;
}

interface EventBase {
  runId: string;
  /** 0, 1, 2, ... in the order events happened within the run. */
  seq: number;
  /** Milliseconds since the run started. */
  time: number;
}

export interface RunStartedEvent extends EventBase {
  type: 'run-started';
  protocolVersion: typeof PROTOCOL_VERSION;
  script: string;
  language: ScriptLanguage;
  engineVersion: string;
  /** ISO 8601 wall-clock start. */
  startedAt: string;
}
export interface OutputEvent extends EventBase {
  type: 'output';
  stream: 'stdout' | 'stderr';
  text: string;
}
export interface ProbesEvent extends EventBase {
  type: 'probes';
  /** The probes that changed since the previous probes event, each complete. */
  probes: ProbeSnapshot[];
}
export interface MetricsEvent extends EventBase {
  type: 'metrics';
  /** New points since the previous metrics event, in order. */
  points: MetricPoint[];
}
export interface GraphEvent extends EventBase {
  type: 'graph';
  snapshot: GraphSnapshot;
}
export interface WarningEvent extends EventBase {
  type: 'warning';
  kind: WarningKind;
  message: string;
  location?: SourceLocation;
  /** The epoch (probe hit count or step) it refers to. */
  epoch?: number;
  series?: string;
}
export interface RunFinishedEvent extends EventBase {
  type: 'run-finished';
  status: 'completed' | 'stopped';
  exitCode: number | null;
  durationMs: number;
}
export interface RunFailedEvent extends EventBase {
  type: 'run-failed';
  reason: FailureReason;
  error: ScriptError;
  exitCode: number | null;
  durationMs: number;
}

export type RunEvent =
  | RunStartedEvent
  | OutputEvent
  | ProbesEvent
  | MetricsEvent
  | GraphEvent
  | WarningEvent
  | RunFinishedEvent
  | RunFailedEvent;

export type RunEventType = RunEvent['type'];

/** An event before the host stamps it with run id, sequence number and time. */
export type Unstamped<E extends RunEvent = RunEvent> = E extends RunEvent ? Omit<E, keyof EventBase> : never;

/** True for the two events that end a run. */
export function isTerminal(event: RunEvent): event is RunFinishedEvent | RunFailedEvent {
  return event.type === 'run-finished' || event.type === 'run-failed';
}

/** Parses one JSON line of an event stream; null when it is not a well-formed event. */
export function parseEvent(line: string): RunEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const e = value as Partial<RunEvent>;
  if (typeof e.type !== 'string' || typeof e.runId !== 'string' || typeof e.seq !== 'number' || typeof e.time !== 'number') return null;
  return e as RunEvent;
}

// ------------------------------------------------------------------------------ JSON wire format

/*
 * JSON has no NaN or Infinity, and a loss that became NaN is exactly what a learner needs to
 * see. In every JSON text of the stream (the script process's pipe, --json output, run records)
 * a non-finite number is written as the string "NaN", "Infinity" or "-Infinity"; readers turn
 * them back into numbers with decodeEventNumbers (a null there, as plain JSON.stringify writes
 * NaN, also reads as NaN).
 */

function encodeNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  return value;
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasNonFinite(value[i])) return true;
    return false;
  }
  for (const key in value) if (hasNonFinite((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** One event (or summary) as a JSON line's text, non-finite numbers spelled as strings. */
export function encodeJson(value: unknown): string {
  // A replacer makes JSON.stringify about 3x slower; most events have nothing to replace.
  return hasNonFinite(value) ? JSON.stringify(value, encodeNonFinite) : JSON.stringify(value);
}

export function decodeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return NaN; // 'NaN', null (what plain JSON.stringify makes of NaN), anything else
}

function decodeNumberArray(values: unknown): void {
  if (!Array.isArray(values)) return;
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') values[i] = decodeNumber(values[i]);
  }
}

/** Restores non-finite numbers in the named fields of one object. */
export function decodeFields(obj: unknown, fields: readonly string[]): void {
  if (obj === null || typeof obj !== 'object') return;
  const rec = obj as Record<string, unknown>;
  for (const f of fields) if (f in rec && typeof rec[f] !== 'number') rec[f] = decodeNumber(rec[f]);
}

function decodePreview(preview: TensorPreview | null | undefined): void {
  if (preview === null || typeof preview !== 'object') return;
  decodeNumberArray(preview.values);
  decodeFields(preview, ['min', 'max', 'mean']);
}

/** Restores non-finite numbers in the numeric fields of the event types that carry them. */
export function decodeEventNumbers(event: RunEvent): void {
  switch (event.type) {
    case 'metrics':
      if (Array.isArray(event.points)) for (const p of event.points) decodeFields(p, ['value']);
      break;
    case 'probes':
      if (Array.isArray(event.probes)) {
        for (const p of event.probes) {
          decodeFields(p, ['first', 'last', 'min', 'max']);
          if (p && typeof p === 'object') decodeNumberArray(p.history);
        }
      }
      break;
    case 'graph': {
      const snap = event.snapshot;
      if (snap && typeof snap === 'object') {
        if (Array.isArray(snap.nodes)) for (const n of snap.nodes) if (n && typeof n === 'object') (decodePreview(n.value), decodePreview(n.grad));
        if (Array.isArray(snap.edges)) for (const e of snap.edges) if (e && typeof e === 'object') decodePreview(e.grad);
      }
      break;
    }
    default:
      break;
  }
}

// ------------------------------------------------------------------------------ run records

/** `.autograd-lab/runs/<runId>/summary.json`: what a list of earlier runs shows. */
export interface RunSummary {
  runId: string;
  protocolVersion: typeof PROTOCOL_VERSION;
  script: string;
  language: ScriptLanguage;
  startedAt: string;
  status: RunStatus | 'running';
  durationMs?: number;
  /** Per loss series: the number of points and the last value. */
  series: Record<string, { points: number; last: number; min: number }>;
  error?: ScriptError;
}

export const RECORDS_DIR = '.autograd-lab/runs';
