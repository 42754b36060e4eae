/**
 * `torch.optim`: PyTorch 1.13's optimizers (single-tensor code path) and learning-rate schedulers.
 *
 *   const optimizer = new optim.SGD([params], { lr: 1e-2, momentum: 0.9 });
 *   optimizer.zero_grad(); loss.backward(); optimizer.step();
 */
// Only PyTorch's names start with a capital here: scripts list them as dir(torch.optim) would.
export { Optimizer, required } from './optimizer.js';
export type {
  ParamGroup,
  ParamGroupInput,
  ParamsInput,
  StateRecord,
  StateValue,
  OptimizerDefaults,
  OptimizerStateDict,
  StateDictInput,
} from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions, SGDGroup } from './sgd.js';
export { Adam } from './adam.js';
export type { AdamOptions, AdamGroup } from './adam.js';
export { AdamW } from './adamw.js';
export type { AdamWOptions, AdamWGroup } from './adamw.js';
export { Adagrad } from './adagrad.js';
export type { AdagradOptions, AdagradGroup } from './adagrad.js';
export { Adadelta } from './adadelta.js';
export type { AdadeltaOptions, AdadeltaGroup } from './adadelta.js';
export { Adamax } from './adamax.js';
export type { AdamaxOptions, AdamaxGroup } from './adamax.js';
export { ASGD } from './asgd.js';
export type { ASGDOptions, ASGDGroup } from './asgd.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropOptions, RMSpropGroup } from './rmsprop.js';
export { Rprop } from './rprop.js';
export type { RpropOptions, RpropGroup } from './rprop.js';
export { LBFGS } from './lbfgs.js';
export type { LBFGSOptions, LBFGSGroup } from './lbfgs.js';
export { SparseAdam } from './sparse_adam.js';
export type { SparseAdamOptions, SparseAdamGroup } from './sparse_adam.js';
export { NAdam } from './nadam.js';
export type { NAdamOptions, NAdamGroup } from './nadam.js';
export { RAdam } from './radam.js';
export type { RAdamOptions, RAdamGroup } from './radam.js';
export * as lr_scheduler from './lr_scheduler.js';
