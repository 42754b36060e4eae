/**
 * `torch.optim.lr_scheduler`: objects that rewrite each param group's `lr` once per
 * `scheduler.step()`, with PyTorch 1.13's (recursive, chainable) formulas, so the sequence of
 * learning rates matches PyTorch's to the last digit.
 *
 * JavaScript can't set fields before `super()`, and the base constructor already takes the
 * first step (which calls `get_lr()`). So a subclass hands its own fields to the base
 * constructor: `super(optimizer, last_epoch, verbose, { step_size, gamma })`.
 */
import { warnOnce, NotImplementedError, TorchTypeError, ValueError } from '../errors.js';
import { formatExponential, formatFixed } from '../pyformat.js';
import { Tensor } from '../tensor.js';
import { KeyError, Optimizer, type ParamGroup } from './optimizer.js';
import { pyCos, pyPow } from './pymath.js';


const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, where available. Please open an issue if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.';
const GET_LR_WARNING = 'To get the last learning rate computed by the scheduler, please use `get_last_lr()`.';

/** Marks an optimizer's step() as wrapped by a scheduler to count calls (PyTorch's `_with_counter`). */
const WITH_COUNTER = Symbol('with_counter');

type AnyOptimizer = Optimizer<ParamGroup>;
type Group = ParamGroup;

/** Python's `a % b` for numbers (the result takes the divisor's sign). */
function pyMod(a: number, b: number): number {
  return a - b * Math.floor(a / b);
}

function checkOptimizer(optimizer: unknown): asserts optimizer is AnyOptimizer {
  if (!(optimizer instanceof Optimizer)) {
    const name = optimizer === null || optimizer === undefined ? 'NoneType' : ((optimizer as object).constructor?.name ?? typeof optimizer);
    throw new TorchTypeError(`${name} is not an Optimizer`);
  }
}

/** Python's `'%.5d' % epoch` or `'%.2f' % epoch`, for the verbose messages. */
function epochString(epoch: number): string {
  if (!Number.isInteger(epoch)) return formatFixed(epoch, 2);
  return (epoch < 0 ? '-' : '') + String(Math.abs(epoch)).padStart(5, '0');
}

/** Wraps optimizer.step so the scheduler can tell whether it was called (for PyTorch's order warning). */
function countSteps(optimizer: AnyOptimizer): void {
  const current = optimizer.step as AnyOptimizer['step'] & { [WITH_COUNTER]?: true };
  if (current[WITH_COUNTER]) return;
  const wrapped = function (this: AnyOptimizer, ...args: Parameters<AnyOptimizer['step']>) {
    optimizer._step_count = (optimizer._step_count ?? 0) + 1;
    return current.apply(this, args);
  } as AnyOptimizer['step'] & { [WITH_COUNTER]?: true };
  wrapped[WITH_COUNTER] = true;
  optimizer.step = wrapped;
}

/** A scheduler's state as `state_dict()` returns it: every field but the optimizer. */
export type SchedulerStateDict = { [key: string]: unknown };

/**
 * Base class (`LRScheduler`, named `_LRScheduler` in PyTorch 1.13). Subclasses implement
 * `get_lr()`, the learning rates for `this.last_epoch`, usually from the groups' current `lr`.
 */
export class LRScheduler {
  declare optimizer: AnyOptimizer;
  declare base_lrs: number[];
  declare last_epoch: number;
  declare verbose: boolean;
  declare _step_count: number;
  declare _get_lr_called_within_step: boolean;
  declare _last_lr: number[];

