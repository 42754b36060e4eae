/**
 * Elementwise ops. Each op is one entry: its forward on one element (or pair of elements), and
 * its Derivative — the backward node's name, the formula (written with tensor ops, so that it can
 * itself be differentiated under create_graph) and the explanation of the local derivative. The
 * fast loops come from the same formulas (ops/loops.ts). Broadcasting is undone by the engine,
 * which sums each gradient back to its input's shape. The unary ops' table is ops/unary.ts.
 */
import { derivative, type Derivative } from '../autograd/derivative.js';
import { record, recording, saveIf } from '../autograd/function.js';
import { num, power, times } from '../autograd/notation.js';
import { bool, DType, getDefaultDtype, resultType } from '../dtype.js';
import { NotImplementedError, notImplementedFor, RuntimeError } from '../errors.js';
import { isFloatScalar, type Scalar, scalarDtype, scalarValue } from '../scalar.js';
import { sameShape } from '../shape.js';
import { Tensor, type TensorLike, type ToOptions } from '../tensor.js';
import { binaryOp, contiguousData, copyOf, mapBinary, mapTernary, mapUnary, unaryOp } from './kernels.js';
import { type BinaryLoops, binaryLoops, fusedFormula, powScalar, unaryLoop, type UnaryLoop } from './loops.js';
import { roundHalfEven, UNARY, type UnaryEntry, type UnaryName } from './unary.js';

const fround = Math.fround;
const NONE: Tensor[] = [];

// ------------------------------------------------------------------ operands

/** A number operand as a zero-dim tensor of the dtype it will be computed in (PyTorch's wrapped scalar). */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = dtype.alloc(1);
  data[0] = dtype.cast(value);
  return Tensor._make(data, [], dtype);
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
  return value instanceof Tensor ? value : scalarTensor(scalarValue(value), binaryDtype(like, value));
}

/** The dtype of an op that computes in floating point (exp, division): an integer or bool input gives the default dtype. */
function floatResult(d: DType): DType {
  return d.is_floating_point ? d : getDefaultDtype();
}

/** The operand `b` of `a op b` as a tensor: numbers become zero-dim tensors of the computation dtype. */
function operandTensor(b: TensorLike, dtype: DType): Tensor {
  return b instanceof Tensor ? b : scalarTensor(scalarValue(b), dtype);
}

/** The operand `b` of `a op b` for the loops: a tensor, or a number cast to the computation dtype. */
function operand(b: TensorLike, dtype: DType): Tensor | number {
  return b instanceof Tensor ? b : dtype.cast(scalarValue(b));
}

/** A number operand as the zero-dim tensor a node records (PyTorch's wrapped scalar), made only when one records. */
function wrapped(y: Tensor | number, dtype: DType): Tensor {
  return typeof y === 'number' ? scalarTensor(y, dtype) : y;
}

/** Whether an op on `a` and the operand `y` records a node. */
function recordingWith(a: Tensor, y: Tensor | number): boolean {
  return recording(a, typeof y === 'number' ? null : y);
}

// ------------------------------------------------------------------ unary ops (the table is ops/unary.ts)

/** Per table entry: its backward node kind (declared here, once) and its loop (compiled on first use). */
const unaryRuntime = {} as Record<UnaryName, { derivative: Derivative; loop: UnaryLoop | null }>;
for (const name of Object.keys(UNARY) as UnaryName[]) {
  const entry: UnaryEntry = UNARY[name];
  const formula = entry.derivative;
  const grad = formula === 'zero' ? zerosLike : fusedFormula(entry.node, formula<Tensor>);
  unaryRuntime[name] = {
    derivative: derivative({ name: entry.node, backward: ([g], [s]) => [grad(g!, s!)], explain: () => [entry.explain] }),
    loop: null,
  };
}

/** Zeros of g's shape and dtype (PyTorch's `zeros_like(grad)`, the gradient of a step function). */
function zerosLike(g: Tensor): Tensor {
  return Tensor._make(g.dtype.alloc(g._numel), g._shape, g.dtype);
}

