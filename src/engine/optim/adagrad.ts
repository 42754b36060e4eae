/** `torch.optim.Adagrad`: each element's step shrinks with the sum of its squared gradients so far. */
import type { Tensor } from '../tensor.js';
import { arithOf, bufferLike, Gradient, scalarState, Span, stateTensor } from './elements.js';
import { check, mergeOptions, Optimizer, type ParamGroup, type ParamsInput, pyStr, type StateRecord } from './optimizer.js';
import { checkEps, checkLr, checkWeightDecay, countStep, scalarsToTensors, setGroupDefaults, stepEach } from './support.js';

export interface AdagradOptions {
  lr?: number;
  lr_decay?: number;
  eps?: number;
  weight_decay?: number;
  initial_accumulator_value?: number;
  foreach?: boolean | null;
  maximize?: boolean;
}
export type AdagradGroup = ParamGroup & Required<AdagradOptions>;

const ADAGRAD_DEFAULTS: Required<AdagradOptions> = {
  lr: 0.01,
  lr_decay: 0,
  eps: 1e-10,
  weight_decay: 0,
  initial_accumulator_value: 0,
  foreach: null,
  maximize: false,
};

export class Adagrad extends Optimizer<AdagradGroup> {
  constructor(params: ParamsInput<AdagradGroup>, options?: AdagradOptions) {
    const o = mergeOptions('Adagrad', options, ADAGRAD_DEFAULTS);
    checkLr(o.lr);
    check(0 <= o.lr_decay, `Invalid lr_decay value: ${pyStr(o.lr_decay)}`);
    checkWeightDecay(o.weight_decay);
    check(0 <= o.initial_accumulator_value, `Invalid initial_accumulator_value value: ${pyStr(o.initial_accumulator_value)}`);
    checkEps(o.eps);
    super(params, o);
    // Unlike the other optimizers, Adagrad creates its state up front (with the constructor's
    // initial_accumulator_value, not a group's).
    for (const group of this.param_groups) {
      for (const p of group.params) {
        const state = this.state.get(p);
        state['step'] = scalarState(0);
        state['sum'] = bufferLike(p, arithOf(p).round(o.initial_accumulator_value));
      }
    }
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { foreach: null, maximize: false });
    scalarsToTensors(this.state, 'step');
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) =>
      adagradUpdate(p, grad, state, group),
    );
  }
}

function adagradUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: AdagradGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const step = countStep(state);
  // clr = lr / (1 + (step - 1) * lr_decay), a Python float
  const negClr = A.round(-(h.lr / (1 + (step - 1) * h.lr_decay)));
  const eps = A.round(h.eps);

  const P = Span.write(p);
  const G = new Gradient(A, grad, P, h.maximize, h.weight_decay);
  const S = Span.write(stateTensor(state, 'sum'));
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    const g = G.at(i);
    // state_sum.addcmul_(grad, grad, value=1)
    const sum = A.fma(g, g, S.data[S.at + i]!);
    S.data[S.at + i] = sum;
    // std = state_sum.sqrt().add_(eps)
    const std = A.round(A.round(Math.sqrt(sum)) + eps);
    // param.addcdiv_(grad, std, value=-clr)
    P.data[pi] = A.round(P.data[pi]! + A.round(A.round(negClr * g) / std));
  }
  P.done();
  S.done();
}
