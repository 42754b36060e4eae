/**
 * Elementwise ops. Each entry pairs the forward formula with its derivative, as PyTorch's
 * derivatives.yaml does; the derivative is written with tensor ops so that it can itself be
 * differentiated (create_graph). Broadcasting is undone by the engine, which sums each
 * gradient back to its input's shape.
 */
import { record, recording, saveIf } from '../autograd/function.js';
import type { BackwardFn } from '../autograd/node.js';
import { is_grad_enabled } from '../autograd/grad_mode.js';
import { bool, type DType, float32, int64, resultType } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { sameShape } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { binaryOp, mapBinary, mapTernary, mapUnary, Op } from './kernels.js';

const fround = Math.fround;

// ------------------------------------------------------------------ operands

/** A number operand as a zero-dim tensor of the dtype it will be computed in (PyTorch's wrapped scalar). */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = dtype.alloc(1);
  data[0] = dtype.cast(value);
  return Tensor._make(data, [], dtype);
}

function scalarDtype(value: number | boolean): DType {
  return typeof value === 'boolean' ? bool : Number.isInteger(value) ? int64 : float32;
}

/** The dtype of `a op b` by PyTorch's promotion rules (tensors with dims > zero-dim > numbers). */
export function binaryDtype(a: Tensor, b: TensorLike): DType {
  // The common cases first: same-dtype tensors, and a float tensor with a number.
  if (b instanceof Tensor ? b.dtype === a.dtype : typeof b === 'number' && a.dtype.is_floating_point) return a.dtype;
  return resultType([
    { dtype: a.dtype, priority: a.dim() > 0 ? 2 : 1 },
    b instanceof Tensor ? { dtype: b.dtype, priority: b.dim() > 0 ? 2 : 1 } : { dtype: scalarDtype(b), priority: 0 },
  ]);
}

/** Turns a number operand into a tensor in the dtype `like` computes in. */
export function asTensorLike(value: TensorLike, like: Tensor): Tensor {
  return value instanceof Tensor ? value : scalarTensor(Number(value), binaryDtype(like, value));
}

function floatResult(d: DType): DType {
  return d.is_floating_point ? d : float32;
}

/** Operands of a binary op, with number operands cast to the computation dtype first. */
function operands(a: Tensor, b: TensorLike): [Tensor, Tensor, DType] {
  const dtype = binaryDtype(a, b);
  return [a, b instanceof Tensor ? b : scalarTensor(Number(b), dtype), dtype];
}

// ------------------------------------------------------------------ unary table

interface UnaryDef {
  node: string;
  forward: (x: number) => number;
  /** The saved tensors the derivative reads: the input, the result, or nothing. */
  save: 'self' | 'result' | 'none';
  derivative: (grad: Tensor, saved: Tensor) => Tensor;
  /** Integer inputs give float results (exp, log, sin, ...). */
  floatOnly?: boolean;
}

const sigmoid64 = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const UNARY = {
  neg: { node: 'NegBackward0', forward: (x) => -x, save: 'none', derivative: (g) => g.neg() },
  exp: { node: 'ExpBackward0', forward: Math.exp, save: 'result', floatOnly: true, derivative: (g, y) => g.mul(y) },
  log: { node: 'LogBackward0', forward: Math.log, save: 'self', floatOnly: true, derivative: (g, x) => g.div(x) },
  sqrt: { node: 'SqrtBackward0', forward: Math.sqrt, save: 'result', floatOnly: true, derivative: (g, y) => g.div(y.mul(2)) },
  rsqrt: {
    node: 'RsqrtBackward0',
    forward: (x) => 1 / Math.sqrt(x),
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.mul(-0.5).mul(y.pow(3)),
  },
  abs: { node: 'AbsBackward0', forward: Math.abs, save: 'self', derivative: (g, x) => g.mul(x.sign()) },
  sin: { node: 'SinBackward0', forward: Math.sin, save: 'self', floatOnly: true, derivative: (g, x) => g.mul(x.cos()) },
  cos: { node: 'CosBackward0', forward: Math.cos, save: 'self', floatOnly: true, derivative: (g, x) => g.mul(x.sin().neg()) },
  tanh: {
    node: 'TanhBackward0',
    forward: Math.tanh,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => (fusable(g, y) ? fused(g, y, Fused.Tanh) : g.mul(y.mul(y).rsub(1))),
  },
  sigmoid: {
    node: 'SigmoidBackward0',
    forward: sigmoid64,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => (fusable(g, y) ? fused(g, y, Fused.Sigmoid) : g.mul(y.rsub(1)).mul(y)),
  },
  relu: {
    node: 'ReluBackward0',
    forward: (x) => (x > 0 ? x : x !== x ? x : 0),
    save: 'result',
    derivative: (g, y) => (fusable(g, y) ? fused(g, y, Fused.Relu) : g.mul(y.gt(0).to(g.dtype))),
  },
  reciprocal: {
    node: 'ReciprocalBackward0',
    forward: (x) => 1 / x,
    save: 'result',
    floatOnly: true,
    derivative: (g, y) => g.neg().mul(y.mul(y)),
  },
  sign: { node: 'SignBackward0', forward: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), save: 'none', derivative: (g) => g.mul(0) },
} satisfies Record<string, UnaryDef>;

