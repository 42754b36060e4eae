/**
 * Reductions. Float32 sums accumulate in float32, one element after another in row-major
 * order (the arithmetic that reproduces the book's printed digits); mean is that sum divided
 * by the count, then rounded, as ATen's mean does.
 */
import { type Derivative, derivative } from '../autograd/derivative.js';
import { record, recording } from '../autograd/function.js';
import { is_grad_enabled, no_grad } from '../autograd/grad_mode.js';
import { num } from '../autograd/notation.js';
import { bool, type DType, float32, int64, type Storage, uint8 } from '../dtype.js';
import { NotImplementedError, notImplementedFor, RuntimeError, ValueError } from '../errors.js';
import { normalizeDim, numelOf, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './kernels.js';
import { scatter_add } from './indexing.js';
import { expand } from './views.js';
import { fusedFormula } from './loops.js';
import { zeros } from '../creation.js';
import { type Pairs, stableSort, stdNthElement, stdPartialSort, stdSort } from './stdsort.js';

export type DimArg = number | readonly number[] | null;
export interface ReduceOptions {
  dim?: DimArg;
  keepdim?: boolean;
  dtype?: DType;
}

/** Accepts `sum()`, `sum(1)`, `sum([0, 1], true)`, `sum({ dim: 1, keepdim: true })`, `sum(1, { keepdim: true })`. */
export function reduceArgs(dim?: DimArg | ReduceOptions, keepdim?: boolean | ReduceOptions): [DimArg, boolean, DType | undefined] {
  let d: DimArg = null;
  let k = false;
  let dtype: DType | undefined;
  if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) {
    const o = dim as ReduceOptions;
    d = o.dim ?? null;
    k = o.keepdim ?? false;
    dtype = o.dtype;
  } else {
    d = (dim as DimArg | undefined) ?? null;
  }
  if (typeof keepdim === 'boolean') k = keepdim;
  else if (keepdim) {
    k = keepdim.keepdim ?? k;
    dtype = keepdim.dtype ?? dtype;
  }
  return [d, k, dtype];
}

