/** Activation modules: thin wrappers over the functional forms, with PyTorch's reprs. */
import { RuntimeError, ValueError } from '../errors.js';
import { pyRepr } from '../pyformat.js';
import { PyFloat, pyfloat, type Scalar, scalarRepr, scalarValue } from '../scalar.js';
import type { Tensor } from '../tensor.js';
import {
  celu,
  dropout,
  elu,
  gelu,
  hardshrink,
  hardsigmoid,
  hardswish,
  hardtanh,
  logsigmoid,
  mish,
  relu6,
  selu,
  silu,
  softplus,
  softshrink,
  softsign,
  tanhshrink,
} from './activations.js';
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

// ------------------------------------------------------------------ the other activations chapter 6 draws

/** Options given as one object: `new nn.ELU({ alpha: 0.5 })`. */
function isOptions<T extends object>(x: Scalar | T): x is T {
  return typeof x === 'object' && x !== null && !(x instanceof PyFloat);
}

/** `, inplace=True` when in place (PyTorch's reprs add it so). */
const inplaceText = (inplace: boolean) => (inplace ? ', inplace=True' : '');

export interface HardtanhOptions {
  min_val?: Scalar;
  max_val?: Scalar;
  inplace?: boolean;
}

export class Hardtanh extends Module {
  readonly min_val: Scalar;
  readonly max_val: Scalar;
  readonly inplace: boolean;

  constructor(min_val: Scalar | HardtanhOptions = pyfloat(-1), max_val: Scalar = pyfloat(1), inplace = false) {
    super();
    const o = isOptions(min_val) ? min_val : { min_val, max_val, inplace };
    this.min_val = o.min_val ?? pyfloat(-1);
    this.max_val = o.max_val ?? pyfloat(1);
    this.inplace = o.inplace ?? false;
    if (scalarValue(this.max_val) <= scalarValue(this.min_val)) throw new RuntimeError('max_val must be larger than min_val');
  }

  override forward(input: Tensor): Tensor {
    return hardtanh(input, this.min_val, this.max_val, this.inplace);
  }

  override extra_repr(): string {
    return `min_val=${scalarRepr(this.min_val)}, max_val=${scalarRepr(this.max_val)}${inplaceText(this.inplace)}`;
  }
}

/** Without arguments in its repr, but with `inplace=True` (PyTorch's ReLU6 is a Hardtanh(0, 6)). */
export class ReLU6 extends Module {
  readonly inplace: boolean;

  constructor(inplace: boolean | { inplace?: boolean } = false) {
    super();
    this.inplace = typeof inplace === 'object' ? (inplace.inplace ?? false) : inplace;
  }

  override forward(input: Tensor): Tensor {
    return relu6(input, this.inplace);
  }

  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export interface SoftplusOptions {
  beta?: Scalar;
  threshold?: Scalar;
}

export class Softplus extends Module {
  readonly beta: Scalar;
  readonly threshold: Scalar;

  constructor(beta: Scalar | SoftplusOptions = 1, threshold: Scalar = 20) {
    super();
    const o = isOptions(beta) ? beta : { beta, threshold };
    this.beta = o.beta ?? 1;
    this.threshold = o.threshold ?? 20;
  }

  override forward(input: Tensor): Tensor {
    return softplus(input, this.beta, this.threshold);
  }

  override extra_repr(): string {
    return `beta=${scalarRepr(this.beta)}, threshold=${scalarRepr(this.threshold)}`;
  }
}

export interface AlphaOptions {
  alpha?: Scalar;
  inplace?: boolean;
}

export class ELU extends Module {
  readonly alpha: Scalar;
  readonly inplace: boolean;

  constructor(alpha: Scalar | AlphaOptions = pyfloat(1), inplace = false) {
    super();
    const o = isOptions(alpha) ? alpha : { alpha, inplace };
    this.alpha = o.alpha ?? pyfloat(1);
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return elu(input, this.alpha, this.inplace);
  }

  override extra_repr(): string {
    return `alpha=${scalarRepr(this.alpha)}${inplaceText(this.inplace)}`;
  }
}

export class CELU extends Module {
  readonly alpha: Scalar;
  readonly inplace: boolean;

  constructor(alpha: Scalar | AlphaOptions = pyfloat(1), inplace = false) {
    super();
    const o = isOptions(alpha) ? alpha : { alpha, inplace };
    this.alpha = o.alpha ?? pyfloat(1);
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return celu(input, this.alpha, this.inplace);
  }

  override extra_repr(): string {
    return `alpha=${scalarRepr(this.alpha)}${inplaceText(this.inplace)}`;
  }
}

/** An activation whose only option is `inplace`, shown in its repr as PyTorch shows it (or not: Hardswish). */
abstract class InplaceActivation extends Module {
  readonly inplace: boolean;

  constructor(inplace: boolean | { inplace?: boolean } = false) {
    super();
    this.inplace = typeof inplace === 'object' ? (inplace.inplace ?? false) : inplace;
  }

  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class SELU extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return selu(input, this.inplace);
  }
}

export class SiLU extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return silu(input, this.inplace);
  }
}

export class Mish extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return mish(input, this.inplace);
  }
}

export class Hardswish extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return hardswish(input, this.inplace);
  }

  override extra_repr(): string {
    return '';
  }
}

export class Hardsigmoid extends InplaceActivation {
  override forward(input: Tensor): Tensor {
    return hardsigmoid(input, this.inplace);
  }

  override extra_repr(): string {
    return '';
  }
}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(approximate: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none') {
    super();
    this.approximate = typeof approximate === 'object' ? (approximate.approximate ?? 'none') : approximate;
  }

  override forward(input: Tensor): Tensor {
    return gelu(input, this.approximate);
  }

  override extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class Softsign extends Module {
  override forward(input: Tensor): Tensor {
    return softsign(input);
  }
}

export class Tanhshrink extends Module {
  override forward(input: Tensor): Tensor {
    return tanhshrink(input);
  }
}

export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return logsigmoid(input);
  }
}

abstract class Shrink extends Module {
  readonly lambd: Scalar;

  constructor(lambd: Scalar | { lambd?: Scalar } = 0.5) {
    super();
    this.lambd = isOptions(lambd) ? (lambd.lambd ?? 0.5) : lambd;
  }

  override extra_repr(): string {
    return scalarRepr(this.lambd);
  }
}

export class Softshrink extends Shrink {
  override forward(input: Tensor): Tensor {
    return softshrink(input, this.lambd);
  }
}

export class Hardshrink extends Shrink {
  override forward(input: Tensor): Tensor {
    return hardshrink(input, this.lambd);
  }
}

export interface DropoutOptions {
  p?: Scalar;
  inplace?: boolean;
}

/** Zeroes elements at random while training (see functional `dropout`); nothing in eval(). */
export class Dropout extends Module {
  readonly p: Scalar;
  readonly inplace: boolean;

  constructor(p: Scalar | DropoutOptions = 0.5, inplace = false) {
    super();
    const o = isOptions(p) ? p : { p, inplace };
    this.p = o.p ?? 0.5;
    this.inplace = o.inplace ?? false;
    const v = scalarValue(this.p);
    if (v < 0 || v > 1) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${scalarRepr(this.p)}`);
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, scalarValue(this.p), this.training, this.inplace);
  }

  override extra_repr(): string {
    return `p=${scalarRepr(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
