/** `nn.Linear` and `nn.Identity`. */
import { empty } from '../creation.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { linear } from './functional.js';
import { _calculate_fan_in_and_fan_out, kaiming_uniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/** `y = x Wᵀ + b` with W of shape [out_features, in_features]. */
export class Linear extends Module {
  readonly in_features: number;
  readonly out_features: number;
  weight: Parameter;
  bias: Parameter | null;

  /** `new nn.Linear(1, 8)`, `new nn.Linear(8, 1, { bias: false })` (or `false` positionally, as in Python). */
  constructor(in_features: number, out_features: number, bias: boolean | LinearOptions = true) {
    super();
    const o = typeof bias === 'object' ? bias : { bias };
    const dtype = o.dtype ? { dtype: o.dtype } : {};
    this.in_features = in_features;
    this.out_features = out_features;
    this.weight = new Parameter(empty([out_features, in_features], dtype));
    this.bias = (o.bias ?? true) ? new Parameter(empty([out_features], dtype)) : null;
    this.reset_parameters();
  }

  /**
   * PyTorch's default initialisation, drawing from the default generator in PyTorch's order:
   * kaiming_uniform_(weight, a=√5) — i.e. U(-1/√fan_in, 1/√fan_in) — then the bias from the same range.
   */
  reset_parameters(): void {
    kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = _calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

/** Returns its input unchanged (a placeholder layer); constructor arguments are ignored, as in PyTorch. */
export class Identity extends Module {
  constructor(...args: unknown[]) {
    super();
    void args;
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}
