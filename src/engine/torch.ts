/**
 * The `torch` namespace: PyTorch's functional API over the Tensor methods, factories, dtypes,
 * grad-mode control and torch.autograd.
 */
import * as gradMode from './autograd/grad_mode.js';
import { backward, grad } from './autograd/grad.js';
import { gradcheck } from './autograd/gradcheck.js';
import type { Node } from './autograd/node.js';
import * as creation from './creation.js';
import { bool, DType, float32, float64, getDefaultDtype, int32, int64, setDefaultDtype, uint8 } from './dtype.js';
import { getPrintOptions, setPrintOptions } from './format.js';
import { cat, stack } from './ops/join.js';
import { slice } from './ops/indexing.js';
import * as la from './ops/linalg.js';
import * as pw from './ops/pointwise.js';
import { UNARY, type UnaryName } from './ops/unary.js';
import type { ValuesIndices } from './ops/reduction.js';
import { nonzeroTuple } from './ops/indexing.js';
import * as sampling from './ops/sampling.js';
import { Generator } from './random.js';
import { PyFloat, pyfloat, type Scalar, scalarDtype } from './scalar.js';
import { Tensor, type TensorLike } from './tensor.js';

/** A number in the tensor position of a torch function becomes a zero-dim tensor, as PyTorch wraps it. */
function wrap(x: TensorLike, like: TensorLike): Tensor {
  if (x instanceof Tensor) return x;
  return like instanceof Tensor ? pw.asTensorLike(x, like) : creation.scalar_tensor(x, { dtype: scalarDtype(x) });
}

type Method<K extends keyof Tensor> = Tensor[K] extends (...args: infer A) => infer R ? (self: Tensor, ...args: A) => R : never;

/** `torch.f(t, ...)` is `t.f(...)` for every method-style op. */
function method<K extends keyof Tensor>(name: K): Method<K> {
  return ((self: Tensor, ...args: unknown[]) => (self[name] as (...a: unknown[]) => unknown).apply(self, args)) as Method<K>;
}

/** `torch.set_grad_enabled(flag, fn)` runs fn in that mode; without fn it sets the mode (as the function call form in Python). */
function set_grad_enabled<T>(flag: boolean, fn?: () => T): T | undefined {
  if (fn === undefined) {
    gradMode.setGradModeUnscoped(flag);
    return undefined;
  }
  return gradMode.set_grad_enabled(flag, fn);
}