function normalizeDims(dim: DimArg, rank: number): number[] {
  if (dim === null) return [...Array(rank).keys()];
  const list = typeof dim === 'number' ? [dim] : [...dim];
  if (list.length === 0) return [...Array(rank).keys()];
  const dims = list.map((d) => normalizeDim(d, rank));
  const unique = [...new Set(dims)];
  if (unique.length !== dims.length) throw new RuntimeError(`dim ${dims.find((d, i) => dims.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return unique.sort((a, b) => a - b).filter((d) => d < rank);
}

/** Shared (never changed) shapes of full reductions, by rank. */
const ALL_ONES: number[][] = [[], [1], [1, 1], [1, 1, 1], [1, 1, 1, 1]];
const ALL_DIMS: number[][] = [[], [0], [0, 1], [0, 1, 2], [0, 1, 2, 3]];
const SCALAR_SHAPE: number[] = [];

/** `outer` rows of `inner` values each, to reduce row by row. */
interface Rows {
  /** Values with the reduced dims moved last and made contiguous, from `offset` on (only sum/mean's in-place plans have offset ≠ 0 or step ≠ 1). */
  data: ArrayLike<number>;
  offset: number;
  outer: number;
  inner: number;
  /**
   * Where row `o`, element `i` sits: data[offset + o * rowStep + i * step]. (inner, 1) for the
   * usual rows; (1, outer) when the reduced dims lead a contiguous tensor (a bias gradient's
   * column sums), read in place.
   */
  rowStep: number;
  step: number;
}

interface Plan extends Rows {
  keptShape: number[];
  outShape: number[];
  dims: number[];
}

function plan(x: Tensor, dim: DimArg, keepdim: boolean, inPlace = false): Plan {
  const rank = x.dim();
  if (inPlace && dim === null && x._contiguous && rank < ALL_ONES.length) {
    // Everything reduced (the loss's mean): the storage is already in order.
    const keptShape = ALL_ONES[rank]!;
    return { data: x._data, offset: x._offset, outer: 1, inner: x._numel, rowStep: x._numel, step: 1, keptShape, outShape: keepdim ? keptShape : SCALAR_SHAPE, dims: ALL_DIMS[rank]! };
  }
  const dims = normalizeDims(dim, rank);
  if (inPlace && x._contiguous && dims.length > 0 && dims.length < rank && dims[dims.length - 1] === dims.length - 1) {
    // Leading dims reduced: element i of row o is at i * outer + o, the order the permuted copy would list.
    const kept = x.shape.map((s, i) => (i < dims.length ? 1 : s));
    const outShape = keepdim ? kept : x.shape.slice(dims.length);
    const inner = numelOf(x.shape.slice(0, dims.length));
    const outer = numelOf(x.shape.slice(dims.length));
    return { data: x._data, offset: x._offset, outer, inner, rowStep: 1, step: outer, keptShape: kept, outShape, dims };
  }
  const kept = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = keepdim ? kept : x.shape.filter((_, i) => !dims.includes(i));
  const keptDims = [...Array(rank).keys()].filter((i) => !dims.includes(i));
  const order = [...keptDims, ...dims];
  const alreadyOrdered = order.every((d, i) => d === i);
  // The reduced dims moved last (a view made here, not a recorded permute).
  const source = alreadyOrdered ? x : Tensor._view(x._data, order.map((d) => x.shape[d]!), x.dtype, order.map((d) => x._strides[d]!), x._offset, x._version_counter);
  const inner = numelOf(dims.map((d) => x.shape[d]!));
  return { data: contiguousData(source), offset: 0, outer: numelOf(keptDims.map((d) => x.shape[d]!)), inner, rowStep: inner, step: 1, keptShape: kept, outShape, dims };
}

/**
 * Row sums of a plan into `out`, divided by `divisor` when it isn't 1 (mean): float32 sums
 * accumulate in float32, one element after another.
 */
function sumRows(p: Rows, out: Storage, f32: boolean, divisor: number): void {
  sumStrided(p.data, p.offset, p.outer, p.inner, p.rowStep, p.step, out, f32, divisor);
}

/** sumRows on rows given by their geometry (see Rows). */
function sumStrided(data: ArrayLike<number>, offset: number, outer: number, inner: number, rowStep: number, step: number, out: Storage, f32: boolean, divisor: number): void {
  for (let o = 0, base = offset; o < outer; o++, base += rowStep) {
    let acc = 0;
    if (step === 1) {
      if (f32) for (let i = 0; i < inner; i++) acc = Math.fround(acc + data[base + i]!);
      else for (let i = 0; i < inner; i++) acc += data[base + i]!;
    } else if (f32) for (let i = 0, at = base; i < inner; i++, at += step) acc = Math.fround(acc + data[at]!);
    else for (let i = 0, at = base; i < inner; i++, at += step) acc += data[at]!;
    out[o] = divisor === 1 ? acc : acc / divisor;
  }
}

/**
 * Gradient of a reduction's output, broadcast back over the reduced dims. A gradient of a full
 * reduction expands as it is (PyTorch's `grad.expand(sizes)`); one without its kept dims is
 * reshaped to them first.
 */
function expandBack(g: Tensor, keptShape: readonly number[], inputShape: readonly number[]): Tensor {
  const direct = sameShape(g.shape, keptShape) || (numelOf(keptShape) === 1 && g.dim() <= inputShape.length && g.numel() === 1);
  return expand(direct ? g : g.reshape(keptShape), inputShape);
}

/** What a reduction's backward needs: the input's shape, and the output's with the reduced dims kept as 1. */
interface Reduced {
  readonly inputShape: readonly number[];
  readonly keptShape: readonly number[];
  readonly dims: readonly number[];
}

const dimsText = (dims: readonly number[]) => (dims.length === 1 ? `dim ${dims[0]}` : `dims ${dims.join(', ')}`);

const SumBackward0 = derivative<Reduced>({
  name: 'SumBackward0',
  backward: ([g], _, { params: p }) => [expandBack(g!, p.keptShape, p.inputShape)],
  explain: () => ['∂(Σⱼ xⱼ)/∂xᵢ = 1: the gradient is copied to every element'],
});
const SumBackward1 = derivative<Reduced>({
  name: 'SumBackward1',
  backward: SumBackward0.backward,
  explain: ({ dims }) => [`∂(Σ over ${dimsText(dims)})/∂xᵢ = 1: the gradient is copied along ${dimsText(dims)}`],
});

export function sum(x: Tensor, dim: DimArg = null, keepdim = false, dtype?: DType): Tensor {
  const outDtype = dtype ?? (x.dtype.is_floating_point ? x.dtype : int64);
  const p = plan(x, dim, keepdim, true);
  const out = outDtype.alloc(p.outer);
  sumRows(p, out, outDtype === float32, 1);
  const result = Tensor._make(out, p.outShape, outDtype);
  if (recording(x)) record(dim === null ? SumBackward0 : SumBackward1, [x], [result], [], { inputShape: x.shape, keptShape: p.keptShape, dims: p.dims });
  return result;
}

interface Averaged extends Reduced {
  readonly count: number;
}

/** `g` broadcast back, divided by the count (a loss's one-element gradient: one quotient, repeated). */
const meanGrad = fusedFormula('MeanBackward', (g: Tensor, count: number) => g.div(count));
const meanBackward: Derivative<Averaged>['backward'] = ([g], _, { params: p }) => [meanGrad(expandBack(g!, p.keptShape, p.inputShape), p.count)];

const MeanBackward0 = derivative<Averaged>({
  name: 'MeanBackward0',
  backward: meanBackward,
  explain: ({ count }) => [`∂mean(x)/∂xᵢ = 1/${num(count)}: the gradient is shared equally by the ${num(count)} elements`],
});
const MeanBackward1 = derivative<Averaged>({
  name: 'MeanBackward1',
  backward: meanBackward,
  explain: ({ count, dims }) => [`∂(mean over ${dimsText(dims)})/∂xᵢ = 1/${num(count)}`],
});

export function mean(x: Tensor, dim: DimArg = null, keepdim = false, dtype?: DType): Tensor {
  const outDtype = dtype ?? x.dtype;
  if (!outDtype.is_floating_point) {
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype.scalarTypeName}`,
      'Autograd Lab: convert first, e.g. t.float().mean().',
    );
  }
  const p = plan(x, dim, keepdim, true);
  const out = outDtype.alloc(p.outer);
  sumRows(p, out, outDtype === float32, p.inner);
  const result = Tensor._make(out, p.outShape, outDtype);
  if (recording(x)) {
    record(dim === null ? MeanBackward0 : MeanBackward1, [x], [result], [], { inputShape: x.shape, keptShape: p.keptShape, dims: p.dims, count: p.inner });
  }
  return result;
}