/**
 * Derivatives computed in one loop when nothing records them (backward without create_graph):
 * the same roundings as the ops they replace, one allocation instead of two or three.
 */
enum Fused {
  /** g * (1 - y * y) */
  Tanh,
  /** (g * (1 - y)) * y */
  Sigmoid,
  /** g * (y > 0 ? 1 : 0) */
  Relu,
}

/** Whether `fused(g, s)` applies: no recording, one float dtype, one shape, both contiguous. */
function fusable(g: Tensor, s: Tensor): boolean {
  return !is_grad_enabled() && g.dtype === s.dtype && g.dtype.is_floating_point && g._contiguous && s._contiguous && sameShape(g._shape, s._shape);
}

function fused(g: Tensor, s: Tensor, op: Fused): Tensor {
  const dtype = g.dtype;
  const n = g._numel;
  const out = dtype.alloc(n);
  const gd = g._data;
  const sd = s._data;
  const go = g._offset;
  const so = s._offset;
  const f32 = dtype === float32;
  switch (op) {
    case Fused.Tanh:
      if (f32) {
        for (let i = 0; i < n; i++) {
          const y = sd[so + i]!;
          out[i] = gd[go + i]! * fround(1 - fround(y * y));
        }
      } else for (let i = 0; i < n; i++) out[i] = gd[go + i]! * (1 - sd[so + i]! * sd[so + i]!);
      break;
    case Fused.Sigmoid:
      if (f32) {
        for (let i = 0; i < n; i++) {
          const y = sd[so + i]!;
          out[i] = fround(gd[go + i]! * fround(1 - y)) * y;
        }
      } else for (let i = 0; i < n; i++) out[i] = gd[go + i]! * (1 - sd[so + i]!) * sd[so + i]!;
      break;
    case Fused.Relu:
      for (let i = 0; i < n; i++) out[i] = gd[go + i]! * (sd[so + i]! > 0 ? 1 : 0);
      break;
  }
  return Tensor._make(out, s._shape, dtype);
}

function unary(def: UnaryDef, x: Tensor): Tensor {
  const dtype = def.floatOnly ? floatResult(x.dtype) : x.dtype;
  const y =
    dtype.is_floating_point && x._contiguous && (def === UNARY.neg || def === UNARY.tanh || def === UNARY.exp)
      ? unaryLoop(x, dtype, def)
      : mapUnary(x, dtype, def.forward);
  if (recording(x)) {
    const saved = def.save === 'self' ? [x] : def.save === 'result' ? [y] : [];
    if (recording(x)) record(def.node, [x], [y], saved, unaryBackward(def));
  }
  return y;
}

/** `-x`, `tanh(x)`, `exp(x)` of a contiguous float tensor, each with a loop of its own (no call through a table per element). */
function unaryLoop(x: Tensor, dtype: DType, def: UnaryDef): Tensor {
  const n = x._numel;
  const out = dtype.alloc(n);
  const src = x._data;
  const o = x._offset;
  if (def === UNARY.neg) for (let i = 0; i < n; i++) out[i] = -src[o + i]!;
  else if (def === UNARY.tanh) for (let i = 0; i < n; i++) out[i] = Math.tanh(src[o + i]!);
  else for (let i = 0; i < n; i++) out[i] = Math.exp(src[o + i]!);
  return Tensor._make(out, x._shape, dtype);
}

