/** `torch.optim.NAdam`: Adam with Nesterov momentum, and a momentum schedule (`momentum_decay`). */
import type { Tensor } from '../tensor.js';
import { type AdamFamilyOptions, checkAdamOptions } from './adam.js';
import { arithOf, Gradient, readScalar, RunningAverage, Span, stateTensor, writeScalar } from './elements.js';
import { check, mergeOptions, Optimizer, type ParamGroup, type ParamsInput, pyStr, type StateRecord } from './optimizer.js';
import { pyPow } from './pymath.js';
import { countStep, scalarsToTensors, setGroupDefaults, startState, stepEach } from './support.js';

export interface NAdamOptions extends AdamFamilyOptions {
  momentum_decay?: number;
}
export type NAdamGroup = ParamGroup & Required<NAdamOptions>;

const NADAM_DEFAULTS: Required<NAdamOptions> = {
  lr: 0.002,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weight_decay: 0,
  momentum_decay: 0.004,
  foreach: null,
};

const NADAM_STATE = { scalars: { mu_product: 1 }, buffers: ['exp_avg', 'exp_avg_sq'] };

export class NAdam extends Optimizer<NAdamGroup> {
  constructor(params: ParamsInput<NAdamGroup>, options?: NAdamOptions) {
    const o = mergeOptions('NAdam', options, NADAM_DEFAULTS);
    checkAdamOptions(o);
    check(0 <= o.momentum_decay, `Invalid momentum_decay value: ${pyStr(o.momentum_decay, true)}`);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { foreach: null });
    scalarsToTensors(this.state, 'step');
    scalarsToTensors(this.state, 'mu_product');
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      startState(state, p, NADAM_STATE);
      nadamUpdate(p, grad, state, group);
    });
  }
}

function nadamUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: NAdamGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const step = countStep(state);
  const [beta1, beta2] = h.betas;
  const biasCorrection2 = A.round(1 - pyPow(beta2, step));
  // The momentum schedule is in Python floats; mu_product is a float32 scalar tensor.
  const mu = beta1 * (1 - 0.5 * pyPow(0.96, step * h.momentum_decay));
  const muNext = beta1 * (1 - 0.5 * pyPow(0.96, (step + 1) * h.momentum_decay));
  const muProductT = stateTensor(state, 'mu_product');
  const muProduct = Math.fround(readScalar(muProductT) * Math.fround(mu)); // mu_product *= mu
  writeScalar(muProductT, muProduct);
  const muProductNext = Math.fround(Math.fround(muProduct * Math.fround(mu)) * Math.fround(muNext));
  const gradScale = A.round((-h.lr * (1 - mu)) / (1 - muProduct));
  const avgScale = A.round((-h.lr * muNext) / (1 - muProductNext));
  const eps = A.round(h.eps);

  const P = Span.write(p);
  const G = new Gradient(A, grad, P, false, h.weight_decay);
  const M = new RunningAverage(A, Span.write(stateTensor(state, 'exp_avg')), beta1);
  const V = new RunningAverage(A, Span.write(stateTensor(state, 'exp_avg_sq')), beta2);
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    const g = G.at(i);
    const m = M.add(i, g);
    const v = V.addSquare(i, g);
    // denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
    const denom = A.round(A.round(Math.sqrt(A.round(v / biasCorrection2))) + eps);
    // param.addcdiv_(grad, denom, value=-lr * (1 - mu) / (1 - mu_product))
    const p1 = A.round(P.data[pi]! + A.round(A.round(gradScale * g) / denom));
    // param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1 - mu_product_next))
    P.data[pi] = A.round(p1 + A.round(A.round(avgScale * m) / denom));
  }
  P.done(2);
  M.done();
  V.done();
}