/** `max(dim)` / `min(dim)` result: `{ values, indices }`, destructurable as `[values, indices]`. */
export class ValuesIndices implements Iterable<Tensor> {
  constructor(
    readonly values: Tensor,
    readonly indices: Tensor,
  ) {}
  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.values;
    yield this.indices;
  }
  get 0(): Tensor {
    return this.values;
  }
  get 1(): Tensor {
    return this.indices;
  }
}

/** Index of the extreme value in each row; NaN wins (PyTorch propagates NaN), first occurrence on ties. */
function scanExtreme(p: Plan, which: 'max' | 'min'): { values: Float64Array; indices: Float64Array } {
  const values = new Float64Array(p.outer);
  const indices = new Float64Array(p.outer);
  const data = p.data;
  for (let o = 0, base = 0; o < p.outer; o++, base += p.inner) {
    let best = data[base]!;
    let at = 0;
    for (let i = 1; i < p.inner && best === best; i++) {
      const v = data[base + i]!;
      if (v !== v || (which === 'max' ? v > best : v < best)) {
        best = v;
        at = i;
      }
    }
    values[o] = best;
    indices[o] = at;
  }
  return { values, indices };
}

/** The gradient of max()/min() of all elements, shared equally by the elements equal to the extreme. */
const extremeOfAllBackward: Derivative['backward'] = ([g], [xs, r]) => {
  const mask = xs!.eq(r!).to(g!.dtype);
  return [mask.mul(g!.div(mask.sum()))];
};

/** The gradient of max(dim)/min(dim): each value's gradient goes to the element it came from. */
const extremeAlongBackward: Derivative<Reduced>['backward'] = ([g], [ix], { params: p }) => {
  const gk = g!.reshape(p.keptShape);
  const ik = ix!.reshape(p.keptShape);
  return [scatter_add(zeros(p.inputShape, { dtype: g!.dtype }), p.dims[0]!, ik, gk)];
};

/** The two node kinds of max() (or min()): of all elements, and along a dim. */
function extremeDerivatives(op: 'max' | 'min', extreme: 'largest' | 'smallest') {
  const Name = op === 'max' ? 'Max' : 'Min';
  return {
    all: derivative({
      name: `${Name}Backward1`,
      backward: extremeOfAllBackward,
      explain: () => [`∂${op}(x)/∂xᵢ = 1/k where xᵢ is the ${extreme} value (k elements share it), else 0`],
    }),
    along: derivative<Reduced>({
      name: `${Name}Backward0`,
      backward: extremeAlongBackward,
      explain: ({ dims }) => [`∂${op}(x, ${dimsText(dims)})/∂xᵢ = 1 where xᵢ is the ${extreme} along ${dimsText(dims)} (the index returned), else 0`],
    }),
  };
}

const EXTREME = { max: extremeDerivatives('max', 'largest'), min: extremeDerivatives('min', 'smallest') };

