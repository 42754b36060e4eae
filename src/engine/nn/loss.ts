/**
 * Loss modules. Each keeps its options as attributes (as PyTorch does) and calls the functional
 * form; class weights and pos_weight are buffers, so they appear in state_dict.
 */
import { Tensor } from '../tensor.js';
import {
  binary_cross_entropy,
  binary_cross_entropy_with_logits,
  type BCEWithLogitsOptions,
  cross_entropy,
  type CrossEntropyOptions,
  huber_loss,
  type HuberOptions,
  l1_loss,
  mse_loss,
  nll_loss,
  type NLLLossOptions,
  smooth_l1_loss,
  type SmoothL1Options,
  type WeightedLossOptions,
} from './functional.js';
import { Module } from './module.js';
import { type LossOptions, type Reduction, resolveReduction } from './reduction.js';

/** The shared base of the losses (PyTorch's `_Loss`). */
export abstract class Loss extends Module {
  reduction: Reduction;

  constructor(options: LossOptions = {}) {
    super();
    this.reduction = resolveReduction(options);
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** `(weight)` or `(options)` or `(weight, options)`, as PyTorch's positional-or-keyword weight. */
function splitWeight<O extends WeightedLossOptions>(weight: Tensor | null | O | undefined, options: O | undefined): O {
  if (weight === undefined) return { ...options } as O;
  if (weight === null || weight instanceof Tensor) return { ...options, weight } as O;
  return { ...weight, ...options };
}

/** A loss with an optional per-class (or per-element) weight buffer (PyTorch's `_WeightedLoss`). */
export abstract class WeightedLoss extends Loss {
  declare readonly weight: Tensor | null;

  constructor(options: WeightedLossOptions = {}) {
    super(options);
    this.register_buffer('weight', options.weight ?? null);
  }
}

/** Mean squared error: `mean((input - target)²)`. */
export class MSELoss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return mse_loss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error: `mean(|input - target|)`. */
export class L1Loss extends Loss {
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1_loss(input, target, { reduction: this.reduction });
  }
}

/** Negative log likelihood of int64 class indices, on log-probabilities (e.g. LogSoftmax output). */
export class NLLLoss extends WeightedLoss {
  ignore_index: number;

  constructor(weight?: Tensor | null | NLLLossOptions, options?: NLLLossOptions) {
    const o = splitWeight(weight, options);
    super(o);
    this.ignore_index = o.ignore_index ?? -100;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return nll_loss(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction });
  }
}

/** Cross entropy on raw scores (logits): LogSoftmax + NLLLoss in one, as PyTorch's CrossEntropyLoss. */
export class CrossEntropyLoss extends WeightedLoss {
  ignore_index: number;
  label_smoothing: number;

  constructor(weight?: Tensor | null | CrossEntropyOptions, options?: CrossEntropyOptions) {
    const o = splitWeight(weight, options);
    super(o);
    this.ignore_index = o.ignore_index ?? -100;
    this.label_smoothing = o.label_smoothing ?? 0;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return cross_entropy(input, target, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
      label_smoothing: this.label_smoothing,
    });
  }
}

/** Binary cross entropy on probabilities (e.g. Sigmoid output). */
export class BCELoss extends WeightedLoss {
  constructor(weight?: Tensor | null | WeightedLossOptions, options?: WeightedLossOptions) {
    super(splitWeight(weight, options));
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Binary cross entropy on logits: Sigmoid + BCELoss in one, numerically stable. */
export class BCEWithLogitsLoss extends Loss {
  declare readonly weight: Tensor | null;
  declare readonly pos_weight: Tensor | null;

  constructor(weight?: Tensor | null | BCEWithLogitsOptions, options?: BCEWithLogitsOptions) {
    const o = splitWeight(weight, options);
    super(o);
    this.register_buffer('weight', o.weight ?? null);
    this.register_buffer('pos_weight', o.pos_weight ?? null);
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return binary_cross_entropy_with_logits(input, target, { weight: this.weight, pos_weight: this.pos_weight, reduction: this.reduction });
  }
}

/** Smooth L1: quadratic below `beta`, linear above it (PyTorch's repr shows no options). */
export class SmoothL1Loss extends Loss {
  beta: number;

  constructor(options: SmoothL1Options = {}) {
    super(options);
    this.beta = options.beta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Huber: quadratic below `delta`, linear (with slope delta) above it. */
export class HuberLoss extends Loss {
  delta: number;

  constructor(options: HuberOptions = {}) {
    super(options);
    this.delta = options.delta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return huber_loss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
