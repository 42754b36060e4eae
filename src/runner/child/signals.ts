/**
 * Warnings read off loss curves, each given once per series: a loss that became NaN or ±Inf,
 * a loss that grew 10× over its first value (divergence), and a validation loss rising while
 * the training loss keeps falling (overfitting: the chapter's rule two, with where validation
 * was lowest, which the chart marks). Pure: values go in through `SignalMonitor.observe`,
 * warning events come out through a callback.
 */
import { formatValue } from '../../protocol/number-format.js';
import type { SourceLocation, WarningEvent } from '../../protocol/run-events.js';
import { OverfitDetector, pairRole, RULE_TWO, type OverfitFinding, type OverfitOptions } from '../../series/overfitting.js';

/** A warning as the script process reports it (the host stamps run id, sequence and time). */
export type SignalWarning = Omit<WarningEvent, 'runId' | 'seq' | 'time'>;

/** How a step is called in messages: a probe's hit count is an epoch, a logged step a step. */
export type StepUnit = 'epoch' | 'step';

/** The factor over the first value that counts as divergence. */
export const DIVERGENCE_FACTOR = 10;

function where(step: number, unit: StepUnit, location: SourceLocation | undefined): string {
  return location === undefined ? `at ${unit} ${step}` : `at ${unit} ${step} (line ${location.line})`;
}

/** `loss became nan at epoch 3 (line 18)`: the value as PyTorch prints it (`nan`, `inf`, `-inf`). */
export function nonFiniteMessage(series: string, value: number, step: number, unit: StepUnit = 'epoch', location?: SourceLocation): string {
  return `${series} became ${formatValue(value)} ${where(step, unit, location)}`;
}

export function divergenceMessage(series: string, step: number, unit: StepUnit = 'epoch', location?: SourceLocation): string {
  return `${series} grew more than ${DIVERGENCE_FACTOR}× over its first value ${where(step, unit, location)}: learning rate too high?`;
}

export function overfittingMessage(
  train: string,
  val: string,
  found: OverfitFinding,
  unit: StepUnit = 'epoch',
  location?: SourceLocation,
): string {
  const plural = unit === 'epoch' ? 'epochs' : 'steps';
  return (
    `${val} has been rising for ${found.risingFor} ${plural} while ${train} keeps falling ${where(found.step, unit, location)}; ` +
    `it was lowest at ${unit} ${found.minStep}. The chapter’s rule two: ${RULE_TWO}.`
  );
}

// ------------------------------------------------------------------------------ the monitor

/** An opaque handle to one series of a SignalMonitor. */
export interface SeriesHandle {
  readonly name: string;
}

interface SeriesState {
  name: string;
  first: number | null;
  warnedDivergence: boolean;
  role: 'train' | 'val' | 'none';
  pair: PairState;
}

interface PairState {
  train: SeriesState | null;
  plain: SeriesState | null;
  val: SeriesState | null;
  lastTrain: { step: number; value: number } | null;
  lastVal: { step: number; value: number; location: SourceLocation | undefined; unit: StepUnit } | null;
  detector: OverfitDetector | null;
}

export interface SignalMonitorOptions extends OverfitOptions {}

/**
 * Watches loss series. `observe` every point in order; warnings go to `onWarning` as they are
 * found. NaN/±Inf is reported once per series name, divergence once per series, overfitting
 * once per train/val pair.
 */
export class SignalMonitor {
  private readonly series = new Map<string, SeriesState>();
  private readonly pairs = new Map<string, PairState>();
  private readonly nonFiniteWarned = new Set<string>();

  constructor(
    private readonly onWarning: (warning: SignalWarning) => void,
    private readonly options: SignalMonitorOptions = {},
  ) {}

  /**
   * Reports a first NaN/±Inf of `series` (once per name) without making the value part of the
   * series: for a value seen once, before it is known to be a curve. True if `value` is finite.
   */
  checkFinite(series: string, step: number, value: number, location?: SourceLocation, unit: StepUnit = 'epoch'): boolean {
    if (Number.isFinite(value)) return true;
    if (this.nonFiniteWarned.has(series)) return false;
    this.nonFiniteWarned.add(series);
    this.onWarning({
      type: 'warning',
      kind: 'nan',
      message: nonFiniteMessage(series, value, step, unit, location),
      ...(location !== undefined ? { location } : {}),
      epoch: step,
      series,
    });
    return false;
  }

  /** The next point of a loss series. */
  observe(series: string, step: number, value: number, location?: SourceLocation, unit: StepUnit = 'epoch'): void {
    this.observeSeries(this.track(series), step, value, location, unit);
  }

  /** The handle of a series, for observeSeries (saves the lookup by name on a hot path). */
  track(series: string): SeriesHandle {
    return this.series.get(series) ?? this.add(series);
  }

  /** `observe` through a handle from `track`. */
  observeSeries(handle: SeriesHandle, step: number, value: number, location?: SourceLocation, unit: StepUnit = 'epoch'): void {
    const state = handle as SeriesState;
    const series = state.name;
    if (value !== value || value === Infinity || value === -Infinity) {
      this.checkFinite(series, step, value, location, unit);
      return;
    }
    if (state.first === null) state.first = value;
    else if (!state.warnedDivergence && state.first > 0 && value > DIVERGENCE_FACTOR * state.first) {
      state.warnedDivergence = true;
      this.onWarning({
        type: 'warning',
        kind: 'divergence',
        message: divergenceMessage(series, step, unit, location),
        ...(location !== undefined ? { location } : {}),
        epoch: step,
        series,
      });
    }
    this.pairPoint(state, step, value, location, unit);
  }

  private add(name: string): SeriesState {
    const { role, key } = pairRole(name);
    let pair = this.pairs.get(key);
    if (pair === undefined) {
      pair = { train: null, plain: null, val: null, lastTrain: null, lastVal: null, detector: null };
      this.pairs.set(key, pair);
    }
    const state: SeriesState = { name, first: null, warnedDivergence: false, role, pair };
    if (role === 'val') pair.val ??= state;
    else if (role === 'train') pair.train ??= state;
    else pair.plain ??= state;
    this.series.set(name, state);
    return state;
  }

  private pairPoint(state: SeriesState, step: number, value: number, location: SourceLocation | undefined, unit: StepUnit): void {
    const pair = state.pair;
    const train = pair.train ?? pair.plain;
    if (pair.val === null || train === null) return;
    if (state === pair.val) {
      pair.lastVal = { step, value, location, unit };
      if (pair.lastTrain?.step === step) this.evaluate(pair, train, step);
    } else if (state === train) {
      pair.lastTrain = { step, value };
      if (pair.lastVal?.step === step) this.evaluate(pair, train, step);
    }
  }

  private evaluate(pair: PairState, train: SeriesState, step: number): void {
    pair.detector ??= new OverfitDetector(this.options);
    if (pair.detector.done) return;
    const found = pair.detector.update(step, pair.lastTrain!.value, pair.lastVal!.value);
    if (found === null) return;
    const { location, unit } = pair.lastVal!;
    this.onWarning({
      type: 'warning',
      kind: 'overfitting',
      message: overfittingMessage(train.name, pair.val!.name, found, unit, location),
      ...(location !== undefined ? { location } : {}),
      epoch: step,
      series: pair.val!.name,
      lowest: { step: found.minStep, value: found.minValue },
    });
  }
}