export function extreme(
  x: Tensor,
  which: 'max' | 'min',
  dim?: number | { dim: number; keepdim?: boolean },
  keepdim?: boolean | { keepdim?: boolean },
): Tensor | ValuesIndices {
  if (dim === undefined) {
    if (x.numel() === 0) {
      throw new RuntimeError(`${which}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    }
    const p = plan(x, null, false);
    const { values } = scanExtreme(p, which);
    const out = x.dtype.alloc(1);
    out[0] = values[0]!;
    const result = Tensor._make(out, [], x.dtype);
    if (recording(x)) record(EXTREME[which].all, [x], [result], [x, result]);
    return result;
  }
  const d = typeof dim === 'object' ? dim.dim : dim;
  const k = typeof dim === 'object' ? (dim.keepdim ?? false) : typeof keepdim === 'object' ? (keepdim.keepdim ?? false) : (keepdim ?? false);
  if (x.dim() > 0 && x.shape[normalizeDim(d, x.dim())] === 0) {
    throw new RuntimeError(`${which}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const p = plan(x, d, k);
  const { values, indices } = scanExtreme(p, which);
  const vdata = x.dtype.alloc(p.outer);
  vdata.set(values);
  const vals = Tensor._make(vdata, p.outShape, x.dtype);
  const idx = Tensor._make(indices, p.outShape, int64);
  const reducedDim = x.dim() === 0 ? 0 : normalizeDim(d, x.dim());
  if (recording(x)) record(EXTREME[which].along, [x], [vals, idx], [idx], { inputShape: x.shape, keptShape: p.keptShape, dims: [reducedDim] });
  return new ValuesIndices(vals, idx);
}

export function argExtreme(
  x: Tensor,
  which: 'max' | 'min',
  dim?: number | null | { dim?: number | null; keepdim?: boolean },
  keepdim?: boolean,
): Tensor {
  const d = typeof dim === 'object' && dim !== null ? (dim.dim ?? null) : (dim ?? null);
  const k = typeof dim === 'object' && dim !== null ? (dim.keepdim ?? false) : (keepdim ?? false);
  // ATen answers zeros for a reduced dimension of size 1 before it looks at the dtype (so a
  // bool tensor passes there and only there).
  const wrapped = d === null ? null : normalizeDim(d, x.dim()); // an IndexError comes first
  const sizeOne = wrapped !== null && x.dim() > 0 && x.shape[wrapped] === 1;
  if (x.dtype === bool && !sizeOne) throw notImplementedFor(`arg${which}_cpu`, bool);
  const p = d === null ? plan(x.reshape(-1), 0, false) : plan(x, d, k);
  const { indices } = scanExtreme(p, which);
  const shape = d === null ? (k ? x.shape.map(() => 1) : []) : p.outShape;
  return Tensor._make(indices, shape, int64);
}

/** var/std's options: `unbiased: false` or a `correction` (subtracted from the count; 1 by default). */
export interface MomentOptions {
  dim?: DimArg;
  unbiased?: boolean;
  correction?: number | null;
  keepdim?: boolean;
}

interface Moment extends Reduced {
  readonly count: number;
  readonly correction: number;
  readonly dim: DimArg;
}

/** `∂var/∂x · g`: g broadcast back, times 2·(x − mean)/(N − correction). */
function varianceGrad(g: Tensor, xs: Tensor, p: Moment): Tensor {
  return expandBack(g, p.keptShape, xs.shape).mul(xs.sub(mean(xs, p.dim, true))).mul(2 / (p.count - p.correction));
}

const VarBackward0 = derivative<Moment>({
  name: 'VarBackward0',
  backward: ([g], [xs], { params }) => [varianceGrad(g!, xs!, params)],
  explain: ({ count, correction }) => [`∂var(x)/∂xᵢ = 2·(xᵢ − mean(x))/${num(count - correction)}`],
});

/** std = √var, so ∂std = ∂var / (2·std); zero where std is zero, as in PyTorch. */
const StdBackward0 = derivative<Moment>({
  name: 'StdBackward0',
  backward: ([g], [xs, r], { params }) => [varianceGrad(g!.div(r!.mul(2)).masked_fill(r!.eq(0), 0), xs!, params)],
  explain: ({ count, correction }) => [`∂std(x)/∂xᵢ = (xᵢ − mean(x))/(${num(count - correction)}·std(x))`],
});

/**
 * Variance and standard deviation (Bessel-corrected by default), computed in float64 and
 * rounded once; std's derivative is zero where the deviation is zero, as in PyTorch.
 */
function moment(x: Tensor, which: 'var' | 'std', dim?: DimArg | MomentOptions, options: MomentOptions = {}): Tensor {
  if (!x.dtype.is_floating_point) throw new RuntimeError('std and var only support floating point and complex dtypes');
  const o: MomentOptions = dim !== null && typeof dim === 'object' && !Array.isArray(dim) ? { ...(dim as MomentOptions), ...options } : { ...options, dim: dim as DimArg };
  const d = o.dim ?? null;
  const keepdimArg = o.keepdim ?? false;
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  const p = plan(x, d, keepdimArg);
  const out = x.dtype.alloc(p.outer);
  for (let o = 0, base = 0; o < p.outer; o++, base += p.inner) {
    let m = 0;
    for (let i = 0; i < p.inner; i++) m += p.data[base + i]!;
    m /= p.inner;
    let ss = 0;
    for (let i = 0; i < p.inner; i++) ss += (p.data[base + i]! - m) ** 2;
    const v = ss / Math.max(0, p.inner - correction);
    out[o] = which === 'std' ? Math.sqrt(v) : v;
  }
  const result = Tensor._make(out, p.outShape, x.dtype);
  if (recording(x)) {
    const params: Moment = { inputShape: x.shape, keptShape: p.keptShape, dims: p.dims, count: p.inner, correction, dim: d };
    if (which === 'var') record(VarBackward0, [x], [result], [x], params);
    else record(StdBackward0, [x], [result], [x, result], params);
  }
  return result;
}

export function variance(x: Tensor, dim?: DimArg | MomentOptions, options?: MomentOptions): Tensor {
  return moment(x, 'var', dim, options);
}

export function std(x: Tensor, dim?: DimArg | MomentOptions, options?: MomentOptions): Tensor {
  return moment(x, 'std', dim, options);
}

// ------------------------------------------------------------------ norm

/** norm's options (PyTorch's `norm(p='fro', dim=None, keepdim=False, dtype=None)`). */
export interface NormOptions {
  p?: number | string | null;
  dim?: DimArg;
  keepdim?: boolean;
  dtype?: DType | null;
}

/** Accepts `norm()`, `norm(1)`, `norm(2, 1)`, `norm('fro', [0, 1], true)`, `norm({ dim: 1 })`, `norm(2, { dim: 1 })`. */
export function normArgs(
  p?: number | string | null | NormOptions,
  dim?: DimArg | NormOptions,
  keepdim?: boolean | NormOptions,
): [number | string | null, DimArg, boolean, DType | null] {
  const o: NormOptions = {};
  for (const [name, v] of [['p', p], ['dim', dim], ['keepdim', keepdim]] as const) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(o, v);
    else if (v !== undefined) (o as Record<string, unknown>)[name] = v;
  }
  return [o.p ?? null, o.dim ?? null, o.keepdim ?? false, o.dtype ?? null];
}

interface Normed extends Reduced {
  readonly p: number;
  readonly keepdim: boolean;
  /** The dtype the norm was computed in, when `dtype` asked for another (NormBackward3). */
  readonly from: DType | null;
}

/** A reduction's output (or its gradient) with the reduced dims back as size 1. */
function keptDims(t: Tensor, p: Reduced & { keepdim: boolean }): Tensor {
  return p.keepdim || t.dim() === p.keptShape.length ? t : t.reshape(p.keptShape);
}

/** PyTorch's norm_backward (1.13), per p: the sign for p = 1, x/‖x‖ for p = 2, the largest entries for ∞. */
function normGrad(g: Tensor, x0: Tensor, nrm: Tensor, params: Normed): Tensor {
  const p = params.p;
  if (p === 0) return zeros(x0.shape, { dtype: x0.dtype });
  const gk = keptDims(g, params);
  const nk = keptDims(nrm, params);
  if (p === 1) return x0.sign().mul(gk);
  if (p === Infinity || p === -Infinity) {
    const mask = x0.abs().eq(nk).to(g.dtype);
    const count = params.dims.length === x0.dim() ? mask.sum() : mask.sum(params.dims, true);
    return x0.sign().mul(mask).mul(gk.div(count));
  }
  if (p === 2) return x0.mul(gk.div(nk).masked_fill(nk.eq(0), 0));
  if (p < 1) return x0.sign().mul(x0.abs().pow(p - 1).masked_fill(x0.eq(0), 0)).mul(gk).mul(nk.pow(1 - p));
  const scale = gk.div(nk.pow(p - 1)).masked_fill(nk.eq(0), 0);
  return p < 2 ? x0.sign().mul(x0.abs().pow(p - 1)).mul(scale) : x0.mul(x0.abs().pow(p - 2)).mul(scale);
}

const normExplained = ({ p }: Normed): string[] => [
  p === 2
    ? '∂‖x‖/∂xᵢ = xᵢ/‖x‖'
    : p === 1
      ? '∂‖x‖₁/∂xᵢ = sign(xᵢ)'
      : p === 0
        ? '∂‖x‖₀/∂xᵢ = 0 (it counts the nonzero elements)'
        : p === Infinity || p === -Infinity
          ? `∂‖x‖${p > 0 ? '∞' : '₋∞'}/∂xᵢ = sign(xᵢ)/k where |xᵢ| is the ${p > 0 ? 'largest' : 'smallest'} (k elements share it), else 0`
          : `∂‖x‖ₚ/∂xᵢ = xᵢ·|xᵢ|^${num(p - 2)}/‖x‖ₚ^${num(p - 1)}, p = ${num(p)}`,
];

const NormBackward1 = derivative<Normed>({
  name: 'NormBackward1',
  backward: ([g], [xs, r], { params }) => [normGrad(g!, xs!, r!, params)],
  explain: normExplained,
});

/** norm with a `dtype`: computed in that dtype, the gradient given back in the input's. */
const NormBackward3 = derivative<Normed>({
  name: 'NormBackward3',
  backward: ([g], [xs, r], { params }) => [normGrad(g!, xs!, r!, params).to(params.from!)],
  explain: normExplained,
});

/**
 * The p-norm of all elements or over `dim` (NormBackward1), computed in float64 and rounded
 * once: p a number (∞, −∞ and 0 included) or 'fro' (2); 'nuc' needs an SVD, which Autograd Lab
 * does not have.
 */
export function norm(x: Tensor, pArg: number | string | null, dim: DimArg, keepdim: boolean, dtype: DType | null): Tensor {
  if (pArg === 'nuc') throw new NotImplementedError("torch.norm(p='nuc') is not supported by Autograd Lab yet");
  if (typeof pArg === 'string' && pArg !== 'fro') throw new RuntimeError(`${pArg} is not a valid value for p`);
  if (pArg === 'fro' && dtype !== null) throw new ValueError('dtype argument is not supported in frobenius norm');
  const p = pArg === null || pArg === 'fro' ? 2 : (pArg as number);
  const input = dtype !== null && dtype !== x.dtype ? no_grad(() => x.to(dtype)) : x;
  if (!input.dtype.is_floating_point) {
    throw new RuntimeError(`norm(): input dtype should be either floating point or complex. Got ${input.dtype.scalarTypeName} instead.`);
  }
  const pl = plan(input, dim, keepdim);
  const out = input.dtype.alloc(pl.outer);
  for (let o = 0, base = 0; o < pl.outer; o++, base += pl.inner) {
    let acc = p === -Infinity ? Infinity : 0;
    for (let i = 0; i < pl.inner; i++) {
      const a = Math.abs(pl.data[base + i]!);
      if (p === Infinity) acc = a > acc || a !== a ? a : acc;
      else if (p === -Infinity) acc = a < acc || a !== a ? a : acc;
      else if (p === 0) acc += a !== 0 ? 1 : 0;
      else acc += p === 2 ? a * a : p === 1 ? a : a ** p;
    }
    out[o] = p === 2 ? Math.sqrt(acc) : p === 1 || p === 0 || !Number.isFinite(p) ? acc : acc ** (1 / p);
  }
  const result = Tensor._make(out, pl.outShape, input.dtype);
  if (recording(x)) {
    const params: Normed = { inputShape: x.shape, keptShape: pl.keptShape, dims: pl.dims, p, keepdim, from: input === x ? null : x.dtype };
    record(input === x ? NormBackward1 : NormBackward3, [x], [result], [input, result], params);
  }
  return result;
}

// ------------------------------------------------------------------ any, all

/** any()/all(): a bool tensor (uint8 for a uint8 input, as PyTorch), over everything or along `dim`. */
export function anyAll(x: Tensor, which: 'any' | 'all', dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean): Tensor {
  const d = typeof dim === 'object' && dim !== null ? (dim.dim ?? null) : (dim ?? null);
  const k = typeof dim === 'object' && dim !== null ? (dim.keepdim ?? false) : (keepdim ?? false);
  const p = plan(x, d, d === null ? false : k);
  const outDtype = x.dtype === uint8 ? uint8 : bool;
  const out = outDtype.alloc(p.outer);
  for (let o = 0; o < p.outer; o++) {
    let found = which === 'all';
    for (let i = 0; i < p.inner; i++) {
      const nonzero = p.data[p.offset + o * p.rowStep + i * p.step] !== 0;
      if (nonzero === (which === 'any')) {
        found = which === 'any';
        break;
      }
    }
    out[o] = found ? 1 : 0;
  }
  return Tensor._make(out, p.outShape, outDtype);
}

// ------------------------------------------------------------------ prod

/** prod's gradient: g·(result/x), or where x holds zeros the product of the other elements (prod_safe_zeros_backward). */
function prodGrad(g: Tensor, x: Tensor, result: Tensor, dim: number | null, keepdim: boolean): Tensor {
  if (x.dim() === 0) return g;
  const gk = dim === null || keepdim ? g : g.unsqueeze(dim);
  const rk = dim === null || keepdim ? result : result.unsqueeze(dim);
  if (!contiguousData(x).includes(0)) return gk.mul(rk.div(x));
  if (is_grad_enabled()) throw new NotImplementedError('the second derivative of prod() of a tensor holding zeros is not supported by Autograd Lab yet');
  // The product of the others, as cumprod from both ends: exclusive_normal * exclusive_reverse.
  const d = dim === null ? 0 : dim;
  const flat = dim === null ? x.reshape(-1) : x;
  const data = contiguousData(flat);
  const dtype = x.dtype;
  const c = dtype === float32 ? Math.fround : (v: number) => v;
  const others = dtype.alloc(flat.numel());
  const size = flat.shape[d]!;
  const inner = numelOf(flat.shape.slice(d + 1));
  const outer = flat.numel() / Math.max(size * inner, 1);
  const before = new Float64Array(size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (s: number) => (o * size + s) * inner + j;
      let acc = 1;
      for (let s = 0; s < size; s++) {
        before[s] = acc;
        acc = c(acc * data[at(s)]!);
      }
      acc = 1;
      for (let s = size - 1; s >= 0; s--) {
        others[at(s)] = c(before[s]! * acc);
        acc = c(acc * data[at(s)]!);
      }
    }
  }
  const exclusive = Tensor._make(others, flat.shape, dtype);
  return gk.mul(dim === null ? exclusive.reshape(x.shape) : exclusive);
}

interface Producted {
  readonly dim: number | null;
  readonly keepdim: boolean;
}

const ProdBackward0 = derivative<Producted>({
  name: 'ProdBackward0',
  backward: ([g], [xs, r], { params }) => [prodGrad(g!, xs!, r!, null, false)],
  explain: () => ['∂(Πⱼ xⱼ)/∂xᵢ = Πⱼ≠ᵢ xⱼ: the product of the other elements'],
});
const ProdBackward1 = derivative<Producted>({
  name: 'ProdBackward1',
  backward: ([g], [xs, r], { params }) => [prodGrad(g!, xs!, r!, params.dim, params.keepdim)],
  explain: ({ dim }) => [`∂(Π along dim ${dim})/∂xᵢ = the product of the other elements of xᵢ's row along dim ${dim}`],
});

/** The product of all elements, or along `dim`, multiplied in order in the result's dtype. */
export function prod(x: Tensor, dim: number | null, keepdim: boolean, dtype?: DType): Tensor {
  const outDtype = dtype ?? (x.dtype.is_floating_point ? x.dtype : int64);
  const input = dtype !== undefined && dtype !== x.dtype ? no_grad(() => x.to(dtype)) : x;
  const d = dim === null ? null : x.dim() === 0 ? 0 : normalizeDim(dim, x.dim());
  const p = plan(input, d, keepdim);
  const out = outDtype.alloc(p.outer);
  const c = outDtype === float32 ? Math.fround : (v: number) => v;
  for (let o = 0, base = 0; o < p.outer; o++, base += p.inner) {
    let acc = 1;
    for (let i = 0; i < p.inner; i++) acc = c(acc * p.data[base + i]!);
    out[o] = acc;
  }
  const result = Tensor._make(out, p.outShape, outDtype);
  if (recording(x)) record(d === null ? ProdBackward0 : ProdBackward1, [x], [result], [x, result], { dim: d, keepdim });
  return result;
}

// ------------------------------------------------------------------ cumsum

/** Sums along `dim` from the start (or from the end), accumulated in double and rounded per output, as ATen's CPU kernel. */
function cumulative(x: Tensor, dim: number, dtype: DType, reverse: boolean): Tensor {
  const data = contiguousData(x);
  const out = dtype.alloc(x.numel());
  const size = x.dim() === 0 ? 1 : x.shape[dim]!;
  const inner = x.dim() === 0 ? 1 : numelOf(x.shape.slice(dim + 1));
  const outer = x.numel() / Math.max(size * inner, 1);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = 0;
      for (let s = 0; s < size; s++) {
        const at = (o * size + (reverse ? size - 1 - s : s)) * inner + j;
        acc += data[at]!;
        out[at] = acc;
      }
    }
  }
  return Tensor._make(out, x.shape, dtype);
}

