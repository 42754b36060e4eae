/**
 * The contract between the runner (parent side) and the script process it forks: the run's
 * configuration, handed over in the AUTOGRAD_LAB_RUN environment variable, and the events the
 * script process writes, one JSON line each, to the event pipe (fd EVENT_FD). The runner stamps
 * them into the public event stream of run-events.ts.
 */
import { decodeEventNumbers, decodeNumber, type GraphEvent, type MetricPoint, type MetricsEvent, type ProbesEvent, type RunEvent, type ScriptError, type SourceLocation, type Unstamped, type WarningEvent } from './run-events.js';

/** What the runner tells the script process (JSON in the AUTOGRAD_LAB_RUN variable). */
export interface HostConfig {
  script: string;
  /** Files under this folder (outside node_modules) are the learner's. */
  userRoot: string;
  probes: boolean;
  graph: boolean;
  /** Most values kept in a probe's history (the autogradLab.probeHistorySize setting); default PROBE_HISTORY_LIMIT. */
  probeHistoryLimit?: number;
}

/** The fd of the event pipe: stdio is [ignore, pipe, pipe, ipc, events]. */
export const EVENT_FD = 4;

/** An event as the script process reports it, before the host stamps run id and sequence. */
export type ChildEvent =
  | Unstamped<ProbesEvent | MetricsEvent | GraphEvent | WarningEvent>
  | MetricColumns
  | { type: 'script-error'; error: ScriptError }
  | { type: 'memory'; rssBytes: number };

/**
 * Metric points as the script process sends them: parallel columns encode several times faster
 * than an object per point, and encoding happens on the training loop's time. The host expands
 * them into a MetricsEvent.
 */
export interface MetricColumns {
  type: 'metric-columns';
  /** The distinct series of the batch, with their source and (for probes) their line. */
  series: { name: string; source: MetricPoint['source']; location?: SourceLocation }[];
  /** Per point: an index into `series`, the step and the value. */
  index: number[];
  steps: number[];
  values: number[];
}

/** The points of a MetricColumns batch; the first point of each series carries its location. */
export function expandMetricColumns(columns: MetricColumns): MetricPoint[] {
  const located = new Set<number>();
  const points: MetricPoint[] = new Array(columns.index.length);
  for (let i = 0; i < columns.index.length; i++) {
    const k = columns.index[i]!;
    const s = columns.series[k]!;
    const point: MetricPoint = { series: s.name, step: columns.steps[i]!, value: columns.values[i]!, source: s.source };
    if (s.location && !located.has(k)) {
      located.add(k);
      point.location = s.location;
    }
    points[i] = point;
  }
  return points;
}


/** Restores non-finite numbers in a script-process event (see run-events.ts's wire format). */
export function decodeChildEventNumbers(event: ChildEvent): void {
  if (event.type === 'metric-columns') {
    for (let i = 0; i < event.values.length; i++) {
      if (typeof event.values[i] !== 'number') event.values[i] = decodeNumber(event.values[i]);
    }
  } else if (event.type === 'probes' || event.type === 'graph' || event.type === 'metrics') {
    decodeEventNumbers(event as RunEvent);
  }
}