export const neg = (x: Tensor) => unary(UNARY.neg, x);
export const exp = (x: Tensor) => unary(UNARY.exp, x);
export const log = (x: Tensor) => unary(UNARY.log, x);
export const sqrt = (x: Tensor) => unary(UNARY.sqrt, x);
export const rsqrt = (x: Tensor) => unary(UNARY.rsqrt, x);
export const abs = (x: Tensor) => unary(UNARY.abs, x);
export const sin = (x: Tensor) => unary(UNARY.sin, x);
export const cos = (x: Tensor) => unary(UNARY.cos, x);
export const tanh = (x: Tensor) => unary(UNARY.tanh, x);
export const sigmoid = (x: Tensor) => unary(UNARY.sigmoid, x);
export const relu = (x: Tensor) => unary(UNARY.relu, x);
export const reciprocal = (x: Tensor) => unary(UNARY.reciprocal, x);
export const sign = (x: Tensor) => unary(UNARY.sign, x);

// ------------------------------------------------------------------ binary ops

// Backward formulas that capture nothing, made once instead of per op.
const NONE: Tensor[] = [];
const addBackward: BackwardFn = ([g]) => [g!, g!];
const subBackward: BackwardFn = ([g], _, node) => [g!, node.needsInputGrad[1] ? g!.neg() : null];
const mulBackward: BackwardFn = ([g], [xs, ys]) => [ys ? g!.mul(ys) : null, xs ? g!.mul(xs) : null];
const unaryBackwards = new Map<UnaryDef, BackwardFn>();
function unaryBackward(def: UnaryDef): BackwardFn {
  let fn = unaryBackwards.get(def);
  if (fn === undefined) {
    fn = ([g], [s]) => [def.derivative(g!, s!)];
    unaryBackwards.set(def, fn);
  }
  return fn;
}

/** The operand `b` of `a op b` as a tensor: numbers become zero-dim tensors of the computation dtype. */
function operandTensor(b: TensorLike, dtype: DType): Tensor {
  return b instanceof Tensor ? b : scalarTensor(Number(b), dtype);
}

/** `a + alpha * b`: alpha is cast to the computation dtype and applied as its own rounding step. */
export function add(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const dtype = binaryDtype(a, b);
  const x = a;
  const y = operandTensor(b, dtype);
  const al = dtype.cast(alpha);
  const out =
    al === 1
      ? dtype.is_floating_point
        ? binaryOp(x, y, dtype, Op.Add)
        : mapBinary(x, y, dtype, (p, q) => p + q)
      : mapBinary(x, y, dtype, (p, q) => p + dtype.cast(al * q));
  if (recording(x, y)) {
    record('AddBackward0', [x, y], [out], NONE, al === 1 ? addBackward : ([g], _, node) => [g!, node.needsInputGrad[1] ? g!.mul(al) : null]);
  }
  return out;
}

export function sub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const dtype = binaryDtype(a, b);
  const x = a;
  const y = operandTensor(b, dtype);
  if (dtype === bool) throw new RuntimeError('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  const al = dtype.cast(alpha);
  const out =
    al === 1
      ? dtype.is_floating_point
        ? binaryOp(x, y, dtype, Op.Sub)
        : mapBinary(x, y, dtype, (p, q) => p - q)
      : mapBinary(x, y, dtype, (p, q) => p - dtype.cast(al * q));
  if (recording(x, y)) {
    record('SubBackward0', [x, y], [out], NONE, al === 1 ? subBackward : ([g], _, node) => [g!, node.needsInputGrad[1] ? g!.mul(-al) : null]);
  }
  return out;
}

/** `b - alpha * a`, Python's `2.5 - t`. */
export function rsub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const dtype = binaryDtype(a, b);
  const x = a;
  const y = operandTensor(b, dtype);
  const al = dtype.cast(alpha);
  const out =
    al === 1 && dtype.is_floating_point
      ? binaryOp(y, x, dtype, Op.Sub)
      : mapBinary(y, x, dtype, al === 1 ? (p, q) => p - q : (p, q) => p - dtype.cast(al * q));
  if (recording(x, y)) {
    record('RsubBackward1', [x, y], [out], [], ([g], _, node) => [
      node.needsInputGrad[0] ? (al === 1 ? g!.neg() : g!.mul(-al)) : null,
      g!,
    ]);
  }
  return out;
}

