/**
 * Reductions. Float32 sums accumulate in float32, one element after another in row-major
 * order (the arithmetic that reproduces the book's printed digits); mean is that sum divided
 * by the count, then rounded, as ATen's mean does.
 */
import { record } from '../autograd/function.js';
import { type DType, float32, int64 } from '../dtype.js';
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

interface Plan {
  /** Values with the reduced dims moved last and made contiguous. */
  data: ArrayLike<number>;
  outer: number;
  inner: number;
  keptShape: number[];
  outShape: number[];
  dims: number[];
}

function plan(x: Tensor, dim: DimArg, keepdim: boolean): Plan {
  const rank = x.dim();
  const dims = normalizeDims(dim, rank);
  const kept = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = keepdim ? kept : x.shape.filter((_, i) => !dims.includes(i));
  const keptDims = [...Array(rank).keys()].filter((i) => !dims.includes(i));
  const order = [...keptDims, ...dims];
  const alreadyOrdered = order.every((d, i) => d === i);
  const source = alreadyOrdered ? x : x.permute(order);
  const inner = numelOf(dims.map((d) => x.shape[d]!));
  return { data: contiguousData(source), outer: numelOf(keptDims.map((d) => x.shape[d]!)), inner, keptShape: kept, outShape, dims };
}

/** Gradient of a reduction's output, broadcast back over the reduced dims. */
function expandBack(g: Tensor, keptShape: readonly number[], inputShape: readonly number[]): Tensor {
  const shaped = sameShape(g.shape, keptShape) ? g : g.reshape(keptShape);
  return shaped.expand(inputShape);
}

export function sum(x: Tensor, dim: DimArg = null, keepdim = false, dtype?: DType): Tensor {
  const outDtype = dtype ?? (x.dtype.is_floating_point ? x.dtype : int64);
  const p = plan(x, dim, keepdim);
  const out = outDtype.alloc(p.outer);
  const data = p.data;
  const f32 = outDtype === float32;
  for (let o = 0, base = 0; o < p.outer; o++, base += p.inner) {
    let acc = 0;
    if (f32) for (let i = 0; i < p.inner; i++) acc = Math.fround(acc + data[base + i]!);
    else for (let i = 0; i < p.inner; i++) acc += data[base + i]!;
    out[o] = acc;
  }
  const result = Tensor._make(out, p.outShape, outDtype);
  const node = dim === null ? 'SumBackward0' : 'SumBackward1';
  const inputShape = x.shape;
  record(node, [x], [result], [], ([g]) => [expandBack(g!, p.keptShape, inputShape)]);
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
  const p = plan(x, dim, keepdim);
  const out = outDtype.alloc(p.outer);
  const data = p.data;
  const f32 = outDtype === float32;
  for (let o = 0, base = 0; o < p.outer; o++, base += p.inner) {
    let acc = 0;
    if (f32) for (let i = 0; i < p.inner; i++) acc = Math.fround(acc + data[base + i]!);
    else for (let i = 0; i < p.inner; i++) acc += data[base + i]!;
    out[o] = acc / p.inner;
  }
  const result = Tensor._make(out, p.outShape, outDtype);
  const node = dim === null ? 'MeanBackward0' : 'MeanBackward1';
  const inputShape = x.shape;
  const count = p.inner;
  record(node, [x], [result], [], ([g]) => [expandBack(g!, p.keptShape, inputShape).div(count)]);
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
    record(which === 'max' ? 'MaxBackward1' : 'MinBackward1', [x], [result], [x, result], ([g], [xs, r]) => {
      // evenly distributed among the elements equal to the extreme
      const mask = xs!.eq(r!).to(g!.dtype);
      return [mask.mul(g!.div(mask.sum()))];
    });
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
  record(which === 'max' ? 'MaxBackward0' : 'MinBackward0', [x], [vals, idx], [idx], ([g], [ix]) => {
    const keptShape = p.keptShape;
    const gk = g!.reshape(keptShape);
    const ik = ix!.reshape(keptShape);
    return [scatter_add(zeros(inputShape, { dtype: g!.dtype }), reducedDim, ik, gk)];
  });
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
    record('VarBackward0', [x], [result], [x], ([g], [xs]) => [varBackward(g!, xs!)]);
  } else {
    record('StdBackward0', [x], [result], [x, result], ([g], [xs, r]) => [
      varBackward(g!.div(r!.mul(2)).masked_fill(r!.eq(0), 0), xs!),
    ]);
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
  return result;
}

export function all(x: Tensor): boolean {
  return contiguousData(x).every((v) => v !== 0);
}
export function any(x: Tensor): boolean {
  return contiguousData(x).some((v) => v !== 0);
}

/** Sums a broadcast gradient back to `shape` (leading dims away, size-1 dims kept). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.dim() - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.dim(); i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  let out = dims.length > 0 ? sum(g, dims, true) : g;
  if (!sameShape(out.shape, shape)) out = out.reshape(shape);
  return out;
}