/** `x.exp()`, `x.tanh()`, ...: a unary table op. */
export function unary(name: UnaryName, x: Tensor): Tensor {
  const entry: UnaryEntry = UNARY[name];
  if (entry.bool !== undefined && x.dtype === bool) throw new RuntimeError(entry.bool);
  const run = unaryRuntime[name];
  const dtype = entry.floatOnly ? floatResult(x.dtype) : x.dtype;
  const y = unaryOp(x, dtype, (run.loop ??= unaryLoop(name, entry.forward)));
  if (recording(x)) record(run.derivative, [x], [y], entry.save === 'self' ? [x] : entry.save === 'result' ? [y] : NONE);
  return y;
}

/** `x.round(decimals=d)`: PyTorch's round.decimals op, its own node kind (RoundBackward1). */
const ROUND_DECIMALS = derivative({
  name: 'RoundBackward1',
  backward: ([g]) => [zerosLike(g!)],
  explain: () => ['∂round(x, decimals)/∂x = 0 (a step function)'],
});

/**
 * ATen's round_decimals, in the tensor's own dtype at each step (so float32 rounds x·10^d to
 * float32 first): nearbyint(x·10^d)/10^d, or nearbyint(x/10^-d)·10^-d for d < 0. decimals=0 is
 * plain round under this op's node. Integer and bool tensors are refused as ATen's kernels refuse them.
 */
export function roundDecimals(x: Tensor, decimals: number): Tensor {
  if (!x.dtype.is_floating_point) throw notImplementedFor(decimals === 0 ? 'round_vml_cpu' : 'round_cpu', x.dtype);
  const cast = x.dtype.name === 'float32' ? Math.fround : (v: number) => v;
  const ten = cast(10 ** Math.abs(decimals));
  const f = decimals === 0 ? roundHalfEven : decimals > 0 ? (a: number) => roundHalfEven(cast(a * ten)) / ten : (a: number) => roundHalfEven(cast(a / ten)) * ten;
  const y = unaryOp(x, x.dtype, (src, at, out, n) => {
    for (let i = 0; i < n; i++) out[i] = f(src[at + i]!);
  });
  if (recording(x)) record(ROUND_DECIMALS, [x], [y], NONE);
  return y;
}

// ------------------------------------------------------------------ binary ops

/** A binary op on one pair of elements, computed in double and rounded by the store; its loops made on first use. */
class Elementwise {
  private compiled: BinaryLoops | null = null;
  constructor(
    readonly name: string,
    readonly f: (p: number, q: number) => number,
  ) {}
  get loops(): BinaryLoops {
    return (this.compiled ??= binaryLoops(this.name, this.f));
  }
}

/** `a op alpha * b`: alpha is cast to the computation dtype and `alpha * b` rounded as its own step, as PyTorch does. */
function withAlpha(op: Elementwise, x: Tensor | number, y: Tensor | number, dtype: DType, alpha: number): Tensor {
  const scaled = alpha === 1 ? y : typeof y === 'number' ? dtype.cast(alpha * y) : binaryOp(y, alpha, dtype, MUL.op.loops);
  return binaryOp(x, scaled, dtype, op.loops);
}

interface Alpha {
  /** The op's alpha, cast to the computation dtype. */
  readonly alpha: number;
}
const ALPHA_ONE: Alpha = { alpha: 1 };

const ADD = {
  op: new Elementwise('add', (p, q) => p + q),
  derivative: derivative<Alpha>({
    name: 'AddBackward0',
    backward: ([g], _, node) => {
      const alpha = node.params.alpha;
      return [g!, alpha === 1 ? g! : node.needsInputGrad[1] ? g!.mul(alpha) : null];
    },
    explain: ({ alpha }) => {
      const f = `a + ${times(alpha, 'b')}`;
      return [`∂(${f})/∂a = 1`, `∂(${f})/∂b = ${num(alpha)}`];
    },
  }),
};

/** `a + alpha * b`. */
export function add(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const dtype = binaryDtype(a, b);
  const y = operand(b, dtype);
  const al = dtype.cast(alpha);
  const out = withAlpha(ADD.op, a, y, dtype, al);
  if (recordingWith(a, y)) record(ADD.derivative, [a, wrapped(y, dtype)], [out], NONE, al === 1 ? ALPHA_ONE : { alpha: al });
  return out;
}