  constructor(optimizer: AnyOptimizer, last_epoch = -1, verbose = false, fields: object = {}) {
    checkOptimizer(optimizer);
    Object.assign(this, fields);
    this.optimizer = optimizer;
    if (last_epoch === -1) {
      for (const group of optimizer.param_groups) if (!('initial_lr' in group)) group.initial_lr = group.lr;
    } else {
      optimizer.param_groups.forEach((group, i) => {
        if (!('initial_lr' in group)) {
          throw new KeyError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
        }
      });
    }
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr!);
    this.last_epoch = last_epoch;
    countSteps(optimizer);
    this.verbose = verbose;
    this._initial_step();
  }

  /** Sets the learning rates for epoch 0 (construction counts as the first step). */
  _initial_step(): void {
    this.optimizer._step_count = 0;
    this._step_count = 0;
    this.step();
  }

  /** The learning rates for `this.last_epoch`; subclasses compute them. */
  get_lr(): number[] {
    throw new NotImplementedError('');
  }

  /** The closed form (used when step() is given an epoch), for the schedulers that have one. */
  _get_closed_form_lr?(): number[];

  /** The learning rates the last step() set, one per param group. */
  get_last_lr(): number[] {
    return this._last_lr;
  }

  print_lr(is_verbose: boolean, group: number, lr: number, epoch?: number): void {
    if (!is_verbose) return;
    if (epoch === undefined) console.log(`Adjusting learning rate of group ${group} to ${formatExponential(lr, 4)}.`);
    else console.log(`Epoch ${epochString(epoch)}: adjusting learning rate of group ${group} to ${formatExponential(lr, 4)}.`);
  }

  /** Advances one epoch (call it after optimizer.step()) and writes the new rates into the groups. */
  step(epoch?: number): void {
    if (this._step_count === 1) {
      const counted = (this.optimizer.step as { [WITH_COUNTER]?: true })[WITH_COUNTER] === true;
      if (!counted) {
        warnOnce(
          'UserWarning',
          'Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate',
        );
      } else if ((this.optimizer._step_count ?? 0) < 1) {
        warnOnce(
          'UserWarning',
          'Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate',
        );
      }
    }
    this._step_count += 1;

    let values: number[];
    this._get_lr_called_within_step = true;
    try {
      if (epoch === undefined) {
        this.last_epoch += 1;
        values = this.get_lr();
      } else {
        warnOnce('UserWarning', EPOCH_DEPRECATION_WARNING);
        this.last_epoch = epoch;
        values = this._get_closed_form_lr ? this._get_closed_form_lr() : this.get_lr();
      }
    } finally {
      this._get_lr_called_within_step = false;
    }
    this.optimizer.param_groups.forEach((group, i) => {
      if (i >= values.length) return;
      group.lr = values[i]!;
      this.print_lr(this.verbose, i, values[i]!, epoch);
    });
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }

  /** PyTorch's warning when get_lr() is called directly instead of get_last_lr(). */
  protected _warnIfOutsideStep(): void {
    if (!this._get_lr_called_within_step) warnOnce('UserWarning', GET_LR_WARNING);
  }

  protected get _groups(): Group[] {
    return this.optimizer.param_groups;
  }

  state_dict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [key, value] of Object.entries(this)) if (key !== 'optimizer') out[key] = value;
    return out;
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    Object.assign(this, state_dict);
  }
}

export { LRScheduler as _LRScheduler };

type LrLambda = (epoch: number) => number;

/**
 * The schedulers driven by a function of the epoch per param group. Functions can't be saved:
 * PyTorch's state_dict stores None for each, and load_state_dict keeps the functions it has.
 */
abstract class LambdaScheduler extends LRScheduler {
  declare lr_lambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, options: { lr_lambda: LrLambda | LrLambda[]; last_epoch?: number; verbose?: boolean }) {
    checkOptimizer(optimizer);
    super(optimizer, options.last_epoch, options.verbose, { optimizer, lr_lambdas: lambdasFor(optimizer, options.lr_lambda) });
  }

  override state_dict(): SchedulerStateDict {
    const { lr_lambdas: _functions, ...out } = super.state_dict();
    void _functions;
    return { ...out, lr_lambdas: this.lr_lambdas.map(() => null) };
  }

  override load_state_dict(state_dict: SchedulerStateDict): void {
    const { lr_lambdas: _ignored, ...rest } = state_dict;
    void _ignored;
    Object.assign(this, rest);
  }
}

function lambdasFor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.param_groups.length;
  if (!Array.isArray(lrLambda)) return new Array<LrLambda>(n).fill(lrLambda);
  if (lrLambda.length !== n) throw new ValueError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}

/** lr = initial_lr * lr_lambda(epoch). */
export class LambdaLR extends LambdaScheduler {
  override get_lr(): number[] {
    this._warnIfOutsideStep();
    return this.base_lrs.map((base, i) => base * this.lr_lambdas[i]!(this.last_epoch));
  }
}

/** lr = lr * lr_lambda(epoch) each epoch after the first. */
export class MultiplicativeLR extends LambdaScheduler {
  override get_lr(): number[] {
    this._warnIfOutsideStep();
    if (this.last_epoch > 0) return this._groups.map((g, i) => g.lr * this.lr_lambdas[i]!(this.last_epoch));
    return this._groups.map((g) => g.lr);
  }
}

