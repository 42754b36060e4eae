/** What the optimizers share: option checks, a parameter's state and step count, state-dict upgrades, the step loop. */
import { no_grad } from '../autograd/grad_mode.js';
import { NotImplementedError, RuntimeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { bufferLike, readScalar, scalarState, writeScalar } from './elements.js';
import { check, KeyError, type OptimizerState, type ParamGroup, pyStr, type StateRecord } from './optimizer.js';

// ------------------------------------------------------------------ option checks (PyTorch's messages)

export function checkLr(lr: number): void {
  check(0 <= lr, `Invalid learning rate: ${pyStr(lr, true)}`);
}

export function checkEps(eps: number): void {
  check(0 <= eps, `Invalid epsilon value: ${pyStr(eps, true)}`);
}

export function checkWeightDecay(weightDecay: number): void {
  check(0 <= weightDecay, `Invalid weight_decay value: ${pyStr(weightDecay)}`);
}

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

// ------------------------------------------------------------------ a parameter's state

/** What a parameter's state starts with, in PyTorch's key order: `step`, then the scalars, then the buffers. */
export interface InitialState {
  /** `step` as a 0-dim float32 tensor (the default), or as the plain number PyTorch 1.13 keeps for Adadelta, RMSprop and Rprop. */
  step?: 'tensor' | 'number';
  /** 0-dim float32 tensors (NAdam's mu_product, ASGD's eta and mu). */
  scalars?: Readonly<Record<string, number>>;
  /** Zero buffers of the parameter's shape and dtype. */
  buffers: readonly string[];
}

/** Starts a parameter's state on its first step (PyTorch's `if len(state) == 0:`); returns whether it did. */
export function startState(state: StateRecord, p: Tensor, initial: InitialState): boolean {
  for (const key in state) if (Object.prototype.hasOwnProperty.call(state, key)) return false;
  state['step'] = initial.step === 'number' ? 0 : scalarState(0);
  if (initial.scalars) for (const [key, value] of Object.entries(initial.scalars)) state[key] = scalarState(value);
  for (const key of initial.buffers) state[key] = bufferLike(p);
  return true;
}

/**
 * `state['step'] += 1`; returns the new count. A tensor step is float32 (as PyTorch keeps it),
 * so the count is what that float32 holds.
 */
export function countStep(state: StateRecord): number {
  const step = state['step'];
  // Python's state['step'] raises KeyError: 'step' (a state dict loaded without it).
  if (step === undefined) throw new KeyError("'step'");
  if (step instanceof Tensor) {
    writeScalar(step, Math.fround(readScalar(step) + 1));
    return readScalar(step);
  }
  const next = Number(step) + 1;
  state['step'] = next;
  return next;
}

// ------------------------------------------------------------------ the step loop

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
