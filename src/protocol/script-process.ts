/**
 * The contract between the runner (parent side) and the script process it forks: the run's
 * configuration, handed over in the AUTOGRAD_LAB_RUN environment variable, and the events the
 * script process writes, one JSON line each, to the event pipe (fd EVENT_FD). The runner stamps
 * them into the public event stream of run-events.ts.
 */
import type { SeriesBatch } from '../series/columns.js';
import { decodeEventNumbers, isSeriesBatch, type GraphEvent, type MetricSeries, type ProbesEvent, type ScriptError, type StatusEvent, type Unstamped, type WarningEvent } from './run-events.js';
import { decodeNumbers } from './wire.js';

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
  | Unstamped<ProbesEvent | GraphEvent | WarningEvent | StatusEvent>
  | MetricColumns
  | { type: 'script-error'; error: ScriptError }
  | { type: 'memory'; rssBytes: number };

/**
 * Metric points as the script process sends them: the columns the `metrics` event carries
 * (parallel columns encode several times faster than an object per point, and encoding happens
 * on the training loop's time). The runner only stamps them.
 */
export interface MetricColumns extends SeriesBatch<MetricSeries> {
  type: 'metric-columns';
}

/**
 * Reads one line of the event pipe; null when it is not a well-formed event (a torn line from a
 * killed process, or something the learner's script wrote to the pipe).
 */
export function parseChildEvent(line: string): ChildEvent | null {
  let event: ChildEvent;
  try {
    event = JSON.parse(line) as ChildEvent;
  } catch {
    return null;
  }
  if (event === null || typeof event !== 'object' || typeof event.type !== 'string') return null;
  if (event.type === 'metric-columns') {
    if (!isSeriesBatch(event)) return null;
    decodeNumbers(event.values);
  } else if (event.type === 'probes' || event.type === 'graph' || event.type === 'warning') decodeEventNumbers(event);
  return event;
}
