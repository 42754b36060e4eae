/**
 * `torch.optim.SparseAdam`: Adam for sparse gradients (embedding lookups). Autograd Lab has no
 * sparse tensors, and PyTorch 1.13's SparseAdam refuses dense gradients, so step() raises
 * PyTorch's error as soon as a parameter has a gradient.
 */
import { RuntimeError } from '../errors.js';
import { no_grad } from '../autograd/grad_mode.js';
import type { Tensor } from '../tensor.js';
import { check, mergeOptions, Optimizer, type ParamGroup, type ParamGroupInput, type ParamsInput, pyStr } from './optimizer.js';
import { checkBetas } from './support.js';

export interface SparseAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  maximize?: boolean;
}
export type SparseAdamGroup = ParamGroup & Required<SparseAdamOptions>;

const SPARSE_ADAM_DEFAULTS: Required<SparseAdamOptions> = {
  lr: 0.001,
  betas: [0.9, 0.999],
  eps: 1e-8,
  maximize: false,
};

export class SparseAdam extends Optimizer<SparseAdamGroup> {
  constructor(params: ParamsInput<SparseAdamGroup>, options?: SparseAdamOptions) {
    const o = mergeOptions('SparseAdam', options, SPARSE_ADAM_DEFAULTS);
    check(0 < o.lr, `Invalid learning rate: ${pyStr(o.lr, true)}`);
    check(0 < o.eps, `Invalid epsilon value: ${pyStr(o.eps, true)}`);
    checkBetas(o.betas);
    // PyTorch lists the params first (to look for sparse ones; none can be sparse here).
    super([...(params as Iterable<Tensor | ParamGroupInput<SparseAdamGroup>>)] as ParamsInput<SparseAdamGroup>, o);
  }

  override step<L>(closure?: () => L): L | null {
    return no_grad(() => {
      const loss = this._evaluateClosure(closure);
      for (const group of this.param_groups) {
        for (const p of group.params) {
          if (p.grad !== null) throw new RuntimeError('SparseAdam does not support dense gradients, please consider Adam instead');
        }
      }
      return loss;
    });
  }
}
