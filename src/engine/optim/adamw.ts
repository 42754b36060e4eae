/** `torch.optim.AdamW`: Adam with decoupled weight decay (the parameter shrinks; the gradient is untouched). */
import { type AdamFamilyOptions, adamUpdate, checkAdamOptions, initAdamState } from './adam.js';
import { AssertionError, mergeOptions, Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { scalarsToTensors, setGroupDefaults, stepEach } from './support.js';

export interface AdamWOptions extends AdamFamilyOptions {
  amsgrad?: boolean;
  maximize?: boolean;
  capturable?: boolean;
}
export type AdamWGroup = ParamGroup & Required<AdamWOptions>;

const ADAMW_DEFAULTS: Required<AdamWOptions> = {
  lr: 0.001,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weight_decay: 0.01,
  amsgrad: false,
  foreach: null,
  maximize: false,
  capturable: false,
};

export class AdamW extends Optimizer<AdamWGroup> {
  constructor(params: ParamsInput<AdamWGroup>, options?: AdamWOptions) {
    const o = mergeOptions('AdamW', options, ADAMW_DEFAULTS);
    checkAdamOptions(o);
    super(params, o);
  }

  protected override _setstate(): void {
    setGroupDefaults(this.param_groups, { amsgrad: false, maximize: false, foreach: null, capturable: false });
    scalarsToTensors(this.state, 'step');
  }

  override step<L>(closure?: () => L): L | null {
    return stepEach(this.param_groups, this.state, () => this._evaluateClosure(closure), (p, grad, state, group) => {
      initAdamState(state, p, group.amsgrad);
      if (group.capturable) throw new AssertionError('If capturable=True, params and state_steps must be CUDA tensors.');
      adamUpdate(p, grad, state, group, true);
    });
  }
}
