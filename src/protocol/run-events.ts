/**
 * The runner's event stream: the one contract between a training run and everything that shows
 * it (the CLI, the VS Code extension, the webview panels, run records on disk). Every event is
 * plain JSON, carries the run it belongs to, a sequence number and the time since the run
 * started, so two runs at once never mix and a reader can resume from any point.
 *
 * Versioning: PROTOCOL_VERSION changes when an event's meaning or a required field changes;
 * optional fields may be added without a bump. Readers ignore event types they don't know.
 * Every JSON text of the stream spells non-finite numbers as wire.ts says.
 */

import type { SeriesBatch } from '../series/columns.js';
import { decodeFields, decodeNumber, decodeNumbers } from './wire.js';

// The event pipe's writer (runner/child/host.ts) and the probe bench import the codec from here;
// it lives in wire.ts.

/**
 * 2: a `metrics` event carries its points as columns (SeriesBatch), not an object per point.
 * Readers still read version-1 records (see parseEvent).
 */
export const PROTOCOL_VERSION = 2;

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
  /**
   * The value at hit `hits − 1`, exactly (history is decimated, so its last entries may be
   * further back): with `last`, what the ▲/▼ trend compares (series/trend.ts). Absent at the
   * first hit and in records made before it existed.
   */
  previous?: number;
}

export const PROBE_HISTORY_LIMIT = 2000;

// ------------------------------------------------------------------------------ metrics

/** One series of a metrics event: its name, where its points come from and (for a probe) its line. */
export interface MetricSeries {
  name: string;
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
  /**
   * The gradient that reached each of this node's outputs (index = output number), as the engine
   * handed them to the node's backward call; null where no gradient reached that output. A node
   * with several outputs (UnbindBackward0: one per unbound tensor) receives one per output, and
   * `grad` is only output 0's. Absent in records made before it existed.
   */
  grads?: (TensorPreview | null)[];
  /**
   * For a parameter (AccumulateGrad): the leaf's `.grad` right after this backward accumulated
   * into it (what a learner reads as `params.grad`; it also holds earlier backward()s' gradients
   * when they were not zeroed). Absent in records made before it existed.
   */
  leafGrad?: TensorPreview | null;
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
  /**
   * Which output of `from` this edge carries (PyTorch's `next_functions[inputNr][1]`): the
   * gradient sent along it lands in that output's gradient. Absent in records made before it
   * existed.
   */
  outputNr?: number;
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
  /** The version the run was recorded with: PROTOCOL_VERSION when written, maybe older when read. */
  protocolVersion: number;
  script: string;
  language: ScriptLanguage;
  engineVersion: string;
  /** ISO 8601 wall-clock start. */
  startedAt: string;
}
/**
 * What the script process is doing before the learner's script shows life: `loading-python` while
 * Pyodide and the torch layer load (seconds), `running` once the script itself runs. A run
 * without these events (TypeScript, or records made before they existed) is running from
 * `run-started` on.
 */
export type RunPhase = 'loading-python' | 'running';
export interface StatusEvent extends EventBase {
  type: 'status';
  phase: RunPhase;
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
/** New points since the previous metrics event, in the order they happened, as columns. */
export interface MetricsEvent extends EventBase, SeriesBatch<MetricSeries> {
  type: 'metrics';
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
  /**
   * For an overfitting warning: the point of `series` where validation was lowest, where it
   * turned up. The chart marks it. Absent in records made before it existed.
   */
  lowest?: { step: number; value: number };
}
/**
 * How the script process ended, as the runner saw it. Absent in records made before it existed.
 *   completed      the script ran to its end (or exited with code 0)
 *   exit-code      it ended with an exit code of its own: process.exit(n), sys.exit(n), process.exitCode
 *   error          an uncaught error (the event's `error`)
 *   stopped        Stop, Ctrl+C, or the end of the program that ran it
 *   memory-limit   it went over its memory limit and was killed
 *   signal         a signal the runner did not send ended it (`signal`)
 */
export interface RunEnding {
  how: 'completed' | 'exit-code' | 'error' | 'stopped' | 'memory-limit' | 'signal';
  /** The process's exit code; null when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended the process ('SIGKILL'); null when it exited by itself. */
  signal: string | null;
}

export interface RunFinishedEvent extends EventBase {
  type: 'run-finished';
  status: 'completed' | 'stopped';
  exitCode: number | null;
  durationMs: number;
  ending?: RunEnding;
  /**
   * Set by a run record (not by the runner) when the script printed more than the record keeps:
   * the bytes of output shown while the run ran but not recorded.
   */
  outputNotRecordedBytes?: number;
}
export interface RunFailedEvent extends EventBase {
  type: 'run-failed';
  reason: FailureReason;
  error: ScriptError;
  exitCode: number | null;
  durationMs: number;
  ending?: RunEnding;
  /** As on RunFinishedEvent. */
  outputNotRecordedBytes?: number;
}

export type RunEvent =
  | RunStartedEvent
  | StatusEvent
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

/**
 * Reads one JSON line of an event stream (a run record, `--json` output): null when it is not
 * a well-formed event. Non-finite numbers come back as numbers, and a version-1 `metrics` event
 * (an object per point) comes back as a version-2 one, so no reader needs to know version 1.
 */
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
  const event = e as RunEvent;
  if (event.type === 'metrics') {
    if (!Array.isArray(event.index)) upgradeMetricsV1(event);
    if (!isSeriesBatch(event)) return null;
  }
  decodeEventNumbers(event);
  return event;
}