/** The loops of `a + b`, for `.grad += g` written straight into `.grad`'s storage. */
export function addLoops(): BinaryLoops {
  return ADD.op.loops;
}

const SUB = {
  op: new Elementwise('sub', (p, q) => p - q),
  derivative: derivative<Alpha>({
    name: 'SubBackward0',
    backward: ([g], _, node) => [g!, node.needsInputGrad[1] ? (node.params.alpha === 1 ? g!.neg() : g!.mul(-node.params.alpha)) : null],
    explain: ({ alpha }) => {
      const f = `a − ${times(alpha, 'b')}`;
      return [`∂(${f})/∂a = 1`, `∂(${f})/∂b = ${num(-alpha)}`];
    },
  }),
};

/** PyTorch's sub_check: no subtraction with a bool operand (tensor or Python bool). */
function checkSubtraction(a: Tensor, b: TensorLike): void {
  const otherBool = b instanceof Tensor ? b.dtype === bool : typeof b === 'boolean';
  if (a.dtype === bool && otherBool) {
    throw new RuntimeError('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  }
  if (a.dtype === bool || otherBool) {
    throw new RuntimeError(
      'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.',
    );
  }
}

export function sub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  checkSubtraction(a, b);
  const dtype = binaryDtype(a, b);
  const y = operand(b, dtype);
  const al = dtype.cast(alpha);
  const out = withAlpha(SUB.op, a, y, dtype, al);
  if (recordingWith(a, y)) record(SUB.derivative, [a, wrapped(y, dtype)], [out], NONE, al === 1 ? ALPHA_ONE : { alpha: al });
  return out;
}

/** `other − alpha·self` (Python's `2.5 - t`): the node's inputs are [self, other]. */
const RsubBackward1 = derivative<Alpha>({
  name: 'RsubBackward1',
  backward: ([g], _, node) => [node.needsInputGrad[0] ? (node.params.alpha === 1 ? g!.neg() : g!.mul(-node.params.alpha)) : null, g!],
  explain: ({ alpha }) => {
    const f = `b − ${times(alpha, 'a')}`;
    return [`∂(${f})/∂a = ${num(-alpha)}`, `∂(${f})/∂b = 1`];
  },
});

/** `b - alpha * a`, Python's `2.5 - t`. */
export function rsub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  checkSubtraction(a, b);
  const dtype = binaryDtype(a, b);
  const y = operand(b, dtype);
  const al = dtype.cast(alpha);
  const out = withAlpha(SUB.op, y, a, dtype, al);
  if (recordingWith(a, y)) record(RsubBackward1, [a, wrapped(y, dtype)], [out], NONE, al === 1 ? ALPHA_ONE : { alpha: al });
  return out;
}

const MUL = {
  op: new Elementwise('mul', (p, q) => p * q),
  derivative: derivative({
    name: 'MulBackward0',
    // Saved: self only if other needs a gradient and vice versa (so later in-place changes stay legal).
    backward: ([g], [self, other]) => [other ? g!.mul(other) : null, self ? g!.mul(self) : null],
    explain: () => ['∂(a·b)/∂a = b', '∂(a·b)/∂b = a'],
  }),
};

export function mul(a: Tensor, b: TensorLike): Tensor {
  const dtype = binaryDtype(a, b);
  const y = operand(b, dtype);
  const out = binaryOp(a, y, dtype, MUL.op.loops);
  if (recordingWith(a, y)) {
    const other = wrapped(y, dtype);
    record(MUL.derivative, [a, other], [out], [saveIf(other, a), saveIf(a, other)]);
  }
  return out;
}

const DIV = {
  op: new Elementwise('div', (p, q) => p / q),
  derivative: derivative({
    name: 'DivBackward0',
    backward: ([g], [self, other], node) => [node.needsInputGrad[0] ? g!.div(other!) : null, self ? g!.neg().mul(self.div(other!).div(other!)) : null],
    explain: () => ['∂(a/b)/∂a = 1/b', '∂(a/b)/∂b = −a/b²'],
  }),
};

