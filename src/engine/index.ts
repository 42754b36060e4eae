/**
 * `autograd-lab`: PyTorch's autograd, optim and nn in TypeScript.
 *
 *   import torch, { nn, optim } from 'autograd-lab';
 *   const params = torch.tensor([1.0, 0.0], { requires_grad: true });
 */
import * as nnModule from './nn/index.js';
import * as optimModule from './optim/index.js';
import { save, load } from './serialization.js';
import { ENGINE_CALLS } from './signatures/engine-calls.js';
import { Validation } from './signatures/validate.js';
import { Tensor } from './tensor.js';
import { torch as core } from './torch.js';
import { tensorboard } from './utils/tensorboard.js';

// Every call of the API below checks its arguments against the engine's declarations (PyTorch's
// TypeErrors for a wrong type, a missing or extra argument, an unknown option).
const validation = new Validation(ENGINE_CALLS, { Module: nnModule.Module, Optimizer: optimModule.Optimizer });
validation.methods(Tensor.prototype, 'Tensor');

export const nn = validation.namespace(nnModule, 'torch.nn');
export const optim = validation.namespace(optimModule, 'torch.optim');
/** `torch.utils.tensorboard.SummaryWriter`: loss curves under the runner, scalars.jsonl otherwise. */
const utils = validation.namespace({ tensorboard }, 'torch.utils');

