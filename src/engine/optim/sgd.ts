/** `torch.optim.SGD`: plain gradient descent, with optional momentum, Nesterov and weight decay. */
import { Tensor } from '../tensor.js';
import { arithOf, bufferLike, Gradient, Span } from './elements.js';
import { check, mergeOptions, type OptimizerDefaults, Optimizer, type ParamGroup, type ParamsInput, pyStr, required, type RequiredMarker } from './optimizer.js';
import { NotImplementedError } from '../errors.js';
import { rejectUnsupported, setGroupDefaults, stepEach } from './support.js';

export interface SGDOptions {
  /** 1e-3 by default, as in PyTorch 2.x (1.13 required it). */
  lr?: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  differentiable?: boolean;
  /** PyTorch 2.x's fused kernel flag: only null/false here (there is no fused kernel). */
  fused?: boolean | null;
}
export type SGDGroup = ParamGroup & Required<SGDOptions>;

const SGD_DEFAULTS = {
  lr: 1e-3 as number | RequiredMarker,
  momentum: 0,
  dampening: 0,
  weight_decay: 0,
  nesterov: false,
  maximize: false,
  foreach: null as boolean | null,
  differentiable: false,
  // Accepted (PyTorch 2.x has it), not kept in the groups (1.13's keys, which the parity fixtures show).
  fused: null as boolean | null,
};

export class SGD extends Optimizer<SGDGroup> {
  constructor(params: ParamsInput<SGDGroup>, options?: SGDOptions) {
    const o = mergeOptions('SGD', options, SGD_DEFAULTS);
    check(o.lr === required || !((o.lr as number) < 0), `Invalid learning rate: ${pyStr(o.lr, true)}`);
    check(!(o.momentum < 0), `Invalid momentum value: ${pyStr(o.momentum)}`);
    check(!(o.weight_decay < 0), `Invalid weight_decay value: ${pyStr(o.weight_decay)}`);
    check(!(o.nesterov && (o.momentum <= 0 || o.dampening !== 0)), 'Nesterov momentum requires a momentum and zero dampening');
    if (o.fused === true) throw new NotImplementedError('torch.optim.SGD(fused=True) is not supported by Autograd Lab (it has no fused kernels); leave fused=None');
    const { fused: _fused, ...defaults } = o;
    void _fused;
    rejectUnsupported('SGD', defaults);
    super(params, defaults as OptimizerDefaults<SGDGroup>);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { nesterov: false, maximize: false, foreach: null, differentiable: false });
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      // PyTorch stores None here when momentum is 0, so the record exists either way.
      const buffer = state['momentum_buffer'] instanceof Tensor ? state['momentum_buffer'] : null;
      state['momentum_buffer'] = sgdUpdate(p, grad, buffer, group);
    });
  }
}

/** One parameter's update; returns its momentum buffer (null without momentum). */
function sgdUpdate(p: Tensor, grad: Tensor, buffer: Tensor | null, h: SGDGroup): Tensor | null {
  const A = arithOf(p);
  const n = p.numel();
  const P = Span.write(p);
  const G = new Gradient(A, grad, P, h.maximize, h.weight_decay);
  const momentum = A.round(h.momentum);
  const keep = A.round(1 - h.dampening);
  const negLr = A.round(-h.lr);
  const firstStep = h.momentum !== 0 && buffer === null;
  const buf = h.momentum === 0 ? null : (buffer ?? bufferLike(p));
  const B = buf === null ? null : Span.write(buf);

  for (let i = 0; i < n; i++) {
    const pi = P.at + i;
    let d = G.at(i); // d_p (with weight decay: d_p.add(param, alpha=weight_decay))
    if (B !== null) {
      const bi = B.at + i;
      // first step: buf = d_p.clone(); then buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
      const b = firstStep ? d : A.fma(keep, d, A.round(B.data[bi]! * momentum));
      B.data[bi] = b;
      // Nesterov: d_p = d_p.add(buf, alpha=momentum)
      d = h.nesterov ? A.fma(momentum, b, d) : b;
    }
    // param.add_(d_p, alpha=-lr), with the product rounded before the sum: the arithmetic that
    // prints the book's digits (PyTorch 1.13's kernel fuses it, which moves some results by an ulp).
    P.data[pi] = A.round(P.data[pi]! + A.round(negLr * d));
  }
  P.done();
  if (B !== null) B.done(firstStep ? 0 : 2);
  return buf;
}