/** Division rounded to an integer: a step function, so its derivative is zero. */
const DivBackward2 = derivative<{ mode: 'trunc' | 'floor' }>({
  name: 'DivBackward2',
  backward: ([g]) => [g!.mul(0), g!.mul(0)],
  explain: ({ mode }) => [`∂${mode}(a/b)/∂a = 0`, `∂${mode}(a/b)/∂b = 0`],
});

export function div(a: Tensor, b: TensorLike, rounding_mode: 'trunc' | 'floor' | null = null): Tensor {
  const common = binaryDtype(a, b);
  if (rounding_mode !== null) {
    const y = operandTensor(b, common);
    const round = rounding_mode === 'trunc' ? Math.trunc : Math.floor;
    const integral = (p: number, q: number) => {
      // PyTorch's integer division by zero raises: there is no integer for it.
      if (q === 0) throw new RuntimeError('ZeroDivisionError');
      return round(p / q);
    };
    const out = mapBinary(a, y, common, common.is_floating_point ? (p, q) => round(fround(p / q)) : integral);
    if (recording(a, y)) record(DivBackward2, [a, y], [out], NONE, { mode: rounding_mode });
    return out;
  }
  const y = operand(b, common);
  const out = binaryOp(a, y, floatResult(common), DIV.op.loops);
  if (recordingWith(a, y)) {
    const other = wrapped(y, common);
    record(DIV.derivative, [a, other], [out], [saveIf(other, a), other]);
  }
  return out;
}

/** ATen's C++ `tensor / int64` (cross_entropy's mean over probabilities), which records DivBackward1. */
const DivBackward1 = derivative<{ divisor: number }>({
  name: 'DivBackward1',
  backward: ([g], _, node) => [g!.div(node.params.divisor)],
  explain: ({ divisor }) => [`∂(a/${num(divisor)})/∂a = 1/${num(divisor)}`],
});

export function divByInteger(t: Tensor, n: number): Tensor {
  const dtype = binaryDtype(t, n);
  const out = binaryOp(t, dtype.cast(n), floatResult(dtype), DIV.op.loops);
  if (recording(t)) record(DivBackward1, [t], [out], NONE, { divisor: n });
  return out;
}

// ------------------------------------------------------------------ powers

const POW = new Elementwise('pow', powScalar);

/** The gradient of `x ** e` for e ≠ 0, as PyTorch writes it: `g * (e * x ** (e - 1))`. */
const powGrad = fusedFormula('PowBackward0', (g: Tensor, x: Tensor, eMinus1: number, e: number) => g.mul(x.pow(eMinus1).mul(e)));

const PowBackward0 = derivative<{ exponent: number }>({
  name: 'PowBackward0',
  backward: ([g], [x], node) => {
    const e = node.params.exponent;
    return [e === 0 ? g!.mul(0) : powGrad(g!, x!, e - 1, e)];
  },
  explain: ({ exponent: e }) => {
    const left = e === 1 ? 'x¹' : power('x', e);
    const right = e === 0 ? '0' : e === 1 ? '1' : times(e, power('x', e - 1));
    return [`∂(${left})/∂x = ${right}`];
  },
});

const PowBackward1 = derivative({
  name: 'PowBackward1',
  backward: ([g], [xs, ys, res]) => {
    const gradSelf = where(ys!.eq(0), 0, g!.mul(ys!.mul(xs!.pow(ys!.sub(1)))));
    const gradExp = g!.mul(where(logicalAnd(xs!.eq(0), ys!.ge(0)), 0, res!.mul(xs!.log())));
    return [gradSelf, gradExp];
  },
  explain: () => ['∂(aᵇ)/∂a = b·aᵇ⁻¹', '∂(aᵇ)/∂b = aᵇ·ln a'],
});

/** PyTorch's checks of a power's computation dtype (and its scalar exponent, if it has one). */
function checkPower(dtype: DType, exponent: number | null): void {
  if (dtype === bool) throw notImplementedFor('pow', bool);
  if (exponent !== null && !dtype.is_floating_point && exponent < 0) throw new RuntimeError('Integers to negative integer powers are not allowed.');
}

