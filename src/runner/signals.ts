/**
 * Warnings read off loss curves, each given once per series: a loss that became NaN or ±Inf,
 * a loss that grew 10× over its first value (divergence), and a validation loss rising while
 * the training loss keeps falling (overfitting: the chapter's rule two). Pure: values go in
 * through `SignalMonitor.observe`, warning events come out through a callback.
 */
import type { SourceLocation, WarningEvent } from './protocol.js';

/** A warning as the script process reports it (the host stamps run id, sequence and time). */
export type SignalWarning = Omit<WarningEvent, 'runId' | 'seq' | 'time'>;

/** How a step is called in messages: a probe's hit count is an epoch, a logged step a step. */
export type StepUnit = 'epoch' | 'step';

/** The factor over the first value that counts as divergence. */
export const DIVERGENCE_FACTOR = 10;

export const RULE_TWO = 'if the training loss and the validation loss diverge, you’re overfitting';

function where(step: number, unit: StepUnit, location: SourceLocation | undefined): string {
  return location === undefined ? `at ${unit} ${step}` : `at ${unit} ${step} (line ${location.line})`;
}

/** `NaN`, `Infinity` or `-Infinity`. */
export function nonFiniteName(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function nonFiniteMessage(series: string, value: number, step: number, unit: StepUnit = 'epoch', location?: SourceLocation): string {
  return `${series} became ${nonFiniteName(value)} ${where(step, unit, location)}`;
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

// ------------------------------------------------------------------------------ overfitting

export interface OverfitOptions {
  /** For how many epochs (steps) val must rise while train falls. Default 100. */
  patience?: number;
  /** Weight of a new value in the exponential moving averages both losses are smoothed with. Default 0.1. */
  smoothing?: number;
  /** How far above its lowest point (relative) the smoothed val loss must be to count as risen. Default 0.01. */
  margin?: number;
}

export interface OverfitFinding {
  /** The step at which the rule fired. */
  step: number;
  /** The step where the smoothed validation loss was lowest. */
  minStep: number;
  /** The first step of the rising stretch. */
  since: number;
  /** How many steps the stretch has lasted. */
  risingFor: number;
}

/**
 * Rule two on one train/val pair, fed the two losses of each epoch. Both are smoothed (EMA), so
 * noise doesn't reset it. Val counts as rising while its smoothed value is above its lowest
 * point by `margin`; train as falling while its smoothed value is below where it stood when val
 * was lowest. Fires once, when both have held for `patience` epochs in a row; a new low of val
 * starts over.
 */
export class OverfitDetector {
  readonly patience: number;
  readonly smoothing: number;
  readonly margin: number;
  private train = NaN;
  private val = NaN;
  private minVal = Infinity;
  private minStep = 0;
  private trainAtMin = NaN;
  private since: number | null = null;
  private fired = false;

  constructor(options: OverfitOptions = {}) {
    this.patience = Math.max(1, options.patience ?? 100);
    this.smoothing = options.smoothing ?? 0.1;
    this.margin = options.margin ?? 0.01;
  }

  get done(): boolean {
    return this.fired;
  }

  /** One epoch's losses; returns a finding the one time the rule fires, else null. */
  update(step: number, train: number, val: number): OverfitFinding | null {
    if (this.fired || !Number.isFinite(train) || !Number.isFinite(val)) return null;
    if (Number.isNaN(this.train)) {
      this.train = train;
      this.val = val;
    } else {
      this.train += this.smoothing * (train - this.train);
      this.val += this.smoothing * (val - this.val);
    }
    if (this.val < this.minVal) {
      this.minVal = this.val;
      this.minStep = step;
      this.trainAtMin = this.train;
      this.since = null;
      return null;
    }
    const rising = this.val - this.minVal > this.margin * Math.abs(this.minVal);
    const falling = this.train < this.trainAtMin;
    if (!rising || !falling) {
      this.since = null;
      return null;
    }
    this.since ??= step;
    const risingFor = step - this.since + 1;
    if (risingFor < this.patience) return null;
    this.fired = true;
    return { step, minStep: this.minStep, since: this.since, risingFor };
  }
}

const VAL_WORDS = new Set(['val', 'valid', 'validation', 'eval', 'evaluation']);
const TRAIN_WORDS = new Set(['train', 'training']);

/**
 * Which side of a train/val pair a series name is on, and what pairs it: `train_loss`,
 * `Loss/train` → train, key `loss`; `val_loss`, `validation_loss` → val, key `loss`; `loss` →
 * none, key `loss` (it stands in for train when there is no explicit train series).
 */
export function pairRole(name: string): { role: 'train' | 'val' | 'none'; key: string } {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  let role: 'train' | 'val' | 'none' = 'none';
  const rest: string[] = [];
  for (const word of words) {
    if (VAL_WORDS.has(word)) role = 'val';
    else if (TRAIN_WORDS.has(word) && role !== 'val') role = 'train';
    else if (!TRAIN_WORDS.has(word)) rest.push(word);
  }
  return { role, key: rest.join('_') };
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
    });
  }
}