export function mul(a: Tensor, b: TensorLike): Tensor {
  const dtype = binaryDtype(a, b);
  const x = a;
  const y = operandTensor(b, dtype);
  const out = dtype.is_floating_point ? binaryOp(x, y, dtype, Op.Mul) : mapBinary(x, y, dtype, dtype === bool ? (p, q) => p & q : (p, q) => p * q);
  if (recording(x, y)) {
    record('MulBackward0', [x, y], [out], [saveIf(y, x), saveIf(x, y)], mulBackward);
  }
  return out;
}

export function div(a: Tensor, b: TensorLike, rounding_mode: 'trunc' | 'floor' | null = null): Tensor {
  const common = binaryDtype(a, b);
  const x = a;
  const y = operandTensor(b, common);
  if (rounding_mode !== null) {
    const round = rounding_mode === 'trunc' ? Math.trunc : Math.floor;
    const out = mapBinary(x, y, common, common.is_floating_point ? (p, q) => round(fround(p / q)) : (p, q) => round(p / q));
    if (recording(x, y)) record('DivBackward2', [x, y], [out], [], ([g]) => [g!.mul(0), g!.mul(0)]);
    return out;
  }
  const dtype = floatResult(common);
  const out = binaryOp(x, y, dtype, Op.Div);
  if (recording(x, y)) {
    record('DivBackward0', [x, y], [out], [saveIf(y, x), y], ([g], [xs, ys], node) => [
      node.needsInputGrad[0] ? g!.div(ys!) : null,
      xs ? g!.neg().mul(xs.div(ys!).div(ys!)) : null,
    ]);
  }
  return out;
}

/** `x ** exponent` for a number or a tensor exponent. */
export function pow(a: Tensor, exponent: TensorLike): Tensor {
  if (!(exponent instanceof Tensor)) {
    const e = Number(exponent);
    const dtype = binaryDtype(a, e);
    // x**2 is computed as x*x in PyTorch: one rounding, bit-identical to the correctly rounded square.
    const f = e === 2 ? (x: number) => x * x : e === 0.5 ? Math.sqrt : e === 1 ? (x: number) => x : (x: number) => Math.pow(x, e);
    const out = e === 2 && dtype.is_floating_point && a._contiguous ? square(a, dtype) : mapUnary(a, dtype, f);
    if (recording(a)) {
      record('PowBackward0', [a], [out], [a], ([g], [x]) => [e === 0 ? g!.mul(0) : e === 2 ? powBackward2(g!, x!) : g!.mul(x!.pow(e - 1).mul(e))], { exponent: e });
    }
    return out;
  }
  const [x, y, dtype] = operands(a, exponent);
  const out = mapBinary(x, y, dtype, (p, q) => Math.pow(p, q));
  if (recording(x, y)) {
    record('PowBackward1', [x, y], [out], [x, y, out], ([g], [xs, ys, res]) => {
      const gradSelf = where(ys!.eq(0), 0, g!.mul(ys!.mul(xs!.pow(ys!.sub(1)))));
      const gradExp = g!.mul(where(logicalAnd(xs!.eq(0), ys!.ge(0)), 0, res!.mul(xs!.log())));
      return [gradSelf, gradExp];
    });
  }
  return out;
}

/** `x * x` with the loop inlined (contiguous float input). */
function square(a: Tensor, dtype: DType): Tensor {
  const n = a.numel();
  const out = dtype.alloc(n);
  const src = a._data;
  const o = a._offset;
  for (let i = 0; i < n; i++) {
    const v = src[o + i]!;
    out[i] = v * v;
  }
  return Tensor._make(out, a._shape, dtype);
}

/**
 * The gradient of `x ** 2`: `g * (x ** 1 * 2)`. Without recording, on same-shape contiguous
 * operands, one loop computes what the three ops would (`x ** 1` is x, `x * 2` rounded, then `g *`).
 */
