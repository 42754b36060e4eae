/**
 * Direct element loops for the optimizers' updates. Each update function walks the storage of
 * a parameter, its gradient and its state buffers once, rounding where PyTorch's kernels round,
 * instead of allocating a tensor per elementary op (the chapter's training loops call step()
 * thousands of times).
 */
import { float32 } from '../dtype.js';
import { contiguousData, writeInto } from '../ops/kernels.js';
import { Tensor } from '../tensor.js';
import { KeyError } from './optimizer.js';
import { fma64 } from './pymath.js';

export type FloatStorage = Float32Array | Float64Array;

/**
 * How one elementary op rounds in a tensor's dtype. Scalars (lr, betas, ...) go through
 * `round` first, as PyTorch casts a Python float to the tensor's dtype before the kernel runs.
 */
export interface Arith {
  /** The result of one op stored in the dtype: float32 rounds, float64 already is a double. */
  round(x: number): number;
  /**
   * `a * b + c` with one rounding: PyTorch 1.13's CPU kernels compile `add(x, alpha=a)` and
   * `addcmul` to fused multiply-adds (checked bit for bit against its output). For float32 the
   * product of two float32 values is exact in a double, so one `fround` of the double sum
   * gives the fused result (up to a double-rounding case about once in 2^29).
   */
  fma(a: number, b: number, c: number): number;
}

const F32: Arith = { round: Math.fround, fma: (a, b, c) => Math.fround(a * b + c) };
const F64: Arith = { round: (x) => x, fma: fma64 };

export function arithOf(t: Tensor): Arith {
  return t.dtype === float32 ? F32 : F64;
}

/**
 * A tensor's elements in row-major order as one run of storage: `data[at + i]`. For a
 * contiguous tensor that is its own storage; otherwise a copy, which `done()` writes back.
 */
export class Span {
  private constructor(
    readonly data: FloatStorage,
    readonly at: number,
    private readonly tensor: Tensor,
    private readonly copied: boolean,
  ) {}

  static read(t: Tensor): Span {
    if (t._contiguous) return new Span(t._data as FloatStorage, t._offset, t, false);
    return new Span(contiguousData(t) as FloatStorage, 0, t, true);
  }

  /** The same view as read(); the name marks the tensors an update changes (and must `done()`). */
  static write(t: Tensor): Span {
    return Span.read(t);
  }

  /** Publishes the writes and counts `changes` in-place ops on the tensor's version counter. */
  done(changes = 1): void {
    if (this.copied) writeInto(this.tensor, Tensor._make(this.data, this.tensor.shape, this.tensor.dtype));
    this.tensor._version_counter.value += changes;
  }
}

/** A 0-dim float32 tensor (PyTorch keeps `step`, `eta`, `mu` as `torch.tensor(0.0)`). */
export function scalarState(value: number): Tensor {
  return Tensor._make(new Float32Array([value]), [], float32);
}

/** Reads a 0-dim state tensor's value (`.item()`). */
export function readScalar(t: Tensor): number {
  return t._data[t._offset]!;
}

/** `t.copy_(value)` / `t += 1` on a 0-dim state tensor. */
export function writeScalar(t: Tensor, value: number): void {
  t._data[t._offset] = value;
  t._version_counter.value++;
}

/** `torch.zeros_like(p)` / `torch.full_like(p, v)`: a contiguous buffer of p's shape and dtype. */
export function bufferLike(p: Tensor, fill = 0): Tensor {
  const data = p.dtype.alloc(p.numel());
  if (fill !== 0) data.fill(fill);
  return Tensor._make(data, p.shape, p.dtype);
}

/** A state entry that must be a tensor (a loaded state dict could hold something else). */
export function stateTensor(record: { [key: string]: unknown }, key: string): Tensor {
  const value = record[key];
  // Python's state['sum'] raises KeyError: 'sum' (e.g. Adagrad after add_param_group).
  if (value === undefined) throw new KeyError(`'${key}'`);
  if (!(value instanceof Tensor)) throw new TypeError(`optimizer state '${key}' should be a Tensor, got ${typeof value}`);
  return value;
}

/**
 * The gradient an update uses, element by element: `grad`, negated under `maximize`, plus
 * `weight_decay * param` when weight decay is on (`grad.add(param, alpha=weight_decay)`).
 */
export class Gradient {
  private readonly data: FloatStorage;
  private readonly at0: number;
  private readonly weightDecay: number;
  private readonly decays: boolean;

  constructor(
    private readonly A: Arith,
    grad: Tensor,
    /** The parameter, read before this element's update writes it. */
    private readonly P: Span,
    private readonly maximize: boolean,
    weightDecay: number,
  ) {
    const contiguous = grad._contiguous;
    this.data = (contiguous ? grad._data : contiguousData(grad)) as FloatStorage;
    this.at0 = contiguous ? grad._offset : 0;
    this.decays = weightDecay !== 0;
    this.weightDecay = A.round(weightDecay);
  }

  at(i: number): number {
    let g = this.data[this.at0 + i]!;
    if (this.maximize) g = -g;
    if (this.decays) g = this.A.fma(this.weightDecay, this.P.data[this.P.at + i]!, g);
    return g;
  }
}

/**
 * A running average kept in a state tensor and updated in place element by element, its decay
 * (beta, rho, alpha) and 1 − decay cast to the dtype as PyTorch casts a Python float.
 */
export class RunningAverage {
  private readonly keep: number;
  private readonly take: number;

  constructor(
    private readonly A: Arith,
    private readonly S: Span,
    decay: number,
  ) {
    this.keep = A.round(decay);
    this.take = A.round(1 - decay);
  }

  /** `avg.mul_(decay).add_(x, alpha=1 - decay)` at element i; the new average. */
  add(i: number, x: number): number {
    const at = this.S.at + i;
    const v = this.A.fma(this.take, x, this.A.round(this.S.data[at]! * this.keep));
    this.S.data[at] = v;
    return v;
  }

  /** `avg.mul_(decay).addcmul_(x, x, value=1 - decay)` at element i; the new average. */
  addSquare(i: number, x: number): number {
    const at = this.S.at + i;
    const v = this.A.fma(this.A.round(this.take * x), x, this.A.round(this.S.data[at]! * this.keep));
    this.S.data[at] = v;
    return v;
  }

  /** Publishes the writes (two in-place ops: mul_ and add_). */
  done(): void {
    this.S.done(2);
  }
}
