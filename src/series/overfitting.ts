/**
 * Overfitting, the chapter's rule two, as one pure model used by the script process (the run's
 * warning), the extension host and the webview (the chart's marker): which series pair up as
 * train/validation, and the detector that decides when validation has turned up while training
 * keeps falling.
 */

import type { Point } from './columns.js';

export const RULE_TWO = 'if the training loss and the validation loss diverge, you’re overfitting';

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


export interface SeriesPair {
  key: string;
  train: string;
  val: string;
}

/** Train/validation pairs among series names (`train_loss`/`val_loss`, `loss`/`val_loss`, ...). */
export function findPairs(names: readonly string[]): SeriesPair[] {
  const byKey = new Map<string, { train?: string; plain?: string; val?: string }>();
  for (const name of names) {
    const { role, key } = pairRole(name);
    const entry = byKey.get(key) ?? {};
    if (role === 'train') entry.train ??= name;
    else if (role === 'val') entry.val ??= name;
    else entry.plain ??= name;
    byKey.set(key, entry);
  }
  const pairs: SeriesPair[] = [];
  for (const [key, e] of byKey) {
    const train = e.train ?? e.plain;
    if (train && e.val) pairs.push({ key, train, val: e.val });
  }
  return pairs;
}

export interface OverfitMarker {
  pair: SeriesPair;
  /** Where validation was lowest: the point where it turns up. */
  step: number;
  value: number;
  /** The step at which the rule held long enough to fire. */
  firedAt: number;
  tooltip: string;
}

/** 5% of the run, at least 10 epochs, at most the runner's 100. */
export function overfitPatience(valPoints: number): number {
  return Math.min(100, Math.max(10, Math.round(valPoints * 0.05)));
}

/** The marker of a pair whose validation loss was lowest at `step` (the rule fired at `firedAt`). */
export function overfitMarkerAt(pair: SeriesPair, step: number, value: number, firedAt: number): OverfitMarker {
  return { pair, step, value, firedAt, tooltip: `${pair.val} turns up at epoch ${step} while ${pair.train} keeps falling. Rule two: ${RULE_TWO}.` };
}

/**
 * Where validation turns up while training keeps falling, found with the runner's own rule
 * (OverfitDetector) so the marker and the run's warning agree. Patience defaults to 5% of the
 * run (at least 10 epochs, at most the runner's 100) so short runs get a marker too.
 */
export function overfitMarker(train: readonly Point[], val: readonly Point[], pair: SeriesPair, options: OverfitOptions = {}): OverfitMarker | null {
  if (train.length === 0 || val.length === 0) return null;
  const trainAt = new Map<number, number>();
  for (const p of train) trainAt.set(p.x, p.y);
  const patience = options.patience ?? overfitPatience(val.length);
  const detector = new OverfitDetector({ ...options, patience });
  const valAt = new Map<number, number>();
  for (const p of val) {
    valAt.set(p.x, p.y);
    const t = trainAt.get(p.x);
    if (t === undefined) continue;
    const found = detector.update(p.x, t, p.y);
    if (found) return overfitMarkerAt(pair, found.minStep, valAt.get(found.minStep) ?? p.y, found.step);
  }
  return null;
}

