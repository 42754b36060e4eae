/** `torch.optim.RAdam`: Adam whose adaptive step is switched on gradually, once the variance estimate is reliable. */
import type { Tensor } from '../tensor.js';
import { type AdamFamilyOptions, checkAdamOptions } from './adam.js';
import { arithOf, Gradient, RunningAverage, Span, stateTensor } from './elements.js';
import { mergeOptions, Optimizer, type ParamGroup, type ParamsInput, type StateRecord } from './optimizer.js';
import { pyPow } from './pymath.js';
import { countStep, scalarsToTensors, setGroupDefaults, startState, stepEach } from './support.js';

export type RAdamOptions = AdamFamilyOptions;
export type RAdamGroup = ParamGroup & Required<RAdamOptions>;

const RADAM_DEFAULTS: Required<RAdamOptions> = {
  lr: 0.001,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weight_decay: 0,
  foreach: null,
};

const RADAM_STATE = { buffers: ['exp_avg', 'exp_avg_sq'] };

export class RAdam extends Optimizer<RAdamGroup> {
  constructor(params: ParamsInput<RAdamGroup>, options?: RAdamOptions) {
    const o = mergeOptions('RAdam', options, RADAM_DEFAULTS);
    checkAdamOptions(o);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { foreach: null });
    scalarsToTensors(this.state, 'step');
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      startState(state, p, RADAM_STATE);
      radamUpdate(p, grad, state, group);
    });
  }
}

function radamUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: RAdamGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const step = countStep(state);
  const [beta1, beta2] = h.betas;
  const biasCorrection1 = 1 - pyPow(beta1, step);
  const biasCorrection2 = 1 - pyPow(beta2, step);
  // Length of the approximated simple moving average, and its limit (Python floats).
  const rhoInf = 2 / (1 - beta2) - 1;
  const rhoT = rhoInf - (2 * step * pyPow(beta2, step)) / biasCorrection2;
  const rectified = rhoT > 5;
  const rect = A.round(Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)));
  const bc1 = A.round(biasCorrection1);
  const bc2Sqrt = A.round(Math.sqrt(biasCorrection2));
  const lr = A.round(h.lr);
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
    // bias_corrected_exp_avg = exp_avg / bias_correction1
    const corrected = A.round(m / bc1);
    let update = A.round(corrected * lr);
    if (rectified) {
      // adaptive_lr = math.sqrt(bias_correction2) / exp_avg_sq.sqrt().add_(eps): a float over a
      // tensor is tensor.reciprocal() * float in PyTorch
      const adaptive = A.round(A.round(1 / A.round(A.round(Math.sqrt(v)) + eps)) * bc2Sqrt);
      // bias_corrected_exp_avg * lr * adaptive_lr * rect
      update = A.round(A.round(update * adaptive) * rect);
    }
    // param.add_(update, alpha=-1.0)
    P.data[pi] = A.round(P.data[pi]! - update);
  }
  P.done();
  M.done();
  V.done();
}