const CumsumBackward0 = derivative<{ dim: number }>({
  name: 'CumsumBackward0',
  // The gradient summed from the end: element i gets the gradients of outputs i, i+1, ...
  backward: ([g], _, { params }) => [g!.numel() <= 1 ? g! : is_grad_enabled() ? g!.flip([params.dim]).cumsum(params.dim).flip([params.dim]) : cumulative(g!, params.dim, g!.dtype, true)],
  explain: ({ dim }) => [`∂(cumsum along dim ${dim})ⱼ/∂xᵢ = 1 for j ≥ i: each element gets the gradients of every sum it is part of`],
});

/** Running sums along `dim` (int and bool inputs give int64). */
export function cumsum(x: Tensor, dim: number, dtype?: DType): Tensor {
  const d = normalizeDim(dim, x.dim());
  const outDtype = dtype ?? (x.dtype.is_floating_point ? x.dtype : int64);
  const result = cumulative(x, d, outDtype, false);
  if (recording(x)) record(CumsumBackward0, [x], [result], [], { dim: d });
  return result;
}

// ------------------------------------------------------------------ sort, topk

/** PyTorch's comparators: NaN is larger than every number (last ascending, first descending). */
const ASCENDING = (a: number, b: number): boolean => (a === a && b !== b) || a < b;
const DESCENDING = (a: number, b: number): boolean => (a !== a && b === b) || a > b;

