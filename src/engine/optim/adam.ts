/** `torch.optim.Adam`: per-element step sizes from running averages of the gradient and its square. */
import type { Tensor } from '../tensor.js';
import { arithOf, Gradient, RunningAverage, Span, stateTensor } from './elements.js';
import { AssertionError, mergeOptions, Optimizer, type ParamGroup, type ParamsInput, type StateRecord } from './optimizer.js';
import { pyPow } from './pymath.js';
import { checkBetas, checkEps, checkLr, checkWeightDecay, countStep, rejectUnsupported, scalarsToTensors, setGroupDefaults, startState, stepEach } from './support.js';

/** The options Adam, AdamW, Adamax, NAdam and RAdam all take. */
export interface AdamFamilyOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  foreach?: boolean | null;
}

export interface AdamOptions extends AdamFamilyOptions {
  amsgrad?: boolean;
  maximize?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
  fused?: boolean;
}
export type AdamGroup = ParamGroup & Required<AdamOptions>;

const ADAM_DEFAULTS: Required<AdamOptions> = {
  lr: 0.001,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weight_decay: 0,
  amsgrad: false,
  maximize: false,
  foreach: null,
  capturable: false,
  differentiable: false,
  fused: false,
};

/** The checks Adam, AdamW, Adamax, NAdam and RAdam share. */
export function checkAdamOptions(o: Required<Omit<AdamFamilyOptions, 'foreach'>>): void {
  checkLr(o.lr);
  checkEps(o.eps);
  checkBetas(o.betas);
  checkWeightDecay(o.weight_decay);
}

export class Adam extends Optimizer<AdamGroup> {
  constructor(params: ParamsInput<AdamGroup>, options?: AdamOptions) {
    const o = mergeOptions('Adam', options, ADAM_DEFAULTS);
    checkAdamOptions(o);
    super(params, o);
    rejectUnsupported('Adam', o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { amsgrad: false, maximize: false, foreach: null, capturable: false, differentiable: false, fused: false });
    scalarsToTensors(this.state, 'step');
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      initAdamState(state, p, group.amsgrad);
      if (group.capturable) throw new AssertionError('If capturable=True, params and state_steps must be CUDA tensors.');
      adamUpdate(p, grad, state, group, false);
    });
  }
}

const ADAM_STATE = { buffers: ['exp_avg', 'exp_avg_sq'] };
const AMSGRAD_STATE = { buffers: ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] };

/** The lazily created state of Adam and AdamW. */
export function initAdamState(state: StateRecord, p: Tensor, amsgrad: boolean): void {
  startState(state, p, amsgrad ? AMSGRAD_STATE : ADAM_STATE);
}

export interface AdamHyper {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * One parameter's Adam step; `decoupled` is AdamW's weight decay (shrink the parameter)
 * instead of Adam's (add weight_decay * param to the gradient).
 */
export function adamUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: AdamHyper, decoupled: boolean): void {
  const A = arithOf(p);
  const n = p.numel();
  const step = countStep(state);
  const [beta1, beta2] = h.betas;

  const P = Span.write(p);
  // AdamW's decay shrinks the parameter instead of adding to the gradient.
  const G = new Gradient(A, grad, P, h.maximize, decoupled ? 0 : h.weight_decay);
  const M = new RunningAverage(A, Span.write(stateTensor(state, 'exp_avg')), beta1);
  const V = new RunningAverage(A, Span.write(stateTensor(state, 'exp_avg_sq')), beta2);
  const Vmax = h.amsgrad ? Span.write(stateTensor(state, 'max_exp_avg_sq')) : null;

  const shrink = A.round(1 - h.lr * h.weight_decay);
  // Bias corrections are Python floats: 1 - beta ** step.
  const biasCorrection1 = 1 - pyPow(beta1, step);
  const biasCorrection2 = 1 - pyPow(beta2, step);
  const negStepSize = A.round(-(h.lr / biasCorrection1));
  const bc2Sqrt = A.round(Math.sqrt(biasCorrection2));
  const eps = A.round(h.eps);

  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    const g = G.at(i);
    if (decoupled) P.data[pi] = A.round(P.data[pi]! * shrink); // param.mul_(1 - lr * weight_decay)
    const m = M.add(i, g); // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
    let v = V.addSquare(i, g); // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    if (Vmax !== null) {
      // torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq): NaN wins, as Math.max's does.
      v = Math.max(Vmax.data[Vmax.at + i]!, v);
      Vmax.data[Vmax.at + i] = v;
    }
    // denom = (exp_avg_sq.sqrt() / sqrt(bias_correction2)).add_(eps)
    const denom = A.round(A.round(A.round(Math.sqrt(v)) / bc2Sqrt) + eps);
    // param.addcdiv_(exp_avg, denom, value=-step_size): value * exp_avg first, then / denom, then +
    P.data[pi] = A.round(P.data[pi]! + A.round(A.round(negStepSize * m) / denom));
  }
  P.done(decoupled ? 2 : 1);
  M.done();
  V.done();
  Vmax?.done();
}