/** Multiplies lr by gamma every step_size epochs. */
export class StepLR extends LRScheduler {
  declare step_size: number;
  declare gamma: number;

  constructor(optimizer: AnyOptimizer, options: { step_size: number; gamma?: number; last_epoch?: number; verbose?: boolean }) {
    super(optimizer, options.last_epoch, options.verbose, { step_size: options.step_size, gamma: options.gamma ?? 0.1 });
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    if (this.last_epoch === 0 || pyMod(this.last_epoch, this.step_size) !== 0) return this._groups.map((g) => g.lr);
    return this._groups.map((g) => g.lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base) => base * pyPow(this.gamma, Math.floor(this.last_epoch / this.step_size)));
  }
}

/** Multiplies lr by gamma at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  /** Python's Counter: milestone -> how many times it was listed. */
  declare milestones: Map<number, number>;
  declare gamma: number;

  constructor(optimizer: AnyOptimizer, options: { milestones: Iterable<number>; gamma?: number; last_epoch?: number; verbose?: boolean }) {
    const counter = new Map<number, number>();
    for (const m of options.milestones) counter.set(m, (counter.get(m) ?? 0) + 1);
    super(optimizer, options.last_epoch, options.verbose, { milestones: counter, gamma: options.gamma ?? 0.1 });
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    const count = this.milestones.get(this.last_epoch);
    if (count === undefined) return this._groups.map((g) => g.lr);
    return this._groups.map((g) => g.lr * pyPow(this.gamma, count));
  }

  override _get_closed_form_lr(): number[] {
    const sorted = [...this.milestones].flatMap(([m, c]) => new Array<number>(c).fill(m)).sort((a, b) => a - b);
    const passed = sorted.filter((m) => m <= this.last_epoch).length; // bisect_right
    return this.base_lrs.map((base) => base * pyPow(this.gamma, passed));
  }
}

/** lr * factor until total_iters epochs have passed, then lr. */
export class ConstantLR extends LRScheduler {
  declare factor: number;
  declare total_iters: number;

  constructor(optimizer: AnyOptimizer, options: { factor?: number; total_iters?: number; last_epoch?: number; verbose?: boolean } = {}) {
    const factor = options.factor ?? 1.0 / 3;
    if (factor > 1.0 || factor < 0) throw new ValueError('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, options.last_epoch, options.verbose, { factor, total_iters: options.total_iters ?? 5 });
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    if (this.last_epoch === 0) return this._groups.map((g) => g.lr * this.factor);
    if (this.last_epoch > this.total_iters || this.last_epoch !== this.total_iters) return this._groups.map((g) => g.lr);
    return this._groups.map((g) => g.lr * (1.0 / this.factor));
  }

  override _get_closed_form_lr(): number[] {
    const after = this.last_epoch >= this.total_iters ? 1 : 0;
    return this.base_lrs.map((base) => base * (this.factor + after * (1 - this.factor)));
  }
}

/** Scales lr linearly from start_factor to end_factor over total_iters epochs (a warm-up). */
export class LinearLR extends LRScheduler {
  declare start_factor: number;
  declare end_factor: number;
  declare total_iters: number;

  constructor(
    optimizer: AnyOptimizer,
    options: { start_factor?: number; end_factor?: number; total_iters?: number; last_epoch?: number; verbose?: boolean } = {},
  ) {
    const start_factor = options.start_factor ?? 1.0 / 3;
    const end_factor = options.end_factor ?? 1.0;
    if (start_factor > 1.0 || start_factor < 0) throw new ValueError('Starting multiplicative factor expected to be between 0 and 1.');
    if (end_factor > 1.0 || end_factor < 0) throw new ValueError('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, options.last_epoch, options.verbose, { start_factor, end_factor, total_iters: options.total_iters ?? 5 });
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    if (this.last_epoch === 0) return this._groups.map((g) => g.lr * this.start_factor);
    if (this.last_epoch > this.total_iters) return this._groups.map((g) => g.lr);
    const span = this.end_factor - this.start_factor;
    return this._groups.map((g) => g.lr * (1.0 + span / (this.total_iters * this.start_factor + (this.last_epoch - 1) * span)));
  }

  override _get_closed_form_lr(): number[] {
    const span = this.end_factor - this.start_factor;
    return this.base_lrs.map((base) => base * (this.start_factor + (span * Math.min(this.total_iters, this.last_epoch)) / this.total_iters));
  }
}

/** Multiplies lr by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  declare gamma: number;

  constructor(optimizer: AnyOptimizer, options: { gamma: number; last_epoch?: number; verbose?: boolean }) {
    super(optimizer, options.last_epoch, options.verbose, { gamma: options.gamma });
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    if (this.last_epoch === 0) return this._groups.map((g) => g.lr);
    return this._groups.map((g) => g.lr * this.gamma);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base) => base * pyPow(this.gamma, this.last_epoch));
  }
}

/** Decays lr by a polynomial of the remaining fraction of total_iters. */
export class PolynomialLR extends LRScheduler {
  declare total_iters: number;
  declare power: number;

