/**
 * The contract between the runner (parent side) and the script process it forks: the run's
 * configuration, handed over in the AUTOGRAD_LAB_RUN environment variable (or, to a Python
 * process started ahead of its run, in a `start` message over IPC), and the events the script
 * process writes, one JSON line each, to the event pipe (fd EVENT_FD). The runner stamps them
 * into the public event stream of run-events.ts.
 */
import type { SeriesBatch } from '../series/columns.js';
import { decodeEventNumbers, isSeriesBatch, type FigureEvent, type GraphEvent, isFigure, type MetricSeries, type ProbesEvent, type ScriptError, type StatusEvent, type Unstamped, type WarningEvent } from './run-events.js';
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

/**
 * Set (to the language, 'python') in the environment of a script process started before its
 * run: it loads that language's runtime, says StandbyReady over IPC, and waits for StartMessage.
 */
export const STANDBY_ENV = 'AUTOGRAD_LAB_STANDBY';

/** What the runner sends the script process over IPC. */
export type RunnerMessage =
  /** The run, for a process started ahead of it (STANDBY_ENV). */
  | { type: 'start'; config: HostConfig }
  /** Stop: flush what the run holds and end. */
  | { type: 'stop' };

/** What a process started ahead of its run tells the runner over IPC: its runtime is loaded. */
export interface StandbyReady {
  type: 'standby-ready';
}

export function isStandbyReady(message: unknown): message is StandbyReady {
  return (message as { type?: unknown } | null)?.type === 'standby-ready';
}

/** A RunnerMessage as the script process receives it (anything else: null). */
export function parseRunnerMessage(message: unknown): RunnerMessage | null {
  const m = message as { type?: unknown; config?: unknown } | null;
  if (m?.type === 'stop') return { type: 'stop' };
  if (m?.type === 'start' && typeof m.config === 'object' && m.config !== null) return { type: 'start', config: m.config as HostConfig };
  return null;
}

/** The fd of the event pipe: stdio is [ignore, pipe, pipe, ipc, events]. */
export const EVENT_FD = 4;

/** An event as the script process reports it, before the host stamps run id and sequence. */
export type ChildEvent =
  | Unstamped<ProbesEvent | GraphEvent | WarningEvent | StatusEvent | FigureEvent>
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
  } else if (event.type === 'figure') {
    if (!isFigure(event)) return null;
  } else if (event.type === 'probes' || event.type === 'graph' || event.type === 'warning') decodeEventNumbers(event);
  return event;
}