/** Each row of `x` along `dim` as (values, indices) pairs, `arrange` applied per row; the result in `x`'s layout with `size` kept along dim. */
function perRow(x: Tensor, dim: number, size: number, arrange: (p: Pairs) => void): { values: Tensor; indices: Tensor; d: number } {
  const d = x.dim() === 0 ? 0 : normalizeDim(dim, x.dim());
  const n = x.dim() === 0 ? 1 : x.shape[d]!;
  const inner = x.dim() === 0 ? 1 : numelOf(x.shape.slice(d + 1));
  const outer = x.numel() / Math.max(n * inner, 1);
  const data = contiguousData(x);
  const shape = x.dim() === 0 ? [] : x.shape.map((s, i) => (i === d ? size : s));
  const vals = x.dtype.alloc(numelOf(shape));
  const idx = new Float64Array(numelOf(shape));
  const row: Pairs = { values: new Float64Array(n), indices: new Float64Array(n) };
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      for (let s = 0; s < n; s++) {
        row.values[s] = data[(o * n + s) * inner + j]!;
        row.indices[s] = s;
      }
      arrange(row);
      for (let s = 0; s < size; s++) {
        vals[(o * size + s) * inner + j] = row.values[s]!;
        idx[(o * size + s) * inner + j] = row.indices[s]!;
      }
    }
  }
  return { values: Tensor._make(vals, shape, x.dtype), indices: Tensor._make(idx, shape, int64), d };
}