  constructor(optimizer: AnyOptimizer, options: { total_iters?: number; power?: number; last_epoch?: number; verbose?: boolean } = {}) {
    super(optimizer, options.last_epoch, options.verbose, { total_iters: options.total_iters ?? 5, power: options.power ?? 1.0 });
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    if (this.last_epoch === 0 || this.last_epoch > this.total_iters) return this._groups.map((g) => g.lr);
    const decay = pyPow((1.0 - this.last_epoch / this.total_iters) / (1.0 - (this.last_epoch - 1) / this.total_iters), this.power);
    return this._groups.map((g) => g.lr * decay);
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base) => base * pyPow(1.0 - Math.min(this.total_iters, this.last_epoch) / this.total_iters, this.power));
  }
}

/** Follows half a cosine from the initial lr down to eta_min over T_max epochs (and back up after). */
export class CosineAnnealingLR extends LRScheduler {
  declare T_max: number;
  declare eta_min: number;

  constructor(optimizer: AnyOptimizer, options: { T_max: number; eta_min?: number; last_epoch?: number; verbose?: boolean }) {
    super(optimizer, options.last_epoch, options.verbose, { T_max: options.T_max, eta_min: options.eta_min ?? 0 });
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    const { T_max: T, eta_min: etaMin, last_epoch: epoch } = this;
    if (epoch === 0) return this._groups.map((g) => g.lr);
    if (this._step_count === 1 && epoch > 0) {
      return this.base_lrs.map((base) => etaMin + ((base - etaMin) * (1 + pyCos((epoch * Math.PI) / T))) / 2);
    }
    if (pyMod(epoch - 1 - T, 2 * T) === 0) {
      return this._groups.map((g, i) => g.lr + ((this.base_lrs[i]! - etaMin) * (1 - pyCos(Math.PI / T))) / 2);
    }
    return this._groups.map(
      (g) => ((1 + pyCos((Math.PI * epoch) / T)) / (1 + pyCos((Math.PI * (epoch - 1)) / T))) * (g.lr - etaMin) + etaMin,
    );
  }

  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base) => this.eta_min + ((base - this.eta_min) * (1 + pyCos((Math.PI * this.last_epoch) / this.T_max))) / 2);
  }
}

interface OneCyclePhase {
  end_step: number;
  start_lr: 'initial_lr' | 'max_lr' | 'min_lr';
  end_lr: 'initial_lr' | 'max_lr' | 'min_lr';
  start_momentum: 'max_momentum' | 'base_momentum';
  end_momentum: 'max_momentum' | 'base_momentum';
}

export interface OneCycleLROptions {
  max_lr: number | number[];
  total_steps?: number | null;
  epochs?: number | null;
  steps_per_epoch?: number | null;
  pct_start?: number;
  anneal_strategy?: 'cos' | 'linear';
  cycle_momentum?: boolean;
  base_momentum?: number | number[];
  max_momentum?: number | number[];
  div_factor?: number;
  final_div_factor?: number;
  three_phase?: boolean;
  last_epoch?: number;
  verbose?: boolean;
}

function perGroup(name: string, optimizer: AnyOptimizer, value: number | number[]): number[] {
  const n = optimizer.param_groups.length;
  if (!Array.isArray(value)) return new Array<number>(n).fill(value);
  if (value.length !== n) throw new ValueError(`expected ${n} values for ${name}, got ${value.length}`);
  return value;
}

