/** `torch.optim.Adadelta`: steps scaled by the ratio of running RMS of past updates to that of gradients. */
import type { Tensor } from '../tensor.js';
import { arithOf, Gradient, RunningAverage, Span, stateTensor } from './elements.js';
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
  const eps = A.round(h.eps);
  const negLr = A.round(-h.lr);

  const P = Span.write(p);
  const G = new Gradient(A, grad, P, h.maximize, h.weight_decay);
  const AccSpan = Span.write(stateTensor(state, 'acc_delta'));
  const Sq = new RunningAverage(A, Span.write(stateTensor(state, 'square_avg')), h.rho);
  const Acc = new RunningAverage(A, AccSpan, h.rho);
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    const g = G.at(i);
    const sq = Sq.addSquare(i, g); // square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
    // std = square_avg.add(eps).sqrt_()
    const std = A.round(Math.sqrt(A.round(sq + eps)));
    // delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
    const delta = A.round(A.round(A.round(Math.sqrt(A.round(AccSpan.data[AccSpan.at + i]! + eps))) / std) * g);
    Acc.addSquare(i, delta); // acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
    // param.add_(delta, alpha=-lr)
    P.data[pi] = A.fma(negLr, delta, P.data[pi]!);
  }
  P.done();
  Sq.done();
  Acc.done();
}
