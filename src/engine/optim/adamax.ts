/** `torch.optim.Adamax`: Adam with the infinity norm (a running max of |grad|) in place of the RMS. */
import type { Tensor } from '../tensor.js';
import { type AdamFamilyOptions, checkAdamOptions } from './adam.js';
import { arithOf, Gradient, RunningAverage, Span, stateTensor } from './elements.js';
import { mergeOptions, Optimizer, type ParamGroup, type ParamsInput, type StateRecord } from './optimizer.js';
import { pyPow } from './pymath.js';
import { countStep, scalarsToTensors, setGroupDefaults, startState, stepEach } from './support.js';

export interface AdamaxOptions extends AdamFamilyOptions {
  maximize?: boolean;
}
export type AdamaxGroup = ParamGroup & Required<AdamaxOptions>;

const ADAMAX_DEFAULTS: Required<AdamaxOptions> = {
  lr: 0.002,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weight_decay: 0,
  foreach: null,
  maximize: false,
};

const ADAMAX_STATE = { buffers: ['exp_avg', 'exp_inf'] };

export class Adamax extends Optimizer<AdamaxGroup> {
  constructor(params: ParamsInput<AdamaxGroup>, options?: AdamaxOptions) {
    const o = mergeOptions('Adamax', options, ADAMAX_DEFAULTS);
    checkAdamOptions(o);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { foreach: null, maximize: false });
    scalarsToTensors(this.state, 'step');
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      startState(state, p, ADAMAX_STATE);
      adamaxUpdate(p, grad, state, group);
    });
  }
}

function adamaxUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: AdamaxGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const step = countStep(state);
  const [beta1, beta2] = h.betas;
  const b2 = A.round(beta2);
  const eps = A.round(h.eps);
  // clr = lr / (1 - beta1 ** step), a Python float
  const negClr = A.round(-(h.lr / (1 - pyPow(beta1, step))));

  const P = Span.write(p);
  const G = new Gradient(A, grad, P, h.maximize, h.weight_decay);
  const M = new RunningAverage(A, Span.write(stateTensor(state, 'exp_avg')), beta1);
  const U = Span.write(stateTensor(state, 'exp_inf'));
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    const g = G.at(i);
    const m = M.add(i, g); // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
    // exp_inf = amax(cat([exp_inf.mul_(beta2), grad.abs().add_(eps)]), 0): NaN wins, as Math.max's does
    const u = Math.max(A.round(U.data[U.at + i]! * b2), A.round(Math.abs(g) + eps));
    U.data[U.at + i] = u;
    // param.addcdiv_(exp_avg, exp_inf, value=-clr)
    P.data[pi] = A.round(P.data[pi]! + A.round(A.round(negClr * m) / u));
  }
  P.done();
  M.done();
  U.done(2);
}
