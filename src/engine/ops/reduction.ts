/**
 * Reductions. Float32 sums accumulate in float32, one element after another in row-major
 * order (the arithmetic that reproduces the book's printed digits); mean is that sum divided
 * by the count, then rounded, as ATen's mean does.
 */
import { record, recording } from '../autograd/function.js';
import { is_grad_enabled } from '../autograd/grad_mode.js';
import { type DType, float32, int64, type Storage } from '../dtype.js';
import { RuntimeError } from '../errors.js';
import { normalizeDim, numelOf, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { contiguousData } from './kernels.js';
import { scatter_add } from './indexing.js';
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

interface Plan {
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
function sumRows(p: Plan, out: Storage, f32: boolean, divisor: number): void {
  const data = p.data;
  const inner = p.inner;
  const step = p.step;
  const rowStep = p.rowStep;
  for (let o = 0, base = p.offset; o < p.outer; o++, base += rowStep) {
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
 * Mean's gradient: `g` broadcast back, divided by the count. Without recording, a one-element
 * `g` (the loss) gives a tensor filled with that one quotient, which is what the ops would give.
 */
function meanBackward(g: Tensor, keptShape: readonly number[], inputShape: readonly number[], count: number): Tensor {
  if (!is_grad_enabled() && g.dtype.is_floating_point && g.numel() === 1) {
    const dtype = g.dtype;
    const out = dtype.alloc(numelOf(inputShape));
    out.fill(g._data[g._offset]! / dtype.cast(count));
    return Tensor._make(out, inputShape, dtype);
  }
  return expandBack(g, keptShape, inputShape).div(count);
}

/** Gradient of a reduction's output, broadcast back over the reduced dims. */
function expandBack(g: Tensor, keptShape: readonly number[], inputShape: readonly number[]): Tensor {
  const shaped = sameShape(g.shape, keptShape) ? g : g.reshape(keptShape);
  return shaped.expand(inputShape);
}

export function sum(x: Tensor, dim: DimArg = null, keepdim = false, dtype?: DType): Tensor {
  const outDtype = dtype ?? (x.dtype.is_floating_point ? x.dtype : int64);
  const p = plan(x, dim, keepdim, true);
  const out = outDtype.alloc(p.outer);
  sumRows(p, out, outDtype === float32, 1);
  const result = Tensor._make(out, p.outShape, outDtype);
  if (recording(x)) {
    const node = dim === null ? 'SumBackward0' : 'SumBackward1';
    const inputShape = x.shape;
    if (recording(x)) record(node, [x], [result], [], ([g]) => [expandBack(g!, p.keptShape, inputShape)]);
  }
  return result;
}

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
    const node = dim === null ? 'MeanBackward0' : 'MeanBackward1';
    const inputShape = x.shape;
    const count = p.inner;
    if (recording(x)) record(node, [x], [result], [], ([g]) => [meanBackward(g!, p.keptShape, inputShape, count)]);
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
    if (recording(x)) {
      record(which === 'max' ? 'MaxBackward1' : 'MinBackward1', [x], [result], [x, result], ([g], [xs, r]) => {
        // evenly distributed among the elements equal to the extreme
        const mask = xs!.eq(r!).to(g!.dtype);
        return [mask.mul(g!.div(mask.sum()))];
      });
    }
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
  const inputShape = x.shape;
  if (recording(x)) {
    record(which === 'max' ? 'MaxBackward0' : 'MinBackward0', [x], [vals, idx], [idx], ([g], [ix]) => {
      const keptShape = p.keptShape;
      const gk = g!.reshape(keptShape);
      const ik = ix!.reshape(keptShape);
      return [scatter_add(zeros(inputShape, { dtype: g!.dtype }), reducedDim, ik, gk)];
    });
  }
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
  const n = p.inner;
  const varBackward = (g: Tensor, xs: Tensor) =>
    expandBack(g, p.keptShape, xs.shape).mul(xs.sub(mean(xs, d, true))).mul(2 / (n - correction));
  if (which === 'var') {
    if (recording(x)) record('VarBackward0', [x], [result], [x], ([g], [xs]) => [varBackward(g!, xs!)]);
  } else {
    if (recording(x)) {
      record('StdBackward0', [x], [result], [x, result], ([g], [xs, r]) => [
        varBackward(g!.div(r!.mul(2)).masked_fill(r!.eq(0), 0), xs!),
      ]);
    }
  }
  return result;
}

export function variance(x: Tensor, dim?: DimArg | ReduceOptions, options?: { unbiased?: boolean; keepdim?: boolean; correction?: number }): Tensor {
  return moment(x, 'var', dim, options);
}

export function std(x: Tensor, dim?: DimArg | ReduceOptions, options?: { unbiased?: boolean; keepdim?: boolean; correction?: number }): Tensor {
  return moment(x, 'std', dim, options);
}

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
  if (recording(x)) {
    record('NormBackward1', [x], [result], [x, result], ([g], [xs, r]) => {
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
    });
  }
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

/**
 * A bias's gradient: `g` summed over its first `lead` dims, straight into a tensor of `shape`.
 * The arithmetic of sum(g, leadingDims, true).reshape(shape) (each output accumulated in the
 * dtype, over the leading index in row-major order, from zero), without the plan, the
 * keepdim tensor and the reshaped view.
 */
function sumLeadingDims(g: Tensor, lead: number, shape: readonly number[]): Tensor {
  const dtype = g.dtype;
  const gs = g._shape;
  let rows = 1;
  for (let i = 0; i < lead; i++) rows *= gs[i]!;
  const cols = numelOf(shape);
  const out = dtype.alloc(cols);
  const data = g._data;
  const o = g._offset;
  if (dtype === float32) {
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let i = 0, at = o + j; i < rows; i++, at += cols) acc = Math.fround(acc + data[at]!);
      out[j] = acc;
    }
  } else {
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let i = 0, at = o + j; i < rows; i++, at += cols) acc += data[at]!;
      out[j] = acc;
    }
  }
  return Tensor._make(out, shape, dtype);
}

/** Sums a broadcast gradient back to `shape` (leading dims away, size-1 dims kept). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g._contiguous && numelOf(shape) === 1 && g.dtype.is_floating_point && (g.dim() > shape.length || g.numel() > 1) && g.dim() >= shape.length && !(is_grad_enabled() && g._requires_grad)) {
    // Everything summed into one element (a scalar operand's gradient): sum(dims, keepdim) then
    // reshape give the in-order sum of all elements.
    const dtype = g.dtype;
    const out = dtype.alloc(1);
    const data = g._data;
    const n = g.numel();
    let acc = 0;
    if (dtype === float32) for (let i = 0, o = g._offset; i < n; i++) acc = Math.fround(acc + data[o + i]!);
    else for (let i = 0, o = g._offset; i < n; i++) acc += data[o + i]!;
    out[0] = acc;
    return Tensor._make(out, shape, dtype);
  }
  const lead = g.dim() - shape.length;
  if (lead > 0 && shape.length > 0 && g._contiguous && g.dtype.is_floating_point && !(is_grad_enabled() && g._requires_grad) && trailingShapeIs(g._shape, lead, shape)) {
    return sumLeadingDims(g, lead, shape);
  }
  const dims: number[] = [];
  for (let i = 0; i < g.dim(); i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  let out = dims.length > 0 ? sum(g, dims, true) : g;
  if (!sameShape(out.shape, shape)) out = out.reshape(shape);
  return out;
}