/** `x ** exponent` for a number or a tensor exponent. */
export function pow(a: Tensor, exponent: TensorLike): Tensor {
  if (!(exponent instanceof Tensor)) {
    const e = scalarValue(exponent);
    const dtype = binaryDtype(a, exponent);
    checkPower(dtype, e);
    const out = Tensor._make(dtype.alloc(a._numel), a._shape, dtype);
    POW.loops.right(a._contiguous ? a._data : contiguousData(a), a._contiguous ? a._offset : 0, e, out._data, a._numel);
    if (recording(a)) record(PowBackward0, [a], [out], [a], { exponent: e });
    return out;
  }
  const dtype = binaryDtype(a, exponent);
  checkPower(dtype, null);
  const out = mapBinary(a, exponent, dtype, Math.pow);
  if (recording(a, exponent)) record(PowBackward1, [a, exponent], [out], [a, exponent, out]);
  return out;
}

const PowBackward2 = derivative<{ base: number }>({
  name: 'PowBackward2',
  backward: ([g], [res], node) => {
    const base = node.params.base;
    return [base === 0 ? g!.mul(0) : g!.mul(res!).mul(Math.log(base))];
  },
  explain: ({ base }) => {
    const a = base < 0 ? `(${num(base)})` : num(base);
    return [base === 0 ? '∂(0ˣ)/∂x = 0' : `∂(${a}ˣ)/∂x = ${a}ˣ·ln ${a}`];
  },
});

/** `base ** exponent` for a number base (Python's `2 ** t`: int64 for an int base and an integer tensor, as PyTorch). */
export function powScalarBase(base: Scalar, exponent: Tensor): Tensor {
  const dtype = binaryDtype(exponent, base);
  checkPower(dtype, null);
  const b = scalarValue(base);
  const out = mapUnary(exponent, dtype, (e) => Math.pow(b, e));
  if (recording(exponent)) record(PowBackward2, [exponent], [out], [out], { base: b });
  return out;
}

// ------------------------------------------------------------------ clamp, maximum, minimum

interface Bounds {
  readonly min: number;
  readonly max: number;
}

const clampBackward = (([g], [x], node) => [g!.mul(logicalAnd(x!.ge(node.params.min), x!.le(node.params.max)))]) satisfies Derivative<Bounds>['backward'];

const ClampBackward1 = derivative<Bounds>({
  name: 'ClampBackward1',
  backward: clampBackward,
  explain: ({ min, max }) => [`∂clamp(x, ${num(min)}, ${num(max)})/∂x = 1 where ${num(min)} ≤ x ≤ ${num(max)}, else 0`],
});
const ClampMinBackward0 = derivative<Bounds>({
  name: 'ClampMinBackward0',
  backward: clampBackward,
  explain: ({ min }) => [`∂clamp_min(x, ${num(min)})/∂x = 1 where x ≥ ${num(min)}, else 0`],
});
const ClampMaxBackward0 = derivative<Bounds>({
  name: 'ClampMaxBackward0',
  backward: clampBackward,
  explain: ({ max }) => [`∂clamp_max(x, ${num(max)})/∂x = 1 where x ≤ ${num(max)}, else 0`],
});

/** ATen's kernel names of the clamp family, for its error on bool. */
const CLAMP_KERNELS = { clamp: 'clamp_scalar_cpu', clamp_min: 'clamp_min_cpu', clamp_max: 'clamp_max_scalar_cpu' };

/**
 * PyTorch's `clamp`: values outside [min, max] are moved to the bound; gradient passes only
 * inside. The result has the dtype of x and the bounds together (an int64 tensor clamped by 0.5
 * is float32, a bool one clamped by 0 int64), as PyTorch's type promotion gives it.
 */