// The namespaces' types, as `nn.Linear` or `optim.SGD` names them in a type position (the
// values above are the checked copies; a type-only namespace merges with them).
export declare namespace nn {
  export type Module = nnModule.Module;
  export type StateDict = nnModule.StateDict;
  export type IncompatibleKeys = nnModule.IncompatibleKeys;
  export type ForwardHook = nnModule.ForwardHook;
  export type ForwardPreHook = nnModule.ForwardPreHook;
  export type RemovableHandle = nnModule.RemovableHandle;
  export type NamedMembersOptions = nnModule.NamedMembersOptions;
  export type Parameter = nnModule.Parameter;
  export type Linear = nnModule.Linear;
  export type Identity = nnModule.Identity;
  export type LinearOptions = nnModule.LinearOptions;
  export type Flatten = nnModule.Flatten;
  export type Sequential = nnModule.Sequential;
  export type SequentialConstructor = nnModule.SequentialConstructor;
  export type Tanh = nnModule.Tanh;
  export type ReLU = nnModule.ReLU;
  export type Sigmoid = nnModule.Sigmoid;
  export type LeakyReLU = nnModule.LeakyReLU;
  export type Softmax = nnModule.Softmax;
  export type LogSoftmax = nnModule.LogSoftmax;
  export type Hardtanh = nnModule.Hardtanh;
  export type ReLU6 = nnModule.ReLU6;
  export type Softplus = nnModule.Softplus;
  export type ELU = nnModule.ELU;
  export type CELU = nnModule.CELU;
  export type SELU = nnModule.SELU;
  export type SiLU = nnModule.SiLU;
  export type Mish = nnModule.Mish;
  export type Hardswish = nnModule.Hardswish;
  export type Hardsigmoid = nnModule.Hardsigmoid;
  export type GELU = nnModule.GELU;
  export type Softsign = nnModule.Softsign;
  export type Tanhshrink = nnModule.Tanhshrink;
  export type LogSigmoid = nnModule.LogSigmoid;
  export type Softshrink = nnModule.Softshrink;
  export type Hardshrink = nnModule.Hardshrink;
  export type Dropout = nnModule.Dropout;
  export type HardtanhOptions = nnModule.HardtanhOptions;
  export type SoftplusOptions = nnModule.SoftplusOptions;
  export type AlphaOptions = nnModule.AlphaOptions;
  export type DropoutOptions = nnModule.DropoutOptions;
  export type Loss = nnModule.Loss;
  export type WeightedLoss = nnModule.WeightedLoss;
  export type MSELoss = nnModule.MSELoss;
  export type L1Loss = nnModule.L1Loss;
  export type CrossEntropyLoss = nnModule.CrossEntropyLoss;
  export type NLLLoss = nnModule.NLLLoss;
  export type BCELoss = nnModule.BCELoss;
  export type BCEWithLogitsLoss = nnModule.BCEWithLogitsLoss;
  export type SmoothL1Loss = nnModule.SmoothL1Loss;
  export type HuberLoss = nnModule.HuberLoss;
  export type Reduction = nnModule.Reduction;
  export type LossOptions = nnModule.LossOptions;
  export type WeightedLossOptions = nnModule.WeightedLossOptions;
  export type NLLLossOptions = nnModule.NLLLossOptions;
  export type CrossEntropyOptions = nnModule.CrossEntropyOptions;
  export type BCEWithLogitsOptions = nnModule.BCEWithLogitsOptions;
  export type SoftmaxOptions = nnModule.SoftmaxOptions;
  export type SmoothL1Options = nnModule.SmoothL1Options;
  export type HuberOptions = nnModule.HuberOptions;
  export type KeyError = nnModule.KeyError;
  export type AttributeError = nnModule.AttributeError;
}
export declare namespace optim {
  export type Optimizer = optimModule.Optimizer;
  export type ParamGroup = optimModule.ParamGroup;
  export type ParamGroupInput<G extends ParamGroup = ParamGroup> = optimModule.ParamGroupInput<G>;
  export type ParamsInput<G extends ParamGroup = ParamGroup> = optimModule.ParamsInput<G>;
  export type StateRecord = optimModule.StateRecord;
  export type StateValue = optimModule.StateValue;
  export type OptimizerDefaults<G extends ParamGroup = ParamGroup> = optimModule.OptimizerDefaults<G>;
  export type OptimizerStateDict = optimModule.OptimizerStateDict;
  export type StateDictInput = optimModule.StateDictInput;
  export type SGD = optimModule.SGD;
  export type SGDOptions = optimModule.SGDOptions;
  export type SGDGroup = optimModule.SGDGroup;
  export type Adam = optimModule.Adam;
  export type AdamOptions = optimModule.AdamOptions;
  export type AdamGroup = optimModule.AdamGroup;
  export type AdamW = optimModule.AdamW;
  export type AdamWOptions = optimModule.AdamWOptions;
  export type AdamWGroup = optimModule.AdamWGroup;
  export type Adagrad = optimModule.Adagrad;
  export type AdagradOptions = optimModule.AdagradOptions;
  export type AdagradGroup = optimModule.AdagradGroup;
  export type Adadelta = optimModule.Adadelta;
  export type AdadeltaOptions = optimModule.AdadeltaOptions;
  export type AdadeltaGroup = optimModule.AdadeltaGroup;
  export type Adamax = optimModule.Adamax;
  export type AdamaxOptions = optimModule.AdamaxOptions;
  export type AdamaxGroup = optimModule.AdamaxGroup;
  export type ASGD = optimModule.ASGD;
  export type ASGDOptions = optimModule.ASGDOptions;
  export type ASGDGroup = optimModule.ASGDGroup;
  export type RMSprop = optimModule.RMSprop;
  export type RMSpropOptions = optimModule.RMSpropOptions;
  export type RMSpropGroup = optimModule.RMSpropGroup;
  export type Rprop = optimModule.Rprop;
  export type RpropOptions = optimModule.RpropOptions;
  export type RpropGroup = optimModule.RpropGroup;
  export type LBFGS = optimModule.LBFGS;
  export type LBFGSOptions = optimModule.LBFGSOptions;
  export type LBFGSGroup = optimModule.LBFGSGroup;
  export type SparseAdam = optimModule.SparseAdam;
  export type SparseAdamOptions = optimModule.SparseAdamOptions;
  export type SparseAdamGroup = optimModule.SparseAdamGroup;
  export type NAdam = optimModule.NAdam;
  export type NAdamOptions = optimModule.NAdamOptions;
  export type NAdamGroup = optimModule.NAdamGroup;
  export type RAdam = optimModule.RAdam;
  export type RAdamOptions = optimModule.RAdamOptions;
  export type RAdamGroup = optimModule.RAdamGroup;
  export namespace lr_scheduler {
    export type SchedulerStateDict = optimModule.lr_scheduler.SchedulerStateDict;
    export type LRScheduler = optimModule.lr_scheduler.LRScheduler;
    export type LambdaLR = optimModule.lr_scheduler.LambdaLR;
    export type MultiplicativeLR = optimModule.lr_scheduler.MultiplicativeLR;
    export type StepLR = optimModule.lr_scheduler.StepLR;
    export type MultiStepLR = optimModule.lr_scheduler.MultiStepLR;
    export type ConstantLR = optimModule.lr_scheduler.ConstantLR;
    export type LinearLR = optimModule.lr_scheduler.LinearLR;
    export type ExponentialLR = optimModule.lr_scheduler.ExponentialLR;
    export type PolynomialLR = optimModule.lr_scheduler.PolynomialLR;
    export type CosineAnnealingLR = optimModule.lr_scheduler.CosineAnnealingLR;
    export type OneCycleLROptions = optimModule.lr_scheduler.OneCycleLROptions;
    export type OneCycleLR = optimModule.lr_scheduler.OneCycleLR;
    export type ReduceLROnPlateauOptions = optimModule.lr_scheduler.ReduceLROnPlateauOptions;
    export type ReduceLROnPlateau = optimModule.lr_scheduler.ReduceLROnPlateau;
  }
}

export const torch = { ...validation.namespace({ ...core, save, load }, 'torch'), nn, optim, utils };
export default torch;

export { Tensor };
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
export const SummaryWriter = utils.tensorboard.SummaryWriter;
/** The engine's version, reported by the runner with every run. */
export { AUTOGRAD_LAB_VERSION as version } from '../protocol/version.js';
