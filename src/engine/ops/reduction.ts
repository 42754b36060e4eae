/**
 * Reductions. Float32 sums accumulate in float32, one element after another in row-major
 * order (the arithmetic that reproduces the book's printed digits); mean is that sum divided
 * by the count, then rounded, as ATen's mean does.
 */
import { type Derivative, derivative } from '../autograd/derivative.js';
import { record, recording } from '../autograd/function.js';
import { is_grad_enabled } from '../autograd/grad_mode.js';
import { num } from '../autograd/notation.js';
import { type DType, float32, int64, type Storage } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim, numelOf, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './kernels.js';
import { scatter_add } from './indexing.js';
import { expand } from './views.js';
import { fusedFormula } from './loops.js';
import { zeros } from '../creation.js';

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
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype === int64 ? 'Long' : 'Bool'}`,
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
  const p = d === null ? plan(x.reshape(-1), 0, false) : plan(x, d, k);
  const { indices } = scanExtreme(p, which);
  const shape = d === null ? (k ? x.shape.map(() => 1) : []) : p.outShape;
  return Tensor._make(indices, shape, int64);
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
function moment(
  x: Tensor,
  which: 'var' | 'std',
  dim?: DimArg | ReduceOptions,
  options: { unbiased?: boolean; keepdim?: boolean; correction?: number } = {},
): Tensor {
  const [d, keepdimArg] = reduceArgs(dim, options.keepdim);
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
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

export function variance(x: Tensor, dim?: DimArg | ReduceOptions, options?: { unbiased?: boolean; keepdim?: boolean; correction?: number }): Tensor {
  return moment(x, 'var', dim, options);
}

export function std(x: Tensor, dim?: DimArg | ReduceOptions, options?: { unbiased?: boolean; keepdim?: boolean; correction?: number }): Tensor {
  return moment(x, 'std', dim, options);
}

const NormBackward1 = derivative<{ p: number }>({
  name: 'NormBackward1',
  backward: ([g], [xs, r], { params: { p } }) => {
    const x0 = xs!;
    const nrm = r!;
    if (p === 0) return [x0.mul(0)];
    if (p === 1) return [x0.sign().mul(g!)];
    if (p === Infinity) {
      const mask = x0.abs().eq(nrm).to(g!.dtype);
      return [x0.sign().mul(mask).mul(g!.div(mask.sum()))];
    }
    const scale = (p === 2 ? g!.div(nrm) : g!.div(nrm.pow(p - 1))).masked_fill(nrm.eq(0), 0);
    return [p === 2 ? x0.mul(scale) : x0.mul(x0.abs().pow(p - 2)).mul(scale)];
  },
  explain: ({ p }) => [
    p === 2
      ? '∂‖x‖/∂xᵢ = xᵢ/‖x‖'
      : p === 1
        ? '∂‖x‖₁/∂xᵢ = sign(xᵢ)'
        : p === 0
          ? '∂‖x‖₀/∂xᵢ = 0 (it counts the nonzero elements)'
          : p === Infinity
            ? '∂‖x‖∞/∂xᵢ = sign(xᵢ)/k where |xᵢ| is the largest (k elements share it), else 0'
            : `∂‖x‖ₚ/∂xᵢ = xᵢ·|xᵢ|^${num(p - 2)}/‖x‖ₚ^${num(p - 1)}, p = ${num(p)}`,
  ],
});

/** The p-norm of all elements (NormBackward1), computed in float64 and rounded once. */
export function norm(x: Tensor, p: number): Tensor {
  const data = contiguousData(x);
  let acc = 0;
  if (p === Infinity) for (const v of data) acc = Math.max(acc, Math.abs(v));
  else if (p === 0) for (const v of data) acc += v !== 0 ? 1 : 0;
  else {
    for (const v of data) acc += Math.abs(v) ** p;
    acc = p === 1 ? acc : acc ** (1 / p);
  }
  const out = x.dtype.alloc(1);
  out[0] = acc;
  const result = Tensor._make(out, [], x.dtype);
  if (recording(x)) record(NormBackward1, [x], [result], [x, result], { p });
  return result;
}

export function all(x: Tensor): boolean {
  return contiguousData(x).every((v) => v !== 0);
}
export function any(x: Tensor): boolean {
  return contiguousData(x).some((v) => v !== 0);
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