export function clamp(x: Tensor, min: Scalar | null, max: Scalar | null, which: 'clamp' | 'clamp_min' | 'clamp_max' = 'clamp'): Tensor {
  if (min === null && max === null) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const operands: { dtype: DType; priority: 0 | 1 | 2 }[] = [{ dtype: x.dtype, priority: x.dim() > 0 ? 2 : 1 }];
  if (min !== null) operands.push({ dtype: scalarDtype(min), priority: 0 });
  if (max !== null) operands.push({ dtype: scalarDtype(max), priority: 0 });
  const dtype = resultType(operands);
  if (dtype === bool) throw notImplementedFor(CLAMP_KERNELS[which !== 'clamp' ? which : max === null ? 'clamp_min' : min === null ? 'clamp_max' : 'clamp'], bool);
  const lo = min === null ? -Infinity : dtype.cast(scalarValue(min));
  const hi = max === null ? Infinity : dtype.cast(scalarValue(max));
  const out = mapUnary(x, dtype, (v) => (v !== v ? v : Math.min(Math.max(v, lo), hi)));
  const kind = which === 'clamp' ? ClampBackward1 : which === 'clamp_min' ? ClampMinBackward0 : ClampMaxBackward0;
  if (recording(x)) record(kind, [x], [out], [x], { min: lo, max: hi });
  return out;
}

/** Ties split the gradient in half, as PyTorch does. */
function extremumBackward(which: 'max' | 'min'): Derivative['backward'] {
  return ([g], [xs, ys]) => {
    const shared = where(xs!.eq(ys!), g!.div(2), g!);
    const selfLoses = which === 'max' ? xs!.lt(ys!) : xs!.gt(ys!);
    const otherLoses = which === 'max' ? xs!.gt(ys!) : xs!.lt(ys!);
    return [shared.masked_fill(selfLoses, 0), shared.masked_fill(otherLoses, 0)];
  };
}

const EXTREMUM = {
  max: {
    pick: (p: number, q: number) => (p !== p || q !== q ? NaN : p > q ? p : q),
    derivative: derivative({
      name: 'MaximumBackward0',
      backward: extremumBackward('max'),
      explain: () => ['∂max(a, b)/∂a = 1 where a > b, ½ where a = b, else 0', '∂max(a, b)/∂b = 1 where b > a, ½ where a = b, else 0'],
    }),
  },
  min: {
    pick: (p: number, q: number) => (p !== p || q !== q ? NaN : p < q ? p : q),
    derivative: derivative({
      name: 'MinimumBackward0',
      backward: extremumBackward('min'),
      explain: () => ['∂min(a, b)/∂a = 1 where a < b, ½ where a = b, else 0', '∂min(a, b)/∂b = 1 where b < a, ½ where a = b, else 0'],
    }),
  },
};

function extremum(a: Tensor, b: Tensor, which: 'max' | 'min'): Tensor {
  const dtype = binaryDtype(a, b);
  const entry = EXTREMUM[which];
  const out = mapBinary(a, b, dtype, entry.pick);
  if (recording(a, b)) record(entry.derivative, [a, b], [out], [a, b]);
  return out;
}
export const maximum = (a: Tensor, b: Tensor) => extremum(a, b, 'max');
export const minimum = (a: Tensor, b: Tensor) => extremum(a, b, 'min');

// ------------------------------------------------------------------ comparisons and logic (no gradient)

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
  return mapBinary(a, operandTensor(b, binaryDtype(a, b)), bool, COMPARE[op]);
}

// Truth is "nonzero", NaN included (JavaScript's truthiness would call NaN false).
export function logicalNot(x: Tensor): Tensor {
  return mapUnary(x, bool, (v) => (v !== 0 ? 0 : 1));
}
export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  return mapBinary(a, b, bool, (p, q) => (p !== 0 && q !== 0 ? 1 : 0));
}
export function logicalOr(a: Tensor, b: Tensor): Tensor {
  return mapBinary(a, b, bool, (p, q) => (p !== 0 || q !== 0 ? 1 : 0));
}
export function logicalXor(a: Tensor, b: Tensor): Tensor {
  return mapBinary(a, b, bool, (p, q) => ((p !== 0) !== (q !== 0) ? 1 : 0));
}
export function isnan(x: Tensor): Tensor {
  return mapUnary(x, bool, (v) => (v !== v ? 1 : 0));
}
export function isfinite(x: Tensor): Tensor {
  return mapUnary(x, bool, (v) => (Number.isFinite(v) ? 1 : 0));
}

// ------------------------------------------------------------------ where, addcmul, addcdiv, lerp