/** The gradient of a selection along dim (sort, topk): each value's gradient goes back where it came from. */
const selectedBackward: Derivative<Reduced>['backward'] = ([g], [ix], { params: p }) => [
  p.inputShape.length === 0 ? g! : scatter_add(zeros(p.inputShape, { dtype: g!.dtype }), p.dims[0]!, ix!, g!),
];

const SortBackward0 = derivative<Reduced>({
  name: 'SortBackward0',
  backward: selectedBackward,
  explain: ({ dims }) => [`∂sort(x)ⱼ/∂xᵢ = 1 where element i landed at place j along dim ${dims[0]}, else 0`],
});

/** `sort(dim, descending)`: PyTorch's CPU sort (libstdc++'s std::sort, so equal values come out in its order). */
export function sort(x: Tensor, dim: number, descending: boolean, stable = false): ValuesIndices {
  const less = descending ? DESCENDING : ASCENDING;
  const n = x.dim() === 0 ? 1 : x.shape[normalizeDim(dim, x.dim())]!;
  const { values, indices, d } = perRow(x, dim, n, (row) => (stable ? stableSort(row, less) : stdSort(row, less)));
  if (recording(x)) record(SortBackward0, [x], [values, indices], [indices], { inputShape: x.shape, keptShape: x.shape, dims: [d] });
  return new ValuesIndices(values, indices);
}