/** The 1cycle policy: lr rises from max_lr/div_factor to max_lr, then anneals far below it; momentum moves the other way. */
export class OneCycleLR extends LRScheduler {
  declare total_steps: number;
  declare _schedule_phases: OneCyclePhase[];
  declare _anneal_func_type: 'cos' | 'linear';
  declare cycle_momentum: boolean;
  declare use_beta1: boolean;

  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions) {
    checkOptimizer(optimizer);
    const { total_steps = null, epochs = null, steps_per_epoch = null } = options;
    let total: number;
    if (total_steps === null && epochs === null && steps_per_epoch === null) {
      throw new ValueError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (total_steps !== null) {
      if (total_steps <= 0 || !Number.isInteger(total_steps)) throw new ValueError(`Expected positive integer total_steps, but got ${total_steps}`);
      total = total_steps;
    } else {
      if (epochs === null || epochs <= 0 || !Number.isInteger(epochs)) throw new ValueError(`Expected positive integer epochs, but got ${epochs}`);
      if (steps_per_epoch === null || steps_per_epoch <= 0 || !Number.isInteger(steps_per_epoch)) {
        throw new ValueError(`Expected positive integer steps_per_epoch, but got ${steps_per_epoch}`);
      }
      total = epochs * steps_per_epoch;
    }
    const pct = options.pct_start ?? 0.3;
    const phases: OneCyclePhase[] = options.three_phase
      ? [
          { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: 2 * pct * total - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
          { end_step: total - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
        ]
      : [
          { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: total - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        ];
    if (pct < 0 || pct > 1) throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    const strategy = options.anneal_strategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') {
      throw new ValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(strategy)}`);
    }
    const lastEpoch = options.last_epoch ?? -1;
    const divFactor = options.div_factor ?? 25.0;
    const finalDivFactor = options.final_div_factor ?? 1e4;
    const maxLrs = perGroup('max_lr', optimizer, options.max_lr);
    if (lastEpoch === -1) {
      optimizer.param_groups.forEach((group, i) => {
        group.initial_lr = maxLrs[i]! / divFactor;
        group.max_lr = maxLrs[i]!;
        group.min_lr = group.initial_lr / finalDivFactor;
      });
    }
    const cycleMomentum = options.cycle_momentum ?? true;
    let useBeta1 = false;
    if (cycleMomentum) {
      const defaults = optimizer.defaults as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new ValueError('optimizer must support momentum with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in defaults;
      const maxMomentums = perGroup('max_momentum', optimizer, options.max_momentum ?? 0.95);
      const baseMomentums = perGroup('base_momentum', optimizer, options.base_momentum ?? 0.85);
      if (lastEpoch === -1) {
        optimizer.param_groups.forEach((group, i) => {
          if (useBeta1) group.betas = [maxMomentums[i]!, group.betas![1]];
          else group.momentum = maxMomentums[i]!;
          group.max_momentum = maxMomentums[i]!;
          group.base_momentum = baseMomentums[i]!;
        });
      }
    }
    super(optimizer, lastEpoch, options.verbose, {
      optimizer,
      total_steps: total,
      _schedule_phases: phases,
      _anneal_func_type: strategy,
      cycle_momentum: cycleMomentum,
      ...(cycleMomentum ? { use_beta1: useBeta1 } : {}),
    });
  }

  private _anneal(start: number, end: number, pct: number): number {
    if (this._anneal_func_type === 'linear') return (end - start) * pct + start;
    const cosOut = pyCos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  override get_lr(): number[] {
    this._warnIfOutsideStep();
    const stepNum = this.last_epoch;
    if (stepNum > this.total_steps) {
      throw new ValueError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.total_steps}`);
    }
    return this._groups.map((group) => {
      let startStep = 0;
      let lr = 0;
      for (let i = 0; i < this._schedule_phases.length; i++) {
        const phase = this._schedule_phases[i]!;
        if (stepNum <= phase.end_step || i === this._schedule_phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.end_step - startStep);
          lr = this._anneal(group[phase.start_lr]!, group[phase.end_lr]!, pct);
          if (this.cycle_momentum) {
            const momentum = this._anneal(group[phase.start_momentum]!, group[phase.end_momentum]!, pct);
            if (this.use_beta1) group.betas = [momentum, group.betas![1]];
            else group.momentum = momentum;
          }
          break;
        }
        startStep = phase.end_step;
      }
      return lr;
    });
  }
}

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  threshold_mode?: 'rel' | 'abs';
  cooldown?: number;
  min_lr?: number | number[];
  eps?: number;
  verbose?: boolean;
}