const WhereBackward0 = derivative({
  name: 'WhereBackward0',
  backward: ([g], [c]) => [null, where(c!, g!, 0), where(c!, 0, g!)],
  explain: () => ['the condition gets no gradient', '∂where(c, a, b)/∂a = 1 where c, else 0', '∂where(c, a, b)/∂b = 0 where c, else 1'],
});

/** `torch.where(condition, x, y)`: x where condition holds, else y. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (condition.dtype !== bool) {
    throw new RuntimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${condition.dtype.name === 'float32' ? 'Float' : condition.dtype.name}`);
  }
  const dtype = resultType([
    a instanceof Tensor ? { dtype: a.dtype, priority: a.dim() > 0 ? 2 : 1 } : { dtype: scalarDtype(a), priority: 0 },
    b instanceof Tensor ? { dtype: b.dtype, priority: b.dim() > 0 ? 2 : 1 } : { dtype: scalarDtype(b), priority: 0 },
  ]);
  const x = operandTensor(a, dtype);
  const y = operandTensor(b, dtype);
  const out = mapTernary(condition, x, y, dtype, (c, p, q) => (c ? p : q));
  record(WhereBackward0, [null, x, y], [out], [condition]);
  return out;
}

interface Value {
  /** The op's `value`, cast to the dtype. */
  readonly value: number;
}

const AddcmulBackward0 = derivative<Value>({
  name: 'AddcmulBackward0',
  backward: ([g], [a, b], node) => [g!, g!.mul(b!).mul(node.params.value), g!.mul(a!).mul(node.params.value)],
  explain: ({ value }) => {
    const f = `s + ${times(value, 't₁·t₂')}`;
    return [`∂(${f})/∂s = 1`, `∂(${f})/∂t₁ = ${times(value, 't₂')}`, `∂(${f})/∂t₂ = ${times(value, 't₁')}`];
  },
});

/** `self + value * t1 * t2` with PyTorch's rounding order (value * t1 first, then * t2, then +). */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  const dtype = self.dtype;
  const v = dtype.cast(value);
  const prod = mapBinary(t1, t2, dtype, (p, q) => dtype.cast(v * p) * q);
  const out = binaryOp(self, prod, dtype, ADD.op.loops);
  record(AddcmulBackward0, [self, t1, t2], [out], [t1, t2], { value: v });
  return out;
}

const AddcdivBackward0 = derivative<Value>({
  name: 'AddcdivBackward0',
  backward: ([g], [a, b], node) => {
    const v = node.params.value;
    return [g!, g!.mul(v).div(b!), g!.neg().mul(v).mul(a!).div(b!.mul(b!))];
  },
  explain: ({ value }) => {
    const f = `s + ${times(value, 't₁/t₂')}`;
    return [`∂(${f})/∂s = 1`, `∂(${f})/∂t₁ = ${num(value)}/t₂`, `∂(${f})/∂t₂ = ${times(-value, 't₁/t₂²')}`];
  },
});

/** `self + value * t1 / t2` (PyTorch computes `(value * t1) / t2`, then adds). */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, value: number): Tensor {
  const dtype = self.dtype;
  const v = dtype.cast(value);
  const quot = mapBinary(t1, t2, dtype, (p, q) => dtype.cast(v * p) / q);
  const out = binaryOp(self, quot, dtype, ADD.op.loops);
  record(AddcdivBackward0, [self, t1, t2], [out], [t1, t2], { value: v });
  return out;
}

const LerpBackward1 = derivative({
  name: 'LerpBackward1',
  backward: ([g], [a, b, w], node) => [
    node.needsInputGrad[0] ? g!.mul(w!.rsub(1)) : null,
    node.needsInputGrad[1] ? g!.mul(w!) : null,
    node.needsInputGrad[2] ? g!.mul(b!.sub(a!)) : null,
  ],
  explain: () => ['∂(a + w·(b − a))/∂a = 1 − w', '∂(a + w·(b − a))/∂b = w', '∂(a + w·(b − a))/∂w = b − a'],
});

const LerpBackward0 = derivative<{ weight: number }>({
  name: 'LerpBackward0',
  backward: ([g], _, node) => [g!.mul(1 - node.params.weight), g!.mul(node.params.weight)],
  explain: ({ weight: w }) => {
    const f = `a + ${times(w, '(b − a)')}`;
    return [`∂(${f})/∂a = ${num(1 - w)}`, `∂(${f})/∂b = ${num(w)}`];
  },
});