const TopkBackward0 = derivative<Reduced>({
  name: 'TopkBackward0',
  backward: selectedBackward,
  explain: ({ dims }) => [`∂topk(x)ⱼ/∂xᵢ = 1 where element i is the j-th selected along dim ${dims[0]}, else 0`],
});

/** `topk(k, dim, largest, sorted)` as PyTorch's CPU kernel picks them (partial sort or nth_element, then sort). */
export function topk(x: Tensor, k: number, dim: number, largest: boolean, sorted: boolean): ValuesIndices {
  if (x.dtype === bool) throw notImplementedFor('topk_cpu', bool);
  const n = x.dim() === 0 ? 1 : x.shape[normalizeDim(dim, x.dim())]!;
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RuntimeError('selected index k out of range');
  const less = largest ? DESCENDING : ASCENDING;
  const { values, indices, d } = perRow(x, dim, k, (row) => {
    if (k * 64 <= n) stdPartialSort(row, less, k);
    else {
      stdNthElement(row, less, k - 1);
      if (sorted) stdSort(row, less, 0, k - 1);
    }
  });
  if (recording(x)) record(TopkBackward0, [x], [values, indices], [indices], { inputShape: x.shape, keptShape: values.shape, dims: [d] });
  return new ValuesIndices(values, indices);
}

/** Whether `full`'s dims after the first `lead` are exactly `shape` (only leading dims to sum away). */
function trailingShapeIs(full: readonly number[], lead: number, shape: readonly number[]): boolean {
  for (let i = 0; i < shape.length; i++) if (full[lead + i] !== shape[i]) return false;
  return true;
}

/** Sums a broadcast gradient back to `shape` (leading dims away, size-1 dims kept). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.dim() - shape.length;
  if (g._contiguous && g.dtype.is_floating_point && lead >= 0 && !(is_grad_enabled() && g._requires_grad)) {
    // Everything into one element (a scalar operand's gradient), or only leading dims away (a
    // bias's gradient): sum()'s in-order sums read straight from g's storage into `shape`,
    // without the plan, the keepdim tensor and the reshaped view.
    const whole = numelOf(shape) === 1 && (lead > 0 || g._numel > 1);
    if (whole || (lead > 0 && shape.length > 0 && trailingShapeIs(g._shape, lead, shape))) {
      const cols = whole ? 1 : numelOf(shape);
      const rows = whole ? g._numel : cols === 0 ? 0 : g._numel / cols;
      const out = g.dtype.alloc(cols);
      sumStrided(g._data, g._offset, cols, rows, whole ? rows : 1, whole ? 1 : cols, out, g.dtype === float32, 1);
      return Tensor._make(out, shape, g.dtype);
    }
  }
  const dims: number[] = [];
  for (let i = 0; i < g.dim(); i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  let out = dims.length > 0 ? sum(g, dims, true) : g;
  if (!sameShape(out.shape, shape)) out = out.reshape(shape);
  return out;
}

