/**
 * The Tensor: a strided view of shared storage plus autograd metadata. The math lives in
 * `ops/`; each method here is the PyTorch-named entry point to it.
 */
import { accumulateInto, AccumulateGrad, type Node, RETAINS_GRAD, type TensorHook } from './autograd/node.js';
import { backwardFrom, type BackwardOptions } from './autograd/engine.js';
import { is_grad_enabled } from './autograd/grad_mode.js';
import { bool, type DType, float32, float64, int32, int64, type Storage, uint8 } from './dtype.js';
import { RuntimeError, ValueError, warnOnce } from './errors.js';
import { formatTensor } from './format.js';
import { contiguousStrides, isContiguousLayout, normalizeDim, numelOf, type Shape } from './shape.js';
import * as pw from './ops/pointwise.js';
import * as red from './ops/reduction.js';
import * as la from './ops/linalg.js';
import * as vw from './ops/views.js';
import * as ix from './ops/indexing.js';
import * as ip from './ops/inplace.js';
import { contiguousData } from './ops/kernels.js';
import { UNARY, type UnaryMethods, type UnaryName } from './ops/unary.js';
import * as F from './nn/functional.js';
import * as sampling from './ops/sampling.js';
import type { Generator } from './random.js';
import type { IndexItem } from './ops/indexing.js';
import { PyFloat, type Scalar } from './scalar.js';

/** An operand PyTorch accepts where a tensor is expected: a tensor or a Python-style number. */
export type { Scalar };
export type TensorLike = Tensor | Scalar;
/** `size` arguments: `reshape(2, 3)` or `reshape([2, 3])`, as in PyTorch. */
export type SizeArgs = readonly number[] | [readonly number[]];

/**
 * Passed by the engine's own factories (`_make`, `_view`) to the constructor: the shape and
 * stride arrays are kept instead of copied. Not exported, so code outside this module always
 * gets copies.
 */
const ADOPT: unique symbol = Symbol('adopt');
const NO_HOOKS: TensorHook[] = [];
/** Row-major strides; the common 0-d and 1-d ones are shared (stride arrays are never changed in place). */
const SCALAR_STRIDES: number[] = [];
const VECTOR_STRIDES: number[] = [1];
function stridesOf(shape: Shape): number[] {
  const rank = shape.length;
  if (rank === 0) return SCALAR_STRIDES;
  if (rank === 1) return VECTOR_STRIDES;
  if (rank === 2) return [shape[1]!, 1];
  return contiguousStrides(shape);
}

/** Shared by a tensor and its views/detached aliases: bumped by every in-place change. */
export interface VersionCounter {
  value: number;
}

// The unary table's methods (x.exp(), x.exp_(), ...), installed below from ops/unary.ts.
export interface Tensor extends Omit<UnaryMethods, 'round' | 'round_'> {}

export class Tensor implements Iterable<Tensor> {
  /** Storage shared with views. */
  _data: Storage;
  _shape: number[];
  _strides: number[];
  /** The element count (the product of the shape), kept because every op asks for it. */
  _numel: number;
  _offset: number;
  _contiguous: boolean;
  readonly dtype: DType;
  _version_counter: VersionCounter;
  _requires_grad = false;
  _grad: Tensor | null = null;
  grad_fn: Node | null = null;
  _output_nr = 0;
  _retains_grad = false;
  /** Hooks of a leaf (register_hook); a shared empty list until the first one is registered. */
  _hooks: TensorHook[] = NO_HOOKS;
  /** The tensor this one is a view of (null for tensors owning their storage). */
  _base: Tensor | null = null;
  private _accumulator: WeakRef<AccumulateGrad> | null = null;

  /** Low-level constructor: prefer torch.tensor / torch.zeros. */
  constructor(data: Storage, shape: Shape, dtype: DType, strides?: readonly number[], offset = 0, version?: VersionCounter, geometry?: typeof ADOPT) {
    this._data = data;
    if (geometry === ADOPT) {
      // The engine's own construction (_make, _view): the arrays are never changed in place
      // once they belong to a tensor, so they are shared instead of copied.
      this._shape = shape as number[];
      this._strides = strides ? (strides as number[]) : stridesOf(shape);
    } else {
      this._shape = [...shape];
      this._strides = strides ? [...strides] : stridesOf(shape);
    }
    this._numel = numelOf(shape);
    this._offset = offset;
    this._contiguous = strides ? isContiguousLayout(shape, strides) : true;
    this.dtype = dtype;
    this._version_counter = version ?? { value: 0 };
  }