/** ATen's lerp of one element: from the nearer end, each step rounded to the dtype. */
function lerpOne(dtype: DType, p: number, q: number, w: number): number {
  return Math.abs(w) < 0.5 ? p + dtype.cast(w * dtype.cast(q - p)) : q - dtype.cast(dtype.cast(q - p) * dtype.cast(1 - w));
}

/** `self + weight * (end - self)`, the weight a number (LerpBackward0) or a tensor (LerpBackward1). */
export function lerp(self: Tensor, end: Tensor, weight: Scalar | Tensor): Tensor {
  const dtype = self.dtype;
  if (end.dtype !== dtype) throw new RuntimeError(`expected dtype ${dtype.scalarTypeName} for \`end\` but got dtype ${end.dtype.scalarTypeName}`);
  if (weight instanceof Tensor) {
    if (weight.dtype !== dtype) throw new RuntimeError(`expected dtype ${dtype.scalarTypeName} for \`weight\` but got dtype ${weight.dtype.scalarTypeName}`);
    const out = mapTernary(self, end, weight, dtype, (p, q, w) => lerpOne(dtype, p, q, w));
    if (recording(self, end) || recording(weight)) record(LerpBackward1, [self, end, weight], [out], [self, end, weight]);
    return out;
  }
  const w = dtype.cast(scalarValue(weight));
  const out = mapBinary(self, end, dtype, (p, q) => lerpOne(dtype, p, q, w));
  if (recording(self, end)) record(LerpBackward0, [self, end], [out], NONE, { weight: w });
  return out;
}

// ------------------------------------------------------------------ copies and casts

const CloneBackward0 = derivative({
  name: 'CloneBackward0',
  backward: ([g]) => [g!],
  explain: () => ['∂x/∂x = 1 (a copy)'],
});

export function clone(x: Tensor): Tensor {
  const out = x._contiguous ? copyOf(x) : Tensor._make(contiguousData(x), x._shape, x.dtype);
  if (recording(x)) record(CloneBackward0, [x], [out]);
  return out;
}

const ToCopyBackward0 = derivative<{ from: DType }>({
  name: 'ToCopyBackward0',
  backward: ([g], _, node) => [g!.to(node.params.from)],
  explain: ({ from }) => [`∂x/∂x = 1 (a copy in another dtype; the gradient goes back as ${from.name})`],
});

export function toDtype(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  // Floats round in the store; integers truncate toward zero, then wrap where the type is narrow.
  const out = mapUnary(x, dtype, dtype.is_floating_point ? (v) => v : (v) => dtype.cast(v));
  if (dtype.is_floating_point && x.dtype.is_floating_point) {
    if (recording(x)) record(ToCopyBackward0, [x], [out], NONE, { from: x.dtype });
  }
  return out;
}

/** `x.to(...)`: a dtype, another tensor's dtype, a device (the CPU only) and the options, in PyTorch's forms. */
export function to(x: Tensor, target: DType | Tensor | string | ToOptions, second?: DType | ToOptions | null, third?: ToOptions): Tensor {
  let dtype: DType | null = null;
  let device: string | null = null;
  let copy = false;
  const read = (o: ToOptions): void => {
    if (o.dtype) dtype = o.dtype;
    if (o.device) device = o.device;
    if (o.copy) copy = true;
  };
  if (target instanceof Tensor) dtype = target.dtype;
  else if (typeof target === 'string') device = target;
  else if (target instanceof DType) dtype = target;
  else read(target);
  if (second !== undefined && second !== null) {
    if (second instanceof DType) dtype = second;
    else read(second);
  }
  if (third !== undefined) read(third);
  if (device !== null && !/^cpu(:0)?$/.test(device)) {
    throw new NotImplementedError(`torch.Tensor.to('${device}') is not supported by Autograd Lab yet (it runs on the CPU)`);
  }
  const d: DType = dtype ?? x.dtype;
  return copy && d === x.dtype ? clone(x) : toDtype(x, d);
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
