/** Small pieces the optimizers share: option checks, state-dict upgrades, the step loop. */
import { no_grad } from '../autograd/grad_mode.js';
import { NotImplementedError, RuntimeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { scalarState } from './elements.js';
import { check, type OptimizerState, type ParamGroup, pyStr, type StateRecord } from './optimizer.js';

/** PyTorch options that need machinery this engine doesn't have (autograd through step, CUDA). */
export function rejectUnsupported(className: string, options: { differentiable?: boolean; fused?: boolean }): void {
  if (options.differentiable === true) {
    throw new NotImplementedError(`${className}(differentiable=True): differentiating through optimizer steps is not supported by Autograd Lab.`);
  }
  if (options.fused === true) throw new RuntimeError('FusedAdam requires all the params to be CUDA, floating point');
}

/** `group.setdefault(key, value)` for each option a state dict from an older PyTorch may lack. */
export function setGroupDefaults(groups: readonly ParamGroup[], defaults: Record<string, unknown>): void {
  for (const group of groups) {
    const g = group as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(defaults)) if (!(key in g)) g[key] = value;
  }
}

/** Older state dicts hold plain-number steps; PyTorch 1.13 turns them into `torch.tensor(float(step))`. */
export function scalarsToTensors(state: OptimizerState, key: string): void {
  const records = [...state.values()];
  if (records.length === 0 || records[0]![key] instanceof Tensor) return;
  for (const record of records) record[key] = scalarState(Number(record[key]));
}

/** The usual betas check, with PyTorch's messages. */
export function checkBetas(betas: readonly [number, number]): void {
  check(0 <= betas[0] && betas[0] < 1, `Invalid beta parameter at index 0: ${pyStr(betas[0], true)}`);
  check(0 <= betas[1] && betas[1] < 1, `Invalid beta parameter at index 1: ${pyStr(betas[1], true)}`);
}

/**
 * The body shared by the first-order optimizers' step(): run the closure with grad enabled,
 * then, with recording off, update every parameter that has a gradient.
 */
export function stepEach<G extends ParamGroup, L>(
  groups: readonly G[],
  state: OptimizerState,
  loss: () => L | null,
  update: (p: Tensor, grad: Tensor, record: StateRecord, group: G) => void,
): L | null {
  return no_grad(() => {
    const result = loss();
    for (const group of groups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad !== null) update(p, grad, state.get(p), group);
      }
    }
    return result;
  });
}
