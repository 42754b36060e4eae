/** `torch.optim.ASGD`: SGD with a decaying step size that also keeps a running average of the parameters (`ax`). */
import type { Tensor } from '../tensor.js';
import { arithOf, Gradient, readScalar, Span, stateTensor, writeScalar } from './elements.js';
import { mergeOptions, Optimizer, type ParamGroup, type ParamsInput, type StateRecord } from './optimizer.js';
import { pyPow } from './pymath.js';
import { checkLr, checkWeightDecay, countStep, scalarsToTensors, setGroupDefaults, startState, stepEach } from './support.js';

export interface ASGDOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weight_decay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
}
export type ASGDGroup = ParamGroup & Required<ASGDOptions>;

const ASGD_DEFAULTS: Required<ASGDOptions> = {
  lr: 0.01,
  lambd: 0.0001,
  alpha: 0.75,
  t0: 1000000.0,
  weight_decay: 0,
  foreach: null,
  maximize: false,
};

export class ASGD extends Optimizer<ASGDGroup> {
  constructor(params: ParamsInput<ASGDGroup>, options?: ASGDOptions) {
    const o = mergeOptions('ASGD', options, ASGD_DEFAULTS);
    checkLr(o.lr);
    checkWeightDecay(o.weight_decay);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { foreach: null, maximize: false });
    scalarsToTensors(this.state, 'step');
    scalarsToTensors(this.state, 'eta');
    scalarsToTensors(this.state, 'mu');
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      // float32 scalars whatever the parameter's dtype: torch.tensor(lr) uses the default dtype
      startState(state, p, { scalars: { eta: group.lr, mu: 1 }, buffers: ['ax'] });
      asgdUpdate(p, grad, state, group);
    });
  }
}

function asgdUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: ASGDGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const etaT = stateTensor(state, 'eta');
  const muT = stateTensor(state, 'mu');
  const step = countStep(state);
  const eta = readScalar(etaT);
  const mu = readScalar(muT);
  const decay = A.round(1 - h.lambd * eta);
  const negEta = A.round(-eta);

  const P = Span.write(p);
  const G = new Gradient(A, grad, P, h.maximize, h.weight_decay);
  const Ax = Span.write(stateTensor(state, 'ax'));
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    const g = G.at(i);
    // param.mul_(1 - lambd * eta); param.add_(grad, alpha=-eta)
    const value = A.fma(negEta, g, A.round(P.data[pi]! * decay));
    P.data[pi] = value;
    // ax.add_(param.sub(ax).mul(mu)), or ax.copy_(param) while mu is 1
    const ai = Ax.at + i;
    Ax.data[ai] = mu !== 1 ? A.round(Ax.data[ai]! + A.round(A.round(value - Ax.data[ai]!) * mu)) : value;
  }
  P.done(2);
  Ax.done();
  // New eta and mu are Python floats stored into the float32 scalars.
  writeScalar(etaT, Math.fround(h.lr / pyPow(1 + h.lambd * h.lr * step, h.alpha)));
  writeScalar(muT, Math.fround(1 / Math.max(1, step - h.t0)));
}
