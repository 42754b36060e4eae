/**
 * `autograd-lab`: PyTorch's autograd, optim and nn in TypeScript.
 *
 *   import torch, { nn, optim } from 'autograd-lab';
 *   const params = torch.tensor([1.0, 0.0], { requires_grad: true });
 */
import * as nn from './nn/index.js';
import * as optim from './optim/index.js';
import { save, load } from './serialization.js';
import { torch as core } from './torch.js';
import { tensorboard } from './utils/tensorboard.js';

/** `torch.utils.tensorboard.SummaryWriter`: loss curves under the runner, scalars.jsonl otherwise. */
const utils = { tensorboard };

export const torch = { ...core, nn, optim, save, load, utils };
export default torch;

export { nn, optim };
export { Tensor } from './tensor.js';
export type { TensorLike, NestedList } from './tensor.js';
export { slice, Slice } from './ops/indexing.js';
export type { IndexItem } from './ops/indexing.js';
export { DType } from './dtype.js';
export { Node, AccumulateGrad } from './autograd/node.js';
export { RuntimeError, NotImplementedError, IndexError, ValueError, setWarningListener } from './errors.js';
export { hooks, hostGlobal, setHostGlobal } from './hooks.js';
export type { AutogradLabGlobal, BackwardObserver, EngineHooks, NodeObserver, ProbeSite, RecordObserver } from './hooks.js';
export { Generator } from './random.js';
export { pyRepr, pyFormat } from './pyformat.js';
export { ValuesIndices } from './ops/reduction.js';
export { SummaryWriter } from './utils/tensorboard.js';
/** The engine's version, reported by the runner with every run. */
export { AUTOGRAD_LAB_VERSION as version } from '../protocol/version.js';
