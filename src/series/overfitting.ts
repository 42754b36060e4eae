/**
 * Overfitting, the chapter's rule two, detected once: in the script process, which turns a
 * finding into the run's overfitting warning (runner/child/signals.ts). The chart's marker is
 * that warning drawn where it says validation was lowest, so the two cannot disagree.
 */

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
  /** The validation loss (as logged, not smoothed) at minStep: where the chart marks the turn. */
  minValue: number;
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
  private minValue = NaN;
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
      this.minValue = val;
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
    return { step, minStep: this.minStep, minValue: this.minValue, since: this.since, risingFor };
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
