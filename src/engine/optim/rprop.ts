/** `torch.optim.Rprop`: only the sign of the gradient counts; each element's step grows while the sign holds and shrinks when it flips. */
import type { Tensor } from '../tensor.js';
import { arithOf, bufferLike, Gradient, Span, stateTensor } from './elements.js';
import { check, mergeOptions, Optimizer, type ParamGroup, type ParamsInput, pyStr, type StateRecord } from './optimizer.js';
import { checkLr, countStep, setGroupDefaults, startState, stepEach } from './support.js';

export interface RpropOptions {
  lr?: number;
  etas?: [number, number];
  step_sizes?: [number, number];
  foreach?: boolean | null;
  maximize?: boolean;
}
export type RpropGroup = ParamGroup & Required<RpropOptions>;

const RPROP_DEFAULTS: Required<RpropOptions> = {
  lr: 0.01,
  etas: [0.5, 1.2],
  step_sizes: [1e-6, 50],
  foreach: null,
  maximize: false,
};

const RPROP_STATE = { step: 'number', buffers: ['prev'] } as const;

export class Rprop extends Optimizer<RpropGroup> {
  constructor(params: ParamsInput<RpropGroup>, options?: RpropOptions) {
    const o = mergeOptions('Rprop', options, RPROP_DEFAULTS);
    checkLr(o.lr);
    const [etaminus, etaplus] = o.etas;
    check(0 < etaminus && etaminus < 1 && 1 < etaplus, `Invalid eta values: ${pyStr(etaminus, true)}, ${pyStr(etaplus, true)}`);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { foreach: null, maximize: false });
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      if (startState(state, p, RPROP_STATE)) state['step_size'] = bufferLike(grad, arithOf(grad).round(group.lr));
      countStep(state);
      rpropUpdate(p, grad, state, group);
    });
  }
}

function rpropUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: RpropGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const etaminus = A.round(h.etas[0]);
  const etaplus = A.round(h.etas[1]);
  const minStep = A.round(h.step_sizes[0]);
  const maxStep = A.round(h.step_sizes[1]);

  const P = Span.write(p);
  const G = new Gradient(A, grad, P, h.maximize, 0);
  const Prev = Span.write(stateTensor(state, 'prev'));
  const Size = Span.write(stateTensor(state, 'step_size'));
  for (let i = 0; i < n; i++) {
    let g = G.at(i);
    // sign = grad.mul(prev).sign(), then > 0 -> etaplus, < 0 -> etaminus, == 0 -> 1 (NaN stays)
    const s = Math.sign(A.round(g * Prev.data[Prev.at + i]!));
    const factor = s > 0 ? etaplus : s < 0 ? etaminus : s === 0 ? 1 : s;
    // step_size.mul_(sign).clamp_(step_size_min, step_size_max)
    const size = Math.min(Math.max(A.round(Size.data[Size.at + i]! * factor), minStep), maxStep);
    Size.data[Size.at + i] = size;
    // where the sign flipped, this step uses no gradient: grad[sign.eq(etaminus)] = 0
    if (factor === etaminus) g = 0;
    // param.addcmul_(grad.sign(), step_size, value=-1)
    P.data[P.at + i] = A.fma(-Math.sign(g), size, P.data[P.at + i]!);
    Prev.data[Prev.at + i] = g; // prev.copy_(grad)
  }
  P.done();
  Size.done(2);
  Prev.done();
}