function powBackward2(g: Tensor, x: Tensor): Tensor {
  const dtype = x.dtype;
  if (is_grad_enabled() || g.dtype !== dtype || !dtype.is_floating_point || !g._contiguous || !x._contiguous || !sameShape(g._shape, x._shape)) {
    return g.mul(x.pow(1).mul(2));
  }
  const n = x.numel();
  const out = dtype.alloc(n);
  const gd = g._data;
  const xd = x._data;
  const go = g._offset;
  const xo = x._offset;
  if (dtype === float32) for (let i = 0; i < n; i++) out[i] = gd[go + i]! * fround(xd[xo + i]! * 2);
  else for (let i = 0; i < n; i++) out[i] = gd[go + i]! * (xd[xo + i]! * 2);
  return Tensor._make(out, x._shape, dtype);
}

/** `base ** exponent` for a number base (Python's `2 ** t`). */
export function powScalarBase(base: number, exponent: Tensor): Tensor {
  const dtype = floatResult(binaryDtype(exponent, base));
  const out = mapUnary(exponent, dtype, (e) => Math.pow(base, e));
  const logBase = Math.log(base);
  if (recording(exponent)) record('PowBackward2', [exponent], [out], [out], ([g], [res]) => [base === 0 ? g!.mul(0) : g!.mul(res!).mul(logBase)]);
  return out;
}

/** PyTorch's `clamp`: values outside [min, max] are moved to the bound; gradient passes only inside. */
export function clamp(x: Tensor, min: number | null, max: number | null, nodeName = 'ClampBackward1'): Tensor {
  if (min === null && max === null) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const dtype = x.dtype;
  const lo = min === null ? -Infinity : dtype.cast(min);
  const hi = max === null ? Infinity : dtype.cast(max);
  const out = mapUnary(x, dtype, (v) => (v !== v ? v : Math.min(Math.max(v, lo), hi)));
  if (recording(x)) record(nodeName, [x], [out], [x], ([g], [xs]) => [g!.mul(logicalAnd(xs!.ge(lo), xs!.le(hi)).to(g!.dtype))]);
  return out;
}

function extremum(a: Tensor, b: Tensor, which: 'max' | 'min'): Tensor {
  const [x, y, dtype] = operands(a, b);
  const pick = which === 'max' ? (p: number, q: number) => (p !== p || q !== q ? NaN : p > q ? p : q) : (p: number, q: number) => (p !== p || q !== q ? NaN : p < q ? p : q);
  const out = mapBinary(x, y, dtype, pick);
  const node = which === 'max' ? 'MaximumBackward0' : 'MinimumBackward0';
  if (recording(x, y)) {
    record(node, [x, y], [out], [x, y], ([g], [xs, ys]) => {
      // Ties split the gradient in half, as PyTorch does.
      const shared = where(xs!.eq(ys!), g!.div(2), g!);
      const selfLoses = which === 'max' ? xs!.lt(ys!) : xs!.gt(ys!);
      const otherLoses = which === 'max' ? xs!.gt(ys!) : xs!.lt(ys!);
      return [shared.masked_fill(selfLoses, 0), shared.masked_fill(otherLoses, 0)];
    });
  }
  return out;
}
export const maximum = (a: Tensor, b: Tensor) => extremum(a, b, 'max');
export const minimum = (a: Tensor, b: Tensor) => extremum(a, b, 'min');

export type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const COMPARE: Record<Comparison, (p: number, q: number) => number> = {
  eq: (p, q) => (p === q ? 1 : 0),
  ne: (p, q) => (p !== q ? 1 : 0),
  lt: (p, q) => (p < q ? 1 : 0),
  le: (p, q) => (p <= q ? 1 : 0),
  gt: (p, q) => (p > q ? 1 : 0),
  ge: (p, q) => (p >= q ? 1 : 0),
};

/** Comparisons give bool tensors and no gradient. */
export function compare(a: Tensor, b: TensorLike, op: Comparison): Tensor {
  const [x, y] = operands(a, b);
  return mapBinary(x, y, bool, COMPARE[op]);
}

export function logicalNot(x: Tensor): Tensor {
  return mapUnary(x, bool, (v) => (v ? 0 : 1));
}
export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  return mapBinary(a, b, bool, (p, q) => (p && q ? 1 : 0));
}
export function logicalOr(a: Tensor, b: Tensor): Tensor {
  return mapBinary(a, b, bool, (p, q) => (p || q ? 1 : 0));
}
export function isnan(x: Tensor): Tensor {
  return mapUnary(x, bool, (v) => (v !== v ? 1 : 0));
}
export function isfinite(x: Tensor): Tensor {
  return mapUnary(x, bool, (v) => (Number.isFinite(v) ? 1 : 0));
}