function maxOrMin(which: 'max' | 'min') {
  function f(input: Tensor): Tensor;
  function f(input: Tensor, other: Tensor): Tensor;
  function f(input: Tensor, dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
  function f(input: Tensor, dim?: number | Tensor | { dim: number; keepdim?: boolean }, keepdim?: boolean | { keepdim?: boolean }): Tensor | ValuesIndices {
    if (dim === undefined) return input[which]();
    if (dim instanceof Tensor) return input[which](dim);
    return input[which](dim, keepdim);
  }
  return f;
}

/** `torch.exp(t)`, `torch.tanh(t)`, ...: every unary table op. */
const unaryFunctions = Object.fromEntries(Object.keys(UNARY).map((name) => [name, (input: Tensor) => pw.unary(name as UnaryName, input)])) as {
  [K in UnaryName]: (input: Tensor) => Tensor;
};

/** `torch.where(condition, input, other)`, or `torch.where(condition)`: the nonzero indices per dim. */
function where(condition: Tensor): Tensor[];
function where(condition: Tensor, input: TensorLike, other: TensorLike): Tensor;
function where(condition: Tensor, input?: TensorLike, other?: TensorLike): Tensor | Tensor[] {
  if (input === undefined && other === undefined) return nonzeroTuple(condition);
  if (input === undefined || other === undefined) throw new TypeError('where() takes the condition alone, or the condition, input and other');
  return pw.where(condition, input, other);
}

export const autograd = {
  grad,
  backward,
  gradcheck,
  /** The grad_fn classes are all `Node`s: `loss.grad_fn instanceof torch.autograd.graph.Node`. */
  graph: {} as { Node?: typeof Node },
};

export const torch = {
  // dtypes
  float32,
  float: float32,
  float64,
  double: float64,
  int64,
  long: int64,
  int32,
  int: int32,
  uint8,
  bool,
  dtype: DType,
  Tensor,
  Generator,
  PyFloat,
  pyfloat,
  get_default_dtype: getDefaultDtype,
  set_default_dtype: (d: DType) => setDefaultDtype(d),
  is_tensor: (x: unknown): x is Tensor => x instanceof Tensor,
  is_floating_point: (t: Tensor) => t.is_floating_point(),
  numel: (t: Tensor) => t.numel(),

  // factories
  ...creation,

  // grad mode
  no_grad: gradMode.no_grad,
  enable_grad: gradMode.enable_grad,
  set_grad_enabled,
  is_grad_enabled: gradMode.is_grad_enabled,
  autograd,

  // pointwise
  ...unaryFunctions,
  round: (input: Tensor, options?: { decimals?: number }) => input.round(options),
  add: (input: TensorLike, other: TensorLike, options?: { alpha?: number }) => wrap(input, other).add(other, options),
  sub: (input: TensorLike, other: TensorLike, options?: { alpha?: number }) => wrap(input, other).sub(other, options),
  subtract: (input: TensorLike, other: TensorLike, options?: { alpha?: number }) => wrap(input, other).sub(other, options),
  rsub: (input: Tensor, other: TensorLike, options?: { alpha?: number }) => input.rsub(other, options),
  mul: (input: TensorLike, other: TensorLike) => wrap(input, other).mul(other),
  multiply: (input: TensorLike, other: TensorLike) => wrap(input, other).mul(other),
  div: (input: TensorLike, other: TensorLike, options?: { rounding_mode?: 'trunc' | 'floor' | null }) => wrap(input, other).div(other, options),
  divide: (input: TensorLike, other: TensorLike, options?: { rounding_mode?: 'trunc' | 'floor' | null }) => wrap(input, other).div(other, options),
  true_divide: (input: TensorLike, other: TensorLike) => wrap(input, other).div(other),
  negative: method('neg'),
  pow: (input: TensorLike, exponent: TensorLike) =>
    input instanceof Tensor ? input.pow(exponent) : exponent instanceof Tensor ? pw.powScalarBase(input, exponent) : wrap(input, exponent).pow(exponent),
  square: method('square'),
  softmax: method('softmax'),
  log_softmax: method('log_softmax'),
  clamp: method('clamp'),
  clip: method('clamp'),
  maximum: method('maximum'),
  minimum: method('minimum'),
  eq: method('eq'),
  ne: method('ne'),
  lt: method('lt'),
  le: method('le'),
  gt: method('gt'),
  ge: method('ge'),
  logical_not: method('logical_not'),
  logical_and: (input: Tensor, other: Tensor) => pw.logicalAnd(input, other),
  logical_or: (input: Tensor, other: Tensor) => pw.logicalOr(input, other),
  logical_xor: (input: Tensor, other: Tensor) => pw.logicalXor(input, other),
  isnan: method('isnan'),
  isfinite: pw.isfinite,
  where,
  addcmul: (input: Tensor, tensor1: Tensor, tensor2: Tensor, options?: { value?: number }) => pw.addcmul(input, tensor1, tensor2, options?.value ?? 1),
  addcdiv: (input: Tensor, tensor1: Tensor, tensor2: Tensor, options?: { value?: number }) => pw.addcdiv(input, tensor1, tensor2, options?.value ?? 1),
  lerp: (input: Tensor, end: Tensor, weight: Scalar | Tensor) => pw.lerp(input, end, weight),
  clone: method('clone'),
  equal: (input: Tensor, other: Tensor) => input.equal(other),
  allclose: method('allclose'),

  // reductions
  sum: method('sum'),
  mean: method('mean'),
  max: maxOrMin('max'),
  min: maxOrMin('min'),
  argmax: method('argmax'),
  argmin: method('argmin'),
  var: method('var'),
  std: method('std'),
  norm: method('norm'),
  prod: method('prod'),
  cumsum: method('cumsum'),
  any: method('any'),
  all: method('all'),
  sort: method('sort'),
  argsort: method('argsort'),
  topk: method('topk'),

  // linear algebra
  matmul: method('matmul'),
  mm: method('mm'),
  addmm: la.addmm,
  mv: method('mv'),
  bmm: method('bmm'),
  dot: method('dot'),

  // shape
  t: method('t'),
  transpose: method('transpose'),
  permute: method('permute'),
  reshape: method('reshape'),
  flatten: method('flatten'),
  squeeze: method('squeeze'),
  unsqueeze: method('unsqueeze'),
  unbind: method('unbind'),
  select: method('select'),
  narrow: method('narrow'),
  chunk: method('chunk'),
  split: method('split'),
  cat: (tensors: readonly Tensor[], dim: number | { dim?: number } = 0) => cat(tensors, typeof dim === 'number' ? dim : (dim.dim ?? 0)),
  concat: (tensors: readonly Tensor[], dim: number | { dim?: number } = 0) => cat(tensors, typeof dim === 'number' ? dim : (dim.dim ?? 0)),
  stack: (tensors: readonly Tensor[], dim: number | { dim?: number } = 0) => stack(tensors, typeof dim === 'number' ? dim : (dim.dim ?? 0)),
  flip: method('flip'),
  index_select: method('index_select'),
  gather: method('gather'),
  masked_fill: method('masked_fill'),
  scatter_add: method('scatter_add'),
  nonzero: method('nonzero'),
  /** `slice(a, b)` is Python's `a:b` inside `t.index(...)`. */
  slice,

  // sampling
  normal: sampling.normal,
  bernoulli: sampling.bernoulli,
  multinomial: sampling.multinomial,

  // printing
  set_printoptions: setPrintOptions,
  get_printoptions: getPrintOptions,
};
