/** `torch.optim.Adamax`: Adam with the infinity norm (a running max of |grad|) in place of the RMS. */
import type { Tensor } from '../tensor.js';
import { checkAdamOptions } from './adam.js';
import { arithOf, bufferLike, readScalar, scalarState, Span, stateTensor, writeScalar } from './elements.js';
import { mergeOptions, Optimizer, type ParamGroup, type ParamsInput, type StateRecord } from './optimizer.js';
import { pyPow } from './pymath.js';
import { scalarsToTensors, setGroupDefaults, stepEach } from './support.js';

export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  foreach?: boolean | null;
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
      if (Object.keys(state).length === 0) {
        state['step'] = scalarState(0);
        state['exp_avg'] = bufferLike(p);
        state['exp_inf'] = bufferLike(p);
      }
      adamaxUpdate(p, grad, state, group);
    });
  }
}

function adamaxUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: AdamaxGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const stepT = stateTensor(state, 'step');
  writeScalar(stepT, Math.fround(readScalar(stepT) + 1));
  const step = readScalar(stepT);
  const [beta1, beta2] = h.betas;
  const b1 = A.round(beta1);
  const b2 = A.round(beta2);
  const oneMinusB1 = A.round(1 - beta1);
  const eps = A.round(h.eps);
  const weightDecay = A.round(h.weight_decay);
  // clr = lr / (1 - beta1 ** step), a Python float
  const negClr = A.round(-(h.lr / (1 - pyPow(beta1, step))));

  const P = Span.write(p);
  const G = Span.read(grad);
  const M = Span.write(stateTensor(state, 'exp_avg'));
  const U = Span.write(stateTensor(state, 'exp_inf'));
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    let g = G.data[G.at + i]!;
    if (h.maximize) g = -g;
    if (h.weight_decay !== 0) g = A.fma(weightDecay, P.data[pi]!, g); // grad.add(param, alpha=weight_decay)
    // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
    const m = A.fma(oneMinusB1, g, A.round(M.data[M.at + i]! * b1));
    M.data[M.at + i] = m;
    // exp_inf = amax(cat([exp_inf.mul_(beta2), grad.abs().add_(eps)]), 0): NaN wins, as Math.max's does
    const u = Math.max(A.round(U.data[U.at + i]! * b2), A.round(Math.abs(g) + eps));
    U.data[U.at + i] = u;
    // param.addcdiv_(exp_avg, exp_inf, value=-clr)
    P.data[pi] = A.round(P.data[pi]! + A.round(A.round(negClr * m) / u));
  }
  P.done();
  M.done(2);
  U.done(2);
}
