/** `torch.optim.Adadelta`: steps scaled by the ratio of running RMS of past updates to that of gradients. */
import type { Tensor } from '../tensor.js';
import { arithOf, Span, stateTensor } from './elements.js';
import { check, mergeOptions, Optimizer, type ParamGroup, type ParamsInput, pyStr, type StateRecord } from './optimizer.js';
import { checkEps, checkLr, checkWeightDecay, countStep, setGroupDefaults, startState, stepEach } from './support.js';

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weight_decay?: number;
  maximize?: boolean;
  foreach?: boolean | null;
}
export type AdadeltaGroup = ParamGroup & Required<AdadeltaOptions>;

const ADADELTA_DEFAULTS: Required<AdadeltaOptions> = {
  lr: 1.0,
  rho: 0.9,
  eps: 1e-6,
  weight_decay: 0,
  maximize: false,
  foreach: null,
};

const ADADELTA_STATE = { step: 'number', buffers: ['square_avg', 'acc_delta'] } as const;

export class Adadelta extends Optimizer<AdadeltaGroup> {
  constructor(params: ParamsInput<AdadeltaGroup>, options?: AdadeltaOptions) {
    const o = mergeOptions('Adadelta', options, ADADELTA_DEFAULTS);
    checkLr(o.lr);
    check(0 <= o.rho && o.rho <= 1, `Invalid rho value: ${pyStr(o.rho, true)}`);
    checkEps(o.eps);
    checkWeightDecay(o.weight_decay);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { foreach: null, maximize: false });
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      startState(state, p, ADADELTA_STATE);
      countStep(state);
      adadeltaUpdate(p, grad, state, group);
    });
  }
}

function adadeltaUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: AdadeltaGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const rho = A.round(h.rho);
  const oneMinusRho = A.round(1 - h.rho);
  const eps = A.round(h.eps);
  const weightDecay = A.round(h.weight_decay);
  const negLr = A.round(-h.lr);

  const P = Span.write(p);
  const G = Span.read(grad);
  const Sq = Span.write(stateTensor(state, 'square_avg'));
  const Acc = Span.write(stateTensor(state, 'acc_delta'));
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    let g = G.data[G.at + i]!;
    if (h.maximize) g = -g;
    if (h.weight_decay !== 0) g = A.fma(weightDecay, P.data[pi]!, g); // grad.add(param, alpha=weight_decay)
    // square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
    const sq = A.fma(A.round(oneMinusRho * g), g, A.round(Sq.data[Sq.at + i]! * rho));
    Sq.data[Sq.at + i] = sq;
    // std = square_avg.add(eps).sqrt_()
    const std = A.round(Math.sqrt(A.round(sq + eps)));
    // delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
    const delta = A.round(A.round(A.round(Math.sqrt(A.round(Acc.data[Acc.at + i]! + eps))) / std) * g);
    // acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
    Acc.data[Acc.at + i] = A.fma(A.round(oneMinusRho * delta), delta, A.round(Acc.data[Acc.at + i]! * rho));
    // param.add_(delta, alpha=-lr)
    P.data[pi] = A.fma(negLr, delta, P.data[pi]!);
  }
  P.done();
  Sq.done(2);
  Acc.done(2);
}