/** `torch.where(condition, x, y)`: x where condition holds, else y. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (condition.dtype !== bool) {
    throw new RuntimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${condition.dtype.name === 'float32' ? 'Float' : condition.dtype.name}`);
  }
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : scalarTensor(Number(a), float32);
  const x = asTensorLike(a, like);
  const y = asTensorLike(b, like);
  const dtype = resultType([
    { dtype: x.dtype, priority: a instanceof Tensor ? (x.dim() > 0 ? 2 : 1) : 0 },
    { dtype: y.dtype, priority: b instanceof Tensor ? (y.dim() > 0 ? 2 : 1) : 0 },
  ]);
  const out = mapTernary(condition, x, y, dtype, (c, p, q) => (c ? p : q));
  record('WhereBackward0', [null, x, y], [out], [condition], ([g], [c]) => [null, where(c!, g!, 0), where(c!, 0, g!)]);
  return out;
}

/** `self + value * t1 * t2` with PyTorch's rounding order (value * t1 first, then * t2, then +). */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  const dtype = self.dtype;
  const v = dtype.cast(value);
  const prod = mapBinary(t1, t2, dtype, (p, q) => dtype.cast(v * p) * q);
  const out = mapBinary(self, prod, dtype, (p, q) => p + q);
  record('AddcmulBackward0', [self, t1, t2], [out], [t1, t2], ([g], [a, b]) => [g!, g!.mul(b!).mul(v), g!.mul(a!).mul(v)]);
  return out;
}

/** `self + value * t1 / t2` (PyTorch computes `(value * t1) / t2`, then adds). */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  const dtype = self.dtype;
  const v = dtype.cast(value);
  const quot = mapBinary(t1, t2, dtype, (p, q) => dtype.cast(v * p) / q);
  const out = mapBinary(self, quot, dtype, (p, q) => p + q);
  record('AddcdivBackward0', [self, t1, t2], [out], [t1, t2], ([g], [a, b]) => [
    g!,
    g!.mul(v).div(b!),
    g!.neg().mul(v).mul(a!).div(b!.mul(b!)),
  ]);
  return out;
}

/** `self + weight * (end - self)` */
export function lerp(self: Tensor, end: Tensor, weight: number): Tensor {
  const dtype = self.dtype;
  const w = dtype.cast(weight);
  const out = mapBinary(self, end, dtype, (p, q) => (Math.abs(w) < 0.5 ? p + dtype.cast(w * dtype.cast(q - p)) : q - dtype.cast(dtype.cast(q - p) * (1 - w))));
  if (recording(self, end)) record('LerpBackward0', [self, end], [out], [], ([g]) => [g!.mul(1 - w), g!.mul(w)]);
  return out;
}

// ------------------------------------------------------------------ copies and casts

export function clone(x: Tensor): Tensor {
  const out = mapUnary(x, x.dtype, (v) => v);
  if (recording(x)) record('CloneBackward0', [x], [out], [], ([g]) => [g!]);
  return out;
}

export function toDtype(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = mapUnary(x, dtype, dtype === int64 ? Math.trunc : dtype === bool ? (v) => (v ? 1 : 0) : (v) => v);
  if (dtype.is_floating_point && x.dtype.is_floating_point) {
    if (recording(x)) record('ToCopyBackward0', [x], [out], [], ([g]) => [g!.to(x.dtype)]);
  }
  return out;
}

// ------------------------------------------------------------------ whole-tensor predicates

export function equal(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  const eq = compare(a, b, 'eq');
  return eq._data.every((v) => v === 1);
}

export function allclose(a: Tensor, b: Tensor, options: { rtol?: number; atol?: number; equal_nan?: boolean } = {}): boolean {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  const close = mapBinary(a, b, bool, (p, q) =>
    p === q || Math.abs(p - q) <= atol + rtol * Math.abs(q) || (options.equal_nan === true && p !== p && q !== q) ? 1 : 0,
  );
  return close._data.every((v) => v === 1);
}
