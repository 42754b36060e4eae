/** `torch.optim.RMSprop`: divide the gradient by a running RMS of recent gradients (optionally centered, with momentum). */
import type { Tensor } from '../tensor.js';
import { arithOf, Gradient, RunningAverage, Span, stateTensor } from './elements.js';
import { check, mergeOptions, Optimizer, type ParamGroup, type ParamsInput, pyStr, type StateRecord } from './optimizer.js';
import { checkEps, checkLr, checkWeightDecay, countStep, type InitialState, rejectUnsupported, setGroupDefaults, startState, stepEach } from './support.js';

export interface RMSpropOptions {
  lr?: number;
  momentum?: number;
  alpha?: number;
  eps?: number;
  centered?: boolean;
  weight_decay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
}
export type RMSpropGroup = ParamGroup & Required<RMSpropOptions>;

const RMSPROP_DEFAULTS: Required<RMSpropOptions> = {
  lr: 0.01,
  momentum: 0,
  alpha: 0.99,
  eps: 1e-8,
  centered: false,
  weight_decay: 0,
  foreach: null,
  maximize: false,
  differentiable: false,
};

/** The state by whether momentum (1) and centered (2) are on. */
const RMSPROP_STATE: readonly InitialState[] = [
  { step: 'number', buffers: ['square_avg'] },
  { step: 'number', buffers: ['square_avg', 'momentum_buffer'] },
  { step: 'number', buffers: ['square_avg', 'grad_avg'] },
  { step: 'number', buffers: ['square_avg', 'momentum_buffer', 'grad_avg'] },
];

export class RMSprop extends Optimizer<RMSpropGroup> {
  constructor(params: ParamsInput<RMSpropGroup>, options?: RMSpropOptions) {
    const o = mergeOptions('RMSprop', options, RMSPROP_DEFAULTS);
    checkLr(o.lr);
    checkEps(o.eps);
    check(0 <= o.momentum, `Invalid momentum value: ${pyStr(o.momentum)}`);
    checkWeightDecay(o.weight_decay);
    check(0 <= o.alpha, `Invalid alpha value: ${pyStr(o.alpha, true)}`);
    rejectUnsupported('RMSprop', o);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { momentum: 0, centered: false, foreach: null, maximize: false, differentiable: false });
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      startState(state, p, RMSPROP_STATE[(group.momentum > 0 ? 1 : 0) + (group.centered ? 2 : 0)]!);
      countStep(state);
      rmspropUpdate(p, grad, state, group);
    });
  }
}

function rmspropUpdate(p: Tensor, grad: Tensor, state: StateRecord, h: RMSpropGroup): void {
  const A = arithOf(p);
  const n = p.numel();
  const eps = A.round(h.eps);
  const momentum = A.round(h.momentum);
  const negLr = A.round(-h.lr);

  const P = Span.write(p);
  const G = new Gradient(A, grad, P, h.maximize, h.weight_decay);
  const Sq = new RunningAverage(A, Span.write(stateTensor(state, 'square_avg')), h.alpha);
  const Avg = h.centered ? new RunningAverage(A, Span.write(stateTensor(state, 'grad_avg')), h.alpha) : null;
  const Buf = h.momentum > 0 ? Span.write(stateTensor(state, 'momentum_buffer')) : null;
  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    const g = G.at(i);
    const sq = Sq.addSquare(i, g); // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    let avg: number;
    if (Avg !== null) {
      // grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha); avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
      const ga = Avg.add(i, g);
      avg = A.round(Math.sqrt(A.fma(-ga, ga, sq)));
    } else {
      avg = A.round(Math.sqrt(sq)); // square_avg.sqrt()
    }
    avg = A.round(avg + eps); // avg.add_(eps)
    if (Buf !== null) {
      // buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
      const b = A.round(A.round(Buf.data[Buf.at + i]! * momentum) + A.round(g / avg));
      Buf.data[Buf.at + i] = b;
      P.data[pi] = A.fma(negLr, b, P.data[pi]!);
    } else {
      // param.addcdiv_(grad, avg, value=-lr)
      P.data[pi] = A.round(P.data[pi]! + A.round(A.round(negLr * g) / avg));
    }
  }
  P.done();
  Sq.done();
  Avg?.done();
  Buf?.done(2);
}