/** Cuts lr by `factor` when the monitored metric has stopped improving for `patience` epochs. */
export class ReduceLROnPlateau {
  factor: number;
  optimizer: AnyOptimizer;
  min_lrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldown_counter = 0;
  mode: 'min' | 'max';
  threshold: number;
  threshold_mode: 'rel' | 'abs';
  best = 0;
  num_bad_epochs = 0;
  mode_worse = 0;
  eps: number;
  last_epoch = 0;
  /** PyTorch 2.x keeps this from construction on (1.13 set it on the first step). */
  _last_lr: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const factor = options.factor ?? 0.1;
    if (factor >= 1.0) throw new ValueError('Factor should be < 1.0.');
    this.factor = factor;
    checkOptimizer(optimizer);
    this.optimizer = optimizer;
    this.min_lrs = perGroupMinLr(optimizer, options.min_lr ?? 0);
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? false;
    this.cooldown = options.cooldown ?? 0;
    this.mode = options.mode ?? 'min';
    this.threshold = options.threshold ?? 1e-4;
    this.threshold_mode = options.threshold_mode ?? 'rel';
    this.eps = options.eps ?? 1e-8;
    this._init_is_better(this.mode, this.threshold, this.threshold_mode);
    this._reset();
    this._last_lr = optimizer.param_groups.map((g) => g.lr);
  }

  private _reset(): void {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  /** Records this epoch's metric (a number or a one-element tensor) and reduces lr if it has plateaued. */
  step(metrics: number | Tensor, epoch?: number): void {
    const current = metrics instanceof Tensor ? metrics.item() : Number(metrics);
    if (epoch === undefined) epoch = this.last_epoch + 1;
    else warnOnce('UserWarning', EPOCH_DEPRECATION_WARNING);
    this.last_epoch = epoch;
    if (this.is_better(current, this.best)) {
      this.best = current;
      this.num_bad_epochs = 0;
    } else {
      this.num_bad_epochs += 1;
    }
    if (this.in_cooldown) {
      this.cooldown_counter -= 1;
      this.num_bad_epochs = 0;
    }
    if (this.num_bad_epochs > this.patience) {
      this._reduce_lr(epoch);
      this.cooldown_counter = this.cooldown;
      this.num_bad_epochs = 0;
    }
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }

  private _reduce_lr(epoch: number): void {
    this.optimizer.param_groups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.min_lrs[i]!);
      if (oldLr - newLr > this.eps) {
        group.lr = newLr;
        if (this.verbose) console.log(`Epoch ${epochString(epoch)}: reducing learning rate of group ${i} to ${formatExponential(newLr, 4)}.`);
      }
    });
  }

  get in_cooldown(): boolean {
    return this.cooldown_counter > 0;
  }

  is_better(a: number, best: number): boolean {
    if (this.mode === 'min' && this.threshold_mode === 'rel') return a < best * (1.0 - this.threshold);
    if (this.mode === 'min' && this.threshold_mode === 'abs') return a < best - this.threshold;
    if (this.mode === 'max' && this.threshold_mode === 'rel') return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  private _init_is_better(mode: string, threshold: number, thresholdMode: string): void {
    if (mode !== 'min' && mode !== 'max') throw new ValueError(`mode ${mode} is unknown!`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new ValueError(`threshold mode ${thresholdMode} is unknown!`);
    this.mode_worse = mode === 'min' ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.threshold_mode = thresholdMode;
  }

  get_last_lr(): number[] {
    return this._last_lr;
  }

  state_dict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [key, value] of Object.entries(this)) if (key !== 'optimizer') out[key] = value;
    return out;
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    Object.assign(this, state_dict);
    this._init_is_better(this.mode, this.threshold, this.threshold_mode);
  }
}

function perGroupMinLr(optimizer: AnyOptimizer, minLr: number | number[]): number[] {
  const n = optimizer.param_groups.length;
  if (!Array.isArray(minLr)) return new Array<number>(n).fill(minLr);
  if (minLr.length !== n) throw new ValueError(`expected ${n} min_lrs, got ${minLr.length}`);
  return [...minLr];
}
