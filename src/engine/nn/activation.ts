/** Activation modules: thin wrappers over the functional forms, with PyTorch's reprs. */
import { pyRepr } from '../pyformat.js';
import type { Tensor } from '../tensor.js';
import { leaky_relu, log_softmax, relu, softmax } from './functional.js';
import { Module } from './module.js';

export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return input.tanh();
  }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return input.sigmoid();
  }
}

export class ReLU extends Module {
  readonly inplace: boolean;

  constructor(inplace: boolean | { inplace?: boolean } = false) {
    super();
    this.inplace = typeof inplace === 'object' ? (inplace.inplace ?? false) : inplace;
  }

  override forward(input: Tensor): Tensor {
    return relu(input, this.inplace);
  }

  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class LeakyReLU extends Module {
  readonly negative_slope: number;
  readonly inplace: boolean;

  /** `new nn.LeakyReLU(0.2)` or `new nn.LeakyReLU({ negative_slope: 0.2 })`. */
  constructor(negative_slope: number | { negative_slope?: number; inplace?: boolean } = 0.01, inplace = false) {
    super();
    const o = typeof negative_slope === 'object' ? negative_slope : { negative_slope, inplace };
    this.negative_slope = o.negative_slope ?? 0.01;
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return leaky_relu(input, this.negative_slope, this.inplace);
  }

  override extra_repr(): string {
    return `negative_slope=${pyRepr(this.negative_slope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

function dimArg(dim: number | null | { dim?: number | null } | undefined): number | null {
  return typeof dim === 'object' && dim !== null ? (dim.dim ?? null) : (dim ?? null);
}

/** Softmax along `dim`. Without a dim PyTorch guesses one and warns; so does this. */
export class Softmax extends Module {
  readonly dim: number | null;

  constructor(dim?: number | null | { dim?: number | null }) {
    super();
    this.dim = dimArg(dim);
  }

  override forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }

  override extra_repr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

export class LogSoftmax extends Module {
  readonly dim: number | null;

  constructor(dim?: number | null | { dim?: number | null }) {
    super();
    this.dim = dimArg(dim);
  }

  override forward(input: Tensor): Tensor {
    return log_softmax(input, this.dim);
  }

  override extra_repr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
