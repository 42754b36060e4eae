/**
 * `torch.nn`: modules, parameters, losses, `nn.functional` and `nn.init`.
 *
 *   const model = new nn.Sequential(new nn.Linear(1, 8), new nn.Tanh(), new nn.Linear(8, 1));
 *   const loss = new nn.MSELoss().call(model.call(t_u), t_c);
 */
export { Module } from './module.js';
export type { StateDict, IncompatibleKeys, ForwardHook, ForwardPreHook, RemovableHandle, NamedMembersOptions } from './module.js';
export { Parameter } from './parameter.js';
export { Linear, Identity } from './linear.js';
export type { LinearOptions } from './linear.js';
export { Flatten } from './flatten.js';
export { Sequential } from './container.js';
export type { SequentialConstructor } from './container.js';
export {
  Tanh,
  ReLU,
  Sigmoid,
  LeakyReLU,
  Softmax,
  LogSoftmax,
  Hardtanh,
  ReLU6,
  Softplus,
  ELU,
  CELU,
  SELU,
  SiLU,
  Mish,
  Hardswish,
  Hardsigmoid,
  GELU,
  Softsign,
  Tanhshrink,
  LogSigmoid,
  Softshrink,
  Hardshrink,
  Dropout,
} from './activation.js';
export type { HardtanhOptions, SoftplusOptions, AlphaOptions, DropoutOptions } from './activation.js';
export { Loss, WeightedLoss, MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, SmoothL1Loss, HuberLoss } from './loss.js';
export type {
  Reduction,
  LossOptions,
  WeightedLossOptions,
  NLLLossOptions,
  CrossEntropyOptions,
  BCEWithLogitsOptions,
  SoftmaxOptions,
  SmoothL1Options,
  HuberOptions,
} from './functional.js';
export { KeyError, AttributeError } from './python.js';
export * as functional from './functional.js';
export * as init from './init.js';