  /**
   * A fresh contiguous tensor owning `data`. `shape` is kept, not copied: the engine never
   * changes a tensor's shape array in place (a changed shape is always a new array).
   */
  static _make(data: Storage, shape: Shape, dtype: DType): Tensor {
    return new Tensor(data, shape, dtype, undefined, 0, undefined, ADOPT);
  }

  /** A tensor over existing storage with the given geometry (arrays kept, not copied). */
  static _view(data: Storage, shape: Shape, dtype: DType, strides: readonly number[], offset: number, version: VersionCounter): Tensor {
    return new Tensor(data, shape, dtype, strides, offset, version, ADOPT);
  }

  // ---------------------------------------------------------------- metadata

  get shape(): number[] {
    return this._shape;
  }
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this._shape] : this._shape[normalizeDim(dim, this._shape.length)] ?? 1;
  }
  dim(): number {
    return this._shape.length;
  }
  get ndim(): number {
    return this._shape.length;
  }
  numel(): number {
    return this._numel;
  }
  nelement(): number {
    return this.numel();
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    return dim === undefined ? [...this._strides] : this._strides[normalizeDim(dim, this._shape.length)]!;
  }
  storage_offset(): number {
    return this._offset;
  }
  element_size(): number {
    return this.dtype.itemsize;
  }
  is_contiguous(): boolean {
    return this._contiguous;
  }
  is_floating_point(): boolean {
    return this.dtype.is_floating_point;
  }
  /** PyTorch's version counter: how many in-place changes this storage has seen. */
  get _version(): number {
    return this._version_counter.value;
  }
  get is_leaf(): boolean {
    return this.grad_fn === null;
  }
  get requires_grad(): boolean {
    return this._requires_grad;
  }
  set requires_grad(flag: boolean) {
    // PyTorch's attribute setter words this error differently from requires_grad_().
    if (flag && this.is_leaf && !this.dtype.is_floating_point) {
      throw new RuntimeError(
        'only Tensors of floating point and complex dtype can require gradients',
        'Autograd Lab: create it from decimal data or pass { dtype: torch.float32 }.',
      );
    }
    this.requires_grad_(flag);
  }
  get retains_grad(): boolean {
    return this._retains_grad;
  }
  get is_view(): boolean {
    return this._base !== null;
  }

  /** `.grad`: null until the first backward reaches this leaf, then accumulating. */
  get grad(): Tensor | null {
    if (!this.is_leaf && !this._retains_grad && this._grad === null) {
      warnOnce(
        'UserWarning',
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.\nAutograd Lab: gradients land on leaves (tensors you created with requires_grad); read params.grad, not the grad of a computed tensor.",
      );
    }
    return this._grad;
  }
  set grad(value: Tensor | null) {
    if (value !== null && (value.dtype !== this.dtype || value.numel() !== this.numel())) {
      throw new RuntimeError(
        `assigned grad has data of a different size or type: expected ${this.dtype} ${JSON.stringify(this._shape)}, got ${value.dtype} ${JSON.stringify(value.shape)}`,
      );
    }
    this._grad = value;
  }

  /** `.data`: the same storage without autograd history, and without version tracking (as PyTorch). */
  get data(): Tensor {
    return new Tensor(this._data, this._shape, this.dtype, this._strides, this._offset);
  }
  set data(value: Tensor) {
    // PyTorch's `.data =` swaps the whole tensor behind the object, dtype included.
    (this as { dtype: DType }).dtype = value.dtype;
    this._data = value._data;
    this._shape = [...value._shape];
    this._strides = [...value._strides];
    this._numel = value._numel;
    this._offset = value._offset;
    this._contiguous = value._contiguous;
  }

  /** The accumulator node of a leaf that requires grad (one per leaf, kept while the graph lives). */
  _gradAccumulator(): AccumulateGrad {
    const existing = this._accumulator?.deref();
    if (existing) return existing;
    const node = new AccumulateGrad(this);
    this._accumulator = new WeakRef(node);
    return node;
  }

  // ---------------------------------------------------------------- values

  /** The one value of a one-element tensor, as a JS number (boolean for bool tensors is 0/1 → number). */
  item(): number {
    if (this.numel() !== 1) {
      throw new ValueError(
        'only one element tensors can be converted to Python scalars',
        `Autograd Lab: this tensor has ${this.numel()} elements; reduce it first (e.g. .sum() or .mean()), or use .tolist().`,
      );
    }
    return this._data[this._offset]!;
  }

  /** Nested arrays of numbers (booleans for bool tensors), as `tolist()`. */
  tolist(): NestedList {
    const data = contiguousData(this);
    const asValue = this.dtype === bool ? (v: number) => v !== 0 : (v: number) => v;
    const build = (dim: number, start: number): NestedList => {
      if (dim === this._shape.length) return asValue(data[start]!);
      const size = this._shape[dim]!;
      const step = numelOf(this._shape.slice(dim + 1));
      const out: NestedList[] = [];
      for (let i = 0; i < size; i++) out.push(build(dim + 1, start + i * step));
      return out;
    };
    return build(0, 0);
  }

  /** Row-major copy of the values (a typed array of the tensor's storage type). */
  values(): Storage {
    return contiguousData(this).slice() as Storage;
  }

  toString(): string {
    const suffixes: string[] = [];
    if (this.grad_fn) suffixes.push(`grad_fn=<${this.grad_fn.name()}>`);
    else if (this._requires_grad) suffixes.push('requires_grad=True');
    return formatTensor(contiguousData(this), this._shape, this.dtype.name, suffixes);
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === 'number') return this.item();
    return this.toString();
  }

  /** Iterates over the first dimension (`*params` in Python), recording UnbindBackward0. */
  [Symbol.iterator](): Iterator<Tensor> {
    if (this._shape.length === 0) throw new TypeError('iteration over a 0-d tensor');
    return vw.unbind(this, 0)[Symbol.iterator]();
  }
  get length(): number {
    if (this._shape.length === 0) throw new TypeError('len() of a 0-d tensor');
    return this._shape[0]!;
  }

  // ---------------------------------------------------------------- autograd

  /**
   * Computes the gradient of this tensor with respect to the leaves of its graph and adds it to
   * their `.grad`; with `inputs`, only to those tensors (a non-leaf among them keeps its gradient
   * through retain_grad()), as `torch.Tensor.backward`.
   */
  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    backwardFrom([this], [gradient ?? null], options);
  }

  /** Shares storage and version counter; no history. */
  detach(): Tensor {
    const t = new Tensor(this._data, this._shape, this.dtype, this._strides, this._offset, this._version_counter);
    return t;
  }

  /** Detaches this tensor from the graph in place (it becomes a leaf). */
  detach_(): this {
    if (this._base !== null && this._base._requires_grad) {
      throw new RuntimeError(
        "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.",
      );
    }
    this.grad_fn = null;
    this._output_nr = 0;
    this._requires_grad = false;
    return this;
  }

  requires_grad_(requires_grad = true): this {
    const flag = requires_grad;
    if (!this.is_leaf) {
      if (flag) return this;
      throw new RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
        'Autograd Lab: call .detach() to get a tensor without history instead.',
      );
    }
    if (flag && !this.dtype.is_floating_point) {
      throw new RuntimeError(
        'only Tensors of floating point dtype can require gradients',
        'Autograd Lab: create it from decimal data or pass { dtype: torch.float32 }.',
      );
    }
    this._requires_grad = flag;
    return this;
  }

  retain_grad(): void {
    if (!this._requires_grad) {
      throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
    }
    if (this.is_leaf || this._retains_grad) return;
    this._retains_grad = true;
    // Kept after the tensor's other hooks have run, whenever they were registered (as PyTorch).
    const self = new WeakRef<Tensor>(this);
    const keep: TensorHook = (g) => {
      const t = self.deref();
      if (t) t._grad = t._grad === null ? g.detach().clone() : t._grad.add(g.detach());
    };
    this.register_hook(Object.assign(keep, { [RETAINS_GRAD]: true }));
  }

  register_hook(hook: TensorHook): { remove(): void } {
    if (!this._requires_grad) {
      throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
    }
    let list: TensorHook[];
    if (this.grad_fn) {
      const hooks = this.grad_fn.tensorPreHooks;
      list = hooks.get(this._output_nr) ?? [];
      hooks.set(this._output_nr, list);
    } else {
      if (this._hooks === NO_HOOKS) this._hooks = [];
      list = this._hooks;
    }
    list.push(hook);
    return { remove: () => void list.splice(list.indexOf(hook) >>> 0, 1) };
  }

  /** Used by optimizers and AccumulateGrad: `.grad += g`. */
  _accumulateGrad(g: Tensor): void {
    accumulateInto(this, g, is_grad_enabled());
  }

  // ---------------------------------------------------------------- conversions

  /**
   * A copy in another dtype (this tensor itself when nothing changes, unless `copy`):
   * `to(torch.float64)`, `to(other)` (other's dtype), `to('cpu', torch.float64)`,
   * `to({ dtype, device, copy })`. The only device is the CPU.
   */
  to(target: DType | Tensor | string | ToOptions, dtype?: DType | ToOptions | null, options?: ToOptions): Tensor {
    return pw.to(this, target, dtype, options);
  }
  type(dtype: DType): Tensor {
    return this.to(dtype);
  }
  float(): Tensor {
    return this.to(float32);
  }
  double(): Tensor {
    return this.to(float64);
  }
  long(): Tensor {
    return this.to(int64);
  }
  int(): Tensor {
    return this.to(int32);
  }
  byte(): Tensor {
    return this.to(uint8);
  }
  bool(): Tensor {
    return this.to(bool);
  }
  clone(): Tensor {
    return pw.clone(this);
  }
  contiguous(): Tensor {
    return this._contiguous ? this : pw.clone(this);
  }
  cpu(): Tensor {
    return this;
  }

  // ---------------------------------------------------------------- pointwise

  add(other: TensorLike, options?: { alpha?: number }): Tensor {
    return pw.add(this, other, options?.alpha);
  }
  sub(other: TensorLike, options?: { alpha?: number }): Tensor {
    return pw.sub(this, other, options?.alpha);
  }
  /** `other - self` (Python's reflected subtraction, `2.5 - t`). */
  rsub(other: TensorLike, options?: { alpha?: number }): Tensor {
    return pw.rsub(this, other, options?.alpha);
  }
  mul(other: TensorLike): Tensor {
    return pw.mul(this, other);
  }
  div(other: TensorLike, options?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor {
    return pw.div(this, other, options?.rounding_mode ?? null);
  }
  /** `other ** self` (Python's `2 ** t`). */
  rpow(other: Scalar): Tensor {
    return pw.powScalarBase(other, this);
  }
  /** `other / self` (Python's `2 / t`). */
  rdiv(other: TensorLike): Tensor {
    return pw.div(pw.asTensorLike(other, this), this, null);
  }
  true_divide(other: TensorLike): Tensor {
    return this.div(other);
  }
  negative(): Tensor {
    return pw.unary('neg', this);
  }
  pow(exponent: TensorLike): Tensor {
    return pw.pow(this, exponent);
  }
  square(): Tensor {
    return pw.pow(this, 2);
  }
  clamp(min?: Scalar | null | ClampOptions, max?: Scalar | null): Tensor {
    const o = clampOptions(min, max);
    return pw.clamp(this, o.min ?? null, o.max ?? null);
  }
  clip(min?: Scalar | null | ClampOptions, max?: Scalar | null): Tensor {
    return this.clamp(min, max);
  }
  clamp_min(min: Scalar): Tensor {
    return pw.clamp(this, min, null, 'clamp_min');
  }
  clamp_max(max: Scalar): Tensor {
    return pw.clamp(this, null, max, 'clamp_max');
  }
  maximum(other: Tensor): Tensor {
    return pw.maximum(this, other);
  }
  minimum(other: Tensor): Tensor {
    return pw.minimum(this, other);
  }
  eq(other: TensorLike): Tensor {
    return pw.compare(this, other, 'eq');
  }
  ne(other: TensorLike): Tensor {
    return pw.compare(this, other, 'ne');
  }
  lt(other: TensorLike): Tensor {
    return pw.compare(this, other, 'lt');
  }
  le(other: TensorLike): Tensor {
    return pw.compare(this, other, 'le');
  }
  gt(other: TensorLike): Tensor {
    return pw.compare(this, other, 'gt');
  }
  ge(other: TensorLike): Tensor {
    return pw.compare(this, other, 'ge');
  }
  logical_not(): Tensor {
    return pw.logicalNot(this);
  }
  logical_and(other: Tensor): Tensor {
    return pw.logicalAnd(this, other);
  }
  logical_or(other: Tensor): Tensor {
    return pw.logicalOr(this, other);
  }
  logical_xor(other: Tensor): Tensor {
    return pw.logicalXor(this, other);
  }
  where(condition: Tensor, other: TensorLike): Tensor {
    return pw.where(condition, this, other);
  }
  isnan(): Tensor {
    return pw.isnan(this);
  }
  equal(other: Tensor): boolean {
    return pw.equal(this, other);
  }
  allclose(other: Tensor, options?: { rtol?: number; atol?: number; equal_nan?: boolean }): boolean {
    return pw.allclose(this, other, options);
  }

  // ---------------------------------------------------------------- reductions

  sum(dim?: red.DimArg | red.ReduceOptions, keepdim?: boolean | red.ReduceOptions): Tensor {
    return red.sum(this, ...red.reduceArgs(dim, keepdim));
  }
  mean(dim?: red.DimArg | red.ReduceOptions, keepdim?: boolean | red.ReduceOptions): Tensor {
    return red.mean(this, ...red.reduceArgs(dim, keepdim));
  }
  /** The product of all elements, or along one dim (ProdBackward0/1); int and bool inputs give int64. */
  prod(dim?: number | red.ReduceOptions, keepdim?: boolean | red.ReduceOptions): Tensor {
    const [d, k, dtype] = red.reduceArgs(dim, keepdim);
    return red.prod(this, d as number | null, k, dtype);
  }
  cumsum(dim: number | { dim: number; dtype?: DType }, options?: { dtype?: DType }): Tensor {
    const o = typeof dim === 'object' ? dim : { ...options, dim };
    return red.cumsum(this, o.dim, o.dtype);
  }
  /** `sort(dim=-1, descending=false)` → `{ values, indices }`; `stable` keeps equal elements in order (they always are here). */
  sort(dim?: number | SortOptions, descending?: boolean | SortOptions): red.ValuesIndices {
    const o = sortOptions(dim, descending);
    return red.sort(this, o.dim ?? -1, o.descending ?? false);
  }
  argsort(dim?: number | SortOptions, descending?: boolean | SortOptions): Tensor {
    return this.sort(dim, descending).indices;
  }
  /** The k largest (or smallest) elements along `dim` (the last by default), sorted unless `sorted` is false. */
  topk(k: number, dim?: number | TopkOptions, largest?: boolean | TopkOptions, sorted?: boolean | TopkOptions): red.ValuesIndices {
    const o = topkOptions(dim, largest, sorted);
    return red.topk(this, k, o.dim ?? -1, o.largest ?? true, o.sorted ?? true);
  }
  /** `max()` → the largest value; `max(dim)` → `{ values, indices }` (also destructurable as an array). */
  max(): Tensor;
  max(other: Tensor): Tensor;
  max(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): red.ValuesIndices;
  max(dim?: number | Tensor | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor | red.ValuesIndices {
    if (dim instanceof Tensor) return pw.maximum(this, dim);
    return red.extreme(this, 'max', dim, keepdim);
  }
  min(): Tensor;
  min(other: Tensor): Tensor;
  min(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): red.ValuesIndices;
  min(dim?: number | Tensor | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor | red.ValuesIndices {
    if (dim instanceof Tensor) return pw.minimum(this, dim);
    return red.extreme(this, 'min', dim, keepdim);
  }
  argmax(dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean): Tensor {
    return red.argExtreme(this, 'max', dim, keepdim);
  }
  argmin(dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean): Tensor {
    return red.argExtreme(this, 'min', dim, keepdim);
  }
  /**
   * The variance over `dim` (all elements by default), with Bessel's correction unless
   * `unbiased: false` or another `correction` (the number subtracted from the count).
   */
  var(dim?: red.DimArg | red.MomentOptions, options?: red.MomentOptions): Tensor {
    return red.variance(this, dim, options);
  }
  std(dim?: red.DimArg | red.MomentOptions, options?: red.MomentOptions): Tensor {
    return red.std(this, dim, options);
  }
  /** The p-norm (2 by default; 'fro' is 2, 'nuc' is not supported) of all elements or over `dim`. */
  norm(p?: number | string | null | red.NormOptions, dim?: red.DimArg | red.NormOptions, keepdim?: boolean | red.NormOptions): Tensor {
    return red.norm(this, ...red.normArgs(p, dim, keepdim));
  }
  /** Whether every element is nonzero, as a bool tensor (over `dim`, when given). */
  all(dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean): Tensor {
    return red.anyAll(this, 'all', dim, keepdim);
  }
  /** Whether any element is nonzero, as a bool tensor (over `dim`, when given). */
  any(dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean): Tensor {
    return red.anyAll(this, 'any', dim, keepdim);
  }

  softmax(dim: number | F.SoftmaxOptions, options?: F.SoftmaxOptions): Tensor {
    return F.softmax(this, dim, options);
  }
  log_softmax(dim: number | F.SoftmaxOptions, options?: F.SoftmaxOptions): Tensor {
    return F.log_softmax(this, dim, options);
  }

  // ---------------------------------------------------------------- linear algebra

  matmul(other: Tensor): Tensor {
    return la.matmul(this, other);
  }
  mm(mat2: Tensor): Tensor {
    return la.mm(this, mat2);
  }
  mv(vec: Tensor): Tensor {
    return la.mvChecked(this, vec);
  }
  dot(tensor: Tensor): Tensor {
    return la.dot(this, tensor);
  }
  bmm(mat2: Tensor): Tensor {
    return la.bmm(this, mat2);
  }

  // ---------------------------------------------------------------- views and shape

  /** A view with another shape (`view(2, 3)`, `view([2, 3])`), or the same memory read as another dtype of the same size (`view(torch.int32)`). */
  view(...shape: SizeArgs | [DType]): Tensor {
    if (shape.length === 1 && shape[0] instanceof Object && !Array.isArray(shape[0])) return vw.viewAsDtype(this, shape[0] as DType);
    return vw.view(this, sizeArgs(shape as SizeArgs));
  }
  view_as(other: Tensor): Tensor {
    return vw.view(this, other.shape);
  }
  reshape(...shape: SizeArgs): Tensor {
    return vw.reshape(this, sizeArgs(shape));
  }
  reshape_as(other: Tensor): Tensor {
    return vw.reshape(this, other.shape);
  }
  t(): Tensor {
    return vw.t(this);
  }
  get T(): Tensor {
    return vw.permute(this, this._shape.map((_, i) => this._shape.length - 1 - i));
  }
  transpose(dim0: number, dim1: number): Tensor {
    return vw.transpose(this, dim0, dim1);
  }
  permute(...dims: SizeArgs): Tensor {
    return vw.permute(this, sizeArgs(dims));
  }
  flatten(start_dim: number | { start_dim?: number; end_dim?: number } = 0, end_dim = -1): Tensor {
    const o = typeof start_dim === 'object' ? start_dim : { start_dim, end_dim };
    return vw.flatten(this, o.start_dim ?? 0, o.end_dim ?? -1);
  }
  squeeze(dim?: number): Tensor {
    return vw.squeeze(this, dim);
  }
  unsqueeze(dim: number): Tensor {
    return vw.unsqueeze(this, dim);
  }
  /** `expand(2, 3)` or `expand([2, 3])`; `{ implicit }` (PyTorch's tracing flag) changes nothing. */
  expand(...sizes: SizeArgs | [...number[], { implicit?: boolean }] | [readonly number[], { implicit?: boolean }]): Tensor {
    const last = sizes[sizes.length - 1];
    const plain = last !== undefined && typeof last === 'object' && !Array.isArray(last) ? sizes.slice(0, -1) : sizes;
    return vw.expand(this, sizeArgs(plain as SizeArgs));
  }
  /** A copy with the elements in reverse order along `dims`. */
  flip(...dims: SizeArgs): Tensor {
    return vw.flip(this, sizeArgs(dims));
  }
  /** The tensor repeated along each dim (`repeat(2, 3)`: twice along dim 0, three times along dim 1): a copy, unlike expand. */
  repeat(...repeats: SizeArgs): Tensor {
    return vw.repeat(this, sizeArgs(repeats));
  }
  expand_as(other: Tensor): Tensor {
    return vw.expand(this, other.shape);
  }
  unbind(dim = 0): Tensor[] {
    return vw.unbind(this, dim);
  }
  select(dim: number, index: number): Tensor {
    return vw.select(this, dim, index);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return vw.slice(this, dim, start, start + length, 1);
  }
  chunk(chunks: number, dim = 0): Tensor[] {
    return vw.chunk(this, chunks, dim);
  }
  /** Pieces of `split_size_or_sections` along `dim` (the last one shorter), or pieces of the given sizes. */
  split(split_size_or_sections: number | readonly number[], dim = 0): Tensor[] {
    return typeof split_size_or_sections === 'number' ? vw.split(this, split_size_or_sections, dim) : vw.splitWithSizes(this, split_size_or_sections, dim);
  }

  // ---------------------------------------------------------------- indexing

  /** `t[i]` (an int, negative from the end) or `t[idx]` (an int64 or bool tensor, or an array of ints). */
  get(index: number | Tensor | readonly number[]): Tensor {
    return ix.index(this, [index]);
  }
  /** `t[start:stop:step]` along the first dimension; `null` for an omitted bound: `t[:-n]` is `t.slice(null, -n)`. */
  slice(start?: number | null, stop?: number | null, step?: number | null): Tensor {
    return ix.index(this, [ix.slice(start, stop, step)]);
  }
  /**
   * Any Python index expression: `t[a:b, i]` is `t.index(slice(a, b), i)` or `t.index('a:b, i')`;
   * items are ints, `slice(...)`, tensors, `null` (a new axis) or `'...'`.
   */
  index(...items: readonly IndexItem[] | [string]): Tensor {
    return ix.index(this, ix.parseIndex(items));
  }
  /** `t[...] = value`: writes `value` into the indexed region in place. */
  index_put_(items: readonly IndexItem[] | string, value: TensorLike): this {
    ip.indexAssign(this, ix.parseIndex(typeof items === 'string' ? [items] : items), value);
    return this;
  }
  index_select(dim: number, index: Tensor): Tensor {
    return ix.index_select(this, dim, index);
  }
  /** Rounds half to even; with `decimals`, to that many decimal places (negative: tens, hundreds...). */
  round(options?: { decimals?: number }): Tensor {
    const decimals = options?.decimals;
    return decimals === undefined || decimals === null ? pw.unary('round', this) : pw.roundDecimals(this, decimals);
  }
  round_(options?: { decimals?: number }): this {
    return ip.inplace(this, 'round_', (self) => self.round(options), []);
  }
  /** `sparse_grad: true` asks PyTorch for a sparse gradient, which Autograd Lab does not have. */
  gather(dim: number, index: Tensor, options?: { sparse_grad?: boolean }): Tensor {
    return ix.gather(this, dim, index, options?.sparse_grad ?? false);
  }
  masked_fill(mask: Tensor, value: TensorLike): Tensor {
    return ix.masked_fill(this, mask, value);
  }
  scatter_add(dim: number, index: Tensor, src: Tensor): Tensor {
    return ix.scatter_add(this, dim, index, src);
  }
  /** The indices of the nonzero elements: one row each (`[n, dims]`), or with `as_tuple` one index tensor per dim. */
  nonzero(options?: { as_tuple?: false }): Tensor;
  nonzero(options: { as_tuple: true }): Tensor[];
  // The general form last: torch.nonzero(t, ...) takes its parameters from it.
  nonzero(options?: { as_tuple?: boolean }): Tensor | Tensor[];
  nonzero(options?: { as_tuple?: boolean }): Tensor | Tensor[] {
    return options?.as_tuple ? ix.nonzeroTuple(this) : ix.nonzero(this);
  }

  // ---------------------------------------------------------------- in place

  zero_(): this {
    return ip.fill_(this, 0);
  }
  fill_(value: TensorLike): this {
    return ip.fill_(this, value);
  }
  copy_(other: TensorLike): this {
    return ip.copy_(this, other);
  }
  add_(other: TensorLike, options?: { alpha?: number }): this {
    return ip.inplace(this, 'add_', (self) => pw.add(self, other, options?.alpha), [other]);
  }
  sub_(other: TensorLike, options?: { alpha?: number }): this {
    return ip.inplace(this, 'sub_', (self) => pw.sub(self, other, options?.alpha), [other]);
  }
  mul_(other: TensorLike): this {
    return ip.inplace(this, 'mul_', (self) => pw.mul(self, other), [other]);
  }
  div_(other: TensorLike, options?: { rounding_mode?: 'trunc' | 'floor' | null }): this {
    return ip.inplace(this, 'div_', (self) => pw.div(self, other, options?.rounding_mode ?? null), [other]);
  }
  pow_(exponent: TensorLike): this {
    return ip.inplace(this, 'pow_', (self) => pw.pow(self, exponent), [exponent]);
  }
  clamp_(min?: Scalar | null | ClampOptions, max?: Scalar | null): this {
    return ip.inplace(this, 'clamp_', (self) => self.clamp(min, max), []);
  }
  masked_fill_(mask: Tensor, value: TensorLike): this {
    return ip.inplace(this, 'masked_fill_', (self) => ix.masked_fill(self, mask, value), [value]);
  }
  /** `self += value * tensor1 * tensor2` */
  addcmul_(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): this {
    return ip.inplace(this, 'addcmul_', (self) => pw.addcmul(self, tensor1, tensor2, options?.value ?? 1), [tensor1, tensor2]);
  }
  /** `self += value * tensor1 / tensor2` */
  addcdiv_(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): this {
    return ip.inplace(this, 'addcdiv_', (self) => pw.addcdiv(self, tensor1, tensor2, options?.value ?? 1), [tensor1, tensor2]);
  }
  /** `self + weight * (end - self)`; the weight a number or a tensor. */
  lerp(end: Tensor, weight: Scalar | Tensor): Tensor {
    return pw.lerp(this, end, weight);
  }
  /** `self = self + weight * (end - self)` */
  lerp_(end: Tensor, weight: Scalar | Tensor): this {
    return ip.inplace(this, 'lerp_', (self) => pw.lerp(self, end, weight), weight instanceof Tensor ? [end, weight] : [end]);
  }
  maximum_(other: Tensor): this {
    return ip.inplace(this, 'maximum_', (self) => pw.maximum(self, other), [other]);
  }
  /** 1 with the probability each element holds, else 0 (`torch.bernoulli(self)`). */
  bernoulli(p?: number | null | { generator?: Generator }, options?: { generator?: Generator }): Tensor {
    return sampling.bernoulli(this, p, options);
  }
  /** Fills with 1 at probability p (a number, or a tensor of probabilities), else 0. */
  bernoulli_(p: number | Tensor = 0.5, options?: { generator?: Generator }): this {
    return ip.bernoulli_(this, p, options?.generator);
  }
  /** Indices of `num_samples` categories drawn with this tensor's weights (per row). */
  multinomial(num_samples: number, replacement?: boolean | { replacement?: boolean; generator?: Generator }, options?: { generator?: Generator }): Tensor {
    return sampling.multinomial(this, num_samples, replacement, options);
  }
  uniform_(from = 0, to = 1, options?: { generator?: import('./random.js').Generator }): this {
    return ip.uniform_(this, from, to, options?.generator);
  }
  normal_(mean = 0, std = 1, options?: { generator?: import('./random.js').Generator }): this {
    return ip.normal_(this, mean, std, options?.generator);
  }
}

export type NestedList = number | boolean | NestedList[];

/** `to`'s options; `copy` makes a copy even when the dtype is already right. */
export interface ToOptions {
  dtype?: DType | null;
  device?: string | null;
  non_blocking?: boolean;
  copy?: boolean;
}

export interface ClampOptions {
  min?: Scalar | null;
  max?: Scalar | null;
}
function clampOptions(min: Scalar | null | ClampOptions | undefined, max: Scalar | null | undefined): ClampOptions {
  return typeof min === 'object' && min !== null && !(min instanceof PyFloat) ? min : { min, max };
}

export interface SortOptions {
  dim?: number;
  descending?: boolean;
  stable?: boolean | null;
}
function sortOptions(dim: number | SortOptions | undefined, descending: boolean | SortOptions | undefined): SortOptions {
  const o: SortOptions = typeof dim === 'object' ? { ...dim } : { dim };
  if (typeof descending === 'object') Object.assign(o, descending);
  else if (descending !== undefined) o.descending = descending;
  return o;
}

export interface TopkOptions {
  dim?: number;
  largest?: boolean;
  sorted?: boolean;
}
function topkOptions(dim: number | TopkOptions | undefined, largest: boolean | TopkOptions | undefined, sorted: boolean | TopkOptions | undefined): TopkOptions {
  const o: TopkOptions = {};
  for (const [name, v] of [['dim', dim], ['largest', largest], ['sorted', sorted]] as const) {
    if (typeof v === 'object') Object.assign(o, v);
    else if (v !== undefined) (o as Record<string, unknown>)[name] = v;
  }
  return o;
}

// Every unary table op as a method, out of place and in place (PyTorch has both for each),
// unless the class writes the method itself (round, which also takes decimals).
for (const name of Object.keys(UNARY) as UnaryName[]) {
  if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) continue;
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor): Tensor {
      return pw.unary(name, this);
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(Tensor.prototype, `${name}_`, {
    value: function (this: Tensor): Tensor {
      return ip.inplace(this, `${name}_`, (self) => pw.unary(name, self), []);
    },
    writable: true,
    configurable: true,
  });
}

/** Accepts both `f(2, 3)` and `f([2, 3])`. */
export function sizeArgs(args: SizeArgs): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return [...(args as readonly number[])];
}