/**
 * Whether columns read from JSON are a well-formed SeriesBatch: series with names, and columns
 * of one length whose indices point into `series` (values may still be wire-spelled).
 */
export function isSeriesBatch(batch: Partial<SeriesBatch>): boolean {
  const { series, index, steps, values } = batch;
  if (!Array.isArray(series) || !Array.isArray(index) || !Array.isArray(steps) || !Array.isArray(values)) return false;
  if (index.length !== steps.length || index.length !== values.length) return false;
  for (const s of series) if (s === null || typeof s !== 'object' || typeof s.name !== 'string') return false;
  for (let i = 0; i < index.length; i++) {
    const k = index[i];
    if (!Number.isInteger(k) || k! < 0 || k! >= series.length || typeof steps[i] !== 'number') return false;
  }
  return true;
}

/** A point of a version-1 metrics event. */
interface MetricPointV1 {
  series: string;
  step: number;
  value: number;
  source: MetricSeries['source'];
  /** On the first point of each series in an event. */
  location?: SourceLocation;
}

/** Rewrites, in place, a version-1 metrics event (`points`, an object each) as columns. */
function upgradeMetricsV1(event: MetricsEvent): void {
  const legacy = event as unknown as { points?: unknown };
  const points = Array.isArray(legacy.points) ? (legacy.points as Partial<MetricPointV1>[]) : [];
  delete legacy.points;
  const series: MetricSeries[] = [];
  const byName = new Map<string, number>();
  const index: number[] = [];
  const steps: number[] = [];
  const values: number[] = [];
  for (const p of points) {
    if (!p || typeof p.series !== 'string' || typeof p.step !== 'number') continue;
    let k = byName.get(p.series);
    if (k === undefined) {
      byName.set(p.series, (k = series.length));
      series.push({ name: p.series, source: p.source === 'tensorboard' ? 'tensorboard' : 'probe' });
    }
    if (p.location && series[k]!.location === undefined) series[k]!.location = p.location;
    index.push(k);
    steps.push(p.step);
    values.push(decodeNumber(p.value));
  }
  Object.assign(event, { series, index, steps, values });
}

function decodePreview(preview: TensorPreview | null | undefined): void {
  if (preview === null || typeof preview !== 'object') return;
  decodeNumbers(preview.values);
  decodeFields(preview, ['min', 'max', 'mean']);
}

/** Restores, in place, the numbers of a graph snapshot read from JSON. */
export function decodeGraphSnapshot(snapshot: GraphSnapshot): void {
  if (!snapshot || typeof snapshot !== 'object') return;
  if (Array.isArray(snapshot.nodes)) {
    for (const n of snapshot.nodes) {
      if (!n || typeof n !== 'object') continue;
      decodePreview(n.value);
      decodePreview(n.grad);
      decodePreview(n.leafGrad);
      if (Array.isArray(n.grads)) for (const g of n.grads) decodePreview(g);
    }
  }
  if (Array.isArray(snapshot.edges)) for (const e of snapshot.edges) if (e && typeof e === 'object') decodePreview(e.grad);
}

/** Restores, in place, the numbers of the event types that carry them (read from JSON). */
export function decodeEventNumbers(event: RunEvent | Unstamped): void {
  switch (event.type) {
    case 'metrics':
      decodeNumbers(event.values);
      break;
    case 'probes':
      if (Array.isArray(event.probes)) {
        for (const p of event.probes) {
          decodeFields(p, ['first', 'last', 'min', 'max', 'previous']);
          if (p && typeof p === 'object') decodeNumbers(p.history);
        }
      }
      break;
    case 'graph':
      decodeGraphSnapshot(event.snapshot);
      break;
    case 'warning':
      decodeFields(event.lowest, ['value']);
      break;
    default:
      break;
  }
}

/** Restores, in place, the numbers of a run summary read from JSON. */
export function decodeSummaryNumbers(summary: RunSummary): void {
  if (summary.series && typeof summary.series === 'object') for (const stats of Object.values(summary.series)) decodeFields(stats, ['last', 'min']);
}

// ------------------------------------------------------------------------------ run records

/** `.autograd-lab/runs/<runId>/summary.json`: what a list of earlier runs shows. */
export interface RunSummary {
  runId: string;
  /** The version the run was recorded with. */
  protocolVersion: number;
  script: string;
  language: ScriptLanguage;
  startedAt: string;
  status: RunStatus | 'running';
  durationMs?: number;
  /** Per series (named as SeriesNames splits them): the number of points, the last and the lowest value. */
  series: Record<string, { points: number; last: number; min: number }>;
  error?: ScriptError;
  /** How the script process ended (from the terminal event; absent in older records). */
  ending?: RunEnding;
  /** Bytes of output the script printed beyond what the record keeps (see RunRecordWriter). */
  outputNotRecordedBytes?: number;
}

export const RECORDS_DIR = '.autograd-lab/runs';
